//! `version/storage-not-most-stable`: the storage version is not the most stable served
//! version (objects are stored in an older shape than the one clients are moving to). Advice:
//! the API server does not enforce it.

use crate::lint::walk::layout::{flag, name_span, storage_version, versions};
use crate::lint::{Finding, Rule};
use crate::model::version_priority;
use crate::yaml::Node;

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new("version/storage-not-most-stable")
};

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(versions) = versions(root) else {
        return;
    };
    let Some((si, sv, storage_name)) = storage_version(versions) else {
        return;
    };
    let best = versions
        .iter()
        .filter(|v| flag(v, "served"))
        .filter_map(|v| v.get("name").and_then(Node::as_str))
        .max_by(|a, b| version_priority::compare(a, b));
    if let Some(best) = best.filter(|b| version_priority::compare(b, storage_name).is_gt()) {
        problems.push(Finding::new(
            "version/storage-not-most-stable",
            format!(
                "spec.versions[{si}]: the storage version {storage_name} is less stable than the served version {best}; store {best} once clients have moved to it"
            ),
            name_span(sv),
        ));
    }
}
