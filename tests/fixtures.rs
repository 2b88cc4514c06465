//! Hand-written fixtures: `fixtures/crds/<name>/crd.yaml` with `valid/` files that must produce
//! no error and `invalid/` files whose full human and JSON output is snapshotted beside them
//! (`invalid/snapshots/`), so a change in any message, span or rule shows up in review.

use crdlint::check::{self, Options};
use crdlint::diagnostics::Severity;
use crdlint::report::{self, Format};
use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|x| x == "yaml"));
    v.sort();
    v
}

fn fixture_dirs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("fixtures/crds")
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("crd.yaml").is_file())
        .collect();
    v.sort();
    assert!(!v.is_empty());
    v
}

fn run(file: &Path, crd: &Path) -> check::Report {
    check::run(&Options {
        paths: vec![file.to_path_buf()],
        crds: vec![crd.to_path_buf()],
        ..Options::default()
    })
}

#[test]
fn valid_fixtures_have_no_errors() {
    for dir in fixture_dirs() {
        let crd = dir.join("crd.yaml");
        // The CRD's own findings are listed in `crd.rules` (one rule id per line, `#` for
        // comments); without that file the CRD must have none.
        let own = check::run(&Options {
            paths: vec![crd.clone()],
            ..Options::default()
        });
        let rules: Vec<&str> = own.diagnostics.iter().map(|d| d.rule).collect();
        let expected: Vec<String> = std::fs::read_to_string(dir.join("crd.rules"))
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        assert_eq!(rules, expected, "{}", crd.display());
        for f in yaml_files(&dir.join("valid")) {
            let r = run(&f, &crd);
            let errors: Vec<&str> = r
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| d.message.as_str())
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", f.display());
            // Every CEL rule was evaluated: a valid file proves nothing about a rule skipped.
            assert!(
                !r.diagnostics.iter().any(|d| d.rule == "cel/unsupported"),
                "{}: a CEL rule was not evaluated",
                f.display()
            );
            // Every resource found its CRD among the --crds sources (which are scanned lazily).
            assert!(
                !r.diagnostics
                    .iter()
                    .any(|d| d.rule == "resource/missing-crd"),
                "{}: a CRD was not loaded",
                f.display()
            );
            assert!(
                r.summary.resources > 0,
                "{}: no resource checked",
                f.display()
            );
        }
    }
}

#[test]
fn invalid_fixtures_match_their_snapshots() {
    for dir in fixture_dirs() {
        let crd = dir.join("crd.yaml");
        let snapshots = std::fs::canonicalize(dir.join("invalid"))
            .unwrap()
            .join("snapshots");
        for f in yaml_files(&dir.join("invalid")) {
            let r = run(&f, &crd);
            assert!(
                r.diagnostics.iter().any(|d| d.severity == Severity::Error),
                "{}: expected errors",
                f.display()
            );
            let stem = f.file_stem().unwrap().to_string_lossy().to_string();
            let human = report::render(Format::Human, &r, false);
            let json = report::render(Format::Json, &r, false);
            insta::with_settings!({
                snapshot_path => &snapshots,
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(format!("{stem}.human"), human);
                insta::assert_snapshot!(format!("{stem}.json"), json);
            });
        }
    }
}

/// CRD lint fixtures: each `fixtures/lint/<family>/<case>.yaml` is a CRD (or several) whose own
/// findings are snapshotted beside it (`fixtures/lint/<family>/snapshots/`). A case must produce
/// at least one diagnostic of its family, so an empty snapshot cannot pass unnoticed.
#[test]
fn lint_fixtures_match_their_snapshots() {
    let mut families: Vec<PathBuf> = std::fs::read_dir("fixtures/lint")
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    families.sort();
    assert!(!families.is_empty());
    for dir in families {
        let family = dir.file_name().unwrap().to_string_lossy().to_string();
        let snapshots = std::fs::canonicalize(&dir).unwrap().join("snapshots");
        for f in yaml_files(&dir) {
            // The default rules, and those of the case's family that are off by default: a case
            // shows what its family finds.
            let mut rules = crdlint::rules::selection::RuleSettings::default();
            rules.command_line.extend_select = crdlint::rules::RULES
                .keys()
                .filter(|id| crdlint::rules::family(id) == family)
                .cloned()
                .collect();
            let r = check::run(&Options {
                paths: vec![f.clone()],
                rules: std::sync::Arc::new(rules),
                ..Options::default()
            });
            assert!(
                r.diagnostics
                    .iter()
                    .any(|d| d.rule.starts_with(&format!("{family}/"))),
                "{}: expected a {family}/* diagnostic",
                f.display()
            );
            let stem = f.file_stem().unwrap().to_string_lossy().to_string();
            let human = report::render(Format::Human, &r, false);
            let json = report::render(Format::Json, &r, false);
            insta::with_settings!({
                snapshot_path => &snapshots,
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(format!("{stem}.human"), human);
                insta::assert_snapshot!(format!("{stem}.json"), json);
            });
        }
    }
}

/// `fixtures/lint/cel/bind.yaml`: every rule calling `cel.bind` is refused with the oracle's
/// compile errors (recorded in `bind.oracle.json` from kubectl-validate 1.35), field for field
/// and word for word after "compilation failed: " (the bad value before it is printed as the
/// API server prints it, where kubectl-validate prints JSON).
#[test]
fn cel_bind_compile_errors_are_the_oracles() {
    let oracle: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("fixtures/lint/cel/bind.oracle.json").unwrap(),
    )
    .unwrap();
    let detail = |m: &str| {
        m.split_once("compilation failed: ")
            .map(|(_, d)| d.to_string())
    };
    let expected: Vec<(String, Option<String>)> = oracle["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let message = c["message"].as_str().unwrap();
            (c["field"].as_str().unwrap().to_string(), detail(message))
        })
        .collect();
    let r = check::run(&Options {
        paths: vec![PathBuf::from("fixtures/lint/cel/bind.yaml")],
        ..Options::default()
    });
    let found: Vec<(String, Option<String>)> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "cel/compile-error")
        .map(|d| (d.field.clone().unwrap(), detail(&d.message)))
        .collect();
    assert_eq!(expected.len(), 9);
    assert_eq!(found, expected);
}

/// Upgrade fixtures: each `fixtures/upgrade/<name>/` holds `old.yaml`, `new.yaml` (a change that
/// triggers `upgrade/<name>`) and `safe.yaml` (a change of the same CRD that does not). The
/// findings of comparing each with `old.yaml` are snapshotted beside them (`snapshots/`), as
/// `crdlint diff` reports them; for `breaks-resource`, whose files hold resources too, as
/// `crdlint check --base` does.
#[test]
fn upgrade_fixtures_match_their_snapshots() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir("fixtures/upgrade")
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    let ids: Vec<&str> = crdlint::lint::RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| id.starts_with("upgrade/"))
        .collect();
    let names: Vec<String> = cases
        .iter()
        .map(|c| format!("upgrade/{}", c.file_name().unwrap().to_string_lossy()))
        .collect();
    for id in &ids {
        assert!(names.iter().any(|n| n == id), "no fixture for {id}");
    }
    for dir in cases {
        let rule = format!("upgrade/{}", dir.file_name().unwrap().to_string_lossy());
        let snapshots = std::fs::canonicalize(&dir).unwrap().join("snapshots");
        let diff = rule != "upgrade/breaks-resource";
        for (file, triggers) in [("new.yaml", true), ("safe.yaml", false)] {
            let mut rules = crdlint::rules::selection::RuleSettings::default();
            if diff {
                rules.restrict = Some(
                    crdlint::cli::DIFF_FAMILIES
                        .iter()
                        .map(|f| f.to_string())
                        .collect(),
                );
            }
            let r = check::run(&Options {
                paths: vec![dir.join(file)],
                base: Some(check::BaseSource::Paths(vec![dir.join("old.yaml")])),
                diff,
                rules: std::sync::Arc::new(rules),
                ..Options::default()
            });
            let fired = r.diagnostics.iter().any(|d| d.rule == rule);
            assert_eq!(fired, triggers, "{}: {rule} on {file}", dir.display());
            let stem = file.trim_end_matches(".yaml");
            let human = report::render(Format::Human, &r, false);
            let json = report::render(Format::Json, &r, false);
            insta::with_settings!({
                snapshot_path => &snapshots,
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(format!("{stem}.human"), human);
                insta::assert_snapshot!(format!("{stem}.json"), json);
            });
        }
    }
}
