//! `x-kubernetes-list-type: set | map` invariants, checked after defaulting as
//! apiextensions-apiserver `pkg/apiserver/schema/listtype/validation.go` does.

use super::path;
use crate::model::schema::{ListType, Schema};
use crate::wording::{BadValue, ErrorType, FieldError};
use crate::yaml::{Entry, Node, Value};

pub fn validate(node: &Node, s: &Schema, at: &str, out: &mut Vec<FieldError>) {
    match &node.value {
        Value::Seq(items) => {
            match s.list_type {
                Some(ListType::Set) => validate_set(items, at, out),
                Some(ListType::Map) => validate_map(items, &s.list_map_keys, at, out),
                _ => {}
            }
            if let Some(item_schema) = &s.items {
                for (i, item) in items.iter().enumerate() {
                    validate(item, item_schema, &path::index(at, i), out);
                }
            }
        }
        Value::Map(entries) => {
            for e in entries {
                if let Some(prop) = s.property_schema(&e.key) {
                    validate(&e.value, prop, &path::child(at, &e.key), out);
                }
            }
        }
        _ => {}
    }
}

fn duplicate(rule: &'static str, at: &str, i: usize, value: Value, node: &Node) -> FieldError {
    FieldError::new(
        rule,
        ErrorType::Duplicate,
        path::index(at, i),
        BadValue::Value(value),
        "",
        node.span,
    )
}

/// Each duplicated value is reported once, at its second occurrence.
fn validate_set(items: &[Node], at: &str, out: &mut Vec<FieldError>) {
    let mut seen: Vec<(&Value, usize)> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match seen.iter_mut().find(|(v, _)| v.json_eq(&item.value)) {
            Some((_, times)) => {
                *times += 1;
                if *times == 2 {
                    out.push(duplicate(
                        "schema/list-set-duplicate",
                        at,
                        i,
                        item.value.clone(),
                        item,
                    ));
                }
            }
            None => seen.push((&item.value, 1)),
        }
    }
}

fn validate_map(items: &[Node], keys: &[String], at: &str, out: &mut Vec<FieldError>) {
    for (i, item) in items.iter().enumerate() {
        if !matches!(item.value, Value::Map(_) | Value::Null) {
            out.push(FieldError::new(
                "schema/list-map-item",
                ErrorType::Invalid,
                path::index(at, i),
                BadValue::Value(item.value.clone()),
                "must be an object for an array of list-type map",
                item.span,
            ));
            return;
        }
    }
    let key_values = |item: &Node| -> Vec<Entry> {
        keys.iter().filter_map(|k| item.entry(k).cloned()).collect()
    };
    let mut seen: Vec<Vec<Entry>> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if item.is_null() {
            continue;
        }
        let kv = key_values(item);
        let same = |other: &Vec<Entry>| {
            other.len() == kv.len()
                && other
                    .iter()
                    .zip(&kv)
                    .all(|(a, b)| a.key == b.key && a.value.value.json_eq(&b.value.value))
        };
        if seen.iter().any(same) {
            out.push(duplicate(
                "schema/list-map-duplicate",
                at,
                i,
                Value::Map(kv),
                item,
            ));
        } else {
            seen.push(kv);
        }
    }
}

/// Built-in kinds are not held to their schemas' list types by the server: native validation
/// refuses duplicate containers, volumes and Service ports, and accepts other duplicates with
/// a warning (`spec.containers[0].ports[1]: duplicate port definition with ...`, an env var
/// that "hides previous definition"; kubernetes `pkg/api/pod/warnings.go`). So only those
/// lists' duplicates stay errors; the rest are warnings.
pub fn as_native_validation(e: &mut FieldError) {
    if !matches!(
        e.rule,
        "schema/list-map-duplicate" | "schema/list-set-duplicate"
    ) {
        return;
    }
    let list = e.path.rsplit_once('[').map_or("", |(list, _)| list);
    let name = list.rsplit('.').next().unwrap_or_default();
    let refused = matches!(
        name,
        "containers" | "initContainers" | "ephemeralContainers" | "volumes"
    ) || list == "spec.ports";
    if !refused {
        e.server_warns = true;
        e.help = Some("the API server accepts duplicate entries in this list of a built-in kind, with a warning; they still mean that one entry hides another".into());
    }
}
