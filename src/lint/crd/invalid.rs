//! `crd/invalid`: a CRD without what the API server needs to serve it at all: `spec`,
//! `spec.group`, `spec.names.kind`, a version, a name for each version. Such a CRD validates
//! nothing (`model` reads no CRD from it), so its resources get `resource/missing-crd`.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`.

use crate::lint::{Finding, Rule};
use crate::source::Span;
use crate::yaml::Node;

pub const ID: &str = "crd/invalid";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};

fn required(field: &str, at: Span) -> Finding {
    Finding::new(ID, format!("{field}: Required value"), at).with_field(field)
}

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(spec) = root.get("spec").filter(|s| s.as_map().is_some()) else {
        problems.push(required("spec", root.span));
        return;
    };
    let text = |n: Option<&Node>| n.and_then(Node::as_str).is_some();
    let group = text(spec.get("group"));
    let kind = text(spec.get("names").and_then(|n| n.get("kind")));
    if !group {
        problems.push(required("spec.group", spec.span));
    }
    if !kind {
        problems.push(required("spec.names.kind", spec.span));
    }
    let versions = spec.get("versions").and_then(Node::as_seq);
    let Some(versions) = versions.filter(|v| !v.is_empty()) else {
        problems.push(
            Finding::new(
                ID,
                "spec.versions: Invalid value: null: must have exactly one version marked as storage version",
                spec.get("versions").map(|n| n.span).unwrap_or(spec.span),
            )
            .with_field("spec.versions"),
        );
        return;
    };
    if !(group && kind) {
        return;
    }
    for (i, v) in versions.iter().enumerate() {
        if !text(v.get("name")) {
            problems.push(required(&format!("spec.versions[{i}].name"), v.span));
        }
    }
}
