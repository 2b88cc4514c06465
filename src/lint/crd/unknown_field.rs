//! `crd/unknown-field`: a key the CustomResourceDefinition API does not have, anywhere in a CRD
//! document: in the object (metadata, spec, names, versions, subresources, conversion, printer
//! columns, selectable fields, status) and in every schema node (JSONSchemaProps keywords,
//! `externalDocs`, `x-kubernetes-validations` entries). Keys are case-sensitive. Free-form
//! places are skipped: `properties`/`definitions`/`patternProperties`/`dependencies` names,
//! `default`, `example` and `enum` values, `metadata.labels`/`annotations`, `fieldsV1`.
//! The API server drops such a key; strict field validation (kubectl apply's default) rejects the
//! CRD instead, except inside `items`, `additionalProperties`, `additionalItems` and
//! `dependencies`, which apiextensions decodes with a non-strict decoder of their own.
//! Followed: the `json` tags of `k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1`
//! (types.go, types_jsonschema.go), `k8s.io/apimachinery/pkg/apis/meta/v1` (ObjectMeta) and the
//! UnmarshalJSON methods of `apiextensions/v1/marshal.go`.

use crate::lint::walk::schema_node::{At, SCHEMA_KEYS, is_schema_key, nearest};
use crate::lint::{Finding, Rule, SchemaSite};
use crate::source::Span;
use crate::wording::go_quote;
use crate::yaml::{Node, Value};

pub const ID: &str = "crd/unknown-field";

pub const RULE: Rule = Rule {
    document: Some(check),
    version_schema: Some(on_version_schema),
    ..Rule::new(ID)
};

const EXTERNAL_DOCS_KEYS: [&str; 2] = ["description", "url"];
const VALIDATION_RULE_KEYS: [&str; 6] = [
    "rule",
    "message",
    "messageExpression",
    "reason",
    "fieldPath",
    "optionalOldSelf",
];

/// The parts of a CRD object, by the Go type that decodes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    /// A scalar or a list of scalars.
    Leaf,
    /// Any keys (labels, annotations, fieldsV1).
    Free,
    /// `openAPIV3Schema`: checked by [`check_schema`] with the schema rules.
    Schema,
    Crd,
    ObjectMeta,
    OwnerReference,
    ManagedFields,
    Spec,
    Names,
    Version,
    Validation,
    Subresources,
    StatusSubresource,
    Scale,
    Column,
    SelectableField,
    Conversion,
    Webhook,
    ClientConfig,
    Service,
    Status,
    Condition,
}

/// The fields of each object type (a list field has its element type).
fn fields(t: Ty) -> &'static [(&'static str, Ty)] {
    use Ty::*;
    match t {
        Crd => &[
            ("apiVersion", Leaf),
            ("kind", Leaf),
            ("metadata", ObjectMeta),
            ("spec", Spec),
            ("status", Status),
        ],
        ObjectMeta => &[
            ("name", Leaf),
            ("generateName", Leaf),
            ("namespace", Leaf),
            ("selfLink", Leaf),
            ("uid", Leaf),
            ("resourceVersion", Leaf),
            ("generation", Leaf),
            ("creationTimestamp", Leaf),
            ("deletionTimestamp", Leaf),
            ("deletionGracePeriodSeconds", Leaf),
            ("labels", Free),
            ("annotations", Free),
            ("ownerReferences", OwnerReference),
            ("finalizers", Leaf),
            ("managedFields", ManagedFields),
        ],
        OwnerReference => &[
            ("apiVersion", Leaf),
            ("kind", Leaf),
            ("name", Leaf),
            ("uid", Leaf),
            ("controller", Leaf),
            ("blockOwnerDeletion", Leaf),
        ],
        ManagedFields => &[
            ("manager", Leaf),
            ("operation", Leaf),
            ("apiVersion", Leaf),
            ("time", Leaf),
            ("fieldsType", Leaf),
            ("fieldsV1", Free),
            ("subresource", Leaf),
        ],
        Spec => &[
            ("group", Leaf),
            ("names", Names),
            ("scope", Leaf),
            ("versions", Version),
            ("conversion", Conversion),
            ("preserveUnknownFields", Leaf),
        ],
        Names => &[
            ("plural", Leaf),
            ("singular", Leaf),
            ("shortNames", Leaf),
            ("kind", Leaf),
            ("listKind", Leaf),
            ("categories", Leaf),
        ],
        Version => &[
            ("name", Leaf),
            ("served", Leaf),
            ("storage", Leaf),
            ("deprecated", Leaf),
            ("deprecationWarning", Leaf),
            ("schema", Validation),
            ("subresources", Subresources),
            ("additionalPrinterColumns", Column),
            ("selectableFields", SelectableField),
        ],
        Validation => &[("openAPIV3Schema", Schema)],
        Subresources => &[("status", StatusSubresource), ("scale", Scale)],
        StatusSubresource => &[],
        Scale => &[
            ("specReplicasPath", Leaf),
            ("statusReplicasPath", Leaf),
            ("labelSelectorPath", Leaf),
        ],
        Column => &[
            ("name", Leaf),
            ("type", Leaf),
            ("format", Leaf),
            ("description", Leaf),
            ("priority", Leaf),
            ("jsonPath", Leaf),
        ],
        SelectableField => &[("jsonPath", Leaf)],
        Conversion => &[("strategy", Leaf), ("webhook", Webhook)],
        Webhook => &[
            ("clientConfig", ClientConfig),
            ("conversionReviewVersions", Leaf),
        ],
        ClientConfig => &[("url", Leaf), ("service", Service), ("caBundle", Leaf)],
        Service => &[
            ("namespace", Leaf),
            ("name", Leaf),
            ("path", Leaf),
            ("port", Leaf),
        ],
        Status => &[
            ("conditions", Condition),
            ("acceptedNames", Names),
            ("storedVersions", Leaf),
            ("observedGeneration", Leaf),
        ],
        Condition => &[
            ("type", Leaf),
            ("status", Leaf),
            ("lastTransitionTime", Leaf),
            ("reason", Leaf),
            ("message", Leaf),
            ("observedGeneration", Leaf),
        ],
        Leaf | Free | Schema => &[],
    }
}

/// `full` is the field's path, `key` its last part, `owner` what has no such field.
fn unknown(
    full: &str,
    key: &str,
    known: &[&str],
    owner: &str,
    strict: bool,
    span: Span,
) -> Finding {
    let consequence = if strict {
        "the API server drops it, and rejects the CRD under strict field validation (kubectl apply's default)"
    } else {
        "the API server drops it, even under strict field validation (this part of a schema is decoded without it)"
    };
    let help = match nearest(key, known) {
        Some(k) => format!("did you mean {}?", go_quote(k)),
        None if key.starts_with("x-kubernetes-patch-") => {
            "patch strategies apply to built-in types only; custom resources merge lists by `x-kubernetes-list-type` and `x-kubernetes-list-map-keys`".into()
        }
        None => format!("remove it; {owner} has no such field"),
    };
    Finding::new(
        ID,
        format!("unknown field {}: {consequence}", go_quote(full)),
        span,
    )
    .with_help(help)
    .with_field(full.to_string())
}

/// `path` gives the node's path: built only for a finding (most nodes have none).
fn check_keys(
    n: &Node,
    path: impl Fn() -> String,
    known: &[&str],
    owner: &str,
    strict: bool,
    out: &mut Vec<Finding>,
) {
    for e in n.as_map().unwrap_or_default() {
        if !known.contains(&e.key.as_str()) {
            let full = format!("{}.{}", path(), e.key);
            out.push(unknown(&full, &e.key, known, owner, strict, e.key_span));
        }
    }
}

fn walk_object(n: &Node, t: Ty, path: &str, out: &mut Vec<Finding>) {
    match &n.value {
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_object(item, t, &format!("{path}[{i}]"), out);
            }
        }
        Value::Map(entries) => {
            if matches!(t, Ty::Leaf | Ty::Free | Ty::Schema) {
                return;
            }
            let known = fields(t);
            for e in entries {
                let p = if path.is_empty() {
                    e.key.to_string()
                } else {
                    format!("{path}.{}", e.key)
                };
                match known.iter().find(|(k, _)| *k == e.key) {
                    Some((_, sub)) => walk_object(&e.value, *sub, &p, out),
                    None => {
                        let names: Vec<&str> = known.iter().map(|(k, _)| *k).collect();
                        out.push(unknown(&p, &e.key, &names, "this object", true, e.key_span));
                    }
                }
            }
        }
        _ => {}
    }
}

/// Unknown keys in the CRD object, outside its schemas.
pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    walk_object(root, Ty::Crd, "", problems);
}

fn walk_schema(at: &At, strict: bool, out: &mut Vec<Finding>) {
    // The schema keywords by their faster lookup (every key of every schema node is one);
    // check_keys for the keys that are not.
    if let Some(map) = at.node.as_map()
        && !map.iter().all(|e| is_schema_key(&e.key))
    {
        check_keys(at.node, || at.path(), &SCHEMA_KEYS, "a schema", strict, out);
    }
    if let Some(docs) = at.get("externalDocs").filter(|d| d.as_map().is_some()) {
        check_keys(
            docs,
            || at.field("externalDocs"),
            &EXTERNAL_DOCS_KEYS,
            "externalDocs",
            strict,
            out,
        );
    }
    for (i, rule) in at
        .get("x-kubernetes-validations")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        check_keys(
            rule,
            || format!("{}.x-kubernetes-validations[{i}]", at.path()),
            &VALIDATION_RULE_KEYS,
            "a validation rule",
            strict,
            out,
        );
    }
    let h = at.holders();
    // Decoded by JSONSchemaPropsOrArray/OrBool/OrStringArray.UnmarshalJSON: not strict.
    for e in [h.items, h.additional_properties, h.additional_items] {
        if let Some(c) = at.child_in(e) {
            walk_schema(&c, false, out);
        }
    }
    for c in at.list_in(h.items) {
        walk_schema(&c, false, out);
    }
    for c in at.map_in(h.dependencies) {
        walk_schema(&c, false, out);
    }
    if let Some(c) = at.child_in(h.not) {
        walk_schema(&c, strict, out);
    }
    for e in [h.all_of, h.any_of, h.one_of] {
        for c in at.list_in(e) {
            walk_schema(&c, strict, out);
        }
    }
    for (_, p) in at.properties_in(h.properties) {
        walk_schema(&p, strict, out);
    }
    for e in [h.pattern_properties, h.definitions] {
        for c in at.map_in(e) {
            walk_schema(&c, strict, out);
        }
    }
}

/// Unknown keys in a version's schema.
/// The hook: the schema at its path in the document, as strict decoding of the CRD object reports it.
pub fn on_version_schema(site: &SchemaSite, problems: &mut Vec<Finding>) {
    check_schema(&At::new(site.node, site.doc_path, site.anchor), problems);
}

pub fn check_schema(root: &At, problems: &mut Vec<Finding>) {
    walk_schema(root, true, problems);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(yaml: &str) -> Vec<(String, Option<String>)> {
        let node = crate::yaml::parse_stream(yaml).remove(0).root.unwrap();
        let mut out = Vec::new();
        check(&node, &mut out);
        out.into_iter().map(|p| (p.message, p.help)).collect()
    }

    #[test]
    fn suggestions() {
        let keys = &SCHEMA_KEYS;
        assert_eq!(nearest("requried", keys), Some("required"));
        assert_eq!(
            nearest("x-kubernetes-list-typ", keys),
            Some("x-kubernetes-list-type")
        );
        assert_eq!(nearest("Description", keys), Some("description"));
        assert_eq!(nearest("enums", keys), Some("enum"));
        assert_eq!(nearest("x-kubernetes-patch-merge-key", keys), None);
    }

    #[test]
    fn crd_object_keys() {
        let p = object(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a.b.c\n  labels: {anything: goes}\n  creationTimestamp: null\nspec:\n  group: b.c\n  versions:\n    - name: v1\n      servd: true\n      schema:\n        openAPIV3Schema: {type: object, whatever: 1}\n      subresources: {status: {enabled: true}}\nstatus: {acceptedNames: {kind: ''}, storedVersions: []}\nextra: 1\n",
        );
        assert_eq!(
            p,
            vec![
                (
                    "unknown field \"spec.versions[0].servd\": the API server drops it, and rejects the CRD under strict field validation (kubectl apply's default)".to_string(),
                    Some("did you mean \"served\"?".to_string())
                ),
                (
                    "unknown field \"spec.versions[0].subresources.status.enabled\": the API server drops it, and rejects the CRD under strict field validation (kubectl apply's default)".to_string(),
                    Some("remove it; this object has no such field".to_string())
                ),
                (
                    "unknown field \"extra\": the API server drops it, and rejects the CRD under strict field validation (kubectl apply's default)".to_string(),
                    Some("remove it; this object has no such field".to_string())
                ),
            ]
        );
    }

    #[test]
    fn schema_keys() {
        let p = crate::lint::walk::schema_node::tests::run(
            "type: object\nrequried: [spec]\nproperties:\n  spec:\n    type: object\n    default: {anything: 1}\n    x-kubernetes-validations: [{rule: 'true', mesage: m}]\n    properties:\n      tags: {type: array, items: {type: string, maxLenght: 3}}\n",
            check_schema,
        );
        assert_eq!(
            p,
            vec![
                "unknown field \"s.requried\": the API server drops it, and rejects the CRD under strict field validation (kubectl apply's default)",
                "unknown field \"s.properties[spec].x-kubernetes-validations[0].mesage\": the API server drops it, and rejects the CRD under strict field validation (kubectl apply's default)",
                "unknown field \"s.properties[spec].properties[tags].items.maxLenght\": the API server drops it, even under strict field validation (this part of a schema is decoded without it)",
            ]
        );
    }
}
