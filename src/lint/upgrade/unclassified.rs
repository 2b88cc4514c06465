//! `upgrade/unclassified` (warning): a difference between the two revisions that no other
//! `upgrade/*` rule classifies, as breaking or as safe, reported with its path so that no change
//! passes in silence. Classified elsewhere, and so not reported here: in a schema node, every
//! keyword the rules of this family read (`type`, `enum`, `required`, `default`, the bounds,
//! `pattern`, `format`, `nullable`, the list and map types, `x-kubernetes-preserve-unknown-fields`,
//! `x-kubernetes-validations`, `properties`), `items`, `additionalProperties`, `allOf`/`anyOf`/
//! `oneOf`/`not` where both revisions have them (the walk compares what they hold) or where
//! they were removed (which only relaxes), and documentation (`description`, `title`, `example`,
//! `externalDocs`); in the definition, `scope`, `names.kind`, versions added or removed, `served`,
//! `storage`, `deprecated`, `deprecationWarning`, printer columns, the conversion strategy and
//! the webhook's `caBundle` (injected at deploy time), short names, categories and selectable
//! fields added, and `metadata`. The schema of a version neither served nor stored (not walked)
//! is reported here when it changed, as a whole. Anything else (a subresource added or removed, a webhook moved,
//! `x-kubernetes-embedded-resource`, a new junctor, a renamed singular...) is reported here.

use crate::lint::walk::layout::{ptr, str_of};
use crate::lint::walk::revision::{Pair, Revision};
use crate::lint::{Change, Finding, Rule};
use crate::source::Span;
use crate::yaml::Node;

pub const ID: &str = "upgrade/unclassified";

pub const RULE: Rule = Rule {
    upgrade: Some(check),
    upgrade_pair: Some(check_pair),
    ..Rule::new(ID)
};

/// Schema keywords the other rules classify (or that change nothing the server does).
const SCHEMA_HANDLED: &[&str] = &[
    "type",                                 // type-changed
    "x-kubernetes-int-or-string",           // type-changed
    "enum",                                 // enum-value-removed
    "required",                             // required-added
    "default",                              // default-changed
    "minimum",                              // bounds-tightened ...
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "multipleOf",                           // ... bounds-tightened
    "pattern",                              // pattern-changed
    "format",                               // format-added
    "nullable",                             // nullable-removed
    "x-kubernetes-list-type",               // list-type-changed
    "x-kubernetes-list-map-keys",           // list-type-changed
    "x-kubernetes-map-type",                // list-type-changed
    "x-kubernetes-preserve-unknown-fields", // preserve-unknown-fields-removed
    "x-kubernetes-validations",             // validation-rule
    "properties",                           // the walk, field-removed
    "description",                          // documentation
    "title",
    "example",
    "externalDocs",
];

/// Keys of a version the other rules classify.
const VERSION_HANDLED: &[&str] = &[
    "name",
    "served",
    "storage",
    "deprecated",
    "deprecationWarning",
    "schema",
    "additionalPrinterColumns",
];

/// A value in a message: compact JSON, cut short.
fn shown(n: Option<&Node>) -> String {
    let Some(n) = n else {
        return "(absent)".into();
    };
    let json = n.to_json();
    if json.chars().count() > 60 {
        let cut: String = json.chars().take(57).collect();
        format!("{cut}...")
    } else {
        json
    }
}

fn json(n: Option<&Node>) -> serde_json::Value {
    n.map_or(serde_json::Value::Null, Node::to_serde)
}

fn differ(a: Option<&Node>, b: Option<&Node>) -> bool {
    match (a.filter(|n| !n.is_null()), b.filter(|n| !n.is_null())) {
        (None, None) => false,
        (Some(a), Some(b)) => !a.value.json_eq(&b.value),
        _ => true,
    }
}

/// Whether the walk (or another rule) accounts for a difference in a structural keyword.
fn structural_handled(pair: &Pair, key: &str) -> bool {
    let map = |at: &crate::lint::walk::schema_node::At, k: &str| at.child(k).is_some();
    match key {
        "items" | "not" => {
            (map(&pair.old, key) && map(&pair.new, key))
                || (key == "not" && pair.new.get(key).is_none())
        }
        "additionalProperties" => {
            map(&pair.old, key) && (map(&pair.new, key) || pair.new.get(key).is_none())
        }
        "allOf" | "anyOf" | "oneOf" => {
            pair.new.get(key).is_none() || pair.old.list(key).len() == pair.new.list(key).len()
        }
        _ => false,
    }
}

fn keys(n: &Node) -> Vec<&str> {
    n.as_map()
        .unwrap_or_default()
        .iter()
        .map(|e| e.key.as_str())
        .collect()
}

fn union<'a>(a: &'a Node, b: &'a Node) -> Vec<&'a str> {
    let mut all = keys(b);
    for k in keys(a) {
        if !all.contains(&k) {
            all.push(k);
        }
    }
    all
}

pub fn check_pair(_rev: &Revision, pair: &Pair, out: &mut Vec<Finding>) {
    for key in union(pair.old.node, pair.new.node) {
        if SCHEMA_HANDLED.contains(&key) || structural_handled(pair, key) {
            continue;
        }
        let (old, new) = (pair.old.node.get(key), pair.new.node.get(key));
        if !differ(old, new) {
            continue;
        }
        let mut f = pair.finding(
            ID,
            key,
            format_args!(
                "{key} changed from {} to {}: no upgrade rule classifies this change; review what it does to stored objects and clients",
                shown(old),
                shown(new)
            ),
        );
        if let Some(c) = f.change.as_mut() {
            c.old = json(old);
            c.new = json(new);
        }
        out.push(f);
    }
}

fn finding(
    field: String,
    old: Option<&Node>,
    new: Option<&Node>,
    span: Span,
    versions: Vec<String>,
) -> Finding {
    Finding::new(
        ID,
        format!(
            "{field}: changed from {} to {}: no upgrade rule classifies this change; review what it does to stored objects and clients",
            shown(old),
            shown(new)
        ),
        span,
    )
    .with_field(field)
    .with_change(Change {
        old: json(old),
        new: json(new),
        versions,
        path: None,
    })
}

/// A version's `schema` as JSON without documentation (`description`, `title`, `example`,
/// `externalDocs` of every schema node; a property of one of these names is kept).
fn without_docs(n: Option<&Node>) -> serde_json::Value {
    fn schema(v: &mut serde_json::Value) {
        let Some(m) = v.as_object_mut() else { return };
        for k in ["description", "title", "example", "externalDocs"] {
            m.remove(k);
        }
        for (k, child) in m.iter_mut() {
            match k.as_str() {
                "items" | "additionalProperties" | "not" => schema(child),
                "allOf" | "anyOf" | "oneOf" => child
                    .as_array_mut()
                    .into_iter()
                    .flatten()
                    .for_each(schema),
                "properties" | "patternProperties" | "definitions" => child
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|m| m.values_mut())
                    .for_each(schema),
                _ => {}
            }
        }
    }
    let mut v = json(n);
    if let Some(root) = v.get_mut("openAPIV3Schema") {
        schema(root);
    }
    v
}

/// Entries of a string list (`shortNames`, `categories`) or of `selectableFields` that the old
/// revision had and the new one lacks: removing them is not classified, adding them is safe.
fn lost_entries(old: Option<&Node>, new: Option<&Node>) -> bool {
    let list = |n: Option<&Node>| -> Vec<serde_json::Value> {
        n.and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .map(Node::to_serde)
            .collect()
    };
    let new = list(new);
    list(old).iter().any(|o| !new.contains(o))
}

pub fn check(rev: &Revision, out: &mut Vec<Finding>) {
    let (Some(old), Some(new)) = (rev.old.spec(), rev.new.spec()) else {
        return;
    };
    let at = |n: Option<&Node>, key: &str, fallback: Span| {
        n.and_then(|n| n.entry(key))
            .map(|e| e.key_span)
            .unwrap_or(fallback)
    };
    for key in union(old, new) {
        let (o, n) = (old.get(key), new.get(key));
        if !differ(o, n) {
            continue;
        }
        let span = at(Some(new), key, rev.name_span());
        match key {
            "scope" | "versions" => {}
            "names" => {
                let (o, n) = (o.unwrap_or(old), n.unwrap_or(new));
                for k in union(o, n) {
                    let (a, b) = (o.get(k), n.get(k));
                    let lost = match k {
                        "kind" => false,
                        "shortNames" | "categories" => lost_entries(a, b),
                        _ => differ(a, b),
                    };
                    if lost {
                        let span = at(Some(n), k, span);
                        out.push(finding(format!("spec.names.{k}"), a, b, span, Vec::new()));
                    }
                }
            }
            "conversion" => {
                let webhook = |c: Option<&Node>| {
                    let w = c.and_then(|c| ptr(c, "webhook"));
                    w.map(|w| {
                        let mut v = w.to_serde();
                        if let Some(cc) = v.get_mut("clientConfig").and_then(|c| c.as_object_mut())
                        {
                            cc.remove("caBundle");
                        }
                        v
                    })
                };
                fn strategy(c: Option<&Node>) -> &str {
                    c.map(|c| str_of(c, "strategy")).unwrap_or("")
                }
                let webhook_kept = strategy(n) == "Webhook" && strategy(o) == "Webhook";
                if webhook_kept && webhook(o) != webhook(n) {
                    let (a, b) = (o.and_then(|c| c.get("webhook")), n.and_then(|c| c.get("webhook")));
                    out.push(finding(
                        "spec.conversion.webhook".into(),
                        a,
                        b,
                        at(n, "webhook", span),
                        Vec::new(),
                    ));
                }
            }
            _ => out.push(finding(format!("spec.{key}"), o, n, span, Vec::new())),
        }
    }
    for v in rev.common_versions() {
        // The schema of a version neither served nor stored is not walked: what changed in it
        // is not classified, and still matters to objects stored at it in the past (the server
        // prunes and defaults an object read from storage by the schema of its stored version:
        // apiextensions-apiserver `customresource_handler.go`, `unstructuredSchemaCoercer`).
        let (a, b) = (v.old.get("schema"), v.new.get("schema"));
        if !v.walked() && differ(a, b) && without_docs(a) != without_docs(b) {
            let name = v.name;
            let field = format!("spec.versions[{}].schema", v.new_index);
            out.push(
                Finding::new(
                    ID,
                    format!(
                        "{field}: the schema of {name} changed (not only its documentation), though {name} is neither served nor the storage version: no upgrade rule compares it; objects still stored as {name} (status.storedVersions) are pruned and defaulted by it when read"
                    ),
                    at(Some(v.new), "schema", rev.version_span(v.new_index)),
                )
                .with_field(field)
                .with_change(Change {
                    old: json(a),
                    new: json(b),
                    versions: vec![name.to_string()],
                    path: None,
                }),
            );
        }
        for key in union(v.old, v.new) {
            if VERSION_HANDLED.contains(&key) {
                continue;
            }
            let (a, b) = (v.old.get(key), v.new.get(key));
            let reported = match key {
                "selectableFields" => lost_entries(a, b),
                _ => differ(a, b),
            };
            if reported {
                out.push(finding(
                    format!("spec.versions[{}].{key}", v.new_index),
                    a,
                    b,
                    at(Some(v.new), key, rev.version_span(v.new_index)),
                    vec![v.name.to_string()],
                ));
            }
        }
    }
}
