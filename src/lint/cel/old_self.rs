//! `cel/old-self`: a transition rule (`oldSelf`) under a list whose items cannot be matched to
//! their old values, and `optionalOldSelf` on a rule that does not use `oldSelf`.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (`UsesOldSelf`, `forbidOldSelfValidations`).

use crate::cel::walk::{RuleAt, uses_old_self};
use crate::lint::{Context, Finding, Rule};
use crate::wording::go_quote;

const ID: &str = "cel/old-self";

pub const RULE: Rule = Rule {
    cel_rule: Some(check),
    ..Rule::new(ID)
};

pub fn check(at: &RuleAt, _ctx: &Context, problems: &mut Vec<Finding>) {
    // The server compiles no CEL inside junctors, so it never gets this far there.
    if at.in_junctor {
        return;
    }
    let Some(rule_node) = at.entry.get("rule") else {
        return;
    };
    let Some(rule) = rule_node.as_str() else {
        return;
    };
    if uses_old_self(rule) {
        if let Some(list) = at.uncorrelatable {
            let field = at.field("rule");
            problems.push(Finding::new(
                ID,
                format!(
                    "{field}: Invalid value: {}: oldSelf cannot be used on the uncorrelatable portion of the schema within {list}",
                    go_quote(rule)
                ),
                rule_node.span,
            )
            .with_field(field));
        }
    } else if let Some(optional) = at.entry.get("optionalOldSelf").filter(|n| !n.is_null()) {
        let field = at.field("optionalOldSelf");
        let value = optional.as_bool().map_or("null".into(), |b| b.to_string());
        problems.push(Finding::new(
            ID,
            format!(
                "{field}: Invalid value: {value}: may not be set if oldSelf is not used in rule"
            ),
            optional.span,
        )
        .with_field(field));
    }
}
