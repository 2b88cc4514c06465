//! When a built-in API version was deprecated and removed, and what replaces it.
//!
//! `data/builtin/lifecycle.json` is generated (`tools/builtin-schemas`) from:
//! - the `APILifecycleDeprecated/Removed/Replacement` functions of
//!   `zz_generated.prerelease-lifecycle.go` in k8s.io/api, k8s.io/apiextensions-apiserver and
//!   k8s.io/kube-aggregator, newest `v0.NN.0` tag that still has the type (tags v0.19.0 and
//!   later: the generator's output starts there);
//! - the embedded OpenAPI documents, which are authoritative for 1.23 to 1.35: a kind served
//!   through 1.N and absent from 1.N+1 was removed in 1.N+1, whatever the tag planned;
//! - `tools/builtin-schemas/lifecycle-extra.json`: what the tags lack (the removals of
//!   rbac.authorization.k8s.io/v1alpha1 and scheduling.k8s.io/v1alpha1 in 1.23, alpha groups
//!   deleted before the tags existed) or get wrong (networking.k8s.io/v1beta1 IngressClass names
//!   IngressClassList as its replacement), each entry with its source (the deprecated API
//!   migration guide, CHANGELOGs, k8s.io/api history).
//!
//! Each entry keeps its sources; `crdlint` can quote them.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

static LIFECYCLE_JSON: &str = include_str!("../../data/builtin/lifecycle.json");

/// The lifecycle of one group/version/kind (minor versions of Kubernetes 1.x).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Lifecycle {
    /// `apps/v1beta1`, `v1` for the core group.
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    pub introduced: Option<u32>,
    /// The release from which the API server sends a deprecation warning.
    pub deprecated: Option<u32>,
    /// The first release that does not serve it.
    pub removed: Option<u32>,
    /// The removal is announced for a release newer than the newest embedded one.
    #[serde(default)]
    pub planned: bool,
    /// The removal release the lifecycle tag gives, where it differs from `removed` (the API
    /// server's warning quotes the tag).
    pub tag_removed: Option<u32>,
    /// `apps/v1 Deployment`.
    pub replacement: Option<String>,
    pub sources: Vec<String>,
}

impl Lifecycle {
    /// The warning the API server sends for a deprecated kind (apiserver
    /// `endpoints/deprecation.WarningMessage`): `apps/v1beta1 Deployment is deprecated in v1.8+,
    /// unavailable in v1.16+; use apps/v1 Deployment`.
    pub fn warning_message(&self) -> Option<String> {
        let deprecated = self.deprecated?;
        let mut msg = format!(
            "{} {} is deprecated in v1.{deprecated}+",
            self.api_version, self.kind
        );
        if let Some(r) = self.tag_removed.or(self.removed) {
            msg.push_str(&format!(", unavailable in v1.{r}+"));
        }
        if let Some(rep) = &self.replacement {
            msg.push_str(&format!("; use {rep}"));
        }
        Some(msg)
    }
}

#[derive(Deserialize)]
struct LifecycleFile {
    entries: Vec<Lifecycle>,
}

struct Table {
    entries: Vec<Lifecycle>,
    by_gvk: HashMap<(String, String), usize>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let file: LifecycleFile =
            serde_json::from_str(LIFECYCLE_JSON).expect("data/builtin/lifecycle.json is valid");
        let by_gvk = file
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.api_version.clone(), e.kind.clone()), i))
            .collect();
        Table {
            entries: file.entries,
            by_gvk,
        }
    })
}

/// The lifecycle of a group/version/kind, when one is known (kinds of GA versions that were
/// never deprecated have none).
pub fn lifecycle(group: &str, version: &str, kind: &str) -> Option<&'static Lifecycle> {
    let t = table();
    let i = *t
        .by_gvk
        .get(&(super::api_version(group, version), kind.to_string()))?;
    t.entries.get(i)
}

/// Every known lifecycle, sorted by apiVersion and kind.
pub fn all() -> &'static [Lifecycle] {
    &table().entries
}

/// Whether a release serves a built-in group/version/kind, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiStatus {
    /// Served, not deprecated.
    Served,
    /// Served, and deprecated in this release or earlier (the API server warns).
    Deprecated(&'static Lifecycle),
    /// No longer served: removed in `Lifecycle::removed`, at or before this release.
    Removed(&'static Lifecycle),
    /// The kind is unknown, but its whole group/version is no longer served: every kind the
    /// lifecycle data knows in it was removed, the last in `removed` (`apps/v1beta1
    /// ReplicaSet`, which never existed, in a group/version removed in 1.16).
    GroupVersionRemoved { removed: u32 },
    /// Not served, and no removal at or before this release is known: a kind the group/version
    /// never had, one introduced later, or an alpha version absent from this release.
    NotServed,
}

/// The status of `group/version kind` in Kubernetes 1.`minor` (an embedded minor: 1.23 to
/// 1.35; for others served-ness is unknown and the answer is `NotServed` unless the lifecycle
/// data says it was removed by then).
pub fn api_status(minor: u32, group: &str, version: &str, kind: &str) -> ApiStatus {
    let lc = lifecycle(group, version, kind);
    if super::kind(minor, group, version, kind).is_some() {
        // apiserver endpoints/deprecation.IsDeprecated: deprecated at or before this release.
        return match lc {
            Some(l) if l.deprecated.is_some_and(|d| d <= minor) => ApiStatus::Deprecated(l),
            _ => ApiStatus::Served,
        };
    }
    if let Some(l) = lc
        && l.removed.is_some_and(|r| r <= minor)
    {
        return ApiStatus::Removed(l);
    }
    if !super::serves_group_version(minor, group, version) {
        let gv = super::api_version(group, version);
        let mut last = None;
        let mut all_removed = true;
        for e in all().iter().filter(|e| e.api_version == gv) {
            match e.removed {
                Some(r) if r <= minor => last = last.max(Some(r)),
                _ => all_removed = false,
            }
        }
        if all_removed && let Some(removed) = last {
            return ApiStatus::GroupVersionRemoved { removed };
        }
    }
    ApiStatus::NotServed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gv(api_version: &str) -> (&str, &str) {
        api_version.split_once('/').unwrap_or(("", api_version))
    }

    /// Every apiVersion/kind removed since Kubernetes 1.16 (the deprecated API migration guide,
    /// https://kubernetes.io/docs/reference/using-api/deprecation-guide/, plus the alpha versions
    /// removed in that time), with its removal release and replacement, checked at a release
    /// before and after the removal. Releases before 1.23 are not embedded: there only the
    /// "after" side is checked.
    const REMOVED: &[(&str, &str, u32, Option<&str>)] = &[
        // v1.16
        (
            "extensions/v1beta1",
            "DaemonSet",
            16,
            Some("apps/v1 DaemonSet"),
        ),
        (
            "extensions/v1beta1",
            "Deployment",
            16,
            Some("apps/v1 Deployment"),
        ),
        (
            "extensions/v1beta1",
            "ReplicaSet",
            16,
            Some("apps/v1 ReplicaSet"),
        ),
        (
            "extensions/v1beta1",
            "NetworkPolicy",
            16,
            Some("networking.k8s.io/v1 NetworkPolicy"),
        ),
        (
            "extensions/v1beta1",
            "PodSecurityPolicy",
            16,
            Some("policy/v1beta1 PodSecurityPolicy"),
        ),
        ("apps/v1beta1", "Deployment", 16, Some("apps/v1 Deployment")),
        (
            "apps/v1beta1",
            "StatefulSet",
            16,
            Some("apps/v1 StatefulSet"),
        ),
        (
            "apps/v1beta1",
            "ControllerRevision",
            16,
            Some("apps/v1 ControllerRevision"),
        ),
        ("apps/v1beta2", "DaemonSet", 16, Some("apps/v1 DaemonSet")),
        ("apps/v1beta2", "Deployment", 16, Some("apps/v1 Deployment")),
        ("apps/v1beta2", "ReplicaSet", 16, Some("apps/v1 ReplicaSet")),
        (
            "apps/v1beta2",
            "StatefulSet",
            16,
            Some("apps/v1 StatefulSet"),
        ),
        (
            "apps/v1beta2",
            "ControllerRevision",
            16,
            Some("apps/v1 ControllerRevision"),
        ),
        // alpha versions gone with their k8s.io/api packages
        ("auditregistration.k8s.io/v1alpha1", "AuditSink", 19, None),
        ("settings.k8s.io/v1alpha1", "PodPreset", 20, None),
        ("batch/v2alpha1", "CronJob", 21, Some("batch/v1 CronJob")),
        (
            "discovery.k8s.io/v1alpha1",
            "EndpointSlice",
            21,
            Some("discovery.k8s.io/v1 EndpointSlice"),
        ),
        (
            "flowcontrol.apiserver.k8s.io/v1alpha1",
            "FlowSchema",
            21,
            Some("flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema"),
        ),
        // v1.22
        (
            "admissionregistration.k8s.io/v1beta1",
            "MutatingWebhookConfiguration",
            22,
            Some("admissionregistration.k8s.io/v1 MutatingWebhookConfiguration"),
        ),
        (
            "admissionregistration.k8s.io/v1beta1",
            "ValidatingWebhookConfiguration",
            22,
            Some("admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration"),
        ),
        (
            "apiextensions.k8s.io/v1beta1",
            "CustomResourceDefinition",
            22,
            Some("apiextensions.k8s.io/v1 CustomResourceDefinition"),
        ),
        (
            "apiregistration.k8s.io/v1beta1",
            "APIService",
            22,
            Some("apiregistration.k8s.io/v1 APIService"),
        ),
        (
            "authentication.k8s.io/v1beta1",
            "TokenReview",
            22,
            Some("authentication.k8s.io/v1 TokenReview"),
        ),
        (
            "authorization.k8s.io/v1beta1",
            "SubjectAccessReview",
            22,
            Some("authorization.k8s.io/v1 SubjectAccessReview"),
        ),
        (
            "authorization.k8s.io/v1beta1",
            "LocalSubjectAccessReview",
            22,
            Some("authorization.k8s.io/v1 LocalSubjectAccessReview"),
        ),
        (
            "authorization.k8s.io/v1beta1",
            "SelfSubjectAccessReview",
            22,
            Some("authorization.k8s.io/v1 SelfSubjectAccessReview"),
        ),
        (
            "certificates.k8s.io/v1beta1",
            "CertificateSigningRequest",
            22,
            Some("certificates.k8s.io/v1 CertificateSigningRequest"),
        ),
        (
            "coordination.k8s.io/v1beta1",
            "Lease",
            22,
            Some("coordination.k8s.io/v1 Lease"),
        ),
        (
            "extensions/v1beta1",
            "Ingress",
            22,
            Some("networking.k8s.io/v1 Ingress"),
        ),
        (
            "networking.k8s.io/v1beta1",
            "Ingress",
            22,
            Some("networking.k8s.io/v1 Ingress"),
        ),
        (
            "networking.k8s.io/v1beta1",
            "IngressClass",
            22,
            Some("networking.k8s.io/v1 IngressClass"),
        ),
        (
            "rbac.authorization.k8s.io/v1beta1",
            "ClusterRole",
            22,
            Some("rbac.authorization.k8s.io/v1 ClusterRole"),
        ),
        (
            "rbac.authorization.k8s.io/v1beta1",
            "ClusterRoleBinding",
            22,
            Some("rbac.authorization.k8s.io/v1 ClusterRoleBinding"),
        ),
        (
            "rbac.authorization.k8s.io/v1beta1",
            "Role",
            22,
            Some("rbac.authorization.k8s.io/v1 Role"),
        ),
        (
            "rbac.authorization.k8s.io/v1beta1",
            "RoleBinding",
            22,
            Some("rbac.authorization.k8s.io/v1 RoleBinding"),
        ),
        (
            "scheduling.k8s.io/v1beta1",
            "PriorityClass",
            22,
            Some("scheduling.k8s.io/v1 PriorityClass"),
        ),
        (
            "storage.k8s.io/v1beta1",
            "CSIDriver",
            22,
            Some("storage.k8s.io/v1 CSIDriver"),
        ),
        (
            "storage.k8s.io/v1beta1",
            "CSINode",
            22,
            Some("storage.k8s.io/v1 CSINode"),
        ),
        (
            "storage.k8s.io/v1beta1",
            "StorageClass",
            22,
            Some("storage.k8s.io/v1 StorageClass"),
        ),
        (
            "storage.k8s.io/v1beta1",
            "VolumeAttachment",
            22,
            Some("storage.k8s.io/v1 VolumeAttachment"),
        ),
        // v1.23
        (
            "rbac.authorization.k8s.io/v1alpha1",
            "Role",
            23,
            Some("rbac.authorization.k8s.io/v1 Role"),
        ),
        (
            "scheduling.k8s.io/v1alpha1",
            "PriorityClass",
            23,
            Some("scheduling.k8s.io/v1 PriorityClass"),
        ),
        // v1.24
        ("node.k8s.io/v1alpha1", "RuntimeClass", 24, None),
        (
            "storage.k8s.io/v1alpha1",
            "CSIStorageCapacity",
            24,
            Some("storage.k8s.io/v1beta1 CSIStorageCapacity"),
        ),
        // v1.25
        ("batch/v1beta1", "CronJob", 25, Some("batch/v1 CronJob")),
        (
            "discovery.k8s.io/v1beta1",
            "EndpointSlice",
            25,
            Some("discovery.k8s.io/v1 EndpointSlice"),
        ),
        (
            "events.k8s.io/v1beta1",
            "Event",
            25,
            Some("events.k8s.io/v1 Event"),
        ),
        (
            "autoscaling/v2beta1",
            "HorizontalPodAutoscaler",
            25,
            Some("autoscaling/v2 HorizontalPodAutoscaler"),
        ),
        (
            "policy/v1beta1",
            "PodDisruptionBudget",
            25,
            Some("policy/v1 PodDisruptionBudget"),
        ),
        ("policy/v1beta1", "PodSecurityPolicy", 25, None),
        (
            "node.k8s.io/v1beta1",
            "RuntimeClass",
            25,
            Some("node.k8s.io/v1 RuntimeClass"),
        ),
        // v1.26
        (
            "flowcontrol.apiserver.k8s.io/v1beta1",
            "FlowSchema",
            26,
            Some("flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema"),
        ),
        (
            "flowcontrol.apiserver.k8s.io/v1beta1",
            "PriorityLevelConfiguration",
            26,
            Some("flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration"),
        ),
        (
            "autoscaling/v2beta2",
            "HorizontalPodAutoscaler",
            26,
            Some("autoscaling/v2 HorizontalPodAutoscaler"),
        ),
        // v1.27
        (
            "storage.k8s.io/v1beta1",
            "CSIStorageCapacity",
            27,
            Some("storage.k8s.io/v1 CSIStorageCapacity"),
        ),
        ("resource.k8s.io/v1alpha1", "ResourceClaim", 27, None),
        // v1.29
        (
            "flowcontrol.apiserver.k8s.io/v1beta2",
            "FlowSchema",
            29,
            Some("flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema"),
        ),
        (
            "flowcontrol.apiserver.k8s.io/v1beta2",
            "PriorityLevelConfiguration",
            29,
            Some("flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration"),
        ),
        ("networking.k8s.io/v1alpha1", "ClusterCIDR", 29, None),
        // v1.31
        ("resource.k8s.io/v1alpha2", "ResourceClaim", 31, None),
        ("networking.k8s.io/v1alpha1", "IPAddress", 31, None),
        // v1.32
        (
            "flowcontrol.apiserver.k8s.io/v1beta3",
            "FlowSchema",
            32,
            Some("flowcontrol.apiserver.k8s.io/v1 FlowSchema"),
        ),
        (
            "flowcontrol.apiserver.k8s.io/v1beta3",
            "PriorityLevelConfiguration",
            32,
            Some("flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration"),
        ),
        (
            "admissionregistration.k8s.io/v1alpha1",
            "ValidatingAdmissionPolicy",
            32,
            None,
        ),
        (
            "authentication.k8s.io/v1alpha1",
            "SelfSubjectReview",
            32,
            None,
        ),
        ("coordination.k8s.io/v1alpha1", "LeaseCandidate", 32, None),
        // v1.33
        (
            "authentication.k8s.io/v1beta1",
            "SelfSubjectReview",
            33,
            None,
        ),
        // v1.34
        (
            "admissionregistration.k8s.io/v1beta1",
            "ValidatingAdmissionPolicy",
            34,
            None,
        ),
        (
            "resource.k8s.io/v1alpha3",
            "ResourceClaim",
            34,
            Some("resource.k8s.io/v1beta1 ResourceClaim"),
        ),
        // v1.35
        (
            "storage.k8s.io/v1alpha1",
            "VolumeAttributesClass",
            35,
            Some("storage.k8s.io/v1 VolumeAttributesClass"),
        ),
        (
            "storagemigration.k8s.io/v1alpha1",
            "StorageVersionMigration",
            35,
            None,
        ),
        (
            "certificates.k8s.io/v1alpha1",
            "PodCertificateRequest",
            35,
            None,
        ),
    ];

    #[test]
    fn every_removal_since_1_16_before_and_after() {
        let first = super::super::versions()[0];
        for &(api_version, kind, removed, replacement) in REMOVED {
            let (g, v) = gv(api_version);
            let l = lifecycle(g, v, kind)
                .unwrap_or_else(|| panic!("no lifecycle for {api_version} {kind}"));
            assert_eq!(l.removed, Some(removed), "{api_version} {kind}");
            assert!(!l.planned, "{api_version} {kind}");
            assert_eq!(
                l.replacement.as_deref(),
                replacement,
                "{api_version} {kind}"
            );
            assert!(!l.sources.is_empty(), "{api_version} {kind}");
            // After: removed, in the removal release and in the newest one.
            for after in [removed.max(first), super::super::latest()] {
                assert_eq!(
                    api_status(after, g, v, kind),
                    ApiStatus::Removed(l),
                    "{api_version} {kind} in 1.{after}"
                );
            }
            // Before: served (deprecated or not) by the release before the removal.
            if removed > first {
                let before = removed - 1;
                assert!(
                    matches!(
                        api_status(before, g, v, kind),
                        ApiStatus::Served | ApiStatus::Deprecated(_)
                    ),
                    "{api_version} {kind} in 1.{before}: {:?}",
                    api_status(before, g, v, kind)
                );
                assert!(super::super::lookup(before, g, v, kind).is_some());
                assert!(super::super::lookup(removed, g, v, kind).is_none());
            }
        }
    }

    #[test]
    fn deprecated_while_served() {
        let (g, v, k) = ("autoscaling", "v2beta2", "HorizontalPodAutoscaler");
        assert_eq!(
            api_status(22, g, v, k),
            ApiStatus::NotServed,
            "1.22 is not embedded"
        );
        let ApiStatus::Deprecated(l) = api_status(23, g, v, k) else {
            panic!("{:?}", api_status(23, g, v, k))
        };
        assert_eq!(l.deprecated, Some(23));
        assert_eq!(
            l.warning_message().unwrap(),
            "autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated in v1.23+, unavailable in v1.26+; use autoscaling/v2 HorizontalPodAutoscaler"
        );
        assert!(matches!(api_status(25, g, v, k), ApiStatus::Deprecated(_)));
        assert!(matches!(api_status(26, g, v, k), ApiStatus::Removed(_)));
        // flowcontrol v1beta3: served 1.26-1.31, deprecated from 1.29.
        let (g, v, k) = ("flowcontrol.apiserver.k8s.io", "v1beta3", "FlowSchema");
        assert_eq!(api_status(28, g, v, k), ApiStatus::Served);
        assert!(matches!(api_status(29, g, v, k), ApiStatus::Deprecated(_)));
        // Still served by the newest release, removal planned.
        let l = lifecycle("resource.k8s.io", "v1beta1", "ResourceClaim").unwrap();
        assert!(l.planned);
        assert_eq!(l.removed, Some(38));
        assert!(matches!(
            api_status(35, "resource.k8s.io", "v1beta1", "ResourceClaim"),
            ApiStatus::Deprecated(_)
        ));
        assert_eq!(
            api_status(34, "resource.k8s.io", "v1beta1", "ResourceClaim"),
            ApiStatus::Served
        );
        // GA kinds have no lifecycle and are served.
        assert!(lifecycle("apps", "v1", "Deployment").is_none());
        assert_eq!(
            api_status(35, "apps", "v1", "Deployment"),
            ApiStatus::Served
        );
    }

    #[test]
    fn warning_quotes_the_tagged_removal() {
        // Tagged for removal in 1.37, gone from the OpenAPI documents after 1.31.
        let l = lifecycle("coordination.k8s.io", "v1alpha1", "LeaseCandidate").unwrap();
        assert_eq!(l.removed, Some(32));
        assert_eq!(l.tag_removed, Some(37));
        assert!(
            l.warning_message()
                .unwrap()
                .contains("unavailable in v1.37+")
        );
        let l = lifecycle("apps", "v1beta1", "Deployment").unwrap();
        assert_eq!(
            l.warning_message().unwrap(),
            "apps/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment"
        );
    }

    #[test]
    fn unknown_kinds() {
        // A kind apps/v1beta1 never had, in a group/version gone since 1.16.
        assert_eq!(
            api_status(30, "apps", "v1beta1", "ReplicaSet"),
            ApiStatus::GroupVersionRemoved { removed: 16 }
        );
        // A typo in a served group/version.
        assert_eq!(
            api_status(30, "apps", "v1", "Deploymnet"),
            ApiStatus::NotServed
        );
        // Not yet there.
        assert_eq!(
            api_status(33, "resource.k8s.io", "v1", "ResourceClaim"),
            ApiStatus::NotServed
        );
        // An alpha version the oldest embedded release does not serve although its tag
        // says removed in 1.24.
        assert_eq!(
            api_status(23, "storage.k8s.io", "v1alpha1", "VolumeAttachment"),
            ApiStatus::NotServed
        );
        assert!(matches!(
            api_status(24, "storage.k8s.io", "v1alpha1", "VolumeAttachment"),
            ApiStatus::Removed(_)
        ));
    }
}
