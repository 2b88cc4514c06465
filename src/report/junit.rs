//! `--format junit`: a `<testsuite>` per checked file and a `<testcase>` per resource; a testcase
//! fails with the error diagnostics of its document. Diagnostics about the whole file (or a
//! document that is not a resource) go to a testcase named after the file.

use super::sanitize;
use crate::check::CheckedFile;
use crate::diagnostics::{Diagnostic, ResourceRef, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Text content: `&`, `<`, `>` escaped, control characters made visible (XML 1.0 cannot hold
/// most of them even as character references).
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in sanitize::text(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Not characters XML allows.
            '\u{fffe}' | '\u{ffff}' => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// An attribute value: as text, and line breaks and tabs as character references, which a
/// parser keeps (written as they are, it normalises them to spaces).
fn attr(s: &str) -> String {
    xml(s).replace('\n', "&#10;").replace('\t', "&#9;")
}

fn resource_case(r: &ResourceRef, doc: usize) -> String {
    format!(
        "{} {} (document {doc})",
        r.kind,
        r.name.as_deref().unwrap_or("<unnamed>")
    )
}

fn line(d: &Diagnostic) -> String {
    let at = match d.span {
        Some(s) => {
            let lc = d.source.line_col(s.start);
            match &d.origin {
                Some(origin) => format!("{origin} in {}:{}:{}", d.source.name, lc.line, lc.column),
                None => format!("{}:{}:{}", d.source.name, lc.line, lc.column),
            }
        }
        None => d.file().to_string(),
    };
    format!("{at}: {} [{}] {}", d.severity.as_str(), d.rule, d.message)
}

fn testcase(out: &mut String, file: &str, name: &str, ds: &[&Diagnostic]) -> bool {
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"",
        attr(file),
        attr(name)
    );
    let errors: Vec<&&Diagnostic> = ds
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let others: Vec<&&Diagnostic> = ds
        .iter()
        .filter(|d| d.severity != Severity::Error)
        .collect();
    if ds.is_empty() {
        out.push_str("/>\n");
        return false;
    }
    out.push_str(">\n");
    if let Some(first) = errors.first() {
        let body: Vec<String> = errors.iter().map(|d| line(d)).collect();
        let _ = writeln!(
            out,
            "      <failure message=\"{}\" type=\"{}\">{}</failure>",
            attr(&first.message),
            attr(first.rule),
            xml(&body.join("\n"))
        );
    }
    if !others.is_empty() {
        let body: Vec<String> = others.iter().map(|d| line(d)).collect();
        let _ = writeln!(
            out,
            "      <system-out>{}</system-out>",
            xml(&body.join("\n"))
        );
    }
    out.push_str("    </testcase>\n");
    !errors.is_empty()
}

/// What one suite holds: the resources of a file (or of the documents a rendered stream
/// attributes to one origin), and its diagnostics.
#[derive(Default)]
struct Suite<'a> {
    /// The file, the document index and the resource.
    resources: Vec<(&'a str, usize, &'a ResourceRef)>,
    diagnostics: Vec<&'a Diagnostic>,
}

/// A suite per file: a checked file, or the origin a rendered stream gives its documents
/// (Helm's `# Source:`), or a path that could not be read.
pub fn render(files: &[CheckedFile], diagnostics: &[Diagnostic]) -> String {
    let mut suites: BTreeMap<&str, Suite> = BTreeMap::new();
    for f in files {
        suites.entry(&f.name).or_default();
        for (doc, r) in &f.resources {
            let name = f.origin(*doc).map_or(f.name.as_str(), |o| &**o);
            suites
                .entry(name)
                .or_default()
                .resources
                .push((&f.name, *doc, r));
        }
    }
    for d in diagnostics {
        suites.entry(d.file()).or_default().diagnostics.push(d);
    }
    let mut out_suites = String::new();
    let (mut total_tests, mut total_failures) = (0, 0);
    for (name, suite) in &suites {
        // A rendered stream whose documents all have an origin: nothing left to report on it.
        if suite.resources.is_empty()
            && suite.diagnostics.is_empty()
            && files
                .iter()
                .any(|f| f.name == *name && !f.origins.is_empty())
        {
            continue;
        }
        let ds = &suite.diagnostics;
        let mut body = String::new();
        let (mut tests, mut failures) = (0, 0);
        for (file, doc, r) in &suite.resources {
            let mine: Vec<&Diagnostic> = ds
                .iter()
                .copied()
                .filter(|d| {
                    d.source.name == *file
                        && d.document == Some(*doc)
                        && d.resource.as_deref() == Some(*r)
                })
                .collect();
            tests += 1;
            failures += usize::from(testcase(&mut body, name, &resource_case(r, *doc), &mine));
        }
        let rest: Vec<&Diagnostic> = ds
            .iter()
            .copied()
            .filter(|d| d.resource.is_none())
            .collect();
        if !rest.is_empty() || suite.resources.is_empty() {
            tests += 1;
            failures += usize::from(testcase(&mut body, name, name, &rest));
        }
        total_tests += tests;
        total_failures += failures;
        let _ = writeln!(
            out_suites,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\">",
            attr(name)
        );
        out_suites.push_str(&body);
        out_suites.push_str("  </testsuite>\n");
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"crdlint\" tests=\"{total_tests}\" failures=\"{total_failures}\">"
    );
    out.push_str(&out_suites);
    out.push_str("</testsuites>\n");
    out
}
