//! Decoding and defaulting walk a resource as the API server does, in fewer steps: crdlint
//! prunes unknown fields (`pruning/algorithm.go`) and the nulls the schema does not allow
//! (`defaulting/prunenulls.go`) in one walk (`validate::prune`), and defaults
//! (`defaulting/algorithm.go`) only the subtrees with a default, each object's defaulted
//! properties found from the schema's side (`validate::defaults`). Here each is compared with
//! the straight port of the server's code that crdlint had before (kept below as the
//! reference) on documents generated from every CRD version of the repository (and a corpus)
//! and from variants of those schemas: nulls, unknown fields, `apiVersion`, `kind` and
//! `metadata` (null or not), preserved unknown fields, maps, embedded resources, nullable and
//! defaulted nodes, put at random. The tree left and the errors must be the same.
//!
//! `CRDLINT_PRUNE_DIRS` (directories, `:`-separated) adds more YAML (a corpus);
//! `CRDLINT_PRUNE_CASES` sets the documents made of each schema and variant (default 6).

mod common;

use common::{Rng, crd_schemas, env_count, schema_nodes, variants};
use crdlint::model::schema::{AdditionalProperties, Schema};
use crdlint::validate::defaults;
use crdlint::validate::prune::{prune_root, unknown};
use crdlint::wording::FieldError;
use crdlint::wording::field_path as path;
use crdlint::yaml::{self, Node, Value as Tree};
use rayon::prelude::*;
use serde_json::{Value, json};

/// The two walks, as crdlint made them before (its port of the server's two functions).
mod two_walks {
    use super::*;

    const META_FIELDS: [&str; 3] = ["apiVersion", "kind", "metadata"];

    /// Returns how many nulls the second walk dropped.
    pub fn prune_root(node: &mut Node, schema: &Schema, out: &mut Vec<FieldError>) -> usize {
        prune(node, Some(schema), true, &mut String::new(), out);
        let before = nulls(node);
        prune_nulls(node, Some(schema));
        before - nulls(node)
    }

    fn nulls(node: &Node) -> usize {
        match &node.value {
            Tree::Null => 1,
            Tree::Map(entries) => entries.iter().map(|e| nulls(&e.value)).sum(),
            Tree::Seq(items) => items.iter().map(nulls).sum(),
            _ => 0,
        }
    }

    fn additional(s: &Schema) -> Option<Option<&Schema>> {
        match &s.additional_properties {
            Some(AdditionalProperties::Schema(a)) => Some(Some(a)),
            Some(AdditionalProperties::Allowed(true)) => Some(None),
            _ => None,
        }
    }

    fn prune(
        node: &mut Node,
        s: Option<&Schema>,
        embedded: bool,
        at: &mut String,
        out: &mut Vec<FieldError>,
    ) {
        if let Some(s) = s.filter(|s| s.preserve_unknown_fields) {
            skip_prune(node, s, embedded, at, out);
            return;
        }
        match &mut node.value {
            Tree::Map(entries) => {
                entries.retain_mut(|e| {
                    if embedded && META_FIELDS.contains(&e.key.as_str()) {
                        return true;
                    }
                    let len = path::push_child(at, &e.key);
                    let keep = match s {
                        None => {
                            out.push(unknown(at.clone(), e.key_span));
                            false
                        }
                        Some(s) => {
                            if let Some(prop) = s.properties.get(e.key.as_str()) {
                                prune(&mut e.value, Some(prop), prop.embedded_resource, at, out);
                                true
                            } else if let Some(add) = additional(s) {
                                let emb = add.is_some_and(|a| a.embedded_resource);
                                prune(&mut e.value, add, emb, at, out);
                                true
                            } else {
                                out.push(unknown(at.clone(), e.key_span));
                                false
                            }
                        }
                    };
                    at.truncate(len);
                    keep
                });
            }
            Tree::Seq(items) => {
                let item_schema = s.and_then(|s| s.items.as_deref());
                let emb = item_schema.is_some_and(|i| i.embedded_resource);
                for (i, item) in items.iter_mut().enumerate() {
                    let len = path::push_index(at, i);
                    prune(item, item_schema, emb, at, out);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }

    fn skip_prune(
        node: &mut Node,
        s: &Schema,
        embedded: bool,
        at: &mut String,
        out: &mut Vec<FieldError>,
    ) {
        match &mut node.value {
            Tree::Map(entries) => {
                for e in entries.iter_mut() {
                    if embedded && META_FIELDS.contains(&e.key.as_str()) {
                        continue;
                    }
                    let len = path::push_child(at, &e.key);
                    if let Some(prop) = s.properties.get(e.key.as_str()) {
                        prune(&mut e.value, Some(prop), prop.embedded_resource, at, out);
                    } else if let Some(Some(add)) = additional(s) {
                        prune(&mut e.value, Some(add), add.embedded_resource, at, out);
                    }
                    at.truncate(len);
                }
            }
            Tree::Seq(items) => {
                if let Some(item_schema) = s.items.as_deref() {
                    for (i, item) in items.iter_mut().enumerate() {
                        let len = path::push_index(at, i);
                        skip_prune(item, item_schema, item_schema.embedded_resource, at, out);
                        at.truncate(len);
                    }
                }
            }
            _ => {}
        }
    }

    fn prune_nulls(node: &mut Node, s: Option<&Schema>) {
        if s.is_none() {
            return;
        }
        match &mut node.value {
            Tree::Map(entries) => entries.retain_mut(|e| {
                let schema = s.and_then(|s| s.property_schema(&e.key));
                if e.value.is_null() && schema.is_some_and(|s| !s.nullable && s.default.is_none()) {
                    return false;
                }
                prune_nulls(&mut e.value, schema);
                true
            }),
            Tree::Seq(items) => {
                let schema = s.and_then(|s| s.items.as_deref());
                for item in items {
                    prune_nulls(item, schema);
                }
            }
            _ => {}
        }
    }
}

/// Defaulting as crdlint made it before: every object walked, each key looked up.
mod every_object {
    use super::*;
    use crdlint::yaml::Entry;

    fn is_non_nullable_null(n: &Node, s: &Schema) -> bool {
        n.is_null() && !s.nullable
    }

    pub fn apply(node: &mut Node, s: &Schema) {
        let parent_span = node.span;
        match &mut node.value {
            Tree::Map(entries) => {
                for (k, prop) in &s.properties {
                    let Some(default) = &prop.default else {
                        continue;
                    };
                    match entries.iter_mut().find(|e| e.key == *k) {
                        Some(e) if is_non_nullable_null(&e.value, prop) => {
                            e.value = default.respanned(e.value.span);
                        }
                        Some(_) => {}
                        None => entries.push(Entry {
                            key: k.as_str().into(),
                            key_span: parent_span,
                            value: default.respanned(parent_span),
                        }),
                    }
                }
                for e in entries.iter_mut() {
                    if let Some(prop) = s.properties.get(e.key.as_str()) {
                        apply(&mut e.value, prop);
                    } else if let Some(AdditionalProperties::Schema(add)) = &s.additional_properties
                    {
                        if is_non_nullable_null(&e.value, add)
                            && let Some(d) = &add.default
                        {
                            e.value = d.respanned(e.value.span);
                        }
                        apply(&mut e.value, add);
                    }
                }
            }
            Tree::Seq(items) => {
                let Some(item_schema) = s.items.as_deref() else {
                    return;
                };
                for item in items.iter_mut() {
                    if is_non_nullable_null(item, item_schema)
                        && let Some(d) = &item_schema.default
                    {
                        *item = d.respanned(item.span);
                    }
                    apply(item, item_schema);
                }
            }
            _ => {}
        }
    }
}

/// Change one schema node in one of the ways that decide what pruning and defaulting do.
fn mutate(schema: &mut Value, rng: &mut Rng) {
    let mut nodes = Vec::new();
    schema_nodes(schema, String::new(), &mut nodes);
    let Some(at) = (!nodes.is_empty()).then(|| rng.pick(&nodes).clone()) else {
        return;
    };
    let changes = [
        ("nullable", json!(true)),
        ("nullable", json!(false)),
        ("default", json!({})),
        ("default", json!(null)),
        ("default", json!("d")),
        ("default", json!(3)),
        ("default", json!({"a": "x", "zz": null})),
        ("default", json!([null, {}])),
        ("x-kubernetes-preserve-unknown-fields", json!(true)),
        ("x-kubernetes-embedded-resource", json!(true)),
        ("additionalProperties", json!(true)),
        ("additionalProperties", json!(false)),
        (
            "additionalProperties",
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
        ),
        (
            "additionalProperties",
            json!({"type": "string", "nullable": true}),
        ),
        (
            "items",
            json!({"type": "object", "x-kubernetes-embedded-resource": true,
                   "x-kubernetes-preserve-unknown-fields": true}),
        ),
        (
            "properties",
            json!({"metadata": {"type": "object", "properties": {"name": {"type": "string"}}},
                   "kind": {"type": "string", "nullable": true}}),
        ),
        ("type", json!("object")),
    ];
    let (key, value) = rng.pick(&changes).clone();
    let Some(Value::Object(node)) = schema.pointer_mut(&at) else {
        return;
    };
    match (key, value, node.get_mut("properties")) {
        ("properties", Value::Object(add), Some(Value::Object(props))) => props.extend(add),
        (key, value, _) => {
            node.insert(key.to_string(), value);
        }
    }
}

/// Something that is not what a schema asks for: nested maps and lists with nulls in them.
fn stray(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 2 { 4 } else { 6 }) {
        0 => Value::Null,
        1 => json!("s"),
        2 => json!(1),
        3 => json!(true),
        4 => Value::Array((0..rng.below(3)).map(|_| stray(rng, depth + 1)).collect()),
        _ => {
            let mut m = serde_json::Map::new();
            for i in 0..rng.below(3) {
                m.insert(format!("u{i}"), stray(rng, depth + 1));
            }
            Value::Object(m)
        }
    }
}

/// The implicit fields of an embedded resource, sometimes null.
fn meta(rng: &mut Rng) -> Value {
    match rng.below(4) {
        0 => Value::Null,
        1 => json!({"name": "a", "labels": null}),
        2 => json!({"name": null, "zz": 1}),
        _ => json!({}),
    }
}

/// A document for the schema, mostly what it asks for, with nulls, unknown fields and the
/// implicit fields put at random.
fn instance(s: &Value, rng: &mut Rng, depth: usize, embedded: bool) -> Value {
    if depth > 12 || rng.below(10) == 0 {
        return Value::Null;
    }
    if rng.below(25) == 0 {
        return stray(rng, 0);
    }
    let ty = s.get("type").and_then(Value::as_str).unwrap_or("");
    let props = s.get("properties").and_then(Value::as_object);
    let additional = s.get("additionalProperties");
    let preserve = s.get("x-kubernetes-preserve-unknown-fields") == Some(&json!(true));
    if ty == "object" || props.is_some() || additional.is_some() || preserve || embedded {
        let mut m = serde_json::Map::new();
        for (k, p) in props.into_iter().flatten() {
            if rng.below(3) != 0 {
                let emb = p.get("x-kubernetes-embedded-resource") == Some(&json!(true));
                m.insert(k.clone(), instance(p, rng, depth + 1, emb));
            }
        }
        match additional {
            Some(a @ Value::Object(_)) => {
                let emb = a.get("x-kubernetes-embedded-resource") == Some(&json!(true));
                for i in 0..rng.below(3) {
                    m.insert(format!("k{i}"), instance(a, rng, depth + 1, emb));
                }
            }
            Some(Value::Bool(true)) => {
                for i in 0..rng.below(3) {
                    m.insert(format!("k{i}"), stray(rng, 0));
                }
            }
            _ => {}
        }
        if rng.below(4) == 0 {
            m.insert(format!("zz{}", rng.below(3)), stray(rng, 0));
        }
        if embedded || rng.below(6) == 0 {
            for k in ["apiVersion", "kind"] {
                if rng.below(3) != 0 {
                    m.insert(
                        k.into(),
                        if rng.below(3) == 0 {
                            Value::Null
                        } else {
                            json!("v1")
                        },
                    );
                }
            }
            if rng.below(3) != 0 {
                m.insert("metadata".into(), meta(rng));
            }
        }
        return Value::Object(m);
    }
    match ty {
        "array" => {
            let items = s.get("items").cloned().unwrap_or(json!({}));
            let emb = items.get("x-kubernetes-embedded-resource") == Some(&json!(true));
            Value::Array(
                (0..rng.below(4))
                    .map(|_| instance(&items, rng, depth + 1, emb))
                    .collect(),
            )
        }
        "integer" | "number" => json!(rng.below(100)),
        "boolean" => json!(rng.below(2) == 1),
        _ => json!("x"),
    }
}

fn tree(v: &Value) -> Node {
    yaml::parse_stream(&v.to_string()).remove(0).root.unwrap()
}

#[test]
fn pruned_and_defaulted_as_by_the_straight_port() {
    let schemas = crd_schemas("CRDLINT_PRUNE_DIRS");
    assert!(schemas.len() > 150, "{} schemas", schemas.len());
    let each = env_count("CRDLINT_PRUNE_CASES", 6);
    let counts: Vec<(usize, usize, bool)> = schemas
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, schema)| {
            let mut rng = Rng(0xD1B5_4A32_D192_ED03 ^ (i as u64 + 1));
            let variants = variants(schema, &mut rng, 4, 5, mutate);
            let mut counts = Vec::new();
            for v in variants {
                let compiled = Schema::compile(&tree(&v), "s", &mut Vec::new());
                for _ in 0..each {
                    let doc = tree(&instance(&v, &mut rng, 0, true));
                    let (mut one, mut two) = (doc.clone(), doc.clone());
                    let (mut one_errors, mut two_errors) = (Vec::new(), Vec::new());
                    prune_root(&mut one, &compiled, &mut one_errors);
                    let nulls = two_walks::prune_root(&mut two, &compiled, &mut two_errors);
                    assert_eq!(one, two, "schema {v}\ndocument {}", doc.to_json());
                    assert_eq!(
                        one_errors,
                        two_errors,
                        "schema {v}\ndocument {}",
                        doc.to_json()
                    );
                    let pruned = one.clone();
                    defaults::apply(&mut one, &compiled);
                    every_object::apply(&mut two, &compiled);
                    assert_eq!(one, two, "schema {v}\ndocument {}", pruned.to_json());
                    // What the cases reach: nulls dropped, unknown fields reported, defaults
                    // applied.
                    counts.push((nulls, one_errors.len(), one != pruned));
                }
            }
            counts
        })
        .collect();
    let documents = counts.len();
    let with_nulls_dropped = counts.iter().filter(|c| c.0 > 0).count();
    let with_unknown = counts.iter().filter(|c| c.1 > 0).count();
    let defaulted = counts.iter().filter(|c| c.2).count();
    eprintln!(
        "{documents} documents pruned and defaulted both ways, the same: {with_nulls_dropped} \
         with nulls dropped, {with_unknown} with unknown fields, {defaulted} with defaults applied"
    );
    assert!(
        with_nulls_dropped * 5 > documents,
        "{with_nulls_dropped} of {documents}"
    );
    assert!(
        with_unknown * 4 > documents,
        "{with_unknown} of {documents}"
    );
    assert!(defaulted * 8 > documents, "{defaulted} of {documents}");
}
