//! `structural/forbidden-field`: JSON-Schema keywords a CRD schema may not use (`id`, `$schema`,
//! `$ref`, `definitions`, `patternProperties`, `dependencies`, `additionalItems`,
//! `uniqueItems: true`, `type: "null"`) and `additionalProperties` beside `properties`.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionOpenAPISchema and specStandardValidatorV3.validate) and
//! `pkg/apiserver/schema/convert.go` (validateUnsupportedFields: `$schema` has no check of its
//! own; NewStructural fails on it and the server reports that conversion error at the schema root).

use crate::lint::walk::schema_node::{At, OpenApi, forbidden, invalid, string};
use crate::lint::{Finding, Rule, SchemaSite};
use crate::source::Span;
use crate::yaml::Node;

pub const ID: &str = "structural/forbidden-field";

pub const RULE: Rule = Rule {
    openapi: Some(on_openapi),
    version_schema: Some(on_version_schema),
    ..Rule::new(ID)
};

fn non_empty_map(n: Option<&Node>) -> bool {
    n.and_then(Node::as_map).is_some_and(|m| !m.is_empty())
}

/// The checks at one node of the OpenAPI-schema walk.
pub fn on_openapi(at: &At, _ctx: &OpenApi, problems: &mut Vec<Finding>) {
    let mut forbid = |key: &str, detail: &str| {
        problems.push(forbidden(ID, at.field(key), detail, at.key_span(key)));
    };
    if !at.str("id").is_empty() {
        forbid("id", "id is not supported");
    }
    if at.get("additionalItems").is_some() {
        forbid("additionalItems", "additionalItems is not supported");
    }
    if non_empty_map(at.get("patternProperties")) {
        forbid("patternProperties", "patternProperties is not supported");
    }
    if non_empty_map(at.get("definitions")) {
        forbid("definitions", "definitions is not supported");
    }
    if at.get("dependencies").is_some() {
        forbid("dependencies", "dependencies is not supported");
    }
    if at.get("$ref").is_some() {
        forbid("$ref", "$ref is not supported");
    }
    if at.ty() == "null" {
        forbid(
            "type",
            "type cannot be set to null, use nullable as an alternative",
        );
    }
    if at.flag("uniqueItems") {
        forbid(
            "uniqueItems",
            "uniqueItems cannot be set to true since the runtime complexity becomes quadratic",
        );
    }
    // `additionalProperties: true` beside properties is allowed (it changes nothing).
    let additional = at.get("additionalProperties");
    if at.has_properties()
        && additional.is_some_and(|a| a.as_map().is_some() || a.as_bool() == Some(false))
    {
        forbid(
            "additionalProperties",
            "additionalProperties and properties are mutual exclusive",
        );
    }
}

/// The first `$schema` in the schemas NewStructural converts (properties, items,
/// additionalProperties, junctors), found without building paths.
fn first_schema_keyword(n: &Node) -> Option<Span> {
    if let Some(e) = n.entry("$schema").filter(|e| !e.value.is_null()) {
        return Some(e.key_span);
    }
    // The children in this order, the first `$schema` found wins (no list of them is made: this
    // runs at every node of every schema).
    let schemas = ["items", "additionalProperties", "not"]
        .into_iter()
        .filter_map(|key| n.get(key).filter(|c| c.as_map().is_some()));
    let junctors = ["allOf", "anyOf", "oneOf"]
        .into_iter()
        .flat_map(|key| n.get(key).and_then(Node::as_seq).unwrap_or_default());
    let properties = (n.get("properties").and_then(Node::as_map))
        .unwrap_or_default()
        .iter()
        .map(|e| &e.value);
    schemas
        .chain(junctors)
        .chain(properties)
        .find_map(first_schema_keyword)
}

/// `$schema`: NewStructural stops at the first one and the server words it as a conversion error
/// of the whole schema (shown when nothing else is wrong).
/// The hook: the `$schema` keyword, at the root only.
pub fn on_version_schema(site: &SchemaSite, problems: &mut Vec<Finding>) {
    check_schema_keyword(&site.root(), problems);
}

pub fn check_schema_keyword(root: &At, problems: &mut Vec<Finding>) {
    if let Some(span) = first_schema_keyword(root.node) {
        problems.push(invalid(
            ID,
            root.path(),
            string(""),
            "OpenAPIV3Schema 'schema' is not supported",
            span,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::tests::{run, run_openapi};

    #[test]
    fn json_schema_keywords_the_server_refuses() {
        let yaml = "type: object\n$schema: http://json-schema.org/draft-04/schema#\nproperties:\n  a: {$ref: '#/definitions/x'}\n  b: {type: array, uniqueItems: true, items: {type: string}}\n  c:\n    type: object\n    properties: {x: {type: string}}\n    additionalProperties: false\n  d: {type: object, properties: {x: {type: string}}, additionalProperties: true}\n";
        let mut p = run_openapi(yaml, super::on_openapi);
        p.extend(run(yaml, super::check_schema_keyword));
        assert_eq!(
            p,
            vec![
                "s.properties[a].$ref: Forbidden: $ref is not supported",
                "s.properties[b].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic",
                "s.properties[c].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive",
                "s: Invalid value: \"\": OpenAPIV3Schema 'schema' is not supported",
            ]
        );
    }
}
