//! `version/unused`: a version that is neither served nor storage (it does nothing, unless it
//! is still listed in `status.storedVersions`). Advice: the API server does not enforce it.

use crate::lint::walk::layout::{flag, name_span, storage_version, version_name, versions};
use crate::lint::{Finding, Rule};
use crate::yaml::Node;

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new("version/unused")
};

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(versions) = versions(root) else {
        return;
    };
    // Said only of a CRD with one storage version (crd/storage-version reports the others).
    if storage_version(versions).is_none() {
        return;
    }
    for (i, v) in versions.iter().enumerate() {
        if !flag(v, "served") && !flag(v, "storage") {
            problems.push(Finding::new(
                "version/unused",
                format!(
                    "spec.versions[{i}]: version {} is neither served nor the storage version; remove it once status.storedVersions no longer lists it",
                    version_name(v)
                ),
                name_span(v),
            ));
        }
    }
}
