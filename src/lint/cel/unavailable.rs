//! `cel/unavailable`: a CEL rule uses a library the targeted Kubernetes version does not offer
//! to new CRDs (the CRD would be refused with a compile error). Runs only when
//! `kubernetes-version` is set (crdlint.toml or the flag); the libraries and their releases are
//! in `crate::cel::libraries`.

use crate::cel::libraries::unavailable;
use crate::cel::walk::RuleAt;
use crate::lint::{Context, Finding, Rule};

pub const RULE: Rule = Rule {
    cel_rule: Some(check),
    ..Rule::new("cel/unavailable")
};

pub fn check(at: &RuleAt, ctx: &Context, problems: &mut Vec<Finding>) {
    let Some(target) = ctx.kubernetes_minor else {
        return;
    };
    for key in ["rule", "messageExpression"] {
        let Some(node) = at.entry.get(key) else {
            continue;
        };
        let Some(text) = node.as_str() else {
            continue;
        };
        let Some(u) = unavailable(text, target) else {
            continue;
        };
        let field = at.field(key);
        let message = format!(
            "{field}: {} is from the CEL {} library, which the API server accepts in new CRDs from Kubernetes 1.{} (the target is 1.{target}): the CRD would be refused with a compile error",
            u.what, u.library, u.usable_from
        );
        problems.push(Finding::new(RULE.id, message, node.span).with_field(field));
    }
}
