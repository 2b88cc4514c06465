//! OpenAPI value validation as the API server runs it on custom resources: kube-openapi's
//! `pkg/validation/validate` (type, schema props, string, format, number, slice, common/enum and
//! object validators, in that order), with errors turned into field errors as
//! apiextensions-apiserver `pkg/apiserver/validation/validation.go` (ValidateCustomResource) does.

use super::formats;
use super::path;
use crate::model::schema::Schema;
use crate::source::Span;
use crate::wording::{BadValue, ErrorType, FieldError, go_quote};
use crate::yaml::node::format_go_float;
use crate::yaml::{Node, Value};

/// The name kube-openapi puts in its own messages (`spec.replicas in body ...`).
fn in_body(path: &str) -> String {
    format!("{path} in body")
}

fn invalid(
    rule: &'static str,
    path: &str,
    value: impl Into<BadValue>,
    msg: String,
    span: Span,
) -> FieldError {
    FieldError::new(rule, ErrorType::Invalid, path, value, msg, span)
}

/// kube-openapi's `errors.InvalidType`: the bad value is the data's type (or format) name.
fn invalid_type(path: &str, expected: &str, got: &str, span: Span) -> FieldError {
    FieldError::new(
        "schema/type",
        ErrorType::TypeInvalid,
        path,
        got,
        format!(
            "{} must be of type {expected}: {}",
            in_body(path),
            go_quote(got)
        ),
        span,
    )
}

/// A junctor failure: not a kube-openapi `Validation` error, so the server reports it at the
/// root (`<nil>`) with an empty value, naming the path inside the message.
fn composite(rule: &'static str, path: &str, msg: String, span: Span) -> FieldError {
    FieldError::new(
        rule,
        ErrorType::Invalid,
        "",
        "",
        format!("{} {msg}", go_quote(path)),
        span,
    )
}

pub fn validate(node: &Node, s: &Schema, at: &str, out: &mut Vec<FieldError>) {
    validate_at(node, s, at, node.span, out);
}

/// `owner` is what a missing field is blamed on: the key of the object that lacks it.
fn validate_at(node: &Node, s: &Schema, at: &str, owner: Span, out: &mut Vec<FieldError>) {
    if node.is_null() {
        // kube-openapi's early exit for nil: only the type and common (enum) validators run.
        type_check(node, s, at, out);
        enum_check(node, s, at, out);
        return;
    }
    type_check(node, s, at, out);
    junctors(node, s, at, out);
    if let Value::String(text) = &node.value {
        string_checks(node, text, s, at, out);
        if !s.format.is_empty() && formats::check_format(&s.format, text) == Some(false) {
            out.push(FieldError::new(
                "schema/format",
                ErrorType::TypeInvalid,
                at,
                text.as_str(),
                format!(
                    "{} must be of type {}: {}",
                    in_body(at),
                    s.format,
                    go_quote(text)
                ),
                node.span,
            ));
        }
    }
    if let Value::Int(_) | Value::Float(_) = node.value {
        number_checks(node, s, at, out);
    }
    if let Value::Seq(items) = &node.value {
        slice_checks(node, items, s, at, out);
    }
    enum_check(node, s, at, out);
    if let Value::Map(entries) = &node.value {
        object_checks(node, entries, s, at, owner, out);
    }
}

// The conditions keep kube-openapi's typeValidator shape so they can be compared with it.
#[allow(clippy::nonminimal_bool)]
fn type_check(node: &Node, s: &Schema, at: &str, out: &mut Vec<FieldError>) {
    let types = s.type_list();
    if types.is_empty() {
        return;
    }
    let contains = |t: &str| types.contains(&t);
    let joined = types.join(",");
    if node.is_null() {
        if !contains("null") && !s.nullable {
            out.push(invalid_type(at, &joined, "null", node.span));
        }
        return;
    }
    let (data_type, data_format) = match &node.value {
        Value::Bool(_) => ("boolean", ""),
        Value::Int(_) => ("integer", "int64"),
        Value::Float(_) => ("number", "double"),
        Value::String(_) => ("string", ""),
        Value::Seq(_) => ("array", ""),
        Value::Map(_) => ("object", ""),
        Value::Null => ("null", ""),
    };
    let is_float_int =
        matches!(node.value, Value::Float(f) if f.fract() == 0.0) && contains("integer");
    let is_int_float = data_type == "integer" && contains("number");
    let string_or_slice = matches!(node.value, Value::String(_) | Value::Seq(_));
    if !string_or_slice
        && !s.format.is_empty()
        && !(contains(data_type) || data_format == s.format || is_float_int || is_int_float)
    {
        out.push(invalid_type(at, &s.format, data_format, node.span));
        return;
    }
    // kube-openapi quirk: a formatted non-numeric schema accepts any string or array here.
    if !(contains("number") || contains("integer")) && !s.format.is_empty() && string_or_slice {
        return;
    }
    if !(contains(data_type) || is_float_int || is_int_float) {
        out.push(invalid_type(at, &joined, data_type, node.span));
    }
}

/// Errors of validating `node` against a sub-schema (a junctor branch), in isolation.
fn branch_errors(node: &Node, s: &Schema, at: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    validate(node, s, at, &mut errs);
    errs
}

fn junctors(node: &Node, s: &Schema, at: &str, out: &mut Vec<FieldError>) {
    if !s.all_of.is_empty() {
        let mut valid = 0;
        let mut errs = Vec::new();
        for b in &s.all_of {
            let e = branch_errors(node, b, at);
            if e.is_empty() {
                valid += 1;
            }
            errs.extend(e);
        }
        out.extend(errs);
        if valid != s.all_of.len() {
            let extra = if valid == 0 {
                ". Found none valid".to_string()
            } else {
                format!(". Found only {valid} valid alternatives")
            };
            out.push(composite(
                "schema/all-of",
                at,
                format!("must validate all the schemas (allOf){extra}"),
                node.span,
            ));
        }
    }
    if !s.any_of.is_empty() {
        let mut best: Option<Vec<FieldError>> = None;
        let mut ok = false;
        for b in &s.any_of {
            let e = branch_errors(node, b, at);
            if e.is_empty() {
                ok = true;
                break;
            }
            if best.as_ref().is_none_or(|b| e.len() < b.len()) {
                best = Some(e);
            }
        }
        if !ok {
            out.push(composite(
                "schema/any-of",
                at,
                "must validate at least one schema (anyOf)".into(),
                node.span,
            ));
            out.extend(best.unwrap_or_default());
        }
    }
    if !s.one_of.is_empty() {
        let mut valid = 0;
        let mut best: Option<Vec<FieldError>> = None;
        for b in &s.one_of {
            let e = branch_errors(node, b, at);
            if e.is_empty() {
                valid += 1;
            } else if best.as_ref().is_none_or(|b| e.len() < b.len()) {
                best = Some(e);
            }
        }
        if valid == 0 {
            out.push(composite(
                "schema/one-of",
                at,
                "must validate one and only one schema (oneOf). Found none valid".into(),
                node.span,
            ));
            out.extend(best.unwrap_or_default());
        } else if valid > 1 {
            out.push(composite(
                "schema/one-of",
                at,
                format!("must validate one and only one schema (oneOf). Found {valid} valid alternatives"),
                node.span,
            ));
        }
    }
    if let Some(not) = &s.not
        && branch_errors(node, not, at).is_empty()
    {
        out.push(composite(
            "schema/not",
            at,
            "must not validate the schema (not)".into(),
            node.span,
        ));
    }
}

/// kube-openapi's `stringValidator`: maxLength, minLength, then pattern; it returns at the first
/// that fails, so a value has at most one of these errors.
fn string_checks(node: &Node, text: &str, s: &Schema, at: &str, out: &mut Vec<FieldError>) {
    let len = || text.chars().count() as i64;
    if let Some(max) = s.max_length
        && len() > max
    {
        out.push(FieldError::new(
            "schema/max-length",
            ErrorType::TooLong,
            at,
            text,
            format!("may not be more than {max} bytes"),
            node.span,
        ));
        return;
    }
    if let Some(min) = s.min_length
        && len() < min
    {
        out.push(invalid(
            "schema/min-length",
            at,
            text,
            format!("{} should be at least {min} chars long", in_body(at)),
            node.span,
        ));
        return;
    }
    if let Some(p) = &s.pattern
        && !p.regex.is_match(text)
    {
        out.push(invalid(
            "schema/pattern",
            at,
            text,
            format!("{} should match '{}'", in_body(at), p.source),
            node.span,
        ));
    }
}

fn as_f64(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

fn number_checks(node: &Node, s: &Schema, at: &str, out: &mut Vec<FieldError>) {
    let x = as_f64(&node.value);
    let value = BadValue::Value(node.value.clone());
    if let Some(m) = s.multiple_of {
        let q = x / m;
        if m != 0.0 && q.fract() != 0.0 {
            out.push(invalid(
                "schema/multiple-of",
                at,
                value.clone(),
                format!(
                    "{} should be a multiple of {}",
                    in_body(at),
                    format_go_float(m)
                ),
                node.span,
            ));
        }
    }
    if let Some(max) = s.maximum {
        let bad = if s.exclusive_maximum {
            x >= max
        } else {
            x > max
        };
        if bad {
            let rel = if s.exclusive_maximum {
                "less than"
            } else {
                "less than or equal to"
            };
            out.push(invalid(
                "schema/maximum",
                at,
                value.clone(),
                format!("{} should be {rel} {}", in_body(at), format_go_float(max)),
                node.span,
            ));
        }
    }
    if let Some(min) = s.minimum {
        let bad = if s.exclusive_minimum {
            x <= min
        } else {
            x < min
        };
        if bad {
            let rel = if s.exclusive_minimum {
                "greater than"
            } else {
                "greater than or equal to"
            };
            out.push(invalid(
                "schema/minimum",
                at,
                value,
                format!("{} should be {rel} {}", in_body(at), format_go_float(min)),
                node.span,
            ));
        }
    }
}

fn slice_checks(node: &Node, items: &[Node], s: &Schema, at: &str, out: &mut Vec<FieldError>) {
    let size = items.len() as i64;
    if let Some(min) = s.min_items
        && size < min
    {
        out.push(invalid(
            "schema/min-items",
            at,
            size,
            format!("{} should have at least {min} items", in_body(at)),
            node.span,
        ));
    }
    if let Some(max) = s.max_items
        && size > max
    {
        out.push(FieldError::too_many(
            "schema/max-items",
            at.to_string(),
            size,
            max,
            node.span,
        ));
    }
    if let Some(item_schema) = &s.items {
        for (i, item) in items.iter().enumerate() {
            validate(item, item_schema, &path::index(at, i), out);
        }
    }
}

/// Enum membership as kube-openapi compares (`reflect` conversion then DeepEqual): numbers
/// compare by value across int and float, everything else structurally.
fn enum_matches(data: &Value, allowed: &Value) -> bool {
    match (data, allowed) {
        (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => *a as f64 == *b,
        _ => data.json_eq(allowed),
    }
}

fn enum_check(node: &Node, s: &Schema, at: &str, out: &mut Vec<FieldError>) {
    let Some(allowed) = &s.enum_ else {
        return;
    };
    if allowed.is_empty() {
        return;
    }
    // A nil value never matches (kube-openapi skips it before comparing).
    if !node.is_null() && allowed.iter().any(|a| enum_matches(&node.value, a)) {
        return;
    }
    let valid: Vec<String> = allowed
        .iter()
        .map(|a| match a {
            Value::String(s) => s.clone(),
            other => Node::new(other.clone(), Span::default()).to_json(),
        })
        .collect();
    out.push(FieldError::not_supported(
        "schema/enum",
        at.to_string(),
        node.value.clone(),
        &valid,
        node.span,
    ));
}

fn object_checks(
    node: &Node,
    entries: &[crate::yaml::Entry],
    s: &Schema,
    at: &str,
    owner: Span,
    out: &mut Vec<FieldError>,
) {
    let n = entries.len() as i64;
    if let Some(min) = s.min_properties
        && n < min
    {
        out.push(invalid(
            "schema/min-properties",
            at,
            n,
            format!("{} should have at least {min} properties", in_body(at)),
            node.span,
        ));
    }
    if let Some(max) = s.max_properties
        && n > max
    {
        out.push(FieldError::too_many(
            "schema/max-properties",
            at.to_string(),
            n,
            max,
            node.span,
        ));
    }
    for e in entries {
        let p = path::child(at, &e.key);
        if let Some(prop) = s.property_schema(&e.key) {
            validate_at(&e.value, prop, &p, e.key_span, out);
        }
    }
    for r in &s.required {
        if !entries.iter().any(|e| &e.key == r) {
            out.push(FieldError::required(
                "schema/required",
                path::child(at, r),
                "",
                owner,
            ));
        }
    }
}
