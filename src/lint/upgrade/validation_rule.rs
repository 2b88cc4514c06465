//! `upgrade/validation-rule` (warning): an `x-kubernetes-validations` rule was added, or its
//! expression changed. Objects that fail it are refused when created, and when updated with a
//! changed value (a rule that does not read `oldSelf` is ratcheted on unchanged values since
//! Kubernetes 1.30): whether anything breaks depends on the data, and `upgrade/breaks-resource`
//! names the manifests that now fail it. Not reported: rules that read `oldSelf` (transition
//! rules run only on update, against the old value; with `optionalOldSelf: true` a rule decides
//! itself how to ratchet), removed rules, and changes of `message`, `messageExpression`,
//! `reason` or `fieldPath` alone.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/cel/validation.go` and the
//! Kubernetes documentation on validation ratcheting and transition rules.

use crate::lint::walk::revision::{Pair, Revision, differs, uses_old_self};
use crate::lint::{Finding, Rule};
use crate::yaml::Node;

pub const ID: &str = "upgrade/validation-rule";

pub const RULE: Rule = Rule {
    upgrade_pair: Some(check),
    ..Rule::new(ID)
};

fn rules(n: Option<&Node>) -> Vec<(&str, &Node)> {
    n.and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| Some((e.get("rule")?.as_str()?, e)))
        .collect()
}

pub fn check(_rev: &Revision, pair: &Pair, out: &mut Vec<Finding>) {
    const KEY: &str = "x-kubernetes-validations";
    if !differs(pair, KEY) {
        return;
    }
    let old = rules(pair.old.get(KEY));
    let new = rules(pair.new.get(KEY));
    for (i, (rule, entry)) in new.iter().enumerate() {
        if old.iter().any(|(o, _)| o == rule) || uses_old_self(rule) {
            continue;
        }
        // The same position held a rule that is gone: a changed rule.
        let replaced = old
            .get(i)
            .map(|(o, _)| *o)
            .filter(|o| !new.iter().any(|(n, _)| n == o));
        let what = match replaced {
            Some(o) => format!(
                "the x-kubernetes-validations rule `{o}` changed to `{rule}`: objects that fail it are refused when created, and when updated with a changed value"
            ),
            None => format!(
                "the x-kubernetes-validations rule `{rule}` was added: objects that fail it are refused when created, and when updated with a changed value"
            ),
        };
        let mut f = pair.finding_with(
            ID,
            KEY,
            what,
            pair.path.clone(),
            replaced.map_or(serde_json::Value::Null, Into::into),
            (*rule).into(),
        );
        f.span = entry.get("rule").map_or(entry.span, |r| r.span);
        f.field = Some(format!(
            "{}.x-kubernetes-validations[{}].rule",
            pair.new.path(),
            pair.new
                .get(KEY)
                .and_then(Node::as_seq)
                .and_then(|l| l.iter().position(|e| std::ptr::eq(e, *entry)))
                .unwrap_or(i)
        ));
        out.push(f);
    }
}
