//! `upgrade/type-changed` (error): a field's `type` changed (with `x-kubernetes-int-or-string`
//! counted as `integer` or `string`) to one that refuses values the old type accepted. Stored
//! objects that set the field fail validation on update, manifests written for the old type are
//! refused, and clients generated from the old schema fail to decode what the server returns.
//! Not reported: widening (`integer` to `number`, a type to int-or-string).
//! Followed: kube-openapi `pkg/validation/validate/type.go` (the type check) and
//! apiextensions-apiserver `pkg/apiserver/schema/structural.go` (int-or-string).

use crate::lint::walk::revision::{Pair, Revision, differs};
use crate::lint::walk::schema_node::At;
use crate::lint::{Finding, Rule};

pub const ID: &str = "upgrade/type-changed";

pub const RULE: Rule = Rule {
    upgrade_pair: Some(check),
    ..Rule::new(ID)
};

/// The types a node accepts (empty: any, as in a junctor).
pub fn types<'a>(at: &At<'a, '_>) -> Vec<&'a str> {
    if at.flag("x-kubernetes-int-or-string") {
        vec!["integer", "string"]
    } else if at.ty().is_empty() {
        Vec::new()
    } else {
        vec![at.ty()]
    }
}

fn shown(types: &[&str]) -> String {
    match types {
        [] => "any type".into(),
        ["integer", "string"] => "int-or-string".into(),
        _ => types.join(" or "),
    }
}

pub fn check(_rev: &Revision, pair: &Pair, out: &mut Vec<Finding>) {
    if !differs(pair, "type") && !differs(pair, "x-kubernetes-int-or-string") {
        return;
    }
    let (old, new) = (types(&pair.old), types(&pair.new));
    let accepted = |t: &str| new.contains(&t) || (t == "integer" && new.contains(&"number"));
    if old.is_empty() || new.is_empty() || old.iter().all(|t| accepted(t)) {
        return;
    }
    let key = if pair.new.get("type").is_some() {
        "type"
    } else {
        "x-kubernetes-int-or-string"
    };
    let what = format!(
        "type changed from {} to {}: stored objects that set it fail validation when updated, manifests written for {} are refused, and clients built for it cannot decode the new values",
        shown(&old),
        shown(&new),
        shown(&old)
    );
    let mut f = pair.finding(ID, key, what);
    if let Some(c) = f.change.as_mut() {
        c.old = shown(&old).into();
        c.new = shown(&new).into();
    }
    out.push(f);
}
