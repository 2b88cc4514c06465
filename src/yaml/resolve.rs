//! Scalar resolution as Kubernetes reads YAML: sigs.k8s.io/yaml on go-yaml v2 (YAML 1.1 rules),
//! followed by the JSON round trip that turns whole floats into integers.
//! Followed: go-yaml v2 `resolve.go` and sigs.k8s.io/yaml `yaml.go` (convertToJSONableObject).

use super::node::Value;
use compact_str::CompactString;
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

/// go-yaml's `yamlStyleFloat`, `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, by
/// hand: every plain scalar starting with a digit that is not an integer (`100Mi`, `10.0.0.1`)
/// is matched against it, and the regex (with its cache pool) was most of resolving them.
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let digits_from = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    if b.get(i) == Some(&b'.') {
        let end = digits_from(i + 1);
        if end == i + 1 {
            return false;
        }
        i = end;
    } else {
        let end = digits_from(i);
        if end == i {
            return false;
        }
        i = end;
        if b.get(i) == Some(&b'.') {
            i = digits_from(i + 1);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let end = digits_from(i);
        if end == i {
            return false;
        }
        i = end;
    }
    i == b.len()
}

/// Resolve a plain (unquoted, untagged) scalar: [`resolve_go`] of an untagged plain scalar, as
/// crdlint's tree holds it.
pub fn resolve_plain(s: &str) -> Resolved {
    // go-yaml tells the merge key by its text (resolve itself makes "<<" a string).
    if s == "<<" {
        return Resolved::Merge;
    }
    match resolve_go(None, s, true) {
        Ok((_, true)) => Resolved::Merge,
        Ok((GoScalar::Float(f), _)) if !f.is_finite() => Resolved::NotJson(s.to_string()),
        Ok((go, _)) => Resolved::Value(go.into_value()),
        Err(_) => Resolved::Value(Value::String(s.into())),
    }
}

/// A float as it comes back from the JSON round trip: Go's encoder prints integral values
/// below 1e21 without a fraction, and the unstructured decoder reads those as int64.
pub fn float_value(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        // The decoder reads the encoder's digits (shortest round trip, no exponent below
        // 1e21) as an int64 when they fit one.
        if f.abs() < 9007199254740992.0 {
            return Value::Int(f as i64);
        }
        if let Ok(i) = format!("{f}").parse::<i64>() {
            return Value::Int(i);
        }
    }
    Value::Float(f)
}

/// Go's `strconv.ParseInt(s, 0, 64)`: optional sign, then `0x`, `0o`, `0b`, a leading `0`
/// (octal) or decimal digits. Underscores were removed by the caller.
pub fn parse_go_int(s: &str) -> Option<i64> {
    go_signed(s, parse_go_magnitude)
}

/// An optional sign, then a magnitude `magnitude` parses, within int64 (as Go's ParseInt).
fn go_signed(s: &str, magnitude: fn(&str) -> Option<u64>) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let mag = magnitude(body)?;
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

/// Resolve a scalar that carries an explicit core-schema tag (`!!str`, `!!int`, ...): None
/// when go-yaml cannot decode it as that type.
pub fn resolve_tagged(tag_suffix: &str, s: &str) -> Option<Resolved> {
    match resolve_go(Some(&format!("{TAG_PREFIX}{tag_suffix}")), s, false) {
        Ok((_, true)) => Some(Resolved::Merge),
        Ok((GoScalar::Float(f), _)) if !f.is_finite() => Some(Resolved::NotJson(s.to_string())),
        Ok((go, _)) => Some(Resolved::Value(go.into_value())),
        Err(_) => None,
    }
}

/// The JSON object key a scalar mapping key becomes (sigs.k8s.io/yaml stringifies non-string
/// keys: `true` -> "true", `1` -> "1").
pub fn key_string(v: &Value) -> CompactString {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string().into(),
        Value::Int(i) => i.to_string().into(),
        Value::Float(f) => super::node::format_go_float(*f).into(),
        Value::String(s) => s.clone(),
        Value::Seq(_) | Value::Map(_) => CompactString::default(),
    }
}

/// A scalar as go-yaml v2 decodes it into an `interface{}`, before sigs.k8s.io/yaml converts
/// it to JSON (Go types: nil, bool, int, uint64, float64, string).
#[derive(Debug, Clone, PartialEq)]
pub enum GoScalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(CompactString),
}

pub const TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// go-yaml v2's `resolve` followed by its `(*decoder).scalar` into an `interface{}`, for a
/// scalar with the given resolved tag (None when untagged) and `implicit` flag (a plain
/// scalar, or one tagged `!`). The error is go-yaml's (without its `yaml: ` prefix). The
/// second value is always false: go-yaml's resolve makes `<<` a string (its first character has
/// no hint), and its decoder tells the merge key by its text (see the tree builder).
pub fn resolve_go(
    tag: Option<&str>,
    value: &str,
    implicit: bool,
) -> Result<(GoScalar, bool), String> {
    let tag = tag.unwrap_or("");
    if tag.is_empty() && !implicit {
        return Ok((GoScalar::Str(value.into()), false));
    }
    let short = |t: &str| match t.strip_prefix(TAG_PREFIX) {
        Some(rest) => format!("!!{rest}"),
        None => t.to_string(),
    };
    let resolvable = matches!(
        tag.strip_prefix(TAG_PREFIX),
        Some("str" | "bool" | "int" | "float" | "null" | "timestamp")
    ) || tag.is_empty();
    if !resolvable {
        if tag == "tag:yaml.org,2002:binary" {
            return match go_base64(value) {
                Some(bytes) => Ok((GoScalar::Str(go_lossy_utf8(&bytes).into()), false)),
                None => Err("!!binary value contains invalid base64 data".into()),
            };
        }
        return Ok((GoScalar::Str(value.into()), false));
    }
    let (rtag, out, merge) = go_resolve_untyped(tag, value);
    let want = tag.strip_prefix(TAG_PREFIX).unwrap_or("");
    if tag.is_empty() || want == rtag || want == "str" {
        return Ok((out, merge));
    }
    if want == "float"
        && rtag == "int"
        && let GoScalar::Int(i) = out
    {
        return Ok((GoScalar::Float(i as f64), false));
    }
    Err(format!(
        "cannot decode {} `{}` as a {}",
        short(&format!("{TAG_PREFIX}{rtag}")),
        value,
        short(tag)
    ))
}

/// go-yaml's `resolve_table` hint for a scalar's first character; 0: it can only be a string.
fn resolve_hint(s: &str) -> u8 {
    match s.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    }
}

/// Whether [`resolve_go`] makes this untagged scalar a string without looking further: it is
/// not plain (quoted or a block scalar), or its first character cannot start another type.
pub fn untagged_is_string(s: &str, implicit: bool) -> bool {
    !implicit || resolve_hint(s) == 0
}

/// go-yaml's `resolve` proper: (short tag name, value, is the merge key).
fn go_resolve_untyped(tag: &str, s: &str) -> (&'static str, GoScalar, bool) {
    let is_str = tag == "tag:yaml.org,2002:str";
    let hint = resolve_hint(s);
    if hint == 0 || is_str {
        return ("str", GoScalar::Str(s.into()), false);
    }
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return ("bool", GoScalar::Bool(true), false);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return ("bool", GoScalar::Bool(false), false);
        }
        "" | "~" | "null" | "Null" | "NULL" => return ("null", GoScalar::Null, false),
        ".nan" | ".NaN" | ".NAN" => return ("float", GoScalar::Float(f64::NAN), false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return ("float", GoScalar::Float(f64::INFINITY), false);
        }
        "-.inf" | "-.Inf" | "-.INF" => return ("float", GoScalar::Float(f64::NEG_INFINITY), false),
        _ => {}
    }
    match hint {
        b'.' => {
            // Go's ParseFloat fails (and the scalar stays a string) out of range.
            if go_decimal_float(s)
                && let Ok(f) = s.parse::<f64>()
                && f.is_finite()
            {
                return ("float", GoScalar::Float(f), false);
            }
        }
        b'D' | b'S' => {
            if (tag.is_empty() || tag == "tag:yaml.org,2002:timestamp") && go_timestamp(s) {
                return ("timestamp", GoScalar::Str(s.into()), false);
            }
            let plain = if s.contains('_') {
                std::borrow::Cow::Owned(s.replace('_', ""))
            } else {
                std::borrow::Cow::Borrowed(s)
            };
            if let Some(i) = parse_go_int(&plain) {
                return ("int", GoScalar::Int(i), false);
            }
            if let Some(u) = parse_go_magnitude(&plain) {
                return ("int", GoScalar::Uint(u), false);
            }
            if yaml_style_float(&plain)
                && let Ok(f) = plain.parse::<f64>()
                && f.is_finite()
            {
                return ("float", GoScalar::Float(f), false);
            }
            if let Some(rest) = plain.strip_prefix("0b") {
                if let Some(i) = go_parse_int_base2(rest) {
                    return ("int", GoScalar::Int(i), false);
                }
                if let Some(u) = go_parse_uint_base2(rest) {
                    return ("int", GoScalar::Uint(u), false);
                }
            } else if let Some(rest) = plain.strip_prefix("-0b")
                && let Some(i) = go_parse_int_base2(&format!("-{rest}"))
            {
                return ("int", GoScalar::Int(i), false);
            }
        }
        _ => {}
    }
    ("str", GoScalar::Str(s.into()), false)
}

/// Go's `strconv.ParseFloat` on a decimal literal (what a scalar starting with `.` can be).
fn go_decimal_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let mut digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let from = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == from {
            return false;
        }
    }
    i == b.len()
}

fn go_parse_int_base2(s: &str) -> Option<i64> {
    go_signed(s, go_parse_uint_base2)
}

fn go_parse_uint_base2(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b == b'0' || b == b'1') {
        return None;
    }
    u64::from_str_radix(s, 2).ok()
}

/// go-yaml's `parseTimestamp`: `YYYY-M-D`, optionally with a time (`T`/`t` and a zone, or a
/// space and no zone).
fn go_timestamp(s: &str) -> bool {
    // Every form starts with a four-digit year and a dash: most numbers end here.
    let b = s.as_bytes();
    if b.len() < 8 || b[4] != b'-' || !b[..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    static TS: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2}))|(?: ([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?))?$",
        )
        .unwrap()
    });
    let Some(c) = TS.captures(s) else {
        return false;
    };
    let num = |i: usize| c.get(i).map(|m| m.as_str().parse::<u32>().unwrap_or(99));
    let (y, m, d) = (
        num(1).unwrap_or(0),
        num(2).unwrap_or(0),
        num(3).unwrap_or(0),
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if d == 0 || d > days {
        return false;
    }
    let (h, mi, se) = match (num(4).or(num(7)), num(5).or(num(8)), num(6).or(num(9))) {
        (Some(h), Some(mi), Some(se)) => (h, mi, se),
        _ => return true,
    };
    h < 24 && mi < 60 && se < 60
}

/// Go's `base64.StdEncoding.DecodeString` (padding required; CR and LF ignored).
pub fn go_base64(s: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = s.bytes().filter(|&b| b != b'\r' && b != b'\n').collect();
    if !clean.len().is_multiple_of(4) {
        return None;
    }
    let val = |b: u8| -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => (b - b'A') as u32,
            b'a'..=b'z' => (b - b'a') as u32 + 26,
            b'0'..=b'9' => (b - b'0') as u32 + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    let quads = clean.len() / 4;
    for (qi, q) in clean.chunks(4).enumerate() {
        let last = qi + 1 == quads;
        let pad = q.iter().rev().take_while(|&&b| b == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n = 0u32;
        for &b in &q[..4 - pad] {
            n = (n << 6) | val(b)?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// Bytes as Go's JSON encoder writes them: each byte that is not part of valid UTF-8 becomes
/// U+FFFD.
pub fn go_lossy_utf8(mut bytes: &[u8]) -> String {
    let mut out = String::new();
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (ok, rest) = bytes.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(ok).unwrap_or_default());
                out.push('\u{FFFD}');
                bytes = &rest[1..];
            }
        }
    }
}

impl GoScalar {
    /// The value after sigs.k8s.io/yaml's JSON round trip; Err for what JSON cannot hold
    /// (Go's `json: unsupported value: ...`).
    pub fn to_value(&self) -> Result<Value, String> {
        Ok(match self {
            GoScalar::Null => Value::Null,
            GoScalar::Bool(b) => Value::Bool(*b),
            GoScalar::Int(i) => Value::Int(*i),
            GoScalar::Uint(u) => Value::Float(*u as f64),
            GoScalar::Float(f) if !f.is_finite() => {
                return Err(format!(
                    "json: unsupported value: {}",
                    super::node::format_go_float(*f)
                ));
            }
            GoScalar::Float(f) => float_value(*f),
            GoScalar::Str(s) => Value::String(s.clone()),
        })
    }

    /// The value kept in the tree: [`GoScalar::to_value`] without the copy, and with NaN and
    /// the infinities kept as floats (encoding them fails only if they stay in the tree).
    pub fn into_value(self) -> Value {
        match self {
            GoScalar::Str(s) => Value::String(s),
            GoScalar::Float(f) if !f.is_finite() => Value::Float(f),
            other => other.to_value().unwrap_or(Value::Null),
        }
    }

    /// The JSON object key sigs.k8s.io/yaml makes of this map key, or its conversion error
    /// (the value is formatted by the caller).
    pub fn into_key(self) -> Result<CompactString, &'static str> {
        match self {
            GoScalar::Str(s) => Ok(s),
            other => other.to_key(),
        }
    }

    /// [`GoScalar::into_key`] of a copy.
    pub fn to_key(&self) -> Result<CompactString, &'static str> {
        match self {
            GoScalar::Str(s) => Ok(s.clone()),
            GoScalar::Int(i) => Ok(i.to_string().into()),
            GoScalar::Bool(b) => Ok(b.to_string().into()),
            GoScalar::Float(f) => Ok(match format_go_g32(*f).as_str() {
                "+Inf" => ".inf".into(),
                "-Inf" => "-.inf".into(),
                "NaN" => ".nan".into(),
                s => s.into(),
            }),
            GoScalar::Null => Err("%!s(<nil>)"),
            GoScalar::Uint(_) => Err("uint64"),
        }
    }

    /// Go's `%#v` of the value.
    pub fn go_sharp_v(&self) -> String {
        match self {
            GoScalar::Null => "<nil>".into(),
            GoScalar::Bool(b) => b.to_string(),
            GoScalar::Int(i) => i.to_string(),
            GoScalar::Uint(u) => format!("{u:#x}"),
            GoScalar::Float(f) => format_go_g64(*f),
            GoScalar::Str(s) => go_quote(s),
        }
    }
}

/// Go's `%q` / `strconv.Quote` for a string: what is not printable (`unicode.IsPrint`) is
/// escaped, `\u00a0` and `\U0010ffff` style beyond the ASCII control characters. go-yaml's
/// messages and the API server's (`crate::wording`) use it.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if !go_is_print(c) => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32))
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32))
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

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

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`.
pub fn format_go_g64(f: f64) -> String {
    go_g_shortest(f, format!("{f:e}"))
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)` (the float is rounded to float32 first).
pub fn format_go_g32(f: f64) -> String {
    let g = f as f32;
    go_g_shortest(g as f64, format!("{g:e}"))
}

/// Go's 'g' formatting with the shortest digits: exponent form when the decimal exponent is
/// below -4 or at least 6, else plain.
fn go_g_shortest(f: f64, sci: String) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "d.ddde[-]x".
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let nd = digits.len() as i32;
    // Go: with the shortest digits, %e is chosen when exp < -4 || exp >= 6.
    let eprec = 6;
    let dp = exp + 1;
    let sign = if neg { "-" } else { "" };
    if exp < -4 || exp >= eprec {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.clone()
        };
        let es = if exp < 0 { "-" } else { "+" };
        format!("{sign}{m}e{es}{:02}", exp.abs())
    } else if dp <= 0 {
        format!("{sign}0.{}{}", "0".repeat((-dp) as usize), digits)
    } else if dp >= nd {
        format!("{sign}{}{}", digits, "0".repeat((dp - nd) as usize))
    } else {
        format!(
            "{sign}{}.{}",
            &digits[..dp as usize],
            &digits[dp as usize..]
        )
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
    fn yaml_style_float_is_go_yamls_regex() {
        // Every string of up to four characters over the alphabet that matters, and longer
        // ones from real manifests: the hand matcher agrees with go-yaml's regex on each.
        let re = regex::Regex::new(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
            .expect("regex");
        let alphabet = ["", "0", "7", ".", "e", "E", "-", "+", "x", "_"];
        let mut matched = 0;
        let mut count = 0;
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    for d in alphabet {
                        let s = format!("{a}{b}{c}{d}");
                        assert_eq!(yaml_style_float(&s), re.is_match(&s), "{s:?}");
                        matched += usize::from(re.is_match(&s));
                        count += 1;
                    }
                }
            }
        }
        for s in [
            "100Mi",
            "10.0.0.1",
            "1.5e10",
            "-1.5E-3",
            "+.5e+7",
            "1.",
            "1.e5",
            ".e5",
            "1e",
            "1e+",
            "0.25",
            "3m",
            "2024-01-01",
            "1_000.5",
            "٣.5",
        ] {
            assert_eq!(yaml_style_float(s), re.is_match(s), "{s:?}");
        }
        // The alphabet reaches both answers many times.
        assert!(
            matched > 100 && count - matched > 1000,
            "{matched} of {count}"
        );
    }

    #[test]
    fn untagged_is_string_only_where_resolve_go_makes_a_string() {
        let mut strings = 0;
        let mut others = 0;
        let firsts = (0u8..128).map(char::from).chain(['\u{e9}', '\u{4e2d}']);
        for first in firsts {
            for rest in [
                "", "es", "rue", "ull", "1", "0", ".5", "e3", "nf", "x y", "<",
            ] {
                let s = format!("{first}{rest}");
                for implicit in [true, false] {
                    let resolved = resolve_go(None, &s, implicit);
                    if untagged_is_string(&s, implicit) {
                        strings += 1;
                        assert_eq!(
                            resolved,
                            Ok((GoScalar::Str(s.as_str().into()), false)),
                            "{s:?} implicit {implicit}"
                        );
                    } else {
                        others += 1;
                    }
                }
            }
        }
        // Both answers are given: plain scalars that may be numbers, booleans or null are
        // left to resolve_go.
        assert!(strings > 1000 && others > 100, "{strings} {others}");
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
