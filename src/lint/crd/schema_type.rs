//! `crd/schema-type`: a `type` that is none of the six OpenAPI types (the API server refuses
//! the CRD). The schema compiler records it (`CompileErrorKind::UnknownType`); this words it.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`.

use crate::lint::{Finding, Rule};
use crate::model::schema::{CompileError, CompileErrorKind};
use crate::wording::go_quote;

pub const RULE: Rule = Rule {
    compile_error: Some(check),
    ..Rule::new("crd/schema-type")
};

pub fn check(e: &CompileError, problems: &mut Vec<Finding>) {
    if e.kind != CompileErrorKind::UnknownType {
        return;
    }
    let message = format!(
        "{}: Unsupported value: {}: supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\"",
        e.path,
        go_quote(&e.value)
    );
    problems.push(Finding::new(RULE.id, message, e.span).with_field(e.path.clone()));
}
