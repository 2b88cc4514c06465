//! `upgrade/scope-changed` (error): `spec.scope` changed (Namespaced to Cluster, or back). The
//! API server refuses the update of an established CRD (the scope decides where objects are
//! stored); objects cannot move between scopes. A new CRD name, and a migration of the objects,
//! is the way.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (validateCustomResourceDefinitionSpecUpdate: `requireImmutableNames`).

use crate::lint::walk::revision::Revision;
use crate::lint::{Change, Finding, Rule};

pub const ID: &str = "upgrade/scope-changed";

pub const RULE: Rule = Rule {
    upgrade: Some(check),
    ..Rule::new(ID)
};

pub fn check(rev: &Revision, out: &mut Vec<Finding>) {
    let (old, new) = (rev.old.scope(), rev.new.scope());
    if old == new {
        return;
    }
    out.push(
        Finding::new(
            ID,
            format!(
                "spec.scope: changed from {old} to {new}: the API server refuses this update of an established CRD (spec.scope is immutable), and stored objects cannot change scope"
            ),
            rev.spec_key_span("scope"),
        )
        .with_field("spec.scope")
        .with_change(Change {
            old: old.into(),
            new: new.into(),
            versions: Vec::new(),
            path: None,
        }),
    );
}
