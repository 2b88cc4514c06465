//! `crdlint.toml` rule settings, the `--select/--extend-select/--ignore` flags and inline
//! `# crdlint-ignore` suppressions, through the built binary.

use std::path::Path;
use std::process::{Command, Output};

fn crdlint(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_crdlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "crdlint panicked: {stderr}");
    out
}

/// (rule, severity, file) of every diagnostic of a JSON report.
fn findings(out: &Output) -> Vec<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("severity"), s("file"))
        })
        .collect()
}

fn rules(out: &Output) -> Vec<String> {
    findings(out).into_iter().map(|(r, _, _)| r).collect()
}

/// A CRD with a group without a dot (crd/group), a name that does not match (crd/name) and a
/// deprecated storage version (version/deprecated-storage, a warning).
const FLAWED_CRD: &str = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gizmos.wrong.example.com
spec:
  group: example
  scope: Namespaced
  names: {kind: Gizmo, plural: gizmos, singular: gizmo, listKind: GizmoList}
  versions:
    - name: v1alpha1
      served: false
      storage: false
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
    - name: v1
      served: true
      storage: true
      deprecated: true
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
";

/// A one-version CRD (gizmos.demo.example.com) whose root schema has these properties (YAML
/// indented for `openAPIV3Schema.properties`).
fn gizmo_crd(properties: &str) -> String {
    format!(
        "{}{properties}",
        "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gizmos.demo.example.com
spec:
  group: demo.example.com
  scope: Namespaced
  names: {kind: Gizmo, plural: gizmos, singular: gizmo, listKind: GizmoList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
"
    )
}

fn project(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("crd.yaml"), FLAWED_CRD).unwrap();
    std::fs::create_dir(dir.path().join("vendor")).unwrap();
    std::fs::write(dir.path().join("vendor/crd.yaml"), FLAWED_CRD).unwrap();
    if let Some(c) = config {
        std::fs::write(dir.path().join("crdlint.toml"), c).unwrap();
    }
    dir
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

#[test]
fn without_settings_every_default_rule_runs() {
    let dir = project(None);
    let out = crdlint(dir.path(), &["check", "crd.yaml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        sorted(rules(&out)),
        ["crd/group", "crd/name", "version/deprecated-storage"]
    );
}

#[test]
fn config_ignores_selects_and_sets_severity() {
    let dir = project(Some(
        "ignore = [\"crd/name\"]\n[severity]\n\"crd/group\" = \"warning\"\n\"version\" = \"error\"\n",
    ));
    let out = crdlint(dir.path(), &["check", "crd.yaml", "--format", "json"]);
    let f = findings(&out);
    assert_eq!(
        f.iter()
            .map(|(r, s, _)| format!("{r}={s}"))
            .collect::<Vec<_>>(),
        ["crd/group=warning", "version/deprecated-storage=error"]
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "version/deprecated-storage is now an error"
    );

    let dir = project(Some("select = [\"version\"]\n"));
    let out = crdlint(dir.path(), &["check", "crd.yaml", "--format", "json"]);
    assert_eq!(rules(&out), ["version/deprecated-storage"]);
    assert_eq!(out.status.code(), Some(0));

    // The most specific selector wins: the family is ignored, one of its rules kept.
    let dir = project(Some("ignore = [\"crd\"]\nextend-select = [\"crd/name\"]\n"));
    let out = crdlint(dir.path(), &["check", "crd.yaml", "--format", "json"]);
    assert_eq!(
        sorted(rules(&out)),
        ["crd/name", "version/deprecated-storage"]
    );
}

#[test]
fn overrides_apply_to_matching_paths_only() {
    let dir = project(Some(
        "[[overrides]]\nfiles = [\"vendor/**\"]\nignore = [\"crd\"]\n",
    ));
    let out = crdlint(dir.path(), &["check", ".", "--format", "json"]);
    let f = findings(&out);
    let of = |file: &str| {
        sorted(
            f.iter()
                .filter(|(_, _, n)| {
                    n.ends_with(file) && (file != "crd.yaml" || !n.contains("vendor"))
                })
                .map(|(r, _, _)| r.clone())
                .collect(),
        )
    };
    assert_eq!(of("vendor/crd.yaml"), ["version/deprecated-storage"]);
    assert_eq!(
        of("crd.yaml"),
        ["crd/group", "crd/name", "version/deprecated-storage"]
    );
}

#[test]
fn command_line_flags_refine_the_config() {
    let dir = project(Some("ignore = [\"version\"]\n"));
    let out = crdlint(
        dir.path(),
        &[
            "check",
            "crd.yaml",
            "--format",
            "json",
            "--ignore",
            "crd/group",
        ],
    );
    assert_eq!(rules(&out), ["crd/name"]);
    let out = crdlint(
        dir.path(),
        &[
            "check",
            "crd.yaml",
            "--format",
            "json",
            "--select",
            "crd/group,version/deprecated-storage",
        ],
    );
    assert_eq!(
        sorted(rules(&out)),
        ["crd/group", "version/deprecated-storage"]
    );
}

#[test]
fn unknown_keys_and_rules_are_errors_that_name_them() {
    for (config, named) in [
        ("ignroe = [\"crd\"]\n", "ignroe"),
        ("ignore = [\"crd/nmae\"]\n", "crd/nmae"),
        ("[severity]\n\"crd/name\" = \"fatal\"\n", "fatal"),
        ("[[overrides]]\nfiles = [\"a\"]\nseverty = {}\n", "severty"),
        ("[[overrides]]\nfiles = [\"[\"]\n", "["),
    ] {
        let dir = project(Some(config));
        let out = crdlint(dir.path(), &["check", "crd.yaml"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{config}: {err}");
        assert!(err.contains(named), "{config}: {err}");
        assert!(err.contains("crdlint.toml"), "{err}");
    }
    let dir = project(None);
    let out = crdlint(dir.path(), &["check", "crd.yaml", "--ignore", "crd/nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"crd/nope\""));
}

#[test]
fn rules_that_are_off_by_default_run_only_when_named() {
    let dir = project(None);
    let crd = &gizmo_crd(
        "            spec: {type: object, description: The spec.}
            status: {type: object}
",
    );
    std::fs::write(dir.path().join("d.yaml"), crd).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "d.yaml", "--format", "json"];
        args.extend(extra);
        rules(&crdlint(dir.path(), &args))
    };
    assert_eq!(run(&[]), Vec::<String>::new());
    assert_eq!(run(&["--extend-select", "crd"]), Vec::<String>::new());
    assert_eq!(run(&["--extend-select", "all"]), Vec::<String>::new());
    assert_eq!(
        run(&["--extend-select", "crd/missing-description"]),
        ["crd/missing-description"]
    );
    std::fs::write(
        dir.path().join("crdlint.toml"),
        "[severity]\n\"crd/missing-description\" = \"warning\"\n",
    )
    .unwrap();
    let out = crdlint(dir.path(), &["check", "d.yaml", "--format", "json"]);
    assert_eq!(
        findings(&out),
        [(
            "crd/missing-description".to_string(),
            "warning".to_string(),
            "d.yaml".to_string()
        )]
    );
    let listed = crdlint(dir.path(), &["rule"]);
    let line = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .find(|l| l.starts_with("crd/missing-description"))
        .unwrap()
        .to_string();
    assert!(line.contains("off(info)"), "{line}");
}

const SUPPRESSED: &str = "\
# crdlint-ignore version/unused -- v1alpha1 stays listed until storedVersions is migrated
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  # crdlint-ignore crd/name -- the legacy name is kept for existing clusters
  name: gizmos.wrong.example.com
spec:
  group: example # crdlint-ignore crd/group -- internal group, never installed publicly
  scope: Namespaced
  names: {kind: Gizmo, plural: gizmos, singular: gizmo, listKind: GizmoList}
  versions:
    - name: v1alpha1
      served: false
      storage: false
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
";

#[test]
fn inline_suppressions_cover_the_next_node_the_line_or_the_document() {
    let dir = project(None);
    std::fs::write(dir.path().join("crd.yaml"), SUPPRESSED).unwrap();
    let out = crdlint(dir.path(), &["check", "crd.yaml", "--format", "json"]);
    assert_eq!(rules(&out), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn suppressions_need_a_reason_and_a_match() {
    let dir = project(None);
    let text = SUPPRESSED
        .replace(
            "crd/name -- the legacy name is kept for existing clusters",
            "crd/name",
        )
        .replace(
            "version/unused --",
            "version/unused, crd/storage-version --",
        );
    std::fs::write(dir.path().join("crd.yaml"), text).unwrap();
    let out = crdlint(dir.path(), &["check", "crd.yaml", "--format", "json"]);
    // Without a reason the suppression is reported and not applied; the second rule of the
    // document-level comment matches nothing.
    assert_eq!(
        sorted(rules(&out)),
        ["crd/name", "suppression/invalid", "suppression/unused"]
    );
    let human = crdlint(dir.path(), &["check", "crd.yaml"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("crdlint-ignore crd/storage-version matches no diagnostic"),
        "{text}"
    );
    assert!(text.contains("needs a reason"), "{text}");

    // A suppression of a rule switched off is not reported as unused.
    let out = crdlint(
        dir.path(),
        &[
            "check",
            "crd.yaml",
            "--format",
            "json",
            "--ignore",
            "crd/storage-version,crd/name",
        ],
    );
    assert_eq!(rules(&out), ["suppression/invalid"]);
}

#[test]
fn a_suppression_covers_the_nested_node_and_not_its_siblings() {
    let dir = tempfile::tempdir().unwrap();
    let crd = std::fs::canonicalize("fixtures/crds/gadget/crd.yaml").unwrap();
    let resource = "\
apiVersion: fixtures.crdlint.dev/v1
kind: Gadget
metadata:
  name: g
spec:
  # crdlint-ignore schema/type -- tracked in issue 12
  limits:
    cpu: [1]
  size: \"3\"
";
    std::fs::write(dir.path().join("g.yaml"), resource).unwrap();
    let crd = crd.to_string_lossy().to_string();
    let out = crdlint(
        dir.path(),
        &["check", "g.yaml", "--crds", &crd, "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fields: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["spec.size"], "{v:#}");
    // Without the comment both are reported.
    std::fs::write(
        dir.path().join("g.yaml"),
        resource.replace(
            "  # crdlint-ignore schema/type -- tracked in issue 12\n",
            "",
        ),
    )
    .unwrap();
    let out = crdlint(
        dir.path(),
        &["check", "g.yaml", "--crds", &crd, "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    assert_eq!(errors, 2, "{v:#}");
}

#[test]
fn kubernetes_version_reports_cel_libraries_too_new_for_it() {
    let dir = project(None);
    let crd = &gizmo_crd(
        "            spec:
              type: object
              properties:
                addr: {type: string, x-kubernetes-validations: [{rule: 'isIP(self)'}]}
                size: {type: string, x-kubernetes-validations: [{rule: 'quantity(self).isInteger()'}]}
",
    );
    std::fs::write(dir.path().join("d.yaml"), crd).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "d.yaml", "--format", "json"];
        args.extend(extra);
        rules(&crdlint(dir.path(), &args))
    };
    // No target: every library is assumed available.
    assert_eq!(run(&[]), Vec::<String>::new());
    assert_eq!(run(&["--kubernetes-version", "1.31"]), Vec::<String>::new());
    assert_eq!(run(&["--kubernetes-version", "1.30"]), ["cel/unavailable"]);
    assert_eq!(
        run(&["--kubernetes-version", "v1.28.4"]),
        ["cel/unavailable", "cel/unavailable"]
    );
    std::fs::write(
        dir.path().join("crdlint.toml"),
        "kubernetes-version = \"1.29\"\n",
    )
    .unwrap();
    let out = crdlint(dir.path(), &["check", "d.yaml", "--format", "json"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("isIP() is from the CEL IP and CIDR library, which the API server accepts in new CRDs from Kubernetes 1.31 (the target is 1.29)"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(1));
    std::fs::write(
        dir.path().join("crdlint.toml"),
        "kubernetes-version = \"2\"\n",
    )
    .unwrap();
    let out = crdlint(dir.path(), &["check", "d.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid Kubernetes version \"2\""));
}

/// A project with a CRD and a bad resource in `vendor/`, `testdata/bad.yaml` and `bad.yaml`.
fn project_with_bad_resources() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("crd.yaml"),
        gizmo_crd("            size: {type: integer}\n"),
    )
    .unwrap();
    let bad = "apiVersion: demo.example.com/v1\nkind: Gizmo\nmetadata: {name: g}\nsize: big\n";
    for f in ["bad.yaml", "vendor/a/bad.yaml", "testdata/bad.yaml"] {
        let path = p.join(f);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bad).unwrap();
    }
    dir
}

fn files_with_errors(out: &Output) -> Vec<String> {
    let mut files: Vec<String> = findings(out)
        .into_iter()
        .filter(|(_, s, _)| s == "error")
        .map(|(_, _, f)| f)
        .collect();
    files.dedup();
    files
}

#[test]
fn exclude_and_extend_exclude_leave_paths_out() {
    let dir = project_with_bad_resources();
    let p = dir.path();
    let json = ["check", "--format", "json"];
    // Nothing excluded: all three.
    let out = crdlint(p, &json);
    assert_eq!(
        files_with_errors(&out),
        ["bad.yaml", "testdata/bad.yaml", "vendor/a/bad.yaml"]
    );
    // crdlint.toml: `exclude` and `extend-exclude`, gitignore-style, relative to the file.
    std::fs::write(
        p.join("crdlint.toml"),
        "exclude = [\"vendor/\"]\nextend-exclude = [\"/testdata/*.yaml\"]\n",
    )
    .unwrap();
    assert_eq!(files_with_errors(&crdlint(p, &json)), ["bad.yaml"]);
    // Also for files named on the command line (what pre-commit passes), from a subdirectory.
    let out = crdlint(
        &p.join("testdata"),
        &[
            "check",
            "--format",
            "json",
            "bad.yaml",
            "../vendor/a/bad.yaml",
            "--crds",
            "../crd.yaml",
        ],
    );
    assert_eq!(files_with_errors(&out), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(0));
    // `--exclude` replaces the file's `exclude`; `--extend-exclude` adds to everything.
    let mut args = json.to_vec();
    args.extend(["--exclude", "/bad.yaml"]);
    assert_eq!(files_with_errors(&crdlint(p, &args)), ["vendor/a/bad.yaml"]);
    args.extend(["--extend-exclude", "vendor"]);
    let out = crdlint(p, &args);
    assert_eq!(files_with_errors(&out), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_bad_exclude_glob_is_an_error_naming_it() {
    let dir = project_with_bad_resources();
    std::fs::write(
        dir.path().join("crdlint.toml"),
        "extend-exclude = [\"a{\"]\n",
    )
    .unwrap();
    let out = crdlint(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("invalid exclude pattern \"a{\""),
        "{stderr}"
    );
    let out = crdlint(dir.path(), &["check", "--no-config", "--exclude", "b{"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"b{\""));
}

/// `resources`: when a CRD is among the checked files, the custom resources of its kinds under
/// those paths (globs too, relative to crdlint.toml) are validated and reported as their own
/// files; other kinds there, and the files when no CRD is checked, are left alone.
#[test]
fn resources_are_validated_when_their_crd_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let crd = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.demo.example.com}
spec:
  group: demo.example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {size: {type: integer}}}
";
    std::fs::create_dir_all(root.join("crd")).unwrap();
    std::fs::create_dir_all(root.join("samples/more")).unwrap();
    std::fs::create_dir_all(root.join("hack")).unwrap();
    std::fs::write(root.join("crd/widgets.yaml"), crd).unwrap();
    let bad =
        "apiVersion: demo.example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n";
    std::fs::write(root.join("samples/bad.yaml"), bad).unwrap();
    std::fs::write(root.join("samples/more/bad.yaml"), bad).unwrap();
    std::fs::write(root.join("hack/bad.yaml"), bad).unwrap();
    // Another kind in a sample file: not this CRD's, not reported.
    std::fs::write(
        root.join("samples/other.yaml"),
        "apiVersion: other.example.com/v1\nkind: Gadget\nmetadata: {name: g}\n---\napiVersion: demo.example.com/v1\nkind: Widget\nmetadata: {name: ok}\nspec: {size: 1}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("crdlint.toml"),
        "resources = [\"samples/*.yaml\", \"hack\"]\n",
    )
    .unwrap();
    let out = crdlint(root, &["check", "--format", "json", "crd/widgets.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let mut got = findings(&out);
    got.sort();
    assert_eq!(
        got,
        vec![
            ("schema/type".into(), "error".into(), "hack/bad.yaml".into()),
            (
                "schema/type".into(),
                "error".into(),
                "samples/bad.yaml".into()
            ),
        ]
    );
    // No CRD among the checked files: nothing else is read.
    let out = crdlint(
        root,
        &[
            "check",
            "--format",
            "json",
            "samples/other.yaml",
            "--crds",
            "crd",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // A bad glob is the file's error.
    std::fs::write(root.join("crdlint.toml"), "resources = [\"samples/[\"]\n").unwrap();
    let out = crdlint(root, &["check", "crd/widgets.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("crdlint.toml"));
}

#[test]
fn test_runner_assertion_files_are_excluded_by_default() {
    let dir = project_with_bad_resources();
    let p = dir.path();
    // A kuttl/chainsaw assertion: a partial object matched against a cluster.
    std::fs::create_dir_all(p.join("tests/e2e/basic")).unwrap();
    let bad = std::fs::read_to_string(p.join("bad.yaml")).unwrap();
    std::fs::write(p.join("tests/e2e/basic/00-assert.yaml"), &bad).unwrap();
    std::fs::write(p.join("tests/e2e/basic/01-errors.yml"), &bad).unwrap();
    let json = [
        "check",
        "--format",
        "json",
        "--extend-exclude",
        "vendor,testdata,/bad.yaml",
    ];
    assert_eq!(files_with_errors(&crdlint(p, &json)), Vec::<String>::new());
    // Setting `exclude` replaces the default.
    std::fs::write(p.join("crdlint.toml"), "exclude = []\n").unwrap();
    assert_eq!(
        files_with_errors(&crdlint(p, &json)),
        [
            "tests/e2e/basic/00-assert.yaml",
            "tests/e2e/basic/01-errors.yml"
        ]
    );
}
