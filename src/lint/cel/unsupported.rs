//! `cel/unsupported`: a CEL rule crdlint does not evaluate, so resources are not checked against
//! it (never a silent pass). Reported when the CRD is linted, by `cel/compile-error`'s pass
//! (syntax the parser does not know, or a function crdlint withholds: see
//! `crate::cel::compile`), and when a resource is validated (what the evaluator cannot do).

use crate::lint::{Finding, Rule};
use crate::source::Span;
use crate::wording::go_quote;

pub const ID: &str = "cel/unsupported";

pub const RULE: Rule = Rule::new(ID);

/// An expression crdlint compiles but does not evaluate, and why.
pub fn withheld(field: &str, expr: &str, why: &str, span: Span) -> Finding {
    let message = format!(
        "{field}: {}: resources are not checked against this rule: {why}",
        go_quote(expr)
    );
    Finding::new(ID, message, span).with_field(field)
}

/// An expression whose syntax the parser does not know (cel-go may), with the parser's detail.
pub fn unknown_syntax(field: &str, expr: &str, detail: &str, span: Span) -> Finding {
    let message = format!(
        "{field}: {} uses CEL syntax crdlint cannot evaluate yet, so resources are not checked against it: {detail}",
        go_quote(expr)
    );
    Finding::new(ID, message, span).with_field(field)
}
