//! `version/printer-columns` (info): a served version whose `additionalPrinterColumns` differ from
//! the storage version's (or, when the storage version is not served, from the preferred served
//! version's), so that `kubectl get` shows different columns depending on the version it picks.
//! Names the columns only one side has, those defined differently, or a different order.
//! Our own advice, not a server check.

use crate::lint::walk::layout::{Column, columns, flag, name_span, version_name};
use crate::lint::{Finding, Rule};
use crate::model::version_priority;
use crate::yaml::Node;

const ID: &str = "version/printer-columns";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};

fn names(cols: &[Column]) -> Vec<&str> {
    cols.iter().map(|c| c.0.as_str()).collect()
}

fn describe(mine: &[Column], theirs: &[Column]) -> Vec<String> {
    let (m, t) = (names(mine), names(theirs));
    let quote = |v: Vec<&str>| {
        v.iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let only_mine: Vec<&str> = m.iter().copied().filter(|n| !t.contains(n)).collect();
    let only_theirs: Vec<&str> = t.iter().copied().filter(|n| !m.contains(n)).collect();
    let changed: Vec<&str> = mine
        .iter()
        .filter(|c| theirs.iter().any(|d| d.0 == c.0 && d != *c))
        .map(|c| c.0.as_str())
        .collect();
    let mut parts = Vec::new();
    if !only_mine.is_empty() {
        parts.push(format!("only here: {}", quote(only_mine)));
    }
    if !only_theirs.is_empty() {
        parts.push(format!("missing: {}", quote(only_theirs)));
    }
    if !changed.is_empty() {
        parts.push(format!("defined differently: {}", quote(changed)));
    }
    if parts.is_empty() {
        parts.push("same columns in another order".into());
    }
    parts
}

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(versions) = crate::lint::walk::layout::versions(root) else {
        return;
    };
    let served: Vec<&Node> = versions.iter().filter(|v| flag(v, "served")).collect();
    if served.len() < 2 {
        return;
    }
    let reference = served
        .iter()
        .copied()
        .find(|v| flag(v, "storage"))
        .or_else(|| {
            served
                .iter()
                .copied()
                .max_by(|a, b| version_priority::compare(version_name(a), version_name(b)))
        });
    let Some(reference) = reference else { return };
    let theirs = columns(reference);
    let ref_name = version_name(reference);
    for (i, v) in versions.iter().enumerate() {
        if std::ptr::eq(v, reference) || !flag(v, "served") {
            continue;
        }
        let mine = columns(v);
        if mine == theirs {
            continue;
        }
        problems.push(Finding::new(
            ID,
            format!(
                "spec.versions[{i}]: the printer columns of {} differ from those of {ref_name} ({})",
                version_name(v),
                describe(&mine, &theirs).join("; ")
            ),
            name_span(v),
        ));
    }
}
