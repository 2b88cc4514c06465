//! `structural/junctor`: `allOf`, `anyOf`, `oneOf` and `not` may only hold value validations.
//! Inside them a schema must not set `type`, an `additionalProperties` schema, `title`,
//! `description`, `nullable`, any `x-kubernetes-*` extension or `properties[metadata]`, nor a
//! `default` (reported as `default/in-junctor`, by this same walk); and
//! every property or `items` a junctor at the root talks about must also be declared in the
//! structural part of the schema. The int-or-string patterns (`anyOf: [{type: integer},
//! {type: string}]`, directly or as the first `allOf` entry) are exempt.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/validation.go`
//! (validateValueValidation, validateNestedValueValidation, isIntOrStringAnyOfPattern,
//! isIntOrStringAllOfPattern) and `pkg/apiserver/schema/complete.go`
//! (validateStructuralCompleteness, which upstream runs on the root's junctors only).

use crate::lint::walk::schema_node::{At, Level, forbidden, is_set, required};
use crate::lint::{Finding, Rule, SchemaSite};

pub const ID: &str = "structural/junctor";

pub const RULE: Rule = Rule {
    structural: Some(on_structural),
    version_schema: Some(on_version_schema),
    ..Rule::new(ID)
};

/// Keys NewStructural does not keep (so they do not break the int-or-string pattern).
const DROPPED: [&str; 2] = ["example", "externalDocs"];

/// `{type: <t>}` and nothing else that survives conversion (`reflect.DeepEqual` against
/// `NestedValueValidation{ForbiddenGenerics: Generic{Type: t}}`).
fn only_type(at: &At, t: &str) -> bool {
    at.ty() == t
        && at.node.as_map().unwrap_or_default().iter().all(|e| {
            e.key == "type"
                || DROPPED.contains(&e.key.as_str())
                || !crate::lint::walk::schema_node::is_schema_key(&e.key)
                || !is_set(&e.key, &e.value)
        })
}

fn int_or_string_any_of(at: &At) -> bool {
    let any_of = at.list("anyOf");
    any_of.len() == 2
        && at.get("anyOf").and_then(|n| n.as_seq()).map(<[_]>::len) == Some(2)
        && only_type(&any_of[0], "integer")
        && only_type(&any_of[1], "string")
}

fn int_or_string_all_of(at: &At) -> bool {
    at.list("allOf").first().is_some_and(int_or_string_any_of)
}

/// validateValueValidation: the junctors of `at`.
fn value_validation(
    at: &At,
    skip_any_of: bool,
    skip_first_all_of_any_of: bool,
    problems: &mut Vec<Finding>,
) {
    if !skip_any_of {
        for j in at.list("anyOf") {
            nested(&j, false, false, problems);
        }
    }
    for (i, j) in at.list("allOf").iter().enumerate() {
        nested(j, skip_first_all_of_any_of && i == 0, false, problems);
    }
    for j in at.list("oneOf") {
        nested(&j, false, false, problems);
    }
    if let Some(j) = at.child("not") {
        nested(&j, false, false, problems);
    }
}

/// validateNestedValueValidation: a schema under a junctor.
fn nested(at: &At, skip_any_of: bool, skip_all_of_any_of: bool, problems: &mut Vec<Finding>) {
    value_validation(at, skip_any_of, skip_all_of_any_of, problems);
    if let Some(items) = at.child("items") {
        nested(&items, false, false, problems);
    }
    for (_, p) in at.properties() {
        nested(&p, false, false, problems);
    }
    let mut forbid = |rule: &'static str, key: &str, detail: &str| {
        problems.push(forbidden(rule, at.field(key), detail, at.key_span(key)));
    };
    if !at.ty().is_empty() {
        forbid(ID, "type", "must be empty to be structural");
    }
    // Newer API servers compare only an additionalProperties schema here (a boolean passes).
    if at.child("additionalProperties").is_some() {
        forbid(
            ID,
            "additionalProperties",
            "must be undefined to be structural",
        );
    }
    if at.get("default").is_some() {
        forbid(
            crate::lint::default::in_junctor::ID,
            "default",
            "must be undefined to be structural",
        );
    }
    for key in ["title", "description"] {
        if !at.str(key).is_empty() {
            forbid(ID, key, "must be empty to be structural");
        }
    }
    if at.flag("nullable") {
        forbid(ID, "nullable", "must be false to be structural");
    }
    for key in [
        "x-kubernetes-preserve-unknown-fields",
        "x-kubernetes-embedded-resource",
        "x-kubernetes-int-or-string",
    ] {
        if at.flag(key) {
            forbid(ID, key, "must be false to be structural");
        }
    }
    for key in ["x-kubernetes-list-map-keys", "x-kubernetes-validations"] {
        if at
            .get(key)
            .and_then(|n| n.as_seq())
            .is_some_and(|s| !s.is_empty())
        {
            forbid(ID, key, "must be empty to be structural");
        }
    }
    for key in ["x-kubernetes-list-type", "x-kubernetes-map-type"] {
        if at.get(key).is_some() {
            forbid(ID, key, "must be undefined to be structural");
        }
    }
    if let Some(meta) = at.property("metadata") {
        problems.push(forbidden(
            ID,
            meta.path(),
            "must not be specified in a nested context",
            meta.anchor,
        ));
    }
}

/// validateNestedValueValidationCompleteness: what junctor `v` names must exist in `s`.
fn complete_nested(v: &At, s: Option<&At>, s_path: &str, problems: &mut Vec<Finding>) {
    let Some(s) = s else {
        problems.push(required(
            ID,
            s_path.to_string(),
            &format!("because it is defined in {}", v.path()),
            v.anchor,
        ));
        return;
    };
    complete_junctors(v, s, problems);
    if let Some(vi) = v.child("items") {
        let si = s.child("items");
        complete_nested(&vi, si.as_ref(), &format!("{s_path}.items"), problems);
    }
    for (k, vp) in v.properties() {
        let sp = s.property(k);
        let path = format!("{s_path}.properties[{k}]");
        complete_nested(&vp, sp.as_ref(), &path, problems);
    }
}

/// validateValueValidationCompleteness: the junctors of `v`, against structural schema `s`.
fn complete_junctors(v: &At, s: &At, problems: &mut Vec<Finding>) {
    let mut junctors: Vec<At> = v.child("not").into_iter().collect();
    junctors.extend(v.list("allOf"));
    junctors.extend(v.list("anyOf"));
    junctors.extend(v.list("oneOf"));
    for j in junctors {
        complete_nested(&j, Some(s), &s.path(), problems);
    }
}

/// The checks at one node of the structural walk.
pub fn on_structural(at: &At, _level: Level, problems: &mut Vec<Finding>) {
    value_validation(
        at,
        int_or_string_any_of(at),
        int_or_string_all_of(at),
        problems,
    );
}

/// The hook: the completeness check of the root's junctors.
pub fn on_version_schema(site: &SchemaSite, problems: &mut Vec<Finding>) {
    check_completeness(&site.root(), problems);
}

/// The completeness check, which upstream runs on the root's junctors only.
pub fn check_completeness(root: &At, problems: &mut Vec<Finding>) {
    complete_junctors(root, root, problems);
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::tests::{run, run_structural};

    /// The structural walk, then the completeness check, as `lint::check_schema_node` runs them.
    fn check(yaml: &str) -> Vec<String> {
        let mut p = run_structural(yaml, super::on_structural);
        p.extend(run(yaml, super::check_completeness));
        p
    }

    #[test]
    fn junctors_hold_value_validations_only() {
        let p = check(
            "type: object\nproperties:\n  port:\n    x-kubernetes-int-or-string: true\n    anyOf: [{type: integer}, {type: string}]\n  mode:\n    type: string\n    oneOf:\n      - {type: string, enum: [a]}\n      - {default: b, description: other}\n",
        );
        assert_eq!(
            p,
            vec![
                "s.properties[mode].oneOf[0].type: Forbidden: must be empty to be structural",
                "s.properties[mode].oneOf[1].default: Forbidden: must be undefined to be structural",
                "s.properties[mode].oneOf[1].description: Forbidden: must be empty to be structural",
            ]
        );
    }

    #[test]
    fn root_junctors_name_declared_fields_only() {
        let p = check(
            "type: object\nproperties:\n  spec: {type: object, properties: {a: {type: string}}}\nanyOf:\n  - properties: {spec: {required: [a]}}\n  - properties: {spec: {properties: {b: {minLength: 1}}}}\n",
        );
        assert_eq!(
            p,
            vec![
                "s.properties[spec].properties[b]: Required value: because it is defined in s.anyOf[1].properties[spec].properties[b]"
            ]
        );
    }

    #[test]
    fn int_or_string_pattern_under_all_of() {
        let p = check(
            "type: object\nproperties:\n  x:\n    x-kubernetes-int-or-string: true\n    allOf:\n      - anyOf: [{type: integer}, {type: string}]\n      - anyOf: [{type: integer}, {type: string, maxLength: 3}]\n",
        );
        assert_eq!(
            p,
            vec![
                "s.properties[x].allOf[1].anyOf[0].type: Forbidden: must be empty to be structural",
                "s.properties[x].allOf[1].anyOf[1].type: Forbidden: must be empty to be structural",
            ]
        );
    }
}
