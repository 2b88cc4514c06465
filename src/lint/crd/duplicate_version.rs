//! `crd/duplicate-version`: version names are unique, as the API server checks `spec.versions`.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionSpec).

use crate::lint::walk::layout::versions;
use crate::lint::{Finding, Rule};
use crate::wording::go_quote;
use crate::yaml::Node;

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new("crd/duplicate-version")
};

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(versions) = versions(root) else {
        return;
    };
    let mut seen: Vec<&str> = Vec::new();
    for (i, v) in versions.iter().enumerate() {
        let Some(name_node) = v.get("name") else {
            continue;
        };
        let Some(name) = name_node.as_str() else {
            continue;
        };
        if seen.contains(&name) {
            problems.push(Finding::new(
                "crd/duplicate-version",
                format!(
                    "spec.versions[{i}].name: Duplicate value: {}",
                    go_quote(name)
                ),
                name_node.span,
            ));
        } else {
            seen.push(name);
        }
    }
}
