//! Reading a CustomResourceDefinition document into what validation needs.

use super::cel_escaping;
use super::schema::{Schema, SchemaProblem};
use crate::lint::cel_walk::CelExpression;
use crate::source::Span;
use crate::yaml::Node;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

pub struct CrdVersion {
    pub name: String,
    pub served: bool,
    pub storage: bool,
    /// With the status subresource, the server drops `status` on create and update.
    pub status_subresource: bool,
    pub schema: Option<Arc<Schema>>,
    /// The schema as JSON, kept only when it holds `x-kubernetes-validations`.
    cel_source: Option<serde_json::Value>,
    /// The schema has `format: date` strings, which CEL sees as timestamps.
    pub cel_dates: bool,
    /// The CEL rules, compiled on first use (most CRDs in scope never validate a resource).
    cel: OnceLock<kube_cel::CompiledSchema>,
}

impl std::fmt::Debug for CrdVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrdVersion")
            .field("name", &self.name)
            .field("served", &self.served)
            .field("storage", &self.storage)
            .field("has_cel_rules", &self.cel_source.is_some())
            .finish()
    }
}

impl CrdVersion {
    pub fn has_cel_rules(&self) -> bool {
        self.cel_source.is_some()
    }

    /// The compiled CEL rules of this version's schema, if it has any.
    pub fn cel_rules(&self) -> Option<&kube_cel::CompiledSchema> {
        let source = self.cel_source.as_ref()?;
        Some(self.cel.get_or_init(|| {
            let mut compiled = kube_cel::compile_schema(source);
            super::cel_rules::withhold(&mut compiled);
            crate::validate::cel::prune_for_evaluation(&mut compiled);
            compiled
        }))
    }
}

fn has_cel_rules(n: &Node) -> bool {
    match &n.value {
        crate::yaml::Value::Map(entries) => entries
            .iter()
            .any(|e| e.key == "x-kubernetes-validations" || has_cel_rules(&e.value)),
        crate::yaml::Value::Seq(items) => items.iter().any(has_cel_rules),
        _ => false,
    }
}

#[derive(Debug)]
pub struct Crd {
    /// `metadata.name`, e.g. `widgets.demo.example.com`.
    pub name: String,
    pub group: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
    pub versions: Vec<CrdVersion>,
    /// Where the CRD was read from (for messages).
    pub origin: String,
}

impl Crd {
    pub fn version(&self, name: &str) -> Option<&CrdVersion> {
        self.versions.iter().find(|v| v.name == name)
    }
}

/// A problem that stops a CRD from being used, with the API server's wording where it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct CrdProblem {
    pub rule: &'static str,
    pub message: String,
    pub span: Span,
    /// How to fix it, when the rule's doc is not enough (a suggested key, the pruned fields).
    pub help: Option<String>,
}

fn str_at<'a>(node: &'a Node, path: &[&str]) -> Option<&'a str> {
    let mut n = node;
    for k in path {
        n = n.get(k)?;
    }
    n.as_str()
}

/// What reading a CRD document gives.
#[derive(Debug, Default)]
pub struct CrdReading {
    /// The CRD, when it is usable for validation.
    pub crd: Option<Crd>,
    pub problems: Vec<CrdProblem>,
    /// Its CEL expressions, for checks that depend on settings (the target Kubernetes version).
    pub expressions: Vec<CelExpression>,
}

/// Read a v1 CRD: the CRD when it is usable for validation, plus the problems found.
pub fn read_crd(root: &Node, origin: &str) -> CrdReading {
    let mut expressions = Vec::new();
    let (crd, problems) = read(root, origin, &mut expressions);
    CrdReading {
        crd,
        problems,
        expressions,
    }
}

fn read(
    root: &Node,
    origin: &str,
    expressions: &mut Vec<CelExpression>,
) -> (Option<Crd>, Vec<CrdProblem>) {
    let mut problems = Vec::new();
    crate::lint::check_crd(root, &mut problems);
    let spec = root.get("spec");
    let required = |field: &str, at: Span| CrdProblem {
        rule: "crd/invalid",
        message: format!("{field}: Required value"),
        span: at,
        help: None,
    };
    let Some(spec) = spec.filter(|s| s.as_map().is_some()) else {
        problems.push(required("spec", root.span));
        return (None, problems);
    };
    let group = str_at(spec, &["group"]);
    let kind = str_at(spec, &["names", "kind"]);
    let plural = str_at(spec, &["names", "plural"]);
    if group.is_none() {
        problems.push(required("spec.group", spec.span));
    }
    if kind.is_none() {
        problems.push(required("spec.names.kind", spec.span));
    }
    let versions_node = spec.get("versions").and_then(Node::as_seq);
    if versions_node.is_none_or(|v| v.is_empty()) {
        problems.push(CrdProblem {
            rule: "crd/invalid",
            message: "spec.versions: Invalid value: null: must have exactly one version marked as storage version".into(),
            span: spec.get("versions").map(|n| n.span).unwrap_or(spec.span),
            help: None,
        });
    }
    let (Some(group), Some(kind), Some(versions_node)) = (group, kind, versions_node) else {
        return (None, problems);
    };
    let mut schema_problems: Vec<SchemaProblem> = Vec::new();
    let mut versions = Vec::new();
    // When every version has the same schema, the API server holds it once, as the internal
    // `spec.validation`, and words its errors with that path (and reports them once).
    let schema_of = |v: &'_ Node| {
        v.get("schema")
            .and_then(|s| s.get("openAPIV3Schema"))
            .cloned()
    };
    let first_schema = versions_node.first().and_then(schema_of);
    let shared = first_schema.is_some()
        && versions_node.iter().all(|v| {
            schema_of(v).is_some_and(|s| {
                first_schema
                    .as_ref()
                    .is_some_and(|f| f.value.json_eq(&s.value))
            })
        });
    let has_status = |v: &Node| {
        v.get("subresources")
            .and_then(|s| s.get("status"))
            .is_some_and(|s| !s.is_null())
    };
    // A shared schema is validated with the status subresource if any version enables it.
    let any_status = versions_node.iter().any(has_status);
    let mut lint_problems: Vec<CrdProblem> = Vec::new();
    for (i, v) in versions_node.iter().enumerate() {
        let Some(name) = str_at(v, &["name"]) else {
            problems.push(required(&format!("spec.versions[{i}].name"), v.span));
            continue;
        };
        let schema_node = v.get("schema").and_then(|s| s.get("openAPIV3Schema"));
        let (cel_source, cel_dates) = match schema_node.filter(|n| has_cel_rules(n)) {
            Some(n) => {
                let (adapted, dates) = cel_escaping::adapt_schema(n.to_serde());
                (Some(adapted), dates)
            }
            None => (None, false),
        };
        let schema = schema_node.map(|s| {
            let path = if shared {
                "spec.validation.openAPIV3Schema".to_string()
            } else {
                format!("spec.versions[{i}].schema.openAPIV3Schema")
            };
            let mut found = Vec::new();
            let schema = Schema::compile(s, &path, &mut found);
            crate::lint::check_schema(&schema, &path, &mut found);
            if !shared || i == 0 {
                schema_problems.extend(found);
                expressions.extend(crate::lint::cel_walk::expressions(&schema, &path));
                let anchor = v
                    .get("schema")
                    .and_then(|n| n.entry("openAPIV3Schema"))
                    .map(|e| e.key_span)
                    .unwrap_or(s.span);
                let site = crate::lint::SchemaSite {
                    path: &path,
                    doc_path: &format!("spec.versions[{i}].schema.openAPIV3Schema"),
                    anchor,
                    status_enabled: if shared { any_status } else { has_status(v) },
                };
                crate::lint::check_schema_node(s, &site, &mut lint_problems);
            }
            Arc::new(schema)
        });
        versions.push(CrdVersion {
            name: name.to_string(),
            served: v.get("served").and_then(Node::as_bool).unwrap_or(false),
            storage: v.get("storage").and_then(Node::as_bool).unwrap_or(false),
            status_subresource: has_status(v),
            schema,
            cel_source,
            cel_dates,
            cel: OnceLock::new(),
        });
    }
    problems.extend(lint_problems);
    problems.extend(schema_problems.into_iter().map(|p| CrdProblem {
        rule: p.rule,
        message: p.message,
        span: p.span,
        help: None,
    }));
    let name = str_at(root, &["metadata", "name"]).unwrap_or_default();
    let crd = Crd {
        name: name.to_string(),
        group: group.to_string(),
        kind: kind.to_string(),
        plural: plural.unwrap_or_default().to_string(),
        namespaced: str_at(spec, &["scope"]) != Some("Cluster"),
        versions,
        origin: origin.to_string(),
    };
    (Some(crd), problems)
}

/// CRDs by group and kind. The first CRD read for a group/kind wins.
#[derive(Debug, Default)]
pub struct CrdIndex {
    by_group_kind: HashMap<(String, String), Arc<Crd>>,
}

impl CrdIndex {
    pub fn insert(&mut self, crd: Arc<Crd>) {
        self.by_group_kind
            .entry((crd.group.clone(), crd.kind.clone()))
            .or_insert(crd);
    }

    pub fn get(&self, group: &str, kind: &str) -> Option<&Arc<Crd>> {
        self.by_group_kind
            .get(&(group.to_string(), kind.to_string()))
    }

    /// Add every CRD of `other` that this index does not define yet.
    pub fn extend_from(&mut self, other: &CrdIndex) {
        for crd in other.by_group_kind.values() {
            self.insert(Arc::clone(crd));
        }
    }

    pub fn len(&self) -> usize {
        self.by_group_kind.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_group_kind.is_empty()
    }
}
