//! `--format github`: GitHub Actions workflow commands, one line per diagnostic:
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE`.
//!
//! A document of a rendered stream (Helm's `# Source:`) is annotated on its template, without a
//! line (the stream's lines are not the template's); the message starts with where in the
//! stream it is (`<stdin>:130:5: `).

use super::sanitize;
use crate::diagnostics::{Diagnostic, Severity};

/// Escaping of a command's message (data).
fn escape_data(s: &str) -> String {
    sanitize::text(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = format!("file={}", escape_property(d.file()));
        let mut at = String::new();
        if let Some(span) = d.span {
            let start = d.source.line_col(span.start);
            let end = d.source.line_col(span.end);
            if d.origin.is_some() {
                at = format!("{}:{}:{}: ", d.source.name, start.line, start.column);
            } else {
                props.push_str(&format!(
                    ",line={},col={},endLine={},endColumn={}",
                    start.line, start.column, end.line, end.column
                ));
            }
        }
        props.push_str(&format!(",title={}", escape_property(d.rule)));
        out.push_str(&format!(
            "::{command} {props}::{}\n",
            escape_data(&format!("{at}{}", d.message))
        ));
    }
    out
}
