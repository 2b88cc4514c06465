//! CRD evolution as users run it: `crdlint check --base REF` in a git repository, the
//! pre-commit hook given only the changed CRD, and `crdlint diff OLD NEW`, through the built
//! binary.

use std::path::Path;
use std::process::{Command, Output};

fn crdlint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crdlint"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

fn has_git() -> bool {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED: no git executable");
    }
    ok
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out:?}"))
}

const CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.demo.example.com
spec:
  group: demo.example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                color: {type: string, enum: [red, green, blue]}
                owner: {type: string}
                legacy: {type: string}
    - name: v1
      served: true
      storage: false
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                color: {type: string, enum: [red, green, blue]}
                owner: {type: string}
                legacy: {type: string}
"#;

/// The change: `blue` removed from the enum, `owner` required, `legacy` removed, storage moved
/// from v1alpha1 to v1.
fn changed(crd: &str) -> String {
    crd.replace("enum: [red, green, blue]", "enum: [red, green]")
        .replace("                legacy: {type: string}\n", "")
        .replace(
            "              type: object\n              properties:\n                color",
            "              type: object\n              required: [owner]\n              properties:\n                color",
        )
        .replace("      storage: true", "      storage: STORAGE")
        .replace("      storage: false", "      storage: true")
        .replace("      storage: STORAGE", "      storage: false")
}

const SAMPLES: &[(&str, &str)] = &[
    ("blue.yaml", "spec: {color: blue, owner: ann}"),
    ("legacy.yaml", "spec: {color: red, owner: bob, legacy: x}"),
    ("nobody.yaml", "spec: {color: green}"),
    ("fine.yaml", "spec: {color: red, owner: cy}"),
];

/// A repository with the CRD and its samples committed.
fn repository(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("config/crd")).unwrap();
    std::fs::create_dir_all(root.join("config/samples")).unwrap();
    std::fs::write(root.join("config/crd/widgets.yaml"), CRD).unwrap();
    for (name, spec) in SAMPLES {
        let stem = name.trim_end_matches(".yaml");
        let text = format!(
            "apiVersion: demo.example.com/v1\nkind: Widget\nmetadata: {{name: {stem}}}\n{spec}\n"
        );
        std::fs::write(root.join("config/samples").join(name), text).unwrap();
    }
    std::fs::write(root.join("crdlint.toml"), config).unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "widgets"]);
    dir
}

fn rules_at(report: &serde_json::Value, file: &str) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn check_base_reports_each_change_and_the_samples_that_now_fail() {
    if !has_git() {
        return;
    }
    let repo = repository("");
    let root = repo.path();
    let clean = crdlint(root, &["check", "--base", "HEAD", "--format", "json"]);
    assert_eq!(clean.status.code(), Some(0), "{clean:?}");
    assert!(
        !String::from_utf8_lossy(&clean.stdout).contains("upgrade/"),
        "no change, no upgrade finding"
    );

    std::fs::write(root.join("config/crd/widgets.yaml"), changed(CRD)).unwrap();
    let out = crdlint(root, &["check", "--base", "HEAD", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let report = json(&out);
    let crd = rules_at(&report, "config/crd/widgets.yaml");
    for rule in [
        "upgrade/enum-value-removed",
        "upgrade/required-added",
        "upgrade/field-removed",
        "upgrade/storage-version-changed",
    ] {
        assert!(crd.iter().any(|r| r == rule), "{rule} missing: {crd:?}");
    }
    // The enum finding carries the old and new values.
    let enum_finding = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "upgrade/enum-value-removed")
        .unwrap();
    assert_eq!(
        enum_finding["change"]["old"],
        serde_json::json!(["red", "green", "blue"])
    );
    assert_eq!(
        enum_finding["change"]["new"],
        serde_json::json!(["red", "green"])
    );
    assert_eq!(enum_finding["change"]["path"], "spec.color");

    // Each sample that was valid and is not any more is named, with the change that broke it.
    let broken = |file: &str| -> Option<String> {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == "upgrade/breaks-resource" && d["file"] == file)
            .map(|d| d["message"].as_str().unwrap().to_string())
    };
    let blue = broken("config/samples/blue.yaml").expect("blue.yaml breaks");
    assert!(
        blue.contains("upgrade/enum-value-removed at spec.color"),
        "{blue}"
    );
    assert!(blue.contains("at HEAD"), "{blue}");
    let legacy = broken("config/samples/legacy.yaml").expect("legacy.yaml breaks");
    assert!(
        legacy.contains("upgrade/field-removed at spec.legacy"),
        "{legacy}"
    );
    let nobody = broken("config/samples/nobody.yaml").expect("nobody.yaml breaks");
    assert!(
        nobody.contains("upgrade/required-added at spec.owner"),
        "{nobody}"
    );
    assert_eq!(broken("config/samples/fine.yaml"), None);
    // The ordinary validation errors are there too, once each.
    let blue_rules = rules_at(&report, "config/samples/blue.yaml");
    assert_eq!(
        blue_rules
            .iter()
            .filter(|r| r.as_str() == "schema/enum")
            .count(),
        1,
        "{blue_rules:?}"
    );

    // The CRD moved to another file: still compared, by name.
    std::fs::create_dir_all(root.join("deploy")).unwrap();
    std::fs::rename(
        root.join("config/crd/widgets.yaml"),
        root.join("deploy/crd.yaml"),
    )
    .unwrap();
    let moved = json(&crdlint(
        root,
        &["check", "--base", "HEAD", "--format", "json", "deploy"],
    ));
    let rules = rules_at(&moved, "deploy/crd.yaml");
    assert!(
        rules.iter().any(|r| r == "upgrade/required-added"),
        "{rules:?}"
    );
}

#[test]
fn a_bad_base_is_one_clear_line_and_status_2() {
    if !has_git() {
        return;
    }
    let repo = repository("");
    let out = crdlint(repo.path(), &["check", "--base", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unknown revision \"no-such-branch\""), "{err}");
    assert!(out.stdout.is_empty());

    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("crd.yaml"), CRD).unwrap();
    let out = crdlint(outside.path(), &["check", "--base", "HEAD", "crd.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("is not in a git repository"), "{err}");
}

/// The hook's `entry` in `.pre-commit-hooks.yaml`, run with the binary under test.
fn hook_entry(id: &str) -> Vec<String> {
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let mut found = false;
    for line in hooks.lines() {
        let line = line.trim();
        if line == format!("- id: {id}") {
            found = true;
        } else if found && let Some(entry) = line.strip_prefix("entry:") {
            let mut words: Vec<String> = entry.split_whitespace().map(str::to_string).collect();
            assert_eq!(words[0], "crdlint");
            words.remove(0);
            return words;
        }
    }
    panic!("no hook {id}");
}

#[test]
fn the_pre_commit_hook_given_only_the_changed_crd_fails_when_a_sample_breaks() {
    if !has_git() {
        return;
    }
    let repo = repository("resources = [\"config/samples\"]\n");
    let root = repo.path();
    let run = |hook: &str| {
        let mut args = hook_entry(hook);
        // pre-commit appends the changed files only.
        args.push("config/crd/widgets.yaml".into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        crdlint(root, &args)
    };
    // Unchanged: the samples are validated against the CRD, and pass.
    let before = run("crdlint");
    assert_eq!(before.status.code(), Some(0), "{before:?}");

    std::fs::write(root.join("config/crd/widgets.yaml"), changed(CRD)).unwrap();
    let after = run("crdlint");
    assert_eq!(after.status.code(), Some(1), "{after:?}");
    let text = String::from_utf8_lossy(&after.stdout);
    assert!(text.contains("config/samples/blue.yaml"), "{text}");
    assert!(text.contains("schema/enum"), "{text}");
    assert!(!text.contains("config/samples/fine.yaml"), "{text}");

    // The upgrade hook compares with HEAD as well, and names the samples the change breaks.
    let upgrade = run("crdlint-upgrade");
    assert_eq!(upgrade.status.code(), Some(1), "{upgrade:?}");
    let text = String::from_utf8_lossy(&upgrade.stdout);
    assert!(text.contains("upgrade/required-added"), "{text}");
    assert!(text.contains("upgrade/breaks-resource"), "{text}");

    // Without `resources`, the hook sees only the CRD file: the break passes unnoticed.
    std::fs::write(root.join("crdlint.toml"), "").unwrap();
    let blind = run("crdlint");
    assert!(
        !String::from_utf8_lossy(&blind.stdout).contains("config/samples"),
        "{blind:?}"
    );
}

#[test]
fn diff_compares_files_and_directories() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (sub, text) in [("old", CRD.to_string()), ("new", changed(CRD))] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
        std::fs::write(root.join(sub).join("widgets.yaml"), text).unwrap();
    }
    // Against itself: nothing.
    let same = crdlint(root, &["diff", "old", "old"]);
    assert_eq!(same.status.code(), Some(0), "{same:?}");
    assert!(!String::from_utf8_lossy(&same.stdout).contains("upgrade/"));
    // Directories, files, and every format.
    for (old, new) in [("old", "new"), ("old/widgets.yaml", "new/widgets.yaml")] {
        let out = crdlint(root, &["diff", old, new, "--format", "json"]);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let report = json(&out);
        let rules = rules_at(&report, "new/widgets.yaml");
        assert!(
            rules.iter().all(|r| r.starts_with("upgrade/")),
            "diff reports the comparison only: {rules:?}"
        );
        assert!(rules.contains(&"upgrade/field-removed".to_string()));
    }
    for format in ["human", "sarif", "github", "junit"] {
        let out = crdlint(root, &["diff", "old", "new", "--format", format]);
        assert_eq!(out.status.code(), Some(1), "{format}: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("upgrade/required-added"),
            "{format}"
        );
    }
    // A CRD gone from NEW is reported on the old file.
    std::fs::write(root.join("new/widgets.yaml"), "").unwrap();
    let gone = json(&crdlint(root, &["diff", "old", "new", "--format", "json"]));
    assert_eq!(
        rules_at(&gone, "old/widgets.yaml"),
        vec!["upgrade/crd-removed"]
    );
    // A missing OLD is a usage error.
    let missing = crdlint(root, &["diff", "nowhere", "new"]);
    assert_eq!(missing.status.code(), Some(2));
}

/// The upgrade rules are configured like every rule: `[severity]`, `ignore` in crdlint.toml,
/// `--ignore` on the command line, and inline suppressions in the new file.
#[test]
fn upgrade_rules_are_configured_like_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("old")).unwrap();
    std::fs::create_dir_all(root.join("new")).unwrap();
    std::fs::write(root.join("old/widgets.yaml"), CRD).unwrap();
    std::fs::write(root.join("new/widgets.yaml"), changed(CRD)).unwrap();
    let severities = |out: &Output| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = json(out)["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().to_string(),
                    d["severity"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let diff = ["diff", "old", "new", "--format", "json"];
    let before = severities(&crdlint(root, &diff));
    assert!(before.contains(&("upgrade/field-removed".into(), "error".into())));
    assert!(before.contains(&("upgrade/required-added".into(), "error".into())));
    assert!(
        before
            .iter()
            .any(|(r, _)| r == "upgrade/enum-value-removed")
    );

    std::fs::write(
        root.join("crdlint.toml"),
        "ignore = [\"upgrade/required-added\"]\n[severity]\n\"upgrade/field-removed\" = \"warning\"\n",
    )
    .unwrap();
    let out = crdlint(root, &diff);
    let after = severities(&out);
    assert!(after.contains(&("upgrade/field-removed".into(), "warning".into())));
    assert!(!after.contains(&("upgrade/field-removed".into(), "error".into())));
    assert!(!after.iter().any(|(r, _)| r == "upgrade/required-added"));
    // The whole family off from the command line.
    let mut off = diff.to_vec();
    off.extend(["--ignore", "upgrade"]);
    let out = crdlint(root, &off);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(severities(&out).is_empty());

    // An inline suppression, with its reason, on the node the finding points at (the first
    // version's: v1alpha1 and v1 changed alike and are reported once).
    let suppressed = changed(CRD).replacen(
        "color: {type: string, enum: [red, green]}",
        "color: {type: string, enum: [red, green]} # crdlint-ignore upgrade/enum-value-removed -- blue was never used",
        1,
    );
    std::fs::write(root.join("new/widgets.yaml"), suppressed).unwrap();
    let out = crdlint(root, &diff);
    let rules = severities(&out);
    assert!(
        !rules.iter().any(|(r, _)| r == "upgrade/enum-value-removed"),
        "{rules:?}"
    );
    assert!(
        !rules.iter().any(|(r, _)| r.starts_with("suppression/")),
        "{rules:?}"
    );
    // Suppressions of rules diff does not run are not unused; one of an upgrade rule that
    // matches nothing is, and one without a reason is not applied and is reported.
    let text = std::fs::read_to_string(root.join("new/widgets.yaml")).unwrap();
    let text = text
        .replacen(
            "  name: widgets.demo.example.com\n",
            "  name: widgets.demo.example.com # crdlint-ignore crd/name -- legacy name\n",
            1,
        )
        .replacen(
            "  scope: Namespaced\n",
            "  scope: Namespaced # crdlint-ignore upgrade/scope-changed -- nothing to suppress\n",
            1,
        )
        .replace("-- blue was never used", "");
    std::fs::write(root.join("new/widgets.yaml"), text).unwrap();
    let rules = severities(&crdlint(root, &diff));
    let suppression: Vec<&str> = rules
        .iter()
        .filter(|(r, _)| r.starts_with("suppression/"))
        .map(|(r, _)| r.as_str())
        .collect();
    assert_eq!(
        suppression,
        ["suppression/invalid", "suppression/unused"],
        "{rules:?}"
    );
    assert!(
        rules.iter().any(|(r, _)| r == "upgrade/enum-value-removed"),
        "{rules:?}"
    );
}
