//! Scalar resolution as Kubernetes reads YAML: sigs.k8s.io/yaml on go-yaml v2 (YAML 1.1 rules),
//! followed by the JSON round trip that turns whole floats into integers.
//! Followed: go-yaml v2 `resolve.go` and sigs.k8s.io/yaml `yaml.go` (convertToJSONableObject).

use super::node::Value;
use std::sync::LazyLock;

/// What a scalar resolved to, before it becomes a [`Value`].
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Value(Value),
    /// The `<<` merge key.
    Merge,
    /// NaN or an infinity: valid YAML, but JSON cannot hold it, so the conversion fails.
    NotJson(String),
}

static YAML_STYLE_FLOAT: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$").unwrap()
});

/// Resolve a plain (unquoted, untagged) scalar.
pub fn resolve_plain(s: &str) -> Resolved {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Value(Value::Null),
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return Resolved::Value(Value::Bool(true));
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Resolved::Value(Value::Bool(false));
        }
        "<<" => return Resolved::Merge,
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => return Resolved::NotJson(s.to_string()),
        _ => {}
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Resolved::Value(Value::String(s.to_string()));
    }
    let plain = s.replace('_', "");
    if let Some(i) = parse_go_int(&plain) {
        return Resolved::Value(Value::Int(i));
    }
    if let Some(u) = parse_go_uint(&plain) {
        // A uint64 beyond int64: JSON keeps the digits, unstructured decoding falls back to float64.
        return Resolved::Value(Value::Float(u as f64));
    }
    if YAML_STYLE_FLOAT.is_match(&plain)
        && let Ok(f) = plain.parse::<f64>()
    {
        return Resolved::Value(float_value(f));
    }
    // go-yaml v2 reads 0b/-0b binary itself, after Go's ParseInt (which also accepts it).
    Resolved::Value(Value::String(s.to_string()))
}

/// A float as it comes back from the JSON round trip: Go's encoder prints integral values
/// below 1e21 without a fraction, and the unstructured decoder reads those as int64.
pub fn float_value(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 1e21 && f >= i64::MIN as f64 && f < i64::MAX as f64 {
        Value::Int(f as i64)
    } else {
        Value::Float(f)
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)`: optional sign, then `0x`, `0o`, `0b`, a leading `0`
/// (octal) or decimal digits. Underscores were removed by the caller.
pub fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let mag = parse_go_magnitude(body)?;
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            Some((mag as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else {
        i64::try_from(mag).ok()
    }
}

fn parse_go_uint(s: &str) -> Option<u64> {
    parse_go_magnitude(s.strip_prefix('+').unwrap_or(s))
}

fn parse_go_magnitude(body: &str) -> Option<u64> {
    let lower = body.to_ascii_lowercase();
    let (digits, radix) = if let Some(d) = lower.strip_prefix("0x") {
        (d, 16)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (d, 8)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (d, 2)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (&lower[1..], 8)
    } else {
        (lower.as_str(), 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// When a plain scalar means something else to a YAML 1.2 reader than to Kubernetes (YAML 1.1),
/// say how: `yes`/`on`/`y` booleans, `010` octal, `0b1` binary, `1_000` with underscores.
pub fn yaml12_difference(text: &str, resolved: &Value) -> Option<String> {
    let as_12 = match resolved {
        Value::Bool(b) if !matches!(text.to_ascii_lowercase().as_str(), "true" | "false") => {
            format!(
                "Kubernetes reads the plain scalar {text:?} as the boolean {b} (YAML 1.1); YAML 1.2 tools read the string {text:?}"
            )
        }
        Value::Int(i) => {
            let digits = text.trim_start_matches(['-', '+']);
            let octal = digits.len() > 1
                && digits.starts_with('0')
                && digits[1..].bytes().all(|b| b.is_ascii_digit());
            let binary = digits.starts_with("0b") || digits.starts_with("0B");
            if octal || binary || text.contains('_') {
                format!(
                    "Kubernetes reads the plain scalar {text:?} as the number {i} (YAML 1.1); YAML 1.2 tools read it differently"
                )
            } else {
                return None;
            }
        }
        _ => return None,
    };
    Some(as_12)
}

/// Resolve a scalar that carries an explicit core-schema tag (`!!str`, `!!int`, ...).
pub fn resolve_tagged(tag_suffix: &str, s: &str) -> Option<Resolved> {
    match tag_suffix {
        "str" => Some(Resolved::Value(Value::String(s.to_string()))),
        "null" => Some(Resolved::Value(Value::Null)),
        "bool" | "int" | "float" => match resolve_plain(s) {
            r @ Resolved::Value(Value::Bool(_)) if tag_suffix == "bool" => Some(r),
            r @ Resolved::Value(Value::Int(_)) if tag_suffix != "bool" => Some(r),
            r @ Resolved::Value(Value::Float(_)) if tag_suffix == "float" => Some(r),
            r @ Resolved::NotJson(_) if tag_suffix == "float" => Some(r),
            _ => None,
        },
        _ => Some(resolve_plain(s)),
    }
}

/// The JSON object key a scalar mapping key becomes (sigs.k8s.io/yaml stringifies non-string
/// keys: `true` -> "true", `1` -> "1").
pub fn key_string(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => super::node::format_go_float(*f),
        Value::String(s) => s.clone(),
        Value::Seq(_) | Value::Map(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        match resolve_plain(s) {
            Resolved::Value(v) => v,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn yaml11_booleans() {
        for t in ["yes", "Yes", "YES", "on", "ON", "y", "Y", "true", "True"] {
            assert_eq!(v(t), Value::Bool(true), "{t}");
        }
        for f in ["no", "NO", "off", "Off", "n", "N", "false", "FALSE"] {
            assert_eq!(v(f), Value::Bool(false), "{f}");
        }
        assert_eq!(v("yEs"), Value::String("yEs".into()));
    }

    #[test]
    fn nulls() {
        for s in ["~", "null", "Null", "NULL", ""] {
            assert_eq!(v(s), Value::Null);
        }
    }

    #[test]
    fn integers_in_go_bases() {
        assert_eq!(v("010"), Value::Int(8));
        assert_eq!(v("0x1F"), Value::Int(31));
        assert_eq!(v("0o17"), Value::Int(15));
        assert_eq!(v("0b101"), Value::Int(5));
        assert_eq!(v("1_000"), Value::Int(1000));
        assert_eq!(v("-42"), Value::Int(-42));
        assert_eq!(v("+7"), Value::Int(7));
        assert_eq!(v("-9223372036854775808"), Value::Int(i64::MIN));
        // 09 is not octal and not decimal for ParseInt, but it matches the float pattern.
        assert_eq!(v("09"), Value::Int(9));
    }

    #[test]
    fn floats_round_trip_through_json() {
        assert_eq!(v("1e3"), Value::Int(1000));
        assert_eq!(v("1.0"), Value::Int(1));
        assert_eq!(v("1.5"), Value::Float(1.5));
        assert_eq!(v(".5"), Value::Float(0.5));
        assert_eq!(v("1e21"), Value::Float(1e21));
        assert_eq!(
            v("18446744073709551615"),
            Value::Float(18446744073709551615.0)
        );
    }

    #[test]
    fn strings_stay_strings() {
        assert_eq!(v("1.2.3"), Value::String("1.2.3".into()));
        assert_eq!(v("v1"), Value::String("v1".into()));
        assert_eq!(v("2024-01-01"), Value::String("2024-01-01".into()));
        assert_eq!(v("0x"), Value::String("0x".into()));
        assert_eq!(v("-"), Value::String("-".into()));
    }

    #[test]
    fn special_floats_are_not_json() {
        assert!(matches!(resolve_plain(".inf"), Resolved::NotJson(_)));
        assert!(matches!(resolve_plain(".NaN"), Resolved::NotJson(_)));
        assert_eq!(resolve_plain("<<"), Resolved::Merge);
    }

    #[test]
    fn yaml12_differences_are_named() {
        assert!(
            yaml12_difference("yes", &Value::Bool(true))
                .unwrap()
                .contains("boolean true")
        );
        assert!(
            yaml12_difference("0777", &Value::Int(511))
                .unwrap()
                .contains("511")
        );
        assert!(yaml12_difference("1_000", &Value::Int(1000)).is_some());
        assert_eq!(yaml12_difference("true", &Value::Bool(true)), None);
        assert_eq!(yaml12_difference("10", &Value::Int(10)), None);
        assert_eq!(yaml12_difference("0", &Value::Int(0)), None);
    }

    #[test]
    fn tags_force_types() {
        assert_eq!(
            resolve_tagged("str", "123"),
            Some(Resolved::Value(Value::String("123".into())))
        );
        assert_eq!(resolve_tagged("int", "abc"), None);
        assert_eq!(
            resolve_tagged("int", "12"),
            Some(Resolved::Value(Value::Int(12)))
        );
    }
}
