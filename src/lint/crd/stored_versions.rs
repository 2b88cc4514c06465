//! `crd/stored-versions` (warning): a version listed in `status.storedVersions` that is no longer
//! in `spec.versions`. The server drops the status of a CRD on create, so a fresh install is
//! fine; but an update is checked against the cluster's `status.storedVersions`, and when the
//! file's status reflects the cluster (an exported CRD), the update is refused with this message.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionStoredVersions) and
//! `pkg/registry/customresourcedefinition/strategy.go` (PrepareForCreate clears the status;
//! PrepareForUpdate keeps the stored one and adds the storage version, so "must have the storage
//! version" cannot happen through an update of the spec and is not reported).

use crate::lint::{Finding, Rule};
use crate::wording::go_quote;
use crate::yaml::Node;

const ID: &str = "crd/stored-versions";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(stored) = root
        .get("status")
        .and_then(|s| s.get("storedVersions"))
        .and_then(Node::as_seq)
    else {
        return;
    };
    let Some(versions) = crate::lint::walk::layout::versions(root) else {
        return;
    };
    let names: Vec<&str> = versions
        .iter()
        .filter_map(|v| v.get("name").and_then(Node::as_str))
        .collect();
    for (i, n) in stored.iter().enumerate() {
        let Some(v) = n.as_str() else { continue };
        // Upstream keys a map by version, so a repeated entry is reported once, at its last index.
        let repeated_later = stored[i + 1..].iter().any(|m| m.as_str() == Some(v));
        if names.contains(&v) || repeated_later {
            continue;
        }
        problems.push(Finding::new(
            ID,
            format!(
                "status.storedVersions[{i}]: Invalid value: {}: missing from spec.versions; {v} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in {v} and removes {v} from status.storedVersions",
                go_quote(v)
            ),
            n.span,
        ));
    }
}
