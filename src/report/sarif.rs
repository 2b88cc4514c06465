//! `--format sarif`: SARIF 2.1.0, one run, the rules with their docs, results with regions.
//! Columns are counted in Unicode code points (`columnKind`), as crdlint counts them.

use crate::diagnostics::{Diagnostic, Severity};
use crate::rules;
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn render(diagnostics: &[Diagnostic]) -> String {
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
            json!({
                "id": d.id,
                "shortDescription": {"text": d.summary},
                "fullDescription": {"text": d.summary},
                "help": {"text": d.text, "markdown": d.text},
                "defaultConfiguration": {"level": level(d.severity)},
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut region = json!({"startLine": 1, "startColumn": 1});
            if let Some(span) = d.span {
                let start = d.source.line_col(span.start);
                let end = d.source.line_col(span.end);
                region = json!({
                    "startLine": start.line,
                    "startColumn": start.column,
                    "endLine": end.line,
                    "endColumn": end.column,
                });
            }
            let mut r = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.source.name.replace('\\', "/")},
                        "region": region,
                    }
                }],
            });
            if let Some(i) = index.get(d.rule) {
                r["ruleIndex"] = json!(i);
            }
            if let Some(c) = &d.change {
                r["properties"] = json!({"change": super::json::change_json(c)});
            }
            r
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "crdlint",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules_json,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}
