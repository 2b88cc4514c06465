//! Time of `cel/cost` over many CRDs: every version schema is compiled first (the structural
//! schema only: rules are compiled by lint's `cel/compile-error`, not here), then the cost of
//! every rule and messageExpression is estimated, best of RUNS runs, single-threaded.
//! Usage: cargo run --release --example cel_cost -- [--runs N] PATH...

use crdlint::lint::cel::cost as cel_cost;
use crdlint::model::schema::Schema;
use crdlint::yaml::Node;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn files(p: PathBuf, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        for e in std::fs::read_dir(&p).into_iter().flatten().flatten() {
            files(e.path(), out);
        }
    } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
        out.push(p);
    }
}

/// The `openAPIV3Schema` nodes of a CRD document.
fn schemas(root: &Node) -> Vec<Node> {
    if root.get("kind").and_then(Node::as_str) != Some("CustomResourceDefinition") {
        return Vec::new();
    }
    let versions = root.get("spec").and_then(|s| s.get("versions"));
    versions
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.get("schema")?.get("openAPIV3Schema").cloned())
        .collect()
}

fn count_rules(s: &Schema) -> usize {
    let own = s
        .validations
        .as_deref()
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .map(|r| {
            usize::from(r.get("rule").is_some()) + usize::from(r.get("messageExpression").is_some())
        })
        .sum::<usize>();
    own + s.properties.values().map(count_rules).sum::<usize>()
        + match &s.additional_properties {
            Some(crdlint::model::schema::AdditionalProperties::Schema(a)) => count_rules(a),
            _ => 0,
        }
        + s.items.as_deref().map(count_rules).unwrap_or(0)
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 5;
    if args.first().is_some_and(|a| a == "--runs") {
        runs = args[1].parse().expect("--runs N");
        args.drain(..2);
    }
    let mut paths = Vec::new();
    for a in args {
        files(PathBuf::from(a), &mut paths);
    }
    let nodes: Vec<Node> = paths
        .iter()
        .flat_map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            crdlint::yaml::parse_stream(&text)
                .into_iter()
                .filter_map(|d| d.root)
                .flat_map(|r| schemas(&r))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut best_compile = Duration::MAX;
    let mut best_cost = Duration::MAX;
    let mut compiled = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        compiled = nodes
            .iter()
            .map(|n| Schema::compile(n, "s", &mut Vec::new()))
            .collect();
        best_compile = best_compile.min(start.elapsed());
        // On a fresh thread each run: expressions are parsed once per thread and the parse
        // kept (`cel::compile::parsed`), and this measures estimation with its parsing.
        let (elapsed, findings) = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let start = Instant::now();
                    let mut findings = 0;
                    for s in &compiled {
                        let mut problems = Vec::new();
                        cel_cost::check(s, "s", &mut problems);
                        findings += problems.len();
                    }
                    (start.elapsed(), findings)
                })
                .join()
                .expect("the estimation thread")
        });
        best_cost = best_cost.min(elapsed);
        std::hint::black_box(findings);
    }
    let rules: usize = compiled.iter().map(count_rules).sum();
    println!(
        "{} files, {} version schemas, {rules} CEL expressions: schema compile {:.1} ms, cost estimation {:.1} ms (best of {runs})",
        paths.len(),
        nodes.len(),
        best_compile.as_secs_f64() * 1e3,
        best_cost.as_secs_f64() * 1e3
    );
}
