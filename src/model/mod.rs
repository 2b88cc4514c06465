//! What each document is (CRD, list, resource, other), and the CRDs indexed by group and kind
//! with each version's schema compiled once.

pub mod crd;
pub mod regex;
pub mod schema;
pub mod version_priority;

pub use crd::{Crd, CrdIndex, CrdVersion};

use crate::yaml::Node;

/// Group and version of an `apiVersion` (`apps/v1` -> ("apps", "v1"), `v1` -> ("", "v1")).
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

pub const CRD_GROUP: &str = "apiextensions.k8s.io";

#[derive(Debug, PartialEq, Eq)]
pub enum DocKind {
    /// A mapping without apiVersion and kind: not a Kubernetes object (values files, CI config).
    Other,
    Crd,
    /// A CRD in a removed API version (`apiextensions.k8s.io/v1beta1`).
    LegacyCrd,
    /// `List` or `*List` with `items`.
    List,
    Resource,
}

pub fn classify(root: &Node) -> DocKind {
    let api_version = root.get("apiVersion").and_then(Node::as_str);
    let kind = root.get("kind").and_then(Node::as_str);
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        return DocKind::Other;
    };
    let (group, version) = split_api_version(api_version);
    if group == CRD_GROUP && kind == "CustomResourceDefinition" {
        return if version == "v1" {
            DocKind::Crd
        } else {
            DocKind::LegacyCrd
        };
    }
    if kind.ends_with("List") && root.get("items").and_then(Node::as_seq).is_some() {
        return DocKind::List;
    }
    DocKind::Resource
}

/// API groups served by the API server itself (schemas for them come later); resources in
/// them are skipped with an info. A CRD for such a group still wins when one is loaded.
pub fn is_builtin_group(group: &str) -> bool {
    matches!(
        group,
        "" | "apps"
            | "batch"
            | "autoscaling"
            | "policy"
            | "extensions"
            | "apiextensions.k8s.io"
            | "apiregistration.k8s.io"
    ) || group.ends_with(".k8s.io") && {
        let prefix = &group[..group.len() - ".k8s.io".len()];
        matches!(
            prefix,
            "admissionregistration"
                | "authentication"
                | "authorization"
                | "certificates"
                | "coordination"
                | "discovery"
                | "events"
                | "flowcontrol.apiserver"
                | "internal.apiserver"
                | "networking"
                | "node"
                | "rbac.authorization"
                | "resource"
                | "scheduling"
                | "storage"
                | "storagemigration"
        )
    }
}

/// Configuration files that look like Kubernetes objects but are never sent to an API server.
pub fn is_client_side_config(group: &str) -> bool {
    matches!(
        group,
        "kustomize.config.k8s.io" | "config.kubernetes.io" | "kubectl.config.k8s.io"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_groups() {
        assert!(is_builtin_group(""));
        assert!(is_builtin_group("apps"));
        assert!(is_builtin_group("networking.k8s.io"));
        assert!(is_builtin_group("rbac.authorization.k8s.io"));
        assert!(!is_builtin_group("gateway.networking.k8s.io"));
        assert!(!is_builtin_group("cert-manager.io"));
    }

    #[test]
    fn api_version_split() {
        assert_eq!(split_api_version("v1"), ("", "v1"));
        assert_eq!(split_api_version("apps/v1"), ("apps", "v1"));
    }
}
