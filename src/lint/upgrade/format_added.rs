//! `upgrade/format-added` (warning): a string field got a `format` the API server checks (or its
//! checked format changed). Values that are not of that format are refused when created, and when
//! updated with a changed value (unchanged values are ratcheted since Kubernetes 1.30). A format
//! the server ignores (`crd/ignored-format`), or a format removed, is not reported.
//! Followed: apiextensions-apiserver `pkg/apiserver/validation/formats.go` (the checked formats).

use crate::lint::walk::revision::{Pair, Revision, differs};
use crate::lint::{Finding, Rule};
use crate::validate::formats::is_checked_format;
use crate::wording::go_quote;

pub const ID: &str = "upgrade/format-added";

pub const RULE: Rule = Rule {
    upgrade_pair: Some(check),
    ..Rule::new(ID)
};

pub fn check(_rev: &Revision, pair: &Pair, out: &mut Vec<Finding>) {
    if !differs(pair, "format") || pair.new.ty() != "string" {
        return;
    }
    let new = pair.new.str("format");
    if !is_checked_format(new) {
        return;
    }
    let old = pair.old.str("format");
    let what = if old.is_empty() || !is_checked_format(old) || pair.old.ty() != "string" {
        format!(
            "format {} was added: values that are not a valid {new} are refused when created, and when updated with a changed value",
            go_quote(new)
        )
    } else {
        format!(
            "format changed from {} to {}: values that are not a valid {new} are refused when created, and when updated with a changed value",
            go_quote(old),
            go_quote(new)
        )
    };
    out.push(pair.finding(ID, "format", what));
}
