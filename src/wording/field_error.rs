//! apimachinery's `field.Error`: the type behind every validation message the API server returns.
//! Followed: k8s.io/apimachinery/pkg/util/validation/field/errors.go (ErrorBody, constructors),
//! Kubernetes 1.35 wording (apimachinery 0.35, as vendored by the oracle).

use super::go::{go_float_v, go_quote};
use crate::source::Span;
use crate::yaml::node::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
    Internal,
    TypeInvalid,
}

impl ErrorType {
    /// The cause reason in a `metav1.Status`.
    pub fn reason(self) -> &'static str {
        match self {
            ErrorType::NotFound => "FieldValueNotFound",
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::TooMany => "FieldValueTooMany",
            ErrorType::Internal => "InternalError",
            ErrorType::TypeInvalid => "FieldValueTypeInvalid",
        }
    }

    fn text(self) -> &'static str {
        match self {
            ErrorType::NotFound => "Not found",
            ErrorType::Required => "Required value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Invalid | ErrorType::TypeInvalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::Internal => "Internal error",
        }
    }
}

/// The bad value of an error, as apimachinery prints it.
#[derive(Clone, Debug, PartialEq)]
pub enum BadValue {
    /// Not printed.
    Omit,
    Value(Value),
    /// A Go value printed as it is given (the JSON of a struct: an owner reference).
    Raw(String),
}

impl From<Value> for BadValue {
    fn from(v: Value) -> Self {
        BadValue::Value(v)
    }
}

impl From<&str> for BadValue {
    fn from(s: &str) -> Self {
        BadValue::Value(Value::String(s.into()))
    }
}

impl From<i64> for BadValue {
    fn from(i: i64) -> Self {
        BadValue::Value(Value::Int(i))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub kind: ErrorType,
    /// The field path as the server prints it; empty for the root (printed `<nil>`).
    pub path: String,
    pub bad_value: BadValue,
    pub detail: String,
    /// Where in the file the error points.
    pub span: Span,
    /// Which of our rules reports it.
    pub rule: &'static str,
    /// Found in `status`, which the server drops on create and update when the status
    /// subresource is enabled: reported as a warning, not an error.
    pub status_dropped: bool,
    /// The server accepts it, with a warning: reported as a warning (duplicate entries of some
    /// lists of built-in kinds, which their native validation allows).
    pub server_warns: bool,
    /// Our own wording, for findings that are not API-server field errors (or that the server
    /// words differently, like strict decoding's `unknown field "x"`).
    pub own_message: Option<String>,
    /// How to fix it, when the rule's doc is not enough.
    pub help: Option<String>,
}

impl FieldError {
    pub fn new(
        rule: &'static str,
        kind: ErrorType,
        path: impl Into<String>,
        bad_value: impl Into<BadValue>,
        detail: impl Into<String>,
        span: Span,
    ) -> Self {
        FieldError {
            kind,
            path: path.into(),
            bad_value: bad_value.into(),
            detail: detail.into(),
            span,
            rule,
            status_dropped: false,
            server_warns: false,
            own_message: None,
            help: None,
        }
    }

    pub fn with_own_message(mut self, message: String) -> Self {
        self.own_message = Some(message);
        self
    }

    pub fn with_help(mut self, help: &str) -> Self {
        self.help = Some(help.to_string());
        self
    }

    pub fn required(rule: &'static str, path: impl Into<String>, detail: &str, span: Span) -> Self {
        Self::new(
            rule,
            ErrorType::Required,
            path,
            BadValue::Omit,
            detail,
            span,
        )
    }

    /// `field.TooMany(path, actual, max)`.
    pub fn too_many(rule: &'static str, path: String, actual: i64, max: i64, span: Span) -> Self {
        let detail = if max >= 0 {
            format!(
                "must have at most {max} item{}",
                if max == 1 { "" } else { "s" }
            )
        } else {
            "has too many items".to_string()
        };
        Self::new(rule, ErrorType::TooMany, path, actual, detail, span)
    }

    /// `field.TooLong(path, _, max)` (errors.go:259): "byte" for a maximum of 1, the value
    /// omitted.
    pub fn too_long(rule: &'static str, path: String, max: i64, span: Span) -> Self {
        let detail = if max >= 0 {
            format!(
                "may not be more than {max} byte{}",
                if max == 1 { "" } else { "s" }
            )
        } else {
            "value is too long".to_string()
        };
        Self::new(rule, ErrorType::TooLong, path, BadValue::Omit, detail, span)
    }

    /// `field.NotSupported(path, value, valid)`.
    pub fn not_supported(
        rule: &'static str,
        path: String,
        value: Value,
        valid: &[String],
        span: Span,
    ) -> Self {
        let detail = if valid.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = valid.iter().map(|v| go_quote(v)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        Self::new(rule, ErrorType::NotSupported, path, value, detail, span)
    }

    pub fn field(&self) -> &str {
        if self.path.is_empty() {
            "<nil>"
        } else {
            &self.path
        }
    }

    /// `ErrorBody()`: the message without the field path.
    pub fn body(&self) -> String {
        let mut s = match (self.kind, &self.bad_value) {
            (
                ErrorType::Required
                | ErrorType::Forbidden
                | ErrorType::TooLong
                | ErrorType::Internal,
                _,
            )
            | (_, BadValue::Omit) => self.kind.text().to_string(),
            (_, BadValue::Value(v)) => format!("{}: {}", self.kind.text(), print_value(v)),
            (_, BadValue::Raw(text)) => format!("{}: {text}", self.kind.text()),
        };
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }

    /// `Error()`: `field: body`, or our own wording when there is one.
    pub fn message(&self) -> String {
        match &self.own_message {
            Some(m) => m.clone(),
            None => format!("{}: {}", self.field(), self.body()),
        }
    }
}

/// The field path a message starts with (`spec.group: Invalid value: ...`, or our own advice
/// worded the same way, `spec.versions[1]: ...`), and the cause reason when the rest is worded as
/// `field.Error` words it.
pub fn parse_message(message: &str) -> Option<(&str, Option<&'static str>)> {
    let (field, body) = message.split_once(": ")?;
    let path_char = |c: char| c.is_ascii_alphanumeric() || "._-[]/*\"$<>".contains(c);
    if field.is_empty() || !field.chars().all(path_char) {
        return None;
    }
    const KINDS: [ErrorType; 9] = [
        ErrorType::NotFound,
        ErrorType::Required,
        ErrorType::Duplicate,
        ErrorType::Invalid,
        ErrorType::NotSupported,
        ErrorType::Forbidden,
        ErrorType::TooLong,
        ErrorType::TooMany,
        ErrorType::Internal,
    ];
    let kind = KINDS.into_iter().find(|k| {
        body.strip_prefix(k.text())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(':'))
    });
    Some((field, kind.map(ErrorType::reason)))
}

/// How `ErrorBody` prints a bad value: `%v` for numbers (`1e+20` for a float64) and booleans,
/// `%q` for strings, JSON for
/// everything else, nil included (`null`, unquoted since apimachinery 0.33; a value that is the
/// string "null", as kube-openapi passes for a null of the wrong type, prints quoted).
pub fn print_value(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => go_float_v(*f),
        Value::String(s) => go_quote(s),
        Value::Seq(_) | Value::Map(_) => {
            go_json_escape(&crate::yaml::Node::new(v.clone(), Span::default()).to_json())
        }
    }
}

/// Go's `json.Marshal` escapes `<`, `>` and `&` (HTML-safe) and U+2028/U+2029 in strings;
/// serde_json does not. These characters only occur inside strings of a JSON text.
fn go_json_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_apimachinery() {
        let s = Span::default();
        let e = FieldError::new(
            "schema/type",
            ErrorType::TypeInvalid,
            "spec.replicas",
            "string",
            "spec.replicas in body must be of type integer: \"string\"",
            s,
        );
        assert_eq!(
            e.message(),
            r#"spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string""#
        );
        assert_eq!(
            FieldError::required("schema/required", "spec.image", "", s).message(),
            "spec.image: Required value"
        );
        let e = FieldError::not_supported(
            "schema/enum",
            "spec.mode".into(),
            Value::String("Turbo".into()),
            &["Active".into(), "Passive".into()],
            s,
        );
        assert_eq!(
            e.message(),
            r#"spec.mode: Unsupported value: "Turbo": supported values: "Active", "Passive""#
        );
        assert_eq!(
            FieldError::too_many("schema/max-items", "spec.tags".into(), 9, 8, s).message(),
            "spec.tags: Too many: 9: must have at most 8 items"
        );
        assert_eq!(
            FieldError::too_long("schema/max-length", "spec.c".into(), 1, s).message(),
            "spec.c: Too long: may not be more than 1 byte"
        );
        assert_eq!(
            FieldError::too_long("schema/max-length", "spec.c".into(), 8, s).message(),
            "spec.c: Too long: may not be more than 8 bytes"
        );
        // json.Marshal's HTML-safe escaping in a bad value printed as JSON.
        let e = FieldError::new(
            "schema/list-map-duplicate",
            ErrorType::Duplicate,
            "spec.l[1]",
            BadValue::Value(Value::Map(vec![crate::yaml::Entry {
                key: "k".into(),
                key_span: s,
                value: crate::yaml::Node::new(Value::String("<a&b>".into()), s),
            }])),
            "",
            s,
        );
        assert_eq!(
            e.message(),
            r#"spec.l[1]: Duplicate value: {"k":"\u003ca\u0026b\u003e"}"#
        );
        let root = FieldError::new("x", ErrorType::Invalid, "", "", "boom", s);
        assert_eq!(root.message(), r#"<nil>: Invalid value: "": boom"#);
        // And back: the field and reason of such a message.
        assert_eq!(
            parse_message("spec.versions[0].name: Duplicate value: \"v1\""),
            Some(("spec.versions[0].name", Some("FieldValueDuplicate")))
        );
        assert_eq!(
            parse_message("metadata.annotations[api-approved.kubernetes.io]: Required value"),
            Some((
                "metadata.annotations[api-approved.kubernetes.io]",
                Some("FieldValueRequired")
            ))
        );
        assert_eq!(
            parse_message("spec.versions[1]: the storage version is old"),
            Some(("spec.versions[1]", None))
        );
        assert_eq!(parse_message("unknown field \"spec.x\": dropped"), None);
    }
}
