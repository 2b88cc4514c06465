//! `default/pruned`: a `default` must not hold fields its schema does not declare. The API
//! server prunes unknown fields from objects, so such a default could never be stored as
//! written; it refuses the CRD instead.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/defaulting/validation.go`
//! (ValidateDefaults: the default is pruned with `pruning.Prune(default, s, s.XEmbeddedResource)`
//! and must come out unchanged; defaults inside an embedded resource's TypeMeta/ObjectMeta are
//! checked as metadata instead) and `pkg/apiserver/schema/pruning/algorithm.go` (prune,
//! skipPrune: `x-kubernetes-preserve-unknown-fields` keeps unknown fields but nested
//! `properties` prune again; an `additionalProperties` of either form keeps every key).

use crate::lint::walk::schema_node::{At, defaults_from_root, problem};
use crate::lint::{Finding, Rule, SchemaSite};
use crate::wording::{ErrorType, FieldError, field_path};
use crate::yaml::{Node, Value};

pub const ID: &str = "default/pruned";

pub const RULE: Rule = Rule {
    version_schema: Some(on_version_schema),
    ..Rule::new(ID)
};

/// Where pruning goes on for the value of a map entry: the property's schema, else
/// `additionalProperties` (no schema when that is `true`), and whether it is an embedded
/// resource. None when the schema declares neither: the entry is pruned.
fn entry_schema<'a, 'p>(s: &'p At<'a, '_>, key: &str) -> Option<(Option<At<'a, 'p>>, bool)> {
    let sub = match s.property(key) {
        Some(prop) => Some(prop),
        None => {
            s.get("additionalProperties")?;
            s.child("additionalProperties")
        }
    };
    let embedded = sub
        .as_ref()
        .is_some_and(|a| a.flag("x-kubernetes-embedded-resource"));
    Some((sub, embedded))
}

/// Record the fields of `v` that pruning against `s` removes (pruning.prune).
fn prune(v: &Node, s: Option<&At>, embedded: bool, at: &str, out: &mut Vec<String>) {
    if let Some(s) = s.filter(|s| s.flag("x-kubernetes-preserve-unknown-fields")) {
        skip_prune(v, s, embedded, at, out);
        return;
    }
    match &v.value {
        Value::Map(entries) => {
            for e in entries {
                let p = field_path::child(at, &e.key);
                let Some(s) = s else {
                    out.push(p);
                    continue;
                };
                if embedded
                    && match e.key.as_str() {
                        "apiVersion" | "kind" => e.value.as_str().is_some(),
                        "metadata" => e.value.as_map().is_some(),
                        _ => false,
                    }
                {
                    continue;
                }
                match entry_schema(s, &e.key) {
                    Some((sub, emb)) => prune(&e.value, sub.as_ref(), emb, &p, out),
                    None => out.push(p),
                }
            }
        }
        Value::Seq(items) => {
            let item_schema = s.and_then(|s| s.child("items"));
            let emb = item_schema
                .as_ref()
                .is_some_and(|i| i.flag("x-kubernetes-embedded-resource"));
            for (i, item) in items.iter().enumerate() {
                prune(item, item_schema.as_ref(), emb, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// pruning.skipPrune: under `x-kubernetes-preserve-unknown-fields`.
fn skip_prune(v: &Node, s: &At, embedded: bool, at: &str, out: &mut Vec<String>) {
    match &v.value {
        Value::Map(entries) => {
            for e in entries {
                if embedded && ["apiVersion", "kind", "metadata"].contains(&e.key.as_str()) {
                    continue;
                }
                let p = field_path::child(at, &e.key);
                if let Some((sub, emb)) = entry_schema(s, &e.key) {
                    prune(&e.value, sub.as_ref(), emb, &p, out);
                }
            }
        }
        Value::Seq(items) => {
            if let Some(item_schema) = s.child("items") {
                let emb = item_schema.flag("x-kubernetes-embedded-resource");
                for (i, item) in items.iter().enumerate() {
                    skip_prune(item, &item_schema, emb, &format!("{at}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}

/// The hook: the schema at its server path.
pub fn on_version_schema(site: &SchemaSite, problems: &mut Vec<Finding>) {
    check(&site.root(), problems);
}

pub fn check(root: &At, problems: &mut Vec<Finding>) {
    defaults_from_root(root, &mut |at, inside_meta| {
        let Some(default) = at.get("default") else {
            return;
        };
        if inside_meta {
            return;
        }
        // ValidateDefaults treats the root as an embedded resource.
        let embedded = at.flag("x-kubernetes-embedded-resource") || at.is_start();
        let mut pruned = Vec::new();
        prune(default, Some(at), embedded, "", &mut pruned);
        if pruned.is_empty() {
            return;
        }
        let e = FieldError::new(
            ID,
            ErrorType::Invalid,
            at.field("default"),
            default.value.clone(),
            "must not have unknown fields",
            default.span,
        )
        .with_help(&format!(
            "the schema does not declare {}; declare it, or remove it from the default",
            pruned
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        problems.push(problem(e));
    });
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::tests::run;

    #[test]
    fn defaults_must_survive_pruning() {
        let p = run(
            "type: object\nproperties:\n  spec:\n    type: object\n    default: {replicas: 1, replica: 2}\n    properties:\n      replicas: {type: integer}\n      extra: {type: object, x-kubernetes-preserve-unknown-fields: true, default: {anything: 1}}\n      labels: {type: object, additionalProperties: {type: string}, default: {a: b}}\n",
            super::check,
        );
        assert_eq!(
            p,
            vec![
                "s.properties[spec].default: Invalid value: {\"replica\":2,\"replicas\":1}: must not have unknown fields"
            ]
        );
    }

    #[test]
    fn nested_properties_prune_again_under_preserve() {
        let p = run(
            "type: object\nproperties:\n  cfg:\n    type: object\n    x-kubernetes-preserve-unknown-fields: true\n    properties:\n      db: {type: object, properties: {host: {type: string}}}\n    default: {free: 1, db: {host: h, port: 5432}}\n",
            super::check,
        );
        assert_eq!(p.len(), 1, "{p:?}");
    }
}
