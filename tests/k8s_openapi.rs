//! An independent check of crdlint's built-in validation: every built-in manifest it finds
//! valid in this project's examples deserializes into k8s-openapi's types for Kubernetes 1.35
//! (Rust bindings generated from the same upstream OpenAPI documents, by another project), and
//! documents whose fields have the wrong type are refused by both.

use crdlint::check::{self, Options};
use crdlint::diagnostics::Severity;
use k8s_openapi::api::{apps, core, networking, rbac};
use serde_json::Value;
use std::path::PathBuf;

/// Deserialize a manifest into the k8s-openapi type of its kind (None: a kind not covered).
fn deserializes(doc: &Value) -> Option<Result<(), String>> {
    fn into<T: serde::de::DeserializeOwned>(v: &Value) -> Result<(), String> {
        serde_json::from_value::<T>(v.clone())
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
    let api_version = doc["apiVersion"].as_str()?;
    let kind = doc["kind"].as_str()?;
    Some(match (api_version, kind) {
        ("v1", "Namespace") => into::<core::v1::Namespace>(doc),
        ("v1", "Service") => into::<core::v1::Service>(doc),
        ("v1", "ServiceAccount") => into::<core::v1::ServiceAccount>(doc),
        ("v1", "ConfigMap") => into::<core::v1::ConfigMap>(doc),
        ("v1", "Pod") => into::<core::v1::Pod>(doc),
        ("apps/v1", "Deployment") => into::<apps::v1::Deployment>(doc),
        ("networking.k8s.io/v1", "NetworkPolicy") => into::<networking::v1::NetworkPolicy>(doc),
        ("rbac.authorization.k8s.io/v1", "Role") => into::<rbac::v1::Role>(doc),
        ("rbac.authorization.k8s.io/v1", "ClusterRole") => into::<rbac::v1::ClusterRole>(doc),
        ("rbac.authorization.k8s.io/v1", "RoleBinding") => into::<rbac::v1::RoleBinding>(doc),
        ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding") => {
            into::<rbac::v1::ClusterRoleBinding>(doc)
        }
        _ => return None,
    })
}

#[test]
fn valid_built_in_manifests_are_the_upstream_types() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/kubebuilder");
    let report = check::run(&Options {
        paths: vec![root.clone()],
        ..Options::default()
    });
    let mut checked = 0;
    for file in &report.files {
        let text = std::fs::read_to_string(&file.name).unwrap();
        let docs = crdlint::yaml::parse_stream(&text);
        for (index, _) in &file.resources {
            let errors = report.diagnostics.iter().any(|d| {
                d.source.name == file.name
                    && d.document == Some(*index)
                    && d.severity == Severity::Error
            });
            let Some(root) = &docs[*index].root else {
                continue;
            };
            let Some(result) = deserializes(&root.to_serde()) else {
                continue;
            };
            assert!(!errors, "{}[{index}] has errors", file.name);
            assert!(result.is_ok(), "{}[{index}]: {result:?}", file.name);
            checked += 1;
        }
    }
    // The scaffold's Deployment, Namespace, Services, RBAC and NetworkPolicy.
    assert!(checked >= 15, "{checked}");
}

#[test]
fn wrong_types_are_refused_by_both() {
    for text in [
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: many\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: [a, b]\n",
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: http}]}\n",
    ] {
        let report = check::run(&Options {
            paths: vec![PathBuf::from("-")],
            stdin_text: Some(text.as_bytes().to_vec()),
            ..Options::default()
        });
        assert!(check::has_errors(&report), "crdlint accepts {text}");
        let doc = crdlint::yaml::parse_stream(text)
            .remove(0)
            .root
            .unwrap()
            .to_serde();
        assert!(
            deserializes(&doc).unwrap().is_err(),
            "k8s-openapi accepts {text}"
        );
    }
}
