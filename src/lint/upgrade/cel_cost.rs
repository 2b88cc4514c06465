//! `upgrade/cel-cost` (error): a CEL rule (`rule` or `messageExpression`) whose estimated cost was
//! within the API server's budget in the old CRD and is over it in the new one, or a schema whose
//! rules together went over the total budget; typically because a `maxItems`, `maxLength` or
//! `maxProperties` the rule's cost depended on was removed or raised, or the rule itself changed.
//! The API server refuses the updated CRD (the cost of every expression is estimated again on
//! update, stored ones included), so the upgrade fails. The estimate is `cel/cost`'s, a lower
//! bound of the server's, so the error is certain.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (StaticEstimatedCostLimit, StaticEstimatedCRDCostLimit).

use crate::cel::cost::{PER_EXPRESSION_LIMIT, PER_SCHEMA_LIMIT, schema_costs, total};
use crate::lint::walk::revision::Revision;
use crate::lint::{Change, Finding, Rule};

pub const ID: &str = "upgrade/cel-cost";

pub const RULE: Rule = Rule {
    upgrade: Some(check),
    ..Rule::new(ID)
};

pub fn check(rev: &Revision, out: &mut Vec<Finding>) {
    let mut seen = Vec::new();
    for v in rev.common_versions() {
        let (Some(old), Some(new)) = (rev.old.crd.version(v.name), rev.new.crd.version(v.name))
        else {
            continue;
        };
        let (Some(old_schema), Some(new_schema)) = (&old.schema, &new.schema) else {
            continue;
        };
        // A shared schema is estimated once.
        if seen.contains(&new.schema_path) {
            continue;
        }
        seen.push(new.schema_path.clone());
        let old_costs = schema_costs(old_schema, &old.schema_path);
        let new_costs = schema_costs(new_schema, &new.schema_path);
        let relative = |field: &str, root: &str| field.strip_prefix(root).map(str::to_string);
        let change = |old: Option<u64>, new: u64| Change {
            old: old.map_or(serde_json::Value::Null, Into::into),
            new: new.into(),
            versions: vec![v.name.to_string()],
            path: None,
        };
        for c in new_costs.iter().filter(|c| c.cost > PER_EXPRESSION_LIMIT) {
            let rel = relative(&c.field, &new.schema_path);
            let before = old_costs
                .iter()
                .find(|o| relative(&o.field, &old.schema_path) == rel)
                .map(|o| o.cost);
            if before.is_some_and(|b| b > PER_EXPRESSION_LIMIT) {
                continue;
            }
            let was = match before {
                Some(b) => format!("rose from {b} to {}", c.cost),
                None => format!("is {} (a new expression)", c.cost),
            };
            out.push(
                Finding::new(
                    ID,
                    format!(
                        "{}: the {} {was}, over the API server's limit of {PER_EXPRESSION_LIMIT}: the API server refuses the updated CRD",
                        c.field, c.name
                    ),
                    c.span,
                )
                .with_field(c.field.clone())
                .with_change(change(before, c.cost)),
            );
        }
        let (before, after) = (total(&old_costs), total(&new_costs));
        if before <= PER_SCHEMA_LIMIT && after > PER_SCHEMA_LIMIT {
            out.push(
                Finding::new(
                    ID,
                    format!(
                        "{}: the estimated cost of all its CEL rules rose from {before} to {after}, over the API server's limit of {PER_SCHEMA_LIMIT} per schema: the API server refuses the updated CRD",
                        new.schema_path
                    ),
                    new_schema.span,
                )
                .with_field(new.schema_path.clone())
                .with_change(change(Some(before), after)),
            );
        }
    }
}
