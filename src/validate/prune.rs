//! Unknown fields: structural pruning (apiextensions-apiserver
//! `pkg/apiserver/schema/pruning/algorithm.go`) reports every field the schema does not know, and
//! removes it, so that later stages see what the server would store. Under strict field
//! validation each one is an error.

use crate::model::schema::{AdditionalProperties, Schema};
use crate::wording::field_path as path;
use crate::wording::{BadValue, ErrorType, FieldError};
use crate::yaml::{Entry, Node, Value};

pub const RULE: &str = "schema/unknown-field";

const META_FIELDS: [&str; 3] = ["apiVersion", "kind", "metadata"];

/// Prune a resource from its root (where apiVersion, kind and metadata are implicit), and drop
/// the nulls its schema does not allow (apiextensions-apiserver
/// `PruneNonNullableNullsWithoutDefaults`, `defaulting/prunenulls.go`, which the server runs
/// right after pruning): a `null` map value whose schema is neither nullable nor defaulted is
/// dropped, as if it were not there (so `spec:` with only a comment under it is an absent
/// `spec`, and a required field left `null` is reported as `Required value`). List items stay.
/// Both in one walk: each decides for one entry alone, from its value and its schema, so the
/// entries kept are the same as with one walk after the other.
pub fn prune_root(node: &mut Node, schema: &Schema, out: &mut Vec<FieldError>) {
    prune(node, Some(schema), true, &mut String::new(), out);
}

/// Strict field validation's error for a field the schema does not declare.
pub fn unknown(path: String, span: crate::source::Span) -> FieldError {
    let message = format!("unknown field {}", crate::wording::go_quote(&path));
    FieldError::new(RULE, ErrorType::Invalid, path, BadValue::Omit, "", span)
        .with_own_message(message)
        .with_help("the schema does not declare this field; the API server rejects it under strict field validation (and drops it otherwise)")
}

fn additional(s: &Schema) -> Option<Option<&Schema>> {
    match &s.additional_properties {
        Some(AdditionalProperties::Schema(a)) => Some(Some(a)),
        Some(AdditionalProperties::Allowed(true)) => Some(None),
        _ => None,
    }
}

/// Whether the null pruning drops a map value of this schema.
fn null_dropped(value: &Node, s: &Schema) -> bool {
    value.is_null() && !s.nullable && s.default.is_none()
}

/// `at` is the node's path, in a buffer the walk extends and truncates as it goes down.
fn prune(
    node: &mut Node,
    s: Option<&Schema>,
    embedded: bool,
    at: &mut String,
    out: &mut Vec<FieldError>,
) {
    if let Some(s) = s.filter(|s| s.preserve_unknown_fields) {
        skip_prune(node, s, embedded, at, out);
        return;
    }
    match &mut node.value {
        Value::Map(entries) => {
            entries.retain_mut(|e| {
                if embedded && META_FIELDS.contains(&e.key.as_str()) {
                    return keep_null_pruned(e, s);
                }
                let len = path::push_child(at, &e.key);
                let keep = match s {
                    None => {
                        out.push(unknown(at.clone(), e.key_span));
                        false
                    }
                    Some(s) => {
                        if let Some(prop) = s.properties.get(e.key.as_str()) {
                            prune(&mut e.value, Some(prop), prop.embedded_resource, at, out);
                            !null_dropped(&e.value, prop)
                        } else if let Some(add) = additional(s) {
                            let emb = add.is_some_and(|a| a.embedded_resource);
                            prune(&mut e.value, add, emb, at, out);
                            !add.is_some_and(|a| null_dropped(&e.value, a))
                        } else {
                            out.push(unknown(at.clone(), e.key_span));
                            false
                        }
                    }
                };
                at.truncate(len);
                keep
            });
        }
        Value::Seq(items) => {
            let item_schema = s.and_then(|s| s.items.as_deref());
            let emb = item_schema.is_some_and(|i| i.embedded_resource);
            for (i, item) in items.iter_mut().enumerate() {
                let len = path::push_index(at, i);
                prune(item, item_schema, emb, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

fn skip_prune(
    node: &mut Node,
    s: &Schema,
    embedded: bool,
    at: &mut String,
    out: &mut Vec<FieldError>,
) {
    match &mut node.value {
        Value::Map(entries) => {
            entries.retain_mut(|e| {
                if embedded && META_FIELDS.contains(&e.key.as_str()) {
                    return keep_null_pruned(e, Some(s));
                }
                let len = path::push_child(at, &e.key);
                let keep = if let Some(prop) = s.properties.get(e.key.as_str()) {
                    prune(&mut e.value, Some(prop), prop.embedded_resource, at, out);
                    !null_dropped(&e.value, prop)
                } else if let Some(Some(add)) = additional(s) {
                    prune(&mut e.value, Some(add), add.embedded_resource, at, out);
                    !null_dropped(&e.value, add)
                } else {
                    true
                };
                at.truncate(len);
                keep
            });
        }
        Value::Seq(items) => {
            if let Some(item_schema) = s.items.as_deref() {
                for (i, item) in items.iter_mut().enumerate() {
                    let len = path::push_index(at, i);
                    skip_prune(item, item_schema, item_schema.embedded_resource, at, out);
                    at.truncate(len);
                }
            }
        }
        _ => {}
    }
}

/// The null pruning alone, for an entry the unknown-field pruning passes over (an embedded
/// resource's apiVersion, kind and metadata): whether the entry stays; its value is walked.
fn keep_null_pruned(e: &mut Entry, s: Option<&Schema>) -> bool {
    let schema = s.and_then(|s| s.property_schema(&e.key));
    if schema.is_some_and(|schema| null_dropped(&e.value, schema)) {
        return false;
    }
    prune_nulls(&mut e.value, schema);
    true
}

fn prune_nulls(node: &mut Node, s: Option<&Schema>) {
    // Without a schema nothing below is dropped: nothing to walk.
    if s.is_none() {
        return;
    }
    match &mut node.value {
        Value::Map(entries) => entries.retain_mut(|e| keep_null_pruned(e, s)),
        Value::Seq(items) => {
            let schema = s.and_then(|s| s.items.as_deref());
            for item in items {
                prune_nulls(item, schema);
            }
        }
        _ => {}
    }
}
