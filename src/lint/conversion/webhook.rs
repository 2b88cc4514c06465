//! `conversion/webhook`: with `strategy: Webhook`, `spec.conversion.webhook` needs a
//! `clientConfig` with exactly one of `url` (https, a host, no user, query or fragment, as Go's
//! `url.Parse` reads it) or `service` (name, namespace, a port in 1-65535, default 443, and a path
//! of DNS-subdomain segments), and `conversionReviewVersions`: at least one, no duplicates, each a
//! DNS-1035 label, one of them `v1` or `v1beta1`.
//! The server prints the internal paths (`spec.conversion.webhookClientConfig`,
//! `spec.conversion.conversionReviewVersions`), and passes the service's name and namespace to
//! `ValidateWebhookService` in swapped order, so a missing `name` is reported as
//! `...service.namespace: Required value` and the other way round; we print what it prints.
//! The CA bundle is not checked on create (allowInvalidCABundle), so not here either.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (validateCustomResourceConversion, validateConversionReviewVersions), apiserver
//! `pkg/util/webhook/validation.go` (ValidateWebhookURL, ValidateWebhookService), Go's
//! `net/url` (Parse), `pkg/apis/apiextensions/v1/defaults.go` (SetDefaults_ServiceReference).

use crate::lint::walk::layout::{ptr, str_of};
use crate::lint::{Finding, Rule};
use crate::source::Span;
use crate::wording::go_quote;
use crate::validate::k8s_names::{is_dns1035_label, is_dns1123_subdomain};
use crate::yaml::Node;

const ID: &str = "conversion/webhook";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};
const CC: &str = "spec.conversion.webhookClientConfig";
const FORM: &str = "; desired format: https://host[/path]";

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(conversion) = root.get("spec").and_then(|s| ptr(s, "conversion")) else {
        return;
    };
    if conversion.get("strategy").and_then(Node::as_str) != Some("Webhook") {
        return;
    }
    let mut push = |message: String, span: Span| {
        problems.push(Finding::new(ID, message, span))
    };
    let webhook = ptr(conversion, "webhook");
    let webhook_span = webhook.map(|w| w.span).unwrap_or(conversion.span);
    match webhook.and_then(|w| ptr(w, "clientConfig")) {
        None => push(
            format!("{CC}: Required value: required when strategy is set to Webhook"),
            webhook_span,
        ),
        Some(cc) => match (ptr(cc, "url"), ptr(cc, "service")) {
            (Some(_), Some(_)) | (None, None) => push(
                format!("{CC}: Required value: exactly one of url or service is required"),
                cc.span,
            ),
            (Some(url), None) => {
                let text = url.as_str().unwrap_or_default();
                for m in validate_url(&format!("{CC}.url"), text) {
                    push(m, url.span);
                }
            }
            (None, Some(service)) => check_service(service, &mut push),
        },
    }
    let versions = webhook.and_then(|w| ptr(w, "conversionReviewVersions"));
    let list = versions.and_then(Node::as_seq).unwrap_or_default();
    let field = "spec.conversion.conversionReviewVersions";
    if list.is_empty() {
        push(
            format!("{field}: Required value"),
            versions.map(|v| v.span).unwrap_or(webhook_span),
        );
        return;
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut accepted = false;
    for (i, n) in list.iter().enumerate() {
        let v = n.as_str().unwrap_or_default();
        if seen.contains(&v) {
            push(
                format!(
                    "{field}[{i}]: Invalid value: {}: duplicate version",
                    go_quote(v)
                ),
                n.span,
            );
            continue;
        }
        seen.push(v);
        for e in is_dns1035_label(v) {
            push(
                format!("{field}[{i}]: Invalid value: {}: {e}", go_quote(v)),
                n.span,
            );
        }
        accepted |= v == "v1" || v == "v1beta1";
    }
    if !accepted {
        let all: Vec<String> = list
            .iter()
            .map(|n| go_quote(n.as_str().unwrap_or_default()))
            .collect();
        push(
            format!(
                "{field}: Invalid value: []string{{{}}}: must include at least one of v1, v1beta1",
                all.join(", ")
            ),
            versions.map(|v| v.span).unwrap_or(webhook_span),
        );
    }
}

fn check_service(service: &Node, push: &mut dyn FnMut(String, Span)) {
    let at = format!("{CC}.service");
    let span_of = |k: &str| ptr(service, k).map(|n| n.span).unwrap_or(service.span);
    // Upstream calls ValidateWebhookService(path, Name, Namespace, ...) against a signature
    // (path, namespace, name, ...): each emptiness check reports the other field's path.
    if str_of(service, "namespace").is_empty() {
        push(format!("{at}.name: Required value"), span_of("namespace"));
    }
    if str_of(service, "name").is_empty() {
        push(format!("{at}.namespace: Required value"), span_of("name"));
    }
    let port = ptr(service, "port").and_then(Node::as_i64).unwrap_or(443);
    if !(1..=65535).contains(&port) {
        push(
            format!(
                "{at}.port: Invalid value: {port}: port is not valid: must be between 1 and 65535, inclusive"
            ),
            span_of("port"),
        );
    }
    let Some(path) = ptr(service, "path").and_then(Node::as_str) else {
        return;
    };
    let mut bad = |detail: String| {
        push(
            format!("{at}.path: Invalid value: {}: {detail}", go_quote(path)),
            span_of("path"),
        )
    };
    if path.is_empty() || path == "/" {
        return;
    }
    if path == "//" {
        bad("segment[0] may not be empty".into());
        return;
    }
    if !path.starts_with('/') {
        bad("must start with a '/'".into());
    }
    // Upstream drops the first byte whether or not it is the '/'.
    let mut rest = path.get(1..).unwrap_or_default();
    rest = rest.strip_suffix('/').unwrap_or(rest);
    for (i, step) in rest.split('/').enumerate() {
        if step.is_empty() {
            bad(format!("segment[{i}] may not be empty"));
            continue;
        }
        for failure in is_dns1123_subdomain(step) {
            bad(format!("segment[{i}]: {failure}"));
        }
    }
}

/// `ValidateWebhookURL(path, url, forceHttps=true)`: the messages, in upstream order.
fn validate_url(field: &str, raw: &str) -> Vec<String> {
    let u = match parse_url(raw) {
        Err(e) => {
            return vec![format!(
                "{field}: Required value: url must be a valid URL: {e}{FORM}"
            )];
        }
        Ok(u) => u,
    };
    let mut out = Vec::new();
    let invalid = |value: &str, detail: &str| {
        format!("{field}: Invalid value: {}: {detail}", go_quote(value))
    };
    if u.scheme != "https" {
        out.push(invalid(
            &u.scheme,
            &format!("'https' is the only allowed URL scheme{FORM}"),
        ));
    }
    if u.host.is_empty() {
        out.push(invalid(&u.host, &format!("host must be specified{FORM}")));
    }
    if let Some(user) = &u.user {
        out.push(invalid(
            user,
            "user information is not permitted in the URL",
        ));
    }
    if !u.fragment.is_empty() {
        out.push(invalid(
            &u.fragment,
            "fragments are not permitted in the URL",
        ));
    }
    if !u.raw_query.is_empty() {
        out.push(invalid(
            &u.raw_query,
            "query parameters are not permitted in the URL",
        ));
    }
    out
}

/// What `ValidateWebhookURL` reads of a `url.URL`.
#[derive(Debug, Default, PartialEq)]
struct Url {
    scheme: String,
    host: String,
    user: Option<String>,
    fragment: String,
    raw_query: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Host,
    Path,
    Fragment,
    UserPassword,
}

fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

fn hex_val(b: u8) -> u8 {
    (b as char).to_digit(16).unwrap_or(0) as u8
}

/// Characters a host may hold unescaped (Go's `shouldEscape(c, encodeHost)` is false).
fn host_char_ok(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!$&'()*+,;=:[]<>\"-_.~".contains(&c)
}

/// Go's `url.unescape`: the unescaped text, or the error it words.
fn unescape(s: &str, mode: Mode) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                if i + 2 >= b.len() || !is_hex(b[i + 1]) || !is_hex(b[i + 2]) {
                    let end = (i + 3).min(b.len());
                    let bad = String::from_utf8_lossy(&b[i..end]);
                    return Err(format!("invalid URL escape {}", go_quote(&bad)));
                }
                if mode == Mode::Host && hex_val(b[i + 1]) < 8 && &s[i..i + 3] != "%25" {
                    return Err(format!("invalid URL escape {}", go_quote(&s[i..i + 3])));
                }
                out.push(hex_val(b[i + 1]) << 4 | hex_val(b[i + 2]));
                i += 3;
            }
            c => {
                if mode == Mode::Host && c < 0x80 && !host_char_ok(c) {
                    let bad = (c as char).to_string();
                    return Err(format!("invalid character {} in host name", go_quote(&bad)));
                }
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn valid_optional_port(p: &str) -> bool {
    p.is_empty()
        || p.strip_prefix(':')
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
}

fn parse_host(host: &str) -> Result<String, String> {
    if host.starts_with('[') {
        let Some(i) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let colon_port = &host[i + 1..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", go_quote(colon_port)));
        }
    } else if let Some(i) = host.rfind(':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", go_quote(colon_port)));
        }
    }
    unescape(host, Mode::Host)
}

fn valid_userinfo(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c))
}

/// Go's `url.Parse`, as far as `ValidateWebhookURL` needs it. Errors are worded like
/// `*url.Error`: `parse "<url>": <reason>`.
fn parse_url(raw: &str) -> Result<Url, String> {
    let (u, frag) = raw.split_once('#').unwrap_or((raw, ""));
    let mut url = parse(u).map_err(|e| format!("parse {}: {e}", go_quote(u)))?;
    if !frag.is_empty() {
        url.fragment =
            unescape(frag, Mode::Fragment).map_err(|e| format!("parse {}: {e}", go_quote(raw)))?;
    }
    Ok(url)
}

fn parse(raw: &str) -> Result<Url, String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let mut url = Url::default();
    if raw == "*" {
        return Ok(url);
    }
    // getScheme
    let mut rest = raw;
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => {
                url.scheme = raw[..i].to_ascii_lowercase();
                rest = &raw[i + 1..];
                break;
            }
            _ => break,
        }
    }
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, q)) = rest.split_once('?') {
        rest = r;
        url.raw_query = q.to_string();
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            return Ok(url); // opaque
        }
        let segment = rest.split('/').next().unwrap_or_default();
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let mut authority = &rest[2..];
        rest = "";
        if let Some(i) = authority.find('/') {
            rest = &authority[i..];
            authority = &authority[..i];
        }
        let (userinfo, host) = match authority.rfind('@') {
            Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
            None => (None, authority),
        };
        url.host = parse_host(host)?;
        if let Some(ui) = userinfo {
            if !valid_userinfo(ui) {
                return Err("net/url: invalid userinfo".into());
            }
            let (name, password) = match ui.split_once(':') {
                Some((n, p)) => (n, Some(p)),
                None => (ui, None),
            };
            let mut user = unescape(name, Mode::UserPassword)?;
            if let Some(p) = password {
                user.push(':');
                user.push_str(&unescape(p, Mode::UserPassword)?);
            }
            url.user = Some(user);
        }
    }
    unescape(rest, Mode::Path)?;
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(scheme: &str, host: &str) -> Url {
        Url {
            scheme: scheme.into(),
            host: host.into(),
            ..Url::default()
        }
    }

    #[test]
    fn parses_like_go() {
        assert_eq!(
            parse_url("https://conv.example.com:8443/convert"),
            Ok(url("https", "conv.example.com:8443"))
        );
        assert_eq!(parse_url("HTTP://x"), Ok(url("http", "x")));
        assert_eq!(parse_url("conv.example.com/x"), Ok(url("", "")));
        assert_eq!(parse_url("https:foo"), Ok(url("https", "")));
        let u = parse_url("https://u:p@h/?a=b#frag").unwrap();
        assert_eq!(
            (u.user.as_deref(), u.raw_query.as_str(), u.fragment.as_str()),
            (Some("u:p"), "a=b", "frag")
        );
        assert_eq!(
            parse_url("://x"),
            Err(r#"parse "://x": missing protocol scheme"#.into())
        );
        assert_eq!(
            parse_url("https://h:port/"),
            Err(r#"parse "https://h:port/": invalid port ":port" after host"#.into())
        );
        assert_eq!(
            parse_url("https://a b/"),
            Err(r#"parse "https://a b/": invalid character " " in host name"#.into())
        );
        assert_eq!(
            parse_url("https://h/%zz"),
            Err(r#"parse "https://h/%zz": invalid URL escape "%zz""#.into())
        );
        assert_eq!(
            parse_url("a:b/c"),
            Ok(url("a", "")) // a scheme and an opaque part
        );
        assert_eq!(
            parse_url("1a:b"),
            Err(r#"parse "1a:b": first path segment in URL cannot contain colon"#.into())
        );
    }

    #[test]
    fn url_messages() {
        let f = "spec.conversion.webhookClientConfig.url";
        assert_eq!(
            validate_url(f, "http://conv.example.com/x?a=1"),
            vec![
                format!(
                    r#"{f}: Invalid value: "http": 'https' is the only allowed URL scheme; desired format: https://host[/path]"#
                ),
                format!(
                    r#"{f}: Invalid value: "a=1": query parameters are not permitted in the URL"#
                ),
            ]
        );
        assert_eq!(
            validate_url(f, ""),
            vec![
                format!(
                    r#"{f}: Invalid value: "": 'https' is the only allowed URL scheme; desired format: https://host[/path]"#
                ),
                format!(
                    r#"{f}: Invalid value: "": host must be specified; desired format: https://host[/path]"#
                ),
            ]
        );
    }
}
