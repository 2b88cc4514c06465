//! Not a rule: which fields the API server's pruning drops when an object valid for one schema
//! is pruned against another (conversion `None` between versions, a schema changed between two
//! revisions of a CRD). Fields are written like `spec.ports[*].name`: `[*]` for list items,
//! `.*` for map values or fields outside the schema (`*` alone at the root). Never pruned:
//! `apiVersion`, `kind` and `metadata` at the root and in embedded resources, and anything under
//! `x-kubernetes-preserve-unknown-fields` or an `additionalProperties` schema.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/pruning/algorithm.go`.

use super::layout::{additional_properties, flag, preserves_unknown, properties};
use crate::wording::field_path;
use crate::yaml::Node;

/// Whether a schema keeps fields it does not declare.
pub fn keeps_unknown(s: &Node) -> bool {
    preserves_unknown(s) || s.get("additionalProperties").and_then(Node::as_bool) == Some(true)
}

/// The fields an object valid for schema `a` holds that pruning against schema `b` removes,
/// in `a`'s order; a field missing on `b`'s side is listed, not its children. `skip_meta`: `a`
/// and `b` are a resource root (or an embedded resource), whose meta fields are never pruned.
pub fn pruned(a: &Node, b: &Node, path: &str, skip_meta: bool, out: &mut Vec<String>) {
    let skip_meta_below = |x: &Node, y: &Node| {
        flag(x, "x-kubernetes-embedded-resource") || flag(y, "x-kubernetes-embedded-resource")
    };
    for e in properties(a) {
        if skip_meta && matches!(e.key.as_str(), "apiVersion" | "kind" | "metadata") {
            continue;
        }
        let child = field_path::child(path, &e.key);
        let theirs = properties(b)
            .iter()
            .find(|p| p.key == e.key)
            .map(|p| &p.value)
            .or_else(|| additional_properties(b));
        match theirs {
            Some(t) => pruned(&e.value, t, &child, skip_meta_below(&e.value, t), out),
            None if keeps_unknown(b) => {}
            None => out.push(child),
        }
    }
    if let Some(aa) = additional_properties(a) {
        match additional_properties(b) {
            Some(ba) => pruned(
                aa,
                ba,
                &field_path::child(path, "*"),
                skip_meta_below(aa, ba),
                out,
            ),
            None if keeps_unknown(b) => {}
            None => out.push(field_path::child(path, "*")),
        }
    } else if preserves_unknown(a) && !keeps_unknown(b) && additional_properties(b).is_none() {
        out.push(field_path::child(path, "*"));
    }
    if let (Some(ai), Some(bi)) = (
        a.get("items").filter(|i| i.as_map().is_some()),
        b.get("items").filter(|i| i.as_map().is_some()),
    ) {
        let p = format!("{path}[*]");
        pruned(ai, bi, &p, skip_meta_below(ai, bi), out);
    }
}
