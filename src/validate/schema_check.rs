//! OpenAPI value validation as the API server runs it on custom resources: kube-openapi's
//! `pkg/validation/validate` (type, schema props, string, format, number, slice, common/enum and
//! object validators, in that order), with errors turned into field errors as
//! apiextensions-apiserver `pkg/apiserver/validation/validation.go` (ValidateCustomResource) does.

use super::formats;
use crate::model::schema::Schema;
use crate::source::Span;
use crate::wording::field_path as path;
use crate::wording::{BadValue, ErrorType, FieldError, go_float_v, go_quote};
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

/// kube-openapi keeps each message once: `Result.AddErrors` (validate/result.go:82-102) drops an
/// error whose text was already reported, and every result is merged through it, so e.g. a
/// required field missing both from the object and from an `allOf` branch is one error.
pub fn validate(node: &Node, s: &Schema, at: &str, out: &mut Vec<FieldError>) {
    validate_in(node, s, &mut at.to_string(), out);
}

/// [`validate`] with the path in a buffer the walk extends and truncates as it goes down (a
/// node's path is copied into an error only when there is one).
fn validate_in(node: &Node, s: &Schema, at: &mut String, out: &mut Vec<FieldError>) {
    let start = out.len();
    validate_at(node, s, at, node.span, out);
    if out.len() - start < 2 {
        return;
    }
    let mut seen = std::collections::HashSet::new();
    let mut i = start;
    while i < out.len() {
        if seen.insert(out[i].message()) {
            i += 1;
        } else {
            out.remove(i);
        }
    }
}

/// `owner` is what a missing field is blamed on: the key of the object that lacks it.
fn validate_at(node: &Node, s: &Schema, at: &mut String, owner: Span, out: &mut Vec<FieldError>) {
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
                at.as_str(),
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

// The conditions keep kube-openapi's typeValidator shape (type.go Validate) so they can be
// compared with it.
#[allow(clippy::nonminimal_bool)]
fn type_check(node: &Node, s: &Schema, at: &str, out: &mut Vec<FieldError>) {
    // The type list kube-openapi checks against: int-or-string nodes are `integer,string`.
    let single;
    let types: &[&str] = if s.int_or_string {
        &["integer", "string"]
    } else if s.type_.is_empty() {
        return;
    } else {
        single = [s.type_.as_str()];
        &single
    };
    // Most nodes, settled without the steps below (which report nothing for them): no
    // format, and the node's JSON type is the schema's (an integer for a number too).
    if !s.int_or_string && s.format.is_empty() {
        let t = s.type_.as_str();
        let fits = match &node.value {
            Value::Bool(_) => t == "boolean",
            Value::Int(_) => t == "integer" || t == "number",
            Value::String(_) => t == "string",
            Value::Seq(_) => t == "array",
            Value::Map(_) => t == "object",
            Value::Null | Value::Float(_) => false,
        };
        if fits {
            return;
        }
    }
    let contains = |t: &str| types.contains(&t);
    let joined = || types.join(",");
    if node.is_null() {
        if !contains("null") && !s.nullable {
            out.push(invalid_type(at, &joined(), "null", node.span));
        }
        return;
    }
    let (data_type, data_format) = match &node.value {
        Value::Bool(_) => ("boolean", ""),
        Value::Int(_) => ("integer", "int64"),
        // schemaInfoForType: float64 is numberFormatFloat64, "float64" (helpers.go:76).
        Value::Float(_) => ("number", "float64"),
        Value::String(_) => ("string", ""),
        Value::Seq(_) => ("array", ""),
        Value::Map(_) => ("object", ""),
        Value::Null => ("null", ""),
    };
    // swag.IsFloat64AJSONInteger: a float64 beyond 2^53 is no integer.
    let is_float_int = matches!(node.value, Value::Float(f) if is_float64_a_json_integer(f))
        && contains("integer");
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
        out.push(invalid_type(at, &joined(), data_type, node.span));
    }
}

/// Errors of validating `node` against a sub-schema (a junctor branch), in isolation.
fn branch_errors(node: &Node, s: &Schema, at: &mut String) -> Vec<FieldError> {
    let mut errs = Vec::new();
    validate_in(node, s, at, &mut errs);
    errs
}

/// Whether [`type_check`] certainly reports `node` against `s` because the node is of another
/// type: a junctor branch known to fail without building its messages (the integer branch of
/// `anyOf: [{type: integer}, {type: string}]` for every string quantity). False when unsure.
fn wrong_type(node: &Node, s: &Schema) -> bool {
    if s.int_or_string || s.type_.is_empty() || !s.format.is_empty() {
        return false;
    }
    let t = s.type_.as_str();
    match &node.value {
        Value::Null => t != "null" && !s.nullable,
        Value::Bool(_) => t != "boolean",
        // An integer is a number too (type_check's is_int_float).
        Value::Int(_) => t != "integer" && t != "number",
        Value::Float(f) => t != "number" && !(t == "integer" && is_float64_a_json_integer(*f)),
        Value::String(_) => t != "string",
        Value::Seq(_) => t != "array",
        Value::Map(_) => t != "object",
    }
}

/// Whether `node` validates against the junctor branch `s`.
fn branch_valid(node: &Node, s: &Schema, at: &mut String) -> bool {
    !wrong_type(node, s) && branch_errors(node, s, at).is_empty()
}

/// The errors of the branch with the fewest (the first of those), when no branch validates:
/// what kube-openapi reports beside an `anyOf` or `oneOf` failure.
fn fewest_errors(node: &Node, branches: &[Schema], at: &mut String) -> Vec<FieldError> {
    let mut best: Option<Vec<FieldError>> = None;
    for b in branches {
        let e = branch_errors(node, b, at);
        if best.as_ref().is_none_or(|b| e.len() < b.len()) {
            best = Some(e);
        }
    }
    best.unwrap_or_default()
}

fn junctors(node: &Node, s: &Schema, at: &mut String, out: &mut Vec<FieldError>) {
    if !s.all_of().is_empty() {
        let mut valid = 0;
        let mut errs = Vec::new();
        for b in s.all_of() {
            let e = branch_errors(node, b, at);
            if e.is_empty() {
                valid += 1;
            }
            errs.extend(e);
        }
        out.extend(errs);
        if valid != s.all_of().len() {
            // schema_props.go: ". None validated" when no branch validates, nothing otherwise.
            let extra = if valid == 0 { ". None validated" } else { "" };
            out.push(composite(
                "schema/all-of",
                at,
                format!("must validate all the schemas (allOf){extra}"),
                node.span,
            ));
        }
    }
    // The errors of the branches matter only when none validates: a valid one is looked for
    // first, without building the messages of branches of another type.
    if !s.any_of().is_empty() && !s.any_of().iter().any(|b| branch_valid(node, b, at)) {
        out.push(composite(
            "schema/any-of",
            at,
            "must validate at least one schema (anyOf)".into(),
            node.span,
        ));
        out.extend(fewest_errors(node, s.any_of(), at));
    }
    if !s.one_of().is_empty() {
        let valid = s
            .one_of()
            .iter()
            .filter(|b| branch_valid(node, b, at))
            .count();
        if valid == 0 {
            out.push(composite(
                "schema/one-of",
                at,
                "must validate one and only one schema (oneOf). Found none valid".into(),
                node.span,
            ));
            out.extend(fewest_errors(node, s.one_of(), at));
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
        && branch_valid(node, not, at)
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
    if let Some(max) = s.limits().max_length
        && len() > max
    {
        out.push(FieldError::too_long(
            "schema/max-length",
            at.to_string(),
            max,
            node.span,
        ));
        return;
    }
    if let Some(min) = s.limits().min_length
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

/// Go's `int64(f)` for a float64 bound or factor, as amd64 computes it (truncation; NaN and
/// values out of range give the minimum int64).
fn go_i64(f: f64) -> i64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-TWO_63..TWO_63).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// go-openapi/swag `IsFloat64AJSONInteger` (convert.go): integral, or within a relative 1e-9 of
/// `float64(uint64(f))`, inside +-(2^53-1).
fn is_float64_a_json_integer(f: f64) -> bool {
    const MAX_JSON_FLOAT: f64 = 9_007_199_254_740_991.0;
    const EPSILON: f64 = 1e-9;
    // math.SmallestNonzeroFloat64, 4.9406564584124654e-324.
    const SMALLEST_NONZERO: f64 = f64::from_bits(1);
    if f.is_nan() || f.is_infinite() || !(-MAX_JSON_FLOAT..=MAX_JSON_FLOAT).contains(&f) {
        return false;
    }
    let g = (go_i64(f) as u64) as f64; // float64(uint64(f)) for |f| < 2^63
    let diff = (f - g).abs();
    if f == g || f == go_i64(f) as f64 {
        return true;
    }
    if f == 0.0 || g == 0.0 || diff < SMALLEST_NONZERO {
        return diff < EPSILON * SMALLEST_NONZERO;
    }
    diff / (f.abs() + g.abs()).min(f64::MAX) < EPSILON
}

/// A bound or factor as kube-openapi prints it with `%v`: an int64 after `int64(f)`, else the
/// float64.
enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    fn show(&self) -> String {
        match self {
            Num::Int(i) => i.to_string(),
            Num::Float(f) => go_float_v(*f),
        }
    }
    fn value(&self) -> BadValue {
        match self {
            Num::Int(i) => BadValue::Value(Value::Int(*i)),
            Num::Float(f) => BadValue::Value(Value::Float(*f)),
        }
    }
}

/// kube-openapi's `numberValidator` (validator.go:126-190): multipleOf, maximum, minimum, each
/// through its `*NativeType` facade (values.go:241-327). An int64 datum (every whole number
/// below 2^63, 347952.0 included) is compared with the bound or factor converted by `int64()`,
/// so `multipleOf: 0.5` becomes 0 ("must be positive"), `multipleOf: 1.5` becomes 1 and
/// `maximum: 10.5` becomes 10; a float64 datum is compared with the float64 bound, multipleOf
/// through `IsFloat64AJSONInteger(1/factor*data)` (or `data/factor` from 1 on). The validator's
/// Type and Format are never set (schema.go:221), so no range check precedes these.
fn number_checks(node: &Node, s: &Schema, at: &str, out: &mut Vec<FieldError>) {
    let value = BadValue::Value(node.value.clone());
    let (int, x) = match node.value {
        Value::Int(i) => (Some(i), i as f64),
        Value::Float(f) => (None, f),
        _ => return,
    };
    let limits = s.limits();
    if let Some(m) = limits.multiple_of {
        let (factor, bad) = match int {
            Some(i) => {
                let f = go_i64(m);
                (Num::Int(f), if f <= 0 { None } else { Some(i % f != 0) })
            }
            None => {
                let mult = if m < 1.0 { 1.0 / m * x } else { x / m };
                (
                    Num::Float(m),
                    if m <= 0.0 {
                        None
                    } else {
                        Some(!is_float64_a_json_integer(mult))
                    },
                )
            }
        };
        match bad {
            None => out.push(invalid(
                "schema/multiple-of",
                at,
                factor.value(),
                format!(
                    "factor MultipleOf declared for {at} must be positive: {}",
                    factor.show()
                ),
                node.span,
            )),
            Some(true) => out.push(invalid(
                "schema/multiple-of",
                at,
                value.clone(),
                format!("{} should be a multiple of {}", in_body(at), factor.show()),
                node.span,
            )),
            Some(false) => {}
        }
    }
    if let Some(max) = limits.maximum {
        let excl = limits.exclusive_maximum;
        let (bound, bad) = match int {
            Some(i) => {
                let b = go_i64(max);
                (Num::Int(b), if excl { i >= b } else { i > b })
            }
            None => (Num::Float(max), if excl { x >= max } else { x > max }),
        };
        if bad {
            let rel = if excl {
                "less than"
            } else {
                "less than or equal to"
            };
            out.push(invalid(
                "schema/maximum",
                at,
                value.clone(),
                format!("{} should be {rel} {}", in_body(at), bound.show()),
                node.span,
            ));
        }
    }
    if let Some(min) = limits.minimum {
        let excl = limits.exclusive_minimum;
        let (bound, bad) = match int {
            Some(i) => {
                let b = go_i64(min);
                (Num::Int(b), if excl { i <= b } else { i < b })
            }
            None => (Num::Float(min), if excl { x <= min } else { x < min }),
        };
        if bad {
            let rel = if excl {
                "greater than"
            } else {
                "greater than or equal to"
            };
            out.push(invalid(
                "schema/minimum",
                at,
                value,
                format!("{} should be {rel} {}", in_body(at), bound.show()),
                node.span,
            ));
        }
    }
}

fn slice_checks(
    node: &Node,
    items: &[Node],
    s: &Schema,
    at: &mut String,
    out: &mut Vec<FieldError>,
) {
    let size = items.len() as i64;
    if let Some(min) = s.limits().min_items
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
    if let Some(max) = s.limits().max_items
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
            let len = path::push_index(at, i);
            validate_in(item, item_schema, at, out);
            at.truncate(len);
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
            Value::String(s) => s.to_string(),
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
    at: &mut String,
    owner: Span,
    out: &mut Vec<FieldError>,
) {
    let n = entries.len() as i64;
    if let Some(min) = s.limits().min_properties
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
    if let Some(max) = s.limits().max_properties
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
        if let Some(prop) = s.property_schema(&e.key) {
            let len = path::push_child(at, &e.key);
            validate_at(&e.value, prop, at, e.key_span, out);
            at.truncate(len);
        }
    }
    for r in &s.required {
        if !entries.iter().any(|e| e.key == *r) {
            out.push(FieldError::required(
                "schema/required",
                path::child(at, r),
                "",
                owner,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_stream;

    /// `wrong_type` may only say "fails" where validation reports an error, and for a schema
    /// of a type alone it says so exactly where validation does.
    #[test]
    fn wrong_type_agrees_with_validation() {
        let values = [
            "null", "true", "1", "-3", "1.0", "1.5", "1e300", "'1'", "x", "[1]", "[]", "{a: 1}",
            "{}",
        ];
        let mut schemas = Vec::new();
        for t in [
            "", "null", "boolean", "integer", "number", "string", "array", "object",
        ] {
            for extra in ["", ", nullable: true", ", format: int32", ", format: date"] {
                schemas.push((format!("{{type: '{t}'{extra}}}"), extra.is_empty()));
            }
        }
        schemas.push(("{x-kubernetes-int-or-string: true}".into(), false));
        schemas.push(("{type: string, minLength: 3}".into(), false));
        schemas.push(("{type: integer, enum: [2]}".into(), false));
        let mut checked = 0;
        for (schema, type_only) in &schemas {
            let s = parse_stream(schema).remove(0).root.unwrap();
            let s = Schema::compile(&s, "s", &mut Vec::new());
            for v in values {
                let node = parse_stream(v).remove(0).root.unwrap();
                let mut errs = Vec::new();
                validate(&node, &s, "x", &mut errs);
                let wrong = wrong_type(&node, &s);
                assert!(!wrong || !errs.is_empty(), "{schema} {v}");
                if *type_only {
                    assert_eq!(wrong, !errs.is_empty(), "{schema} {v}: {errs:?}");
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 35 * values.len());
    }

    /// The messages of validating `value` (YAML) at `spec.x` against `schema` (YAML).
    fn messages(schema: &str, value: &str) -> Vec<String> {
        let s = parse_stream(schema).remove(0).root.unwrap();
        let s = Schema::compile(&s, "s", &mut Vec::new());
        let v = parse_stream(value).remove(0).root.unwrap();
        let mut out = Vec::new();
        validate(&v, &s, "spec.x", &mut out);
        out.iter().map(FieldError::message).collect()
    }

    #[test]
    fn all_of_wording_follows_schema_props() {
        // kube-openapi validate/schema_props.go: ". None validated" when no branch validates,
        // no suffix when some do.
        let schema = "type: integer\nallOf: [{minimum: 10}, {multipleOf: 2}]";
        assert_eq!(
            messages(schema, "3"),
            [
                "spec.x: Invalid value: 3: spec.x in body should be greater than or equal to 10",
                "spec.x: Invalid value: 3: spec.x in body should be a multiple of 2",
                r#"<nil>: Invalid value: "": "spec.x" must validate all the schemas (allOf). None validated"#,
            ]
        );
        assert_eq!(
            messages(schema, "4"),
            [
                "spec.x: Invalid value: 4: spec.x in body should be greater than or equal to 10",
                r#"<nil>: Invalid value: "": "spec.x" must validate all the schemas (allOf)"#,
            ]
        );
    }

    #[test]
    fn numbers_follow_the_native_type_facades() {
        // values.go MultipleOfNativeType/MaximumNativeType/MinimumNativeType: a whole number is
        // an int64 and meets int64(bound); a fraction meets the float64 bound.
        let positive =
            "spec.x: Invalid value: 0: factor MultipleOf declared for spec.x must be positive: 0";
        assert_eq!(
            messages("type: number\nmultipleOf: 0.25", "347952.0"),
            [positive]
        );
        assert_eq!(
            messages("type: number\nmultipleOf: 0.25", "0.75"),
            [] as [&str; 0]
        );
        assert_eq!(
            messages("type: number\nmultipleOf: 1.5", "4"),
            [] as [&str; 0]
        );
        assert_eq!(
            messages("type: number\nmultipleOf: 1.5", "4.5"),
            [] as [&str; 0]
        );
        assert_eq!(
            messages("type: number\nmultipleOf: 1.5", "5.5"),
            ["spec.x: Invalid value: 5.5: spec.x in body should be a multiple of 1.5"]
        );
        // IsFloat64AJSONInteger(1/0.1*0.3 = 3.0000000000000004) holds; 0.35 is no multiple.
        assert_eq!(
            messages("type: number\nmultipleOf: 0.1", "0.3"),
            [] as [&str; 0]
        );
        assert_eq!(
            messages("type: number\nmultipleOf: 0.1", "0.35"),
            ["spec.x: Invalid value: 0.35: spec.x in body should be a multiple of 0.1"]
        );
        assert_eq!(
            messages("type: number\nmaximum: 10.5", "11"),
            ["spec.x: Invalid value: 11: spec.x in body should be less than or equal to 10"]
        );
        assert_eq!(
            messages("type: number\nmaximum: 10.5\nexclusiveMaximum: true", "10"),
            ["spec.x: Invalid value: 10: spec.x in body should be less than 10"]
        );
        assert_eq!(messages("type: number\nminimum: 0.5", "0"), [] as [&str; 0]);
        assert_eq!(
            messages("type: number\nminimum: 0.5", "0.25"),
            ["spec.x: Invalid value: 0.25: spec.x in body should be greater than or equal to 0.5"]
        );
        // Beyond int64 the datum is a float64, printed and compared as one.
        assert_eq!(
            messages("type: number\nmaximum: 2147483647", "9223372036854775808"),
            [
                "spec.x: Invalid value: 9.223372036854776e+18: spec.x in body should be less than or equal to 2.147483647e+09"
            ]
        );
    }

    #[test]
    fn float_data_types_as_kube_openapi_infers_them() {
        // type.go: a float64 datum has format "float64", and is an integer only as far as
        // swag.IsFloat64AJSONInteger goes (2^53).
        assert_eq!(
            messages("type: integer\nformat: int64", "1.5"),
            [
                r#"spec.x: Invalid value: "float64": spec.x in body must be of type int64: "float64""#
            ]
        );
        assert_eq!(
            messages("type: integer\nmaximum: 2147483647", "9223372036854775808"),
            [
                r#"spec.x: Invalid value: "number": spec.x in body must be of type integer: "number""#,
                "spec.x: Invalid value: 9.223372036854776e+18: spec.x in body should be less than or equal to 2.147483647e+09",
            ]
        );
    }

    #[test]
    fn each_message_once() {
        // result.go AddErrors: the object's and the allOf branch's "required" are one error.
        assert_eq!(
            messages(
                "type: object\nrequired: [a]\nallOf: [{required: [a]}]",
                "{}"
            ),
            [
                "spec.x.a: Required value",
                r#"<nil>: Invalid value: "": "spec.x" must validate all the schemas (allOf). None validated"#,
            ]
        );
    }
}
