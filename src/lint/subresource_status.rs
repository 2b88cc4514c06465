//! `subresource/status`: with the status subresource enabled, the root of the schema may only
//! hold what still means the same once `properties.status` is validated on its own: `type` must
//! be `object`, and only `description`, `type`, `format`, `title`, the number, string and array
//! bounds, `uniqueItems`, `multipleOf`, `required`, `items`, `properties`, `externalDocs`,
//! `example`, `x-kubernetes-preserve-unknown-fields` and `x-kubernetes-validations` may be set
//! (no `default`, `enum`, `nullable`, `additionalProperties`, `allOf`/`anyOf`/`oneOf`/`not`,
//! `min/maxProperties`, other `x-kubernetes-*`). Fields set to their zero value (`false`, `""`)
//! count as unset; the server reports the first offending field in its struct order, once.
//! The server prints the whole root schema as a Go struct as the bad value; we abbreviate it to
//! `apiextensions.JSONSchemaProps{...}`.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (validateCustomResourceDefinitionValidation, allowedFieldsAtRootSchema, hasAnyStatusEnabled,
//! getSubresourcesForVersion) and `pkg/apis/apiextensions/types_jsonschema.go` (field order).

use super::layout::{Layout, schema_of};
use crate::model::crd::CrdProblem;
use crate::validate::field_error::go_quote;
use crate::yaml::{Node, Value};

const RULE: &str = "subresource/status";

/// The internal JSONSchemaProps fields in struct order: JSON name, allowed at the root, and
/// whether the Go field is a plain bool or string (so `false` / `""` is its zero value) rather
/// than a pointer, slice or map (set as soon as it is present and not null).
const FIELDS: &[(&str, bool, bool)] = &[
    ("id", false, true),
    ("$schema", false, true),
    ("$ref", false, false),
    ("description", true, true),
    ("type", true, true),
    ("nullable", false, true),
    ("format", true, true),
    ("title", true, true),
    ("default", false, false),
    ("maximum", true, false),
    ("exclusiveMaximum", true, true),
    ("minimum", true, false),
    ("exclusiveMinimum", true, true),
    ("maxLength", true, false),
    ("minLength", true, false),
    ("pattern", true, true),
    ("maxItems", true, false),
    ("minItems", true, false),
    ("uniqueItems", true, true),
    ("multipleOf", true, false),
    ("enum", false, false),
    ("maxProperties", false, false),
    ("minProperties", false, false),
    ("required", true, false),
    ("items", true, false),
    ("allOf", false, false),
    ("oneOf", false, false),
    ("anyOf", false, false),
    ("not", false, false),
    ("properties", true, false),
    ("additionalProperties", false, false),
    ("patternProperties", false, false),
    ("dependencies", false, false),
    ("additionalItems", false, false),
    ("definitions", false, false),
    ("externalDocs", true, false),
    ("example", true, false),
    ("x-kubernetes-preserve-unknown-fields", true, false),
    ("x-kubernetes-embedded-resource", false, true),
    ("x-kubernetes-int-or-string", false, true),
    ("x-kubernetes-list-map-keys", false, false),
    ("x-kubernetes-list-type", false, false),
    ("x-kubernetes-map-type", false, false),
    ("x-kubernetes-validations", true, false),
];

const ALLOWED: &str = "[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations]";

fn is_zero(v: &Node, plain: bool) -> bool {
    match &v.value {
        Value::Null => true,
        Value::Bool(false) => plain,
        Value::String(s) => plain && s.is_empty(),
        _ => false,
    }
}

fn check_root(schema: &Node, path: &str, problems: &mut Vec<CrdProblem>) {
    for (key, allowed, plain) in FIELDS {
        let Some(e) = schema.entry(key) else { continue };
        if is_zero(&e.value, *plain) {
            continue;
        }
        if *key == "type" {
            let t = e.value.as_str().unwrap_or_default();
            if t == "object" {
                continue;
            }
            problems.push(CrdProblem {
                rule: RULE,
                message: format!(
                    "{path}.type: Invalid value: {}: only \"object\" is allowed as the type at the root of the schema if the status subresource is enabled",
                    go_quote(t)
                ),
                span: e.value.span,
            });
            return;
        }
        if !allowed {
            problems.push(CrdProblem {
                rule: RULE,
                message: format!(
                    "{path}: Invalid value: apiextensions.JSONSchemaProps{{...}}: only {ALLOWED} fields are allowed at the root of the schema if the status subresource is enabled"
                ),
                span: e.key_span,
            });
            return;
        }
    }
}

pub fn check(root: &Node, problems: &mut Vec<CrdProblem>) {
    let Some(layout) = Layout::of(root) else {
        return;
    };
    if layout.has_spec_validation() {
        if let Some(s) = schema_of(&layout.versions[0]).filter(|_| layout.status_enabled(None)) {
            check_root(s, "spec.validation.openAPIV3Schema", problems);
        }
        return;
    }
    for (i, v) in layout.versions.iter().enumerate() {
        if let Some(s) = schema_of(v).filter(|_| layout.status_enabled(Some(i))) {
            let path = format!("spec.versions[{i}].schema.openAPIV3Schema");
            check_root(s, &path, problems);
        }
    }
}
