//! `crd/group` (the group is a DNS subdomain with at least one dot) and `crd/protected-group`
//! (groups under k8s.io and kubernetes.io need the API-approval annotation).
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionSpec, validateAPIApproval) and `apihelpers`
//! (IsProtectedCommunityGroup, GetAPIApprovalState).

use crate::model::crd::CrdProblem;
use crate::validate::field_error::go_quote;
use crate::validate::k8s_names;
use crate::yaml::Node;

const APPROVAL: &str = "api-approved.kubernetes.io";

fn is_protected(group: &str) -> bool {
    group == "k8s.io"
        || group.ends_with(".k8s.io")
        || group == "kubernetes.io"
        || group.ends_with(".kubernetes.io")
}

pub fn check(root: &Node, problems: &mut Vec<CrdProblem>) {
    let Some(group_node) = root.get("spec").and_then(|s| s.get("group")) else {
        return;
    };
    let Some(group) = group_node.as_str().filter(|g| !g.is_empty()) else {
        return;
    };
    let errs = k8s_names::is_dns1123_subdomain(group);
    if !errs.is_empty() {
        problems.push(CrdProblem {
            rule: "crd/group",
            message: format!(
                "spec.group: Invalid value: {}: {}",
                go_quote(group),
                errs.join(",")
            ),
            span: group_node.span,
            help: None,
        });
    } else if !group.contains('.') {
        problems.push(CrdProblem {
            rule: "crd/group",
            message: format!(
                "spec.group: Invalid value: {}: should be a domain with at least one dot",
                go_quote(group)
            ),
            span: group_node.span,
            help: None,
        });
    }
    if !is_protected(group) {
        return;
    }
    let annotations = root.get("metadata").and_then(|m| m.get("annotations"));
    let field = format!("metadata.annotations[{APPROVAL}]");
    let entry = annotations
        .and_then(|a| a.entry(APPROVAL))
        .filter(|e| e.value.as_str().is_some_and(|v| !v.is_empty()));
    match entry {
        None => problems.push(CrdProblem {
            rule: "crd/protected-group",
            message: format!(
                "{field}: Required value: protected groups must have approval annotation {}, see https://github.com/kubernetes/enhancements/pull/1111",
                go_quote(APPROVAL)
            ),
            span: annotations.map(|a| a.span).unwrap_or(group_node.span),
            help: None,
        }),
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
                problems.push(CrdProblem {
                    rule: "crd/protected-group",
                    message: format!(
                        "{field}: Invalid value: {}: protected groups must have approval annotation {} with either a URL or a reason starting with \"unapproved\", see https://github.com/kubernetes/enhancements/pull/1111",
                        go_quote(value),
                        go_quote(APPROVAL)
                    ),
                    span: e.value.span,
                    help: None,
                });
            }
        }
    }
}
