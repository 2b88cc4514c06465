//! Defaulting before validation, as apiextensions-apiserver
//! `pkg/apiserver/schema/defaulting/algorithm.go` does it: a missing property (or a `null` in a
//! non-nullable property, map value or list item) takes its default; defaults are then walked
//! too, so nested defaults apply.

use crate::model::schema::{AdditionalProperties, Schema};
use crate::yaml::{Entry, Node, Value};

fn is_non_nullable_null(n: &Node, s: &Schema) -> bool {
    n.is_null() && !s.nullable
}

pub fn apply(node: &mut Node, s: &Schema) {
    // Nothing to default below: nothing changes (most of a resource's subtrees).
    if !s.below.may_have_defaults() {
        return;
    }
    let parent_span = node.span;
    match &mut node.value {
        Value::Map(entries) => {
            for (k, prop) in &s.properties {
                let Some(default) = &prop.default else {
                    continue;
                };
                match entries.iter_mut().find(|e| e.key == *k) {
                    Some(e) if is_non_nullable_null(&e.value, prop) => {
                        e.value = default.respanned(e.value.span);
                    }
                    Some(_) => {}
                    None => entries.push(Entry {
                        key: k.as_str().into(),
                        key_span: parent_span,
                        value: default.respanned(parent_span),
                    }),
                }
            }
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
