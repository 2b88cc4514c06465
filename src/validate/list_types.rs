//! `x-kubernetes-list-type: set | map` invariants, checked after defaulting as
//! apiextensions-apiserver `pkg/apiserver/schema/listtype/validation.go` does.
//! Followed: that file (validateListSet, validateListMap, ValidateListSetsAndMaps).

use crate::model::schema::{AdditionalProperties, ListType, Schema};
use crate::wording::field_path as path;
use crate::wording::{BadValue, ErrorType, FieldError};
use crate::yaml::{Entry, Node, Value};

pub fn validate(node: &Node, s: &Schema, at: &str, out: &mut Vec<FieldError>) {
    if s.below.may_have_set_or_map() {
        validate_in(node, s, &mut at.to_string(), out);
    }
}

/// [`validate`] with the path in a buffer the walk extends and truncates as it goes down.
fn validate_in(node: &Node, s: &Schema, at: &mut String, out: &mut Vec<FieldError>) {
    if !s.below.may_have_set_or_map() {
        return;
    }
    match &node.value {
        Value::Seq(items) => {
            match s.list_type {
                Some(ListType::Set) => validate_set(items, at, out),
                Some(ListType::Map) => validate_map(items, &s.list_map_keys, at, out),
                _ => {}
            }
            if let Some(item_schema) = &s.items {
                for (i, item) in items.iter().enumerate() {
                    let len = path::push_index(at, i);
                    validate_in(item, item_schema, at, out);
                    at.truncate(len);
                }
            }
        }
        Value::Map(entries) => {
            for e in entries {
                // ValidateListSetsAndMaps: a property is fldPath.Child(k), a key of a map
                // (additionalProperties) fldPath.Key(k), printed `[k]`.
                let (sub, len) = if let Some(prop) = s.properties.get(e.key.as_str()) {
                    (prop, path::push_child(at, &e.key))
                } else if let Some(AdditionalProperties::Schema(add)) = &s.additional_properties {
                    (&**add, path::push_key(at, &e.key))
                } else {
                    continue;
                };
                validate_in(&e.value, sub, at, out);
                at.truncate(len);
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

/// validation.go `validateListSet`: the index of the second occurrence of each value that
/// occurs more than once (a third occurrence is not reported again).
fn second_occurrences<T>(values: &[T], same: impl Fn(&T, &T) -> bool) -> Vec<usize> {
    let mut seen: Vec<(usize, usize)> = Vec::with_capacity(values.len()); // (first index, times)
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match seen.iter_mut().find(|(j, _)| same(&values[*j], v)) {
            Some((_, times)) => {
                *times += 1;
                if *times == 2 {
                    out.push(i);
                }
            }
            None => seen.push((i, 1)),
        }
    }
    out
}

fn validate_set(items: &[Node], at: &str, out: &mut Vec<FieldError>) {
    let values: Vec<&Value> = items.iter().map(|n| &n.value).collect();
    for i in second_occurrences(&values, |a, b| a.json_eq(b)) {
        out.push(duplicate(
            "schema/list-set-duplicate",
            at,
            i,
            items[i].value.clone(),
            &items[i],
        ));
    }
}

/// validation.go `validateListMap`: only objects and nulls; then the keys of the items are a
/// set. With one key field, an item without it (or a null item) has the "unspecified" key,
/// reported as `{}`; with several, each item's key is the object of the key fields it has
/// (`{}` for a null item).
fn validate_map<'a>(items: &'a [Node], keys: &[String], at: &str, out: &mut Vec<FieldError>) {
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
    if items.len() <= 1 {
        return;
    }
    let key_of = |item: &'a Node| -> Vec<&'a Entry> {
        if item.is_null() {
            return Vec::new();
        }
        keys.iter().filter_map(|k| item.entry(k)).collect()
    };
    let item_keys: Vec<Vec<&Entry>> = items.iter().map(key_of).collect();
    let same = |a: &Vec<&Entry>, b: &Vec<&Entry>| {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| x.key == y.key && x.value.value.json_eq(&y.value.value))
    };
    for i in second_occurrences(&item_keys, same) {
        out.push(duplicate(
            "schema/list-map-duplicate",
            at,
            i,
            Value::Map(item_keys[i].iter().map(|e| (*e).clone()).collect()),
            &items[i],
        ));
    }
}

/// Built-in kinds are not held to their schemas' list types by the server: native validation
/// refuses duplicate containers, volumes, volume mounts (`mountPath: must be unique`), Service
/// ports, admission webhooks (by name) and a policy binding's `validationActions`, and accepts
/// other duplicates with a warning (`spec.containers[0].ports[1]: duplicate port definition
/// with ...`, an env var that "hides previous definition"; kubernetes `pkg/api/pod/warnings.go`)
/// or silently. So only those lists' duplicates stay errors; the rest are warnings.
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
        "containers"
            | "initContainers"
            | "ephemeralContainers"
            | "volumes"
            | "volumeMounts"
            | "webhooks"
            | "validationActions"
    ) || list == "spec.ports";
    if !refused {
        e.server_warns = true;
        e.help = Some("the API server accepts duplicate entries in this list of a built-in kind, with a warning; they still mean that one entry hides another".into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_stream;

    fn messages(schema: &str, value: &str) -> Vec<String> {
        let s = parse_stream(schema).remove(0).root.unwrap();
        let s = Schema::compile(&s, "s", &mut Vec::new());
        let v = parse_stream(value).remove(0).root.unwrap();
        let mut out = Vec::new();
        validate(&v, &s, "spec", &mut out);
        out.iter().map(FieldError::message).collect()
    }

    const MAP_LIST: &str = "type: object
additionalProperties:
  type: array
  x-kubernetes-list-type: map
  x-kubernetes-list-map-keys: [name]
  items: {type: object, properties: {name: {type: string}}}";

    #[test]
    fn duplicates_once_at_the_second_occurrence_under_map_keys() {
        // validateListSet reports the second occurrence only; a key of a map is [k].
        assert_eq!(
            messages(MAP_LIST, "k.1: [{name: a}, {name: a}, {name: a}, {}, null]"),
            [
                r#"spec[k.1][1]: Duplicate value: {"name":"a"}"#,
                "spec[k.1][4]: Duplicate value: {}",
            ]
        );
        let set = "type: object
properties:
  s: {type: array, x-kubernetes-list-type: set, items: {type: integer}}";
        assert_eq!(
            messages(set, "s: [1, 2, 1, 1, 2]"),
            [
                "spec.s[2]: Duplicate value: 1",
                "spec.s[4]: Duplicate value: 2"
            ]
        );
    }
}
