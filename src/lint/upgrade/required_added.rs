//! `upgrade/required-added` (error): a field became required, and its schema has no default to
//! fill it. Existing objects without it fail validation on every update (status updates and the
//! removal of a finalizer included: `required` is not ratcheted), and every manifest without it
//! is refused. With a default, the server fills the field when it reads or receives an object
//! whose parent is there, so that case is not reported.
//! Followed: kube-openapi `pkg/validation/validate/object_validator.go` (required),
//! apiextensions-apiserver `pkg/apiserver/schema/defaulting/algorithm.go` and the Kubernetes
//! documentation on validation ratcheting (`required` is not ratcheted).

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
                "field {name} is now required, without a default: existing objects that lack it fail validation on every update (required is not ratcheted; status updates and finalizer removal fail too), and manifests without it are refused"
            ),
            path,
            serde_json::Value::from(old.clone()),
            serde_json::Value::from(new.clone()),
        ));
    }
}
