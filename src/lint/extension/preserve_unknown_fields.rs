//! `extension/preserve-unknown-fields`: `x-kubernetes-preserve-unknown-fields` is `true` or
//! absent; `false` is refused (pruning is already the default, and `false` cannot switch it back
//! on under a preserving parent: nested `properties` do that).
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionOpenAPISchema) and `pkg/apiserver/schema/convert.go`
//! (newExtensions).

use crate::lint::walk::schema_node::{At, OpenApi, invalid};
use crate::lint::{Finding, Rule};
use crate::yaml::Value;

pub const ID: &str = "extension/preserve-unknown-fields";

pub const RULE: Rule = Rule {
    openapi: Some(on_openapi),
    ..Rule::new(ID)
};
const KEY: &str = "x-kubernetes-preserve-unknown-fields";

/// The checks at one node of the OpenAPI-schema walk.
pub fn on_openapi(at: &At, _ctx: &OpenApi, problems: &mut Vec<Finding>) {
    if at.get(KEY).and_then(|n| n.as_bool()) == Some(false) {
        problems.push(invalid(
            ID,
            at.field(KEY),
            Value::Bool(false),
            "must be true or undefined",
            at.value_span(KEY),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::tests::run_openapi;

    #[test]
    fn false_is_refused() {
        let p = run_openapi(
            "type: object\nproperties:\n  a: {type: object, x-kubernetes-preserve-unknown-fields: false}\n",
            super::on_openapi,
        );
        assert_eq!(
            p,
            vec![
                "s.properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined"
            ]
        );
    }
}
