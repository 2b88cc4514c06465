//! The API server's wording, in one place: apimachinery's `field.Error` (the body of every
//! validation message), Go's `%q` quoting, and the `%#v` renderings the server prints as bad
//! values. Every stage that words an API-server message uses these, so a message reads the same
//! whether validation, lint or the CRD reader found it.

pub mod field_error;
pub mod field_path;
pub mod go;

pub use field_error::{BadValue, ErrorType, FieldError};
pub use go::{go_float_v, go_quote, go_rule_value};
