//! Bad input gets a clear error, nothing else is lost, and no panic reaches the user: the
//! limits (documents per file, diagnostics per file, input size), paths that cannot be read,
//! and the inputs the fuzzers in `fuzz/` found, run through the entry point that found them.

mod common;

use crdlint::check::{self, Options, Report};
use crdlint::rules::selection::RuleSettings;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const GADGET_CRD: &str = "fixtures/crds/gadget/crd.yaml";
const GADGET_OK: &str =
    "apiVersion: fixtures.crdlint.dev/v1\nkind: Gadget\nmetadata:\n  name: ok\nspec:\n  size: 2\n";
const GADGET_BAD: &str = "apiVersion: fixtures.crdlint.dev/v1\nkind: Gadget\nmetadata:\n  name: bad\nspec:\n  size: 99\n";

fn crdlint(args: &[&str], cwd: Option<&Path>, stdin: Option<Stdio>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_crdlint"));
    cmd.args(args).env("NO_COLOR", "1");
    if let Some(d) = cwd {
        cmd.current_dir(d);
    }
    cmd.stdin(stdin.unwrap_or_else(Stdio::null));
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "crdlint panicked: {stderr}");
    out
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// (file, rule, message) of every diagnostic.
fn found(v: &serde_json::Value) -> Vec<(String, String, String)> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["file"].as_str().unwrap().to_string(),
                x["rule"].as_str().unwrap().to_string(),
                x["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The one diagnostic of `file`: it has `rule`, its message is one line and contains `text`.
fn one_line(v: &serde_json::Value, file: &str, rule: &str, text: &str) {
    let all = found(v);
    let of_file: Vec<_> = all.iter().filter(|(f, _, _)| f == file).collect();
    assert_eq!(of_file.len(), 1, "{file}: {all:#?}");
    let (_, r, m) = of_file[0];
    assert_eq!(r, rule, "{m}");
    assert!(m.contains(text), "{m:?} does not contain {text:?}");
    assert!(!m.contains('\n') && !m.contains("os error"), "{m:?}");
}

/// The gadget resources that fail validation, by file: proof the other files were checked.
fn schema_errors_in(v: &serde_json::Value, file: &str) -> usize {
    found(v)
        .iter()
        .filter(|(f, r, _)| f == file && r == "schema/maximum")
        .count()
}

fn check_bytes(name: &str, bytes: &[u8]) -> Report {
    check::run(&Options {
        paths: vec![PathBuf::from("-")],
        stdin_name: name.to_string(),
        stdin_text: Some(bytes.to_vec()),
        ..Options::default()
    })
}

fn assert_no_panic(report: &Report) {
    assert!(
        !common::rules_of(report).contains(&"internal/panic"),
        "{:?}",
        report.diagnostics
    );
}

// ---- Inputs found by the fuzzers (fuzz/), through the same entry points. ----

/// fuzz/check: the span of an invalid UTF-8 byte ended inside the U+FFFD that replaces it
/// (`end_column` equal to `column`, and an offset that is not a character boundary).
#[test]
fn fuzz_invalid_utf8_span_covers_the_replacement_character() {
    let report = check_bytes("f.yaml", b"a: x\xa5\x9by\n");
    assert_no_panic(&report);
    assert_eq!(common::rules_of(&report), vec!["input/encoding"]);
    let d = &report.diagnostics[0];
    let span = d.span.unwrap();
    assert_eq!(&d.source.text[span.start..span.end], "\u{fffd}");
    let v: serde_json::Value = serde_json::from_str(&crdlint::report::render(
        crdlint::report::Format::Json,
        &report,
        false,
    ))
    .unwrap();
    assert_eq!(v["diagnostics"][0]["column"], 5);
    assert_eq!(v["diagnostics"][0]["end_column"], 6);
}

// ---- Documents per file. ----

#[test]
fn documents_past_the_limit_are_reported_once_and_not_read() {
    let max = crdlint::yaml::MAX_DOCUMENTS;
    let mut text = GADGET_BAD.to_string();
    for _ in 1..max + 5 {
        text.push_str("---\na: 1\n");
    }
    // One more invalid resource after the limit: never read, so never reported.
    text.push_str("---\n");
    text.push_str(GADGET_BAD);
    let crds = vec![PathBuf::from(GADGET_CRD)];
    let report = check::run(&Options {
        paths: vec![PathBuf::from("-")],
        stdin_name: "stream.yaml".into(),
        stdin_text: Some(text.clone().into_bytes()),
        crds,
        ..Options::default()
    });
    assert_no_panic(&report);
    let limits: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "yaml/limit")
        .collect();
    assert_eq!(limits.len(), 1, "{:?}", common::rules_of(&report));
    assert_eq!(
        limits[0].message,
        format!(
            "the file holds {} documents, more than the limit of {max}: the documents from here on are not read",
            max + 6
        )
    );
    assert_eq!(limits[0].document, Some(max));
    assert_eq!(report.summary.documents, max);
    // The first document was validated; the one after the limit was not.
    let maximum: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "schema/maximum")
        .map(|d| d.document)
        .collect();
    assert_eq!(maximum, vec![Some(0)]);
    assert!(check::has_errors(&report));
}

#[test]
#[cfg_attr(
    not(shared_corpus),
    ignore = "../shared/corpus is absent: this conformance test did not run"
)]
fn the_corpus_stream_of_2000_documents_is_well_under_the_document_limit() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let text = std::fs::read_to_string(corpus.join("bench/widgets/all.yaml")).unwrap();
    let docs = crdlint::yaml::parse_stream(&text);
    assert_eq!(docs.len(), 2000);
    assert!(docs.len() * 5 <= crdlint::yaml::MAX_DOCUMENTS);
    assert!(docs.iter().all(|d| d.problems.is_empty()));
}

// ---- Diagnostics per file. ----

/// `n` gadget resources, each with one error (`spec.size` over its maximum).
fn many_errors(n: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&GADGET_BAD.replace("name: bad", &format!("name: bad{i}")));
        text.push_str("---\n");
    }
    text
}

#[test]
fn diagnostics_past_the_cap_are_counted_in_one_note_errors_first() {
    // 30 resources: each has one error (size over the maximum) and one warning (status
    // with the status subresource enabled and a wrong type, which a create drops).
    let mut text = String::new();
    for i in 0..30 {
        text.push_str(&format!(
            "{}status:\n  phase: 1\n---\n",
            GADGET_BAD.replace("name: bad", &format!("name: bad{i}"))
        ));
    }
    let run = |cap: usize| {
        check::run(&Options {
            paths: vec![PathBuf::from("-")],
            stdin_name: "many.yaml".into(),
            stdin_text: Some(text.clone().into_bytes()),
            crds: vec![PathBuf::from(GADGET_CRD)],
            max_diagnostics_per_file: cap,
            ..Options::default()
        })
    };
    let all = run(0);
    assert_eq!(all.summary.errors, 30, "{:?}", common::rules_of(&all));
    assert_eq!(all.summary.warnings, 30);
    let capped = run(40);
    assert_eq!(capped.diagnostics.len(), 41);
    // Every error kept, then the warnings that fit; the note says what was left out.
    assert_eq!(capped.summary.errors, 30);
    assert_eq!(capped.summary.warnings, 11);
    let note = &capped.diagnostics[0];
    assert_eq!(note.rule, "input/too-many-diagnostics");
    assert_eq!(
        note.message,
        "many.yaml has more than 40 diagnostics: 20 more (20 warnings) are not shown"
    );
    assert!(note.span.is_none());
    // Below the number of failing documents, every document still shows its first error: the
    // cap never hides a failing document. The rest are counted.
    let tiny = run(5);
    assert_eq!(tiny.summary.errors, 30);
    assert!(check::has_errors(&tiny));
    assert!(
        tiny.diagnostics[0]
            .message
            .ends_with("30 more (30 warnings) are not shown"),
        "{}",
        tiny.diagnostics[0].message
    );
    let kept: Vec<_> = tiny.diagnostics[1..].iter().map(|d| d.document).collect();
    assert_eq!(kept, (0..30).map(Some).collect::<Vec<_>>());
}

#[test]
fn the_cap_keeps_each_failing_documents_first_error_and_counts_the_rest() {
    // 2,000 documents, each with three errors: a cap of 1,000 keeps the first error of each
    // document (2,000), and errors left out are counted by severity.
    let doc = "apiVersion: fixtures.crdlint.dev/v1\nkind: Gadget\nmetadata:\n  name: Bad_Name\nspec:\n  size: 99\n  colour: x\n---\n";
    let text = doc.repeat(2000);
    let report = check::run(&Options {
        paths: vec![PathBuf::from("-")],
        stdin_name: "all.yaml".into(),
        stdin_text: Some(text.into_bytes()),
        crds: vec![PathBuf::from(GADGET_CRD)],
        max_diagnostics_per_file: 1000,
        ..Options::default()
    });
    let mut with_error = std::collections::BTreeSet::new();
    for d in &report.diagnostics {
        if d.severity == crdlint::diagnostics::Severity::Error {
            with_error.insert(d.document);
        }
    }
    assert_eq!(
        with_error.len(),
        2000,
        "every failing document shows an error"
    );
    assert_eq!(report.summary.errors, 2000);
    let note = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "input/too-many-diagnostics")
        .expect("the note");
    assert_eq!(
        note.message,
        "all.yaml has more than 1000 diagnostics: 4000 more (4000 errors) are not shown"
    );
}

#[test]
fn the_cap_counts_only_diagnostics_that_survive_rule_settings() {
    let text = many_errors(20);
    let mut rules = RuleSettings::default();
    rules.command_line.ignore.push("schema/maximum".into());
    let report = check::run(&Options {
        paths: vec![PathBuf::from("-")],
        stdin_text: Some(text.into_bytes()),
        crds: vec![PathBuf::from(GADGET_CRD)],
        max_diagnostics_per_file: 3,
        rules: std::sync::Arc::new(rules),
        ..Options::default()
    });
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
}

#[test]
fn max_diagnostics_per_file_flag_limits_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // a.yaml: 6 documents with 2 errors each (size over the maximum, an unknown field).
    let two_errors = many_errors(6).replace("size: 99\n", "size: 99\n  colour: x\n");
    std::fs::write(d.join("a.yaml"), two_errors).unwrap();
    std::fs::write(d.join("b.yaml"), many_errors(2)).unwrap();
    let crd = std::fs::canonicalize(GADGET_CRD).unwrap();
    let args = |cap: &'static str| {
        vec![
            "check".to_string(),
            "--format".into(),
            "json".into(),
            "--crds".into(),
            crd.to_str().unwrap().to_string(),
            "--max-diagnostics-per-file".into(),
            cap.into(),
            ".".into(),
        ]
    };
    let run = |cap| {
        let a = args(cap);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        crdlint(&a, Some(d), None)
    };
    let out = run("10");
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let shown = |v: &serde_json::Value, file: &str| {
        found(v)
            .iter()
            .filter(|(f, r, _)| f == file && r != "input/too-many-diagnostics")
            .count()
    };
    assert_eq!(shown(&v, "a.yaml"), 10);
    assert_eq!(shown(&v, "b.yaml"), 2);
    assert!(found(&v).iter().any(|(f, r, m)| f == "a.yaml"
        && r == "input/too-many-diagnostics"
        && m == "a.yaml has more than 10 diagnostics: 2 more (2 errors) are not shown"));
    let v = json(&run("0"));
    assert_eq!(shown(&v, "a.yaml"), 12);
    assert!(
        !found(&v)
            .iter()
            .any(|(_, r, _)| r == "input/too-many-diagnostics")
    );
}

// ---- Paths that cannot be read: one clear line each, the other files still checked. ----

/// A directory with one good and one bad gadget resource beside the path under test.
fn beside_good_and_bad() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.yaml"), GADGET_OK).unwrap();
    std::fs::write(dir.path().join("bad.yaml"), GADGET_BAD).unwrap();
    dir
}

fn gadget_crd() -> String {
    std::fs::canonicalize(GADGET_CRD)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn permission_denied_is_one_line_and_the_rest_is_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = beside_good_and_bad();
    let d = dir.path();
    let locked = d.join("locked.yaml");
    std::fs::write(&locked, GADGET_BAD).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        eprintln!("SKIPPED: running with privileges that read a mode-000 file (root)");
        return;
    }
    let crd = gadget_crd();
    let out = crdlint(
        &[
            "check",
            "--format",
            "json",
            "--crds",
            &crd,
            "locked.yaml",
            "good.yaml",
            "bad.yaml",
        ],
        Some(d),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    one_line(
        &v,
        "locked.yaml",
        "input/unreadable",
        "cannot read locked.yaml: permission denied",
    );
    assert_eq!(schema_errors_in(&v, "bad.yaml"), 1);
}

#[test]
fn symlink_loop_is_one_line_and_the_rest_is_checked() {
    let dir = beside_good_and_bad();
    let d = dir.path();
    std::os::unix::fs::symlink("loop.yaml", d.join("loop.yaml")).unwrap();
    let crd = gadget_crd();
    let out = crdlint(
        &[
            "check",
            "--format",
            "json",
            "--crds",
            &crd,
            "loop.yaml",
            "good.yaml",
            "bad.yaml",
        ],
        Some(d),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    one_line(
        &v,
        "loop.yaml",
        "input/unreadable",
        "cannot read loop.yaml: too many levels of symbolic links",
    );
    assert_eq!(schema_errors_in(&v, "bad.yaml"), 1);
    // A directory walk does not follow symbolic links, so a loop inside one is no error.
    let out = crdlint(
        &["check", "--format", "json", "--crds", &crd, "."],
        Some(d),
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(schema_errors_in(&json(&out), "bad.yaml"), 1);
}

#[test]
fn crds_given_as_a_directory_are_walked_and_a_file_used_as_a_directory_is_one_line() {
    let dir = beside_good_and_bad();
    let d = dir.path();
    // A directory where a CRD file might be expected: its CRDs are found.
    std::fs::create_dir(d.join("crds.yaml")).unwrap();
    std::fs::copy(GADGET_CRD, d.join("crds.yaml/gadget.yaml")).unwrap();
    let out = crdlint(
        &[
            "check",
            "--format",
            "json",
            "--crds",
            "crds.yaml",
            "good.yaml",
            "bad.yaml",
        ],
        Some(d),
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(schema_errors_in(&v, "bad.yaml"), 1);
    assert!(
        !found(&v)
            .iter()
            .any(|(_, r, _)| r == "resource/missing-crd")
    );
    // A file named as a directory (`crd.yaml/`): one line, exit 2, the rest checked.
    let crd_as_dir = format!("{}/", gadget_crd());
    let out = crdlint(
        &[
            "check",
            "--format",
            "json",
            "--crds",
            &crd_as_dir,
            "--crds",
            "crds.yaml",
            "good.yaml",
            "bad.yaml",
        ],
        Some(d),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    one_line(&v, &crd_as_dir, "input/unreadable", ": not a directory");
    assert_eq!(schema_errors_in(&v, "bad.yaml"), 1);
}

#[test]
fn a_fifo_is_read_like_a_file() {
    let dir = beside_good_and_bad();
    let d = dir.path();
    let fifo = d.join("fifo.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED: mkfifo is not available");
        return;
    }
    // The writer blocks until crdlint opens the FIFO for reading, then writes and closes.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            f.write_all(GADGET_BAD.replace("name: bad", "name: piped").as_bytes())
                .unwrap();
        })
    };
    let crd = gadget_crd();
    let out = crdlint(
        &[
            "check",
            "--format",
            "json",
            "--crds",
            &crd,
            "fifo.yaml",
            "good.yaml",
        ],
        Some(d),
        None,
    );
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(schema_errors_in(&json(&out), "fifo.yaml"), 1);
}

#[test]
fn an_endless_device_or_stdin_is_read_up_to_the_size_limit_only() {
    if !Path::new("/dev/zero").exists() {
        eprintln!("SKIPPED: no /dev/zero");
        return;
    }
    let dir = beside_good_and_bad();
    let d = dir.path();
    let crd = gadget_crd();
    let out = crdlint(
        &[
            "check",
            "--format",
            "json",
            "--max-file-size",
            "8192",
            "--crds",
            &crd,
            "/dev/zero",
            "bad.yaml",
        ],
        Some(d),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    one_line(
        &v,
        "/dev/zero",
        "input/unreadable",
        "cannot read /dev/zero: input is larger than the limit of 8192 bytes",
    );
    assert_eq!(schema_errors_in(&v, "bad.yaml"), 1);
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let out = crdlint(
        &[
            "check",
            "--format",
            "json",
            "--max-file-size",
            "8192",
            "--crds",
            &crd,
            "-",
            "bad.yaml",
        ],
        Some(d),
        Some(Stdio::from(zero)),
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    one_line(
        &v,
        "<stdin>",
        "input/unreadable",
        "input is larger than the limit of 8192 bytes",
    );
    assert_eq!(schema_errors_in(&v, "bad.yaml"), 1);
}

// ---- CEL rules that would exhaust or crash the evaluator. ----

/// A CRD with one CEL rule on `spec`, then a resource of it, then an invalid gadget-free
/// resource of the same CRD (a type error): proof the rest of the file is still checked.
fn crd_with_rule(rule: &str) -> String {
    format!(
        "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.demo.example.com
spec:
  group: demo.example.com
  scope: Namespaced
  names: {{kind: Thing, plural: things, singular: thing, listKind: ThingList}}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-validations:
                - rule: {}
              properties:
                size: {{type: integer}}
---
apiVersion: demo.example.com/v1
kind: Thing
metadata: {{name: a}}
spec: {{size: 1}}
---
apiVersion: demo.example.com/v1
kind: Thing
metadata: {{name: b}}
spec: {{size: one}}
",
        serde_json::to_string(rule).unwrap()
    )
}

#[test]
fn a_rule_calling_lists_range_is_withheld_not_evaluated() {
    // Evaluated, this allocates 2^62 list elements: the process aborts.
    let report = common::check_text(
        "range.yaml",
        &crd_with_rule("lists.range(4611686018427387904).size() > 0"),
    );
    assert_no_panic(&report);
    let unsupported: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "cel/unsupported")
        .map(|d| (d.document, d.message.as_str()))
        .collect();
    assert_eq!(unsupported.len(), 2, "{unsupported:#?}");
    assert_eq!(unsupported[0].0, Some(0));
    assert!(unsupported[0].1.contains(
        "resources are not checked against this rule: crdlint does not evaluate lists.range"
    ));
    assert_eq!(unsupported[1].0, Some(1));
    assert!(unsupported[1].1.starts_with(
        "spec: rule \"lists.range(4611686018427387904).size() > 0\" was not checked: crdlint does not evaluate lists.range"
    ));
    // The type error in the last document is still found (a blocking error: no CEL there).
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.rule == "schema/type" && d.document == Some(2))
    );
}

#[test]
fn a_rule_constructing_a_message_is_withheld_not_evaluated() {
    // cel-rust's evaluator panics on `Type{...}` ("not yet implemented: Support structs!").
    let report = common::check_text("struct.yaml", &crd_with_rule("{'a': M{}}.size() == 1"));
    assert_no_panic(&report);
    let unsupported: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "cel/unsupported")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(unsupported.len(), 2, "{unsupported:#?}");
    assert!(
        unsupported[1].ends_with(
            "was not checked: crdlint does not evaluate message construction (`Type{field: value}`): the CEL evaluator does not implement it"
        ),
        "{}",
        unsupported[1]
    );
}

#[test]
fn a_panic_in_the_cel_evaluator_costs_that_object_its_rules_only() {
    // kube-cel's `format` panics on a precision Rust's formatter refuses.
    let report = common::check_text(
        "format.yaml",
        &crd_with_rule("'%.900000000f'.format([1.0]).size() > 0"),
    );
    assert_no_panic(&report);
    let unsupported: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "cel/unsupported")
        .collect();
    assert_eq!(unsupported.len(), 1, "{:?}", report.diagnostics);
    assert_eq!(unsupported[0].document, Some(1));
    assert!(
        unsupported[0]
            .message
            .contains("the CEL evaluator failed on this object"),
        "{}",
        unsupported[0].message
    );
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.rule == "schema/type" && d.document == Some(2))
    );
}

#[test]
fn a_caught_panic_is_one_line_on_stderr() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crdlint"))
        .args(["check", "--format", "json", "-"])
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(crd_with_rule("'%.900000000f'.format([1.0]).size() > 0").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    // One error (the type error in the last document); the panic is a warning.
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("crdlint: internal error at ") && stderr.contains("please report it"),
        "{stderr}"
    );
    assert!(json(&out)["summary"]["warnings"] == 1);
}

#[test]
fn a_file_named_and_found_by_a_walk_is_checked_once() {
    let dir = beside_good_and_bad();
    let crd = gadget_crd();
    let out = crdlint(
        &[
            "check",
            "--format",
            "json",
            "--crds",
            &crd,
            "bad.yaml",
            "./bad.yaml",
            ".",
        ],
        Some(dir.path()),
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(schema_errors_in(&v, "bad.yaml"), 1, "{:#?}", found(&v));
    assert_eq!(v["summary"]["files"], 2);
}

#[test]
fn yaml_problems_fail_only_what_kubectl_is_given() {
    let sev = |text: &str| -> Vec<(&'static str, crdlint::diagnostics::Severity)> {
        common::check_text("x.yaml", text)
            .diagnostics
            .iter()
            .map(|d| (d.rule, d.severity))
            .collect()
    };
    use crdlint::diagnostics::Severity::{Error, Info, Warning};
    // An object with a syntax error or a duplicate key: errors, as for kubectl.
    assert_eq!(
        sev("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n"),
        [("yaml/syntax", Error)]
    );
    assert!(
        sev("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '1', x: '2'}\n")
            .contains(&("yaml/duplicate-key", Error))
    );
    // A Go template kubectl never sees as written: one info.
    assert_eq!(
        sev(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {{ .Namespace }}\n  labels:\n    {{- range .Labels }}\n    {{ .Key }}: x\n    {{- end }}\n"
        ),
        [("yaml/template", Info)]
    );
    // Not an object (Helm values, a tool's configuration): warnings.
    assert_eq!(
        sev("replicas: 1\nimage: {repository: a, tag: b, tag: c}\n"),
        [("yaml/duplicate-key", Warning)]
    );
    assert_eq!(
        sev("menu:\n  - name: a\n   url: b\n"),
        [("yaml/syntax", Warning)]
    );
}
