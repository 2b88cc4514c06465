//! `cel/missing-rule`: an `x-kubernetes-validations` entry without a `rule` (or a blank one).
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`.

use crate::cel::walk::RuleAt;
use crate::lint::{Context, Finding, Rule};
use crate::yaml::Node;

pub const RULE: Rule = Rule {
    cel_rule: Some(check),
    ..Rule::new("cel/missing-rule")
};

pub fn check(at: &RuleAt, _ctx: &Context, problems: &mut Vec<Finding>) {
    let rule = at.entry.get("rule");
    if rule
        .and_then(Node::as_str)
        .is_some_and(|r| !r.trim().is_empty())
    {
        return;
    }
    let field = at.field("rule");
    problems.push(Finding::new(
        "cel/missing-rule",
        format!("{field}: Required value: rule is not specified"),
        rule.map_or(at.entry.span, |r| r.span),
    )
    .with_field(field));
}
