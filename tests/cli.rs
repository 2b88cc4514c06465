//! The built binary, run the way users, pre-commit and CI run it.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const GADGET_CRD: &str = "fixtures/crds/gadget/crd.yaml";

fn crdlint(args: &[&str], cwd: Option<&Path>, stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_crdlint"));
    cmd.args(args).env("NO_COLOR", "1");
    if let Some(d) = cwd {
        cmd.current_dir(d);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "crdlint panicked: {stderr}");
    out
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn rules(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

const GADGET_OK: &str =
    "apiVersion: fixtures.crdlint.dev/v1\nkind: Gadget\nmetadata:\n  name: ok\nspec:\n  size: 2\n";
const GADGET_BAD: &str = "apiVersion: fixtures.crdlint.dev/v1\nkind: Gadget\nmetadata:\n  name: bad\nspec:\n  size: 99\n";

#[test]
fn exit_status_is_0_clean_1_errors_2_unreadable() {
    let ok = crdlint(
        &["check", "--crds", GADGET_CRD, "fixtures/crds/gadget/valid"],
        None,
        None,
    );
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let bad = crdlint(
        &[
            "check",
            "--crds",
            GADGET_CRD,
            "fixtures/crds/gadget/invalid/bounds.yaml",
        ],
        None,
        None,
    );
    assert_eq!(bad.status.code(), Some(1));
    let missing = crdlint(&["check", "no/such/path.yaml"], None, None);
    assert_eq!(missing.status.code(), Some(2));
    // Words, whatever the width the line is wrapped at.
    let text = String::from_utf8_lossy(&missing.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("cannot read no/such/path.yaml: no such file or directory"),
        "{text}"
    );
    let usage = crdlint(&["check", "--format", "xml"], None, None);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn json_output_has_the_documented_shape() {
    let out = crdlint(
        &[
            "check",
            "--format",
            "json",
            "--crds",
            GADGET_CRD,
            "fixtures/crds/gadget/invalid/bounds.yaml",
        ],
        None,
        None,
    );
    let v = json(&out);
    // The first error (a cel/skipped info comes first: document 0 also has a blocking error).
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    for key in [
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "severity",
        "rule",
        "message",
        "field",
        "document",
        "resource",
    ] {
        assert!(d.get(key).is_some(), "missing {key} in {d}");
    }
    assert_eq!(d["file"], "fixtures/crds/gadget/invalid/bounds.yaml");
    assert_eq!(d["line"], 6);
    assert_eq!(d["column"], 9);
    assert_eq!(d["end_column"], 11);
    assert_eq!(d["rule"], "schema/maximum");
    assert_eq!(d["field"], "spec.size");
    assert_eq!(d["document"], 0);
    assert_eq!(d["resource"]["kind"], "Gadget");
    assert_eq!(d["resource"]["name"], "bounds");
    let s = &v["summary"];
    assert_eq!(s["files"], 1);
    assert_eq!(s["documents"], 3);
    assert_eq!(s["resources"], 3);
    assert!(s["errors"].as_u64().unwrap() >= 5);
    assert_eq!(s["warnings"], 0);
}

#[test]
fn stdin_diagnostics_carry_the_stdin_filename() {
    let out = crdlint(
        &[
            "check",
            "--format",
            "json",
            "--crds",
            GADGET_CRD,
            "-",
            "--stdin-filename",
            "config/samples/g.yaml",
        ],
        None,
        Some(GADGET_BAD.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["diagnostics"][0]["file"], "config/samples/g.yaml");
    assert_eq!(v["diagnostics"][0]["rule"], "schema/maximum");
}

#[test]
fn human_output_has_code_frame_help_and_summary() {
    let out = crdlint(
        &[
            "check",
            "--crds",
            GADGET_CRD,
            "fixtures/crds/gadget/invalid/unknown-fields.yaml",
        ],
        None,
        None,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("schema/unknown-field"), "{text}");
    assert!(text.contains("unknown field \"spec.colour\""), "{text}");
    assert!(
        text.contains("[fixtures/crds/gadget/invalid/unknown-fields.yaml:8:"),
        "{text}"
    );
    assert!(text.contains("  colour: red"), "{text}");
    assert!(text.contains("help:"), "{text}");
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("6 errors, 0 warnings"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
}

#[test]
fn kubebuilder_layout_works_with_a_bare_check() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("config/crd/bases")).unwrap();
    std::fs::create_dir_all(root.join("config/samples")).unwrap();
    std::fs::create_dir_all(root.join("ignored")).unwrap();
    std::fs::copy(GADGET_CRD, root.join("config/crd/bases/gadgets.yaml")).unwrap();
    std::fs::write(root.join("config/samples/ok.yaml"), GADGET_OK).unwrap();
    std::fs::write(root.join("config/samples/bad.yml"), GADGET_BAD).unwrap();
    std::fs::write(root.join("config/samples/notes.txt"), GADGET_BAD).unwrap();
    std::fs::write(root.join("ignored/bad.yaml"), GADGET_BAD).unwrap();
    std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
    // A Helm chart: templates/ is skipped by the walk, crds/ is read.
    std::fs::create_dir_all(root.join("chart/templates")).unwrap();
    std::fs::create_dir_all(root.join("chart/crds")).unwrap();
    std::fs::write(
        root.join("chart/Chart.yaml"),
        "apiVersion: v2\nname: chart\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(
        root.join("chart/templates/widget.yaml"),
        "spec: {{ .Values.spec }}\n",
    )
    .unwrap();
    let out = crdlint(&["check", "--format", "json"], Some(root), None);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let diags = v["diagnostics"].as_array().unwrap();
    let files_with = |severity: &str| -> Vec<&str> {
        diags
            .iter()
            .filter(|d| d["severity"] == severity)
            .map(|d| d["file"].as_str().unwrap())
            .collect()
    };
    assert_eq!(files_with("error"), vec!["config/samples/bad.yml"]);
    // The only warning is the CRD's own version/conversion-none (see below).
    assert_eq!(files_with("warning"), vec!["config/crd/bases/gadgets.yaml"]);
    // The CRD is linted too: the gadget fixture's version layout earns a true warning: v2 keeps
    // any field while the storage version v1 prunes to its schema, with no conversion webhook
    // between them (tests/fixtures.rs says the same). The versioning advice (version/unused,
    // version/storage-not-most-stable) is off by default.
    let crd_rules: Vec<&str> = diags
        .iter()
        .filter(|d| d["file"] == "config/crd/bases/gadgets.yaml")
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(crd_rules, vec!["version/conversion-none"]);
    assert_eq!(v["summary"]["files"], 4);
    assert_eq!(v["summary"]["crds"], 1);
}

#[test]
fn bad_inputs_get_clear_diagnostics_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("a-utf8.yaml"),
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xff\xfe\n",
    )
    .unwrap();
    std::fs::write(d.join("b-binary.yaml"), b"\x7fELF\x00\x00\x01\x02").unwrap();
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..100 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    std::fs::write(d.join("c-bomb.yaml"), bomb).unwrap();
    std::fs::write(
        d.join("d-deep.yaml"),
        "[".repeat(10_000) + &"]".repeat(10_000),
    )
    .unwrap();
    std::fs::write(
        d.join("e-three.yaml"),
        format!(
            "{GADGET_BAD}---\nspec: {{size: 2\n---\n{}",
            GADGET_BAD.replace("name: bad", "name: bad2")
        ),
    )
    .unwrap();
    let bad_pattern = std::fs::read_to_string(GADGET_CRD)
        .unwrap()
        .replace("pattern: '^[a-z]+$'", "pattern: 'a(b'");
    std::fs::write(d.join("f-crd-bad-pattern.yaml"), bad_pattern).unwrap();
    std::fs::write(d.join("g-empty.yaml"), "").unwrap();
    let gadget_crd = std::fs::canonicalize(GADGET_CRD).unwrap();
    let out = crdlint(
        &[
            "check",
            "--format",
            "json",
            "--crds",
            gadget_crd.to_str().unwrap(),
            ".",
        ],
        Some(d),
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let found: Vec<(String, String, String)> = v["diagnostics"]
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
        .collect();
    let has = |file: &str, rule: &str, text: &str| {
        assert!(
            found
                .iter()
                .any(|(f, r, m)| f == file && r == rule && m.contains(text)),
            "no {rule} for {file} containing {text:?} in {found:#?}"
        )
    };
    has("a-utf8.yaml", "input/encoding", "not valid UTF-8");
    has("b-binary.yaml", "input/encoding", "binary file");
    has("c-bomb.yaml", "yaml/limit", "excessive aliasing");
    has("d-deep.yaml", "yaml/limit", "nesting");
    has("e-three.yaml", "yaml/syntax", "");
    // The documents around the broken one are still validated.
    let e_errors: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["file"] == "e-three.yaml" && x["rule"] == "schema/maximum")
        .map(|x| x["document"].as_u64().unwrap())
        .collect();
    assert_eq!(e_errors, vec![0, 2]);
    has(
        "f-crd-bad-pattern.yaml",
        "crd/invalid-pattern",
        "must be a valid regular expression",
    );
    assert_eq!(v["summary"]["files"], 7);
}

#[test]
fn rule_lists_and_unknown_rule_is_a_usage_error() {
    let out = crdlint(&["rule"], None, None);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("schema/type ") && l.contains("error")),
        "{text}"
    );
    assert_eq!(
        crdlint(&["rule", "no/such-rule"], None, None).status.code(),
        Some(2)
    );
}

#[test]
fn v1beta1_crd_is_refused_with_a_clear_error() {
    let crd = "apiVersion: apiextensions.k8s.io/v1beta1\nkind: CustomResourceDefinition\nmetadata:\n  name: olds.example.com\nspec:\n  group: example.com\n  version: v1\n  names: {kind: Old, plural: olds}\n";
    let out = crdlint(
        &["check", "--format", "json", "-"],
        None,
        Some(crd.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(rules(&json(&out)), vec!["crd/v1beta1-removed"]);
}

#[test]
fn files_over_the_size_limit_are_reported_not_read() {
    let out = crdlint(
        &[
            "check",
            "--format",
            "json",
            "--max-file-size",
            "10",
            GADGET_CRD,
        ],
        None,
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    let m = v["diagnostics"][0]["message"].as_str().unwrap();
    assert!(m.contains("larger than the limit of 10 bytes"), "{m}");
    assert_eq!(v["diagnostics"][0]["rule"], "input/unreadable");
}

/// The hook's `entry` from `.pre-commit-hooks.yaml`, split as pre-commit splits it.
fn precommit_entry() -> Vec<String> {
    let text = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    assert!(text.contains("- id: crdlint"));
    assert!(text.contains("language: rust"));
    assert!(text.contains("types: [yaml]"));
    let entry = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .unwrap();
    entry.split_whitespace().map(str::to_string).collect()
}

#[test]
fn precommit_hook_checks_changed_files_against_crds_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("config/crd/bases")).unwrap();
    std::fs::create_dir_all(root.join("config/samples")).unwrap();
    std::fs::copy(GADGET_CRD, root.join("config/crd/bases/gadgets.yaml")).unwrap();
    std::fs::write(root.join("config/samples/bad.yaml"), GADGET_BAD).unwrap();
    std::fs::write(root.join("config/samples/ok.yaml"), GADGET_OK).unwrap();
    std::fs::write(root.join("crdlint.toml"), "crds = [\"config/crd/bases\"]\n").unwrap();
    let entry = precommit_entry();
    assert_eq!(entry[0], "crdlint");
    // Exactly as pre-commit runs it: the entry, then only the changed files.
    let mut args: Vec<&str> = entry[1..].iter().map(String::as_str).collect();
    args.extend([
        "--format",
        "json",
        "config/samples/bad.yaml",
        "config/samples/ok.yaml",
    ]);
    let out = crdlint(&args, Some(root), None);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(rules(&v), vec!["schema/maximum"]);
    assert_eq!(
        v["summary"]["files"], 2,
        "the CRD is loaded but not reported on"
    );
    // Without the config, the CRD is not known: a warning, not a validation.
    let out = crdlint(
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "config/samples/bad.yaml",
        ],
        Some(root),
        None,
    );
    assert_eq!(rules(&json(&out)), vec!["resource/missing-crd"]);
    // stdin finds the config as for the path it stands for.
    let out = crdlint(
        &[
            "check",
            "--format",
            "json",
            "-",
            "--stdin-filename",
            "config/samples/edited.yaml",
        ],
        Some(&root.join("config")),
        Some(GADGET_BAD.as_bytes()),
    );
    assert_eq!(
        rules(&json(&out)),
        vec!["resource/missing-crd"],
        "from config/, the path config/samples/edited.yaml does not exist, so no crdlint.toml applies"
    );
    let out = crdlint(
        &[
            "check",
            "--format",
            "json",
            "-",
            "--stdin-filename",
            "config/samples/edited.yaml",
        ],
        Some(root),
        Some(GADGET_BAD.as_bytes()),
    );
    let v = json(&out);
    assert_eq!(rules(&v), vec!["schema/maximum"]);
    assert_eq!(v["diagnostics"][0]["file"], "config/samples/edited.yaml");
    // A broken config is a usage error.
    std::fs::write(root.join("crdlint.toml"), "crd = 1\n").unwrap();
    let out = crdlint(&["check", "config/samples/ok.yaml"], Some(root), None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid"));
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    for format in ["human", "json", "junit"] {
        let args = |threads: &'static str| {
            vec![
                "check",
                "--format",
                format,
                "--threads",
                threads,
                "--crds",
                GADGET_CRD,
                "fixtures/crds/gadget",
            ]
        };
        let one = crdlint(&args("1"), None, None);
        let four = crdlint(&args("4"), None, None);
        assert_eq!(one.status.code(), Some(1));
        assert!(!one.stdout.is_empty());
        assert_eq!(
            one.stdout, four.stdout,
            "{format} output differs between 1 and 4 threads"
        );
    }
}

#[test]
fn crd_schema_paths_follow_the_servers_shared_or_per_version_form() {
    let crd = |v2_extra: &str| {
        format!(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.demo.example.com\nspec:\n  group: demo.example.com\n  scope: Namespaced\n  names: {{kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema: {{type: object, properties: {{a: {{type: strin}}}}}}\n    - name: v2\n      served: true\n      storage: false\n      schema:\n        openAPIV3Schema: {{type: object, properties: {{a: {{type: strin}}{v2_extra}}}}}\n"
        )
    };
    let fields = |text: String| -> Vec<String> {
        let v = json(&crdlint(
            &["check", "--format", "json", "-"],
            None,
            Some(text.as_bytes()),
        ));
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "crd/schema-type")
            .map(|d| {
                d["message"]
                    .as_str()
                    .unwrap()
                    .split(':')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    // Identical schemas: held once as spec.validation, reported once.
    assert_eq!(
        fields(crd("")),
        vec!["spec.validation.openAPIV3Schema.properties[a].type"]
    );
    // Different schemas: per version.
    assert_eq!(
        fields(crd(", b: {type: string}")),
        vec![
            "spec.versions[0].schema.openAPIV3Schema.properties[a].type",
            "spec.versions[1].schema.openAPIV3Schema.properties[a].type"
        ]
    );
}

#[test]
fn shell_completion_offers_rule_ids_and_rule_keeps_its_own_errors() {
    for shell in ["bash", "zsh", "fish"] {
        let out = crdlint(&["completions", shell], None, None);
        let script = String::from_utf8_lossy(&out.stdout);
        for id in ["schema/type", "cel/skipped", "crd/missing-description"] {
            assert!(script.contains(id), "{shell} does not complete {id}");
        }
    }
    let known = crdlint(&["rule", "schema/type"], None, None);
    assert_eq!(known.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&known.stdout).contains("schema/type"));
    let unknown = crdlint(&["rule", "schema/nope"], None, None);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown rule \"schema/nope\""));
    // The 104 ids are not listed in the help.
    let help = crdlint(&["rule", "--help"], None, None);
    assert!(!String::from_utf8_lossy(&help.stdout).contains("schema/type,"));
}

#[test]
fn check_help_tells_the_exit_status() {
    let out = crdlint(&["check", "--help"], None, None);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("Exit status:"), "{help}");
    for line in [
        "0  no error-severity diagnostic",
        "1  at least one error-severity diagnostic",
        "2  usage error, or an input that could not be read",
    ] {
        assert!(help.contains(line), "{line} not in {help}");
    }
}

/// A CRD among the checked files is read for lint without what only validation needs, then
/// read again for the resources of its kind: its CEL rules still run on them (and CRDs given
/// with `--crds`, read for validation at once, give the same verdicts).
#[test]
fn cel_rules_of_a_checked_crd_run_on_the_samples_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/crds/cel-library");
    std::fs::copy(fixture.join("crd.yaml"), root.join("crd.yaml")).unwrap();
    let valid = std::fs::read_to_string(fixture.join("valid/complete.yaml")).unwrap();
    let ok = valid.split("\n---").next().unwrap().to_string();
    assert!(ok.contains("  name: lib-ok\n"), "{ok}");
    std::fs::write(root.join("ok.yaml"), &ok).unwrap();
    // The root rule `self.metadata.name.startsWith('lib-')` fails.
    std::fs::write(
        root.join("bad.yaml"),
        ok.replace("  name: lib-ok\n", "  name: bad\n"),
    )
    .unwrap();
    let errors = |out: &Output| -> Vec<(String, String)> {
        json(out)["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| {
                (
                    d["file"].as_str().unwrap().into(),
                    d["message"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    // kubectl-validate 1.35 (the API server's code) words it so.
    let expected = vec![(
        "bad.yaml".to_string(),
        "<nil>: Invalid value: the name must start with lib-".to_string(),
    )];
    let checked = crdlint(&["check", "--format", "json", "."], Some(root), None);
    assert_eq!(errors(&checked), expected);
    let given = crdlint(
        &[
            "check", "--format", "json", "--crds", "crd.yaml", "ok.yaml", "bad.yaml",
        ],
        Some(root),
        None,
    );
    assert_eq!(errors(&given), expected);
}

/// A CRD for `things.t.crdlint.dev` whose `spec.size` is at most `max`.
fn thing_crd(max: u32) -> String {
    format!(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.t.crdlint.dev\nspec:\n  group: t.crdlint.dev\n  scope: Namespaced\n  names: {{kind: Thing, plural: things, singular: thing, listKind: ThingList}}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              required: [size]\n              properties:\n                size: {{type: integer, maximum: {max}}}\n"
    )
}

/// A repository (`repo`, returned) of thirty `Thing`s of size 50 (`a00.yaml` ... `a29.yaml`,
/// named to be read before anything else), beside a CRD source `sources/thing.yaml` holding
/// `source_crd`; checked from `repo` with [`THINGS_CHECK`].
fn things_repo(dir: &Path, source_crd: &str) -> std::path::PathBuf {
    let (root, sources) = (dir.join("repo"), dir.join("sources"));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(&sources).unwrap();
    std::fs::write(sources.join("thing.yaml"), source_crd).unwrap();
    for i in 0..30 {
        std::fs::write(
            root.join(format!("a{i:02}.yaml")),
            format!("apiVersion: t.crdlint.dev/v1\nkind: Thing\nmetadata:\n  name: t{i}\nspec:\n  size: 50\n"),
        )
        .unwrap();
    }
    root
}

const THINGS_CHECK: [&str; 6] = [
    "check",
    "--format",
    "json",
    "--crds",
    "../sources/thing.yaml",
    ".",
];

fn error_files(v: &serde_json::Value) -> Vec<String> {
    let mut files: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect();
    files.dedup();
    files
}

// Files are checked as they are read against small `--crds` sources when no checked file says
// anything about the others (check::run's EarlyCheck); a checked file that does (a CRD, a
// kustomization) undoes those checks. Both ways must give what checking after reading gives.
#[test]
fn files_checked_as_read_against_crd_sources_are_checked_again_when_a_checked_crd_differs() {
    let dir = tempfile::tempdir().unwrap();
    let root = things_repo(dir.path(), &thing_crd(10));
    let args = THINGS_CHECK;
    // Only the source defines Thing: every Thing is over its maximum of 10.
    let v = json(&crdlint(&args, Some(&root), None));
    let expected: Vec<String> = (0..30).map(|i| format!("a{i:02}.yaml")).collect();
    assert_eq!(error_files(&v), expected);
    // A checked CRD defines Thing too, with a maximum of 100: the checked one is used (checked
    // files first), so no Thing is in error, however many were checked before it was read.
    std::fs::write(root.join("zz-crd.yaml"), thing_crd(100)).unwrap();
    let v = json(&crdlint(&args, Some(&root), None));
    assert_eq!(error_files(&v), Vec::<String>::new(), "{v:#}");
    assert_eq!(v["summary"]["files"], 31);
    assert_eq!(v["summary"]["resources"], 30);
}

#[test]
fn files_checked_as_read_are_checked_again_when_a_checked_kustomization_makes_one_a_patch() {
    let dir = tempfile::tempdir().unwrap();
    let root = things_repo(dir.path(), &thing_crd(100));
    // A partial Thing (no spec.size, which the schema requires), read first.
    let patch = "apiVersion: t.crdlint.dev/v1\nkind: Thing\nmetadata:\n  name: t0\nspec: {}\n";
    std::fs::write(root.join("a-patch.yaml"), patch).unwrap();
    let args = THINGS_CHECK;
    let v = json(&crdlint(&args, Some(&root), None));
    assert_eq!(error_files(&v), vec!["a-patch.yaml".to_string()]);
    // A kustomization (read last) applies it as a patch: a partial object, not validated.
    std::fs::write(
        root.join("kustomization.yaml"),
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a00.yaml]\npatches:\n  - path: a-patch.yaml\n",
    )
    .unwrap();
    let v = json(&crdlint(&args, Some(&root), None));
    assert_eq!(error_files(&v), Vec::<String>::new(), "{v:#}");
}

#[test]
fn files_checked_as_read_stand_when_a_crd_source_spells_its_kind_with_an_escape() {
    // A CRD source is read when it names a kind of the run and its group (a text scan), or
    // holds an escape that could spell them. This one writes its kind with an escape: the
    // early check read every source whole and found it, and the run reads it too, as the API
    // server would, so its Things are validated against it (over its maximum of 10). (The
    // scan used to miss it: 30 false `resource/missing-crd`.)
    let escaped = thing_crd(10)
        .replace("kind: Thing,", "kind: \"Th\\u0069ng\",")
        .replace("listKind: ThingList", "listKind: TList");
    assert!(!escaped.contains("Thing"));
    let dir = tempfile::tempdir().unwrap();
    let root = things_repo(dir.path(), &escaped);
    let args = THINGS_CHECK;
    let v = json(&crdlint(&args, Some(&root), None));
    let expected: Vec<String> = (0..30).map(|i| format!("a{i:02}.yaml")).collect();
    assert_eq!(error_files(&v), expected);
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(diags.iter().all(|d| d["rule"] == "schema/maximum"), "{v:#}");
}

/// A CRD source of several CRDs, too large to be read before the files (see check::run): of
/// its CRDs only those a resource of the run uses or a checked CRD also defines are read. The
/// resources are validated against theirs, and a checked CRD that the source defines
/// differently is still reported (`crd/duplicate`), though no resource uses it.
#[test]
fn of_a_crd_source_the_crds_used_by_the_run_or_defined_by_a_checked_crd_count() {
    let dir = tempfile::tempdir().unwrap();
    let other = |max: u32| {
        thing_crd(max)
            .replace("things.t.crdlint.dev", "others.t.crdlint.dev")
            .replace(
                "{kind: Thing, plural: things, singular: thing, listKind: ThingList}",
                "{kind: Other, plural: others, singular: other, listKind: OtherList}",
            )
    };
    // Past the early check's 64 KiB of sources per checked file (31 files).
    let padding = "# padding\n".repeat(220_000);
    let source = format!("{}---\n{}---\n{padding}", other(5), thing_crd(10));
    let root = things_repo(dir.path(), &source);
    std::fs::write(root.join("zz-other-crd.yaml"), other(7)).unwrap();
    let v = json(&crdlint(&THINGS_CHECK, Some(&root), None));
    let expected: Vec<String> = (0..30).map(|i| format!("a{i:02}.yaml")).collect();
    assert_eq!(error_files(&v), expected, "{v:#}");
    let duplicate: Vec<&serde_json::Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "crd/duplicate")
        .collect();
    assert_eq!(duplicate.len(), 1, "{v:#}");
    assert_eq!(duplicate[0]["file"], "zz-other-crd.yaml");
    assert!(
        duplicate[0]["message"]
            .as_str()
            .unwrap()
            .contains("sources/thing.yaml"),
        "{v:#}"
    );
}

/// A CRD source whose group or kind is spelled with YAML escapes (`\x`, `\u`, `\U`, an escaped
/// line break) does not show them in its text (nor does anything else in it here: its name and
/// list kind are other words); the scan that picks the `--crds` sources a run
/// reads must not pass over it (that was a false `resource/missing-crd`).
#[test]
fn crd_sources_with_escaped_group_or_kind_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let spellings = [
        (r#""demo.example.com""#, r#""Gi\x7Amo""#),
        (r#""demo.example\u002Ecom""#, r#""\u0047izmo""#),
        (r#""demo.example.com""#, r#""\U00000047izmo""#),
        ("\"demo.exam\\\n    ple.com\"", "Gizmo"),
        ("\"demo.exam\\\r\n    ple.com\"", "Gizmo"),
    ];
    std::fs::write(
        dir.path().join("r.yaml"),
        "apiVersion: demo.example.com/v1\nkind: Gizmo\nmetadata: {name: g}\nspec: {size: big}\n",
    )
    .unwrap();
    for (group, kind) in spellings {
        let crd = format!(
            "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {{name: gizmos}}
spec:
  group: {group}
  scope: Namespaced
  names: {{kind: {kind}, plural: gizmos, singular: gizmo, listKind: List}}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {{type: object, properties: {{size: {{type: integer}}}}}}
# {}
",
            // Past what a run reads whole before it knows its kinds (64 KiB per checked
            // file): the source is scanned for them.
            "padding ".repeat(10_000)
        );
        std::fs::write(dir.path().join("crd.yaml"), crd).unwrap();
        let out = crdlint(
            &["check", "--format", "json", "--crds", "crd.yaml", "r.yaml"],
            Some(dir.path()),
            None,
        );
        let found = rules(&json(&out));
        assert_eq!(found, ["schema/type"], "{group} {kind}");
    }
}
