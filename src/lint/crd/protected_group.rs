//! `crd/protected-group`: groups under k8s.io and kubernetes.io need the API-approval
//! annotation.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (validateAPIApproval) and `apihelpers` (IsProtectedCommunityGroup, GetAPIApprovalState).

use crate::lint::{Finding, Rule};
use crate::wording::go_quote;
use crate::yaml::Node;

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new("crd/protected-group")
};



const APPROVAL: &str = "api-approved.kubernetes.io";

fn is_protected(group: &str) -> bool {
    group == "k8s.io"
        || group.ends_with(".k8s.io")
        || group == "kubernetes.io"
        || group.ends_with(".kubernetes.io")
}

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some((group_node, group)) = super::group::group(root) else {
        return;
    };
    if !is_protected(group) {
        return;
    }
    let annotations = root.get("metadata").and_then(|m| m.get("annotations"));
    let field = format!("metadata.annotations[{APPROVAL}]");
    let entry = annotations
        .and_then(|a| a.entry(APPROVAL))
        .filter(|e| e.value.as_str().is_some_and(|v| !v.is_empty()));
    match entry {
        None => problems.push(Finding::new(
            "crd/protected-group",
            format!(
                "{field}: Required value: protected groups must have approval annotation {}, see https://github.com/kubernetes/enhancements/pull/1111",
                go_quote(APPROVAL)
            ),
            annotations.map(|a| a.span).unwrap_or(group_node.span),
        )),
        Some(e) => {
            let value = e.value.as_str().unwrap_or_default();
            // Go's url.ParseRequestURI accepts an absolute path or anything with a scheme.
            let has_scheme = value.split_once(':').is_some_and(|(scheme, _)| {
                scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            });
            let approved = value.starts_with("unapproved") || value.starts_with('/') || has_scheme;
            if !approved {
                problems.push(Finding::new(
                    "crd/protected-group",
                    format!(
                        "{field}: Invalid value: {}: protected groups must have approval annotation {} with either a URL or a reason starting with \"unapproved\", see https://github.com/kubernetes/enhancements/pull/1111",
                        go_quote(value),
                        go_quote(APPROVAL)
                    ),
                    e.value.span,
                ));
            }
        }
    }
}
