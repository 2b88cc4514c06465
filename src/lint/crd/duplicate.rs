//! `crd/duplicate`: one CRD (a group and kind) defined twice, differently, among the files of a
//! run: release copies, OLM bundles, a chart's `crds/` beside `config/crd/bases`. Resources are
//! validated against the first definition, in the order files are given and walked (checked
//! files before `--crds` sources); this names both files, so which one is used is never a
//! silent choice. Identical copies (the same `spec`, whatever the metadata) say nothing. Found
//! across files by the pipeline (`check::workspace`), not by a hook.

use crate::lint::{Finding, Rule};
use crate::model::Crd;

pub const RULE: Rule = Rule::new("crd/duplicate");

fn place(c: &Crd) -> String {
    format!("{} (document {})", c.origin, c.document + 1)
}

/// How many more definitions differ, in words (nothing when none).
fn more(others: usize) -> String {
    match others {
        0 => String::new(),
        1 => " (one more definition differs too)".into(),
        n => format!(" ({n} more definitions differ too)"),
    }
}

/// On a checked definition not used, because `used` came first; `others` more differ.
pub fn shadowed(crd: &Crd, used: &Crd, others: usize) -> Finding {
    Finding::new(
        RULE.id,
        format!(
            "{} is defined differently in {}, which comes first: resources of {}, Kind={} are validated against that definition, not this one{}",
            crd.name,
            place(used),
            crd.group,
            crd.kind,
            more(others)
        ),
        crd.name_span,
    )
    .with_help("keep one definition, or make the copies identical; the first definition in the order files are given and walked is used")
}

/// On the checked definition that is used, when an unused `--crds` source defines it
/// differently (and `others` more).
pub fn used(crd: &Crd, other: &Crd, others: usize) -> Finding {
    Finding::new(
        RULE.id,
        format!(
            "{} is also defined, differently, in {} (given with --crds or crdlint.toml): resources are validated against this definition{}",
            crd.name,
            place(other),
            more(others)
        ),
        crd.name_span,
    )
    .with_help("keep one definition, or make the copies identical; definitions in checked files come before --crds sources")
}
