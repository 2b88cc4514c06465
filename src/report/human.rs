//! `--format human`: miette's graphical report for each diagnostic (code frame, label at the
//! node, help), then a one-line summary. Text is wrapped at the width given (the terminal's);
//! text from inputs, the code frame included, is sanitised (see `sanitize`).

use super::sanitize;
use crate::diagnostics::{Diagnostic, Severity, Summary};
use crate::source::{SourceFile, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// The source of a code frame: the (sanitised) file under the name the report gives it.
struct Framed<'a> {
    file: &'a SourceFile,
    name: &'a str,
}

impl SourceCode for Framed<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let c = self.file.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            c.data(),
            *c.span(),
            c.line(),
            c.column(),
            c.line_count(),
        )))
    }
}

struct Shown<'a> {
    d: &'a Diagnostic,
    message: Cow<'a, str>,
    help: Option<Cow<'a, str>>,
    source: Framed<'a>,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
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
        Some(Box::new(self.d.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.d.span.map(|_| &self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.d.span?;
        let src: &Arc<SourceFile> = &self.d.source;
        let main = first_line(src, span);
        let text = self
            .d
            .field
            .as_deref()
            .filter(|f| *f != "<nil>")
            .map(|f| sanitize::line(f).into_owned());
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            text,
            (main.start, main.len()),
        )];
        for r in &self.d.related {
            let s = first_line(src, r.span);
            labels.push(LabeledSpan::new_with_span(
                Some(sanitize::line(&r.message).into_owned()),
                (s.start, s.len()),
            ));
        }
        Some(Box::new(labels.into_iter()))
    }
}

/// The name a diagnostic's code frame carries: the file, or for a document of a rendered
/// stream, its origin and the stream (`chart/templates/x.yaml in <stdin>`; the line numbers
/// are the stream's).
fn frame_name(d: &Diagnostic) -> String {
    match &d.origin {
        Some(origin) => format!(
            "{} in {}",
            sanitize::line(origin),
            sanitize::line(&d.source.name)
        ),
        None => sanitize::line(&d.source.name).into_owned(),
    }
}

pub fn render(diagnostics: &[Diagnostic], summary: &Summary, color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let width = width.max(20);
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false);
    // Sanitised copies of the files whose text holds control characters (same length, so
    // every span stays valid), made once per file.
    let mut clean: HashMap<*const SourceFile, Arc<SourceFile>> = HashMap::new();
    let mut out = String::new();
    for d in diagnostics {
        let message = sanitize::text(&d.message);
        let help = d.help.as_deref().map(sanitize::text);
        if d.span.is_none() {
            // No code frame: name the file in the message line itself.
            let head = format!(
                "{}[{}]: {}: {message}",
                d.severity.as_str(),
                d.rule,
                frame_name(d),
            );
            out.push_str(&wrap(&head, width, ""));
            if let Some(h) = &help {
                out.push_str(&wrap(&format!("help: {h}"), width, "  "));
            }
            out.push('\n');
            continue;
        }
        let file: &SourceFile = match sanitize::source(&d.source.text) {
            Cow::Borrowed(_) => &d.source,
            Cow::Owned(text) => clean
                .entry(Arc::as_ptr(&d.source))
                .or_insert_with(|| SourceFile::new(d.source.name.clone(), text)),
        };
        let name = frame_name(d);
        let shown = Shown {
            d,
            message,
            help,
            source: Framed { file, name: &name },
        };
        let _ = handler.render_report(&mut out, &shown);
        out.push('\n');
    }
    out.push_str(&wrap(summary_line(summary).trim_end(), width, ""));
    out
}

/// `text` wrapped at `width` at spaces (a word longer than a line is not cut), each line
/// after the first indented by two more spaces, every line ending in a line break.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    for paragraph in text.split('\n') {
        let mut line = String::from(indent);
        let mut empty = true;
        for word in paragraph.split(' ') {
            let chars = line.chars().count();
            if !empty && chars + 1 + word.chars().count() > width {
                out.push_str(line.trim_end());
                out.push('\n');
                line = format!("{indent}  ");
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(word);
            empty = false;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_indents_what_follows() {
        assert_eq!(wrap("a b c", 80, ""), "a b c\n");
        assert_eq!(wrap("aaa bbb ccc", 7, ""), "aaa bbb\n  ccc\n");
        assert_eq!(wrap("help: x yy", 9, "  "), "  help: x\n    yy\n");
        // A word longer than the width stays whole.
        assert_eq!(wrap("a bbbbbbbbbb", 4, ""), "a\n  bbbbbbbbbb\n");
    }
}
