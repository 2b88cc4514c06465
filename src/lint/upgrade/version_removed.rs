//! `upgrade/version-removed` (error): a version of the old CRD that the new one no longer lists.
//! Clients and manifests that name it get `no matches for kind`; when it was the storage version
//! (or is in `status.storedVersions`), objects are stored in it, and the API server refuses the
//! new CRD until a storage migration has removed it from `status.storedVersions`. A version that
//! was neither served nor the storage version is `upgrade/unserved-version-removed`'s.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionStoredVersions).

use crate::lint::walk::layout::flag;
use crate::lint::walk::revision::Revision;
use crate::lint::{Change, Finding, Rule};

pub const ID: &str = "upgrade/version-removed";

pub const RULE: Rule = Rule {
    upgrade: Some(check),
    ..Rule::new(ID)
};

pub fn check(rev: &Revision, out: &mut Vec<Finding>) {
    let persisted = rev.old.persisted_versions();
    let group = &rev.new.crd.group;
    let kind = &rev.old.crd.kind;
    for (name, v) in rev.removed_versions() {
        let why = if persisted.contains(&name) {
            format!(
                "it was the storage version, so objects are stored as {name}: the API server refuses this CRD while {name} is in status.storedVersions; keep it (served: false) until a storage migration has rewritten every object and removed {name} from status.storedVersions"
            )
        } else if flag(v, "served") {
            format!(
                "clients and manifests that use apiVersion {group}/{name} now fail (no matches for kind {kind:?}); stop serving it (served: false) for a release before removing it"
            )
        } else {
            continue;
        };
        out.push(
            Finding::new(
                ID,
                format!("spec.versions: version {name} was removed: {why}"),
                rev.versions_span(),
            )
            .with_field("spec.versions")
            .with_change(Change {
                old: name.into(),
                new: serde_json::Value::Null,
                versions: vec![name.to_string()],
                path: None,
            }),
        );
    }
}
