//! `cel/skipped`: the API server does not evaluate a resource's CEL rules when it already has an
//! error of some kinds (see `has_blocking_error`); it says so in a note, which crdlint reports
//! as an info.
//! Followed: apiextensions-apiserver `pkg/registry/customresource/strategy.go` (`hasBlockingErr`).

use crate::source::Span;
use crate::wording::{BadValue, ErrorType, FieldError};

/// Whether the errors so far stop CEL from running (apiextensions-apiserver
/// `pkg/registry/customresource/strategy.go` `hasBlockingErr`: an unsupported value, a missing
/// required field, a value too long or with too many items, or a type error means the data
/// cannot be typed for CEL, or would cost too much to evaluate).
pub fn has_blocking_error(errors: &[FieldError]) -> bool {
    use crate::wording::ErrorType::{NotSupported, Required, TooLong, TooMany, TypeInvalid};
    errors.iter().any(|e| {
        !e.status_dropped
            && !e.server_warns
            && matches!(
                e.kind,
                NotSupported | Required | TooLong | TooMany | TypeInvalid
            )
    })
}

/// The server's note when it skips the rules.
const SKIPPED_NOTE: &str = "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

/// The note, at the object.
pub fn skipped(span: Span) -> FieldError {
    FieldError::new(
        "cel/skipped",
        ErrorType::Invalid,
        "",
        BadValue::Value(crate::yaml::Value::Null),
        SKIPPED_NOTE,
        span,
    )
}
