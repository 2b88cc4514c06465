//! The rule registry: every rule's id, default severity and documentation, read from the
//! Markdown docs under `rules/` (embedded at build time), so code and docs cannot disagree.

pub mod selection;

use crate::diagnostics::Severity;
use std::collections::BTreeMap;
use std::sync::LazyLock;

include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

#[derive(Debug, Clone)]
pub struct RuleDoc {
    pub id: String,
    pub severity: Severity,
    pub summary: String,
    /// False for rules that run only when selected (`enabled: false` in the front matter).
    pub default_enabled: bool,
    /// The whole Markdown document.
    pub text: &'static str,
}

fn parse(text: &'static str) -> Option<RuleDoc> {
    let rest = text.strip_prefix("---\n")?;
    let (front, _) = rest.split_once("\n---\n")?;
    let mut id = None;
    let mut severity = None;
    let mut summary = String::new();
    let mut default_enabled = true;
    for line in front.lines() {
        let (k, v) = line.split_once(':')?;
        let v = v.trim();
        match k.trim() {
            "id" => id = Some(v.to_string()),
            "severity" => {
                severity = Some(match v {
                    "error" => Severity::Error,
                    "warning" => Severity::Warning,
                    "info" => Severity::Info,
                    _ => return None,
                })
            }
            "summary" => summary = v.to_string(),
            "enabled" => {
                default_enabled = match v {
                    "true" => true,
                    "false" => false,
                    _ => return None,
                }
            }
            _ => {}
        }
    }
    Some(RuleDoc {
        id: id?,
        severity: severity?,
        summary,
        default_enabled,
        text,
    })
}

pub static RULES: LazyLock<BTreeMap<String, RuleDoc>> = LazyLock::new(|| {
    RULE_DOCS
        .iter()
        .filter_map(|t| parse(t))
        .map(|d| (d.id.clone(), d))
        .collect()
});

/// Docs whose front matter could not be read (a test keeps this empty).
pub fn malformed_docs() -> Vec<&'static str> {
    RULE_DOCS
        .iter()
        .filter(|t| parse(t).is_none())
        .map(|t| t.lines().take(4).last().unwrap_or(""))
        .collect()
}

/// The family of a rule id: `schema` for `schema/type`.
pub fn family(id: &str) -> &str {
    id.split_once('/').map_or(id, |(f, _)| f)
}

pub fn get(id: &str) -> Option<&'static RuleDoc> {
    RULES.get(id)
}

/// The default severity of a rule; a rule without a doc is an error (and a test failure).
pub fn severity(id: &str) -> Severity {
    get(id).map(|d| d.severity).unwrap_or(Severity::Error)
}
