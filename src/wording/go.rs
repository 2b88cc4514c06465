//! Go's renderings of values, as the API server prints them in messages.

use crate::yaml::Node;

/// Go's `unicode.IsPrint` (which `strconv.Quote` uses): letters, marks, numbers, punctuation,
/// symbols and the ASCII space. A no-break space, a soft hyphen or a zero-width space is not
/// printable.
fn go_is_print(c: char) -> bool {
    static PRINT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^[\p{L}\p{M}\p{N}\p{P}\p{S}]$").expect("static regex")
    });
    if c == ' ' {
        return true;
    }
    if c.is_ascii() {
        return c.is_ascii_graphic();
    }
    let mut buf = [0u8; 4];
    PRINT.is_match(c.encode_utf8(&mut buf))
}

/// Go's `%q` / `strconv.Quote` for a string: what is not printable (`unicode.IsPrint`) is
/// escaped, `\u00a0` and `\U0010ffff` style beyond the ASCII control characters.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if !go_is_print(c) => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

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
pub fn go_float_v(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0");
    }
    // Rust's `{:e}` prints the shortest round-trip digits too: `d[.ddd]e[-]x`.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if !(-4..6).contains(&exp) {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{esign}{:02}", exp.abs());
    }
    let point = exp + 1; // digits before the decimal point
    if point <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
    } else if point as usize >= digits.len() {
        format!(
            "{sign}{digits}{}",
            "0".repeat(point as usize - digits.len())
        )
    } else {
        let (int, frac) = digits.split_at(point as usize);
        format!("{sign}{int}.{frac}")
    }
}

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
