//! `upgrade/printer-column-removed` (info): an `additionalPrinterColumns` entry of a version was
//! removed. Nothing stored changes, but scripts and dashboards that read the column from
//! `kubectl get` (or its `-o custom-columns` equivalent through the Table API) lose it. Added or
//! changed columns are not reported.
//! Followed: apiextensions-apiserver `pkg/registry/customresource/tableconvertor`.

use crate::lint::walk::layout::{columns, ptr};
use crate::lint::walk::revision::Revision;
use crate::lint::{Change, Finding, Rule};

pub const ID: &str = "upgrade/printer-column-removed";

pub const RULE: Rule = Rule {
    upgrade: Some(check),
    ..Rule::new(ID)
};

pub fn check(rev: &Revision, out: &mut Vec<Finding>) {
    for v in rev.common_versions() {
        let (old, new) = (columns(v.old), columns(v.new));
        let span = v
            .new
            .entry("additionalPrinterColumns")
            .filter(|_| ptr(v.new, "additionalPrinterColumns").is_some())
            .map(|e| e.key_span)
            .unwrap_or(rev.version_span(v.new_index));
        for (name, ..) in old.iter().filter(|o| !new.iter().any(|n| n.0 == o.0)) {
            out.push(
                Finding::new(
                    ID,
                    format!(
                        "spec.versions[{}].additionalPrinterColumns: the column {name:?} of {} was removed: scripts that read it from `kubectl get` lose it",
                        v.new_index, v.name
                    ),
                    span,
                )
                .with_field(format!("spec.versions[{}].additionalPrinterColumns", v.new_index))
                .with_change(Change {
                    old: name.as_str().into(),
                    new: serde_json::Value::Null,
                    versions: vec![v.name.to_string()],
                    path: None,
                }),
            );
        }
    }
}
