//! Defaulting before validation, as apiextensions-apiserver
//! `pkg/apiserver/schema/defaulting/algorithm.go` does it: a missing property (or a `null` in a
//! non-nullable one) takes its default; defaults are then walked too, so nested defaults apply.

use crate::model::schema::Schema;
use crate::yaml::{Entry, Node, Value};

fn is_non_nullable_null(n: &Node, s: &Schema) -> bool {
    n.is_null() && !s.nullable
}

pub fn apply(node: &mut Node, s: &Schema) {
    let parent_span = node.span;
    match &mut node.value {
        Value::Map(entries) => {
            for (k, prop) in &s.properties {
                let Some(default) = &prop.default else {
                    continue;
                };
                match entries.iter_mut().find(|e| &e.key == k) {
                    Some(e) if is_non_nullable_null(&e.value, prop) => {
                        e.value = default.respanned(e.value.span);
                    }
                    Some(_) => {}
                    None => entries.push(Entry {
                        key: k.clone(),
                        key_span: parent_span,
                        value: default.respanned(parent_span),
                    }),
                }
            }
            for e in entries.iter_mut() {
                if let Some(prop) = s.property_schema(&e.key) {
                    apply(&mut e.value, prop);
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
