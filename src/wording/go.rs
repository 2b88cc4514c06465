//! Go's renderings of values, as the API server prints them in messages.

use crate::yaml::Node;

/// Go's `%q` / `strconv.Quote` for a string (go-yaml's messages use it too, so it lives with the
/// YAML reader).
pub use crate::yaml::resolve::go_quote;

/// An `x-kubernetes-validations` entry as the API server prints it as a bad value: Go's `%#v` of
/// `apiextensions.ValidationRule`. A pointer field that is set prints as an address in Go, which
/// changes from call to call; it is shown as `(…)`.
pub fn go_rule_value(entry: &Node) -> String {
    let s = |k: &str| go_quote(entry.get(k).and_then(Node::as_str).unwrap_or(""));
    let pointer = |k: &str, ty: &str| match entry.get(k).filter(|n| !n.is_null()) {
        Some(_) => format!("(*{ty})(…)"),
        None => format!("(*{ty})(nil)"),
    };
    format!(
        "apiextensions.ValidationRule{{Rule:{}, Message:{}, MessageExpression:{}, Reason:{}, FieldPath:{}, OptionalOldSelf:{}}}",
        s("rule"),
        s("message"),
        s("messageExpression"),
        pointer("reason", "apiextensions.FieldValueErrorReason"),
        s("fieldPath"),
        pointer("optionalOldSelf", "bool"),
    )
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`): the shortest digits that
/// round-trip, in exponent form (`1e+06`, `1.5e-07`, at least two exponent digits) when the
/// decimal exponent is below -4 or at least 6 (ftoa.go: "if precision was the shortest
/// possible, use precision 6 for this decision"). Not JSON's rendering, which switches at 1e21.
pub use crate::yaml::resolve::format_go_g64 as go_float_v;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_what_go_does_not_print() {
        // strconv.Quote outputs.
        assert_eq!(go_quote("a\u{a0}b"), r#""a\u00a0b""#);
        assert_eq!(
            go_quote("\u{ad}\u{200b}\u{feff}"),
            r#""\u00ad\u200b\ufeff""#
        );
        assert_eq!(go_quote("\u{85}"), r#""\u0085""#);
        assert_eq!(
            go_quote("café 日本 😀 e\u{301} 🇫🇷 Ω"),
            "\"café 日本 😀 e\u{301} 🇫🇷 Ω\""
        );
        assert_eq!(go_quote("\u{e000}"), r#""\ue000""#);
        assert_eq!(go_quote("\u{10ffff}"), r#""\U0010ffff""#);
        assert_eq!(go_quote("tab\there\u{1}"), r#""tab\there\x01""#);
    }

    #[test]
    fn float_v_is_go_percent_v() {
        // Outputs of Go's fmt.Sprintf("%v", f).
        for (f, want) in [
            (0.25, "0.25"),
            (1.0, "1"),
            (-1.5, "-1.5"),
            (100000.0, "100000"),
            (1e6, "1e+06"),
            (2147483647.0, "2.147483647e+09"),
            (9.223372036854776e18, "9.223372036854776e+18"),
            (1e20, "1e+20"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (123456.5, "123456.5"),
            (1e100, "1e+100"),
            (f64::INFINITY, "+Inf"),
            (-0.0, "-0"),
        ] {
            assert_eq!(go_float_v(f), want, "{f}");
        }
    }
}
