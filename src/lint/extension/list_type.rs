//! `extension/list-type`: `x-kubernetes-list-type` is `atomic`, `set` or `map`, only on
//! `type: array`; the items of a `set` are atomic (scalars, `x-kubernetes-list-type: atomic`
//! lists or `x-kubernetes-map-type: atomic` objects: a set of objects cannot be merged element
//! by element), and the items of a `set` or `map` list are not `nullable`.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionOpenAPISchema with requireAtomicSetType, and
//! validateMapListKeysMapSet). For object items the server prints the item's own
//! `x-kubernetes-list-type` as the bad value, which is usually unset: `Invalid value: "null"`.

use crate::lint::walk::schema_node::{At, OpenApi, forbidden, invalid, not_supported, require_type, string};
use crate::lint::{Finding, Rule};
use crate::yaml::Value;

pub const ID: &str = "extension/list-type";

pub const RULE: Rule = Rule {
    openapi: Some(on_openapi),
    ..Rule::new(ID)
};
const KEY: &str = "x-kubernetes-list-type";
const ATOMIC_SET: &str = "must be atomic as item of a list with x-kubernetes-list-type=set";

/// The checks at one node of the OpenAPI-schema walk.
pub fn on_openapi(at: &At, _ctx: &OpenApi, problems: &mut Vec<Finding>) {
    let Some(list_type) = at.get(KEY) else {
        return;
    };
    let value = list_type.as_str().unwrap_or_default();
    let detail = "must be array if x-kubernetes-list-type is specified";
    if require_type(at, ID, KEY, "array", detail, problems)
        && let Some(items) = at.child("items").filter(|_| value == "set")
    {
        set_items(&items, problems);
    }
    if !matches!(value, "atomic" | "set" | "map") {
        problems.push(not_supported(
            ID,
            at.field(KEY),
            value,
            &["atomic", "set", "map"],
            list_type.span,
        ));
    }
    if let Some(items) = at.child("items")
        && matches!(value, "set" | "map")
        && items.flag("nullable")
    {
        problems.push(forbidden(
            ID,
            items.field("nullable"),
            &format!("cannot be nullable when x-kubernetes-list-type is {value}"),
            items.key_span("nullable"),
        ));
    }
}

fn set_items(items: &At, problems: &mut Vec<Finding>) {
    let item_list_type = items.get(KEY).and_then(|n| n.as_str());
    match items.ty() {
        "array" => {
            if let Some(lt) = item_list_type.filter(|lt| *lt != "atomic") {
                problems.push(invalid(
                    ID,
                    items.field(KEY),
                    string(lt),
                    ATOMIC_SET,
                    items.value_span(KEY),
                ));
            }
        }
        "object" if items.str("x-kubernetes-map-type") != "atomic" => {
            let bad = item_list_type.map(string).unwrap_or(Value::Null);
            let mut p = invalid(
                ID,
                items.field("x-kubernetes-map-type"),
                bad,
                ATOMIC_SET,
                items
                    .node
                    .get("x-kubernetes-map-type")
                    .map(|n| n.span)
                    .unwrap_or(items.anchor),
            );
            p.help = Some(
                "add `x-kubernetes-map-type: atomic` to the items, or make the list `x-kubernetes-list-type: map` with `x-kubernetes-list-map-keys`".into(),
            );
            problems.push(p);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::tests::run_openapi;

    #[test]
    fn list_types() {
        let p = run_openapi(
            "type: object\nproperties:\n  a: {type: object, x-kubernetes-list-type: set}\n  b: {type: array, x-kubernetes-list-type: bag, items: {type: string}}\n  c: {type: array, x-kubernetes-list-type: set, items: {type: object, properties: {x: {type: string}}}}\n  d: {type: array, x-kubernetes-list-type: set, items: {type: object, x-kubernetes-map-type: atomic}}\n  e: {type: array, x-kubernetes-list-type: set, items: {type: string, nullable: true}}\n",
            super::on_openapi,
        );
        assert_eq!(
            p,
            vec![
                "s.properties[a].type: Invalid value: \"object\": must be array if x-kubernetes-list-type is specified",
                "s.properties[b].x-kubernetes-list-type: Unsupported value: \"bag\": supported values: \"atomic\", \"set\", \"map\"",
                "s.properties[c].items.x-kubernetes-map-type: Invalid value: null: must be atomic as item of a list with x-kubernetes-list-type=set",
                "s.properties[e].items.nullable: Forbidden: cannot be nullable when x-kubernetes-list-type is set",
            ]
        );
    }
}
