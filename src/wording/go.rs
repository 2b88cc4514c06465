//! Go's renderings of values, as the API server prints them in messages.

use crate::yaml::Node;

/// Go's `%q` / `strconv.Quote` for a string.
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
