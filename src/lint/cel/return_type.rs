//! `cel/return-type`: a `rule` that does not evaluate to a bool, or a `messageExpression` that
//! does not evaluate to a string. The type is inferred by `crate::cel::types`, which answers
//! only where it is certain.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/cel/compilation.go`.

use crate::cel::types::{Ty, result_type};
use crate::cel::walk::RuleAt;
use crate::lint::{Context, Finding, Rule};
use crate::wording::go_rule_value;

pub const RULE: Rule = Rule {
    cel_rule: Some(check),
    ..Rule::new("cel/return-type")
};

pub fn check(at: &RuleAt, _ctx: &Context, problems: &mut Vec<Finding>) {
    // The server compiles no CEL inside junctors.
    if at.in_junctor {
        return;
    }
    for (key, want, detail) in [
        ("rule", Ty::Bool, "cel expression must evaluate to a bool"),
        (
            "messageExpression",
            Ty::String,
            "messageExpression must evaluate to a string",
        ),
    ] {
        let Some(node) = at.entry.get(key) else {
            continue;
        };
        let Some(expr) = node.as_str().filter(|e| !e.trim().is_empty()) else {
            continue;
        };
        let Some(ty) = result_type(expr, at.schema) else {
            continue;
        };
        if ty != want {
            let field = at.field(key);
            // The server's words.
            let message = format!("{field}: Invalid value: {}: {detail}", go_rule_value(at.entry));
            problems.push(Finding::new("cel/return-type", message, node.span).with_field(field));
        }
    }
}
