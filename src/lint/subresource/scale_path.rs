//! `subresource/scale-path` (warning): a scale path that the version's schema does not hold, or
//! holds with the wrong type. The API server accepts such a CRD, but the scale subresource reads
//! and writes the object at these paths: `specReplicasPath` and `statusReplicasPath` as integers,
//! `labelSelectorPath` as a string. A field missing from the schema is pruned, so scaling writes
//! nothing, and the replicas read back are 0; a field of another type makes the scale requests
//! fail. Fields under `x-kubernetes-preserve-unknown-fields` are not checked.
//! Our own rule, not a server check; the path reading follows apiextensions-apiserver
//! `pkg/registry/customresource/etcd.go` (the scale subresource's NestedInt64/NestedString
//! on the path split at dots).

use crate::lint::walk::layout::{Layout, additional_properties, preserves_unknown, properties, ptr, schema_of};
use super::scale::path_ok;
use crate::lint::{Finding, Rule};
use crate::yaml::Node;

const ID: &str = "subresource/scale-path";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};

enum Found<'a> {
    Node(&'a Node),
    /// The first segment the schema does not have, and where it was looked for.
    Missing(String, String),
    /// Under preserved unknown fields: anything goes.
    Unknown,
}

fn resolve<'a>(schema: &'a Node, path: &str) -> Found<'a> {
    let mut s = schema;
    let mut at = String::new();
    for seg in path.trim_start_matches('.').split('.') {
        if let Some(p) = properties(s).iter().find(|e| e.key == seg) {
            s = &p.value;
        } else if let Some(a) = additional_properties(s) {
            s = a;
        } else if preserves_unknown(s)
            || s.get("additionalProperties").and_then(Node::as_bool) == Some(true)
        {
            return Found::Unknown;
        } else {
            let parent = if at.is_empty() {
                "the root".to_string()
            } else {
                at
            };
            return Found::Missing(seg.to_string(), parent);
        }
        at = if at.is_empty() {
            seg.to_string()
        } else {
            format!("{at}.{seg}")
        };
    }
    Found::Node(s)
}

fn scale_of(v: &Node) -> Option<&Node> {
    ptr(v, "subresources").and_then(|s| ptr(s, "scale"))
}

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(layout) = Layout::of(root) else {
        return;
    };
    for (i, v) in layout.versions.iter().enumerate() {
        let (Some(scale), Some(schema)) = (scale_of(v), schema_of(v)) else {
            continue;
        };
        // Once per distinct pair of scale paths and schema.
        let seen = layout.versions[..i].iter().any(|w| {
            scale_of(w).is_some_and(|s| s.value.json_eq(&scale.value))
                && schema_of(w).is_some_and(|s| s.value.json_eq(&schema.value))
        });
        if seen {
            continue;
        }
        let name = crate::lint::walk::layout::version_name(v);
        let paths: [(&str, &[&str], &str); 3] = [
            ("specReplicasPath", &[".spec."], "integer"),
            ("statusReplicasPath", &[".status."], "integer"),
            ("labelSelectorPath", &[".spec.", ".status."], "string"),
        ];
        for (key, prefixes, want) in paths {
            let Some(node) = ptr(scale, key) else {
                continue;
            };
            let Some(path) = node.as_str().filter(|p| path_ok(p, prefixes)) else {
                continue; // subresource/scale reports it
            };
            let field = format!("spec.versions[{i}].subresources.scale.{key}");
            let message = match resolve(schema, path) {
                Found::Unknown => continue,
                Found::Missing(seg, parent) => format!(
                    "{field}: {path} is not in the schema of version {name} ({parent} has no field {seg}): the API server prunes it, so the scale subresource reads nothing there and its writes are dropped"
                ),
                Found::Node(s) => {
                    let ty = s.get("type").and_then(Node::as_str).unwrap_or_default();
                    if ty.is_empty() || ty == want {
                        continue;
                    }
                    format!(
                        "{field}: {path} has type {ty} in the schema of version {name}, but the scale subresource reads and writes a{} {want} there",
                        if want == "integer" { "n" } else { "" }
                    )
                }
            };
            problems.push(Finding::new(ID, message, node.span));
        }
    }
}
