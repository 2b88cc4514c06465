//! `--format junit`: a `<testsuite>` per checked file and a `<testcase>` per resource; a testcase
//! fails with the error diagnostics of its document. Diagnostics about the whole file (or a
//! document that is not a resource) go to a testcase named after the file.

use crate::check::CheckedFile;
use crate::diagnostics::{Diagnostic, ResourceRef, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn resource_case(r: &ResourceRef, doc: usize) -> String {
    format!(
        "{} {} (document {doc})",
        r.kind,
        r.name.as_deref().unwrap_or("<unnamed>")
    )
}

fn line(d: &Diagnostic) -> String {
    let at = d
        .span
        .map(|s| {
            let lc = d.source.line_col(s.start);
            format!("{}:{}:{}", d.source.name, lc.line, lc.column)
        })
        .unwrap_or_else(|| d.source.name.clone());
    format!("{at}: {} [{}] {}", d.severity.as_str(), d.rule, d.message)
}

fn testcase(out: &mut String, file: &str, name: &str, ds: &[&Diagnostic]) -> bool {
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"",
        xml(file),
        xml(name)
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
            xml(&first.message),
            xml(first.rule),
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

pub fn render(files: &[CheckedFile], diagnostics: &[Diagnostic]) -> String {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        by_file.entry(&d.source.name).or_default().push(d);
    }
    // Files that could not even be listed (a missing path) still get a suite.
    let mut names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    names.extend(
        by_file
            .keys()
            .filter(|n| !files.iter().any(|f| f.name == **n)),
    );
    names.sort();
    let mut suites = String::new();
    let (mut total_tests, mut total_failures) = (0, 0);
    for name in names {
        let ds = by_file.get(name).cloned().unwrap_or_default();
        let resources = files
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.resources.as_slice())
            .unwrap_or_default();
        let mut body = String::new();
        let (mut tests, mut failures) = (0, 0);
        let of_doc = |i: usize| -> Vec<&Diagnostic> {
            ds.iter()
                .copied()
                .filter(|d| d.document == Some(i) && d.resource.is_some())
                .collect()
        };
        for (doc, r) in resources {
            let mine: Vec<&Diagnostic> = of_doc(*doc)
                .into_iter()
                .filter(|d| d.resource.as_deref() == Some(r))
                .collect();
            tests += 1;
            failures += usize::from(testcase(&mut body, name, &resource_case(r, *doc), &mine));
        }
        let rest: Vec<&Diagnostic> = ds
            .iter()
            .copied()
            .filter(|d| d.resource.is_none())
            .collect();
        if !rest.is_empty() || resources.is_empty() {
            tests += 1;
            failures += usize::from(testcase(&mut body, name, name, &rest));
        }
        total_tests += tests;
        total_failures += failures;
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\">",
            xml(name)
        );
        suites.push_str(&body);
        suites.push_str("  </testsuite>\n");
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"crdlint\" tests=\"{total_tests}\" failures=\"{total_failures}\">"
    );
    out.push_str(&suites);
    out.push_str("</testsuites>\n");
    out
}
