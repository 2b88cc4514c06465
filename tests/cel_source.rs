//! A CRD version's CEL rules are compiled from only the part of its schema they need
//! (`model::cel_source`): the keywords kube-cel reads, without the subtrees evaluation prunes.
//! Pruned for evaluation, they must be exactly the rules compiled from the whole schema, as
//! they were before: the same nodes, rules, programs, formats, maps, branches, defaults and
//! fields read, so evaluation cannot tell them apart. Compared here for every version of every
//! CRD in the repository's YAML, and for thousands of variants of them with rules, formats,
//! maps, embedded resources, branches, odd shapes and underscored names put at random nodes.
//!
//! `CRDLINT_CEL_DIRS` (directories, `:`-separated) adds more YAML (a corpus);
//! `CRDLINT_CEL_VARIANTS` sets the variants made of each schema (default 12).

mod common;

use common::{Rng, crd_schemas, env_count, schema_nodes, variants};

use crdlint::cel::compile::compiled;
use crdlint::model::cel_source::CelSource;
use crdlint::model::crd::CompiledCel;
use crdlint::yaml;
use kube_cel::CompiledSchema;
use rayon::prelude::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// How the rules were compiled before: from the whole schema's JSON, with the names and dates
/// searched in that JSON (the code `cel::escaping` had).
fn from_the_whole(schema: &Value) -> CompiledCel {
    fn names(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Object(props)) = m.get("properties") {
                    out.extend(props.keys().filter(|k| k.contains('_')).cloned());
                }
                m.values().for_each(|c| names(c, out));
            }
            Value::Array(a) => a.iter().for_each(|c| names(c, out)),
            _ => {}
        }
    }
    fn dates(v: &Value) -> bool {
        match v {
            Value::Object(m) => {
                (m.get("type") == Some(&json!("string")) && m.get("format") == Some(&json!("date")))
                    || m.values().any(dates)
            }
            Value::Array(a) => a.iter().any(dates),
            _ => false,
        }
    }
    let mut underscored_names = BTreeSet::new();
    names(schema, &mut underscored_names);
    compiled(CelSource {
        schema: schema.clone(),
        underscored_names,
        has_dates: dates(schema),
    })
}

/// Everything of a compiled schema evaluation reads (and the rest), properties in name order.
fn dump(c: &CompiledSchema, at: &str, out: &mut String) {
    let _ = writeln!(
        out,
        "{at}: map {} format {:?} preserve {} embedded {} max {:?} {:?} {:?} default {:?} fields {:?}",
        c.is_map,
        c.format,
        c.preserve_unknown_fields,
        c.embedded_resource,
        c.max_length,
        c.max_items,
        c.max_properties,
        c.default,
        c.self_fields
    );
    for v in &c.validations {
        let _ = match v {
            Ok(r) => writeln!(
                out,
                "{at}: rule {:?} transition {} program {:?} message {:?}",
                r.rule,
                r.is_transition_rule,
                r.program.expression(),
                r.message_program.as_ref().map(|p| p.expression())
            ),
            Err(e) => writeln!(out, "{at}: error {e}"),
        };
    }
    let mut names: Vec<&String> = c.properties.keys().collect();
    names.sort();
    for name in names {
        dump(&c.properties[name], &format!("{at}.{name:?}"), out);
    }
    if let Some(i) = &c.items {
        dump(i, &format!("{at}[]"), out);
    }
    if let Some(a) = &c.additional_properties {
        dump(a, &format!("{at}{{}}"), out);
    }
    for (kind, branches) in [
        ("allOf", &c.all_of),
        ("oneOf", &c.one_of),
        ("anyOf", &c.any_of),
    ] {
        for (i, b) in branches.iter().enumerate() {
            dump(b, &format!("{at}/{kind}{i}"), out);
        }
    }
}

fn dumped(c: &CompiledCel) -> String {
    let mut out = format!("dates {}\n", c.dates);
    dump(&c.schema, "", &mut out);
    out
}

/// The rules compiled both ways from a schema, as dumps: (from the part, from the whole).
fn both_ways(schema: &Value) -> (String, String) {
    // The schema goes through crdlint's YAML reader, as a CRD's does (JSON is YAML).
    let text = schema.to_string();
    let node = yaml::parse_stream(&text).remove(0).root.unwrap();
    let part = dumped(&compiled(CelSource::of(&node)));
    let whole = dumped(&from_the_whole(&node.to_serde()));
    (part, whole)
}

/// A change to a schema node: the keyword set, and its value.
type Change<'a> = dyn Fn(&mut Rng) -> (&'static str, Value) + 'a;

/// Change one schema node of `schema` in one of the ways that decide what is kept.
fn mutate(schema: &mut Value, rng: &mut Rng) {
    let mut nodes = Vec::new();
    schema_nodes(schema, String::new(), &mut nodes);
    if nodes.is_empty() {
        return;
    }
    let at = rng.pick(&nodes).clone();
    let field = {
        let node = schema.pointer(&at).unwrap();
        let names: Vec<String> = node
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        if names.is_empty() {
            "x".to_string()
        } else {
            rng.pick(&names).clone()
        }
    };
    let rules = [
        json!([{"rule": format!("!has(self.{field}) || self.{field} != 'a'")}]),
        json!([{"rule": "size(self) >= 0", "message": "m"}]),
        json!([{"rule": "self == self", "messageExpression": "'x'", "fieldPath": ".a"}]),
        json!([{"rule": "self =="}]),
        json!([{"rule": "self.a_b == 1 && self.c_d == 2"}]),
        json!([{"rule": "self.x == oldSelf.x", "optionalOldSelf": true}]),
        json!([{"rule": "has(self.other_value)", "reason": "FieldValueForbidden"}]),
        json!([]),
        json!({"rule": "not a list"}),
    ];
    // A chain of objects past kube-cel's depth limit (64), where it compiles errors.
    let deep = || {
        (0..66).fold(json!({"type": "string"}), |inner, _| {
            let mut props = serde_json::Map::new();
            props.insert("d".into(), inner);
            let mut node = serde_json::Map::new();
            node.insert("type".into(), json!("object"));
            node.insert("properties".into(), Value::Object(props));
            Value::Object(node)
        })
    };
    let changes: [&Change<'_>; 15] = [
        &|_| {
            let mut deep_one = serde_json::Map::new();
            deep_one.insert("deep".into(), deep());
            ("properties", Value::Object(deep_one))
        },
        &|r| ("x-kubernetes-validations", r.pick(&rules).clone()),
        &|r| ("x-kubernetes-validations", r.pick(&rules).clone()),
        &|r| {
            (
                "format",
                json!(r.pick(&["date", "date-time", "duration", "byte", "int32", ""])),
            )
        },
        &|r| {
            (
                "type",
                json!(r.pick(&["string", "object", "array", "integer"])),
            )
        },
        &|r| {
            let v = [
                json!(true),
                json!(false),
                json!(null),
                json!({"type": "string", "format": "date-time"}),
                json!({"type": "string"}),
                json!({"type": "object", "x-kubernetes-validations": [{"rule": "self.size() > 0"}]}),
            ];
            ("additionalProperties", r.pick(&v).clone())
        },
        &|_| ("x-kubernetes-embedded-resource", json!(true)),
        &|_| ("x-kubernetes-int-or-string", json!(true)),
        &|_| ("x-kubernetes-preserve-unknown-fields", json!(true)),
        &|r| {
            let v = [
                json!([{"x-kubernetes-validations": [{"rule": "true"}]}]),
                json!([{"properties": {"q": {"type": "string", "format": "byte"}}}, {"required": ["q"]}]),
                json!([{"properties": {"p": {"type": "string"}}}]),
                json!("not a list"),
            ];
            (*r.pick(&["allOf", "oneOf", "anyOf"]), r.pick(&v).clone())
        },
        &|r| {
            let v = [
                json!({"type": "string", "format": "date"}),
                json!({"type": "object", "properties": {"in_side": {"type": "string", "format": "duration"}}}),
                json!([{"type": "string"}]),
                json!("odd"),
            ];
            ("items", r.pick(&v).clone())
        },
        &|r| {
            let v = [
                json!({"properties": {"a_b": 1}, "type": "string", "format": "date"}),
                json!({"x-kubernetes-validations": [{"rule": "self.other_value"}]}),
                json!(1),
            ];
            ("default", r.pick(&v).clone())
        },
        &|r| ("maxLength", json!(r.below(10))),
        &|_| {
            (
                "example",
                json!({"properties": {"e_x": {}}, "type": "string", "format": "date"}),
            )
        },
        &|r| {
            let v = [
                json!({"other_value": {"type": "string"}, "a_b": {"type": "integer"}}),
                json!({"when": {"type": "string", "format": "date"}}),
                json!({"deep": {"type": "object", "properties": {"m": {"type": "object", "additionalProperties": {"type": "string"}}}}}),
                json!({"ruled": {"type": "object", "x-kubernetes-validations": [{"rule": "has(self.z)"}]}}),
            ];
            ("properties", r.pick(&v).clone())
        },
    ];
    let (key, value) = rng.pick(&changes)(rng);
    let Some(Value::Object(node)) = schema.pointer_mut(&at) else {
        return;
    };
    match (key, value, node.get_mut("properties")) {
        // New properties beside the node's own.
        ("properties", Value::Object(add), Some(Value::Object(props))) => props.extend(add),
        (key, value, _) => {
            node.insert(key.to_string(), value);
        }
    }
}

#[test]
fn compiled_rules_are_those_of_the_whole_schema() {
    let schemas = crd_schemas("CRDLINT_CEL_DIRS");
    assert!(schemas.len() > 150, "{} schemas", schemas.len());
    let each = env_count("CRDLINT_CEL_VARIANTS", 12);
    let compared: Vec<(bool, bool, usize)> = schemas
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, schema)| {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1));
            let variants = variants(schema, &mut rng, each, 4, mutate);
            variants.into_iter().map(|v| {
                let (part, whole) = both_ways(&v);
                assert_eq!(part, whole, "schema {}", v);
                let rules = whole.matches(": rule ").count() + whole.matches(": error ").count();
                (rules > 0, part.len() < whole.len(), rules)
            })
        })
        .collect();
    let with_rules = compared.iter().filter(|c| c.0).count();
    let rules: usize = compared.iter().map(|c| c.2).sum();
    eprintln!(
        "{} schemas and variants compiled both ways, the same: {with_rules} with rules ({rules} rules)",
        compared.len()
    );
    // The variants must reach the cases that matter: most hold rules.
    assert!(
        with_rules * 2 > compared.len(),
        "{with_rules} of {}",
        compared.len()
    );
}

/// The part written for a large CRD is small: the point of it.
#[test]
fn a_large_schema_with_a_rule_at_its_top_keeps_little() {
    let mut props = serde_json::Map::new();
    for i in 0..200 {
        props.insert(
            format!("f{i}"),
            json!({"type": "object", "description": "text ".repeat(40), "properties": {
                "a": {"type": "string", "enum": ["x", "y"]},
                "t": {"type": "string", "format": "date-time"},
            }}),
        );
    }
    let schema = json!({"type": "object", "properties": props,
        "x-kubernetes-validations": [{"rule": "!has(self.f1) || has(self.f2)"}]});
    let text = schema.to_string();
    let node = yaml::parse_stream(&text).remove(0).root.unwrap();
    let part = CelSource::of(&node).schema.to_string();
    // Each property keeps only its `date-time` string (not plain), nothing of its text.
    assert!(!part.contains("description") && !part.contains("enum"));
    assert_eq!(part.matches("\"t\"").count(), 200);
    assert_eq!(part.matches("\"a\"").count(), 0);
    let (p, w) = both_ways(&schema);
    assert_eq!(p, w);

    // With the rule on one property instead, no rule sees the others: only that one is kept.
    let mut schema = schema;
    schema
        .as_object_mut()
        .unwrap()
        .remove("x-kubernetes-validations");
    schema["properties"]["f7"]["x-kubernetes-validations"] = json!([{"rule": "has(self.a)"}]);
    let text = schema.to_string();
    let node = yaml::parse_stream(&text).remove(0).root.unwrap();
    let part = CelSource::of(&node).schema;
    let kept: Vec<&String> = part["properties"].as_object().unwrap().keys().collect();
    assert_eq!(kept, ["f7"]);
    let (p, w) = both_ways(&schema);
    assert_eq!(p, w);
}
