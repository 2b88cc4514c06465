//! `x-kubernetes-embedded-resource` objects: apiVersion and kind required and not empty,
//! apiVersion a group/version, kind a DNS-1035 label when lowercased, metadata validated like
//! any object's with path-segment names (name optional).
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/objectmeta/validation.go`.

use super::{k8s_names, object_meta};
use crate::model::schema::{AdditionalProperties, Schema};
use crate::wording::field_path as path;
use crate::wording::{BadValue, ErrorType, FieldError};
use crate::yaml::{Node, Value};

pub fn validate(node: &Node, s: &Schema, at: &str, is_root: bool, out: &mut Vec<FieldError>) {
    if !s.below.may_embed() {
        return;
    }
    if s.embedded_resource && !is_root {
        validate_embedded(node, at, out);
    }
    match &node.value {
        Value::Seq(items) => {
            if let Some(item_schema) = &s.items {
                for (i, item) in items.iter().enumerate() {
                    validate(item, item_schema, &path::index(at, i), false, out);
                }
            }
        }
        Value::Map(entries) => {
            for e in entries {
                // a property is pth.Child(k), a key of a map (additionalProperties) pth.Key(k)
                if let Some(sub) = s.properties.get(e.key.as_str()) {
                    validate(&e.value, sub, &path::child(at, &e.key), false, out);
                } else if let Some(AdditionalProperties::Schema(sub)) = &s.additional_properties {
                    validate(&e.value, sub, &path::key(at, &e.key), false, out);
                }
            }
        }
        _ => {}
    }
}

/// objectmeta/validation.go `validateEmbeddedResource`, after decoding (which already refused
/// an apiVersion or kind that is not a string, and metadata that does not decode).
fn validate_embedded(node: &Node, at: &str, out: &mut Vec<FieldError>) {
    if !matches!(node.value, Value::Map(_)) {
        return;
    }
    for (key, check) in [
        ("apiVersion", api_version as fn(&str) -> Option<String>),
        ("kind", kind),
    ] {
        let p = path::child(at, key);
        match node.entry(key) {
            // "require apiVersion and kind, but not metadata"
            None => out.push(FieldError::required(
                "schema/embedded-resource",
                p,
                "",
                node.span,
            )),
            Some(e) => {
                let Some(v) = e.value.as_str() else {
                    continue; // refused when decoding
                };
                let problem = if v.is_empty() {
                    Some("must not be empty".to_string())
                } else {
                    check(v)
                };
                if let Some(msg) = problem {
                    out.push(FieldError::new(
                        "schema/embedded-resource",
                        ErrorType::Invalid,
                        p,
                        v,
                        msg,
                        e.value.span,
                    ));
                }
            }
        }
    }
    let meta_path = path::child(at, "metadata");
    if let Some(meta) = node.get("metadata") {
        object_meta::unknown_fields(meta, &meta_path, out);
        // ValidateObjectMeta(meta, len(meta.Namespace) > 0, path.ValidatePathSegmentName, ...),
        // with the name "fakename" when empty.
        object_meta::validate(
            Some(meta),
            &meta_path,
            false,
            true,
            crate::model::crd::NameRule::PathSegment,
            node.span,
            out,
        );
    }
}

/// The decoding error of the embedded resources under `node` (objectmeta/algorithm.go `coerce`,
/// run on the pruned object when the request is decoded): an apiVersion or kind that is not a
/// string, or metadata that does not decode. The server returns the first it meets (in Go's
/// random map order; here, the first in the document) and refuses the request with it alone.
pub fn decode_error(node: &Node, s: &Schema, at: &str) -> Option<FieldError> {
    if !s.below.may_embed() {
        return None;
    }
    match &node.value {
        Value::Map(entries) => {
            if s.embedded_resource {
                for e in entries {
                    let p = path::child(at, &e.key);
                    match e.key.as_str() {
                        "apiVersion" | "kind" if e.value.as_str().is_none() => {
                            return Some(FieldError::new(
                                "schema/embedded-resource",
                                ErrorType::Invalid,
                                p,
                                BadValue::Value(e.value.value.clone()),
                                "must be a string",
                                e.value.span,
                            ));
                        }
                        "metadata" => {
                            if let Some(err) = object_meta::embedded_decode_error(&e.value, &p) {
                                return Some(err);
                            }
                        }
                        _ => {}
                    }
                }
            }
            entries.iter().find_map(|e| {
                if let Some(sub) = s.properties.get(e.key.as_str()) {
                    decode_error(&e.value, sub, &path::child(at, &e.key))
                } else if let Some(AdditionalProperties::Schema(sub)) = &s.additional_properties {
                    decode_error(&e.value, sub, &path::key(at, &e.key))
                } else {
                    None
                }
            })
        }
        Value::Seq(items) => s.items.as_deref().and_then(|item| {
            items
                .iter()
                .enumerate()
                .find_map(|(i, n)| decode_error(n, item, &path::index(at, i)))
        }),
        _ => None,
    }
}

/// `schema.ParseGroupVersion`'s error.
fn api_version(v: &str) -> Option<String> {
    (v.matches('/').count() > 1).then(|| format!("unexpected GroupVersion string: {v}"))
}

/// `IsDNS1035Label(strings.ToLower(kind))`, joined with ",".
fn kind(v: &str) -> Option<String> {
    let errs = k8s_names::is_dns1035_label(&v.to_lowercase());
    (!errs.is_empty()).then(|| {
        format!(
            "may have mixed case, but should otherwise match: {}",
            errs.join(",")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_stream;

    #[test]
    fn embedded_resources_as_validate_embedded_resource_words_them() {
        let s = parse_stream(
            "type: object
additionalProperties: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}",
        )
        .remove(0)
        .root
        .unwrap();
        let s = Schema::compile(&s, "s", &mut Vec::new());
        let v = parse_stream(
            "a: {apiVersion: '', metadata: {name: Bad_Name}}
b: {apiVersion: v1, kind: My_Kind, metadata: {name: a/b, generateName: x%}}",
        )
        .remove(0)
        .root
        .unwrap();
        let mut out = Vec::new();
        validate(&v, &s, "spec", false, &mut out);
        let got: Vec<String> = out.iter().map(FieldError::message).collect();
        assert_eq!(
            got,
            [
                r#"spec[a].apiVersion: Invalid value: "": must not be empty"#,
                "spec[a].kind: Required value",
                r#"spec[b].kind: Invalid value: "My_Kind": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#,
                r#"spec[b].metadata.generateName: Invalid value: "x%": may not contain '%'"#,
                r#"spec[b].metadata.name: Invalid value: "a/b": may not contain '/'"#,
            ]
        );
    }
}

#[cfg(test)]
mod decode_tests {
    use super::*;
    use crate::yaml::parse_stream;

    #[test]
    fn an_embedded_api_version_or_kind_must_be_a_string() {
        let s = parse_stream(
            "type: object
properties:
  t: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}",
        )
        .remove(0)
        .root
        .unwrap();
        let s = Schema::compile(&s, "s", &mut Vec::new());
        let v = parse_stream("t: {apiVersion: 1, kind: K}")
            .remove(0)
            .root
            .unwrap();
        assert_eq!(
            decode_error(&v, &s, "spec").map(|e| e.message()).as_deref(),
            Some("spec.t.apiVersion: Invalid value: 1: must be a string")
        );
        let v = parse_stream("t: {apiVersion: v1, kind: K, metadata: {labels: {a: 1}}}")
            .remove(0)
            .root
            .unwrap();
        assert_eq!(
            decode_error(&v, &s, "spec").map(|e| e.message()).as_deref(),
            Some(
                r#"spec.t.metadata: Invalid value: {"labels":{"a":1}}: json: cannot unmarshal number into Go struct field ObjectMeta.labels of type string"#
            )
        );
    }
}
