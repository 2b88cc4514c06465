//! `metadata` of a custom resource (and of embedded resources).
//!
//! Two steps, as the API server does them:
//! 1. decoding into ObjectMeta (apiextensions-apiserver `pkg/apiserver/schema/objectmeta/coerce.go`):
//!    a field of the wrong JSON type fails the decode (and the request, with that error alone),
//!    an unknown field is an unknown field;
//! 2. apimachinery `pkg/api/validation/objectmeta.go` ValidateObjectMetaAccessor with
//!    NameIsDNSSubdomain: name or generateName, labels, annotations, finalizers.

use super::k8s_names;
use crate::model::crd::NameRule;
use crate::source::Span;
use crate::wording::field_path as path;
use crate::wording::{BadValue, ErrorType, FieldError};
use crate::yaml::{Node, Value};

/// The Go type of each ObjectMeta field, as `json.Unmarshal` names it in its errors.
fn go_type(field: &str) -> Option<&'static str> {
    Some(match field {
        "name" | "generateName" | "namespace" | "selfLink" | "uid" | "resourceVersion" => "string",
        "generation" | "deletionGracePeriodSeconds" => "int64",
        "creationTimestamp" | "deletionTimestamp" => "v1.Time",
        "labels" | "annotations" => "map[string]string",
        "ownerReferences" => "[]v1.OwnerReference",
        "finalizers" => "[]string",
        "managedFields" => "[]v1.ManagedFieldsEntry",
        _ => return None,
    })
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Float(_) => "number",
        Value::String(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

/// Whether a JSON value decodes into the Go type `want` (null decodes into anything).
fn fits(n: &Node, want: &str) -> bool {
    matches!(
        (&n.value, want),
        (Value::Null, _)
            | (Value::String(_), "string" | "v1.Time")
            | (Value::Int(_), "int64")
            | (Value::Map(_), "object")
    )
}

/// The first value under `node` (itself or an element) that does not decode into Go type
/// `ty`, with the Go type it should have been.
fn mismatch<'a>(node: &'a Node, ty: &'static str) -> Option<(&'a Node, &'static str)> {
    let elem = match ty {
        "map[string]string" => {
            return match &node.value {
                Value::Null => None,
                Value::Map(entries) => entries
                    .iter()
                    .filter(|e| !fits(&e.value, "string"))
                    .min_by(|a, b| a.key.cmp(&b.key))
                    .map(|e| (&e.value, "string")),
                _ => Some((node, ty)),
            };
        }
        "[]string" => Some(("string", "string")),
        "[]v1.OwnerReference" => Some(("object", "v1.OwnerReference")),
        "[]v1.ManagedFieldsEntry" => Some(("object", "v1.ManagedFieldsEntry")),
        _ => None,
    };
    match (elem, &node.value) {
        (Some(_), Value::Null) => None,
        (Some((json, go)), Value::Seq(items)) => {
            items.iter().find(|i| !fits(i, json)).map(|i| (i, go))
        }
        (Some(_), _) => Some((node, ty)),
        (None, _) => (!fits(node, ty)).then_some((node, ty)),
    }
}

/// Step 1: decoding `metadata` into ObjectMeta (`json.Unmarshal` of its JSON, whose keys are
/// sorted): the error Go reports, which is the first field of the wrong type in key order
/// (Go keeps decoding after a type error and returns the first one), with the node to blame.
pub fn decode_error(meta: &Node) -> Option<(String, Span)> {
    let Value::Map(entries) = &meta.value else {
        if meta.is_null() {
            return None;
        }
        return Some((
            format!(
                "json: cannot unmarshal {} into Go value of type v1.ObjectMeta",
                json_kind(&meta.value)
            ),
            meta.span,
        ));
    };
    let mut sorted: Vec<&crate::yaml::Entry> = entries.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    sorted.into_iter().find_map(|e| {
        let ty = go_type(&e.key)?;
        let (bad, want) = mismatch(&e.value, ty)?;
        Some((
            format!(
                "json: cannot unmarshal {} into Go struct field ObjectMeta.{} of type {want}",
                json_kind(&bad.value),
                e.key
            ),
            bad.span,
        ))
    })
}

/// The metadata decoding error of a resource itself: the request is refused (400, "Kind in
/// version "v1" cannot be handled as a Kind: <error>") with this error alone; reported with
/// the error's own words, at `metadata`.
/// Followed: customresource_handler.go `unstructuredSchemaCoercer.apply` (the error of
/// objectmeta.GetObjectMetaWithOptions is returned as is).
pub fn root_decode_error(meta: &Node) -> Option<FieldError> {
    let (message, span) = decode_error(meta)?;
    Some(
        FieldError::new(
            "metadata/decode",
            ErrorType::Invalid,
            "metadata",
            BadValue::Omit,
            "",
            span,
        )
        .with_own_message(message)
        .with_help("the API server refuses the request when decoding it (400 Bad Request), before any other check, so no other error is reported"),
    )
}

/// The metadata decoding error of an embedded resource: objectmeta/algorithm.go `coerce`
/// returns `field.Invalid(pth.Child("metadata"), v, err.Error())`.
pub fn embedded_decode_error(meta: &Node, at: &str) -> Option<FieldError> {
    let (message, span) = decode_error(meta)?;
    Some(FieldError::new(
        "metadata/decode",
        ErrorType::Invalid,
        at,
        BadValue::Value(meta.value.clone()),
        message,
        span,
    ))
}

/// Strict decoding's unknown fields of ObjectMeta (`metadata.foo`).
pub fn unknown_fields(meta: &Node, at: &str, out: &mut Vec<FieldError>) {
    if let Value::Map(entries) = &meta.value {
        for e in entries {
            if go_type(&e.key).is_none() {
                out.push(super::prune::unknown(path::child(at, &e.key), e.key_span));
            }
        }
    }
}

/// One `field.Invalid(path, value, msg)` per message of a name validator.
fn push_invalid(
    out: &mut Vec<FieldError>,
    rule: &'static str,
    path: &str,
    value: &str,
    messages: Vec<String>,
    span: Span,
) {
    for msg in messages {
        out.push(FieldError::new(
            rule,
            ErrorType::Invalid,
            path,
            value,
            msg,
            span,
        ));
    }
}

fn str_field<'a>(meta: &'a Node, key: &str) -> Option<(&'a str, Span)> {
    meta.get(key).and_then(|n| n.as_str().map(|s| (s, n.span)))
}

/// The errors of a name (or, with `prefix`, a generateName) under a kind's name rule: the
/// resource's own (`NameIsDNSSubdomain` for a custom resource, the built-in kind's otherwise), or
/// `path.ValidatePathSegmentName` for an embedded resource (objectmeta/validation.go).
pub fn name_errors(rule: NameRule, name: &str, prefix: bool) -> Vec<String> {
    match rule {
        NameRule::Subdomain => k8s_names::name_is_dns_subdomain(name, prefix),
        NameRule::Label => k8s_names::name_is_dns_label(name, prefix),
        NameRule::ServiceName if k8s_names::name_is_dns_label(name, prefix).is_empty() => {
            Vec::new()
        }
        NameRule::ServiceName => k8s_names::name_is_dns1035_label(name, prefix),
        NameRule::PathSegment if prefix => k8s_names::is_valid_path_segment_prefix(name),
        NameRule::PathSegment => k8s_names::is_valid_path_segment_name(name),
    }
}

/// Step 2: ObjectMeta validation. `require_name` is true for the resource itself and false
/// for embedded resources (whose metadata is optional). `name_rule` validates name and
/// generateName.
#[allow(clippy::too_many_arguments)]
pub fn validate(
    meta: Option<&Node>,
    at: &str,
    require_name: bool,
    namespaced: bool,
    name_rule: NameRule,
    anchor: Span,
    out: &mut Vec<FieldError>,
) {
    let empty = Node::new(Value::Map(Vec::new()), anchor);
    let meta = meta.unwrap_or(&empty);
    let generate_name = str_field(meta, "generateName").filter(|(s, _)| !s.is_empty());
    if let Some((g, span)) = generate_name {
        let errors = name_errors(name_rule, g, true);
        push_invalid(
            out,
            "metadata/name",
            &path::child(at, "generateName"),
            g,
            errors,
            span,
        );
    }
    match str_field(meta, "name").filter(|(s, _)| !s.is_empty()) {
        Some((name, span)) => {
            let errors = name_errors(name_rule, name, false);
            push_invalid(
                out,
                "metadata/name",
                &path::child(at, "name"),
                name,
                errors,
                span,
            );
        }
        None if require_name && generate_name.is_none() => out.push(FieldError::required(
            "metadata/name",
            path::child(at, "name"),
            k8s_names::NAME_OR_GENERATE_NAME_REQUIRED,
            meta.span,
        )),
        None => {}
    }
    if let Some((ns, span)) = str_field(meta, "namespace").filter(|(s, _)| !s.is_empty())
        && namespaced
    {
        let errors = k8s_names::name_is_dns_label(ns, false);
        push_invalid(
            out,
            "metadata/namespace",
            &path::child(at, "namespace"),
            ns,
            errors,
            span,
        );
    }
    // `generation` is not checked: the server sets it to 1 on create (PrepareForCreate) and
    // manages it on update, so a value in a manifest is never validated.
    if let Some(labels) = meta.get("labels").and_then(Node::as_map) {
        let p = path::child(at, "labels");
        for e in labels {
            let key_errors = k8s_names::is_qualified_name(&e.key);
            push_invalid(out, "metadata/labels", &p, &e.key, key_errors, e.key_span);
            let v = e.value.as_str().unwrap_or_default();
            let value_errors = k8s_names::is_valid_label_value(v);
            push_invalid(out, "metadata/labels", &p, v, value_errors, e.value.span);
        }
    }
    if let Some(annotations) = meta.get("annotations").and_then(Node::as_map) {
        let p = path::child(at, "annotations");
        for e in annotations {
            let key_errors = k8s_names::annotation_key_errors(&e.key);
            push_invalid(
                out,
                "metadata/annotations",
                &p,
                &e.key,
                key_errors,
                e.key_span,
            );
        }
        let size = k8s_names::annotations_size(
            annotations
                .iter()
                .map(|e| (e.key.as_str(), e.value.as_str().unwrap_or_default())),
        );
        if size > k8s_names::TOTAL_ANNOTATION_SIZE_LIMIT_B {
            out.push(FieldError::new(
                "metadata/annotations",
                ErrorType::TooLong,
                p,
                "",
                k8s_names::annotations_too_long_detail(),
                meta.get("annotations").map(|n| n.span).unwrap_or(anchor),
            ));
        }
    }
    if let Some(finalizers) = meta.get("finalizers").and_then(Node::as_seq) {
        let p = path::child(at, "finalizers");
        for f in finalizers {
            let v = f.as_str().unwrap_or_default();
            push_invalid(
                out,
                "metadata/finalizers",
                &p,
                v,
                k8s_names::is_qualified_name(v),
                f.span,
            );
        }
    }
    if let Some(refs) = meta.get("ownerReferences").and_then(Node::as_seq) {
        owner_references(refs, &path::child(at, "ownerReferences"), out);
    }
}

/// An owner reference as Go marshals `metav1.OwnerReference` (field order, omitempty), the bad
/// value the server prints.
fn owner_reference_json(r: &Node) -> String {
    let s = |k: &str| crate::wording::go_quote(r.get(k).and_then(Node::as_str).unwrap_or(""));
    let mut out = format!(
        "{{\"apiVersion\":{},\"kind\":{},\"name\":{},\"uid\":{}",
        s("apiVersion"),
        s("kind"),
        s("name"),
        s("uid")
    );
    for k in ["controller", "blockOwnerDeletion"] {
        if let Some(b) = r.get(k).and_then(Node::as_bool) {
            out.push_str(&format!(",\"{k}\":{b}"));
        }
    }
    out.push('}');
    out
}

/// apimachinery `ValidateOwnerReferences`: apiVersion (its version part), kind, name and uid not
/// empty, `v1` Event never an owner, at most one controller. The errors name the list's path,
/// not the item's (`metadata.ownerReferences.uid`), as the server's do.
fn owner_references(refs: &[Node], at: &str, out: &mut Vec<FieldError>) {
    const RULE: &str = "metadata/owner-references";
    let mut first_controller: Option<String> = None;
    for r in refs {
        let text = |k: &str| r.get(k).and_then(Node::as_str).unwrap_or("");
        let span_of = |k: &str| r.get(k).map_or(r.span, |n| n.span);
        // schema.FromAPIVersionAndKind: a version only when apiVersion parses (at most one `/`).
        let api_version = text("apiVersion");
        let version = match api_version.split('/').collect::<Vec<_>>().as_slice() {
            [v] => *v,
            [_, v] => *v,
            _ => "",
        };
        let mut invalid = |key: &str, value: &str, detail: &str| {
            out.push(FieldError::new(
                RULE,
                ErrorType::Invalid,
                path::child(at, key),
                value,
                detail,
                span_of(key),
            ));
        };
        if version.is_empty() {
            invalid("apiVersion", api_version, "version must not be empty");
        }
        for key in ["kind", "name", "uid"] {
            if text(key).is_empty() {
                invalid(key, text(key), "must not be empty");
            }
        }
        if api_version == "v1" && text("kind") == "Event" {
            out.push(FieldError::new(
                RULE,
                ErrorType::Invalid,
                at,
                BadValue::Raw(owner_reference_json(r)),
                "/v1, Kind=Event is disallowed from being an owner",
                r.span,
            ));
        }
        if r.get("controller").and_then(Node::as_bool) == Some(true) {
            let current = format!("{}/{}", text("kind"), text("name"));
            match &first_controller {
                Some(first) => {
                    let all: Vec<String> = refs.iter().map(owner_reference_json).collect();
                    out.push(FieldError::new(
                        RULE,
                        ErrorType::Invalid,
                        at,
                        BadValue::Raw(format!("[{}]", all.join(","))),
                        format!("Only one reference can have Controller set to true. Found \"true\" in references for {first} and {current}"),
                        r.span,
                    ));
                }
                None => first_controller = Some(current),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_stream;

    fn node(text: &str) -> Node {
        parse_stream(text).remove(0).root.unwrap()
    }

    #[test]
    fn the_first_decoding_error_in_key_order() {
        // json.Unmarshal of the sorted JSON: labels (l) before name (n); within labels, key order.
        let m = node("name: 5\nlabels: {z: x, b: true, a: 1}\nfoo: bar");
        let e = root_decode_error(&m).unwrap();
        assert_eq!(
            e.message(),
            "json: cannot unmarshal number into Go struct field ObjectMeta.labels of type string"
        );
        assert_eq!(e.field(), "metadata");
        assert_eq!(
            root_decode_error(&node("[a]")).unwrap().message(),
            "json: cannot unmarshal array into Go value of type v1.ObjectMeta"
        );
        assert!(root_decode_error(&node("name: w\nfoo: 1")).is_none());
        let e = embedded_decode_error(&node("finalizers: [1]"), "spec.t.metadata").unwrap();
        assert_eq!(
            e.message(),
            r#"spec.t.metadata: Invalid value: {"finalizers":[1]}: json: cannot unmarshal number into Go struct field ObjectMeta.finalizers of type string"#
        );
    }
}
