//! A built-in kind as the validation engine takes it: a one-version `Crd` whose schema is the
//! kind's published schema, compiled once per run and kept (a Pod's schema takes a few
//! milliseconds to resolve and compile; a repository holds thousands of Pods' templates).
//! This is how kubectl-validate validates built-ins (the CR pipeline over the published
//! schema), with three differences, each towards the real server: the name rule of the kind
//! (kubectl-validate checks every name as a DNS subdomain, which refuses RBAC names such as
//! `system:controller:x`), `status` dropped on create as most built-in strategies do (Node
//! keeps it), and the scope computed per kind (see `tools/builtin-schemas/NOTES.md`).

use crate::model::crd::{Crd, CrdVersion, NameRule};
use crate::model::schema::Schema;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

type Key = (u32, String, String, String);

/// The name rule of a built-in kind (`pkg/apis/*/validation` in kubernetes/kubernetes). Where
/// a rule changed across releases or is not certain, the more permissive one: a name is never
/// refused that the server would take.
fn name_rule(group: &str, kind: &str) -> NameRule {
    match (group, kind) {
        (
            "rbac.authorization.k8s.io",
            "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding",
        ) => NameRule::PathSegment,
        ("", "Namespace") => NameRule::Label,
        ("", "Service") => NameRule::ServiceName,
        _ => NameRule::Subdomain,
    }
}

/// A built-in kind of Kubernetes 1.`minor` as a `Crd`, when `minor` serves it and it has a
/// schema.
pub fn crd_for(minor: u32, group: &str, version: &str, kind: &str) -> Option<Arc<Crd>> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Option<Arc<Crd>>>>> = OnceLock::new();
    let key = (
        minor,
        group.to_string(),
        version.to_string(),
        kind.to_string(),
    );
    let cache = CACHE.get_or_init(Mutex::default);
    if let Some(hit) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return hit.clone();
    }
    // Built outside the lock: two threads may build the same kind once each, never wait.
    let built = build(minor, group, version, kind);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(key)
        .or_insert(built)
        .clone()
}

fn build(minor: u32, group: &str, version: &str, kind: &str) -> Option<Arc<Crd>> {
    let found = super::lookup(minor, group, version, kind)?;
    let info = found.info;
    let node = found.node();
    let schema_path = "openAPIV3Schema".to_string();
    let mut compile_errors = Vec::new();
    let schema = Schema::compile(&node, &schema_path, &mut compile_errors);
    let version = CrdVersion {
        name: version.to_string(),
        index: 0,
        served: true,
        storage: true,
        deprecated: false,
        deprecation_warning: None,
        // PrepareForCreate of most built-in strategies resets `status`; Node keeps it.
        status_subresource: !(group.is_empty() && kind == "Node"),
        schema: Some(Arc::new(schema)),
        schema_path,
        compile_errors,
        cel_source: None,
        cel: OnceLock::new(),
    };
    let plural = info.resource.clone().unwrap_or_default();
    Some(Arc::new(Crd {
        name: format!("{plural}.{group}"),
        group: group.to_string(),
        kind: kind.to_string(),
        plural,
        namespaced: info.namespaced,
        versions: vec![version],
        name_rule: name_rule(group, kind),
        builtin: true,
        schema_shared: false,
        origin: format!("Kubernetes 1.{minor}"),
        document: 0,
        name_span: crate::source::Span::default(),
        spec_hash: 0,
    }))
}

/// Whether `group` is built in: an embedded minor serves a version of it, or the lifecycle
/// data knows it (`extensions`, removed before the oldest embedded minor).
pub fn is_builtin_group(group: &str) -> bool {
    // Every built-in group with a dot ends in `.k8s.io` (a test checks the data): a custom
    // resource's group is told apart without loading the versions' indexes.
    if group.contains('.') && !group.ends_with(".k8s.io") {
        return false;
    }
    builtin_groups().contains(group)
}

fn builtin_groups() -> &'static std::collections::HashSet<String> {
    static GROUPS: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    GROUPS.get_or_init(|| {
        let served = super::versions()
            .iter()
            .flat_map(|&m| super::group_versions(m))
            .map(|(g, _)| g.to_string());
        let known = super::lifecycle::all().iter().map(|l| {
            let (g, _) = l.api_version.split_once('/').unwrap_or(("", ""));
            g.to_string()
        });
        served.chain(known).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dotted_built_in_group_ends_in_k8s_io() {
        let groups = builtin_groups();
        assert!(groups.contains("apps") && groups.contains("networking.k8s.io"));
        for g in groups {
            assert!(!g.contains('.') || g.ends_with(".k8s.io"), "{g}");
        }
        assert!(!is_builtin_group("demo.example.com"));
        assert!(is_builtin_group("rbac.authorization.k8s.io"));
        assert!(!is_builtin_group("metrics.example.k8s.io"));
    }

    #[test]
    fn built_in_kinds_become_one_version_crds() {
        let d = crd_for(35, "apps", "v1", "Deployment").unwrap();
        assert!(d.builtin && d.namespaced);
        assert_eq!(d.plural, "deployments");
        let v = d.version("v1").unwrap();
        assert!(v.served && v.status_subresource);
        let s = v.schema.as_deref().unwrap();
        assert!(s.properties["spec"].properties.contains_key("template"));
        // Cached: the same Arc.
        assert!(Arc::ptr_eq(
            &d,
            &crd_for(35, "apps", "v1", "Deployment").unwrap()
        ));
        assert!(!crd_for(35, "", "v1", "Namespace").unwrap().namespaced);
        assert!(!crd_for(35, "", "v1", "Node").unwrap().versions[0].status_subresource);
        assert_eq!(
            crd_for(35, "rbac.authorization.k8s.io", "v1", "ClusterRole")
                .unwrap()
                .name_rule,
            NameRule::PathSegment
        );
        assert!(crd_for(35, "apps", "v1", "Deploymnt").is_none());
        assert!(crd_for(35, "extensions", "v1beta1", "Deployment").is_none());
        assert!(
            is_builtin_group("")
                && is_builtin_group("apps")
                && is_builtin_group("networking.k8s.io")
        );
        assert!(is_builtin_group("extensions"));
        assert!(!is_builtin_group("gateway.networking.k8s.io"));
    }
}
