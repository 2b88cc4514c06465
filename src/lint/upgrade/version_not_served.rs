//! `upgrade/version-not-served` (error): a version served by the old CRD that the new one keeps
//! but no longer serves (`served: false`). Every client, controller and manifest that uses it
//! gets `no matches for kind` (HTTP 404) from then on, whether or not it was deprecated.
//! Followed: apiextensions-apiserver `pkg/apiserver/customresource_discovery_controller.go`
//! (only served versions are discovered and routed).

use crate::lint::walk::layout::flag;
use crate::lint::walk::revision::Revision;
use crate::lint::{Change, Finding, Rule};

pub const ID: &str = "upgrade/version-not-served";

pub const RULE: Rule = Rule {
    upgrade: Some(check),
    ..Rule::new(ID)
};

pub fn check(rev: &Revision, out: &mut Vec<Finding>) {
    for v in rev.common_versions() {
        if !flag(v.old, "served") || flag(v.new, "served") {
            continue;
        }
        let name = v.name;
        let deprecated = if flag(v.old, "deprecated") {
            " (it was deprecated, so clients were warned)"
        } else {
            ""
        };
        let span = v
            .new
            .entry("served")
            .map(|e| e.key_span)
            .unwrap_or(rev.version_span(v.new_index));
        out.push(
            Finding::new(
                ID,
                format!(
                    "spec.versions[{}].served: version {name} is no longer served{deprecated}: clients and manifests that use apiVersion {}/{name} now fail (no matches for kind {:?})",
                    v.new_index, rev.new.crd.group, rev.new.crd.kind
                ),
                span,
            )
            .with_field(format!("spec.versions[{}].served", v.new_index))
            .with_change(Change {
                old: true.into(),
                new: false.into(),
                versions: vec![name.to_string()],
                path: None,
            }),
        );
    }
}
