//! `--format json`: one object, `{"diagnostics": [...], "summary": {...}}` (documented in the
//! README as a public contract).

use crate::diagnostics::{Diagnostic, Summary};
use serde_json::{Value, json};

/// One diagnostic as the report's JSON object, written field by field (no `Value` built): the
/// keys in sorted order, as serde_json prints a map. `tests::diagnostic_json` is the same object
/// as a `Value`, and the test below holds the two to the same bytes.
struct DiagnosticJson<'a>(&'a Diagnostic);

impl serde::Serialize for DiagnosticJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let d = self.0;
        let (start, end) = positions(d);
        let mut map = serializer.serialize_map(None)?;
        // Only upgrade findings have it: without one, the object is as it always was.
        if let Some(c) = &d.change {
            map.serialize_entry("change", &change_json(c))?;
        }
        map.serialize_entry("column", &start.column)?;
        map.serialize_entry("document", &d.document)?;
        map.serialize_entry("end_column", &end.column)?;
        map.serialize_entry("end_line", &end.line)?;
        map.serialize_entry("field", &d.field)?;
        map.serialize_entry("file", d.file())?;
        map.serialize_entry("help", &d.help)?;
        map.serialize_entry("line", &start.line)?;
        map.serialize_entry("message", &d.message)?;
        map.serialize_entry("reason", &d.reason)?;
        map.serialize_entry("resource", &d.resource.as_deref())?;
        map.serialize_entry("rule", d.rule)?;
        map.serialize_entry("severity", d.severity.as_str())?;
        // A document of a rendered stream: `file` is its origin (Helm's `# Source:`), the
        // positions are in the stream, named here.
        if d.origin.is_some() {
            map.serialize_entry("stream", &d.source.name)?;
        }
        map.end()
    }
}

/// A diagnostic's start and end (1:1 for a whole file).
fn positions(d: &Diagnostic) -> (crate::source::LineCol, crate::source::LineCol) {
    match d.span {
        Some(s) => (d.source.line_col(s.start), d.source.line_col(s.end)),
        None => (
            crate::source::LineCol { line: 1, column: 1 },
            crate::source::LineCol { line: 1, column: 1 },
        ),
    }
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
    let mut out = Vec::new();
    // Writing into a vector cannot fail.
    let _ = write(diagnostics, summary, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Diagnostics rendered (in parallel) before they are written: a window of the report, never
/// the whole of a large one, is held in memory.
const WINDOW: usize = 4096;
/// Diagnostics rendered by one task of a window.
const CHUNK: usize = 64;

/// The report written to `w` (the same bytes as [`render`]): serde_json's pretty printing of
/// `{"diagnostics": [...], "summary": {...}}`, keys sorted, put together from the pretty
/// printing of each diagnostic, indented to its depth. Diagnostics are rendered a window at a
/// time, the window's chunks in parallel: writing a report was serial work after the check.
pub fn write(
    diagnostics: &[Diagnostic],
    summary: &Summary,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    if diagnostics.is_empty() {
        w.write_all(b"{\n  \"diagnostics\": [],\n  \"summary\": ")?;
    } else {
        w.write_all(b"{\n  \"diagnostics\": [\n")?;
        for (k, window) in diagnostics.chunks(WINDOW).enumerate() {
            let parts: Vec<std::io::Result<Vec<u8>>> = window
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(j, chunk)| {
                    let mut out = Vec::with_capacity(chunk.len() * 768);
                    let mut one = Vec::with_capacity(1024);
                    for (i, d) in chunk.iter().enumerate() {
                        if k > 0 || j > 0 || i > 0 {
                            out.extend_from_slice(b",\n");
                        }
                        one.clear();
                        serde_json::to_writer_pretty(&mut one, &DiagnosticJson(d))
                            .map_err(std::io::Error::from)?;
                        indented(&one, b"    ", true, &mut out);
                    }
                    Ok(out)
                })
                .collect();
            for part in parts {
                w.write_all(&part?)?;
            }
        }
        w.write_all(b"\n  ],\n  \"summary\": ")?;
    }
    let summary =
        serde_json::to_vec_pretty(&summary_json(summary)).map_err(std::io::Error::from)?;
    let mut out = Vec::with_capacity(summary.len() + 32);
    indented(&summary, b"  ", false, &mut out);
    w.write_all(&out)?;
    w.write_all(b"\n}\n")
}

/// `json` (pretty printed) with `indent` after each line break, and first if `first`: the
/// value as printed `indent` deeper. A JSON string never holds a raw line break.
fn indented(json: &[u8], indent: &[u8], first: bool, out: &mut Vec<u8>) {
    if first {
        out.extend_from_slice(indent);
    }
    let mut from = 0;
    for at in memchr::memchr_iter(b'\n', json) {
        out.extend_from_slice(&json[from..=at]);
        out.extend_from_slice(indent);
        from = at + 1;
    }
    out.extend_from_slice(&json[from..]);
}

/// The report's `summary` object.
fn summary_json(summary: &Summary) -> Value {
    json!({
        "files": summary.files,
        "documents": summary.documents,
        "resources": summary.resources,
        "crds": summary.crds,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "infos": summary.infos,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{ResourceRef, Severity};
    use crate::source::{SourceFile, Span};
    use std::sync::Arc;

    /// A diagnostic as a JSON value, the keys in any order (a `Value` sorts them): the object
    /// [`DiagnosticJson`] must write.
    fn diagnostic_json(d: &Diagnostic) -> Value {
        let (start, end) = positions(d);
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
        if d.origin.is_some() {
            v["stream"] = json!(d.source.name);
        }
        if let Some(c) = &d.change {
            v["change"] = change_json(c);
        }
        v
    }

    /// serde_json's pretty printing of the whole report as one value: what `write` must
    /// produce byte for byte, from diagnostics printed apart and indented.
    fn whole(diagnostics: &[Diagnostic], summary: &Summary) -> String {
        let v = json!({
            "diagnostics": diagnostics.iter().map(diagnostic_json).collect::<Vec<_>>(),
            "summary": summary_json(summary),
        });
        serde_json::to_string_pretty(&v).unwrap() + "\n"
    }

    #[test]
    fn written_in_parallel_windows_as_the_whole_value_prints() {
        let source = SourceFile::new("a.yaml", "a: 1\nb: \"x\\ny\"\n".to_string());
        let summary = Summary {
            files: 1,
            errors: 3,
            ..Summary::default()
        };
        for n in [
            0, 1, 2, 63, 64, 65, 511, 512, 513, 1100, 4095, 4096, 4097, 8300,
        ] {
            let diagnostics: Vec<Diagnostic> = (0..n)
                .map(|i| {
                    let mut d = Diagnostic::new(
                        "schema/type",
                        Severity::Error,
                        format!("line one {i}\nline \"two\"\t{{}}"),
                        &source,
                        (i % 3 != 0).then(|| Span::new(i % 5, 5 + i % 7)),
                    );
                    d.help = (i % 2 == 0).then(|| "help".to_string());
                    d.document = (i % 4 != 1).then_some(i);
                    d.field = (i % 3 == 1).then(|| format!("spec.items[{i}].\u{e9}"));
                    d.reason = (i % 5 == 2).then_some("FieldValueInvalid");
                    d.resource = (i % 2 == 1).then(|| {
                        Arc::new(ResourceRef {
                            api_version: "v1".into(),
                            kind: "ConfigMap".into(),
                            name: (i % 3 != 2).then(|| format!("cm-{i}")),
                            namespace: (i % 4 == 3).then(|| "ns\u{1}".into()),
                        })
                    });
                    d.origin = (i % 7 == 3).then(|| Arc::from("chart/templates/x.yaml"));
                    d.change = (i % 11 == 5).then(|| {
                        Box::new(crate::lint::Change {
                            old: json!({"b": 1, "a": [true, null]}),
                            new: json!("x"),
                            versions: vec!["v1".into(), "v2".into()],
                            path: (i % 2 == 0).then(|| "spec.x".into()),
                        })
                    });
                    d
                })
                .collect();
            assert_eq!(
                render(&diagnostics, &summary),
                whole(&diagnostics, &summary),
                "{n}"
            );
        }
    }
}
