//! Inline suppressions: `# crdlint-ignore RULE[, RULE...] -- REASON`.
//!
//! - On its own line, the comment covers the node that starts on the next content line, with
//!   everything nested under it (found by indentation, so it works on a document that does not
//!   parse too).
//! - At the end of a line, it covers the node that starts on that line.
//! - Before a document's first content line, it covers the whole document.
//!
//! A reason after `--` is required; a comment without one, or naming an unknown rule, is reported
//! (`suppression/invalid`) and does not apply. A suppression that matches nothing is reported as
//! `suppression/unused`, so stale ones do not pile up.

use crate::diagnostics::Diagnostic;
use crate::rules::{self, selection::FileRules};
use crate::source::{SourceFile, Span};
use crate::yaml::Document;
use std::sync::Arc;

const MARKER: &str = "crdlint-ignore";

#[derive(Debug)]
struct Suppression {
    /// Known rule ids, each with whether it matched a diagnostic.
    rules: Vec<(String, bool)>,
    /// The comment itself.
    comment: Span,
    /// The bytes it covers.
    scope: Span,
    /// The document it covers entirely, for diagnostics without a span.
    document: Option<usize>,
}

struct Line<'a> {
    start: usize,
    text: &'a str,
}

impl Line<'_> {
    fn indent(&self) -> usize {
        self.text.len() - self.text.trim_start_matches(' ').len()
    }
    fn body(&self) -> &str {
        self.text.trim()
    }
    /// Holds YAML content (not blank, a comment or a document marker).
    fn is_content(&self) -> bool {
        let b = self.body();
        !(b.is_empty()
            || b.starts_with('#')
            || b.starts_with('%')
            || b == "---"
            || b.starts_with("--- ")
            || b == "...")
    }
    fn is_document_marker(&self) -> bool {
        let b = self.body();
        self.indent() == 0 && (b == "---" || b.starts_with("--- ") || b == "...")
    }
    fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for l in text.split_inclusive('\n') {
        out.push(Line {
            start,
            text: l.trim_end_matches(['\n', '\r']),
        });
        start += l.len();
    }
    out
}

/// The comment on a line that is a suppression: its byte offset in the line and its text
/// after `#`. A `#` counts as a comment at the line start or after a space (YAML's rule).
fn comment(line: &str) -> Option<(usize, &str)> {
    line.match_indices('#').find_map(|(i, _)| {
        let starts_comment = i == 0 || line[..i].ends_with([' ', '\t']);
        let rest = line[i + 1..].trim_start();
        (starts_comment && rest.starts_with(MARKER)).then_some((i, rest))
    })
}

/// The end of the node starting on `lines[at]`: the last following line indented deeper (or a
/// sequence written at the same indentation under a key).
fn block_end(lines: &[Line], at: usize) -> usize {
    let head = &lines[at];
    let indent = head.indent();
    let key_with_block = !head.body().starts_with('-') && head.body().ends_with(':');
    let mut end = head.end();
    for l in &lines[at + 1..] {
        if l.is_document_marker() {
            break;
        }
        if !l.is_content() {
            continue;
        }
        let deeper = l.indent() > indent
            || (key_with_block && l.indent() == indent && l.body().starts_with('-'));
        if !deeper {
            break;
        }
        end = l.end();
    }
    end
}

fn invalid(source: &Arc<SourceFile>, span: Span, message: String) -> Diagnostic {
    let rule = "suppression/invalid";
    Diagnostic::new(rule, rules::severity(rule), message, source, Some(span))
        .with_help("write `# crdlint-ignore RULE -- why it does not apply here`")
}

fn parse(
    source: &Arc<SourceFile>,
    docs: &[Document],
    problems: &mut Vec<Diagnostic>,
) -> Vec<Suppression> {
    let text = source.text.as_str();
    let lines = lines(text);
    let mut out = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let Some((at, body)) = comment(line.text) else {
            continue;
        };
        let comment_span = Span::new(line.start + at, line.end());
        let body = body[MARKER.len()..].trim();
        let (ids, reason) = body.split_once("--").unwrap_or((body, ""));
        let reason = reason.trim();
        let mut known = Vec::new();
        for id in ids.split([',', ' ']).filter(|s| !s.is_empty()) {
            match rules::get(id) {
                Some(d) => known.push((d.id.clone(), false)),
                None => problems.push(invalid(
                    source,
                    comment_span,
                    format!("crdlint-ignore names an unknown rule {id:?}"),
                )),
            }
        }
        if ids.trim().is_empty() {
            problems.push(invalid(
                source,
                comment_span,
                "crdlint-ignore names no rule".into(),
            ));
            continue;
        }
        if reason.is_empty() {
            problems.push(invalid(
                source,
                comment_span,
                "crdlint-ignore needs a reason after `--`; the suppression is not applied".into(),
            ));
            continue;
        }
        if known.is_empty() {
            continue;
        }
        let own_line = line.body().starts_with('#');
        let doc = docs
            .iter()
            .find(|d| d.span.start <= line.start && line.start < d.span.end.max(d.span.start + 1));
        let before_content = doc.is_some_and(|d| {
            !lines[..n]
                .iter()
                .any(|l| l.start >= d.span.start && l.is_content())
        });
        let (scope, document) = if own_line && before_content {
            let d = doc.expect("checked above");
            (d.span, Some(d.index))
        } else if own_line {
            match lines[n + 1..].iter().position(Line::is_content) {
                Some(k) if !lines[n + 1..n + 1 + k].iter().any(Line::is_document_marker) => {
                    let target = n + 1 + k;
                    (
                        Span::new(lines[target].start, block_end(&lines, target)),
                        None,
                    )
                }
                _ => (Span::new(comment_span.end, comment_span.end), None),
            }
        } else {
            (Span::new(line.start, block_end(&lines, n)), None)
        };
        out.push(Suppression {
            rules: known,
            comment: comment_span,
            scope,
            document,
        });
    }
    out
}

/// Remove the diagnostics that inline suppressions cover, and add the findings about the
/// suppressions themselves (invalid or unused). `rules` decides which rules run for this file:
/// a suppression of a rule that is switched off is not reported as unused.
pub fn apply(
    source: &Arc<SourceFile>,
    docs: &[Document],
    rules: &FileRules,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if memchr::memmem::find(source.text.as_bytes(), MARKER.as_bytes()).is_none() {
        return;
    }
    let mut problems = Vec::new();
    let mut suppressions = parse(source, docs, &mut problems);
    diagnostics.retain(|d| {
        let mut covered = false;
        for s in &mut suppressions {
            let inside = match d.span {
                Some(span) => s.scope.start <= span.start && span.start < s.scope.end,
                None => s.document.is_some() && s.document == d.document,
            };
            if !inside {
                continue;
            }
            for (id, used) in &mut s.rules {
                if id == d.rule {
                    *used = true;
                    covered = true;
                }
            }
        }
        !covered
    });
    for s in &suppressions {
        for (id, used) in &s.rules {
            if !used && rules.enabled(id) {
                let rule = "suppression/unused";
                problems.push(
                    Diagnostic::new(
                        rule,
                        rules::severity(rule),
                        format!("crdlint-ignore {id} matches no diagnostic"),
                        source,
                        Some(s.comment),
                    )
                    .with_help("remove the suppression, or move it above the node it is meant for"),
                );
            }
        }
    }
    rules.apply(&mut problems);
    for p in &mut problems {
        // A document-level finding keeps its document for reports that group by it.
        p.document = docs
            .iter()
            .find(|d| {
                p.span
                    .is_some_and(|s| d.span.start <= s.start && s.start <= d.span.end)
            })
            .map(|d| d.index);
    }
    diagnostics.extend(problems);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text a suppression at line `comment_line` (0-based) covers.
    fn covered(text: &str, comment_line: usize) -> String {
        let source = SourceFile::new("t.yaml", text.to_string());
        let docs = crate::yaml::parse_stream(text);
        let mut problems = Vec::new();
        let s = parse(&source, &docs, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let line_start = lines(text)[comment_line].start;
        let s = s
            .iter()
            .find(|s| s.comment.start >= line_start)
            .expect("a suppression");
        text[s.scope.start..s.scope.end].to_string()
    }

    const TEXT: &str = "\
a: 1
# crdlint-ignore schema/type -- r
b:
- x: 1
  y: 2
- z: 3
c:
  # crdlint-ignore schema/type -- r
  - d: 1

    e: 2
  - f: 3
g: 4 # crdlint-ignore schema/type -- r
h: 5
";

    #[test]
    fn scope_is_the_next_node_with_what_is_nested_under_it() {
        // A key whose sequence is written at the key's own indentation.
        assert_eq!(covered(TEXT, 1), "b:\n- x: 1\n  y: 2\n- z: 3");
        // One sequence item, blank lines inside it included.
        assert_eq!(covered(TEXT, 7), "  - d: 1\n\n    e: 2");
        // A trailing comment covers its own line.
        assert_eq!(covered(TEXT, 12), "g: 4 # crdlint-ignore schema/type -- r");
    }

    #[test]
    fn a_comment_before_the_first_content_covers_the_document() {
        let text = "a: 1\n---\n# crdlint-ignore schema/type -- r\nb: 2\nc: 3\n";
        assert_eq!(
            covered(text, 2),
            "# crdlint-ignore schema/type -- r\nb: 2\nc: 3\n"
        );
    }

    #[test]
    fn a_hash_inside_a_value_is_not_a_comment() {
        assert_eq!(comment("a: x#crdlint-ignore schema/type -- r"), None);
        assert!(comment("a: x # crdlint-ignore schema/type -- r").is_some());
    }
}
