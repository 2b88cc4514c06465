//! Helpers shared by the integration tests.
#![allow(dead_code)]

use crdlint::check::{self, Options, Report};
use std::path::{Path, PathBuf};

/// Check one in-memory YAML stream as if it were the file `name`.
pub fn check_text(name: &str, text: &str) -> Report {
    check::run(&Options {
        paths: vec![PathBuf::from("-")],
        stdin_name: name.to_string(),
        stdin_text: Some(text.as_bytes().to_vec()),
        ..Options::default()
    })
}

/// Like `check_text`, with `rule` switched on even if it is off by default.
pub fn check_text_with(name: &str, text: &str, rule: &str) -> Report {
    let mut rules = crdlint::rules::selection::RuleSettings::default();
    rules.command_line.extend_select.push(rule.to_string());
    // A rule whose findings depend on the target Kubernetes version names one for its examples.
    let doc = crdlint::rules::get(rule)
        .map(|d| d.text)
        .unwrap_or_default();
    rules.kubernetes_minor = doc
        .lines()
        .find_map(|l| l.strip_prefix("example-kubernetes-version:"))
        .map(|v| crdlint::rules::selection::parse_kubernetes_version(v).unwrap());
    check::run(&Options {
        paths: vec![PathBuf::from("-")],
        stdin_name: name.to_string(),
        stdin_text: Some(text.as_bytes().to_vec()),
        rules: std::sync::Arc::new(rules),
        ..Options::default()
    })
}

/// Compare two CRD revisions given as text: `new` (which may hold resources too) is checked as
/// the file `name` against the old revision `old`, as `crdlint check --base` does, or, with
/// `diff`, as `crdlint diff` does. `rule` is switched on even if it is off by default.
pub fn check_upgrade_text(name: &str, old: &str, new: &str, rule: &str, diff: bool) -> Report {
    let mut rules = crdlint::rules::selection::RuleSettings::default();
    rules.command_line.extend_select.push(rule.to_string());
    if diff {
        rules.restrict = Some(
            crdlint::cli::DIFF_FAMILIES
                .iter()
                .map(|f| f.to_string())
                .collect(),
        );
    }
    check::run(&Options {
        paths: vec![PathBuf::from("-")],
        stdin_name: name.to_string(),
        stdin_text: Some(new.as_bytes().to_vec()),
        rules: std::sync::Arc::new(rules),
        base: Some(check::BaseSource::Text {
            name: "old.yaml".into(),
            text: old.to_string(),
        }),
        diff,
        ..Options::default()
    })
}

pub fn rules_of(report: &Report) -> Vec<&'static str> {
    report.diagnostics.iter().map(|d| d.rule).collect()
}

/// `../shared/corpus` beside the project, when present.
pub fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("SKIPPED: ../shared/corpus is not present next to the project");
        None
    }
}

/// The YAML and JSON files under `dir`, in path order, into `out`.
pub fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
        {
            out.push(p);
        }
    }
}

/// Every `openAPIV3Schema` of every CRD version in the repository's `fixtures/` and `examples/`,
/// and under the directories the environment variable `more_dirs` lists (`:`-separated: a
/// corpus), as JSON.
pub fn crd_schemas(more_dirs: &str) -> Vec<serde_json::Value> {
    use crdlint::model::{self, DocKind};
    use crdlint::yaml::{self, Node};
    use rayon::prelude::*;
    let mut dirs = vec![PathBuf::from("fixtures"), PathBuf::from("examples")];
    if let Ok(more) = std::env::var(more_dirs) {
        dirs.extend(more.split(':').filter(|s| !s.is_empty()).map(PathBuf::from));
    }
    let mut files = Vec::new();
    for d in &dirs {
        yaml_files(d, &mut files);
    }
    files
        .par_iter()
        .flat_map_iter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let mut out = Vec::new();
            for doc in yaml::parse_stream(&text) {
                let Some(root) = doc.root else { continue };
                if model::classify(&root) != DocKind::Crd {
                    continue;
                }
                let versions = root
                    .get("spec")
                    .and_then(|s| s.get("versions"))
                    .and_then(Node::as_seq)
                    .unwrap_or_default();
                for v in versions {
                    if let Some(s) = v.get("schema").and_then(|s| s.get("openAPIV3Schema")) {
                        out.push(s.to_serde());
                    }
                }
            }
            out
        })
        .collect()
}

/// A small deterministic generator (xorshift), so every run makes the same cases.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The JSON pointers of the schema nodes below (and at) `at`: properties, items,
/// additionalProperties and the allOf, oneOf and anyOf branches.
pub fn schema_nodes(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    use serde_json::Value;
    let Value::Object(m) = v else { return };
    out.push(at.clone());
    let esc = |k: &str| k.replace('~', "~0").replace('/', "~1");
    if let Some(Value::Object(props)) = m.get("properties") {
        for (k, p) in props {
            schema_nodes(p, format!("{at}/properties/{}", esc(k)), out);
        }
    }
    for k in ["items", "additionalProperties"] {
        if let Some(c) = m.get(k) {
            schema_nodes(c, format!("{at}/{k}"), out);
        }
    }
    for k in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = m.get(k) {
            for (i, b) in branches.iter().enumerate() {
                schema_nodes(b, format!("{at}/{k}/{i}"), out);
            }
        }
    }
}

/// A count from the environment variable `var`, or `default`.
pub fn env_count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// `schema` and `count` variants of it, each changed by `mutate` one to `most_changes` times.
pub fn variants(
    schema: &serde_json::Value,
    rng: &mut Rng,
    count: usize,
    most_changes: usize,
    mutate: impl Fn(&mut serde_json::Value, &mut Rng),
) -> Vec<serde_json::Value> {
    let mut variants = vec![schema.clone()];
    for _ in 0..count {
        let mut v = schema.clone();
        for _ in 0..1 + rng.below(most_changes) {
            mutate(&mut v, rng);
        }
        variants.push(v);
    }
    variants
}
