//! `crdlint server` as an editor runs it: a child process speaking LSP over stdio.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
}

impl Client {
    fn start(root: &std::path::Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crdlint"))
            .arg("server")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Client {
            child,
            stdin,
            stdout,
            next_id: 1,
        }
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn recv(&mut self) -> Value {
        let mut len = 0;
        loop {
            let mut line = String::new();
            self.stdout.read_line(&mut line).unwrap();
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

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.recv();
            if m["id"] == id {
                return m["result"].clone();
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Replace the whole text of `uri` and return the diagnostics published for it.
    fn change(&mut self, uri: &str, version: i64, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
        self.diagnostics_for(uri)
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

const CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.demo.example.com
spec:
  group: demo.example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                replicas:
                  type: integer
                  description: How many copies to run.
                  minimum: 0
                  maximum: 10
                  default: 1
                mode:
                  type: string
                  enum: [Active, Passive]
                title:
                  type: string
"#;

#[test]
fn diagnostics_hover_completion_and_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("crd.yaml"), CRD).unwrap();
    let root_uri = format!("file://{}", root.display());
    let mut c = Client::start(root);
    let init = c.request(
        "initialize",
        json!({"processId": null, "rootUri": root_uri, "capabilities": {}}),
    );
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    c.notify("initialized", json!({}));

    // Multibyte characters before the error on the same line: "😀" is 2 UTF-16 units, "é" 1.
    let uri = format!("{root_uri}/w.yaml");
    let text = "apiVersion: demo.example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  title: \"😀é\"\n  mode: Active\n  replicas: 99 # 😀\n";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let diags = c.diagnostics_for(&uri);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d["code"], "schema/maximum");
    assert_eq!(d["severity"], 1);
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("spec.replicas: Invalid value: 99: ")
    );
    assert_eq!(
        d["range"],
        json!({"start": {"line": 7, "character": 12}, "end": {"line": 7, "character": 14}})
    );
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("rules/schema/maximum.md")
    );

    // A multibyte error value: the range is counted in UTF-16 code units.
    let text2 = text
        .replace("mode: Active", "mode: \"Äctive😀\"")
        .replace("replicas: 99", "replicas: 3");
    let diags = c.change(&uri, 2, &text2);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "schema/enum");
    assert_eq!(
        diags[0]["range"],
        json!({"start": {"line": 6, "character": 8}, "end": {"line": 6, "character": 18}})
    );

    // The fix: no diagnostics.
    let fixed = text.replace("replicas: 99", "replicas: 3");
    assert!(c.change(&uri, 3, &fixed).is_empty());

    // Hover on the `replicas` key.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 7, "character": 4}}),
    );
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(md.starts_with("**spec.replicas**: `integer`"), "{md}");
    assert!(md.contains("How many copies to run."), "{md}");
    assert!(
        md.contains("default: `1`") && md.contains("maximum: 10") && md.contains("minimum: 0"),
        "{md}"
    );

    // Completion of enum values after `mode:`, and of the keys not yet written under spec.
    let with_blank = fixed.replace("  mode: Active\n", "  mode: \n");
    let _ = c.change(&uri, 4, &with_blank);
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 6, "character": 8}}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, vec!["Active", "Passive"]);
    let with_new_line = fixed.replace("  replicas: 3 # 😀\n", "  \n");
    let _ = c.change(&uri, 5, &with_new_line);
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 7, "character": 2}}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        vec!["replicas"],
        "title and mode are written already"
    );

    // A CRD edited in the editor is used at once for the open resources.
    assert!(c.change(&uri, 6, &fixed).is_empty());
    let crd_uri = format!("{root_uri}/crd.yaml");
    let stricter = CRD.replace("maximum: 10", "maximum: 2");
    c.notify("textDocument/didOpen", json!({"textDocument": {"uri": crd_uri, "languageId": "yaml", "version": 1, "text": stricter}}));
    let mut got = None;
    for _ in 0..2 {
        let m = c.recv();
        if m["params"]["uri"] == uri {
            got = Some(m["params"]["diagnostics"].clone());
        }
    }
    let got = got.expect("the resource is re-checked");
    assert_eq!(got[0]["code"], "schema/maximum", "{got}");

    // Closed again, the CRD on disk (maximum 10) applies; when the file changes on disk, the
    // server reloads it and re-checks the open resources.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": crd_uri}}),
    );
    let _ = c.diagnostics_for(&crd_uri);
    std::fs::write(
        root.join("crd.yaml"),
        CRD.replace("maximum: 10", "maximum: 1"),
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": crd_uri, "type": 2}]}),
    );
    let diags = c.diagnostics_for(&uri);
    assert_eq!(diags[0]["code"], "schema/maximum", "{diags:?}");
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("less than or equal to 1")
    );

    assert!(c.request("shutdown", Value::Null).is_null());
    c.notify("exit", Value::Null);
    let status = c.child.wait().unwrap();
    assert!(status.success());
}

#[test]
fn built_in_kinds_have_diagnostics_hover_and_completion() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let root_uri = format!("file://{}", root.display());
    let mut c = Client::start(root);
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": root_uri, "capabilities": {}}),
    );
    c.notify("initialized", json!({}));
    let uri = format!("{root_uri}/deploy.yaml");
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: many\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        \n";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let diags = c.diagnostics_for(&uri);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "schema/type");
    // Hover on `replicas`: the published schema's type.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 4}}),
    );
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(
        md.starts_with("**spec.replicas**: `integer (int32)`"),
        "{md}"
    );
    // Completion of a container's keys not yet written.
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 13, "character": 8}}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    for want in ["ports", "env", "resources", "livenessProbe"] {
        assert!(labels.contains(&want), "{want} not in {labels:?}");
    }
    assert!(
        !labels.contains(&"image"),
        "image is written already: {labels:?}"
    );
}

#[test]
fn initialize_names_the_server_and_cel_skipped_stays_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let with_rule = CRD.replace(
        "            spec:\n              type: object\n",
        "            spec:\n              type: object\n              x-kubernetes-validations:\n                - rule: \"self.replicas < 5\"\n",
    );
    assert_ne!(with_rule, CRD);
    std::fs::write(root.join("crd.yaml"), with_rule).unwrap();
    let root_uri = format!("file://{}", root.display());
    let mut c = Client::start(root);
    let init = c.request(
        "initialize",
        json!({"processId": null, "rootUri": root_uri, "capabilities": {}}),
    );
    assert_eq!(init["serverInfo"]["name"], "crdlint");
    assert_eq!(init["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    c.notify("initialized", json!({}));

    // A bad enum value stops the CEL rules: the server's note about it is an info on the
    // object's first line, not a range over the whole document.
    let uri = format!("{root_uri}/w.yaml");
    let text = "apiVersion: demo.example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  labels:\n    a: b\nspec:\n  mode: Bogus\n  replicas: 3\n";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let diags = c.diagnostics_for(&uri);
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["cel/skipped", "schema/enum"], "{diags:?}");
    let skipped = &diags[0];
    assert_eq!(skipped["severity"], 3);
    assert_eq!(
        skipped["range"],
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 31}})
    );
    assert!(c.request("shutdown", Value::Null).is_null());
    c.notify("exit", Value::Null);
    assert!(c.child.wait().unwrap().success());
}
