//! `upgrade/nullable-removed` (warning): a field was `nullable: true` and no longer is. The API
//! server then drops a `null` it finds there (from a request or from storage) before defaulting,
//! so the field reads as absent (or as its default): a stored null, or a client that sends null
//! to mean "explicitly unset", silently changes meaning. Whether that matters depends on the data
//! and the controller.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/defaulting/prunenulls.go`
//! (PruneNonNullableNullsWithoutDefaults) and `pkg/apiserver/customresource_handler.go`.

use crate::lint::walk::revision::{Pair, Revision};
use crate::lint::{Finding, Rule};

pub const ID: &str = "upgrade/nullable-removed";

pub const RULE: Rule = Rule {
    upgrade_pair: Some(check),
    ..Rule::new(ID)
};

pub fn check(_rev: &Revision, pair: &Pair, out: &mut Vec<Finding>) {
    if !pair.old.flag("nullable") || pair.new.flag("nullable") {
        return;
    }
    let then = if pair.new.get("default").is_some() {
        "replaced by the default"
    } else {
        "dropped"
    };
    let what = format!(
        "nullable was removed: a null stored or sent for it is now {then} before validation, so clients that use null to mean \"explicitly unset\" lose it"
    );
    let mut f = pair.finding(ID, "nullable", what);
    if let Some(c) = f.change.as_mut() {
        c.old = true.into();
        c.new = false.into();
    }
    out.push(f);
}
