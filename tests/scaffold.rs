//! An operator repository as kubebuilder scaffolds it (`examples/kubebuilder`: `init`, `create
//! api` for two versions, a conversion webhook, cert-manager, metrics, RBAC, samples with
//! `spec:  # TODO(user)`): a bare `crdlint check` at its root passes, and what crdlint makes of
//! the scaffolding (kustomize patches, a conversion webhook a patch adds, copies of the CRD)
//! holds when the project changes.

use std::path::{Path, PathBuf};
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
fn found(out: &Output) -> Vec<(String, String, String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("severity"), s("file"), s("message"))
        })
        .collect()
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/kubebuilder")
}

/// A copy of the example project to change.
fn copy_of_example() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                copy(&p, &to.join(e.file_name()));
            } else {
                std::fs::copy(&p, to.join(e.file_name())).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&example(), dir.path());
    dir
}

#[test]
fn a_bare_check_of_the_scaffold_passes_with_nothing_above_info() {
    let out = crdlint(&example(), &["check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("0 errors, 0 warnings"), "{text}");
    let out = crdlint(&example(), &["check", "--format", "json"]);
    let above_info: Vec<_> = found(&out)
        .into_iter()
        .filter(|(_, s, _, _)| s != "info")
        .collect();
    assert!(above_info.is_empty(), "{above_info:?}");
    // The CRD is read (and the two patches are not read as CRDs), the samples validated.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["crds"], 1);
    // Selected, the patch rules show what was read as a patch.
    let out = crdlint(
        &example(),
        &[
            "check",
            "--format",
            "json",
            "--extend-select",
            "crd/kustomize-patch,resource/kustomize-patch",
        ],
    );
    let mut patches: Vec<(String, String)> = found(&out)
        .into_iter()
        .filter(|(r, _, _, _)| r.ends_with("/kustomize-patch"))
        .map(|(r, _, f, _)| (r, f))
        .collect();
    patches.sort();
    assert_eq!(
        patches,
        [
            (
                "crd/kustomize-patch".to_string(),
                "config/crd/patches/cainjection_in_guestbooks.yaml".to_string()
            ),
            (
                "crd/kustomize-patch".into(),
                "config/crd/patches/webhook_in_guestbooks.yaml".into()
            ),
            (
                "resource/kustomize-patch".into(),
                "config/default/manager_webhook_patch.yaml".into()
            ),
        ]
    );
}

#[test]
fn a_conversion_webhook_counts_only_where_a_kustomization_applies_it() {
    let dir = copy_of_example();
    let p = dir.path();
    let json = ["check", "--format", "json"];
    let conversion = |out: &Output| {
        found(out)
            .into_iter()
            .filter(|(r, _, _, _)| r == "version/conversion-none")
            .map(|(_, _, _, m)| m)
            .collect::<Vec<_>>()
    };
    assert!(conversion(&crdlint(p, &json)).is_empty());
    // The scaffold before `create webhook --conversion`: the patch line commented out. The
    // kustomization on disk no longer applies it, and the warning says a patch would change it.
    let k = p.join("config/crd/kustomization.yaml");
    let text = std::fs::read_to_string(&k).unwrap();
    std::fs::write(
        &k,
        text.replace(
            "- path: patches/webhook_in_guestbooks.yaml",
            "#- path: patches/webhook_in_guestbooks.yaml",
        ),
    )
    .unwrap();
    let c = conversion(&crdlint(p, &json));
    assert_eq!(c.len(), 1, "{c:?}");
    assert!(
        c[0].contains("a kustomize patch, config/crd/patches/webhook_in_guestbooks.yaml, sets a conversion webhook"),
        "{c:?}"
    );
    // Without the patch at all, the plain warning.
    std::fs::remove_file(p.join("config/crd/patches/webhook_in_guestbooks.yaml")).unwrap();
    let c = conversion(&crdlint(p, &json));
    assert_eq!(c.len(), 1, "{c:?}");
    assert!(!c[0].contains("kustomize patch"), "{c:?}");
}

#[test]
fn copies_of_a_crd_are_one_definition_unless_they_differ() {
    let dir = copy_of_example();
    let p = dir.path();
    let base = p.join("config/crd/bases/webapp.demo.example.com_guestbooks.yaml");
    let text = std::fs::read_to_string(&base).unwrap();
    // A release copy with other annotations: the same definition.
    std::fs::create_dir_all(p.join("dist")).unwrap();
    let copy = text.replace(
        "controller-gen.kubebuilder.io/version: v0.19.0",
        "controller-gen.kubebuilder.io/version: v0.18.0",
    );
    std::fs::write(p.join("dist/install.yaml"), &copy).unwrap();
    let out = crdlint(p, &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        found(&out).iter().all(|(r, _, _, _)| r != "crd/duplicate"),
        "{:?}",
        found(&out)
    );
    // A stale copy that differs: named, on the copy that is not used. `config/` comes before
    // `dist/` in path order, so the scaffold's own CRD validates the samples.
    let stale = copy.replace("maxLength: 32768", "maxLength: 1024");
    std::fs::write(p.join("dist/install.yaml"), &stale).unwrap();
    let out = crdlint(p, &["check", "--format", "json"]);
    let dup: Vec<_> = found(&out)
        .into_iter()
        .filter(|(r, _, _, _)| r == "crd/duplicate")
        .collect();
    assert_eq!(dup.len(), 1, "{dup:?}");
    assert_eq!(dup[0].1, "warning");
    assert_eq!(dup[0].2, "dist/install.yaml");
    assert!(
        dup[0]
            .3
            .contains("config/crd/bases/webapp.demo.example.com_guestbooks.yaml (document 1), which comes first"),
        "{dup:?}"
    );
}

#[test]
fn documents_no_api_server_reads_are_not_resources() {
    let dir = copy_of_example();
    let p = dir.path();
    // kind's cluster configuration, an audit policy, a kubeconfig, a chainsaw test, kustomize's
    // builtin transformer config, an OLM scorecard config: none is sent to an API server.
    let configs = "\
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes: [{role: control-plane}]
---
apiVersion: audit.k8s.io/v1
kind: Policy
rules: [{level: Metadata}]
---
apiVersion: v1
kind: Config
clusters: []
---
apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata: {name: basic}
spec: {steps: []}
---
apiVersion: builtin
kind: LabelTransformer
metadata: {name: labels}
labels: {app: guestbook}
---
apiVersion: scorecard.operatorframework.io/v1alpha3
kind: Configuration
metadata: {name: config}
stages: []
";
    std::fs::write(p.join("hack-configs.yaml"), configs).unwrap();
    let out = crdlint(p, &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let about: Vec<_> = found(&out)
        .into_iter()
        .filter(|(_, _, f, _)| f == "hack-configs.yaml")
        .collect();
    assert!(about.is_empty(), "{about:?}");
}

/// pre-commit names only the changed files: a strategic-merge patch checked without the
/// kustomization beside it is still known as a patch (a partial Deployment, not refused for the
/// fields it leaves out), and a file no kustomization names is validated as what it says it is.
#[test]
fn a_patch_checked_alone_is_known_by_the_kustomization_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let overlay = dir.path().join("deploy/overlay");
    std::fs::create_dir_all(&overlay).unwrap();
    let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        args: [--verbose]\n";
    std::fs::write(overlay.join("add-flag.yaml"), patch).unwrap();
    std::fs::write(overlay.join("stray.yaml"), patch).unwrap();
    std::fs::write(
        overlay.join("kustomization.yaml"),
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base]\npatches:\n- path: add-flag.yaml\n",
    )
    .unwrap();
    let out = crdlint(
        dir.path(),
        &["check", "--format", "json", "deploy/overlay/add-flag.yaml"],
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", found(&out));
    assert!(found(&out).is_empty(), "{:?}", found(&out));
    // The same partial object, named by no kustomization, is a Deployment the server refuses.
    let out = crdlint(
        dir.path(),
        &["check", "--format", "json", "deploy/overlay/stray.yaml"],
    );
    assert_eq!(out.status.code(), Some(1));
    let rules: Vec<String> = found(&out).into_iter().map(|f| f.0).collect();
    assert!(rules.contains(&"schema/required".to_string()), "{rules:?}");
}
