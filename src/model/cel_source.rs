//! What a version's CEL rules are compiled from: the part of its schema kube-cel's compile
//! reads and evaluation keeps, as JSON, and the two facts about the whole schema that adapting
//! it for kube-cel asks (`crate::cel::escaping`).
//!
//! A generated schema is mostly what no rule sees: descriptions, enums, examples, and subtrees
//! without rules whose values convert to CEL the same without a schema. Evaluation drops those
//! subtrees after compiling (`crate::cel::eval::prune_for_evaluation`); converting the whole
//! schema to JSON and compiling it first was most of the first check against a large CRD with
//! rules (0.8 MB for `Prometheus`, 2,057 schema nodes of which 153 are kept). So the JSON is
//! built with only what would be kept, and only the keywords kube-cel's `compile_schema`
//! reads (`properties`, `items`, `additionalProperties`, `allOf`, `oneOf`, `anyOf`,
//! `x-kubernetes-validations`, `format`, `x-kubernetes-int-or-string`, `maxLength`,
//! `maxItems`, `maxProperties`, `x-kubernetes-preserve-unknown-fields`,
//! `x-kubernetes-embedded-resource`, `default`) or adapting it reads (`type`). The rules
//! compiled from it, once pruned for evaluation, are those compiled from the whole schema
//! (`tests::compiled_rules_are_those_of_the_whole_schema` compares them).
//!
//! The subtrees dropped are exactly those the prune drops: a child (property, items or
//! additionalProperties schema) without rules below it, that either no rule above sees or
//! that is plain (no `date-time`, `duration`, `byte` or string `date` format, no map, no
//! embedded resource, anywhere below). The `allOf`, `oneOf` and `anyOf` branches are never
//! pruned there, so they are kept whole here. A dropped `additionalProperties` schema is
//! written `true`: the node stays a map for kube-cel (`is_map`), with no schema for its values,
//! as after the prune. Past kube-cel's depth limit a schema node compiles to an error, which
//! counts as a rule: a schema nested that deep is kept whole (written as before).

use crate::yaml::{Entry, Node, Value};
use std::collections::{BTreeSet, HashMap};

/// A version's schema as its CEL rules are compiled from it.
#[derive(Debug)]
pub struct CelSource {
    /// The part of the schema the rules need, as kube-cel reads it (module doc).
    pub schema: serde_json::Value,
    /// The property names holding `_` anywhere in the whole schema (`cel::escaping` rewrites
    /// the rules' selectors of those names).
    pub underscored_names: BTreeSet<String>,
    /// The whole schema has `type: string` nodes of `format: date` (CEL sees their values as
    /// timestamps).
    pub has_dates: bool,
}

impl CelSource {
    /// Read from a version's `openAPIV3Schema`.
    pub fn of(schema: &Node) -> CelSource {
        let mut underscored_names = BTreeSet::new();
        let mut has_dates = false;
        survey(schema, &mut underscored_names, &mut has_dates);
        let mut subtrees = Subtrees::new();
        let (_, deepest) = survey_schemas(schema, 0, &mut subtrees);
        // A schema node deeper than kube-cel's limit compiles to an error.
        let schema = if deepest < kube_cel::walk_api::MAX_SCHEMA_DEPTH {
            kept(schema, false, true, &subtrees)
        } else {
            schema.to_serde()
        };
        CelSource {
            schema,
            underscored_names,
            has_dates,
        }
    }
}

/// Every mapping of the whole tree, schema or not, as `cel::escaping` searched the JSON: the
/// names under a `properties` mapping that hold `_`, and whether a `type: string` node has
/// `format: date`.
fn survey(n: &Node, names: &mut BTreeSet<String>, dates: &mut bool) {
    match &n.value {
        Value::Map(entries) => {
            if let Some(Value::Map(props)) = n.get("properties").map(|p| &p.value) {
                names.extend(
                    props
                        .iter()
                        .filter(|p| p.key.contains('_'))
                        .map(|p| p.key.to_string()),
                );
            }
            *dates |= is_date_string(n);
            entries.iter().for_each(|e| survey(&e.value, names, dates));
        }
        Value::Seq(items) => items.iter().for_each(|i| survey(i, names, dates)),
        _ => {}
    }
}

fn is_date_string(n: &Node) -> bool {
    n.get("type").and_then(Node::as_str) == Some("string")
        && n.get("format").and_then(Node::as_str) == Some("date")
}

fn is_true(n: &Node, key: &str) -> bool {
    n.get(key).and_then(Node::as_bool) == Some(true)
}

/// The schemas kube-cel compiles below a node: each property, `items` (whatever its shape),
/// `additionalProperties` when it is a schema, and each branch of `allOf`, `oneOf`, `anyOf`.
fn children(n: &Node) -> impl Iterator<Item = &Node> {
    let props = match n.get("properties").map(|p| &p.value) {
        Some(Value::Map(props)) => props.as_slice(),
        _ => &[],
    };
    let additional = n
        .get("additionalProperties")
        .filter(|a| a.as_map().is_some());
    let branches = ["allOf", "oneOf", "anyOf"]
        .into_iter()
        .flat_map(|k| n.get(k).and_then(Node::as_seq).unwrap_or_default().iter());
    props
        .iter()
        .map(|p| &p.value)
        .chain(n.get("items"))
        .chain(additional)
        .chain(branches)
}

/// What the prune asks of a schema node's compiled subtree.
#[derive(Clone, Copy)]
struct Subtree {
    /// `cel::eval::has_rules`: rules in it.
    has_rules: bool,
    /// `cel::eval::plain`, of the schema adapted as `cel::escaping` adapts it (a string of
    /// `format: date` becomes `date-time`): its values convert to CEL the same without it.
    plain: bool,
}

/// [`Subtree`] of every schema node, by address: found in one pass, asked at each level.
type Subtrees = HashMap<*const Node, Subtree>;

/// Fill `subtrees` for `n` (at `depth`) and every schema below it; `n`'s, and how deep the
/// schemas below it go.
fn survey_schemas(n: &Node, depth: usize, subtrees: &mut Subtrees) -> (Subtree, usize) {
    let mut has_rules = has_own_rules(n);
    let mut plain = converts_plain(n);
    let mut deepest = depth;
    for child in children(n) {
        let (c, d) = survey_schemas(child, depth + 1, subtrees);
        has_rules |= c.has_rules;
        plain &= c.plain;
        deepest = deepest.max(d);
    }
    let this = Subtree { has_rules, plain };
    subtrees.insert(n, this);
    (this, deepest)
}

/// The node's own rules: a non-empty `x-kubernetes-validations` list (each entry compiles to a
/// rule or to an error, and either counts).
fn has_own_rules(n: &Node) -> bool {
    n.get("x-kubernetes-validations")
        .and_then(Node::as_seq)
        .is_some_and(|rules| !rules.is_empty())
}

/// The node's own part of `plain`: no format that converts (`date-time`, `duration`, `byte`,
/// a string's `date`) unless it is an int-or-string, not a map, not an embedded resource.
fn converts_plain(n: &Node) -> bool {
    let format_plain = is_true(n, "x-kubernetes-int-or-string")
        || !(matches!(
            n.get("format").and_then(Node::as_str),
            Some("date-time" | "duration" | "byte")
        ) || is_date_string(n));
    let is_map = n
        .get("additionalProperties")
        .is_some_and(|a| a.as_bool() != Some(false));
    format_plain && !is_map && !is_true(n, "x-kubernetes-embedded-resource")
}

/// The keywords kube-cel's compile (and `cel::escaping`) read at a schema node, other than its
/// subschemas: written whole.
const READ_WHOLE: [&str; 10] = [
    "x-kubernetes-validations",
    "type",
    "format",
    "x-kubernetes-int-or-string",
    "maxLength",
    "maxItems",
    "maxProperties",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "default",
];

/// The JSON of a schema node as the prune leaves it (`prune`: whether its subschemas are
/// pruned; the branches of `allOf`, `oneOf`, `anyOf` are not), with only the keywords kube-cel
/// reads. `seen`: a rule above sees this node's value.
fn kept(n: &Node, seen: bool, prune: bool, subtrees: &Subtrees) -> serde_json::Value {
    let Value::Map(entries) = &n.value else {
        return n.to_serde();
    };
    let seen = seen || has_own_rules(n);
    // The prune's test: rules below the child, or seen by a rule above and not plain.
    let keep = |child: &Node| {
        !prune
            || subtrees
                .get(&(child as *const Node))
                .is_some_and(|c| c.has_rules || (seen && !c.plain))
    };
    let mut out = serde_json::Map::new();
    for Entry { key, value, .. } in entries {
        let json = match key.as_str() {
            "properties" => match &value.value {
                Value::Map(props) => serde_json::Value::Object(
                    props
                        .iter()
                        .filter(|p| keep(&p.value))
                        .map(|p| (p.key.to_string(), kept(&p.value, seen, prune, subtrees)))
                        .collect(),
                ),
                _ => value.to_serde(),
            },
            "items" if !keep(value) => continue,
            "items" => kept(value, seen, prune, subtrees),
            "additionalProperties" => match &value.value {
                Value::Map(_) if keep(value) => kept(value, seen, prune, subtrees),
                // Still a map, without a schema for its values (as after the prune).
                Value::Map(_) => serde_json::Value::Bool(true),
                _ => value.to_serde(),
            },
            "allOf" | "oneOf" | "anyOf" => match &value.value {
                Value::Seq(branches) => serde_json::Value::Array(
                    branches
                        .iter()
                        .map(|b| kept(b, seen, false, subtrees))
                        .collect(),
                ),
                _ => value.to_serde(),
            },
            k if READ_WHOLE.contains(&k) => value.to_serde(),
            _ => continue,
        };
        out.insert(key.to_string(), json);
    }
    serde_json::Value::Object(out)
}
