//! `upgrade/crd-removed` (error): `crdlint diff OLD NEW` found a CRD in OLD that NEW does not
//! define. Deleting a CRD deletes every object of its kind, and tools that prune what a release
//! no longer contains (`kubectl apply --prune`, Argo CD, Flux) delete it. Reported by the diff
//! pipeline (`crate::check`), on the old file: there is nothing in NEW to point at. `--base`
//! does not report it: the files checked need not hold every CRD.

use crate::lint::{Change, Finding, Rule};
use crate::source::Span;

pub const ID: &str = "upgrade/crd-removed";

pub const RULE: Rule = Rule::new(ID);

/// The finding about CRD `name` (its `metadata.name` at `span` in the old file), gone from `new`.
pub fn finding(name: &str, new: &str, span: Span) -> Finding {
    Finding::new(
        ID,
        format!(
            "{name} is not defined in {new}: deleting a CRD deletes every object of its kind, and tools that prune what a release no longer contains delete it"
        ),
        span,
    )
    .with_field("metadata.name")
    .with_change(Change {
        old: name.into(),
        new: serde_json::Value::Null,
        versions: Vec::new(),
        path: None,
    })
}
