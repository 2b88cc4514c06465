//! `upgrade/enum-value-removed` (warning): an `enum` lost values, or a field without one got one
//! (every other value is refused from then on). Objects that hold a removed value are refused
//! when created, and when updated with a changed value; unchanged values are ratcheted (accepted)
//! on update since Kubernetes 1.30. Whether anything breaks depends on the data: a warning, and
//! `upgrade/breaks-resource` names the manifests that hold a removed value. Added values are not
//! reported (clients that switch over the values should still be told).
//! Followed: kube-openapi `pkg/validation/validate/validator.go` (enum) and apiextensions-apiserver
//! `pkg/apiserver/validation/ratcheting.go`.

use crate::lint::walk::revision::{Pair, Revision, differs};
use crate::lint::{Finding, Rule};
use crate::yaml::Node;

pub const ID: &str = "upgrade/enum-value-removed";

pub const RULE: Rule = Rule {
    upgrade_pair: Some(check),
    ..Rule::new(ID)
};

pub fn check(_rev: &Revision, pair: &Pair, out: &mut Vec<Finding>) {
    if !differs(pair, "enum") {
        return;
    }
    let Some(new) = pair.new.get("enum").and_then(Node::as_seq) else {
        return;
    };
    let shown = |v: &[&Node]| {
        v.iter()
            .map(|n| n.to_json())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let what = match pair.old.get("enum").and_then(Node::as_seq) {
        None => format!(
            "an enum was added ({}): every other value is refused when objects are created, and when updated with a changed value",
            shown(&new.iter().collect::<Vec<_>>())
        ),
        Some(old) => {
            let gone: Vec<&Node> = old
                .iter()
                .filter(|o| !new.iter().any(|n| n.value.json_eq(&o.value)))
                .collect();
            if gone.is_empty() {
                return;
            }
            let (one, them) = if gone.len() == 1 {
                ("value", "it")
            } else {
                ("values", "them")
            };
            format!(
                "enum {one} {} removed: objects that hold {them} are refused when created, and when updated with a changed value",
                shown(&gone)
            )
        }
    };
    out.push(pair.finding(ID, "enum", what));
}
