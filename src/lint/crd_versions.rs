//! `crd/storage-version` (exactly one version has `storage: true`) and `crd/duplicate-version`
//! (version names are unique), as the API server checks `spec.versions`.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionSpec).

use crate::model::crd::CrdProblem;
use crate::validate::field_error::go_quote;
use crate::yaml::Node;

pub fn check(root: &Node, problems: &mut Vec<CrdProblem>) {
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
        problems.push(CrdProblem {
            rule: "crd/storage-version",
            message: format!(
                "spec.versions: Invalid value: {storage} versions marked as storage: must have exactly one version marked as storage version"
            ),
            span: versions_node.span,
            help: None,
        });
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, v) in versions.iter().enumerate() {
        let Some(name_node) = v.get("name") else {
            continue;
        };
        let Some(name) = name_node.as_str() else {
            continue;
        };
        if seen.contains(&name) {
            problems.push(CrdProblem {
                rule: "crd/duplicate-version",
                message: format!(
                    "spec.versions[{i}].name: Duplicate value: {}",
                    go_quote(name)
                ),
                span: name_node.span,
                help: None,
            });
        } else {
            seen.push(name);
        }
    }
}
