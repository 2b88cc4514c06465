//! `version/deprecated-storage`: the storage version is marked deprecated. Advice: the API
//! server does not enforce it.

use crate::lint::walk::layout::{flag, name_span, storage_version, versions};
use crate::lint::{Finding, Rule};
use crate::yaml::Node;

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new("version/deprecated-storage")
};

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some((si, sv, storage_name)) = versions(root).and_then(storage_version) else {
        return;
    };
    if flag(sv, "deprecated") {
        problems.push(Finding::new(
            "version/deprecated-storage",
            format!(
                "spec.versions[{si}]: the storage version {storage_name} is deprecated; make a supported version the storage version before removing it"
            ),
            sv.get("deprecated").map(|n| n.span).unwrap_or(name_span(sv)),
        ));
    }
}
