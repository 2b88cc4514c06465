//! `crd/name`: `metadata.name` must be `<spec.names.plural>.<spec.group>`.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinition).

use crate::model::crd::CrdProblem;
use crate::validate::field_error::go_quote;
use crate::yaml::Node;

pub const RULE: &str = "crd/name";

pub fn check(root: &Node, problems: &mut Vec<CrdProblem>) {
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
        problems.push(CrdProblem {
            rule: RULE,
            message: format!(
                "metadata.name: Invalid value: {}: must be spec.names.plural+\".\"+spec.group",
                go_quote(actual)
            ),
            span: name.span,
            help: None,
        });
    }
}
