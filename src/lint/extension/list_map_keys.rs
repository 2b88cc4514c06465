//! `extension/list-map-keys`: a list with `x-kubernetes-list-type: map` names its keys in
//! `x-kubernetes-list-map-keys` (and only such a list may), its items are one object schema, and
//! each key is a distinct scalar property of the items that is `required` or has a `default` and
//! is not `nullable` (every item must have a key to be identified by).
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionOpenAPISchema and validateMapListKeysMapSet). For a key that
//! is an object or array the server prints the items' type as the bad value, not the key's.

use crate::lint::walk::schema_node::{At, OpenApi, forbidden, invalid, required, string};
use crate::lint::{Finding, Rule};
use crate::yaml::{Node, Value};

pub const ID: &str = "extension/list-map-keys";

pub const RULE: Rule = Rule {
    openapi: Some(on_openapi),
    ..Rule::new(ID)
};
const KEYS: &str = "x-kubernetes-list-map-keys";
const LIST_TYPE: &str = "x-kubernetes-list-type";

/// The checks at one node of the OpenAPI-schema walk.
pub fn on_openapi(at: &At, _ctx: &OpenApi, problems: &mut Vec<Finding>) {
    let keys_node = at.get(KEYS);
    let keys: Vec<&str> = keys_node
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .collect();
    let list_type = at.get(LIST_TYPE).and_then(Node::as_str);
    if !keys.is_empty() {
        let detail = "must be map if x-kubernetes-list-map-keys is non-empty";
        match list_type {
            None => problems.push(required(
                ID,
                at.field(LIST_TYPE),
                detail,
                at.key_span(KEYS),
            )),
            Some("map") => {}
            Some(lt) => problems.push(invalid(
                ID,
                at.field(LIST_TYPE),
                string(lt),
                detail,
                at.value_span(LIST_TYPE),
            )),
        }
    }
    if list_type != Some("map") {
        return;
    }
    if keys.is_empty() {
        problems.push(required(
            ID,
            at.field(KEYS),
            "must not be empty if x-kubernetes-list-type is map",
            at.key_span(LIST_TYPE),
        ));
    }
    let Some(items_node) = at.get("items") else {
        problems.push(required(
            ID,
            at.field("items"),
            "must have a schema if x-kubernetes-list-type is map",
            at.key_span(LIST_TYPE),
        ));
        return;
    };
    let Some(items) = at.child("items") else {
        // The server prints the Go struct of the item list here.
        let mut p = invalid(
            ID,
            at.field("items"),
            Value::Null,
            "must only have a single schema if x-kubernetes-list-type is map",
            items_node.span,
        );
        p.message = p.message.replacen(
            "Invalid value: null",
            "Invalid value: apiextensions.JSONSchemaPropsOrArray{...}",
            1,
        );
        problems.push(p);
        return;
    };
    let items_type = items.ty();
    if items_type != "object" {
        problems.push(invalid(
            ID,
            items.field("type"),
            string(items_type),
            "must be object if parent array's x-kubernetes-list-type is map",
            items
                .node
                .get("type")
                .map(|n| n.span)
                .unwrap_or(items.anchor),
        ));
    }
    let keys_value = || keys_node.map(|n| n.value.clone()).unwrap_or(Value::Null);
    let keys_span = keys_node.map(|n| n.span).unwrap_or(at.anchor);
    let required_keys: Vec<&str> = items
        .get("required")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .collect();
    let mut seen: Vec<&str> = Vec::new();
    for k in &keys {
        match items.property(k) {
            Some(p) => {
                if items_type == "object" && matches!(p.ty(), "array" | "object") {
                    problems.push(invalid(
                        ID,
                        p.field("type"),
                        string(items_type),
                        "must be a scalar type if parent array's x-kubernetes-list-type is map",
                        p.value_span("type"),
                    ));
                }
                // validateMapListKeysMapSet: every item must carry the key.
                if !required_keys.contains(k) && p.get("default").is_none() {
                    let mut e = required(
                        ID,
                        p.field("default"),
                        "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property",
                        p.anchor,
                    );
                    e.help = Some(format!(
                        "add {k:?} to the items' `required`, or give it a `default`"
                    ));
                    problems.push(e);
                }
                if p.flag("nullable") {
                    problems.push(forbidden(
                        ID,
                        p.field("nullable"),
                        "this property is in x-kubernetes-list-map-keys, so it cannot be nullable",
                        p.key_span("nullable"),
                    ));
                }
            }
            None if items_type == "object" => problems.push(invalid(
                ID,
                at.field(KEYS),
                keys_value(),
                "entries must all be names of item properties",
                keys_span,
            )),
            None => {}
        }
        if items_type == "object" && seen.contains(k) {
            problems.push(invalid(
                ID,
                at.field(KEYS),
                keys_value(),
                "must not contain duplicate entries",
                keys_span,
            ));
        }
        seen.push(k);
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::tests::run_openapi;

    #[test]
    fn map_lists_have_usable_keys() {
        let p = run_openapi(
            "type: object\nproperties:\n  ports:\n    type: array\n    x-kubernetes-list-type: map\n    x-kubernetes-list-map-keys: [name, proto, nme]\n    items:\n      type: object\n      required: [name]\n      properties:\n        name: {type: string}\n        proto: {type: string}\n  tags:\n    type: array\n    x-kubernetes-list-map-keys: [name]\n    items: {type: string}\n",
            super::on_openapi,
        );
        assert_eq!(
            p,
            vec![
                "s.properties[ports].items.properties[proto].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property",
                "s.properties[ports].x-kubernetes-list-map-keys: Invalid value: [\"name\",\"proto\",\"nme\"]: entries must all be names of item properties",
                "s.properties[tags].x-kubernetes-list-type: Required value: must be map if x-kubernetes-list-map-keys is non-empty",
            ]
        );
    }
}
