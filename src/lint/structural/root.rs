//! `structural/root`: the root of a CRD schema describes the whole object: `type: object` (or no
//! type), no `additionalProperties`, not `nullable`; and with the status subresource enabled only
//! a few keywords may appear at the root (`properties`, `required`, `description`,
//! `x-kubernetes-validations`, ...), because `properties[status]` is cut out to validate the
//! status subresource on its own.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/validation.go`
//! (validateStructuralInvariants at rootLevel) and `pkg/apis/apiextensions/validation/validation.go`
//! (validateCustomResourceDefinitionValidation: `allowedFieldsAtRootSchema`, `nullable cannot be
//! true at the root`). With the status subresource the server prints the whole root schema as a Go
//! struct in the message; crdlint prints `apiextensions.JSONSchemaProps{...}` and points at the
//! first keyword the server trips over.

use crate::lint::walk::schema_node::{At, forbidden, invalid, string};
use crate::lint::{Finding, Rule, SchemaSite};
use crate::wording::go_quote;
use crate::yaml::Value;

pub const ID: &str = "structural/root";

pub const RULE: Rule = Rule {
    version_schema: Some(on_version_schema),
    ..Rule::new(ID)
};

/// `allowedFieldsAtRootSchema`, as the server prints it.
const ALLOWED_NAMES: &str = "[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations]";

/// The JSON keys of JSONSchemaProps in the Go struct's field order, and whether the status
/// subresource allows each at the root (`type` is checked on its own).
const ROOT_FIELDS: [(&str, bool); 44] = [
    ("id", false),
    ("$schema", false),
    ("$ref", false),
    ("description", true),
    ("type", true),
    ("format", true),
    ("title", true),
    ("default", false),
    ("maximum", true),
    ("exclusiveMaximum", true),
    ("minimum", true),
    ("exclusiveMinimum", true),
    ("maxLength", true),
    ("minLength", true),
    ("pattern", true),
    ("maxItems", true),
    ("minItems", true),
    ("uniqueItems", true),
    ("multipleOf", true),
    ("enum", false),
    ("maxProperties", false),
    ("minProperties", false),
    ("required", true),
    ("items", true),
    ("allOf", false),
    ("oneOf", false),
    ("anyOf", false),
    ("not", false),
    ("properties", true),
    ("additionalProperties", false),
    ("patternProperties", false),
    ("dependencies", false),
    ("additionalItems", false),
    ("definitions", false),
    ("externalDocs", true),
    ("example", true),
    ("nullable", false),
    ("x-kubernetes-preserve-unknown-fields", true),
    ("x-kubernetes-embedded-resource", false),
    ("x-kubernetes-int-or-string", false),
    ("x-kubernetes-list-map-keys", false),
    ("x-kubernetes-list-type", false),
    ("x-kubernetes-map-type", false),
    ("x-kubernetes-validations", true),
];

/// Non-zero for `reflect.DeepEqual` against the field's zero value in the internal
/// JSONSchemaProps (here a list or map counts even when empty: the conversion copies it).
fn non_zero(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

/// The status-subresource restriction: the first field (in struct order) the server rejects.
fn status_root(root: &At, problems: &mut Vec<Finding>) {
    for (key, allowed) in ROOT_FIELDS {
        let Some(n) = root.node.get(key).filter(|n| non_zero(&n.value)) else {
            continue;
        };
        if key == "type" {
            let t = root.ty();
            if t == "object" {
                continue;
            }
            problems.push(
                invalid(
                    ID,
                    root.field("type"),
                    string(t),
                    "only \"object\" is allowed as the type at the root of the schema if the status subresource is enabled",
                    n.span,
                ),
            );
            return;
        }
        if allowed {
            continue;
        }
        let mut p = crate::lint::walk::schema_node::problem(crate::wording::FieldError::new(
            ID,
            crate::wording::ErrorType::Invalid,
            root.path(),
            crate::wording::BadValue::Omit,
            "",
            root.key_span(key),
        ));
        // The server prints the whole root schema as a Go struct here.
        p.message = format!(
            "{}: Invalid value: apiextensions.JSONSchemaProps{{...}}: only {ALLOWED_NAMES} fields are allowed at the root of the schema if the status subresource is enabled",
            root.path()
        );
        p.help = Some(format!(
            "{} is set at the root; move it into a property's schema (with the status subresource, properties[status] is validated on its own)",
            go_quote(key)
        ));
        problems.push(p);
        return;
    }
}

/// The hook: the root, with whether the status subresource applies.
pub fn on_version_schema(site: &SchemaSite, problems: &mut Vec<Finding>) {
    check(&site.root(), site.status_enabled, problems);
}

pub fn check(root: &At, status_enabled: bool, problems: &mut Vec<Finding>) {
    let t = root.ty();
    if !t.is_empty() && t != "object" {
        problems.push(invalid(
            ID,
            root.field("type"),
            string(t),
            "must be object at the root",
            root.value_span("type"),
        ));
    }
    if root.get("additionalProperties").is_some() {
        problems.push(forbidden(
            ID,
            root.field("additionalProperties"),
            "must not be used at the root",
            root.key_span("additionalProperties"),
        ));
    }
    if root.flag("nullable") {
        problems.push(forbidden(
            ID,
            root.field("nullable"),
            "nullable cannot be true at the root",
            root.key_span("nullable"),
        ));
    }
    if status_enabled {
        status_root(root, problems);
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::{At, tests::run};
    use crate::lint::Finding;

    fn with_status(at: &At, out: &mut Vec<Finding>) {
        super::check(at, true, out)
    }

    #[test]
    fn root_is_an_object() {
        let p = run(
            "type: array\nnullable: true\nadditionalProperties: {type: string}\n",
            |at, out| super::check(at, false, out),
        );
        assert_eq!(
            p,
            vec![
                "s.type: Invalid value: \"array\": must be object at the root",
                "s.additionalProperties: Forbidden: must not be used at the root",
                "s.nullable: Forbidden: nullable cannot be true at the root",
            ]
        );
    }

    #[test]
    fn status_subresource_limits_root_keywords() {
        let p = run(
            "type: object\ndescription: x\nx-kubernetes-validations: [{rule: 'true'}]\nproperties: {a: {type: string}}\noneOf: [{required: [a]}]\n",
            with_status,
        );
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with(
                "s: Invalid value: apiextensions.JSONSchemaProps{...}: only [Description Type"
            ),
            "{}",
            p[0]
        );
        assert!(
            run(
                "type: object\nproperties: {a: {type: string}}\n",
                with_status
            )
            .is_empty()
        );
    }
}
