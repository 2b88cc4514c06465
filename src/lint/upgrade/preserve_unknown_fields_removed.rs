//! `upgrade/preserve-unknown-fields-removed` (error): `x-kubernetes-preserve-unknown-fields: true`
//! was removed from a node (and no `additionalProperties` keeps its fields instead). Every field
//! under it the schema does not declare is pruned from stored objects when they are read (and for
//! good once they are written), and refused in manifests by strict field validation: arbitrary
//! data that node existed to keep is lost.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/pruning/algorithm.go`.

use crate::lint::walk::layout::additional_properties;
use crate::lint::walk::pruning::keeps_unknown;
use crate::lint::walk::revision::{Pair, Revision};
use crate::lint::{Finding, Rule};

pub const ID: &str = "upgrade/preserve-unknown-fields-removed";

pub const RULE: Rule = Rule {
    upgrade_pair: Some(check),
    ..Rule::new(ID)
};

pub fn check(_rev: &Revision, pair: &Pair, out: &mut Vec<Finding>) {
    const KEY: &str = "x-kubernetes-preserve-unknown-fields";
    if pair.in_junctor || !pair.old.flag(KEY) || pair.new.flag(KEY) {
        return;
    }
    if keeps_unknown(pair.new.node) || additional_properties(pair.new.node).is_some() {
        return;
    }
    let mut f = pair.finding(
        ID,
        KEY,
        "x-kubernetes-preserve-unknown-fields was removed: every field under it the schema does not declare is pruned from stored objects when read (and for good once written), and refused in manifests",
    );
    if let Some(c) = f.change.as_mut() {
        c.old = true.into();
        c.new = false.into();
    }
    out.push(f);
}
