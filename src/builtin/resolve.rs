//! A built-in kind's definition with every `$ref` inlined: one schema tree in the shape of a CRD's
//! `openAPIV3Schema`, which crdlint's CRD schema compiler takes.
//!
//! How refs resolve, and the adjustments, follow kubectl-validate (`pkg/validator/validator.go`
//! `infoForGVK`, `pkg/validator/schema_patcher.go`), except where noted:
//! - `{$ref: X, siblings}` (upstream writes `allOf: [{$ref: X}]` beside `default`; the generator
//!   normalized both to this) becomes a copy of X where the sibling `default` replaces X's,
//!   `nullable` is or-ed, a sibling `type` replaces X's and sibling `x-kubernetes-*` keys
//!   override X's.
//! - `IntOrString` becomes `{x-kubernetes-int-or-string: true}` (its `oneOf` of integer and string
//!   is how the API server's CRD validation reads int-or-string too).
//! - The definitions Go decodes `null` into (Time, MicroTime, Duration, Quantity, RawExtension,
//!   the apiextensions JSON types) are `nullable` on every node.
//! - A `default: {}` on a ref to one of those, or to IntOrString, is dropped: `{}` is not a
//!   value of theirs (upstream publishes `{}` for every struct-typed field).
//! - `format: byte` strings (Secret `data`, ...) also take `""`: the format moves into
//!   `allOf: [{anyOf: [{format: byte}, {maxLength: 0}]}]` (the API server decodes `""` into an
//!   empty `[]byte`; the CRD `byte` format rejects it).
//! - Differs from kubectl-validate: RawExtension (`runtime.RawExtension`: ControllerRevision
//!   `data`, DRA opaque `parameters`, ...), FieldsV1 and the apiextensions JSON types carry
//!   `x-kubernetes-preserve-unknown-fields: true`. Upstream publishes them as `{type: object}`
//!   or `{}`, so kubectl-validate prunes everything under them and reports each key as an unknown
//!   field; the API server accepts any JSON there.
//! - kubectl-validate's patch for two gaps its tests apply (see [`native_validation_patch`]):
//!   `Container.image` required, `ContainerPort.protocol` an enum defaulting to TCP.
//! - Recursion (only `JSONSchemaProps`, the CRD schema type, refers to itself) is cut at the
//!   first re-entry: the inner reference becomes `{type: object,
//!   x-kubernetes-preserve-unknown-fields: true}`, so a CRD's `openAPIV3Schema` root is checked
//!   and what nests under it is not. kubectl-validate never builds this schema: it validates a
//!   CRD with apiextensions' own CRD validation instead, as crdlint's CRD lint does.

use serde_json::{Map, Value, json};

const INT_OR_STRING: &str = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

/// kubectl-validate's `nullableSchemas`: types whose Go `UnmarshalJSON` takes `null`.
const NULLABLE: [&str; 8] = [
    "io.k8s.apimachinery.pkg.runtime.RawExtension",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Duration",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray",
    "io.k8s.apimachinery.pkg.api.resource.Quantity",
];

/// Any JSON object is accepted (Go keeps the raw bytes).
const FREE_FORM_OBJECT: [&str; 2] = [
    "io.k8s.apimachinery.pkg.runtime.RawExtension",
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
];

/// Any JSON value is accepted.
const FREE_FORM_ANY: [&str; 4] = [
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray",
];

/// kubectl-validate's patch for gaps of the published schemas that the server's native
/// validation fills (`pkg/openapiclient/patches/1.23/api/v1.json`, which its own tests apply):
/// a container needs an `image` (`validateContainers`: `image: Required value`), and a port's
/// `protocol` is one of SCTP, TCP and UDP, TCP by default (`validateContainerPorts`,
/// `SetDefaults_ContainerPort`). Applied to every minor: the server has done both since long
/// before 1.23.
fn native_validation_patch(name: &str, v: &mut Value) {
    match name {
        "io.k8s.api.core.v1.Container" => {
            let required = v
                .as_object_mut()
                .map(|m| m.entry("required").or_insert_with(|| json!([])));
            if let Some(Value::Array(r)) = required
                && !r.iter().any(|x| x == "image")
            {
                r.push(json!("image"));
            }
        }
        "io.k8s.api.core.v1.ContainerPort" => {
            if let Some(p) = v
                .pointer_mut("/properties/protocol")
                .and_then(Value::as_object_mut)
            {
                p.insert("type".into(), json!("string"));
                p.insert("default".into(), json!("TCP"));
                p.insert("enum".into(), json!(["SCTP", "TCP", "UDP"]));
            }
        }
        _ => {}
    }
}

/// Inline definition `name` of `group_version` in `minor`. `None` when a definition it needs is
/// not embedded for that minor (the tests make sure this never happens for a served kind).
pub fn resolve(minor: u32, group_version: &str, name: &str) -> Option<Value> {
    let mut r = Resolver {
        minor,
        group_version,
        stack: Vec::new(),
    };
    r.definition(name)
}

struct Resolver<'a> {
    minor: u32,
    group_version: &'a str,
    /// The definitions being inlined, outermost first.
    stack: Vec<&'a str>,
}

fn set_nullable_everywhere(v: &mut Value) {
    let Value::Object(m) = v else { return };
    m.insert("nullable".into(), Value::Bool(true));
    for (k, child) in m.iter_mut() {
        match k.as_str() {
            "properties" => {
                if let Value::Object(props) = child {
                    props.values_mut().for_each(set_nullable_everywhere);
                }
            }
            "items" | "additionalProperties" | "not" => set_nullable_everywhere(child),
            "allOf" | "anyOf" | "oneOf" => {
                if let Value::Array(a) = child {
                    a.iter_mut().for_each(set_nullable_everywhere);
                }
            }
            _ => {}
        }
    }
}

impl<'a> Resolver<'a> {
    fn definition(&mut self, name: &'a str) -> Option<Value> {
        if name == INT_OR_STRING {
            return Some(json!({"x-kubernetes-int-or-string": true}));
        }
        if FREE_FORM_OBJECT.contains(&name) {
            let mut v = json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true});
            if NULLABLE.contains(&name) {
                v["nullable"] = Value::Bool(true);
            }
            return Some(v);
        }
        if FREE_FORM_ANY.contains(&name) {
            return Some(json!({"nullable": true, "x-kubernetes-preserve-unknown-fields": true}));
        }
        let stored = super::definition(self.minor, self.group_version, name)?;
        self.stack.push(name);
        let mut v = self.node(stored);
        self.stack.pop();
        if let Some(v) = &mut v
            && NULLABLE.contains(&name)
        {
            set_nullable_everywhere(v);
        }
        if let Some(v) = &mut v {
            native_validation_patch(name, v);
        }
        v
    }

    fn node(&mut self, v: &'a Value) -> Option<Value> {
        let Value::Object(m) = v else {
            return Some(v.clone());
        };
        if let Some(Value::String(target)) = m.get("$ref") {
            return self.reference(target, m);
        }
        let mut out = Map::with_capacity(m.len());
        for (k, child) in m {
            let c = match k.as_str() {
                "properties" => {
                    let Value::Object(props) = child else {
                        out.insert(k.clone(), child.clone());
                        continue;
                    };
                    let mut p = Map::with_capacity(props.len());
                    for (pk, pv) in props {
                        p.insert(pk.clone(), self.node(pv)?);
                    }
                    Value::Object(p)
                }
                "items" | "not" => self.node(child)?,
                "additionalProperties" if child.is_object() => self.node(child)?,
                "allOf" | "anyOf" | "oneOf" => match child {
                    Value::Array(a) => {
                        Value::Array(a.iter().map(|x| self.node(x)).collect::<Option<Vec<_>>>()?)
                    }
                    _ => child.clone(),
                },
                _ => child.clone(),
            };
            out.insert(k.clone(), c);
        }
        // kubectl-validate's AllowEmptyByteFormat.
        if out.get("type").and_then(Value::as_str) == Some("string")
            && out.get("format").and_then(Value::as_str) == Some("byte")
        {
            out.remove("format");
            let alt = json!({"anyOf": [{"format": "byte"}, {"maxLength": 0}]});
            match out.get_mut("allOf") {
                Some(Value::Array(a)) => a.push(alt),
                _ => {
                    out.insert("allOf".into(), Value::Array(vec![alt]));
                }
            }
        }
        Some(Value::Object(out))
    }

    fn reference(&mut self, target: &'a str, siblings: &'a Map<String, Value>) -> Option<Value> {
        let mut resolved = if self.stack.contains(&target) {
            json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true})
        } else {
            self.definition(target)?
        };
        let Value::Object(r) = &mut resolved else {
            return Some(resolved);
        };
        for (k, v) in siblings {
            match k.as_str() {
                "$ref" => {}
                "default" => {
                    // kubectl-validate's RemoveInvalidDefaults.
                    let invalid = v.as_object().is_some_and(Map::is_empty)
                        && (target == INT_OR_STRING || NULLABLE.contains(&target));
                    if !invalid {
                        r.insert(k.clone(), v.clone());
                    }
                }
                "nullable" => {
                    if v.as_bool() == Some(true) {
                        r.insert(k.clone(), Value::Bool(true));
                    }
                }
                _ => {
                    r.insert(k.clone(), v.clone());
                }
            }
        }
        Some(resolved)
    }
}

#[cfg(test)]
mod tests {
    use super::super::lookup;
    use serde_json::{Value, json};

    fn at<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
        path.iter().fold(v, |v, p| {
            let next = if *p == "[]" {
                &v["items"]
            } else {
                &v["properties"][*p]
            };
            assert!(
                !next.is_null(),
                "no {p} in {}",
                &v.to_string()[..200.min(v.to_string().len())]
            );
            next
        })
    }

    #[test]
    fn deployment_containers_are_a_list_map_keyed_by_name() {
        let d = lookup(35, "apps", "v1", "Deployment").unwrap().schema;
        let containers = at(&d, &["spec", "template", "spec", "containers"]);
        assert_eq!(containers["type"], "array");
        assert_eq!(containers["x-kubernetes-list-type"], "map");
        assert_eq!(containers["x-kubernetes-list-map-keys"], json!(["name"]));
        let container = &containers["items"];
        assert_eq!(container["type"], "object");
        // Upstream publishes `required: [name]`; kubectl-validate's patch adds the image.
        assert_eq!(container["required"], json!(["name", "image"]));
        assert_eq!(container["default"], json!({}));
        let protocol = at(container, &["ports", "[]", "protocol"]);
        assert_eq!(protocol["enum"], json!(["SCTP", "TCP", "UDP"]));
        assert_eq!(protocol["default"], "TCP");
        assert_eq!(at(container, &["image"])["type"], "string");
        // Until 1.29 upstream published containers without list-type.
        let d29 = lookup(29, "apps", "v1", "Deployment").unwrap().schema;
        let c29 = at(&d29, &["spec", "template", "spec", "containers"]);
        assert!(c29.get("x-kubernetes-list-type").is_none());
        assert_eq!(
            at(
                &d29,
                &["spec", "template", "spec", "containers", "[]", "ports"]
            )["x-kubernetes-list-map-keys"],
            json!(["containerPort", "protocol"])
        );
    }

    #[test]
    fn descriptions_and_patch_hints_are_gone() {
        let d = lookup(35, "apps", "v1", "Deployment")
            .unwrap()
            .schema
            .to_string();
        assert!(
            !d.contains("\"description\":\""),
            "descriptions are dropped"
        );
        assert!(!d.contains("x-kubernetes-patch"));
        assert!(!d.contains("x-kubernetes-group-version-kind"));
    }

    #[test]
    fn int_or_string_quantity_time() {
        let d = lookup(35, "apps", "v1", "Deployment").unwrap().schema;
        let max_surge = at(&d, &["spec", "strategy", "rollingUpdate", "maxSurge"]);
        assert_eq!(max_surge, &json!({"x-kubernetes-int-or-string": true}));
        let p = lookup(35, "", "v1", "Pod").unwrap().schema;
        let cpu =
            &at(&p, &["spec", "containers", "[]", "resources", "limits"])["additionalProperties"];
        assert_eq!(
            cpu,
            &json!({"nullable": true, "oneOf": [
                {"nullable": true, "type": "string"},
                {"nullable": true, "type": "number"}
            ]})
        );
        let ts = at(&p, &["metadata", "creationTimestamp"]);
        assert_eq!(
            ts,
            &json!({"type": "string", "format": "date-time", "nullable": true})
        );
        // `default: {}` on a ref to IntOrString is dropped, a real default stays.
        let svc = lookup(35, "", "v1", "Service").unwrap().schema;
        let port = at(&svc, &["spec", "ports", "[]"]);
        assert!(at(port, &["targetPort"]).get("default").is_none());
        assert_eq!(at(port, &["protocol"])["default"], "TCP");
    }

    #[test]
    fn byte_strings_take_empty() {
        let s = lookup(35, "", "v1", "Secret").unwrap().schema;
        let value = &at(&s, &["data"])["additionalProperties"];
        assert_eq!(
            value,
            &json!({"type": "string",
                "allOf": [{"anyOf": [{"format": "byte"}, {"maxLength": 0}]}]})
        );
    }

    #[test]
    fn free_form_values() {
        let cr = lookup(35, "apps", "v1", "ControllerRevision")
            .unwrap()
            .schema;
        assert_eq!(
            at(&cr, &["data"]),
            &json!({"type": "object", "nullable": true,
                "x-kubernetes-preserve-unknown-fields": true})
        );
        let p = lookup(35, "", "v1", "Pod").unwrap().schema;
        assert_eq!(
            at(&p, &["metadata", "managedFields", "[]", "fieldsV1"]),
            &json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true})
        );
    }

    #[test]
    fn recursion_is_cut_at_the_first_reentry() {
        let crd = lookup(35, "apiextensions.k8s.io", "v1", "CustomResourceDefinition")
            .unwrap()
            .schema;
        let root = at(
            &crd,
            &["spec", "versions", "[]", "schema", "openAPIV3Schema"],
        );
        assert_eq!(root["type"], "object");
        assert_eq!(at(root, &["type"])["type"], "string");
        let nested = &at(root, &["properties"])["additionalProperties"];
        assert_eq!(
            nested,
            &json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true,
                "default": {}})
        );
        assert_eq!(
            at(root, &["default"]),
            &json!({"nullable": true, "x-kubernetes-preserve-unknown-fields": true})
        );
    }

    #[test]
    fn metadata_is_object_meta() {
        let cm = lookup(30, "", "v1", "ConfigMap").unwrap().schema;
        let meta = at(&cm, &["metadata"]);
        assert_eq!(meta["type"], "object");
        assert_eq!(meta["default"], json!({}));
        assert_eq!(at(meta, &["name"])["type"], "string");
        assert_eq!(at(meta, &["finalizers"])["x-kubernetes-list-type"], "set");
        assert_eq!(at(&cm, &["data"])["additionalProperties"]["type"], "string");
    }
}
