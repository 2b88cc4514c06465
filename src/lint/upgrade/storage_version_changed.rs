//! `upgrade/storage-version-changed` (warning): the storage version moved. Objects already stored
//! keep the old version until they are written again, so it stays in `status.storedVersions`,
//! and it must stay in `spec.versions` until a storage migration has rewritten every object and
//! removed it from there (the API server refuses the CRD otherwise). With conversion `None` the
//! stored objects are only relabelled: what the new storage version's schema lacks is dropped
//! (`upgrade/field-removed` names those fields).
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionStoredVersions) and `pkg/apiserver/conversion`.

use crate::lint::walk::pruning::pruned;
use crate::lint::walk::revision::Revision;
use crate::lint::{Change, Finding, Rule};

pub const ID: &str = "upgrade/storage-version-changed";

pub const RULE: Rule = Rule {
    upgrade: Some(check),
    ..Rule::new(ID)
};

pub fn check(rev: &Revision, out: &mut Vec<Finding>) {
    let (Some(old), Some(new)) = (rev.old.storage(), rev.new.storage()) else {
        return;
    };
    if old == new {
        return;
    }
    let Some((i, v)) = rev.new.version(new) else {
        return;
    };
    // With conversion None, what the old storage version held that the new one lacks is
    // dropped (upgrade/field-removed lists it); a webhook must convert without loss.
    let conversion = if !rev.new.conversion_none() {
        format!("; the conversion webhook must convert {old} to {new} and back without loss")
    } else {
        let mut lost = Vec::new();
        if let (Some(before), Some(now)) = (rev.old.schema(old), rev.new.schema(new)) {
            pruned(before.0, now.0, "", true, &mut lost);
        }
        if lost.is_empty() {
            String::new()
        } else {
            format!(
                "; with conversion None they are only relabelled when read as {new}, and lose what {new}'s schema lacks (upgrade/field-removed)"
            )
        }
    };
    let kept = if rev.new.version(old).is_some() {
        format!(
            "{old} must stay in spec.versions until a storage migration has rewritten every object and removed {old} from status.storedVersions"
        )
    } else {
        format!("{old} must stay in spec.versions until a storage migration has run")
    };
    let span = v.entry("storage").map(|e| e.key_span).unwrap_or(v.span);
    out.push(
        Finding::new(
            ID,
            format!(
                "spec.versions[{i}].storage: the storage version moved from {old} to {new}: objects already stored stay {old} until they are written again, so {old} stays in status.storedVersions and {kept}{conversion}"
            ),
            span,
        )
        .with_field(format!("spec.versions[{i}].storage"))
        .with_change(Change {
            old: old.into(),
            new: new.into(),
            versions: vec![old.to_string(), new.to_string()],
            path: None,
        }),
    );
}
