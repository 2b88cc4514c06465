//! `cel/reason`: a rule's `reason` that is not one of the four the server supports.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (supportedValidationReason).

use crate::cel::walk::RuleAt;
use crate::lint::{Context, Finding, Rule};
use crate::wording::go_quote;

pub const RULE: Rule = Rule {
    cel_rule: Some(check),
    ..Rule::new("cel/reason")
};

/// Sorted, as the server lists them.
const SUPPORTED: [&str; 4] = [
    "FieldValueDuplicate",
    "FieldValueForbidden",
    "FieldValueInvalid",
    "FieldValueRequired",
];

pub fn check(at: &RuleAt, _ctx: &Context, problems: &mut Vec<Finding>) {
    let Some(node) = at.entry.get("reason").filter(|n| !n.is_null()) else {
        return;
    };
    let reason = node.as_str().unwrap_or_default();
    if SUPPORTED.contains(&reason) {
        return;
    }
    let field = at.field("reason");
    let supported: Vec<String> = SUPPORTED.iter().map(|s| go_quote(s)).collect();
    problems.push(Finding::new(
        "cel/reason",
        format!(
            "{field}: Unsupported value: {}: supported values: {}",
            go_quote(reason),
            supported.join(", ")
        ),
        node.span,
    )
    .with_field(field));
}
