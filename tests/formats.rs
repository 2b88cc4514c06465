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
    // The JSON report is written as it is serialized: the file holds the bytes standard output
    // gets.
    let (_, to_stdout) = run("json", &["--quiet"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), to_stdout);
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

/// A CRD whose CEL rule's message holds terminal escapes, a carriage return and a line break
/// (text an attacker controls when a CRD comes from elsewhere).
const ALARM_CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: alarms.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Alarm, plural: alarms, singular: alarm, listKind: AlarmList}
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
                - rule: "self.level < 5"
                  message: "\e[31mlevel too high\e[0m\e]0;pwned\a\rhidden\nsee the runbook"
              properties:
                level: {type: integer}
"#;

const ALARM: &str =
    "apiVersion: example.com/v1\nkind: Alarm\nmetadata:\n  name: loud\nspec:\n  level: 9\n";

/// The CEL message as the CRD holds it.
const ALARM_MESSAGE: &str =
    "\u{1b}[31mlevel too high\u{1b}[0m\u{1b}]0;pwned\u{7}\rhidden\nsee the runbook";

/// Run crdlint in `dir` on `args`, with `stdin`.
fn run_in(dir: &std::path::Path, args: &[&str], stdin: &str) -> (Option<i32>, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_crdlint"))
        .args(args)
        .current_dir(dir)
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

fn alarm_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("crd.yaml"), ALARM_CRD).unwrap();
    std::fs::write(dir.path().join("alarm.yaml"), ALARM).unwrap();
    dir
}

#[test]
fn junit_messages_with_line_breaks_round_trip_through_an_xml_parser() {
    let dir = alarm_dir();
    let (code, text) = run_in(
        dir.path(),
        &[
            "check",
            "--crds",
            "crd.yaml",
            "--format",
            "junit",
            "alarm.yaml",
        ],
        "",
    );
    assert_eq!(code, Some(1), "{text}");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    let message = failure.attribute("message").unwrap();
    // The line break survives the parser (written raw, it would be read as a space); the
    // control characters are written as visible escapes.
    assert_eq!(
        message,
        "spec: Invalid value: \\x1b[31mlevel too high\\x1b[0m\\x1b]0;pwned\\x07\\x0dhidden\nsee the runbook"
    );
    assert!(failure.text().unwrap().contains("\nsee the runbook"));
}

#[test]
fn control_characters_from_a_cel_message_never_reach_the_output_raw() {
    let dir = alarm_dir();
    let raw = |s: &str| {
        s.chars()
            .any(|c| (c < ' ' && c != '\n') || ('\u{7f}'..='\u{9f}').contains(&c))
    };
    for format in ["human", "github", "junit", "sarif", "json"] {
        let (code, text) = run_in(
            dir.path(),
            &[
                "check",
                "--crds",
                "crd.yaml",
                "--color",
                "never",
                "--format",
                format,
                "alarm.yaml",
            ],
            "",
        );
        assert_eq!(code, Some(1), "{format}: {text}");
        assert!(!raw(&text), "{format}: raw control characters in {text:?}");
        assert!(
            text.contains("\\x1b[31mlevel too") || format == "json",
            "{format}"
        );
    }
    // JSON keeps the message as it is, escaped by construction.
    let (_, json) = run_in(
        dir.path(),
        &[
            "check",
            "--crds",
            "crd.yaml",
            "--format",
            "json",
            "alarm.yaml",
        ],
        "",
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let message = v["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.ends_with(ALARM_MESSAGE), "{message:?}");
    // A file name with a control character in it, in the human and github formats.
    let name = "al\u{1b}[2Jarm.yaml";
    std::fs::write(dir.path().join(name), ALARM).unwrap();
    for format in ["human", "github"] {
        let (_, text) = run_in(
            dir.path(),
            &["check", "--crds", "crd.yaml", "--format", format, name],
            "",
        );
        assert!(!raw(&text), "{format}: {text:?}");
        assert!(text.contains("al\\x1b[2Jarm.yaml"), "{format}: {text}");
    }
}

/// The SARIF 2.1.0 schema (tests/data/sarif-schema-2.1.0.NOTICE.md says where it comes from).
fn sarif_validator() -> jsonschema::Validator {
    let mut schema: serde_json::Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    // The schema declares draft 4, whose format list lacks `uri-reference` (the format of
    // every artifact URI); read with draft 7's rules, which check it.
    let obj = schema.as_object_mut().unwrap();
    obj.remove("$schema");
    obj.remove("id");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn schema_errors(validator: &jsonschema::Validator, v: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn sarif_is_valid_against_the_2_1_0_schema_for_awkward_file_names() {
    let validator = sarif_validator();
    // The validator does check URIs: a space is not allowed in one.
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
        "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation":
        {"artifactLocation": {"uri": "a b.yaml"}}}]}]}]});
    assert!(!schema_errors(&validator, &bad).is_empty());

    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let outside = elsewhere.path().join("out side.yaml");
    std::fs::write(&outside, GADGET_BAD).unwrap();
    std::fs::copy(CRD, dir.path().join("crd.yaml")).unwrap();
    let names = [
        "with space.yaml",
        "a,b.yaml",
        "100%.yaml",
        "ünïcödé.yaml",
        "col:on.yaml",
        "hash#q?.yaml",
        "sub dir/x.yaml",
    ];
    for n in names {
        let p = dir.path().join(n);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, GADGET_BAD).unwrap();
    }
    let mut args = vec!["check", "--crds", "crd.yaml", "--format", "sarif", "-"];
    args.extend(names);
    args.push(outside.to_str().unwrap());
    let (code, text) = run_in(dir.path(), &args, GADGET_BAD);
    assert_eq!(code, Some(1), "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let errors = schema_errors(&validator, &v);
    assert!(errors.is_empty(), "{errors:#?}");

    let run = &v["runs"][0];
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    let locations: Vec<&serde_json::Value> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["artifactLocation"])
        .collect();
    let uris: std::collections::BTreeSet<&str> =
        locations.iter().filter_map(|l| l["uri"].as_str()).collect();
    for expected in [
        "with%20space.yaml",
        "a%2Cb.yaml",
        "100%25.yaml",
        "%C3%BCn%C3%AFc%C3%B6d%C3%A9.yaml",
        "col%3Aon.yaml",
        "hash%23q%3F.yaml",
        "sub%20dir/x.yaml",
    ] {
        assert!(uris.contains(expected), "{expected} not in {uris:?}");
        let l = locations.iter().find(|l| l["uri"] == expected).unwrap();
        assert_eq!(l["uriBaseId"], "%SRCROOT%");
    }
    // An absolute path outside the repository: a file:// URI.
    let absolute = uris
        .iter()
        .find(|u| u.ends_with("/out%20side.yaml"))
        .unwrap();
    assert!(absolute.starts_with("file:///"), "{absolute}");
    // Standard input: no URI, a description.
    let stdin = locations.iter().find(|l| l.get("uri").is_none()).unwrap();
    assert_eq!(stdin["description"]["text"], "<stdin>");
}

#[test]
fn sarif_rules_have_help_without_front_matter_and_the_tool_an_information_uri() {
    let (_, text) = run("sarif", &[]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let driver = &v["runs"][0]["tool"]["driver"];
    let info = driver["informationUri"].as_str().unwrap();
    assert!(info.contains("://"), "{info}");
    for r in driver["rules"].as_array().unwrap() {
        let markdown = r["help"]["markdown"].as_str().unwrap();
        assert!(!markdown.starts_with("---"), "{}", r["id"]);
        assert!(!markdown.contains(&format!("id: {}", r["id"].as_str().unwrap())));
        assert!(markdown.contains("## What it checks"), "{}", r["id"]);
    }
}

const GADGET_BAD: &str = "apiVersion: fixtures.crdlint.dev/v1\nkind: Gadget\nmetadata:\n  name: bad\nspec:\n  size: 99\n";

const RENDERED: &str = "fixtures/helm/rendered.yaml";

/// `helm template ... | crdlint check -`: each diagnostic names the template its document
/// came from, and gives the line in the stream.
#[test]
fn helm_source_comments_name_the_template_in_every_format() {
    let stream = std::fs::read_to_string(RENDERED).unwrap();
    let here = std::path::Path::new(".");
    let args = |format: &'static str| ["check", "--crds", CRD, "--format", format, "-"];
    let (code, json) = run_in(here, &args("json"), &stream);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let d = &v["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 2, "{json}");
    assert_eq!(d[0]["file"], "gadgets/templates/gadget.yaml");
    assert_eq!(d[0]["stream"], "<stdin>");
    assert_eq!(
        (d[0]["line"].as_u64(), d[0]["column"].as_u64()),
        (Some(19), Some(9))
    );
    assert_eq!(d[1]["file"], "gadgets/templates/gadget-small.yaml");
    assert_eq!(d[1]["line"], 35);

    let (_, human) = run_in(here, &args("human"), &stream);
    assert!(
        human.contains("[gadgets/templates/gadget.yaml in <stdin>:19:"),
        "{human}"
    );
    assert!(human.contains(" 19 │   size: 11"), "{human}");

    let (_, github) = run_in(here, &args("github"), &stream);
    assert!(
        github.starts_with("::error file=gadgets/templates/gadget.yaml,title=schema/maximum::<stdin>:19:9: spec.size: Invalid value: 11"),
        "{github}"
    );

    let (_, junit) = run_in(here, &args("junit"), &stream);
    let doc = roxmltree::Document::parse(&junit).unwrap();
    let suites: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .map(|n| n.attribute("name").unwrap())
        .collect();
    assert_eq!(
        suites,
        [
            "gadgets/templates/configmap.yaml",
            "gadgets/templates/gadget-small.yaml",
            "gadgets/templates/gadget.yaml",
            "gadgets/templates/serviceaccount.yaml"
        ]
    );
    assert!(
        junit.contains(
            "gadgets/templates/gadget.yaml in &lt;stdin&gt;:19:9: error [schema/maximum]"
        )
    );

    let (_, sarif) = run_in(here, &args("sarif"), &stream);
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert!(schema_errors(&sarif_validator(), &v).is_empty());
    let r = &v["runs"][0]["results"][0];
    let at = &r["locations"][0]["physicalLocation"];
    assert_eq!(
        at["artifactLocation"]["uri"],
        "gadgets/templates/gadget.yaml"
    );
    assert!(at.get("region").is_none());
    let related = &r["relatedLocations"][0]["physicalLocation"];
    assert_eq!(
        related["artifactLocation"]["description"]["text"],
        "<stdin>"
    );
    assert_eq!(related["region"]["startLine"], 19);

    // Without `# Source:` comments, nothing changes: no `stream`, the input's name.
    let plain = stream.replace("# Source: ", "# From: ");
    let (_, json) = run_in(here, &args("json"), &plain);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for d in v["diagnostics"].as_array().unwrap() {
        assert_eq!(d["file"], "<stdin>");
        assert!(d.get("stream").is_none());
    }
}

#[test]
fn human_output_wraps_at_the_terminal_width_and_at_80_when_unknown() {
    let width = |s: &str| s.chars().count();
    // Not a terminal, no COLUMNS: 80.
    let (_, text) = run_in(
        std::path::Path::new("."),
        &["check", "--crds", CRD, "--color", "never", BOUNDS],
        "",
    );
    let longest = text.lines().map(width).max().unwrap();
    assert!(longest <= 80, "{longest}: {text}");
    assert!(longest > 70, "{text}");
    // A pinned width.
    let out = Command::new(env!("CARGO_BIN_EXE_crdlint"))
        .args(["check", "--crds", CRD, "--color", "never", BOUNDS])
        .env("COLUMNS", "60")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for l in text.lines() {
        // Source lines are shown whole; every other line fits.
        if !l.contains(" │ ") {
            assert!(width(l) <= 60, "{l:?} in {text}");
        }
    }
    // A real terminal of 70 columns (a pseudo-terminal from util-linux `script`), no COLUMNS.
    let command = format!(
        "stty rows 24 cols 70; exec env -u COLUMNS {} check --crds {CRD} --color never {BOUNDS}",
        env!("CARGO_BIN_EXE_crdlint")
    );
    // (`script` needs a standard input it can read: with a closed one it prints nothing.) Whether
    // a pseudo-terminal works here at all is asked first, so a crdlint that prints nothing fails.
    let script = |command: &str| {
        Command::new("script")
            .args(["-qec", command, "/dev/null"])
            .stdin(std::process::Stdio::null())
            .output()
    };
    match script("echo pty-ok") {
        Ok(probe) if String::from_utf8_lossy(&probe.stdout).contains("pty-ok") => {
            let out = script(&command).unwrap();
            let text = String::from_utf8(out.stdout).unwrap().replace('\r', "");
            assert!(text.contains(" errors, "), "{text}");
            let longest = text.lines().map(width).max().unwrap();
            assert!((60..=70).contains(&longest), "{longest}: {text}");
        }
        other => {
            // (Shown with `--nocapture`; `script` is part of util-linux, so this is rare.)
            eprintln!("SKIPPED: no pseudo-terminal to run crdlint in ({other:?})");
        }
    }
}

#[test]
fn columns_count_characters_after_non_ascii_text_in_json_and_github_reports() {
    // CRLF line ends, and characters of two and three bytes before and inside the spans: the
    // machine formats, which let the text go once the file is checked, give the columns the
    // text gives (in characters, counted by hand here).
    let dir = tempfile::tempdir().unwrap();
    let text =
        "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: größe\r\ndata: {ü: a, ü: b}\r\n";
    std::fs::write(dir.path().join("cm.yaml"), text).unwrap();
    let (_, json) = run_in(dir.path(), &["check", "--format", "json", "cm.yaml"], "");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let at = |rule: &str| {
        let d = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule} in {json}"));
        (
            d["line"].as_u64().unwrap(),
            d["column"].as_u64().unwrap(),
            d["end_line"].as_u64().unwrap(),
            d["end_column"].as_u64().unwrap(),
        )
    };
    // `größe` (5 characters, 7 bytes) from column 9; the second `ü` at column 14.
    assert_eq!(at("metadata/name"), (4, 9, 4, 14));
    assert_eq!(at("yaml/duplicate-key"), (5, 14, 5, 15));
    let (_, github) = run_in(dir.path(), &["check", "--format", "github", "cm.yaml"], "");
    assert!(
        github.contains("line=4,col=9,endLine=4,endColumn=14"),
        "{github}"
    );
    assert!(
        github.contains("line=5,col=14,endLine=5,endColumn=15"),
        "{github}"
    );
}
