//! crdlint's reading of YAML files, one JSON line per file, for comparison with what kubectl
//! reads (tools/yaml-parity/compare.py runs this beside the sigs.k8s.io/yaml oracle).
//! For every document: its 1-based start line, and either its JSON (keys sorted, as Go's
//! encoder sorts them) or the error that stops it.
//! Usage: cargo run --release --example yaml_verdicts -- FILE...

use crdlint::yaml::{self, ProblemKind};

fn main() {
    for path in std::env::args().skip(1) {
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    println!(
                        "{}",
                        serde_json::json!({"file": path, "file_error": "not UTF-8", "documents": []})
                    );
                    continue;
                }
            },
            Err(e) => {
                println!(
                    "{}",
                    serde_json::json!({"file": path, "file_error": e.to_string(), "documents": []})
                );
                continue;
            }
        };
        let docs = yaml::parse_stream(&text);
        let out: Vec<serde_json::Value> = docs
            .iter()
            .map(|d| {
                let start_line = text[..d.span.start].matches('\n').count() + 1;
                let error = d
                    .problems
                    .iter()
                    .find(|p| matches!(p.kind, ProblemKind::Syntax | ProblemKind::Limit))
                    .map(|p| p.message.clone());
                let json = match (&d.root, &error) {
                    (Some(root), None) => {
                        serde_json::from_str::<serde_json::Value>(&root.to_json()).ok()
                    }
                    _ => None,
                };
                let duplicate = d
                    .problems
                    .iter()
                    .find(|p| matches!(p.kind, ProblemKind::DuplicateKey { .. }))
                    .map(|p| p.message.clone());
                serde_json::json!({
                    "index": d.index,
                    "duplicate": duplicate,
                    "start_line": start_line,
                    "json": json,
                    "error": error,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({"file": path, "file_error": null, "documents": out})
        );
    }
}
