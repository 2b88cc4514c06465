//! Editor latency of `crdlint server`: the time from a `textDocument/didChange` to the
//! `textDocument/publishDiagnostics` it causes, for a 300-line resource with every CRD of a
//! directory in scope (the workspace's `crdlint.toml` names it). Drives the server as an editor
//! does, over stdio, and prints the median and the 95th percentile. Run by `bench/lsp.sh`.
//!
//! ```text
//! cargo run --release --example lsp_bench -- [--crdlint PATH] [--crds DIR] [--changes N]
//! ```
//!
//! The resource is generated from the `Prometheus` CRD of prometheus-operator (the corpus's
//! largest spec): its properties in order, depth first, until it has 300 lines; each change
//! rewrites one value, as typing does.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Server {
    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn recv(&mut self) -> Value {
        let mut len = 0;
        loop {
            let mut line = String::new();
            if self.stdout.read_line(&mut line).unwrap() == 0 {
                panic!("the server closed its output");
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                len = n.parse().unwrap();
            }
        }
        let mut buf = vec![0; len];
        self.stdout.read_exact(&mut buf).unwrap();
        serde_json::from_slice(&buf).unwrap()
    }

    fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let m = self.recv();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }
}

/// The `Prometheus` CRD's schema of its storage version.
fn prometheus_schema(crds: &Path) -> Value {
    for entry in walk(crds) {
        let Ok(text) = std::fs::read_to_string(&entry) else {
            continue;
        };
        if !text.contains("kind: Prometheus\n") {
            continue;
        }
        for doc in crdlint::yaml::parse_stream(&text) {
            let Some(root) = doc.root else { continue };
            let v = root.to_serde();
            if v["kind"] == "CustomResourceDefinition" && v["spec"]["names"]["kind"] == "Prometheus"
            {
                let version = v["spec"]["versions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|v| v["storage"] == true)
                    .unwrap()
                    .clone();
                return version["schema"]["openAPIV3Schema"].clone();
            }
        }
    }
    panic!("no Prometheus CRD under {}", crds.display());
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A value for a scalar schema (the first enum value when there is one).
fn scalar(s: &Value) -> Option<String> {
    if let Some(e) = s["enum"].as_array().and_then(|e| e.first()) {
        return Some(e.to_string());
    }
    if s["x-kubernetes-int-or-string"] == true {
        return Some("1".into());
    }
    match s["type"].as_str()? {
        "string" => Some("\"x\"".into()),
        "integer" => Some("1".into()),
        "number" => Some("1.5".into()),
        "boolean" => Some("true".into()),
        _ => None,
    }
}

/// Lines of an object's properties at `indent`, depth first, until `max` lines in all.
fn object(s: &Value, indent: usize, depth: usize, lines: &mut Vec<String>, max: usize) {
    let Some(props) = s["properties"].as_object() else {
        return;
    };
    let pad = " ".repeat(indent);
    for (k, p) in props {
        if lines.len() >= max {
            return;
        }
        if let Some(v) = scalar(p) {
            lines.push(format!("{pad}{k}: {v}"));
        } else if p["type"] == "object" && p["properties"].is_object() && depth < 6 {
            lines.push(format!("{pad}{k}:"));
            object(p, indent + 2, depth + 1, lines, max);
        } else if p["type"] == "array" && depth < 6 {
            let items = &p["items"];
            if let Some(v) = scalar(items) {
                lines.push(format!("{pad}{k}: [{v}]"));
            } else if items["properties"].is_object() {
                lines.push(format!("{pad}{k}:"));
                let first = lines.len();
                object(items, indent + 4, depth + 1, lines, max);
                if lines.len() > first {
                    lines[first].replace_range(indent + 2..indent + 4, "- ");
                } else {
                    lines.pop();
                }
            }
        }
    }
}

fn resource(schema: &Value, lines: usize) -> String {
    let mut out = vec![
        "apiVersion: monitoring.coreos.com/v1".to_string(),
        "kind: Prometheus".into(),
        "metadata:".into(),
        "  name: main".into(),
        "  namespace: monitoring".into(),
        "spec:".into(),
        "  replicas: 0".into(),
    ];
    let mut spec = Vec::new();
    object(
        &schema["properties"]["spec"],
        2,
        1,
        &mut spec,
        lines - out.len(),
    );
    out.extend(spec.into_iter().filter(|l| l != "  replicas: 1"));
    out.join("\n") + "\n"
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut crdlint = PathBuf::from("target/release/crdlint");
    let mut crds = PathBuf::from("../shared/corpus/crds");
    let mut changes = 200;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--crdlint" => crdlint = args.next().unwrap().into(),
            "--crds" => crds = args.next().unwrap().into(),
            "--changes" => changes = args.next().unwrap().parse().unwrap(),
            other => panic!("unknown argument {other}"),
        }
    }
    let crds = std::fs::canonicalize(&crds).expect("the CRD directory");
    // The server runs in the workspace: a relative path would be looked up from there.
    let crdlint = std::fs::canonicalize(&crdlint).expect("the crdlint binary");
    let crd_files = walk(&crds)
        .iter()
        .filter(|p| {
            std::fs::read_to_string(p).is_ok_and(|t| t.contains("kind: CustomResourceDefinition"))
        })
        .count();
    let text = resource(&prometheus_schema(&crds), 300);
    assert_eq!(text.lines().count(), 300, "{text}");

    let workspace = std::env::temp_dir().join(format!("crdlint-lsp-bench-{}", std::process::id()));
    std::fs::create_dir_all(&workspace).unwrap();
    std::fs::write(
        workspace.join("crdlint.toml"),
        format!("crds = [{:?}]\n", crds.display().to_string()),
    )
    .unwrap();
    let mut child = Command::new(&crdlint)
        .arg("server")
        .current_dir(&workspace)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", crdlint.display()));
    let stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut s = Server {
        child,
        stdin,
        stdout,
    };
    let root_uri = format!("file://{}", workspace.display());
    let started = Instant::now();
    s.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": root_uri, "capabilities": {}}}));
    while s.recv()["id"] != 1 {}
    s.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let init = started.elapsed();

    let uri = format!("{root_uri}/prometheus.yaml");
    let opened = Instant::now();
    s.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
        {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}}),
    );
    let first = s.diagnostics_for(&uri);
    let open = opened.elapsed();

    let mut times = Vec::with_capacity(changes);
    for i in 0..changes {
        // Typing in a value: the replica count changes on every edit.
        let edited = text.replace("  replicas: 0\n", &format!("  replicas: {}\n", i % 10));
        let t = Instant::now();
        s.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": i + 2}, "contentChanges": [{"text": edited}]}}),
        );
        let _ = s.diagnostics_for(&uri);
        times.push(t.elapsed());
    }
    s.send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}));
    while s.recv()["id"] != 2 {}
    s.send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    let _ = s.child.wait();
    let _ = std::fs::remove_dir_all(&workspace);

    times.sort();
    println!(
        "crdlint server: a 300-line Prometheus resource, {crd_files} CRD files in scope ({})",
        crds.display()
    );
    println!(
        "initialize: {}; didOpen to diagnostics: {} ({} diagnostics)",
        ms(init),
        ms(open),
        first.len()
    );
    println!(
        "didChange to publishDiagnostics over {changes} changes: median {}, p95 {}, min {}, max {}",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}
