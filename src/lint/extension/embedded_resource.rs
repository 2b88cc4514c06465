//! `extension/embedded-resource`: a node marked `x-kubernetes-embedded-resource: true` holds a
//! whole Kubernetes object (apiVersion, kind, metadata), so it must be `type: object`, must
//! declare `properties` unless it also preserves unknown fields, must not use
//! `additionalProperties`, and must not appear inside an object's own TypeMeta/ObjectMeta.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/validation.go`
//! (validateStructuralInvariants) and `pkg/apis/apiextensions/validation/validation.go`
//! (specStandardValidatorV3.validate: `must not be used inside of resource meta`).

use crate::lint::walk::schema_node::{At, Level, OpenApi, forbidden, require_type, required};
use crate::lint::{Finding, Rule};

pub const ID: &str = "extension/embedded-resource";

pub const RULE: Rule = Rule {
    structural: Some(on_structural),
    openapi: Some(on_openapi),
    ..Rule::new(ID)
};
const KEY: &str = "x-kubernetes-embedded-resource";

/// The checks at one node of the structural walk.
pub fn on_structural(at: &At, _level: Level, problems: &mut Vec<Finding>) {
    if !at.flag(KEY) {
        return;
    }
    let detail = "must be object if x-kubernetes-embedded-resource is true";
    require_type(at, ID, KEY, "object", detail, problems);
    if at.get("additionalProperties").is_some() {
        problems.push(forbidden(
            ID,
            at.field("additionalProperties"),
            "must not be used if x-kubernetes-embedded-resource is set",
            at.key_span("additionalProperties"),
        ));
    }
    if !at.flag("x-kubernetes-preserve-unknown-fields") && !at.has_properties() {
        problems.push(required(
            ID,
            at.field("properties"),
            "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields",
            at.key_span(KEY),
        ));
    }
}

/// The checks at one node of the OpenAPI-schema walk.
pub fn on_openapi(at: &At, ctx: &OpenApi, problems: &mut Vec<Finding>) {
    if ctx.inside_resource_meta && at.flag(KEY) {
        problems.push(forbidden(
            ID,
            at.field(KEY),
            "must not be used inside of resource meta",
            at.key_span(KEY),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::tests::run_both;

    #[test]
    fn embedded_resources_are_objects_with_a_shape() {
        let p = run_both(
            "type: object\nproperties:\n  a: {x-kubernetes-embedded-resource: true}\n  b: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}\n  metadata:\n    type: object\n    properties:\n      name: {type: string, x-kubernetes-embedded-resource: true}\n",
            super::on_structural,
            super::on_openapi,
        );
        assert_eq!(
            p,
            vec![
                "s.properties[a].type: Required value: must be object if x-kubernetes-embedded-resource is true",
                "s.properties[a].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields",
                "s.properties[metadata].properties[name].type: Invalid value: \"string\": must be object if x-kubernetes-embedded-resource is true",
                "s.properties[metadata].properties[name].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields",
                "s.properties[metadata].properties[name].x-kubernetes-embedded-resource: Forbidden: must not be used inside of resource meta",
            ]
        );
    }
}
