//! `--format sarif`: SARIF 2.1.0, one run, the rules with their docs, results with regions.
//! Columns are counted in Unicode code points (`columnKind`), as crdlint counts them.
//!
//! Artifact URIs: a file inside the repository (the git work tree holding the current
//! directory, else the current directory) is a relative reference against `%SRCROOT%`, which
//! `originalUriBaseIds` gives as a `file://` URI; any other file is an absolute `file://` URI;
//! both percent-encoded byte by byte (everything but unreserved characters and `/`). Standard
//! input without a name has no URI, only a description. A document of a rendered stream
//! (Helm's `# Source:`) is located in its origin, without a region (the stream's lines are not
//! the template's), with the region in the stream as its related location.

use super::sanitize;
use crate::diagnostics::{Diagnostic, Severity};
use crate::rules;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

const SRCROOT: &str = "%SRCROOT%";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Where the tool is documented: the package's homepage or repository when Cargo.toml names
/// one, else the README of the source tree it was built from.
fn information_uri() -> String {
    let named = [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|u| !u.is_empty());
    match named {
        Some(u) => u.to_string(),
        None => file_uri(&Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")),
    }
}

/// A rule doc without its front matter (`---`, `id: ...`, `---`), which Markdown would render
/// as a heading.
pub fn doc_body(text: &str) -> &str {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map_or(text, |(_, body)| body.trim_start_matches('\n'))
}

/// Percent-encoding of a path's bytes: unreserved characters (RFC 3986) are kept, and so is
/// `/` between segments; every other byte is `%XX`.
fn encode(bytes: &[u8], out: &mut String) {
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

fn component_bytes(c: &std::ffi::OsStr) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        c.as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        c.to_string_lossy().into_owned().into_bytes()
    }
}

/// The segments of a relative path, encoded and joined by `/`.
fn relative_uri(p: &Path) -> String {
    let mut out = String::new();
    for c in p.components() {
        if let Component::Normal(seg) = c {
            if !out.is_empty() {
                out.push('/');
            }
            encode(&component_bytes(seg), &mut out);
        }
    }
    out
}

/// `file:///a/b%20c.yaml` for an absolute path.
fn file_uri(p: &Path) -> String {
    let mut out = String::from("file://");
    for c in p.components() {
        match c {
            Component::Normal(seg) => {
                out.push('/');
                encode(&component_bytes(seg), &mut out);
            }
            Component::Prefix(prefix) => {
                // Windows: `file:///C:/...`.
                out.push('/');
                out.push_str(&prefix.as_os_str().to_string_lossy().replace('\\', "/"));
            }
            _ => {}
        }
    }
    if out == "file://" {
        out.push('/');
    }
    out
}

/// How file names become artifact locations in one report.
struct Artifacts {
    /// The repository root (absolute), when the current directory is known.
    root: Option<PathBuf>,
}

impl Artifacts {
    fn new() -> Self {
        let root = std::env::current_dir().ok().map(|cwd| {
            crate::discover::repository_root(&cwd)
                .unwrap_or_else(|| crate::discover::absolute(&cwd))
        });
        Artifacts { root }
    }

    fn location(&self, name: &str) -> Value {
        // `<stdin>`: not a file name.
        if name.starts_with('<') && name.ends_with('>') {
            return json!({"description": {"text": sanitize::line(name)}});
        }
        let path = Path::new(name);
        let Some(root) = &self.root else {
            return match path.is_absolute() {
                true => json!({"uri": file_uri(path)}),
                false => json!({"uri": relative_uri(path)}),
            };
        };
        let abs = crate::discover::absolute(path);
        match abs.strip_prefix(root) {
            Ok(rel) if rel.components().next().is_some() => {
                json!({"uri": relative_uri(rel), "uriBaseId": SRCROOT})
            }
            _ => json!({"uri": file_uri(&abs)}),
        }
    }

    fn base_ids(&self) -> Option<Value> {
        let root = self.root.as_ref()?;
        let mut uri = file_uri(root);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        Some(json!({SRCROOT: {"uri": uri}}))
    }
}

fn region(d: &Diagnostic) -> Value {
    match d.span {
        Some(span) => {
            let start = d.source.line_col(span.start);
            let end = d.source.line_col(span.end);
            json!({
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column,
            })
        }
        None => json!({"startLine": 1, "startColumn": 1}),
    }
}

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let artifacts = Artifacts::new();
    // Every documented rule, so consumers can show help for rules that did not fire too.
    let rule_ids: Vec<&String> = rules::RULES.keys().collect();
    let index: BTreeMap<&str, usize> = rule_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let rules_json: Vec<Value> = rules::RULES
        .values()
        .map(|d| {
            let body = doc_body(d.text);
            json!({
                "id": d.id,
                "shortDescription": {"text": d.summary},
                "fullDescription": {"text": d.summary},
                "help": {"text": body, "markdown": body},
                "defaultConfiguration": {"level": level(d.severity)},
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let physical = match &d.origin {
                None => json!({
                    "artifactLocation": artifacts.location(&d.source.name),
                    "region": region(d),
                }),
                Some(origin) => json!({"artifactLocation": artifacts.location(origin)}),
            };
            let mut r = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": {"text": sanitize::text(&d.message)},
                "locations": [{"physicalLocation": physical}],
            });
            if d.origin.is_some() {
                r["relatedLocations"] = json!([{
                    "id": 1,
                    "message": {"text": "in the rendered stream"},
                    "physicalLocation": {
                        "artifactLocation": artifacts.location(&d.source.name),
                        "region": region(d),
                    },
                }]);
            }
            if let Some(i) = index.get(d.rule) {
                r["ruleIndex"] = json!(i);
            }
            if let Some(c) = &d.change {
                r["properties"] = json!({"change": super::json::change_json(c)});
            }
            r
        })
        .collect();
    let mut run = json!({
        "tool": {"driver": {
            "name": "crdlint",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": information_uri(),
            "rules": rules_json,
        }},
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(ids) = artifacts.base_ids() {
        run["originalUriBaseIds"] = ids;
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            relative_uri(Path::new("a b/c,d%é.yaml")),
            "a%20b/c%2Cd%25%C3%A9.yaml"
        );
        assert_eq!(file_uri(Path::new("/t/x y.yaml")), "file:///t/x%20y.yaml");
        assert_eq!(file_uri(Path::new("/")), "file:///");
    }

    #[test]
    fn doc_bodies_lose_their_front_matter() {
        assert_eq!(doc_body("---\nid: a/b\n---\n\n# a/b\n"), "# a/b\n");
        assert_eq!(doc_body("# no front matter\n"), "# no front matter\n");
    }
}
