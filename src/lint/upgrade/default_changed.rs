//! `upgrade/default-changed` (warning): a field's `default` was added, changed or removed. The
//! server applies defaults when it decodes an object, from a request or from storage, and
//! persists them when it writes: an added default shows up in every stored object that lacks the
//! field the next time it is read; a changed default applies to objects that lack the field from
//! then on (those written earlier keep the old one); a removed default leaves new objects
//! without the field. Whether that matters depends on what the controller does with it.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/defaulting/algorithm.go` and
//! `pkg/apiserver/customresource_handler.go` (defaulting on read and on write).

use crate::lint::walk::revision::{Pair, Revision, differs};
use crate::lint::{Finding, Rule};

pub const ID: &str = "upgrade/default-changed";

pub const RULE: Rule = Rule {
    upgrade_pair: Some(check),
    ..Rule::new(ID)
};

pub fn check(_rev: &Revision, pair: &Pair, out: &mut Vec<Finding>) {
    if pair.in_junctor || !differs(pair, "default") {
        return;
    }
    let what = match (pair.old.get("default"), pair.new.get("default")) {
        (None, Some(new)) => format!(
            "a default was added ({}): stored objects that lack the field get it when read, and keep it when written",
            new.to_json()
        ),
        (Some(old), Some(new)) => format!(
            "the default changed from {} to {}: objects that lack the field get {} from now on, while objects written before keep {}",
            old.to_json(),
            new.to_json(),
            new.to_json(),
            old.to_json()
        ),
        (Some(old), None) => format!(
            "the default {} was removed: new objects no longer get it, and the controller must handle the field being absent",
            old.to_json()
        ),
        (None, None) => return,
    };
    out.push(pair.finding(ID, "default", what));
}
