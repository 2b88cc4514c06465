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
use crate::yaml::{Entry, Node};

pub const ID: &str = "structural/forbidden-field";

pub const RULE: Rule = Rule {
    openapi: Some(on_openapi),
    version_schema: Some(on_version_schema),
    ..Rule::new(ID)
};

fn non_empty_map(n: Option<&Node>) -> bool {
    n.and_then(Node::as_map).is_some_and(|m| !m.is_empty())
}

/// The keywords [`on_openapi`] reads, in this order, as [`At::get`] gives them (`null` is
/// absent), found in one pass over a node's keys: they are rare, and a lookup each scanned the
/// keys of every schema node ten times.
fn keywords(n: &Node) -> [Option<&Node>; 10] {
    let found: [Option<&Entry>; 10] = n.entries_of(|k| {
        Some(match k {
            "id" => 0,
            "additionalItems" => 1,
            "patternProperties" => 2,
            "definitions" => 3,
            "dependencies" => 4,
            "$ref" => 5,
            "type" => 6,
            "uniqueItems" => 7,
            "additionalProperties" => 8,
            "properties" => 9,
            _ => return None,
        })
    });
    found.map(|e| e.map(|e| &e.value).filter(|v| !v.is_null()))
}

/// A string keyword as [`At::str`] gives it: `""` when absent.
fn str_of(n: Option<&Node>) -> &str {
    n.and_then(Node::as_str).unwrap_or_default()
}

/// The checks at one node of the OpenAPI-schema walk.
pub fn on_openapi(at: &At, _ctx: &OpenApi, problems: &mut Vec<Finding>) {
    let mut forbid = |key: &str, detail: &str| {
        problems.push(forbidden(ID, at.field(key), detail, at.key_span(key)));
    };
    let [
        id,
        additional_items,
        pattern_properties,
        definitions,
        dependencies,
        ref_,
        type_,
        unique_items,
        additional_properties,
        properties,
    ] = keywords(at.node);
    if !str_of(id).is_empty() {
        forbid("id", "id is not supported");
    }
    if additional_items.is_some() {
        forbid("additionalItems", "additionalItems is not supported");
    }
    if non_empty_map(pattern_properties) {
        forbid("patternProperties", "patternProperties is not supported");
    }
    if non_empty_map(definitions) {
        forbid("definitions", "definitions is not supported");
    }
    if dependencies.is_some() {
        forbid("dependencies", "dependencies is not supported");
    }
    if ref_.is_some() {
        forbid("$ref", "$ref is not supported");
    }
    if str_of(type_) == "null" {
        forbid(
            "type",
            "type cannot be set to null, use nullable as an alternative",
        );
    }
    if unique_items.and_then(Node::as_bool) == Some(true) {
        forbid(
            "uniqueItems",
            "uniqueItems cannot be set to true since the runtime complexity becomes quadratic",
        );
    }
    // `additionalProperties: true` beside properties is allowed (it changes nothing).
    if non_empty_map(properties)
        && additional_properties.is_some_and(|a| a.as_map().is_some() || a.as_bool() == Some(false))
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
    // The entries looked at, found in one pass over the keys: this runs at every node of
    // every schema.
    let [schema, items, additional, not, all_of, any_of, one_of, properties] =
        n.entries_of(|k| {
            Some(match k {
                "$schema" => 0,
                "items" => 1,
                "additionalProperties" => 2,
                "not" => 3,
                "allOf" => 4,
                "anyOf" => 5,
                "oneOf" => 6,
                "properties" => 7,
                _ => return None,
            })
        });
    if let Some(e) = schema.filter(|e| !e.value.is_null()) {
        return Some(e.key_span);
    }
    // The children in this order, the first `$schema` found wins (no list of them is made).
    let schemas = [items, additional, not]
        .into_iter()
        .filter_map(|e| e.map(|e| &e.value).filter(|c| c.as_map().is_some()));
    let junctors = [all_of, any_of, one_of]
        .into_iter()
        .flat_map(|e| e.and_then(|e| e.value.as_seq()).unwrap_or_default());
    let properties = (properties.and_then(|e| e.value.as_map()))
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
