//! `metadata` of a custom resource (and of embedded resources).
//!
//! Two steps, as the API server does them:
//! 1. decoding into ObjectMeta (apiextensions-apiserver `pkg/apiserver/schema/objectmeta/coerce.go`):
//!    a field of the wrong JSON type fails the decode, an unknown field is an unknown field;
//! 2. apimachinery `pkg/api/validation/objectmeta.go` ValidateObjectMetaAccessor with
//!    NameIsDNSSubdomain: name or generateName, labels, annotations, finalizers, generation.

use super::field_error::{BadValue, ErrorType, FieldError};
use super::k8s_names;
use super::path;
use crate::source::Span;
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

/// The first value under `node` (itself or an element) whose JSON kind does not fit `ty`.
fn mismatch<'a>(node: &'a Node, ty: &str) -> Option<(&'a Node, &'static str)> {
    let ok = |n: &Node, want: &str| -> bool {
        match (&n.value, want) {
            (Value::Null, _) => true,
            (Value::String(_), "string" | "v1.Time") => true,
            (Value::Int(_), "int64") => true,
            (Value::Map(_), "object") => true,
            _ => false,
        }
    };
    match ty {
        "map[string]string" => match &node.value {
            Value::Null => None,
            Value::Map(entries) => entries
                .iter()
                .find(|e| !ok(&e.value, "string"))
                .map(|e| (&e.value, "string")),
            _ => Some((node, "map[string]string")),
        },
        "[]string" | "[]v1.OwnerReference" | "[]v1.ManagedFieldsEntry" => {
            let elem = if ty == "[]string" { "string" } else { "object" };
            let elem_go = &ty[2..];
            match &node.value {
                Value::Null => None,
                Value::Seq(items) => items.iter().find(|i| !ok(i, elem)).map(|i| {
                    (
                        i,
                        if elem_go == "string" {
                            "string"
                        } else if elem_go == "v1.OwnerReference" {
                            "v1.OwnerReference"
                        } else {
                            "v1.ManagedFieldsEntry"
                        },
                    )
                }),
                _ => Some((node, static_ty(ty))),
            }
        }
        other => (!ok(node, other)).then_some((node, static_ty(other))),
    }
}

fn static_ty(t: &str) -> &'static str {
    match t {
        "string" => "string",
        "int64" => "int64",
        "v1.Time" => "v1.Time",
        "[]string" => "[]string",
        "[]v1.OwnerReference" => "[]v1.OwnerReference",
        "[]v1.ManagedFieldsEntry" => "[]v1.ManagedFieldsEntry",
        _ => "map[string]string",
    }
}

/// Step 1: decode `metadata` (at `at`, e.g. `metadata` or `spec.template.metadata`).
/// Returns false when decoding failed (the server stops there for this object).
pub fn decode(meta: &Node, at: &str, out: &mut Vec<FieldError>) -> bool {
    let Value::Map(entries) = &meta.value else {
        if meta.is_null() {
            return true;
        }
        out.push(FieldError::new(
            "metadata/decode",
            ErrorType::Invalid,
            at,
            BadValue::Value(meta.value.clone()),
            format!(
                "json: cannot unmarshal {} into Go value of type v1.ObjectMeta",
                json_kind(&meta.value)
            ),
            meta.span,
        ));
        return false;
    };
    let mut ok = true;
    for e in entries {
        match go_type(&e.key) {
            None => out.push(FieldError::new(
                super::prune::RULE,
                ErrorType::Invalid,
                path::child(at, &e.key),
                BadValue::Omit,
                "",
                e.key_span,
            )),
            Some(ty) => {
                if let Some((bad, want)) = mismatch(&e.value, ty) {
                    let field = if let Value::Int(_) | Value::Float(_) = bad.value {
                        json_kind(&bad.value)
                    } else {
                        json_kind(&bad.value)
                    };
                    out.push(FieldError::new(
                        "metadata/decode",
                        ErrorType::Invalid,
                        at,
                        BadValue::Value(meta.value.clone()),
                        format!(
                            "json: cannot unmarshal {field} into Go struct field ObjectMeta.{} of type {want}",
                            e.key
                        ),
                        bad.span,
                    ));
                    ok = false;
                }
            }
        }
    }
    ok
}

fn str_field<'a>(meta: &'a Node, key: &str) -> Option<(&'a str, Span)> {
    meta.get(key).and_then(|n| n.as_str().map(|s| (s, n.span)))
}

/// Step 2: ObjectMeta validation. `require_name` is true for the resource itself and false
/// for embedded resources (whose metadata is optional).
pub fn validate(
    meta: Option<&Node>,
    at: &str,
    require_name: bool,
    namespaced: bool,
    anchor: Span,
    out: &mut Vec<FieldError>,
) {
    let empty = Node::new(Value::Map(Vec::new()), anchor);
    let meta = meta.unwrap_or(&empty);
    let invalid = |field: &str, value: &str, msg: String, span: Span| {
        FieldError::new(
            "metadata/name",
            ErrorType::Invalid,
            path::child(at, field),
            value,
            msg,
            span,
        )
    };
    let generate_name = str_field(meta, "generateName").filter(|(s, _)| !s.is_empty());
    if let Some((g, span)) = generate_name {
        for msg in k8s_names::name_is_dns_subdomain(g, true) {
            out.push(invalid("generateName", g, msg, span));
        }
    }
    match str_field(meta, "name").filter(|(s, _)| !s.is_empty()) {
        Some((name, span)) => {
            for msg in k8s_names::name_is_dns_subdomain(name, false) {
                out.push(invalid("name", name, msg, span));
            }
        }
        None if require_name && generate_name.is_none() => out.push(FieldError::required(
            "metadata/name",
            path::child(at, "name"),
            k8s_names::NAME_OR_GENERATE_NAME_REQUIRED,
            meta.span,
        )),
        None => {}
    }
    if let Some((ns, span)) = str_field(meta, "namespace").filter(|(s, _)| !s.is_empty()) {
        if namespaced {
            for msg in k8s_names::name_is_dns_label(ns, false) {
                out.push(FieldError::new(
                    "metadata/namespace",
                    ErrorType::Invalid,
                    path::child(at, "namespace"),
                    ns,
                    msg,
                    span,
                ));
            }
        }
    }
    if let Some(g) = meta.get("generation").and_then(Node::as_i64) {
        if g < 0 {
            out.push(FieldError::new(
                "metadata/generation",
                ErrorType::Invalid,
                path::child(at, "generation"),
                g,
                k8s_names::IS_NEGATIVE_ERROR_MSG,
                meta.get("generation").map(|n| n.span).unwrap_or(anchor),
            ));
        }
    }
    if let Some(labels) = meta.get("labels").and_then(Node::as_map) {
        let p = path::child(at, "labels");
        for e in labels {
            for msg in k8s_names::is_qualified_name(&e.key) {
                out.push(FieldError::new(
                    "metadata/labels",
                    ErrorType::Invalid,
                    p.clone(),
                    e.key.as_str(),
                    msg,
                    e.key_span,
                ));
            }
            let v = e.value.as_str().unwrap_or_default();
            for msg in k8s_names::is_valid_label_value(v) {
                out.push(FieldError::new(
                    "metadata/labels",
                    ErrorType::Invalid,
                    p.clone(),
                    v,
                    msg,
                    e.value.span,
                ));
            }
        }
    }
    if let Some(annotations) = meta.get("annotations").and_then(Node::as_map) {
        let p = path::child(at, "annotations");
        for e in annotations {
            for msg in k8s_names::annotation_key_errors(&e.key) {
                out.push(FieldError::new(
                    "metadata/annotations",
                    ErrorType::Invalid,
                    p.clone(),
                    e.key.as_str(),
                    msg,
                    e.key_span,
                ));
            }
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
            for msg in k8s_names::is_qualified_name(v) {
                out.push(FieldError::new(
                    "metadata/finalizers",
                    ErrorType::Invalid,
                    p.clone(),
                    v,
                    msg,
                    f.span,
                ));
            }
        }
    }
}
