//! `crd/v1beta1-removed`: a CRD in `apiextensions.k8s.io/v1beta1`, which Kubernetes 1.22
//! stopped serving. Not linted further: its layout is not v1's.

use crate::lint::{Finding, Rule};
use crate::yaml::Node;

pub const RULE: Rule = Rule::new("crd/v1beta1-removed");

pub fn finding(root: &Node) -> Finding {
    Finding::new(
        RULE.id,
        "apiextensions.k8s.io/v1beta1 CustomResourceDefinition was removed in Kubernetes 1.22",
        root.get("apiVersion").map(|n| n.span).unwrap_or(root.span),
    )
    .with_help("migrate the CRD to apiextensions.k8s.io/v1: move the schema under spec.versions[*].schema.openAPIV3Schema")
}
