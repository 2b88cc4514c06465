//! `--format human`: miette's graphical report for each diagnostic (code frame, label at the
//! node, help), then a one-line summary.

use crate::diagnostics::{Diagnostic, Severity, Summary};
use crate::source::{SourceFile, Span};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan};
use std::fmt;
use std::sync::Arc;

struct Shown<'a>(&'a Diagnostic);

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Shown<'_> {}

/// A label spanning several lines draws a tall bracket; the first line says enough.
fn first_line(source: &SourceFile, span: Span) -> Span {
    let line = source.line_of(span.start);
    let end = span.end.min(source.line_end(line)).max(span.start);
    Span::new(span.start, end)
}

impl miette::Diagnostic for Shown<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.0.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.0.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.0
            .span
            .map(|_| &*self.0.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.0.span?;
        let src: &Arc<SourceFile> = &self.0.source;
        let main = first_line(src, span);
        let text = self.0.field.clone().filter(|f| f != "<nil>");
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            text,
            (main.start, main.len()),
        )];
        for r in &self.0.related {
            let s = first_line(src, r.span);
            labels.push(LabeledSpan::new_with_span(
                Some(r.message.clone()),
                (s.start, s.len()),
            ));
        }
        Some(Box::new(labels.into_iter()))
    }
}

pub fn render(diagnostics: &[Diagnostic], summary: &Summary, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    for d in diagnostics {
        if d.span.is_none() {
            // No code frame: name the file in the message line itself.
            out.push_str(&format!(
                "{}[{}]: {}: {}\n",
                d.severity.as_str(),
                d.rule,
                d.source.name,
                d.message
            ));
            if let Some(h) = &d.help {
                out.push_str(&format!("  help: {h}\n"));
            }
            out.push('\n');
            continue;
        }
        let _ = handler.render_report(&mut out, &Shown(d));
        out.push('\n');
    }
    out.push_str(&summary_line(summary));
    out
}

pub fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}, {} in {}, {}, {}\n",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info"),
        plural(s.files, "file"),
        plural(s.documents, "document"),
        plural(s.resources, "resource"),
    )
}
