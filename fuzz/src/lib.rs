//! Helpers shared by the fuzz targets: the thread pool the CLI uses, invariants every
//! result must keep, and every report format rendered (renderers slice the source by span).

use crdlint::check::Report;
use crdlint::report::{self, Format};
use crdlint::source::Span;
use crdlint::yaml::{Document, Node, Value};
use std::sync::Once;

/// The global pool as `main` builds it (32 MiB worker stacks), with one thread: the fuzzer
/// shares the machine, and the output does not depend on the thread count.
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rayon::ThreadPoolBuilder::new()
            .stack_size(32 << 20)
            .num_threads(1)
            .build_global();
    });
}

fn check_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} span {span:?} out of bounds (text is {} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} not on a character boundary"
    );
}

fn check_node(text: &str, n: &Node, depth: usize) {
    // Aliases copy nodes: bound the walk, the spans repeat anyway.
    if depth > 64 {
        return;
    }
    check_span(text, n.span, "node");
    match &n.value {
        Value::Seq(items) => items.iter().for_each(|i| check_node(text, i, depth + 1)),
        Value::Map(entries) => {
            for e in entries {
                check_span(text, e.key_span, "key");
                check_node(text, &e.value, depth + 1);
            }
        }
        _ => {}
    }
}

/// Spans of nodes, keys, documents and problems are byte ranges of `text` on character
/// boundaries; documents are numbered in order.
pub fn check_documents(text: &str, docs: &[Document]) {
    for (i, d) in docs.iter().enumerate() {
        assert_eq!(d.index, i);
        check_span(text, d.span, "document");
        for p in &d.problems {
            check_span(text, p.span, "problem");
        }
        if let Some(root) = &d.root {
            check_node(text, root, 0);
        }
    }
}

/// No panic was caught, every span is valid, and every format renders.
pub fn check_report(report: &Report) {
    for d in &report.diagnostics {
        assert_ne!(d.rule, "internal/panic", "{}", d.message);
        assert!(!d.message.is_empty(), "empty message for {}", d.rule);
        if let Some(span) = d.span {
            check_span(&d.source.text, span, d.rule);
        }
        for r in &d.related {
            check_span(&d.source.text, r.span, "related");
        }
    }
    for format in [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
    ] {
        let _ = report::render(format, report, format == Format::Human);
    }
}

/// A YAML double-quoted scalar holding `s` exactly.
pub fn yaml_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' => {
                if (c as u32) <= 0xffff {
                    out.push_str(&format!("\\u{:04X}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08X}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` with every line indented by `n` spaces.
pub fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(&pad);
        out.push_str(line);
        out.push('\n');
    }
    out
}
