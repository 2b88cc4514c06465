//! `version/not-deprecated`: a served version that is not marked `deprecated` while a version
//! of higher Kubernetes version priority (GA > beta > alpha, then higher major and minor: `v1`
//! over `v1beta2`, `v2` over `v1`) is served too. Marking it deprecated makes the API server
//! warn every client that still uses it. The storage version is left out (deprecating it is
//! `version/deprecated-storage`'s concern).
//! Our own advice, not a server check; the order is apimachinery's
//! `version.CompareKubeAwareVersionStrings` (`crate::model::version_priority`).

use crate::lint::walk::layout::{flag, name_span, version_name};
use crate::lint::{Finding, Rule};
use crate::model::version_priority;
use crate::yaml::Node;

const ID: &str = "version/not-deprecated";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(versions) = crate::lint::walk::layout::versions(root) else {
        return;
    };
    let served: Vec<&str> = versions
        .iter()
        .filter(|v| flag(v, "served"))
        .map(version_name)
        .collect();
    let Some(best) = served
        .iter()
        .copied()
        .max_by(|a, b| version_priority::compare(a, b))
    else {
        return;
    };
    for (i, v) in versions.iter().enumerate() {
        let name = version_name(v);
        if !flag(v, "served") || flag(v, "deprecated") || flag(v, "storage") {
            continue;
        }
        if !version_priority::compare(best, name).is_gt() {
            continue;
        }
        problems.push(Finding::new(
            ID,
            format!(
                "spec.versions[{i}]: {name} is served next to the preferred version {best} but is not marked deprecated; set deprecated: true (and a deprecationWarning) so that its clients are told to move"
            ),
            name_span(v),
        ));
    }
}
