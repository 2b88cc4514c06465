//! `extension/map-type`: `x-kubernetes-map-type` is `atomic` or `granular`, and only on
//! `type: object`.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionOpenAPISchema).

use crate::lint::walk::schema_node::{At, OpenApi, not_supported, require_type};
use crate::lint::{Finding, Rule};

pub const ID: &str = "extension/map-type";

pub const RULE: Rule = Rule {
    openapi: Some(on_openapi),
    ..Rule::new(ID)
};
const KEY: &str = "x-kubernetes-map-type";

/// The checks at one node of the OpenAPI-schema walk.
pub fn on_openapi(at: &At, _ctx: &OpenApi, problems: &mut Vec<Finding>) {
    let Some(map_type) = at.get(KEY) else {
        return;
    };
    let detail = "must be object if x-kubernetes-map-type is specified";
    require_type(at, ID, KEY, "object", detail, problems);
    let value = map_type.as_str().unwrap_or_default();
    if value != "atomic" && value != "granular" {
        problems.push(not_supported(
            ID,
            at.field(KEY),
            value,
            &["atomic", "granular"],
            map_type.span,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::tests::run_openapi;

    #[test]
    fn map_type_on_objects_only() {
        let p = run_openapi(
            "type: object\nproperties:\n  a: {type: array, items: {type: string}, x-kubernetes-map-type: atomic}\n  b: {type: object, x-kubernetes-map-type: Atomic}\n",
            super::on_openapi,
        );
        assert_eq!(
            p,
            vec![
                "s.properties[a].type: Invalid value: \"array\": must be object if x-kubernetes-map-type is specified",
                "s.properties[b].x-kubernetes-map-type: Unsupported value: \"Atomic\": supported values: \"atomic\", \"granular\"",
            ]
        );
    }
}
