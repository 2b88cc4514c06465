//! What kustomize makes of CRD documents. Operator repositories (kubebuilder's
//! `config/crd/patches/webhook_in_*.yaml` and `cainjection_in_*.yaml`, `$patch: delete` files)
//! hold CRD-shaped documents that are patches, not definitions: they are not linted as CRDs nor
//! used for validation. A kustomization names the patches it applies; a conversion webhook
//! that such a patch sets is the CRD's conversion once applied.
//! Followed: kustomize `api/types/kustomization.go` (`patches`, `patchesStrategicMerge`,
//! `patchesJson6902`) and its strategic-merge `$patch` directive.

use crate::yaml::Node;
use std::path::{Component, Path, PathBuf};

/// A CRD document that is a patch: it carries a `$patch` directive, or it has none of
/// `spec.group`, `spec.names` and `spec.versions`, without which no CRD can be created.
pub fn is_crd_patch(root: &Node) -> bool {
    if root.get("$patch").is_some()
        || root
            .get("metadata")
            .is_some_and(|m| m.get("$patch").is_some())
    {
        return true;
    }
    let spec = root.get("spec");
    ["group", "names", "versions"]
        .iter()
        .all(|k| spec.and_then(|s| s.get(k)).is_none_or(Node::is_null))
}

/// The file names kustomize reads as a kustomization.
pub const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

pub fn is_kustomization_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| FILE_NAMES.contains(&n))
}

/// Whether a document is a kustomization (kustomize allows one without apiVersion and kind).
pub fn is_kustomization(root: &Node, path: &Path) -> bool {
    match root.get("kind").and_then(Node::as_str) {
        Some(kind) => kind == "Kustomization" || kind == "Component",
        None => is_kustomization_file(path),
    }
}

/// The patch files a kustomization at `path` applies, as paths relative to the same base as
/// `path` (`a/b/../c` resolved).
pub fn patch_files(root: &Node, path: &Path) -> Vec<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut files = Vec::new();
    let mut add = |p: &str| {
        // An inline patch (`patch: |-`) or a URL is not a file.
        if !p.contains('\n') && !p.contains("://") {
            files.push(normalize(&dir.join(p)));
        }
    };
    for key in ["patches", "patchesJson6902"] {
        for entry in root.get(key).and_then(Node::as_seq).unwrap_or_default() {
            if let Some(p) = entry.get("path").and_then(Node::as_str) {
                add(p);
            }
        }
    }
    for entry in root
        .get("patchesStrategicMerge")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        if let Some(p) = entry.as_str() {
            add(p);
        }
    }
    files
}

/// `p` with `.` and `a/..` taken out, without touching the file system.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The CRD a patch sets a conversion webhook for: its `metadata.name`.
pub fn conversion_webhook_of(root: &Node) -> Option<&str> {
    let strategy = root
        .get("spec")?
        .get("conversion")?
        .get("strategy")?
        .as_str()?;
    (strategy == "Webhook")
        .then(|| root.get("metadata")?.get("name")?.as_str())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(yaml: &str) -> Node {
        crate::yaml::parse_stream(yaml).remove(0).root.unwrap()
    }

    #[test]
    fn kubebuilder_patches_are_patches_and_crds_are_not() {
        let webhook = node(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.demo.example.com\nspec:\n  conversion:\n    strategy: Webhook\n    webhook:\n      clientConfig:\n        service: {namespace: system, name: webhook-service, path: /convert}\n      conversionReviewVersions: [v1]\n",
        );
        assert!(is_crd_patch(&webhook));
        assert_eq!(
            conversion_webhook_of(&webhook),
            Some("widgets.demo.example.com")
        );
        let cainjection = node(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  annotations:\n    cert-manager.io/inject-ca-from: CERTIFICATE_NAMESPACE/CERTIFICATE_NAME\n  name: widgets.demo.example.com\n",
        );
        assert!(is_crd_patch(&cainjection));
        assert_eq!(conversion_webhook_of(&cainjection), None);
        let delete = node(
            "$patch: delete\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.demo.example.com\nspec:\n  group: demo.example.com\n",
        );
        assert!(is_crd_patch(&delete));
        // A CRD missing only some of them is a broken CRD, linted as one.
        let broken = node(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: w.demo.example.com\nspec:\n  group: demo.example.com\n",
        );
        assert!(!is_crd_patch(&broken));
    }

    #[test]
    fn kustomizations_name_their_patch_files() {
        let k = node(
            "resources:\n- bases/demo.example.com_widgets.yaml\npatches:\n- path: patches/webhook_in_widgets.yaml\n- patch: |-\n    - op: add\n      path: /x\n  target: {kind: Deployment}\npatchesStrategicMerge:\n- ../crd/patches/cainjection_in_widgets.yaml\npatchesJson6902:\n- path: ./p.yaml\n  target: {kind: CustomResourceDefinition}\n",
        );
        let path = Path::new("config/crd/kustomization.yaml");
        assert!(is_kustomization(&k, path));
        assert!(!is_kustomization(&k, Path::new("config/crd/x.yaml")));
        assert_eq!(
            patch_files(&k, path),
            vec![
                PathBuf::from("config/crd/patches/webhook_in_widgets.yaml"),
                PathBuf::from("config/crd/p.yaml"),
                PathBuf::from("config/crd/patches/cainjection_in_widgets.yaml"),
            ]
        );
    }
}
