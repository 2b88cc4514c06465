//! `version/conversion-none` (warning): with conversion strategy `None` (or no `spec.conversion`,
//! which defaults to it), an object changes only its `apiVersion` between versions, and the API
//! server prunes it against the schema of each version it passes through. So when a served
//! version's schema has fields the storage version's schema lacks, what clients write through
//! that version is dropped when stored; and fields only the storage version has are dropped when
//! read through the other version (a read-modify-write through it erases them). Compares each
//! served version with the storage version, names the first differing fields of each side (a
//! field missing on the other side is listed, not its children), and skips what is never pruned
//! (`apiVersion`, `kind`, `metadata` at the root and in embedded resources, anything under
//! `x-kubernetes-preserve-unknown-fields` or an `additionalProperties` schema).
//! Our own advice, not a server check; pruning as in apiextensions-apiserver
//! `pkg/apiserver/schema/pruning` and the conversion path in `pkg/apiserver/conversion`.

use crate::lint::walk::layout::{flag, name_span, ptr, schema_of, version_name};
use crate::lint::walk::pruning::pruned;
use crate::lint::{Finding, Rule};
use crate::yaml::Node;

pub const ID: &str = "version/conversion-none";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};
const SHOWN: usize = 5;

fn listed(fields: &[String]) -> String {
    let mut s = fields
        .iter()
        .take(SHOWN)
        .map(|f| match f.as_str() {
            "*" => "the fields outside its schema".to_string(),
            _ => f.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    if fields.len() > SHOWN {
        s.push_str(&format!(" and {} more", fields.len() - SHOWN));
    }
    s
}

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(spec) = root.get("spec") else {
        return;
    };
    let strategy = ptr(spec, "conversion").map(|c| c.get("strategy").and_then(Node::as_str));
    if strategy.is_some_and(|s| s != Some("None")) {
        return; // Webhook converts; anything else is conversion/strategy's
    }
    let Some(versions) = spec.get("versions").and_then(Node::as_seq) else {
        return;
    };
    let storage: Vec<&Node> = versions.iter().filter(|v| flag(v, "storage")).collect();
    let [storage] = storage.as_slice() else {
        return;
    };
    let Some(stored_schema) = schema_of(storage) else {
        return;
    };
    let storage_name = version_name(storage);
    for (i, v) in versions.iter().enumerate() {
        if std::ptr::eq(v, *storage) || !flag(v, "served") {
            continue;
        }
        let Some(schema) = schema_of(v) else { continue };
        if schema.value.json_eq(&stored_schema.value) {
            continue;
        }
        let mut dropped = Vec::new();
        pruned(schema, stored_schema, "", true, &mut dropped);
        let mut hidden = Vec::new();
        pruned(stored_schema, schema, "", true, &mut hidden);
        if dropped.is_empty() && hidden.is_empty() {
            continue;
        }
        let name = version_name(v);
        let mut parts = Vec::new();
        if !dropped.is_empty() {
            parts.push(format!(
                "{storage_name} drops {} when objects written through {name} are stored",
                listed(&dropped)
            ));
        }
        if !hidden.is_empty() {
            parts.push(format!(
                "{name} drops {} when stored objects are read through it (and an update through {name} erases them)",
                listed(&hidden)
            ));
        }
        problems.push(Finding::new(
            ID,
            format!(
                "spec.versions[{i}]: conversion strategy None changes only apiVersion, but {name} and the storage version {storage_name} have different fields: {}",
                parts.join("; ")
            ),
            name_span(v),
        ));
    }
}
/// A kustomize patch sets a conversion webhook for this CRD, but no kustomization found
/// applies it (the pipeline knows the files; see `check::workspace`): say that the warning may
/// not hold.
pub fn with_unapplied_patch(f: &mut Finding, patch_file: &str) {
    f.message.push_str(&format!(
        " (a kustomize patch, {patch_file}, sets a conversion webhook for this CRD, but no kustomization found applies it: if one does, this does not hold)"
    ));
}

