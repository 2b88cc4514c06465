//! Machine formats on a fixture with errors, warnings, infos and a clean file.

use std::process::Command;

const CRD: &str = "fixtures/crds/gadget/crd.yaml";
const MIXED: &str = "fixtures/crds/gadget/invalid/versions-and-kinds.yaml";
const BOUNDS: &str = "fixtures/crds/gadget/invalid/bounds.yaml";
const CLEAN: &str = "fixtures/crds/gadget/valid/defaults-and-merges.yaml";

fn run(format: &str, extra: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_crdlint"))
        .args(["check", "--crds", CRD, "--format", format])
        .args(extra)
        .args([MIXED, BOUNDS, CLEAN])
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn sarif_has_the_required_2_1_0_structure() {
    let (code, text) = run("sarif", &[]);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "crdlint");
    let rules = driver["rules"].as_array().unwrap();
    assert!(rules.len() >= 40);
    for r in rules {
        assert!(r["id"].is_string() && r["shortDescription"]["text"].is_string());
        assert!(
            r["help"]["text"]
                .as_str()
                .unwrap()
                .contains("## What it checks")
        );
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let levels: std::collections::BTreeSet<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "note", "warning"].into_iter().collect());
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert!(r["message"]["text"].is_string());
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(
            loc["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with("fixtures/")
        );
        let region = &loc["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
    }
    let max = results
        .iter()
        .find(|r| r["ruleId"] == "schema/maximum")
        .unwrap();
    assert_eq!(
        max["locations"][0]["physicalLocation"]["region"]["startLine"],
        6
    );
    assert_eq!(
        max["locations"][0]["physicalLocation"]["region"]["startColumn"],
        9
    );
}

#[test]
fn github_lines_follow_the_workflow_command_syntax() {
    let (code, text) = run("github", &[]);
    assert_eq!(code, Some(1));
    let re = regex::Regex::new(
        r"^::(error|warning|notice) file=[^,:]+(,line=\d+,col=\d+,endLine=\d+,endColumn=\d+)?,title=[a-z]+/[a-z0-9-]+::.+$",
    )
    .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 5);
    for l in &lines {
        assert!(re.is_match(l), "bad line: {l}");
    }
    assert!(lines.iter().any(|l| l.starts_with("::warning ")));
    assert!(lines.iter().any(|l| l.starts_with("::notice ")));
    assert!(lines.iter().any(|l| l.starts_with(
        "::error file=fixtures/crds/gadget/invalid/bounds.yaml,line=6,col=9,endLine=6,endColumn=11,title=schema/maximum::spec.size: Invalid value: 11"
    )));
}

#[test]
fn junit_has_a_suite_per_file_and_a_case_per_resource() {
    let (code, text) = run("junit", &[]);
    assert_eq!(code, Some(1));
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    assert_eq!(text.matches("<testsuite ").count(), 3);
    // bounds.yaml: 3 resources, 2 failing, plus a file-level case for its YAML advice; the
    // clean file: 3 passing cases (a List of 2, and 1).
    assert!(text.contains(
        "<testsuite name=\"fixtures/crds/gadget/invalid/bounds.yaml\" tests=\"4\" failures=\"2\">"
    ));
    assert!(
        text.contains("name=\"Gadget ok-in-the-middle (document 2)\"/>"),
        "{text}"
    );
    assert!(text.contains(
        "<testsuite name=\"fixtures/crds/gadget/valid/defaults-and-merges.yaml\" tests=\"3\" failures=\"0\">"
    ));
    assert!(text.contains("<failure message=\"spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10\" type=\"schema/maximum\">"));
    assert_eq!(
        text.matches("<testcase ").count(),
        text.matches("</testcase>").count() + text.matches("\"/>").count()
    );
}

#[test]
fn output_file_quiet_and_color() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    let (code, stdout) = run("json", &["--quiet", "--output", file.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty());
    assert!(diags.iter().all(|d| d["severity"] == "error"));
    assert!(
        v["summary"]["warnings"].as_u64().unwrap() > 0,
        "the summary still counts warnings"
    );
    let (_, colored) = run("human", &["--color", "always"]);
    assert!(colored.contains('\u{1b}'));
    let (_, plain) = run("human", &["--color", "never"]);
    assert!(!plain.contains('\u{1b}'));
}

#[test]
fn completions_are_printed() {
    for shell in ["bash", "zsh", "fish"] {
        let out = Command::new(env!("CARGO_BIN_EXE_crdlint"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("crdlint"));
    }
}
