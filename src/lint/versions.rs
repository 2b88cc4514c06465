//! Versioning advice the API server does not enforce:
//! - `version/storage-not-most-stable`: the storage version is not the most stable served
//!   version (objects are stored in an older shape than the one clients are moving to);
//! - `version/deprecated-storage`: the storage version is marked deprecated;
//! - `version/unused`: a version that is neither served nor storage (it does nothing, unless it
//!   is still listed in `status.storedVersions`).

use crate::model::crd::CrdProblem;
use crate::model::version_priority;
use crate::yaml::Node;

pub fn check(root: &Node, problems: &mut Vec<CrdProblem>) {
    let Some(versions) = super::layout::versions(root) else {
        return;
    };
    let flag = |v: &Node, k: &str| v.get(k).and_then(Node::as_bool) == Some(true);
    let name = |v: &Node| v.get("name").and_then(Node::as_str).map(str::to_string);
    let storage: Vec<(usize, &Node)> = versions
        .iter()
        .enumerate()
        .filter(|(_, v)| flag(v, "storage"))
        .collect();
    let [(si, sv)] = storage.as_slice() else {
        return; // crd/storage-version reports that
    };
    let Some(storage_name) = name(sv) else {
        return;
    };
    let name_span = sv.get("name").map(|n| n.span).unwrap_or(sv.span);
    let best = versions
        .iter()
        .filter(|v| flag(v, "served"))
        .filter_map(name)
        .max_by(|a, b| version_priority::compare(a, b));
    if let Some(best) = best.filter(|b| version_priority::compare(b, &storage_name).is_gt()) {
        problems.push(CrdProblem {
            rule: "version/storage-not-most-stable",
            message: format!(
                "spec.versions[{si}]: the storage version {storage_name} is less stable than the served version {best}; store {best} once clients have moved to it"
            ),
            span: name_span,
            help: None,
        });
    }
    if flag(sv, "deprecated") {
        problems.push(CrdProblem {
            rule: "version/deprecated-storage",
            message: format!(
                "spec.versions[{si}]: the storage version {storage_name} is deprecated; make a supported version the storage version before removing it"
            ),
            span: sv.get("deprecated").map(|n| n.span).unwrap_or(name_span),
            help: None,
        });
    }
    for (i, v) in versions.iter().enumerate() {
        if !flag(v, "served") && !flag(v, "storage") {
            let n = name(v).unwrap_or_default();
            problems.push(CrdProblem {
                rule: "version/unused",
                message: format!(
                    "spec.versions[{i}]: version {n} is neither served nor the storage version; remove it once status.storedVersions no longer lists it"
                ),
                span: v.get("name").map(|n| n.span).unwrap_or(v.span),
                help: None,
            });
        }
    }
}
