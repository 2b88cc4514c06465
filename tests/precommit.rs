//! The pre-commit hook as pre-commit runs it, without pre-commit: the `entry` of
//! `.pre-commit-hooks.yaml`, at the root of a git repository, with the staged files of its
//! `types` as arguments; in one process when the hook has `require_serial: true`, and split
//! over processes as pre-commit splits them otherwise. pre-commit shows a hook's output only
//! when it fails, so a broken sample must fail the hook: a warning that passes is never seen.

use std::path::Path;
use std::process::{Command, Output};

const GADGET_CRD: &str = "fixtures/crds/gadget/crd.yaml";

/// A sample with errors: each `size` is out of bounds, and `colour` is an unknown field.
fn bad_sample(name: &str) -> String {
    format!(
        "apiVersion: fixtures.crdlint.dev/v1\nkind: Gadget\nmetadata:\n  name: {name}\nspec:\n  size: 99\n  colour: red\n"
    )
}

const OK_SAMPLE: &str =
    "apiVersion: fixtures.crdlint.dev/v1\nkind: Gadget\nmetadata:\n  name: ok\nspec:\n  size: 2\n";

/// The hook of `.pre-commit-hooks.yaml` with this id.
struct Hook {
    entry: Vec<String>,
    types: Vec<String>,
    require_serial: bool,
}

fn hook(id: &str) -> Hook {
    let text = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let docs = crdlint::yaml::parse_stream(&text);
    let hooks = docs[0].root.as_ref().unwrap().to_serde();
    let h = hooks
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == id)
        .unwrap_or_else(|| panic!("no hook {id}"));
    // pre-commit splits the entry as a shell would (shlex); these entries have no quotes.
    let entry: Vec<String> = h["entry"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    assert_eq!(entry[0], "crdlint");
    Hook {
        entry,
        types: h["types"]
            .as_array()
            .map(|t| t.iter().map(|t| t.as_str().unwrap().to_string()).collect())
            .unwrap_or_default(),
        require_serial: h["require_serial"].as_bool().unwrap_or(false),
    }
}

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(repo)
        .output()
        .expect("git is installed");
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// An operator repository (kubebuilder layout, a Helm chart), committed, without crdlint.toml.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |path: &str, text: &str| {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "config/crd/bases/gadgets.yaml",
        &std::fs::read_to_string(GADGET_CRD).unwrap(),
    );
    write("config/samples/ok.yaml", OK_SAMPLE);
    for i in 1..=4 {
        write(&format!("config/samples/sample{i}.yaml"), OK_SAMPLE);
    }
    write(
        "chart/Chart.yaml",
        "apiVersion: v2\nname: chart\nversion: 0.1.0\n",
    );
    write(
        "chart/templates/gadget.yaml",
        "apiVersion: fixtures.crdlint.dev/v1\nkind: Gadget\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  {{- toYaml .Values.spec | nindent 2 }}\n",
    );
    write("README.md", "an operator\n");
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "initial"]);
    dir
}

/// Stage the changes and return the files pre-commit passes: the staged files (as `git diff
/// --cached --name-only` lists them) of the hook's types.
fn staged(repo: &Path, hook: &Hook) -> Vec<String> {
    git(repo, &["add", "-A"]);
    let names = git(
        repo,
        &[
            "diff",
            "--cached",
            "--name-only",
            "--diff-filter=ACMRTUXB",
            "-z",
        ],
    );
    names
        .split('\0')
        .filter(|n| !n.is_empty())
        .filter(|n| {
            hook.types.iter().all(|t| match t.as_str() {
                "yaml" => n.ends_with(".yaml") || n.ends_with(".yml"),
                other => panic!("type {other} not emulated"),
            })
        })
        .map(str::to_string)
        .collect()
}

/// One process of the hook over `files`, as pre-commit starts it (at the repository root).
fn run(repo: &Path, hook: &Hook, files: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crdlint"))
        .args(&hook.entry[1..])
        .args(files)
        .current_dir(repo)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .output()
        .unwrap()
}

/// The hook's processes over `files`: one with `require_serial`, else the given split.
fn run_hook(repo: &Path, hook: &Hook, files: &[String], split: usize) -> Vec<Output> {
    if hook.require_serial {
        return vec![run(repo, hook, files)];
    }
    files
        .chunks(files.len().div_ceil(split).max(1))
        .map(|part| run(repo, hook, part))
        .collect()
}

fn failed(outputs: &[Output]) -> bool {
    outputs.iter().any(|o| !o.status.success())
}

/// Errors counted in the summary lines (`21 errors, ...`).
fn errors(outputs: &[Output]) -> usize {
    outputs
        .iter()
        .map(|o| {
            let text = String::from_utf8_lossy(&o.stdout);
            let summary = regex::Regex::new(r"(?m)^(\d+) errors?, ").unwrap();
            let n = summary
                .captures(&text)
                .unwrap_or_else(|| panic!("no summary: {text}"));
            n[1].parse::<usize>().unwrap()
        })
        .sum()
}

fn show(outputs: &[Output]) -> String {
    outputs
        .iter()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .collect::<Vec<_>>()
        .join("\n----\n")
}

#[test]
fn the_hook_runs_once_and_finds_the_crds_itself() {
    let h = hook("crdlint");
    assert!(h.require_serial);
    assert!(h.entry.contains(&"--crds-from-repo".to_string()));
    let system = hook("crdlint-system");
    assert_eq!(system.entry, h.entry);
}

#[test]
fn without_crdlint_toml_a_broken_sample_fails_the_hook() {
    let repo = repository();
    let root = repo.path();
    // Only the sample changed: its CRD is not among the files pre-commit passes.
    std::fs::write(root.join("config/samples/sample1.yaml"), bad_sample("one")).unwrap();
    let h = hook("crdlint");
    let files = staged(root, &h);
    assert_eq!(files, ["config/samples/sample1.yaml"]);
    let out = run_hook(root, &h, &files, 1);
    assert!(failed(&out), "{}", show(&out));
    let text = show(&out);
    assert!(text.contains("schema/maximum"), "{text}");
    assert!(!text.contains("resource/missing-crd"), "{text}");
}

#[test]
fn split_over_two_processes_every_error_is_still_found() {
    let repo = repository();
    let root = repo.path();
    // The CRD changed too (a description), so pre-commit passes it with the samples.
    let crd = std::fs::read_to_string(root.join("config/crd/bases/gadgets.yaml")).unwrap();
    std::fs::write(
        root.join("config/crd/bases/gadgets.yaml"),
        format!("{crd}\n# edited\n"),
    )
    .unwrap();
    for i in 1..=4 {
        let p = root.join(format!("config/samples/sample{i}.yaml"));
        std::fs::write(p, bad_sample(&format!("s{i}"))).unwrap();
    }
    let h = hook("crdlint");
    let files = staged(root, &h);
    assert_eq!(files.len(), 5);
    assert_eq!(files[0], "config/crd/bases/gadgets.yaml");
    let serial = vec![run(root, &h, &files)];
    assert!(failed(&serial));
    // pre-commit splits the files over processes when require_serial is false (a user may
    // override it): the CRD lands in the first process only.
    let split = Hook {
        require_serial: false,
        ..hook("crdlint")
    };
    let parts = run_hook(root, &split, &files, 2);
    assert_eq!(parts.len(), 2);
    assert!(
        parts.iter().all(|o| o.status.code() == Some(1)),
        "{}",
        show(&parts)
    );
    assert_eq!(errors(&parts), errors(&serial), "{}", show(&parts));
    assert_eq!(errors(&serial), 4 * 2, "{}", show(&serial));
}

#[test]
fn chart_templates_named_by_pre_commit_are_skipped_not_parsed() {
    let repo = repository();
    let root = repo.path();
    let h = hook("crdlint");
    std::fs::write(
        root.join("chart/templates/gadget.yaml"),
        "apiVersion: fixtures.crdlint.dev/v1\nkind: Gadget\nmetadata:\n  name: {{ .Release.Name }}-x\n",
    )
    .unwrap();
    let files = staged(root, &h);
    assert_eq!(files, ["chart/templates/gadget.yaml"]);
    let out = run_hook(root, &h, &files, 2);
    assert!(!failed(&out), "{}", show(&out));
    // With a broken sample beside it, the hook fails for the sample only.
    std::fs::write(root.join("config/samples/ok.yaml"), bad_sample("ok")).unwrap();
    let files = staged(root, &h);
    assert_eq!(
        files,
        ["chart/templates/gadget.yaml", "config/samples/ok.yaml"]
    );
    let out = run_hook(root, &h, &files, 2);
    assert!(failed(&out), "{}", show(&out));
    let text = show(&out);
    assert!(!text.contains("yaml/syntax"), "{text}");
    assert!(text.contains("schema/maximum"), "{text}");
}

#[test]
fn the_exclude_settings_of_crdlint_toml_are_honoured() {
    let repo = repository();
    let root = repo.path();
    std::fs::write(
        root.join("crdlint.toml"),
        "extend-exclude = [\"testdata/\"]\n",
    )
    .unwrap();
    // Test data: a broken sample, and a CRD of the same kind that would accept it.
    std::fs::create_dir_all(root.join("testdata")).unwrap();
    let loose = std::fs::read_to_string(GADGET_CRD)
        .unwrap()
        .replace("maximum: 10", "maximum: 1000");
    std::fs::write(root.join("testdata/crd.yaml"), loose).unwrap();
    std::fs::write(root.join("testdata/bad.yaml"), bad_sample("td")).unwrap();
    let h = hook("crdlint");
    let files = staged(root, &h);
    assert_eq!(files, ["testdata/bad.yaml", "testdata/crd.yaml"]);
    let out = run_hook(root, &h, &files, 2);
    assert!(!failed(&out), "{}", show(&out));
    // A broken sample outside testdata/ is validated against the repository's CRD, not the
    // excluded one.
    std::fs::write(root.join("config/samples/ok.yaml"), bad_sample("ok")).unwrap();
    let files = staged(root, &h);
    let out = run_hook(root, &h, &["config/samples/ok.yaml".to_string()], 1);
    assert!(failed(&out), "{files:?}\n{}", show(&out));
    assert!(show(&out).contains("schema/maximum"));
}
