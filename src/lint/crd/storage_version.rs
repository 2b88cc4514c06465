//! `crd/storage-version`: exactly one version has `storage: true`, as the API server checks
//! `spec.versions`.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionSpec).

use crate::lint::{Finding, Rule};
use crate::yaml::Node;

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new("crd/storage-version")
};

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(versions_node) = root.get("spec").and_then(|s| s.get("versions")) else {
        return;
    };
    let Some(versions) = versions_node.as_seq() else {
        return;
    };
    let storage = versions
        .iter()
        .filter(|v| v.get("storage").and_then(Node::as_bool) == Some(true))
        .count();
    if !versions.is_empty() && storage != 1 {
        problems.push(Finding::new(
            "crd/storage-version",
            format!(
                "spec.versions: Invalid value: {storage} versions marked as storage: must have exactly one version marked as storage version"
            ),
            versions_node.span,
        ));
    }
}
