//! The seam for `x-kubernetes-validations` (CEL). The API server evaluates the rules after
//! schema, embedded-resource and list-type validation, and skips them entirely when an earlier
//! error is "blocking" (a type, required, enum-style error that makes the data untypeable).
//! Evaluation itself is not implemented yet; this stage reports nothing.

use super::field_error::FieldError;
use crate::model::schema::Schema;
use crate::yaml::Node;

/// Whether the errors so far stop CEL from running (apiextensions-apiserver
/// `pkg/registry/customresource/strategy.go` `hasBlockingErr`: a type error or an unsupported
/// enum value means the data cannot be typed for CEL).
pub fn has_blocking_error(errors: &[FieldError]) -> bool {
    use super::field_error::ErrorType::{NotSupported, TypeInvalid};
    errors
        .iter()
        .any(|e| !e.status_dropped && matches!(e.kind, TypeInvalid | NotSupported))
}

/// The server's note when it skips the rules.
pub const SKIPPED_NOTE: &str = "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

/// Evaluate every rule in the schema against the (defaulted) object. Not implemented yet.
pub fn validate(_root: &Node, _schema: &Schema, _out: &mut Vec<FieldError>) {}
