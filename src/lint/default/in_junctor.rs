//! `default/in-junctor`: a `default` inside `allOf`, `anyOf`, `oneOf` or `not`. It is found by
//! the walk of what junctors hold, in `structural/junctor.rs`, which reports it under this id.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/validation.go`
//! (validateNestedValueValidation: `Default` must be undefined).

use crate::lint::Rule;

pub const ID: &str = "default/in-junctor";

pub const RULE: Rule = Rule::new(ID);
