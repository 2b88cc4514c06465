//! `cel/reason`: a rule's `reason` that is not one of the four the server supports.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (supportedValidationReason).

use super::cel_walk::RuleAt;
use crate::model::schema::SchemaProblem;
use crate::validate::field_error::go_quote;

/// Sorted, as the server lists them.
const SUPPORTED: [&str; 4] = [
    "FieldValueDuplicate",
    "FieldValueForbidden",
    "FieldValueInvalid",
    "FieldValueRequired",
];

pub fn check(at: &RuleAt, problems: &mut Vec<SchemaProblem>) {
    let Some(node) = at.entry.get("reason").filter(|n| !n.is_null()) else {
        return;
    };
    let reason = node.as_str().unwrap_or_default();
    if SUPPORTED.contains(&reason) {
        return;
    }
    let field = at.field("reason");
    let supported: Vec<String> = SUPPORTED.iter().map(|s| go_quote(s)).collect();
    problems.push(SchemaProblem {
        rule: "cel/reason",
        message: format!(
            "{field}: Unsupported value: {}: supported values: {}",
            go_quote(reason),
            supported.join(", ")
        ),
        path: field,
        span: node.span,
    });
}
