//! OpenAPI `format` checks for string values, matching what the Kubernetes API server does
//! when it validates a custom resource against its CRD schema.
//!
//! Written from (read for behaviour, not copied):
//! - kubernetes `staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/validation/formats.go`
//!   (`supportedVersionedFormats`: which formats are kept; all others are stripped, i.e. ignored;
//!   `k8s-short-name`/`k8s-long-name` from compatibility version 1.34)
//! - kube-openapi `pkg/validation/strfmt/format.go` (name normalisation: every `-` is removed,
//!   so `date-time` == `datetime`), `default.go`, `bson.go`, `date.go`, `time.go`, `duration.go`,
//!   `kubernetes-extensions.go`; kube-openapi `pkg/validation/validate/formats.go`
//!   (only the registry's validator function decides; values are not otherwise parsed)
//! - kube-openapi's frozen govalidator fork `pkg/internal/third_party/govalidator`
//!   (`validator.go`, `patterns.go`)
//! - k8s.io/utils `internal/third_party/forked/golang/net/ip.go` (`ParseIPSloppy`,
//!   `ParseCIDRSloppy`: Go 1.16 parsing, leading zeros allowed)
//! - Go standard library: `net/netip` (`ParseAddr`, which backs current Go's `net.ParseIP`),
//!   `net.ParseMAC`, `net/url.ParseRequestURI`, `net/mail.ParseAddress`, `mime.WordDecoder`,
//!   `time.Parse("2006-01-02")`, `time.ParseDuration`.
//!
//! Go versions: behaviour follows Go 1.25 (Kubernetes 1.34/1.35), including the CVE-2025-47912
//! fix for bracketed hosts in URLs and without Go 1.26's `urlstrictcolons` host check.
//!
//! Callers: the server applies these only to string values under a schema whose `type` is
//! `string` or absent (apiextensions strips string formats from other types), and it keeps
//! `k8s-short-name` / `k8s-long-name` only at compatibility version >= 1.34.

use regex::Regex;
use std::sync::LazyLock;

/// Formats that the API server validates for strings, as usually written (they are matched
/// after normalisation, without `-`).
/// `password` is in the list but accepts everything. `quantity`, `k8s-ip-sloppy`, `semver`,
/// `int32`, `float`, ... are not in apiextensions' supported list and so are ignored.
pub const CHECKED_FORMATS: &[&str] = &[
    "bsonobjectid",
    "uri",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "cidr",
    "mac",
    "uuid",
    "uuid3",
    "uuid4",
    "uuid5",
    "isbn",
    "isbn10",
    "isbn13",
    "creditcard",
    "ssn",
    "hexcolor",
    "rgbcolor",
    "byte",
    "password",
    "date",
    "duration",
    "date-time",
    "k8s-short-name",
    "k8s-long-name",
];

/// Both apiextensions and strfmt normalise a format name by deleting every `-`
/// (so `date-time`, `k8s-short-name` and even `u-u-i-d` are recognised). Case is kept.
fn normalize(format: &str) -> String {
    format.replace('-', "")
}

/// Whether the API server checks this format at all. Unknown formats are ignored by the server.
pub fn is_checked_format(format: &str) -> bool {
    let bare = |s: &'static str| s.bytes().filter(|b| *b != b'-');
    CHECKED_FORMATS
        .iter()
        .any(|f| bare(f).eq(format.bytes().filter(|b| *b != b'-')))
}

/// Some(true/false) when the server checks `format`; None when it ignores the format.
pub fn check_format(format: &str, value: &str) -> Option<bool> {
    let ok = match normalize(format).as_str() {
        "bsonobjectid" => is_bson_object_id(value),
        "uri" => is_request_uri(value),
        "email" => is_email(value),
        "hostname" => is_hostname(value),
        "ipv4" => is_ipv4(value),
        "ipv6" => is_ipv6(value),
        "cidr" => is_cidr(value),
        "mac" => is_mac(value),
        "uuid" => RX_UUID.is_match(value),
        "uuid3" => RX_UUID3.is_match(value),
        "uuid4" => RX_UUID4.is_match(value),
        "uuid5" => RX_UUID5.is_match(value),
        "isbn" => is_isbn10(value) || is_isbn13(value),
        "isbn10" => is_isbn10(value),
        "isbn13" => is_isbn13(value),
        "creditcard" => is_credit_card(value),
        "ssn" => is_ssn(value),
        "hexcolor" => RX_HEXCOLOR.is_match(value),
        "rgbcolor" => RX_RGBCOLOR.is_match(value),
        "byte" => RX_BASE64.is_match(value),
        "password" => true,
        "date" => is_date(value),
        "duration" => is_duration(value),
        "datetime" => is_date_time(value),
        "k8sshortname" => is_k8s_short_name(value),
        "k8slongname" => is_k8s_long_name(value),
        _ => return None,
    };
    Some(ok)
}

// ---------------------------------------------------------------------------------------------
// Regexes. Go's `\d` and `\s` are ASCII-only (`[0-9]`, `[\t\n\f\r ]`), so they are spelled out.

fn rx(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static regex must compile")
}

// strfmt default.go: hostname. Note the first alternative (no dot): one char, then an optional
// single '-', then up to 62 chars. So a dotless name may only have a hyphen in second position:
// "x-y" and "a-" are valid, "my-host" and "a-b-c" are not (upstream's own tests agree). With
// dots, the last label must be 2..63 letters (no digits, no hyphen).
static RX_HOSTNAME: LazyLock<Regex> = LazyLock::new(|| {
    rx(concat!(
        r"^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|",
        r"([a-zA-Z0-9\p{S}\p{L}](([-a-zA-Z0-9\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}",
        r"([a-zA-Z\p{L}]){2,63})$"
    ))
});
// strfmt default.go: UUIDs, case-insensitive, each dash optional.
static RX_UUID: LazyLock<Regex> = LazyLock::new(|| {
    rx(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
});
static RX_UUID3: LazyLock<Regex> = LazyLock::new(|| {
    rx(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?3[0-9a-fA-F]{3}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
});
static RX_UUID4: LazyLock<Regex> = LazyLock::new(|| {
    rx(
        r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?4[0-9a-fA-F]{3}-?[89abAB][0-9a-fA-F]{3}-?[0-9a-fA-F]{12}$",
    )
});
static RX_UUID5: LazyLock<Regex> = LazyLock::new(|| {
    rx(
        r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?5[0-9a-fA-F]{3}-?[89abAB][0-9a-fA-F]{3}-?[0-9a-fA-F]{12}$",
    )
});
// govalidator patterns.go.
static RX_CREDIT_CARD: LazyLock<Regex> = LazyLock::new(|| {
    rx(concat!(
        r"^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|",
        r"3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35[0-9]{3})[0-9]{11})$"
    ))
});
static RX_ISBN10: LazyLock<Regex> = LazyLock::new(|| rx(r"^(?:[0-9]{9}X|[0-9]{10})$"));
static RX_ISBN13: LazyLock<Regex> = LazyLock::new(|| rx(r"^(?:[0-9]{13})$"));
static RX_HEXCOLOR: LazyLock<Regex> = LazyLock::new(|| rx(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"));
static RX_RGBCOLOR: LazyLock<Regex> = LazyLock::new(|| {
    let n = r"(0|[1-9][0-9]?|1[0-9][0-9]?|2[0-4][0-9]|25[0-5])";
    let s = r"[\t\n\f\r ]*";
    rx(&format!(r"^rgb\({s}{n}{s},{s}{n}{s},{s}{n}{s}\)$"))
});
// govalidator IsBase64: standard alphabet, padding required, at least one quantum
// (so the empty string is NOT valid `byte`).
static RX_BASE64: LazyLock<Regex> = LazyLock::new(|| {
    rx(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$")
});
static RX_SSN: LazyLock<Regex> = LazyLock::new(|| rx(r"^[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{4}$"));
// strfmt time.go: the part after the date; applied to the lower-cased input, `.` is any char.
static RX_DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    rx(r"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$")
});
// strfmt duration.go fallback ("scala style") syntax.
static RX_DURATION_VALIDATOR: LazyLock<Regex> =
    LazyLock::new(|| rx(r"^[\t\n\f\r ]*(?:[0-9]+[\t\n\f\r ]*[A-Za-zµ]+[\t\n\f\r ]*)+$"));
static RX_DURATION_MATCHER: LazyLock<Regex> =
    LazyLock::new(|| rx(r"([0-9]+)[\t\n\f\r ]*([A-Za-zµ]+)"));
// kube-openapi kubernetes-extensions.go.
static RX_K8S_SHORT_NAME: LazyLock<Regex> =
    LazyLock::new(|| rx(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"));
static RX_K8S_LONG_NAME: LazyLock<Regex> =
    LazyLock::new(|| rx(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"));

// ---------------------------------------------------------------------------------------------
// Simple formats.

/// bson.go: `primitive.ObjectIDFromHex`: exactly 24 hex digits, either case.
fn is_bson_object_id(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// default.go `IsHostname`: the regex, at most 255 bytes, each dot-separated label <= 63 bytes.
fn is_hostname(s: &str) -> bool {
    RX_HOSTNAME.is_match(s) && s.len() <= 255 && s.split('.').all(|p| p.len() <= 63)
}

/// govalidator `IsSSN`: exactly 11 bytes, so both separators are required.
fn is_ssn(s: &str) -> bool {
    s.len() == 11 && RX_SSN.is_match(s)
}

/// govalidator `IsCreditCard`: drop every non-digit, match the issuer regex, then Luhn.
fn is_credit_card(s: &str) -> bool {
    let digits: Vec<u8> = s.bytes().filter(u8::is_ascii_digit).collect();
    let Ok(sanitized) = std::str::from_utf8(&digits) else {
        return false;
    };
    if !RX_CREDIT_CARD.is_match(sanitized) {
        return false;
    }
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().map(|b| u32::from(b - b'0')).enumerate() {
        if i % 2 == 1 {
            let x = d * 2;
            sum += if x >= 10 { x % 10 + 1 } else { x };
        } else {
            sum += d;
        }
    }
    sum.is_multiple_of(10)
}

/// govalidator `IsISBN`: spaces (ASCII whitespace) and dashes are removed first.
fn isbn_sanitize(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ' | '-'))
        .collect()
}

fn is_isbn10(s: &str) -> bool {
    let s = isbn_sanitize(s);
    if !RX_ISBN10.is_match(&s) {
        return false;
    }
    let b = s.as_bytes();
    let mut sum: u32 = (0..9)
        .map(|i| (i as u32 + 1) * u32::from(b[i] - b'0'))
        .sum();
    sum += 10
        * if b[9] == b'X' {
            10
        } else {
            u32::from(b[9] - b'0')
        };
    sum.is_multiple_of(11)
}

fn is_isbn13(s: &str) -> bool {
    let s = isbn_sanitize(s);
    if !RX_ISBN13.is_match(&s) {
        return false;
    }
    let b = s.as_bytes();
    let sum: u32 = (0..12)
        .map(|i| if i % 2 == 0 { 1 } else { 3 } * u32::from(b[i] - b'0'))
        .sum();
    u32::from(b[12] - b'0') == (10 - sum % 10) % 10
}

fn is_k8s_short_name(s: &str) -> bool {
    s.len() <= 63 && RX_K8S_SHORT_NAME.is_match(s)
}

fn is_k8s_long_name(s: &str) -> bool {
    s.len() <= 253 && RX_K8S_LONG_NAME.is_match(s)
}

// ---------------------------------------------------------------------------------------------
// date / date-time

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// date.go `IsDate`: Go `time.Parse("2006-01-02", s)`: exactly 4+2+2 digits, month 1..12,
/// day 1..days-in-month (proleptic Gregorian, year 0000 is a leap year).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    (1..=12).contains(&month) && day >= 1 && day <= days_in(month, year)
}

/// time.go `IsDateTime`. This is what the server checks (not `ParseDateTime`'s layouts):
/// lower-case the input, split it on every `t`; the first piece must be a `date`, the second
/// must match `hh:mm:ss(.frac)?(z|±hh:mm)` with hh <= 23, mm <= 59, ss <= 59. Any further
/// pieces (after a second `t`) are ignored, the offset is not range-checked, and the char
/// before the fraction may be anything.
fn is_date_time(s: &str) -> bool {
    if s.len() < 4 {
        return false;
    }
    // Go lower-cases with strings.ToLower; only ASCII letters can become 't' or 'z', and every
    // other rune stays a single rune, so ASCII lower-casing gives the same split and match.
    let lower = s.to_ascii_lowercase();
    let mut parts = lower.split('t');
    let (Some(date), Some(time)) = (parts.next(), parts.next()) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let Some(c) = RX_DATE_TIME.captures(time) else {
        return false;
    };
    &c[1] <= "23" && &c[2] <= "59" && &c[3] <= "59"
}

// ---------------------------------------------------------------------------------------------
// duration

/// duration.go `ParseDuration`: Go's `time.ParseDuration`, else the fallback syntax
/// `<int> <unit>` repeated, where units may be spelled out (`d`, `day(s)`, `w`, `wk`,
/// `week(s)`, `hr`, `hours`, `min(utes)`, `sec(onds)`, ...). In the fallback, unknown units are
/// skipped as long as at least one unit is known, and a number beyond int64 fails.
fn is_duration(s: &str) -> bool {
    go_parse_duration(s) || scala_duration(s)
}

fn scala_duration(s: &str) -> bool {
    const UNITS: &[&[&str]] = &[
        &["ns", "nano"],
        &["us", "µs", "micro"],
        &["ms", "milli"],
        &["s", "sec"],
        &["m", "min"],
        &["h", "hr", "hour"],
        &["d", "day"],
        &["w", "wk", "week"],
    ];
    if !RX_DURATION_VALIDATOR.is_match(s) {
        return false;
    }
    let mut ok = false;
    for caps in RX_DURATION_MATCHER.captures_iter(s) {
        // strconv.Atoi: the whole number must fit an int64, else the duration is rejected.
        if caps[1].parse::<i64>().is_err() {
            return false;
        }
        let unit = caps[2].to_lowercase();
        for variants in UNITS {
            let last = variants.len() - 1;
            for (i, v) in variants.iter().enumerate() {
                // The last spelling of each unit also matches as a prefix ("days", "minutes").
                if (i == last && unit.starts_with(v)) || unit == *v {
                    ok = true;
                }
            }
        }
    }
    ok
}

const NS_OVERFLOW: u64 = 1 << 63;

/// Go `time.ParseDuration`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, units ns us µs μs ms s m h,
/// a bare "0" allowed, range-checked against int64 nanoseconds.
fn go_parse_duration(input: &str) -> bool {
    let mut s = input.as_bytes();
    let mut neg = false;
    if let Some(&c) = s.first()
        && (c == b'-' || c == b'+')
    {
        neg = c == b'-';
        s = &s[1..];
    }
    if s == b"0" {
        return true;
    }
    if s.is_empty() {
        return false;
    }
    let mut d: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return false;
        }
        let before = s.len();
        let Some((mut v, rest)) = leading_int(s) else {
            return false;
        };
        s = rest;
        let pre = before != s.len();
        let mut post = false;
        let (mut f, mut scale) = (0u64, 1f64);
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let before = s.len();
            let (ff, sc, rest) = leading_fraction(s);
            (f, scale, s) = (ff, sc, rest);
            post = before != s.len();
        }
        if !pre && !post {
            return false;
        }
        let i = s
            .iter()
            .position(|&c| c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if i == 0 {
            return false;
        }
        let unit: u64 = match &s[..i] {
            b"ns" => 1,
            b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => 1_000,
            b"ms" => 1_000_000,
            b"s" => 1_000_000_000,
            b"m" => 60_000_000_000,
            b"h" => 3_600_000_000_000,
            _ => return false,
        };
        s = &s[i..];
        if v > NS_OVERFLOW / unit {
            return false;
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > NS_OVERFLOW {
                return false;
            }
        }
        // Go adds in uint64 and so wraps silently when two 2^63 terms meet; mirror that.
        d = d.wrapping_add(v);
        if d > NS_OVERFLOW {
            return false;
        }
    }
    neg || d < NS_OVERFLOW
}

fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let mut x: u64 = 0;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        if x > NS_OVERFLOW / 10 {
            return None;
        }
        x = x * 10 + u64::from(s[i] - b'0');
        if x > NS_OVERFLOW {
            return None;
        }
        i += 1;
    }
    Some((x, &s[i..]))
}

fn leading_fraction(s: &[u8]) -> (u64, f64, &[u8]) {
    let (mut x, mut scale, mut overflow) = (0u64, 1f64, false);
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        if !overflow {
            if x > (NS_OVERFLOW - 1) / 10 {
                overflow = true;
            } else {
                let y = x * 10 + u64::from(s[i] - b'0');
                if y > NS_OVERFLOW {
                    overflow = true;
                } else {
                    x = y;
                    scale *= 10.0;
                }
            }
        }
        i += 1;
    }
    (x, scale, &s[i..])
}

// ---------------------------------------------------------------------------------------------
// IP addresses, CIDR, MAC

/// `ipv4`: `netutils.ParseIPSloppy(s) != nil && contains '.'`. Sloppy = Go 1.16 parsing
/// (leading zeros allowed: "010.001.1.1"); "::ffff:1.2.3.4" is therefore also a valid ipv4.
fn is_ipv4(s: &str) -> bool {
    parse_ip_sloppy(s.as_bytes()) && s.contains('.')
}

/// `ipv6`: govalidator `IsIPv6` = modern `net.ParseIP(s) != nil && contains ':'`
/// (strict: no leading zeros in embedded IPv4, at most 4 hex digits per group, no zone).
fn is_ipv6(s: &str) -> bool {
    matches!(netip_parse_addr(s.as_bytes()), Some(a) if !a.zone) && s.contains(':')
}

/// `cidr`: `netutils.ParseCIDRSloppy` (Go 1.16 rules; the address need not be the network).
fn is_cidr(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(slash) = b.iter().position(|&c| c == b'/') else {
        return false;
    };
    let (addr, mask) = (&b[..slash], &b[slash + 1..]);
    let bits = if sloppy_ipv4(addr) {
        32
    } else if sloppy_ipv6(addr) {
        128
    } else {
        return false;
    };
    matches!(go_dtoi(mask), Some((n, used)) if used == mask.len() && n <= bits)
}

/// Go `net.ParseMAC`: 6, 8 or 20 octets as `xx:xx:..`, `xx-xx-..` or `xxxx.xxxx.xxxx`.
fn is_mac(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 14 {
        return false;
    }
    let hex2 = |x: &[u8]| x.len() >= 2 && x[0].is_ascii_hexdigit() && x[1].is_ascii_hexdigit();
    if b[2] == b':' || b[2] == b'-' {
        if !(b.len() + 1).is_multiple_of(3) {
            return false;
        }
        let n = (b.len() + 1) / 3;
        if n != 6 && n != 8 && n != 20 {
            return false;
        }
        let sep = b[2];
        (0..n).all(|i| {
            let x = &b[i * 3..];
            hex2(x) && (x.len() == 2 || x[2] == sep)
        })
    } else if b[4] == b'.' {
        if !(b.len() + 1).is_multiple_of(5) {
            return false;
        }
        let n = 2 * (b.len() + 1) / 5;
        if n != 6 && n != 8 && n != 20 {
            return false;
        }
        (0..n / 2).all(|i| {
            let x = &b[i * 5..];
            hex2(x) && hex2(&x[2..]) && (x.len() == 4 || x[4] == b'.')
        })
    } else {
        false
    }
}

const GO_BIG: u32 = 0xFF_FFFF;

/// Go net `dtoi`: decimal prefix; fails on no digits or value >= 0xFFFFFF.
fn go_dtoi(s: &[u8]) -> Option<(u32, usize)> {
    let mut n: u32 = 0;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        n = n * 10 + u32::from(s[i] - b'0');
        if n >= GO_BIG {
            return None;
        }
        i += 1;
    }
    (i > 0).then_some((n, i))
}

/// Go net `xtoi`: hex prefix; fails on no digits or value >= 0xFFFFFF.
fn go_xtoi(s: &[u8]) -> Option<(u32, usize)> {
    let mut n: u32 = 0;
    let mut i = 0;
    while i < s.len() {
        let Some(d) = char::from(s[i]).to_digit(16) else {
            break;
        };
        n = n * 16 + d;
        if n >= GO_BIG {
            return None;
        }
        i += 1;
    }
    (i > 0).then_some((n, i))
}

/// k8s.io/utils forked Go 1.16 `ParseIP`: the first '.' or ':' picks the family.
fn parse_ip_sloppy(s: &[u8]) -> bool {
    match s.iter().find(|&&c| c == b'.' || c == b':') {
        Some(b'.') => sloppy_ipv4(s),
        Some(_) => sloppy_ipv6(s),
        None => false,
    }
}

fn sloppy_ipv4(mut s: &[u8]) -> bool {
    for i in 0..4 {
        if s.is_empty() {
            return false;
        }
        if i > 0 {
            if s[0] != b'.' {
                return false;
            }
            s = &s[1..];
        }
        match go_dtoi(s) {
            Some((n, c)) if n <= 0xFF => s = &s[c..],
            _ => return false,
        }
    }
    s.is_empty()
}

fn sloppy_ipv6(mut s: &[u8]) -> bool {
    let mut ellipsis = false;
    if s.starts_with(b"::") {
        ellipsis = true;
        s = &s[2..];
        if s.is_empty() {
            return true;
        }
    }
    let mut i = 0; // bytes of the 16-byte address filled so far
    while i < 16 {
        let Some((n, c)) = go_xtoi(s) else {
            return false;
        };
        if n > 0xFFFF {
            return false;
        }
        if c < s.len() && s[c] == b'.' {
            if (!ellipsis && i != 12) || i + 4 > 16 || !sloppy_ipv4(s) {
                return false;
            }
            s = &[];
            i += 4;
            break;
        }
        i += 2;
        s = &s[c..];
        if s.is_empty() {
            break;
        }
        if s[0] != b':' || s.len() == 1 {
            return false;
        }
        s = &s[1..];
        if s[0] == b':' {
            if ellipsis {
                return false;
            }
            ellipsis = true;
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return false;
    }
    // Without "::" all 16 bytes must be given; with it, "::" must stand for >= 1 zero group.
    if i < 16 { ellipsis } else { !ellipsis }
}

/// Result of Go `netip.ParseAddr` (only what the callers need).
#[derive(Clone, Copy)]
struct NetipAddr {
    is4: bool,
    zone: bool,
}

/// Go `netip.ParseAddr` (strict; IPv6 may carry a `%zone`).
fn netip_parse_addr(s: &[u8]) -> Option<NetipAddr> {
    for &c in s {
        match c {
            b'.' => {
                return netip_ipv4(s).then_some(NetipAddr {
                    is4: true,
                    zone: false,
                });
            }
            b':' => return netip_ipv6(s),
            b'%' => return None,
            _ => {}
        }
    }
    None
}

/// `parseIPv4Fields`: four decimal fields 0..=255 without leading zeros.
fn netip_ipv4(s: &[u8]) -> bool {
    let (mut val, mut dots, mut digits) = (0u32, 0, 0);
    for (i, &c) in s.iter().enumerate() {
        if c.is_ascii_digit() {
            if digits == 1 && val == 0 {
                return false; // leading zero
            }
            val = val * 10 + u32::from(c - b'0');
            digits += 1;
            if val > 255 {
                return false;
            }
        } else if c == b'.' {
            if i == 0 || i == s.len() - 1 || s[i - 1] == b'.' || dots == 3 {
                return false;
            }
            dots += 1;
            val = 0;
            digits = 0;
        } else {
            return false;
        }
    }
    dots == 3
}

fn netip_ipv6(input: &[u8]) -> Option<NetipAddr> {
    let (mut s, zone) = match input.iter().position(|&c| c == b'%') {
        Some(i) if i + 1 == input.len() => return None, // empty zone
        Some(i) => (&input[..i], true),
        None => (input, false),
    };
    let addr = NetipAddr { is4: false, zone };
    let mut ellipsis = false;
    if s.starts_with(b"::") {
        ellipsis = true;
        s = &s[2..];
        if s.is_empty() {
            return Some(addr);
        }
    }
    let mut i = 0; // bytes of the 16-byte address filled so far
    while i < 16 {
        let mut off = 0;
        let mut acc: u32 = 0;
        while off < s.len() {
            let Some(d) = char::from(s[off]).to_digit(16) else {
                break;
            };
            acc = (acc << 4) + d;
            if off > 3 || acc > 0xFFFF {
                return None; // more than 4 hex digits in a group
            }
            off += 1;
        }
        if off == 0 {
            return None;
        }
        if off < s.len() && s[off] == b'.' {
            if (!ellipsis && i != 12) || i + 4 > 16 || !netip_ipv4(s) {
                return None;
            }
            s = &[];
            i += 4;
            break;
        }
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if s[0] != b':' || s.len() == 1 {
            return None;
        }
        s = &s[1..];
        if s[0] == b':' {
            if ellipsis {
                return None;
            }
            ellipsis = true;
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    // Without "::" all 16 bytes must be given; with it, "::" must stand for >= 1 zero group.
    let complete = if i < 16 { ellipsis } else { !ellipsis };
    (s.is_empty() && complete).then_some(addr)
}

/// Modern Go `net.ParseIP` (netip-based; zones rejected).
fn go_parse_ip(s: &[u8]) -> Option<NetipAddr> {
    netip_parse_addr(s).filter(|a| !a.zone)
}

// ---------------------------------------------------------------------------------------------
// uri: Go `url.ParseRequestURI` (govalidator IsRequestURI). Note: no fragment splitting, so
// '#' is just a path/query byte, but it is rejected inside a host.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Escape {
    Path,
    Host,
    Zone,
    UserPassword,
}

fn url_should_escape(c: u8, mode: Escape) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Escape::Host | Escape::Zone)
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Escape::Path => c == b'?',
            Escape::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
            Escape::Host | Escape::Zone => true,
        },
        _ => true,
    }
}

/// Go `url.unescape`: validates `%XX` escapes (and, for hosts, the allowed characters) and
/// returns the decoded bytes.
fn url_unescape(s: &[u8], mode: Escape) -> Option<Vec<u8>> {
    let hex = |c: u8| char::from(c).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == b'%' {
            if i + 2 >= s.len() {
                return None;
            }
            let (hi, lo) = (hex(s[i + 1])?, hex(s[i + 2])?);
            let is25 = &s[i..i + 3] == b"%25";
            // In a host, %-escapes may only encode non-ASCII bytes (or be %25).
            if mode == Escape::Host && hi < 8 && !is25 {
                return None;
            }
            let v = (hi << 4) | lo;
            if mode == Escape::Zone && !is25 && v != b' ' && url_should_escape(v, Escape::Host) {
                return None;
            }
            out.push(v);
            i += 3;
        } else {
            if matches!(mode, Escape::Host | Escape::Zone) && c < 0x80 && url_should_escape(c, mode)
            {
                return None;
            }
            out.push(c);
            i += 1;
        }
    }
    Some(out)
}

fn valid_optional_port(port: &[u8]) -> bool {
    match port.split_first() {
        None => true,
        Some((&b':', digits)) => digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

fn find_sub(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn url_parse_host(host: &[u8]) -> bool {
    if let Some(open) = host.iter().rposition(|&c| c == b'[') {
        // Since the CVE-2025-47912 fix only an IPv6 literal may be bracketed, and only at the start.
        if open > 0 {
            return false;
        }
        let Some(close) = host.iter().rposition(|&c| c == b']') else {
            return false;
        };
        if !valid_optional_port(&host[close + 1..]) {
            return false;
        }
        let hostname = &host[1..close];
        let unescaped = match find_sub(hostname, b"%25") {
            Some(z) => {
                let Some(mut h) = url_unescape(&hostname[..z], Escape::Host) else {
                    return false;
                };
                let Some(zone) = url_unescape(&hostname[z..], Escape::Zone) else {
                    return false;
                };
                h.extend(zone);
                h
            }
            None => match url_unescape(hostname, Escape::Host) {
                Some(h) => h,
                None => return false,
            },
        };
        return matches!(netip_parse_addr(&unescaped), Some(a) if !a.is4);
    }
    // Go <= 1.25 (and urlstrictcolons=0): only the text after the LAST colon must be a port.
    if let Some(i) = host.iter().rposition(|&c| c == b':')
        && !valid_optional_port(&host[i..])
    {
        return false;
    }
    url_unescape(host, Escape::Host).is_some()
}

fn url_parse_authority(authority: &[u8]) -> bool {
    let at = authority.iter().rposition(|&c| c == b'@');
    let host = at.map_or(authority, |i| &authority[i + 1..]);
    if !url_parse_host(host) {
        return false;
    }
    let Some(i) = at else {
        return true;
    };
    let userinfo = &authority[..i];
    let valid_chars = userinfo.iter().all(|&c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'.'
                    | b'_'
                    | b':'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'%'
                    | b'@'
            )
    });
    valid_chars
        && userinfo
            .split(|&c| c == b':')
            .all(|part| url_unescape(part, Escape::UserPassword).is_some())
}

fn is_request_uri(raw: &str) -> bool {
    let b = raw.as_bytes();
    if b.iter().any(|&c| c < 0x20 || c == 0x7f) || b.is_empty() {
        return false;
    }
    if b == b"*" {
        return true;
    }
    // getScheme: letters, then letters/digits/+-. up to ':'; a leading ':' is an error.
    let mut scheme_len = 0;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return false,
            b':' => {
                scheme_len = i;
                break;
            }
            _ => break,
        }
    }
    let mut rest = if scheme_len > 0 {
        &b[scheme_len + 1..]
    } else {
        b
    };
    let question_marks = rest.iter().filter(|&&c| c == b'?').count();
    if rest.ends_with(b"?") && question_marks == 1 {
        rest = &rest[..rest.len() - 1];
    } else if let Some(q) = rest.iter().position(|&c| c == b'?') {
        rest = &rest[..q];
    }
    if !rest.starts_with(b"/") {
        // With a scheme, a rootless remainder is an unchecked opaque part; without one,
        // ParseRequestURI fails.
        return scheme_len > 0;
    }
    let mut path = rest;
    if scheme_len > 0 && rest.starts_with(b"//") {
        let after = &rest[2..];
        let slash = after.iter().position(|&c| c == b'/').unwrap_or(after.len());
        if !url_parse_authority(&after[..slash]) {
            return false;
        }
        path = &after[slash..];
    }
    url_unescape(path, Escape::Path).is_some()
}

// ---------------------------------------------------------------------------------------------
// email: strfmt `IsEmail` = Go `net/mail.ParseAddress(s)` succeeds. Accepts display names,
// angle addresses, comments, quoted local parts, single-address groups ("g: a@b;"), unicode,
// dotless domains, and IP domain literals.

fn mail_is_vchar(r: char) -> bool {
    ('!'..='~').contains(&r) || (r as u32) >= 0x80
}

fn mail_is_wsp(r: char) -> bool {
    r == ' ' || r == '\t'
}

fn mail_is_atext(r: char, dot: bool) -> bool {
    match r {
        '.' => dot,
        '(' | ')' | '<' | '>' | '[' | ']' | ':' | ';' | '@' | '\\' | ',' | '"' => false,
        _ => mail_is_vchar(r),
    }
}

/// Decodes one rune like Go's utf8.DecodeRuneInString; None on invalid bytes (RuneError).
fn decode_rune(s: &[u8]) -> Option<(char, usize)> {
    let len = match *s.first()? {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return None,
    };
    let c = std::str::from_utf8(s.get(..len)?).ok()?.chars().next()?;
    Some((c, len))
}

struct MailParser<'a> {
    s: &'a [u8],
}

type MailResult<T> = Result<T, ()>;

impl<'a> MailParser<'a> {
    fn empty(&self) -> bool {
        self.s.is_empty()
    }

    fn peek(&self) -> Option<u8> {
        self.s.first().copied()
    }

    fn consume(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.s = &self.s[1..];
            true
        } else {
            false
        }
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.s = &self.s[1..];
        }
    }

    fn skip_cfws(&mut self) -> bool {
        self.skip_space();
        while self.consume(b'(') {
            if self.consume_comment().is_none() {
                return false;
            }
            self.skip_space();
        }
        true
    }

    /// After '(' was consumed: nested, backslash-escaped comment text up to the matching ')'.
    fn consume_comment(&mut self) -> Option<Vec<u8>> {
        let mut depth = 1;
        let mut comment = Vec::new();
        while !self.empty() && depth > 0 {
            if self.s[0] == b'\\' && self.s.len() > 1 {
                self.s = &self.s[1..];
            } else if self.s[0] == b'(' {
                depth += 1;
            } else if self.s[0] == b')' {
                depth -= 1;
            }
            if depth > 0 {
                comment.push(self.s[0]);
            }
            self.s = &self.s[1..];
        }
        (depth == 0).then_some(comment)
    }

    /// `parseSingleAddress`: exactly one address and nothing but CFWS after it.
    fn parse_single_address(&mut self) -> bool {
        let Ok(n) = self.parse_address(true) else {
            return false;
        };
        self.skip_cfws() && self.empty() && n == 1
    }

    /// Returns how many addresses were parsed (a group may hold zero or several).
    fn parse_address(&mut self, handle_group: bool) -> MailResult<usize> {
        self.skip_space();
        if self.empty() {
            return Err(());
        }
        // addr-spec is tried first; on failure the parser is rewound.
        if self.consume_addr_spec().is_ok() {
            self.skip_space();
            if self.peek() == Some(b'(') {
                self.consume_display_name_comment()?;
            }
            return Ok(1);
        }
        if self.peek() != Some(b'<') {
            self.consume_phrase()?;
        }
        self.skip_space();
        if handle_group && self.consume(b':') {
            return self.consume_group_list();
        }
        if !self.consume(b'<') {
            return Err(());
        }
        self.consume_addr_spec()?;
        if !self.consume(b'>') {
            return Err(());
        }
        Ok(1)
    }

    fn consume_group_list(&mut self) -> MailResult<usize> {
        self.skip_space();
        if self.consume(b';') {
            return if self.skip_cfws() { Ok(0) } else { Err(()) };
        }
        let mut count = 0;
        loop {
            self.skip_space();
            count += self.parse_address(false)?;
            if !self.skip_cfws() {
                return Err(());
            }
            if self.consume(b';') {
                return if self.skip_cfws() { Ok(count) } else { Err(()) };
            }
            if !self.consume(b',') {
                return Err(());
            }
        }
    }

    fn consume_addr_spec(&mut self) -> MailResult<()> {
        let orig = self.s;
        let r = self.consume_addr_spec_inner();
        if r.is_err() {
            self.s = orig;
        }
        r
    }

    fn consume_addr_spec_inner(&mut self) -> MailResult<()> {
        self.skip_space();
        match self.peek() {
            None => return Err(()),
            Some(b'"') => {
                if self.consume_quoted_string()? == 0 {
                    return Err(()); // empty quoted local part
                }
            }
            Some(_) => {
                self.consume_atom(true, false)?;
            }
        }
        if !self.consume(b'@') {
            return Err(());
        }
        // Go skips spaces after '@' (but not before it).
        self.skip_space();
        match self.peek() {
            None => Err(()),
            Some(b'[') => self.consume_domain_literal(),
            Some(_) => self.consume_atom(true, false).map(|_| ()),
        }
    }

    /// Words of a display name. Errors after at least one word are ignored (the parser is
    /// left where the failing word stopped).
    fn consume_phrase(&mut self) -> MailResult<()> {
        let mut words = 0;
        loop {
            if words > 0 && !self.skip_cfws() {
                return Err(());
            }
            self.skip_space();
            if self.empty() {
                break;
            }
            let r = if self.peek() == Some(b'"') {
                self.consume_quoted_string().map(|_| ())
            } else {
                self.consume_atom(true, true).and_then(decode_rfc2047_word)
            };
            if r.is_err() {
                return if words == 0 { Err(()) } else { Ok(()) };
            }
            words += 1;
        }
        Ok(())
    }

    /// Returns the number of runes in the unquoted string.
    fn consume_quoted_string(&mut self) -> MailResult<usize> {
        let mut i = 1;
        let mut runes = 0;
        let mut escaped = false;
        loop {
            if i >= self.s.len() {
                return Err(()); // unclosed
            }
            let (r, size) = decode_rune(&self.s[i..]).ok_or(())?;
            if escaped {
                if !mail_is_vchar(r) && !mail_is_wsp(r) {
                    return Err(());
                }
                runes += 1;
                escaped = false;
            } else if (mail_is_vchar(r) && r != '\\' && r != '"') || mail_is_wsp(r) {
                runes += 1;
            } else if r == '"' {
                break;
            } else if r == '\\' {
                escaped = true;
            } else {
                return Err(());
            }
            i += size;
        }
        self.s = &self.s[i + 1..];
        Ok(runes)
    }

    fn consume_atom(&mut self, dot: bool, permissive: bool) -> MailResult<&'a [u8]> {
        let mut i = 0;
        while i < self.s.len() {
            let (r, size) = decode_rune(&self.s[i..]).ok_or(())?;
            if !mail_is_atext(r, dot) {
                break;
            }
            i += size;
        }
        if i == 0 {
            return Err(());
        }
        let atom = &self.s[..i];
        self.s = &self.s[i..];
        if !permissive
            && (atom.starts_with(b".")
                || atom.ends_with(b".")
                || atom.windows(2).any(|w| w == b".."))
        {
            return Err(());
        }
        Ok(atom)
    }

    /// `[dtext]` that must be an IP address. Go 1.25 accepts any `net.ParseIP` result here
    /// (so `[::1]` is fine but `[IPv6:::1]` is not).
    fn consume_domain_literal(&mut self) -> MailResult<()> {
        if !self.consume(b'[') {
            return Err(());
        }
        let start = self.s;
        let mut len = 0;
        loop {
            match self.s.first() {
                None => return Err(()),
                Some(b']') => break,
                Some(_) => {}
            }
            let (r, size) = decode_rune(self.s).ok_or(())?;
            if r == '[' || r == ']' || r == '\\' || !mail_is_vchar(r) {
                return Err(());
            }
            len += size;
            self.s = &self.s[size..];
        }
        self.consume(b']');
        go_parse_ip(&start[..len]).map(|_| ()).ok_or(())
    }

    fn consume_display_name_comment(&mut self) -> MailResult<()> {
        if !self.consume(b'(') {
            return Err(());
        }
        let comment = self.consume_comment().ok_or(())?;
        comment
            .split(|&c| c == b' ' || c == b'\t')
            .filter(|w| !w.is_empty())
            .try_for_each(decode_rfc2047_word)
    }
}

fn is_email(s: &str) -> bool {
    MailParser { s: s.as_bytes() }.parse_single_address()
}

/// `decodeRFC2047Word`: only fails for a well-formed encoded word (`=?cs?B|Q?text?=`) whose
/// text decodes but whose charset is not utf-8 / iso-8859-1 / us-ascii.
fn decode_rfc2047_word(word: &[u8]) -> MailResult<()> {
    if word.len() < 8
        || !word.starts_with(b"=?")
        || !word.ends_with(b"?=")
        || word.iter().filter(|&&c| c == b'?').count() != 4
    {
        return Ok(());
    }
    let inner = &word[2..word.len() - 2];
    let mut parts = inner.splitn(3, |&c| c == b'?');
    let (Some(charset), Some(encoding), Some(text)) = (parts.next(), parts.next(), parts.next())
    else {
        return Ok(());
    };
    if charset.is_empty() || encoding.len() != 1 {
        return Ok(());
    }
    let decodes = match encoding[0] {
        b'B' | b'b' => go_std_base64_valid(text),
        b'Q' | b'q' => q_decode_valid(text),
        _ => false,
    };
    if !decodes {
        return Ok(()); // invalid encoded words are ignored
    }
    let known = ["utf-8", "iso-8859-1", "us-ascii"]
        .iter()
        .any(|k| go_equal_fold_ascii(k, charset));
    if known { Ok(()) } else { Err(()) }
}

/// Go `strings.EqualFold(target, s)` for an ASCII lower-case `target`. Besides ASCII case,
/// Unicode simple folding maps U+017F (long s) to 's' and U+212A (Kelvin) to 'k'.
fn go_equal_fold_ascii(target: &str, s: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(s) else {
        return false;
    };
    let folded = s.chars().map(|c| match c {
        '\u{17f}' => 's',
        '\u{212a}' => 'k',
        c => c.to_ascii_lowercase(),
    });
    folded.eq(target.chars())
}

/// Go `base64.StdEncoding.DecodeString` succeeds: '\r'/'\n' are ignored, padding is required,
/// nothing may follow the padding; non-zero trailing bits are tolerated.
fn go_std_base64_valid(text: &[u8]) -> bool {
    let t: Vec<u8> = text
        .iter()
        .copied()
        .filter(|&c| c != b'\r' && c != b'\n')
        .collect();
    if !t.len().is_multiple_of(4) {
        return false;
    }
    // With the length a multiple of 4, "xx==" / "xxx=" are the only legal paddings.
    let data = if t.ends_with(b"==") {
        &t[..t.len() - 2]
    } else if t.ends_with(b"=") {
        &t[..t.len() - 1]
    } else {
        &t[..]
    };
    data.iter()
        .all(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
}

/// mime `qDecode` succeeds.
fn q_decode_valid(text: &[u8]) -> bool {
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'=' => {
                if i + 2 >= text.len()
                    || !text[i + 1].is_ascii_hexdigit()
                    || !text[i + 2].is_ascii_hexdigit()
                {
                    return false;
                }
                i += 2;
            }
            b'_' | b' '..=b'~' | b'\n' | b'\r' | b'\t' => {}
            _ => return false,
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(format: &str, values: &[&str]) {
        for v in values {
            assert_eq!(
                check_format(format, v),
                Some(true),
                "{format}: expected {v:?} to be valid"
            );
        }
    }

    fn bad(format: &str, values: &[&str]) {
        for v in values {
            assert_eq!(
                check_format(format, v),
                Some(false),
                "{format}: expected {v:?} to be invalid"
            );
        }
    }

    #[test]
    fn registry_and_normalisation() {
        for f in [
            "bsonobjectid",
            "uri",
            "email",
            "hostname",
            "ipv4",
            "ipv6",
            "cidr",
            "mac",
            "uuid",
            "uuid3",
            "uuid4",
            "uuid5",
            "isbn",
            "isbn10",
            "isbn13",
            "creditcard",
            "ssn",
            "hexcolor",
            "rgbcolor",
            "byte",
            "password",
            "date",
            "duration",
            "datetime",
            "date-time",
            "k8s-short-name",
            "k8s-long-name",
            "k8sshortname",
            "u-u-i-d",
            "bson-object-id",
        ] {
            assert!(is_checked_format(f), "{f} should be checked");
        }
        for f in [
            "",
            "int32",
            "int64",
            "float",
            "double",
            "quantity",
            "k8s-ip-sloppy",
            "semver",
            "UUID",
            "Date-Time",
            "uri-reference",
            "ipv4 ",
            "idn-email",
            "regex",
            "time",
        ] {
            assert!(!is_checked_format(f), "{f} should be ignored");
        }
    }

    #[test]
    fn ignored_formats_return_none() {
        assert_eq!(check_format("int32", "not a number"), None);
        assert_eq!(check_format("int64", "x"), None);
        assert_eq!(check_format("float", "x"), None);
        assert_eq!(check_format("double", "x"), None);
        assert_eq!(check_format("quantity", "10Gi"), None);
        assert_eq!(check_format("k8s-ip-sloppy", "1.2.3.4"), None);
        assert_eq!(check_format("no-such-format", ""), None);
        assert_eq!(check_format("UUID", "nope"), None);
    }

    #[test]
    fn dashes_are_removed_from_names() {
        assert_eq!(
            check_format("date-time", "2006-01-02T15:04:05Z"),
            Some(true)
        );
        assert_eq!(check_format("datetime", "2006-01-02T15:04:05Z"), Some(true));
        assert_eq!(check_format("date-time", "2006-01-02"), Some(false));
        assert_eq!(check_format("u-u-i-d", "not-a-uuid"), Some(false));
        assert_eq!(check_format("k8s-shortname", "UPPER"), Some(false));
        assert_eq!(check_format("k8sshortname", "lower"), Some(true));
    }

    #[test]
    fn password_always_valid() {
        ok("password", &["", "hunter2", " \n\t", "ünïcödé"]);
    }

    #[test]
    fn bsonobjectid() {
        ok(
            "bsonobjectid",
            &[
                "507f1f77bcf86cd799439011",
                "507F1F77BCF86CD799439011",
                "000000000000000000000000",
            ],
        );
        bad(
            "bsonobjectid",
            &[
                "",
                "507f1f77bcf86cd79943901",
                "507f1f77bcf86cd7994390111",
                "507f1f77bcf86cd79943901g",
                " 507f1f77bcf86cd79943901",
                "507f1f77-bcf86cd799439011",
            ],
        );
    }

    #[test]
    fn uri() {
        ok(
            "uri",
            &[
                "http://example.com",
                "https://example.com/path?q=1#frag",
                "HTTPS://EXAMPLE.COM/",
                "/absolute/path",
                "//no-scheme-is-a-path",
                "*",
                "mailto:user@example.com",
                "urn:isbn:0451450523",
                "foo:opaque part with spaces",
                "http:",
                "http://",
                "http://[::1]:8080/",
                "http://[::ffff:1.2.3.4]/",
                "http://[fe80::1%25en0]/x",
                "http://user:pa%20ss@host/",
                "http://user@host:8080",
                "ftp://ftp.example.com:21/file.txt",
                "http://example.com:/",
                "http://host?",
                "http://example.com/%E2%82%AC",
                "http://a:b:80/",
                "http://ex!$&'()*+,;=ample.com/",
                "http://bücher.example/",
                "/path#fragment with space",
            ],
        );
        bad(
            "uri",
            &[
                "",
                "example.com",
                "relative/path",
                "#frag",
                "?q=1",
                "://x",
                ":foo",
                "http://exa mple.com/",
                "http://example.com/%zz",
                "http://example.com/%4",
                "/bad%",
                "/path\n",
                "/tab\there",
                "http://host:port/",
                "http://[::1/",
                "http://[1.2.3.4]/",
                "http://[foo]/",
                "http://[fe80::1%25]/",
                "http://a[::1]/",
                "http://host#frag",
                "http://h%41st/",
                "http://us er@host/",
                "http://ü@host/",
                "http://a%zz@host/",
                "http://host{}/",
            ],
        );
    }

    #[test]
    fn email() {
        ok(
            "email",
            &[
                "user@example.com",
                "a@b",
                "first.last+tag@sub.example.co.uk",
                "John Doe <john@example.com>",
                "<a@b.c>",
                "< a@b.c>",
                "\"Quoted Name\" <a@b.c>",
                "\"john doe\"@example.com",
                "\"a\\\"b\"@example.com",
                "user@[192.168.0.1]",
                "user@[::1]",
                "user@example.com (comment)",
                "user@example.com (nested (comment))",
                "  user@example.com  ",
                "a@ b.c",
                "Group: a@b.c;",
                "用户@例子.广告",
                "Jörg <j@example.com>",
                "=?utf-8?q?J=C3=B6rg?= <j@example.com>",
                "=?ISO-8859-1?B?SvZyZw==?= <j@example.com>",
                "John =?x-unknown?q?abc?= <a@b.c>",
                "!#$%&'*+-/=?^_`{|}~@example.com",
            ],
        );
        bad(
            "email",
            &[
                "",
                "   ",
                "plainaddress",
                "@example.com",
                "user@",
                "user@.com",
                "user@com.",
                "user..name@example.com",
                ".user@example.com",
                "user.@example.com",
                "user @example.com",
                "user@exa mple.com",
                "a@b@c",
                "a b@c.d",
                "John Doe",
                "John Doe <john@example.com",
                "John Doe john@example.com>",
                "Group: a@b.c, d@e.f;",
                "Group:;",
                "Group: a@b.c",
                "a@b.c, d@e.f",
                "user@[1.2.3]",
                "user@[IPv6:::1]",
                "user@[example.com]",
                "user@example.com (unclosed",
                "\"\"@example.com",
                "\"unclosed@example.com",
                "=?x-unknown?q?abc?= <a@b.c>",
                "a@b.c (=?x-unknown?q?abc?=)",
                "a@b.c\n",
                "user(comment)@example.com",
            ],
        );
    }

    #[test]
    fn hostname() {
        let four_labels = vec!["a".repeat(63); 4].join(".");
        let long_total = format!("{four_labels}.com");
        let max_single = "a".repeat(63);
        let too_long_single = "a".repeat(64);
        let multibyte_label = format!("{}.com", "é".repeat(63));
        let sixty_three_label = format!("{}.com", "a".repeat(63));
        ok(
            "hostname",
            &[
                "example.com",
                "localhost",
                "a",
                "123",
                "x-y",
                "m-yhost",
                "a-",
                "xn--80ak6aa92e.com",
                "sub.domain.example.org",
                "1.example.com",
                "example.london",
                "例子.广告",
                "☃.com",
                "EXAMPLE.COM",
                &max_single,
                &sixty_three_label,
            ],
        );
        bad(
            "hostname",
            &[
                "",
                "a-b-c",
                "my-host",
                "-example.com",
                "example-.com",
                "example.c",
                "example.123",
                "example.c0m",
                "example.com.",
                "exa_mple.com",
                "example..com",
                ".example.com",
                "a.b-c",
                "host name",
                "1.2.3.4",
                &too_long_single,
                &long_total,
                &multibyte_label,
            ],
        );
    }

    #[test]
    fn ipv4() {
        ok(
            "ipv4",
            &[
                "192.168.0.1",
                "0.0.0.0",
                "255.255.255.255",
                "010.001.001.001",
                "1.2.3.04",
                "0000000001.1.1.1",
                "::ffff:1.2.3.4",
                "::1.2.3.4",
            ],
        );
        bad(
            "ipv4",
            &[
                "",
                "256.1.1.1",
                "1.2.3.0256",
                "1.2.3",
                "1.2.3.4.5",
                "1.2.3.",
                ".1.2.3",
                "1..2.3",
                "a.b.c.d",
                "0x1.2.3.4",
                "1.2.3.4 ",
                " 1.2.3.4",
                "1.2.3.-1",
                "1.2.3.4%eth0",
                "::1",
                "1.2.3.4/32",
            ],
        );
    }

    #[test]
    fn ipv6() {
        ok(
            "ipv6",
            &[
                "::1",
                "::",
                "1::",
                "2001:db8::1",
                "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                "FE80::ABCD",
                "1:2:3:4:5:6:7:8",
                "::ffff:1.2.3.4",
                "1:2:3:4:5:6:1.2.3.4",
                "::ffff:0:255.255.255.255",
            ],
        );
        bad(
            "ipv6",
            &[
                "",
                "1.2.3.4",
                "::ffff:01.2.3.4",
                "::ffff:1.2.3",
                "::ffff:256.2.3.4",
                "00001::",
                "12345::",
                "g::1",
                ":1::",
                "1:",
                "1:2:3:4:5:6:7",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7:8::",
                "1::2:3:4:5:6:7:8",
                "1::2::3",
                "fe80::1%eth0",
                "fe80::1%",
                "[::1]",
                "1:2:3:4:5:6:7:1.2.3.4",
            ],
        );
    }

    #[test]
    fn cidr() {
        ok(
            "cidr",
            &[
                "192.168.0.0/24",
                "10.0.0.1/8",
                "0.0.0.0/0",
                "255.255.255.255/32",
                "010.0.0.0/8",
                "1.2.3.4/032",
                "::/0",
                "2001:db8::/32",
                "2001:db8::1/128",
                "::ffff:1.2.3.4/128",
                "00001::/16",
            ],
        );
        bad(
            "cidr",
            &[
                "",
                "192.168.0.0",
                "192.168.0.0/33",
                "::/129",
                "1.2.3.4/",
                "1.2.3.4/-1",
                "1.2.3.4/+8",
                "1.2.3.4/8 ",
                "1.2.3.4/8/8",
                "/8",
                "1.2.3/8",
                "a/8",
                "256.0.0.0/8",
                "fe80::1%eth0/64",
            ],
        );
    }

    #[test]
    fn mac() {
        ok(
            "mac",
            &[
                "01:23:45:67:89:ab",
                "01-23-45-67-89-AB",
                "0123.4567.89ab",
                "01:23:45:67:89:ab:cd:ef",
                "0123.4567.89ab.cdef",
                "00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01",
            ],
        );
        bad(
            "mac",
            &[
                "",
                "01:23:45:67:89",
                "01:23:45:67:89:ab:cd",
                "01:23-45:67:89:ab",
                "01:23:45:67:89:gh",
                "0123.4567.89ag",
                "0123456789ab",
                "01:23:45:67:89:ab:",
                "01.23.45.67.89.ab",
                "1:23:45:67:89:ab",
                "0123:4567:89ab",
            ],
        );
    }

    #[test]
    fn uuids() {
        ok(
            "uuid",
            &[
                "a8098c1a-f86e-11da-bd1a-00112444be1e",
                "A8098C1A-F86E-11DA-BD1A-00112444BE1E",
                "a8098c1af86e11dabd1a00112444be1e",
                "a8098c1af86e-11da-bd1a-00112444be1e",
            ],
        );
        bad(
            "uuid",
            &[
                "",
                "a8098c1a-f86e-11da-bd1a-00112444be1",
                "g8098c1a-f86e-11da-bd1a-00112444be1e",
                "a8098c1a--f86e-11da-bd1a-00112444be1e",
                "{a8098c1a-f86e-11da-bd1a-00112444be1e}",
                "a8098c1a-f86e-11da-bd1a-00112444be1e ",
            ],
        );
        ok(
            "uuid3",
            &[
                "a987fbc9-4bed-3078-8f07-9141ba07c9f3",
                "A987FBC94BED3078CF079141BA07C9F3",
            ],
        );
        bad(
            "uuid3",
            &[
                "57b73598-8764-4ad0-a76a-679bb6640eb1",
                "a987fbc9-4bed-3078-8f07-9141ba07c9f",
            ],
        );
        ok(
            "uuid4",
            &[
                "57b73598-8764-4ad0-a76a-679bb6640eb1",
                "57B73598-8764-4AD0-B76A-679BB6640EB1",
            ],
        );
        bad(
            "uuid4",
            &[
                "57b73598-8764-4ad0-c76a-679bb6640eb1",
                "a987fbc9-4bed-3078-8f07-9141ba07c9f3",
            ],
        );
        ok(
            "uuid5",
            &[
                "987fbc97-4bed-5078-af07-9141ba07c9f3",
                "987fbc97-4bed-5078-9f07-9141ba07c9f3",
            ],
        );
        bad(
            "uuid5",
            &[
                "987fbc97-4bed-5078-0f07-9141ba07c9f3",
                "57b73598-8764-4ad0-a76a-679bb6640eb1",
            ],
        );
    }

    #[test]
    fn isbn() {
        ok(
            "isbn10",
            &["0321751043", "0-321-75104-3", "0 321 75104 3", "080442957X"],
        );
        bad(
            "isbn10",
            &[
                "",
                "0321751042",
                "080442957x",
                "032175104",
                "03217510433",
                "9780321751041",
            ],
        );
        ok(
            "isbn13",
            &["9780321751041", "978-0321751041", "978 0 321 75104 1"],
        );
        bad(
            "isbn13",
            &[
                "",
                "9780321751042",
                "978032175104",
                "978-0321751041X",
                "0321751043",
            ],
        );
        ok("isbn", &["0321751043", "978-0321751041"]);
        bad("isbn", &["", "1234567890", "9780321751042", "isbn"]);
    }

    #[test]
    fn creditcard() {
        ok(
            "creditcard",
            &[
                "4111111111111111",
                "4111-1111-1111-1111",
                "4111 1111 1111 1111",
                "4111a1111b1111c1111",
                "5500000000000004",
                "378282246310005",
                "6011111111111117",
                "4012888888881881",
            ],
        );
        bad(
            "creditcard",
            &[
                "",
                "4111111111111112",
                "1234567812345678",
                "411111111111111",
                "abcd",
                "5600000000000003",
            ],
        );
    }

    #[test]
    fn ssn() {
        ok("ssn", &["123-45-6789", "123 45 6789", "123-45 6789"]);
        bad(
            "ssn",
            &[
                "",
                "123456789",
                "123-456-789",
                "12a-45-6789",
                "123--45-678",
                "123-45-67890",
                "123-45-678 ",
            ],
        );
    }

    #[test]
    fn colors() {
        ok("hexcolor", &["#fff", "#FFFFFF", "fff", "a1B2c3"]);
        bad("hexcolor", &["", "#", "#ffff", "#ggg", "##fff", "#fffffff"]);
        ok(
            "rgbcolor",
            &[
                "rgb(255,255,255)",
                "rgb(0, 0, 0)",
                "rgb( 10 ,20,30 )",
                "rgb(199,200,249)",
            ],
        );
        bad(
            "rgbcolor",
            &[
                "",
                "rgb(256,0,0)",
                "rgb(01,0,0)",
                "rgba(0,0,0,0)",
                "RGB(0,0,0)",
                "rgb(0,0)",
                "rgb(0,0,0) ",
            ],
        );
    }

    #[test]
    fn byte_base64() {
        ok(
            "byte",
            &["aGVsbG8=", "aGVsbA==", "aGVs", "++//", "YWJjZA=="],
        );
        bad(
            "byte",
            &[
                "",
                "aGVsbG8",
                "aGVsbG8=\n",
                "aGVs bG8=",
                "aGVsbG8_",
                "a===",
                "=aGV",
                "aGVsbG8==",
            ],
        );
    }

    #[test]
    fn date() {
        ok(
            "date",
            &[
                "2006-01-02",
                "2000-02-29",
                "0000-02-29",
                "9999-12-31",
                "2024-04-30",
            ],
        );
        bad(
            "date",
            &[
                "",
                "2001-02-29",
                "1900-02-29",
                "2024-04-31",
                "2006-1-02",
                "2006-01-2",
                "2006-13-01",
                "2006-00-10",
                "2006-01-00",
                "2006-01-32",
                "2006/01/02",
                "20060102",
                " 2006-01-02",
                "+006-01-02",
                "2006-01-02T00:00:00Z",
            ],
        );
    }

    #[test]
    fn date_time() {
        ok(
            "datetime",
            &[
                "2006-01-02T15:04:05Z",
                "2006-01-02T15:04:05.999999999Z",
                "2006-01-02t15:04:05z",
                "2006-01-02T15:04:05+07:00",
                "2006-01-02T15:04:05-07:00",
                "2006-01-02T15:04:05-99:99",
                "2006-01-02T23:59:59.1+00:00",
                "2006-01-02T15:04:05,5Z",
                "2006-01-02T15:04:05ZTgarbage",
                "2000-02-29T00:00:00Z",
            ],
        );
        bad(
            "datetime",
            &[
                "",
                "T",
                "2006-01-02",
                "2006-01-02T",
                "2006-01-02T15:04:05",
                "2006-01-02 15:04:05Z",
                "2006-01-02T24:00:00Z",
                "2006-01-02T15:60:00Z",
                "2006-01-02T15:04:60Z",
                "2006-02-30T15:04:05Z",
                "2006-01-02T15:04Z",
                "2006-01-02T15:04:05+0700",
                "2006-01-02T15:04:05.Z",
                "2006-01-02T1:04:05Z",
                "2006-01-02T15:04:05.123",
                "2006-01-02T15:04:05Z ",
            ],
        );
    }

    #[test]
    fn duration() {
        ok(
            "duration",
            &[
                "0",
                "-0",
                "1h",
                "1h30m",
                "1.5h",
                "-1.5h",
                "+5s",
                "300ms",
                "1µs",
                "1μs",
                "1us",
                "1ns",
                ".5s",
                "1.s",
                "-9223372036854775808ns",
                "9223372036854775807ns",
                "2562047h",
                "1d",
                "1w",
                "1wk",
                "3 days",
                "2 weeks",
                "5 min",
                "5 mins",
                "10 seconds",
                "5 secs",
                "7 nanoseconds",
                "2 hr",
                "1 hour 30 minutes",
                "1h 30m",
                "  5s  ",
                "1 foo 2 s",
                "1e3s",
                "2562048h",
                "1MS",
            ],
        );
        bad(
            "duration",
            &[
                "",
                "1",
                "h",
                "1x",
                "1.5d",
                "abc",
                "1 2",
                "- 1s",
                "-1d",
                "1h-30m",
                ".s",
                "1 foo",
                "5 hrs",
                "99999999999999999999s",
                "9223372036854775808ns",
                "P1D",
                "1h\u{0b}",
            ],
        );
    }

    /// Samples from kube-openapi's pkg/validation/strfmt/default_test.go.
    #[test]
    fn upstream_strfmt_samples() {
        ok(
            "email",
            &[
                "blah@gmail.com",
                "test@d.verylongtoplevel",
                "email+tag@gmail.com",
                "\" \"@example.com",
                "\"Abc\\@def\"@example.com",
                "\"Fred Bloggs\"@example.com",
                "\"Joe\\\\Blow\"@example.com",
                "\"Abc@def\"@example.com",
                "customer/department=shipping@example.com",
                "$A12345@example.com",
                "!def!xyz%abc@example.com",
                "_somename@example.com",
                "Miles.O'Brian@example.com",
                "postmaster@☁→❄→☃→☀→☺→☂→☹→✝.ws",
                "root@localhost",
                "john@com",
                "api@piston.ninja",
            ],
        );
        bad("email", &["somebody@somewhere@com"]);
        let very_long = "a".repeat(256);
        let long_segment = format!("x.y.{}", "a".repeat(64));
        bad(
            "hostname",
            &[
                "somewhere.com!",
                "user@email.domain",
                "1.1.1.1",
                &very_long,
                &long_segment,
                "www.example-.org",
                "www.--example.org",
                "-www.example.org",
                "www-.example.org",
                "www.d-.org",
                "www.-d.org",
                "www-",
                "-www",
                "www.ex ample.org",
                "_www.example.org",
                "www.ex;ample.org",
                "www.example_underscored.org",
                "www.詹姆斯.x",
                "a.b.c.d",
                "-xyz",
                "xyz-",
                "x.",
                "a.b.c.dot-",
                "a.b.c.é;ö",
            ],
        );
        ok(
            "hostname",
            &[
                "somewhere.com",
                "888.com",
                "a.com",
                "a.b.com",
                "a.b.c.d.e.com",
                "1.2.3.4.com",
                "99.99.domain.com",
                "1wwworg.example.com",
                "1000wwworg.example.com",
                "xn--bcher-kva.example.com",
                "xn-80ak6aa92e.co",
                "xn--ls8h.la",
                "☁→❄→☃→☀→☺→☂→☹→✝.ws",
                "www.example.onion",
                "www.example.ôlà",
                "ôlà.ôlà.ôlà",
                "ex$ample",
                "localhost",
                "example",
                "x",
                "x-y",
                "a.b.c.d.e.f.g.dot",
                "ex=ample.com",
                "<foo>",
                "www.example-hyphenated.org",
                "www.詹姆斯.org",
                "www.élégigôö.org",
                "www.詹姆斯.london",
            ],
        );
        ok("ipv4", &["127.0.0.1", "192.168.1.1", "192.168.1.01"]);
        bad("ipv4", &["198.168.254.2.2"]);
        bad("ipv6", &["127.0.0.1"]);
        ok(
            "cidr",
            &["192.0.2.1/24", "192.0.02.1/24", "2001:db8:a0b:12f0::1/32"],
        );
        bad("cidr", &["198.168.254.2", "2001:db8:a0b:12f0::1"]);
        bad("mac", &["01:02:03:04:05"]);
        bad("isbn", &["836217463"]);
        bad("isbn13", &["978-0321751042"]);
        bad("hexcolor", &["#fffffffz"]);
        bad("rgbcolor", &["rgb(300,0,0)"]);
        ok("ssn", &["111-11-1111", "999 99 9999"]);
        bad("ssn", &["999 99 999"]);
        ok("creditcard", &["4012-8888-8888-1881"]);
        bad("creditcard", &["9999-9999-9999-999"]);
        ok(
            "byte",
            &["VGhpcyBpcyBhIGJ5dGUgYXJyYXkgd2l0aCB1bnByaW50YWJsZSBjaGFycywgYnV0IGl0IGFsc28gaXNu"],
        );
        bad("byte", &["ZWxpemFiZXRocG9zZXk"]);
        ok("uri", &["http://somewhere.com"]);
        bad("uri", &["somewhere.com"]);
    }

    /// Samples from kube-openapi's pkg/validation/strfmt/kubernetes-extensions_test.go.
    #[test]
    fn upstream_kubernetes_extension_samples() {
        let (l63, l64) = ("a".repeat(63), "a".repeat(64));
        let good_short = [
            "a",
            "ab",
            "abc",
            "a1",
            "a-1",
            "a--1--2--b",
            "0",
            "01",
            "012",
            "1a",
            "1-a",
            "1--a--b--2",
            &l63,
        ];
        let bad_short = [
            "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "-a", "-1", "_", "a_", "_a", "a_b",
            "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ", " a", "a b",
            "1 ", " 1", "1 2", &l64, "a-", "1-",
        ];
        ok("k8s-short-name", &good_short);
        bad("k8s-short-name", &bad_short);
        let (l253, l254) = ("a".repeat(253), "a".repeat(254));
        let good_long = [
            "a",
            "ab",
            "a--1--2--b",
            "0",
            "1--a--b--2",
            "a.a",
            "a--1--2--b.a",
            "a.1",
            "0.a",
            "1-a.a",
            "0.1",
            "1--a--b--2.1",
            "a.b.c.d.e",
            "aa.bb.cc.dd.ee",
            "1.2.3.4.5",
            "11.22.33.44.55",
            &l253,
        ];
        let bad_long = [
            "",
            "A",
            "aBc",
            "1-A",
            "-",
            "-a",
            "-1",
            "_",
            "a_b",
            ".",
            "a.",
            ".a",
            "a..b",
            "1..2",
            " ",
            "a b",
            "A.a",
            "ab.A",
            "0.A",
            "A.B.C.D.E",
            "a.B.c.d.e",
            "a@b",
            "a,b",
            "a;b",
            "a:b",
            "a%b",
            "a?b",
            "a$b",
            &l254,
            "a-",
            "1-",
        ];
        ok("k8s-long-name", &good_long);
        bad("k8s-long-name", &bad_long);

        // The k8s-ip-sloppy samples exercise the sloppy parser behind `ipv4` and `cidr`.
        for good in [
            "1.2.3.4",
            "255.255.255.255",
            "1234::abcd",
            "::",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "0:0:0:0:0:0:0:0",
            "0001:002:03:4::",
            "1234::ABCD",
            "1.1.1.01",
            "::ffff:1.1.1.1",
        ] {
            assert!(
                parse_ip_sloppy(good.as_bytes()),
                "sloppy parse should accept {good:?}"
            );
        }
        for badv in [
            "",
            "aaaaaaa",
            "myhost.mydomain",
            "1.2.3.0/24",
            "1.2.3.400",
            "-1.0.0.0",
            "2001:db8::10005",
            "1.2.3.4:80",
            "[2001:db8::1]",
            "[2001:db8::1]:80",
            "example.com:80",
            "1234::abcd%eth0",
            "169.254.0.0%eth0",
        ] {
            assert!(
                !parse_ip_sloppy(badv.as_bytes()),
                "sloppy parse should reject {badv:?}"
            );
        }
        // The sloppy parser allows long zero-padded IPv6 groups; net.ParseIP does not.
        assert!(parse_ip_sloppy(b"00001::"));
        assert!(go_parse_ip(b"00001::").is_none());
        assert!(go_parse_ip(b"1.1.1.01").is_none());
    }

    #[test]
    fn k8s_names() {
        let l63 = "a".repeat(63);
        let l64 = "a".repeat(64);
        ok("k8s-short-name", &["a", "abc", "a-b", "0abc", "123", &l63]);
        bad(
            "k8s-short-name",
            &["", "A", "-a", "a-", "a.b", "a_b", "ab c", &l64],
        );
        let long_label = format!("{}.b", "a".repeat(100));
        let l253 = "a".repeat(253);
        let l254 = "a".repeat(254);
        ok(
            "k8s-long-name",
            &[
                "a",
                "a.b.c",
                "example.com",
                "a-b.c-d",
                "0.1",
                &long_label,
                &l253,
            ],
        );
        bad(
            "k8s-long-name",
            &["", ".a", "a.", "a..b", "A.b", "a.-b", "a_b.c", &l254],
        );
    }
}
