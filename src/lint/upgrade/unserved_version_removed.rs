//! `upgrade/unserved-version-removed` (warning): a version the old CRD listed without serving it
//! or storing objects in it is gone. That is the last step of retiring a version, and safe once
//! no object is stored in it; but if objects were ever stored as that version (it was the
//! storage version in some earlier release), `status.storedVersions` still lists it until a
//! storage migration has run, and the API server refuses the new CRD ("must remain in
//! spec.versions until a storage migration ensures no data remains persisted"). The files cannot
//! tell which: it depends on each cluster's history. cert-manager 1.7 removed its unserved
//! alpha and beta versions this way and shipped a migration tool for it.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionStoredVersions).

use crate::lint::walk::layout::flag;
use crate::lint::walk::revision::Revision;
use crate::lint::{Change, Finding, Rule};

pub const ID: &str = "upgrade/unserved-version-removed";

pub const RULE: Rule = Rule {
    upgrade: Some(check),
    ..Rule::new(ID)
};

pub fn check(rev: &Revision, out: &mut Vec<Finding>) {
    let persisted = rev.old.persisted_versions();
    for (name, v) in rev.removed_versions() {
        if flag(v, "served") || persisted.contains(&name) {
            continue;
        }
        out.push(
            Finding::new(
                ID,
                format!(
                    "spec.versions: version {name} was removed (it was not served): where objects were ever stored as {name}, status.storedVersions still lists it and the API server refuses this CRD until a storage migration has rewritten them and removed {name} from status.storedVersions"
                ),
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
