//! `upgrade/list-type-changed` (warning): `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`
//! or `x-kubernetes-map-type` changed (an absent list type is `atomic`, an absent map type
//! `granular`). A `set` refuses duplicates and a `map` duplicate keys, so existing lists that held
//! them fail validation on every update (list types and map keys are not ratcheted); and
//! server-side apply merges the field differently, so the fields other managers own change hands.
//! Followed: apiextensions-apiserver `pkg/apiserver/validation` (list types) and
//! structured-merge-diff (the merge strategies); the Kubernetes documentation on validation
//! ratcheting.

use crate::lint::walk::revision::{Pair, Revision, differs};
use crate::lint::walk::schema_node::At;
use crate::lint::{Finding, Rule};

pub const ID: &str = "upgrade/list-type-changed";

pub const RULE: Rule = Rule {
    upgrade_pair: Some(check),
    ..Rule::new(ID)
};

fn or_default<'a>(at: &At<'a>, key: &str, default: &'a str) -> &'a str {
    match at.str(key) {
        "" => default,
        s => s,
    }
}

pub fn check(_rev: &Revision, pair: &Pair, out: &mut Vec<Finding>) {
    const MERGE: &str = "server-side apply merges it differently from now on";
    let list = |at: &At| or_default(at, "x-kubernetes-list-type", "atomic").to_string();
    let (old_list, new_list) = (list(&pair.old), list(&pair.new));
    if pair.new.ty() == "array" && old_list != new_list {
        let refuses = match new_list.as_str() {
            "set" => ": existing lists with duplicate items fail validation on every update (not ratcheted), and ",
            "map" => ": existing lists with duplicate keys fail validation on every update (not ratcheted), and ",
            _ => ": ",
        };
        out.push(pair.finding(
            ID,
            "x-kubernetes-list-type",
            format!("x-kubernetes-list-type changed from {old_list} to {new_list}{refuses}{MERGE}"),
        ));
    } else if new_list == "map" && differs(pair, "x-kubernetes-list-map-keys") {
        let keys = |at: &At| {
            at.get("x-kubernetes-list-map-keys")
                .map(|n| n.to_json())
                .unwrap_or_else(|| "[]".into())
        };
        out.push(pair.finding(
            ID,
            "x-kubernetes-list-map-keys",
            format!(
                "x-kubernetes-list-map-keys changed from {} to {}: existing lists whose items repeat the new keys fail validation on every update (not ratcheted), and {MERGE}",
                keys(&pair.old),
                keys(&pair.new)
            ),
        ));
    }
    let map = |at: &At| or_default(at, "x-kubernetes-map-type", "granular").to_string();
    let (old_map, new_map) = (map(&pair.old), map(&pair.new));
    if pair.new.ty() == "object" && old_map != new_map {
        out.push(pair.finding(
            ID,
            "x-kubernetes-map-type",
            format!("x-kubernetes-map-type changed from {old_map} to {new_map}: {MERGE}"),
        ));
    }
}
