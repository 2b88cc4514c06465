//! `cel/cost-high`: a CEL expression whose estimated cost is over half the API server's limit.
//! The server accepts it, but a small change (a longer regex, one more level of iteration, a
//! larger bound) makes it refuse the CRD. Reported by `cel/cost`'s pass over the schema.

use crate::cel::cost::{ExpressionCost, PER_EXPRESSION_LIMIT};
use crate::lint::{Finding, Rule};

pub const RULE: Rule = Rule::new("cel/cost-high");

/// The finding for an expression within the limit, when its cost is over half of it.
pub fn finding(c: &ExpressionCost) -> Option<Finding> {
    if c.cost <= PER_EXPRESSION_LIMIT / 2 || c.cost > PER_EXPRESSION_LIMIT {
        return None;
    }
    let message = format!(
        "{}: {} is at least {}, {}% of the API server's limit of {PER_EXPRESSION_LIMIT} per expression: a little more (a longer regex, one more level of iteration, a larger bound) and the API server refuses the CRD; add or lower maxItems, maxProperties and maxLength where arrays, maps and strings are declared",
        c.field,
        c.name,
        c.cost,
        c.cost * 100 / PER_EXPRESSION_LIMIT
    );
    Some(Finding::new(RULE.id, message, c.span).with_field(c.field.clone()))
}
