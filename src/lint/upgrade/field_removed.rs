//! `upgrade/field-removed` (error): a field the old schema of a version declared that the new
//! schema of the same version drops. The API server prunes fields a schema does not declare
//! whenever it decodes an object, from a request or from storage: stored objects lose the field
//! when read, and keep it lost once written; a manifest that sets it is refused by strict field
//! validation (kubectl's default). Also: with conversion `None`, objects stored at the old storage
//! version (and `status.storedVersions`) are only relabelled when read through another version,
//! and pruned against its schema, so what a version served before (or the new storage version)
//! now lacks, and did not lack before (or a webhook converted before), is lost too; when that
//! version is the new storage version, the next write stores the objects without it. A version
//! new to clients that is not the storage version is `version/conversion-none`'s.
//! Not removals: fields still kept by `x-kubernetes-preserve-unknown-fields` or an
//! `additionalProperties` schema; `apiVersion`, `kind` and `metadata` of a resource root or an
//! embedded resource; anything inside `allOf`/`anyOf`/`oneOf`/`not`. A preserve-unknown-fields
//! removed is `upgrade/preserve-unknown-fields-removed`'s.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/pruning/algorithm.go` and
//! `pkg/apiserver/customresource_handler.go` (unstructuredSchemaCoercer: pruning on decode).

use crate::lint::walk::layout::{additional_properties, flag, version_name};
use crate::lint::walk::pruning::{keeps_unknown, pruned};
use crate::lint::walk::revision::{Pair, Revision};
use crate::lint::{Change, Finding, Rule};
use crate::yaml::Node;

pub const ID: &str = "upgrade/field-removed";

pub const RULE: Rule = Rule {
    upgrade: Some(across_versions),
    upgrade_pair: Some(check),
    ..Rule::new(ID)
};

const CONSEQUENCE: &str = "the API server prunes it from stored objects when they are read (and for good once they are written), and refuses manifests that set it (strict field validation)";

pub fn check(_rev: &Revision, pair: &Pair, out: &mut Vec<Finding>) {
    // A node no longer an object: upgrade/type-changed says so, its fields need no list.
    if pair.in_junctor || (pair.old.ty() == "object" && !matches!(pair.new.ty(), "object" | "")) {
        return;
    }
    let new = pair.new.node;
    // Kept by the new node: declared fields outside `properties` are not pruned.
    let kept = keeps_unknown(new) || additional_properties(new).is_some();
    for (name, old) in pair.old.properties() {
        if pair.resource_root && matches!(name, "apiVersion" | "kind" | "metadata") {
            continue;
        }
        if kept || pair.new.property(name).is_some() {
            continue;
        }
        let path = pair.child_path(name);
        out.push(pair.finding_with(
            ID,
            "properties",
            format_args!("field {name} was removed: {CONSEQUENCE}"),
            path,
            old.node.to_serde(),
            serde_json::Value::Null,
        ));
    }
    if let Some(old) = additional_properties(pair.old.node)
        && !keeps_unknown(new)
        && additional_properties(new).is_none()
    {
        out.push(pair.finding_with(
            ID,
            "additionalProperties",
            "the map's values (additionalProperties) were removed: the API server prunes every entry from stored objects when they are read (and for good once they are written), and refuses manifests that set one (strict field validation)",
            pair.child_path("*"),
            old.to_serde(),
            serde_json::Value::Null,
        ));
    }
}

/// The schema of version `name` as written, if any.
fn schema<'a>(side: &crate::lint::walk::revision::Side<'a>, name: &str) -> Option<&'a Node> {
    side.schema(name).map(|(n, _)| n)
}

/// Conversion `None`: objects stored at the old persisted versions, read through each served
/// version of the new CRD.
pub fn across_versions(rev: &Revision, out: &mut Vec<Finding>) {
    if !rev.new.conversion_none() {
        return;
    }
    let persisted = rev.old.persisted_versions();
    let new_storage = rev.new.storage();
    for (i, v) in rev.new.versions().iter().enumerate() {
        let name = version_name(v);
        if !flag(v, "served") {
            continue;
        }
        let Some(now) = schema(&rev.new, name) else {
            continue;
        };
        let before = rev
            .old
            .version(name)
            .filter(|(_, o)| flag(o, "served"))
            .and_then(|_| schema(&rev.old, name));
        // A version new to clients that is not where objects are stored: what it drops is
        // version/conversion-none's to say.
        if before.is_none() && new_storage != Some(name) {
            continue;
        }
        // Storage moved here: every write now stores what this schema keeps, whatever the
        // version it was read through before.
        let storage_moved = new_storage == Some(name) && rev.old.storage() != Some(name);
        for stored in persisted.iter().copied().filter(|s| *s != name) {
            let Some(stored_schema) = schema(&rev.old, stored) else {
                continue;
            };
            let mut lost = Vec::new();
            pruned(stored_schema, now, "", true, &mut lost);
            let mut known = Vec::new();
            if let Some(before) = before {
                // Reported per version already: what the version's own schema dropped.
                pruned(before, now, "", true, &mut known);
                // Lost on reads through it before the change as well, when the old CRD did not
                // convert either (and storage did not move to it).
                if rev.old.conversion_none() && !storage_moved {
                    pruned(stored_schema, before, "", true, &mut known);
                }
            }
            lost.retain(|f| !known.contains(f));
            if lost.is_empty() {
                continue;
            }
            let written = if new_storage == Some(name) {
                format!(
                    ", and since {name} is now the storage version, the next write of each object, through any version, stores it without them"
                )
            } else {
                String::new()
            };
            let shown: Vec<&str> = lost.iter().map(|f| f.as_str()).collect();
            out.push(
                Finding::new(
                    ID,
                    format!(
                        "spec.versions[{i}]: objects stored as {stored} lose {} when read through {name}: conversion None only relabels them, and {name}'s schema does not have them{written}",
                        shown.join(", ")
                    ),
                    rev.version_span(i),
                )
                .with_field(format!("spec.versions[{i}].schema.openAPIV3Schema"))
                .with_change(Change {
                    old: serde_json::Value::from(shown),
                    new: serde_json::Value::Null,
                    versions: vec![stored.to_string(), name.to_string()],
                    path: None,
                }),
            );
        }
    }
}
