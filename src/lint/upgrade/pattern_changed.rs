//! `upgrade/pattern-changed` (warning): a string field got a `pattern`, or its pattern changed.
//! Whether the new expression accepts every value the old one did cannot be decided in general,
//! so a changed pattern is reported for review. Values that do not match are refused when
//! created, and when updated with a changed value (unchanged values are ratcheted since
//! Kubernetes 1.30); `upgrade/breaks-resource` names the manifests that no longer match. A
//! removed pattern is not reported.
//! Followed: kube-openapi `pkg/validation/validate/validator.go` (pattern) and
//! apiextensions-apiserver `pkg/apiserver/validation/ratcheting.go`.

use crate::lint::walk::revision::{Pair, Revision, differs};
use crate::lint::{Finding, Rule};
use crate::wording::go_quote;

pub const ID: &str = "upgrade/pattern-changed";

pub const RULE: Rule = Rule {
    upgrade_pair: Some(check),
    ..Rule::new(ID)
};

pub fn check(_rev: &Revision, pair: &Pair, out: &mut Vec<Finding>) {
    if !differs(pair, "pattern") {
        return;
    }
    let new = pair.new.str("pattern");
    if new.is_empty() {
        return;
    }
    let old = pair.old.str("pattern");
    let what = if old.is_empty() {
        format!(
            "pattern {} was added: values that do not match it are refused when created, and when updated with a changed value",
            go_quote(new)
        )
    } else {
        format!(
            "pattern changed from {} to {}: values that matched only the old one are refused when created, and when updated with a changed value",
            go_quote(old),
            go_quote(new)
        )
    };
    out.push(pair.finding(ID, "pattern", what));
}
