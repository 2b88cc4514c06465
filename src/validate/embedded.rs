//! `x-kubernetes-embedded-resource` objects: apiVersion and kind required, kind a DNS-1035
//! label when lowercased, metadata validated like any object's (name optional).
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/objectmeta/validation.go`.

use super::{k8s_names, object_meta, path};
use crate::model::schema::Schema;
use crate::wording::{ErrorType, FieldError};
use crate::yaml::{Node, Value};

pub fn validate(node: &Node, s: &Schema, at: &str, is_root: bool, out: &mut Vec<FieldError>) {
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
                if let Some(sub) = s.property_schema(&e.key) {
                    validate(&e.value, sub, &path::child(at, &e.key), false, out);
                }
            }
        }
        _ => {}
    }
}

fn validate_embedded(node: &Node, at: &str, out: &mut Vec<FieldError>) {
    if !matches!(node.value, Value::Map(_)) {
        return;
    }
    match node
        .get("apiVersion")
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty())
    {
        None => out.push(FieldError::required(
            "schema/embedded-resource",
            path::child(at, "apiVersion"),
            "must not be empty",
            node.span,
        )),
        Some(av) if av.matches('/').count() > 1 => out.push(FieldError::new(
            "schema/embedded-resource",
            ErrorType::Invalid,
            path::child(at, "apiVersion"),
            av,
            format!("unexpected GroupVersion string: {av}"),
            node.get("apiVersion").map(|n| n.span).unwrap_or(node.span),
        )),
        Some(_) => {}
    }
    match node
        .get("kind")
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty())
    {
        None => out.push(FieldError::required(
            "schema/embedded-resource",
            path::child(at, "kind"),
            "must not be empty",
            node.span,
        )),
        Some(kind) => {
            let errs = k8s_names::is_dns1035_label(&kind.to_lowercase());
            if !errs.is_empty() {
                out.push(FieldError::new(
                    "schema/embedded-resource",
                    ErrorType::Invalid,
                    path::child(at, "kind"),
                    kind,
                    errs.join(", "),
                    node.get("kind").map(|n| n.span).unwrap_or(node.span),
                ));
            }
        }
    }
    let meta_path = path::child(at, "metadata");
    if let Some(meta) = node.get("metadata")
        && object_meta::decode(meta, &meta_path, out)
    {
        object_meta::validate(
            Some(meta),
            &meta_path,
            false,
            true,
            crate::model::crd::NameRule::Subdomain,
            node.span,
            out,
        );
    }
}
