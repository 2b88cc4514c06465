//! `crd/group`: the group is a DNS subdomain with at least one dot.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionSpec).

use crate::lint::{Finding, Rule};
use crate::wording::go_quote;
use crate::validate::k8s_names;
use crate::yaml::Node;

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new("crd/group")
};

/// `spec.group` when it is a non-empty string, with its node.
pub fn group(root: &Node) -> Option<(&Node, &str)> {
    let group_node = root.get("spec").and_then(|s| s.get("group"))?;
    let group = group_node.as_str().filter(|g| !g.is_empty())?;
    Some((group_node, group))
}

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some((group_node, group)) = group(root) else {
        return;
    };
    let errs = k8s_names::is_dns1123_subdomain(group);
    if !errs.is_empty() {
        problems.push(Finding::new(
            "crd/group",
            format!(
                "spec.group: Invalid value: {}: {}",
                go_quote(group),
                errs.join(",")
            ),
            group_node.span,
        ));
    } else if !group.contains('.') {
        problems.push(Finding::new(
            "crd/group",
            format!(
                "spec.group: Invalid value: {}: should be a domain with at least one dot",
                go_quote(group)
            ),
            group_node.span,
        ));
    }
}
