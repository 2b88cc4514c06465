//! `upgrade/kind-changed` (error): `spec.names.kind` changed. The API server refuses the update
//! of an established CRD (the kind is part of every stored object), and every manifest and
//! client that names the old kind breaks.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (validateCustomResourceDefinitionSpecUpdate: `requireImmutableNames`).

use crate::lint::walk::revision::Revision;
use crate::lint::{Change, Finding, Rule};

pub const ID: &str = "upgrade/kind-changed";

pub const RULE: Rule = Rule {
    upgrade: Some(check),
    ..Rule::new(ID)
};

pub fn check(rev: &Revision, out: &mut Vec<Finding>) {
    let (old, new) = (&rev.old.crd.kind, &rev.new.crd.kind);
    if old == new {
        return;
    }
    let span = rev
        .new
        .spec()
        .and_then(|s| s.get("names"))
        .and_then(|n| n.entry("kind"))
        .map(|e| e.key_span)
        .unwrap_or(rev.name_span());
    out.push(
        Finding::new(
            ID,
            format!(
                "spec.names.kind: changed from {old} to {new}: the API server refuses this update of an established CRD (spec.names.kind is immutable), and manifests of kind {old} no longer match"
            ),
            span,
        )
        .with_field("spec.names.kind")
        .with_change(Change {
            old: old.as_str().into(),
            new: new.as_str().into(),
            versions: Vec::new(),
            path: None,
        }),
    );
}
