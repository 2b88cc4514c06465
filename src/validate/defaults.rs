//! Defaulting before validation, as apiextensions-apiserver
//! `pkg/apiserver/schema/defaulting/algorithm.go` does it: a missing property (or a `null` in a
//! non-nullable property, map value or list item) takes its default; defaults are then walked
//! too, so nested defaults apply.

use crate::model::schema::{AdditionalProperties, Schema};
use crate::source::Span;
use crate::yaml::{Entry, Node, Value};

fn is_non_nullable_null(n: &Node, s: &Schema) -> bool {
    n.is_null() && !s.nullable
}

/// algorithm.go's first step on an object: a missing property (or a non-nullable `null` one)
/// takes its default, added after the object's keys in the properties' order. With `walk`, each
/// property's value is defaulted below too.
fn defaults_of_properties(entries: &mut Vec<Entry>, s: &Schema, parent_span: Span, walk: bool) {
    for (k, prop) in &s.properties {
        let below = walk && prop.below.may_have_defaults();
        if prop.default.is_none() && !below {
            continue;
        }
        let i = match entries.iter().position(|e| e.key == *k) {
            Some(i) => {
                if let Some(default) = &prop.default
                    && is_non_nullable_null(&entries[i].value, prop)
                {
                    entries[i].value = default.respanned(entries[i].value.span);
                }
                i
            }
            None => {
                let Some(default) = &prop.default else {
                    continue;
                };
                entries.push(Entry {
                    key: k.as_str().into(),
                    key_span: parent_span,
                    value: default.respanned(parent_span),
                });
                entries.len() - 1
            }
        };
        if below {
            apply(&mut entries[i].value, prop);
        }
    }
}

pub fn apply(node: &mut Node, s: &Schema) {
    // Nothing to default below: nothing changes (most of a resource's subtrees).
    if !s.below.may_have_defaults() {
        return;
    }
    let parent_span = node.span;
    match &mut node.value {
        Value::Map(entries)
            if matches!(
                s.additional_properties,
                Some(AdditionalProperties::Schema(_))
            ) =>
        {
            defaults_of_properties(entries, s, parent_span, false);
            for e in entries.iter_mut() {
                if let Some(prop) = s.properties.get(e.key.as_str()) {
                    apply(&mut e.value, prop);
                } else if let Some(AdditionalProperties::Schema(add)) = &s.additional_properties {
                    // algorithm.go: a non-nullable null value of a map takes the map's default.
                    if is_non_nullable_null(&e.value, add)
                        && let Some(d) = &add.default
                    {
                        e.value = d.respanned(e.value.span);
                    }
                    apply(&mut e.value, add);
                }
            }
        }
        // Without a map's schema only properties hold defaults: each property is defaulted and
        // walked in one step, found from the schema's side (keys are unique, and defaulting
        // one property changes nothing of another).
        Value::Map(entries) => defaults_of_properties(entries, s, parent_span, true),
        Value::Seq(items) => {
            let Some(item_schema) = s.items.as_deref() else {
                return;
            };
            for item in items.iter_mut() {
                if is_non_nullable_null(item, item_schema)
                    && let Some(d) = &item_schema.default
                {
                    *item = d.respanned(item.span);
                }
                apply(item, item_schema);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_stream;

    #[test]
    fn a_null_map_value_takes_the_maps_default() {
        let s = parse_stream("type: object\nadditionalProperties: {type: integer, default: 7}")
            .remove(0)
            .root
            .unwrap();
        let s = Schema::compile(&s, "s", &mut Vec::new());
        let mut v = parse_stream("a: null\nb: 1").remove(0).root.unwrap();
        apply(&mut v, &s);
        assert_eq!(v.to_json(), r#"{"a":7,"b":1}"#);
    }

    /// Defaults deep below (under a list's items, a property, a default's own properties) are
    /// reached: the walk passes over only subtrees with no default at all.
    #[test]
    fn defaults_deep_below_apply() {
        let s = parse_stream(
            "type: object\nproperties:\n  m: {type: object, properties: {x: {type: string}}}\n  a:\n    type: array\n    items:\n      type: object\n      properties:\n        b: {type: object, default: {}, properties: {c: {type: integer, default: 3}}}",
        )
        .remove(0)
        .root
        .unwrap();
        let s = Schema::compile(&s, "s", &mut Vec::new());
        let mut v = parse_stream("m: {x: null}\na: [{}, {b: {}}, {b: {c: 1}}]")
            .remove(0)
            .root
            .unwrap();
        apply(&mut v, &s);
        assert_eq!(
            v.to_json(),
            r#"{"a":[{"b":{"c":3}},{"b":{"c":3}},{"b":{"c":1}}],"m":{"x":null}}"#
        );
    }
}
