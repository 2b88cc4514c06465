//! `--format json`: one object, `{"diagnostics": [...], "summary": {...}}` (documented in the
//! README as a public contract).

use crate::diagnostics::{Diagnostic, Summary};
use serde_json::{Value, json};

pub fn diagnostic_json(d: &Diagnostic) -> Value {
    let (start, end) = match d.span {
        Some(s) => (d.source.line_col(s.start), d.source.line_col(s.end)),
        None => (
            crate::source::LineCol { line: 1, column: 1 },
            crate::source::LineCol { line: 1, column: 1 },
        ),
    };
    let mut v = json!({
        "file": d.file(),
        "line": start.line,
        "column": start.column,
        "end_line": end.line,
        "end_column": end.column,
        "severity": d.severity.as_str(),
        "rule": d.rule,
        "message": d.message,
        "field": d.field,
        "reason": d.reason,
        "help": d.help,
        "document": d.document,
        "resource": d.resource.as_deref(),
    });
    // A document of a rendered stream: `file` is its origin (Helm's `# Source:`), the
    // positions are in the stream, named here.
    if d.origin.is_some() {
        v["stream"] = json!(d.source.name);
    }
    // Only upgrade findings have it: without one, the object is as it always was.
    if let Some(c) = &d.change {
        v["change"] = change_json(c);
    }
    v
}

/// `{"old": ..., "new": ..., "versions": [...], "path": ...}` of an `upgrade/*` diagnostic.
pub fn change_json(c: &crate::lint::Change) -> Value {
    json!({
        "old": c.old,
        "new": c.new,
        "versions": c.versions,
        "path": c.path,
    })
}

pub fn render(diagnostics: &[Diagnostic], summary: &Summary) -> String {
    let v = json!({
        "diagnostics": diagnostics.iter().map(diagnostic_json).collect::<Vec<_>>(),
        "summary": {
            "files": summary.files,
            "documents": summary.documents,
            "resources": summary.resources,
            "crds": summary.crds,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "infos": summary.infos,
        },
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
