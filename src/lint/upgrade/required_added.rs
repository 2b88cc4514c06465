//! `upgrade/required-added` (error): a field became required, and its schema has no default to
//! fill it. Every manifest without it is refused, and so is every update of an existing object
//! without it that changes the object holding it: the `required` error is raised on that object,
//! and ratcheting (Kubernetes 1.30+) forgives only errors of values the update left unchanged;
//! before 1.30 every update of such an object fails, the removal of a finalizer included. With a
//! default, the server fills the field when it reads or receives an object whose parent is there,
//! so that case is not reported.
//! Followed: kube-openapi `pkg/validation/validate/object_validator.go` (required),
//! apiextensions-apiserver `pkg/apiserver/validation/ratcheting.go` (errors of a value equal to
//! the old one become warnings) and `pkg/apiserver/schema/defaulting/algorithm.go`.

use crate::lint::walk::revision::{Pair, Revision, differs};
use crate::lint::{Finding, Rule};
use crate::yaml::Node;

pub const ID: &str = "upgrade/required-added";

pub const RULE: Rule = Rule {
    upgrade_pair: Some(check),
    ..Rule::new(ID)
};

fn names(n: Option<&Node>) -> Vec<&str> {
    n.and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .collect()
}

pub fn check(_rev: &Revision, pair: &Pair, out: &mut Vec<Finding>) {
    if !differs(pair, "required") {
        return;
    }
    let old = names(pair.old.get("required"));
    let new = names(pair.new.get("required"));
    for name in new.iter().filter(|n| !old.contains(n)) {
        let defaulted = pair
            .new
            .property(name)
            .is_some_and(|p| p.get("default").is_some());
        if defaulted {
            continue;
        }
        let path = pair.child_path(name);
        out.push(pair.finding_with(
            ID,
            "required",
            format_args!(
                "field {name} is now required, without a default: manifests without it are refused, and so is each update of an existing object without it that changes the object holding it (only unchanged values are ratcheted, since Kubernetes 1.30; before, every update fails)"
            ),
            path,
            serde_json::Value::from(old.clone()),
            serde_json::Value::from(new.clone()),
        ));
    }
}
