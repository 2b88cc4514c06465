//! `crd/invalid-pattern`: a `pattern` that is not a valid regular expression (RE2 syntax, as Go
//! reads it; the API server refuses the CRD). The schema compiler records it
//! (`CompileErrorKind::BadPattern`); this words it.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`.

use crate::lint::{Finding, Rule};
use crate::model::schema::{CompileError, CompileErrorKind};
use crate::wording::go_quote;

pub const RULE: Rule = Rule {
    compile_error: Some(check),
    ..Rule::new("crd/invalid-pattern")
};

pub fn check(e: &CompileError, problems: &mut Vec<Finding>) {
    let CompileErrorKind::BadPattern(err) = &e.kind else {
        return;
    };
    let message = format!(
        "{}: Invalid value: {}: must be a valid regular expression, but isn't: {err}",
        e.path,
        go_quote(&e.value)
    );
    problems.push(Finding::new(RULE.id, message, e.span).with_field(e.path.clone()));
}
