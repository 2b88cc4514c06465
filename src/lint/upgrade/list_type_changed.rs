//! `upgrade/list-type-changed` (warning): `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`
//! or `x-kubernetes-map-type` changed (an absent list type is `atomic`, an absent map type
//! `granular`). A `set` refuses duplicates and a `map` duplicate keys: objects created with them
//! are refused (on update the server checks list types only when the stored object passes them,
//! so an object that already held duplicates is let through); and server-side apply merges the
//! field differently, so the fields other managers own change hands.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/listtype/validation.go` and
//! `pkg/registry/customresource/strategy.go` (`ValidateUpdate`: list types checked on update only
//! when the old object passes them), and structured-merge-diff (the merge strategies).

use crate::lint::walk::revision::{Pair, Revision, differs};
use crate::lint::walk::schema_node::At;
use crate::lint::{Finding, Rule};

pub const ID: &str = "upgrade/list-type-changed";

pub const RULE: Rule = Rule {
    upgrade_pair: Some(check),
    ..Rule::new(ID)
};

fn or_default<'a>(at: &At<'a, '_>, key: &str, default: &'a str) -> &'a str {
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
            "set" => ": objects with duplicate items are refused when created (on update only if the stored object had none), and ",
            "map" => ": objects with duplicate keys are refused when created (on update only if the stored object had none), and ",
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
                "x-kubernetes-list-map-keys changed from {} to {}: objects whose items repeat the new keys are refused when created (on update only if the stored object had no such repeat), and {MERGE}",
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
