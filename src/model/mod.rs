//! What each document is (CRD, list, resource, other), and the CRDs indexed by group and kind
//! with each version's schema compiled once.

pub mod cel_source;
pub mod crd;
pub mod kustomize;
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
pub const CRD_KIND: &str = "CustomResourceDefinition";

#[derive(Debug, PartialEq, Eq)]
pub enum DocKind {
    /// A mapping without apiVersion and kind: not a Kubernetes object (values files, CI config).
    Other,
    /// Shaped like an object but never sent to an API server: tool configuration (kustomize,
    /// kind, kubelet, audit policy, OLM scorecard, test runners; see [`is_client_side_config`]).
    Config,
    Crd,
    /// A CRD document that is a kustomize patch, not a definition (see [`kustomize`]).
    CrdPatch,
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
    if group == CRD_GROUP && kind == CRD_KIND {
        return if kustomize::is_crd_patch(root) {
            DocKind::CrdPatch
        } else if version == "v1" {
            DocKind::Crd
        } else {
            DocKind::LegacyCrd
        };
    }
    if is_client_side_config(api_version, kind) {
        return DocKind::Config;
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

/// The project that publishes the CRDs of a well-known API group (one a repository uses but
/// does not define: cert-manager's Certificate beside an operator, a ServiceMonitor for its
/// metrics), when it is one.
pub fn third_party_project(group: &str) -> Option<&'static str> {
    const PROJECTS: &[(&str, &str)] = &[
        ("cert-manager.io", "cert-manager"),
        ("acme.cert-manager.io", "cert-manager"),
        ("trust.cert-manager.io", "cert-manager trust-manager"),
        ("monitoring.coreos.com", "prometheus-operator"),
        (
            "monitoring.googleapis.com",
            "Google Cloud Managed Service for Prometheus",
        ),
        ("operators.coreos.com", "Operator Lifecycle Manager"),
        (
            "packages.operators.coreos.com",
            "Operator Lifecycle Manager",
        ),
        ("gateway.networking.k8s.io", "Gateway API"),
        ("gateway.networking.x-k8s.io", "Gateway API"),
        ("snapshot.storage.k8s.io", "the CSI external-snapshotter"),
        (
            "groupsnapshot.storage.k8s.io",
            "the CSI external-snapshotter",
        ),
        ("networking.istio.io", "Istio"),
        ("security.istio.io", "Istio"),
        ("telemetry.istio.io", "Istio"),
        ("argoproj.io", "Argo"),
        ("external-secrets.io", "External Secrets Operator"),
        (
            "generators.external-secrets.io",
            "External Secrets Operator",
        ),
        ("keda.sh", "KEDA"),
        ("eventing.keda.sh", "KEDA"),
        ("kyverno.io", "Kyverno"),
        ("wgpolicyk8s.io", "the Policy Reports working group"),
        ("source.toolkit.fluxcd.io", "Flux"),
        ("kustomize.toolkit.fluxcd.io", "Flux"),
        ("helm.toolkit.fluxcd.io", "Flux"),
        ("notification.toolkit.fluxcd.io", "Flux"),
        ("image.toolkit.fluxcd.io", "Flux"),
        ("cluster.x-k8s.io", "Cluster API"),
        ("infrastructure.cluster.x-k8s.io", "Cluster API"),
        ("bootstrap.cluster.x-k8s.io", "Cluster API"),
        ("controlplane.cluster.x-k8s.io", "Cluster API"),
        ("addons.cluster.x-k8s.io", "Cluster API"),
        ("traefik.io", "Traefik"),
        ("traefik.containo.us", "Traefik"),
        ("projectcontour.io", "Contour"),
        ("configuration.konghq.com", "Kong"),
        ("policy.networking.k8s.io", "the Network Policy API"),
        ("autoscaling.k8s.io", "the Vertical Pod Autoscaler"),
        ("metrics.k8s.io", "metrics-server"),
        ("opentelemetry.io", "the OpenTelemetry Operator"),
        ("jaegertracing.io", "the Jaeger Operator"),
        ("cilium.io", "Cilium"),
        ("crd.projectcalico.org", "Calico"),
        ("projectcalico.org", "Calico"),
        ("velero.io", "Velero"),
        ("serving.knative.dev", "Knative"),
        ("eventing.knative.dev", "Knative"),
        ("tekton.dev", "Tekton"),
        ("triggers.tekton.dev", "Tekton"),
        ("postgresql.cnpg.io", "CloudNativePG"),
        ("secrets-store.csi.x-k8s.io", "the Secrets Store CSI Driver"),
        ("karpenter.sh", "Karpenter"),
        ("karpenter.k8s.aws", "Karpenter"),
        ("kueue.x-k8s.io", "Kueue"),
        ("jobset.x-k8s.io", "JobSet"),
        ("ray.io", "KubeRay"),
        ("kubeflow.org", "Kubeflow"),
        ("sparkoperator.k8s.io", "the Spark operator"),
        ("elbv2.k8s.aws", "the AWS Load Balancer Controller"),
        ("vpcresources.k8s.aws", "the VPC resource controller"),
        ("crossplane.io", "Crossplane"),
        ("pkg.crossplane.io", "Crossplane"),
        ("apiextensions.crossplane.io", "Crossplane"),
    ];
    PROJECTS.iter().find(|(g, _)| *g == group).map(|(_, p)| *p)
}

/// Configuration files that look like Kubernetes objects but are never sent to an API server:
/// read by a tool (kustomize, kind, kubeadm, the kubelet, the scheduler, the API server's own
/// configuration files, OLM's scorecard, test runners), so neither validated nor reported as
/// missing a CRD. By group (any kind), or by group and kind.
pub fn is_client_side_config(api_version: &str, kind: &str) -> bool {
    let (group, _) = split_api_version(api_version);
    // kustomize's built-in generators and transformers in `transformers:` files.
    if api_version == "builtin" {
        return true;
    }
    const GROUPS: &[&str] = &[
        "kustomize.config.k8s.io",
        "config.kubernetes.io",
        "kubectl.config.k8s.io",
        "kind.x-k8s.io",
        "kubeadm.k8s.io",
        "kubelet.config.k8s.io",
        "kubescheduler.config.k8s.io",
        "kubeproxy.config.k8s.io",
        "kubecontrollermanager.config.k8s.io",
        "controllermanager.config.k8s.io",
        "cloudcontrollermanager.config.k8s.io",
        "apiserver.config.k8s.io",
        "apiserver.k8s.io",
        "audit.k8s.io",
        "client.authentication.k8s.io",
        "credentialprovider.kubelet.k8s.io",
        "eventratelimit.admission.k8s.io",
        "pod-security.admission.config.k8s.io",
        "imagepolicy.k8s.io",
        "scorecard.operatorframework.io",
        "kuttl.dev",
        "chainsaw.kyverno.io",
        "ctlptl.dev",
        "k3d.io",
        "kpt.dev",
        "fn.kpt.dev",
        "clusterctl.cluster.x-k8s.io",
    ];
    GROUPS.contains(&group)
        // `config.kubernetes.io`-style function configs, and skaffold (`skaffold/v4beta11`).
        || group.starts_with("skaffold")
        // A kubeconfig: `apiVersion: v1`, `kind: Config`.
        || (api_version == "v1" && kind == "Config")
        // An OLM bundle's ClusterServiceVersion: a packaging manifest OLM reads, not applied.
        || (group == "operators.coreos.com" && kind == "ClusterServiceVersion")
        // controller-runtime's ControllerManagerConfig(uration), kubebuilder's old scaffold.
        || group == "controller-runtime.sigs.k8s.io"
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
