//! `upgrade/printer-column-removed` (info): an `additionalPrinterColumns` entry of a version was
//! removed. Nothing stored changes, but scripts and dashboards that read the column from
//! `kubectl get` (or its `-o custom-columns` equivalent through the Table API) lose it. A column
//! gone whose `jsonPath` a new column of another name shows is reported as renamed. Added or
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
        for (name, .., path) in old.iter().filter(|o| !new.iter().any(|n| n.0 == o.0)) {
            // A column of another name that shows the same field: renamed.
            let renamed = new
                .iter()
                .find(|n| n.5 == *path && !old.iter().any(|o| o.0 == n.0))
                .map(|n| n.0.as_str());
            let what = match renamed {
                Some(to) => format!("was renamed to {to:?}"),
                None => "was removed".to_string(),
            };
            out.push(
                Finding::new(
                    ID,
                    format!(
                        "spec.versions[{}].additionalPrinterColumns: the column {name:?} of {} {what}: scripts that read it by name from `kubectl get` lose it",
                        v.new_index, v.name
                    ),
                    span,
                )
                .with_field(format!("spec.versions[{}].additionalPrinterColumns", v.new_index))
                .with_change(Change {
                    old: name.as_str().into(),
                    new: renamed.map_or(serde_json::Value::Null, Into::into),
                    versions: vec![v.name.to_string()],
                    path: None,
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::revision::tests::{crd, run};

    #[test]
    fn a_column_gone_is_removed_or_renamed_by_its_json_path() {
        let with = |cols: &str| {
            crd("{type: object}").replace(
                "      storage: true\n",
                &format!("      storage: true\n      additionalPrinterColumns: {cols}\n"),
            )
        };
        let old = with("[{name: Ready, type: string, jsonPath: .status.ready}, {name: Size, type: integer, jsonPath: .spec.size}]");
        let new = with("[{name: READY, type: string, jsonPath: .status.ready}]");
        let found = run(&old, &new, super::check);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("the column \"Ready\" of v1 was renamed to \"READY\""), "{found:?}");
        assert!(found[1].contains("the column \"Size\" of v1 was removed"), "{found:?}");
        assert!(run(&old, &old, super::check).is_empty());
    }
}
