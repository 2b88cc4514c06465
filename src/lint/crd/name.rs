//! `crd/name`: `metadata.name` must be `<spec.names.plural>.<spec.group>`.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinition).

use crate::lint::{Finding, Rule};
use crate::wording::go_quote;
use crate::yaml::Node;

pub const ID: &str = "crd/name";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let get = |path: &[&str]| {
        let mut n = root;
        for k in path {
            n = n.get(k)?;
        }
        Some(n)
    };
    let (Some(name), Some(plural), Some(group)) = (
        get(&["metadata", "name"]),
        get(&["spec", "names", "plural"]).and_then(Node::as_str),
        get(&["spec", "group"]).and_then(Node::as_str),
    ) else {
        return;
    };
    let Some(actual) = name.as_str() else {
        return;
    };
    if actual != format!("{plural}.{group}") {
        problems.push(Finding::new(
            ID,
            format!(
                "metadata.name: Invalid value: {}: must be spec.names.plural+\".\"+spec.group",
                go_quote(actual)
            ),
            name.span,
        ));
    }
}
