//! `default/metadata`: no `default` in the root's `metadata`, `apiVersion` or `kind` schemas
//! (the API server owns them), nor under an `additionalProperties` of an object's metadata
//! (labels, annotations), where defaulting a missing key is meaningless.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionOpenAPISchema: `withForbiddenDefaults("in top-level ...")`
//! and `"inside additionalProperties applying to object metadata"`; specStandardValidatorV3).

use crate::lint::walk::schema_node::{At, OpenApi, forbidden};
use crate::lint::{Finding, Rule};

pub const ID: &str = "default/metadata";

pub const RULE: Rule = Rule {
    openapi: Some(on_openapi),
    ..Rule::new(ID)
};

/// The checks at one node of the OpenAPI-schema walk.
pub fn on_openapi(at: &At, ctx: &OpenApi, problems: &mut Vec<Finding>) {
    if let Some(reason) = &ctx.defaults_forbidden
        && at.get("default").is_some()
    {
        problems.push(forbidden(
            ID,
            at.field("default"),
            &format!("must not be set {reason}"),
            at.key_span("default"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::tests::run_openapi;

    #[test]
    fn no_defaults_in_object_meta() {
        let p = run_openapi(
            "type: object\nproperties:\n  kind: {type: string, default: Widget}\n  metadata:\n    type: object\n    properties:\n      name: {type: string, default: w}\n  spec:\n    type: object\n    properties:\n      template:\n        type: object\n        x-kubernetes-embedded-resource: true\n        properties:\n          metadata:\n            type: object\n            properties:\n              labels: {type: object, additionalProperties: {type: string, default: x}}\n",
            super::on_openapi,
        );
        assert_eq!(
            p,
            vec![
                "s.properties[kind].default: Forbidden: must not be set in top-level kind",
                "s.properties[metadata].properties[name].default: Forbidden: must not be set in top-level metadata",
                "s.properties[spec].properties[template].properties[metadata].properties[labels].additionalProperties.default: Forbidden: must not be set inside additionalProperties applying to object metadata",
            ]
        );
    }
}
