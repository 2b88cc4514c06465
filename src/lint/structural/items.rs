//! `structural/items`: an array schema needs an `items` schema, and `items` is one schema, never a
//! list of schemas (tuple validation).
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/validation.go`
//! (validateStructuralInvariants: `s.Type == "array" && s.Items == nil`) and
//! `pkg/apis/apiextensions/validation/validation.go` (specStandardValidatorV3.validate:
//! `len(schema.Items.JSONSchemas) != 0`).

use crate::lint::walk::schema_node::{At, Level, OpenApi, forbidden, required};
use crate::lint::{Finding, Rule};
use crate::yaml::Node;

pub const ID: &str = "structural/items";

pub const RULE: Rule = Rule {
    structural: Some(on_structural),
    openapi: Some(on_openapi),
    ..Rule::new(ID)
};

fn is_list(n: Option<&Node>) -> bool {
    n.and_then(Node::as_seq).is_some_and(|s| !s.is_empty())
}

/// The checks at one node of the structural walk.
pub fn on_structural(at: &At, _level: Level, problems: &mut Vec<Finding>) {
    // A list of schemas makes the schema fail conversion instead (reported below).
    if at.ty() == "array" && at.child("items").is_none() && !is_list(at.get("items")) {
        problems.push(required(
            ID,
            at.field("items"),
            "must be specified",
            at.anchor,
        ));
    }
}

/// The checks at one node of the OpenAPI-schema walk.
pub fn on_openapi(at: &At, _ctx: &OpenApi, problems: &mut Vec<Finding>) {
    if is_list(at.get("items")) {
        problems.push(forbidden(
            ID,
            at.field("items"),
            "items must be a schema object and not an array",
            at.key_span("items"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::tests::run_both;

    #[test]
    fn arrays_need_one_items_schema() {
        let p = run_both(
            "type: object\nproperties:\n  a: {type: array}\n  b: {type: array, items: [{type: string}]}\n  c: {type: array, items: {type: string}}\n",
            super::on_structural,
            super::on_openapi,
        );
        assert_eq!(
            p,
            vec![
                "s.properties[a].items: Required value: must be specified",
                "s.properties[b].items: Forbidden: items must be a schema object and not an array",
            ]
        );
    }
}
