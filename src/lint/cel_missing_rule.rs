//! `cel/missing-rule`: an `x-kubernetes-validations` entry without a `rule` (or a blank one).
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`.

use super::cel_walk::RuleAt;
use crate::model::schema::SchemaProblem;
use crate::yaml::Node;

pub fn check(at: &RuleAt, problems: &mut Vec<SchemaProblem>) {
    let rule = at.entry.get("rule");
    if rule
        .and_then(Node::as_str)
        .is_some_and(|r| !r.trim().is_empty())
    {
        return;
    }
    let field = at.field("rule");
    problems.push(SchemaProblem {
        rule: "cel/missing-rule",
        message: format!("{field}: Required value: rule is not specified"),
        path: field,
        span: rule.map_or(at.entry.span, |r| r.span),
    });
}
