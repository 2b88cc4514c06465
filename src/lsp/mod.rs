//! `crdlint server`: a language server over stdio. Diagnostics on open, change and save (with
//! UTF-16 ranges), hover with a field's schema, completion of property names and enum values.
//! CRDs come from the workspace folder and `crdlint.toml`, are reloaded when a CRD file changes
//! on disk, and a CRD open in the editor is used at once.

pub mod position;
pub mod schema_info;

use crate::check;
use crate::diagnostics::Severity;
use crate::model::CrdIndex;
use crate::source::{SourceFile, Span};
use crate::yaml;
use lsp_server::{Connection, Message, Notification, Request, Response};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

struct Server {
    /// Where CRDs are read from: the workspace folder and the configured sources.
    crd_sources: Vec<PathBuf>,
    index: CrdIndex,
    /// Rule selection and severities from crdlint.toml.
    rules: crate::rules::selection::RuleSettings,
    /// Open documents by URI.
    open: BTreeMap<String, OpenDoc>,
}

struct OpenDoc {
    text: String,
    /// The CRDs the document defines, read once per edit (not on every check of another file).
    crds: Option<CrdIndex>,
}

/// `file:///a/b%20c.yaml` -> `/a/b c.yaml`.
pub fn uri_to_path(uri: &str) -> PathBuf {
    let raw = uri.strip_prefix("file://").unwrap_or(uri);
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // Two hex digits after `%` (compared as bytes: what follows may be any character).
        if bytes[i] == b'%'
            && let Some(&[hi, lo]) = bytes.get(i + 1..i + 3)
            && let (Some(hi), Some(lo)) = ((hi as char).to_digit(16), (lo as char).to_digit(16))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    PathBuf::from(String::from_utf8_lossy(&out).into_owned())
}

fn doc_name(uri: &str) -> String {
    let p = uri_to_path(uri);
    let cwd = std::env::current_dir().unwrap_or_default();
    p.strip_prefix(&cwd)
        .map(|r| r.display().to_string())
        .unwrap_or_else(|_| p.display().to_string())
}

/// The range an editor underlines. `cel/skipped` is about the whole object (its span is the
/// document): underlining every line of it would bury the errors that caused it, so it keeps
/// only its first line.
fn editor_span(d: &crate::diagnostics::Diagnostic, span: Span) -> Span {
    if d.rule != "cel/skipped" {
        return span;
    }
    let line = d.source.line_of(span.start);
    Span::new(
        span.start,
        span.end.min(d.source.line_end(line)).max(span.start),
    )
}

impl Server {
    fn reload_crds(&mut self) {
        self.index = check::load_crd_index(&self.crd_sources);
    }

    fn set_text(&mut self, uri: &str, text: String) {
        let crds = text
            .contains("CustomResourceDefinition")
            .then(|| check::crd_index_of_text(&doc_name(uri), &text));
        self.open.insert(uri.to_string(), OpenDoc { text, crds });
    }

    fn text(&self, uri: &str) -> Option<&String> {
        self.open.get(uri).map(|d| &d.text)
    }

    /// The index for checking: CRDs in open documents first, then those on disk.
    fn index_with_open_crds(&self, except: &str) -> CrdIndex {
        let mut index = CrdIndex::default();
        for (uri, doc) in &self.open {
            if let Some(crds) = doc.crds.as_ref().filter(|_| uri != except) {
                index.extend_from(crds);
            }
        }
        index.extend_from(&self.index);
        index
    }

    fn diagnostics(&self, uri: &str) -> Value {
        let Some(text) = self.text(uri) else {
            return json!([]);
        };
        let index = self.index_with_open_crds(uri);
        let report = check::check_source(&doc_name(uri), text, &index, &self.rules);
        let items: Vec<Value> = report
            .diagnostics
            .iter()
            .map(|d| {
                let (start, end) = match d.span.map(|s| editor_span(d, s)) {
                    Some(s) => (position::to_lsp(&d.source, s.start), position::to_lsp(&d.source, s.end)),
                    None => ((0, 0), (0, 0)),
                };
                let severity = match d.severity {
                    Severity::Error => 1,
                    Severity::Warning => 2,
                    Severity::Info => 3,
                };
                json!({
                    "range": {"start": {"line": start.0, "character": start.1},
                              "end": {"line": end.0, "character": end.1}},
                    "severity": severity,
                    "code": d.rule,
                    // The rule's doc as built into this binary's source tree (`crdlint rule ID`
                    // prints the same text).
                    "codeDescription": {"href": format!("file://{}/rules/{}.md", env!("CARGO_MANIFEST_DIR"), d.rule)},
                    "source": "crdlint",
                    "message": match &d.help {
                        Some(h) => format!("{}\n{h}", d.message),
                        None => d.message.clone(),
                    },
                })
            })
            .collect();
        Value::Array(items)
    }

    fn publish(&self, conn: &Connection, uri: &str) {
        let params = json!({"uri": uri, "diagnostics": self.diagnostics(uri)});
        let _ = conn.sender.send(Message::Notification(Notification::new(
            "textDocument/publishDiagnostics".into(),
            params,
        )));
    }

    fn hover(&self, params: &Value) -> Value {
        let uri = params["textDocument"]["uri"].as_str().unwrap_or_default();
        let Some(text) = self.text(uri) else {
            return Value::Null;
        };
        let source = SourceFile::new(doc_name(uri), text.clone());
        let pos = &params["position"];
        let offset = position::from_lsp(
            &source,
            pos["line"].as_u64().unwrap_or(0) as u32,
            pos["character"].as_u64().unwrap_or(0) as u32,
        );
        let index = self.index_with_open_crds(uri);
        for doc in yaml::parse_stream(text) {
            let Some(root) = doc.root else { continue };
            if offset < doc.span.start || offset > doc.span.end {
                continue;
            }
            let (Some(av), Some(kind)) = (
                root.get("apiVersion").and_then(yaml::Node::as_str),
                root.get("kind").and_then(yaml::Node::as_str),
            ) else {
                continue;
            };
            let Some(path) = schema_info::key_path_at(&root, offset) else {
                continue;
            };
            let minor = self.rules.kubernetes_minor;
            let Some(crd) = schema_info::definition(&index, av, kind, minor) else {
                continue;
            };
            let Some(schema) = schema_info::schema_at(&crd, av, &path) else {
                continue;
            };
            let field = path
                .iter()
                .map(|s| match s {
                    schema_info::Step::Key(k) => format!(".{k}"),
                    schema_info::Step::Item => "[*]".into(),
                })
                .collect::<String>();
            return json!({"contents": {"kind": "markdown",
                "value": schema_info::hover_markdown(field.trim_start_matches('.'), schema)}});
        }
        Value::Null
    }

    fn completion(&self, params: &Value) -> Value {
        let uri = params["textDocument"]["uri"].as_str().unwrap_or_default();
        let Some(text) = self.text(uri) else {
            return json!([]);
        };
        let source = SourceFile::new(doc_name(uri), text.clone());
        let pos = &params["position"];
        let line = pos["line"].as_u64().unwrap_or(0) as u32;
        let offset =
            position::from_lsp(&source, line, pos["character"].as_u64().unwrap_or(0) as u32);
        let col = offset - source.line_start(line as usize);
        let ctx = schema_info::cursor_context(text, line as usize, col);
        let (Some(av), Some(kind)) = (&ctx.api_version, &ctx.kind) else {
            return json!([]);
        };
        let index = self.index_with_open_crds(uri);
        let Some(crd) = schema_info::definition(&index, av, kind, self.rules.kubernetes_minor)
        else {
            return json!([]);
        };
        let Some(parent) = schema_info::schema_at(&crd, av, &ctx.parent) else {
            return json!([]);
        };
        let items: Vec<Value> = match &ctx.value_of {
            Some(key) => parent
                .properties
                .get(key.as_str())
                .and_then(|s| s.enum_.as_ref())
                .map(|values| {
                    values
                        .iter()
                        .map(|v| {
                            let label = match v {
                                yaml::Value::String(s) => s.to_string(),
                                other => {
                                    yaml::Node::new(other.clone(), Default::default()).to_json()
                                }
                            };
                            json!({"label": label, "kind": 20})
                        })
                        .collect()
                })
                .unwrap_or_default(),
            None => parent
                .properties
                .iter()
                .filter(|(k, _)| !ctx.siblings.iter().any(|s| s == k.as_str()))
                .map(|(k, s)| {
                    let mut item = json!({"label": k, "kind": 10, "insertText": format!("{k}: ")});
                    if let Some(d) = &s.description {
                        item["documentation"] = json!(d);
                    }
                    if !s.type_.is_empty() {
                        item["detail"] = json!(s.type_);
                    }
                    item
                })
                .collect(),
        };
        Value::Array(items)
    }
}

fn is_crd_path(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| t.contains("CustomResourceDefinition"))
}

/// Run the server on stdin/stdout until the client says exit.
pub fn run() -> i32 {
    let (conn, io) = Connection::stdio();
    let code = match serve(&conn) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("crdlint server: {e}");
            1
        }
    };
    drop(conn);
    let _ = io.join();
    code
}

fn serve(conn: &Connection) -> Result<(), Box<dyn std::error::Error>> {
    let capabilities = json!({
        "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": true}},
        "hoverProvider": true,
        "completionProvider": {"triggerCharacters": [":", " "]},
    });
    let (id, init) = conn.initialize_start()?;
    conn.initialize_finish(
        id,
        json!({
            "capabilities": capabilities,
            "serverInfo": {"name": "crdlint", "version": env!("CARGO_PKG_VERSION")},
        }),
    )?;
    let root = init["workspaceFolders"][0]["uri"]
        .as_str()
        .or(init["rootUri"].as_str())
        .map(uri_to_path)
        .or_else(|| std::env::current_dir().ok());
    let mut crd_sources = Vec::new();
    let mut rules = Default::default();
    if let Some(root) = &root {
        crd_sources.push(root.clone());
        if let Some(cfg) = crate::config::find(root).and_then(|p| crate::config::load(&p).ok()) {
            crd_sources.extend(cfg.crds);
            rules = cfg.rules;
        }
    }
    let mut server = Server {
        crd_sources,
        index: CrdIndex::default(),
        rules,
        open: BTreeMap::new(),
    };
    server.reload_crds();
    if init["capabilities"]["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"] == true {
        // Ask the editor to tell us when manifests change on disk (a CRD may be among them).
        let watchers = json!({"registrations": [{
            "id": "crdlint-watch",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": {"watchers": [{"globPattern": "**/*.{yaml,yml,json}"}]},
        }]});
        conn.sender.send(Message::Request(Request::new(
            "crdlint-watch".to_string().into(),
            "client/registerCapability".into(),
            watchers,
        )))?;
    }
    for msg in &conn.receiver {
        match msg {
            Message::Request(req) => {
                if conn.handle_shutdown(&req)? {
                    return Ok(());
                }
                // A bug in one request must not take the editor's server down.
                let response = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    handle_request(&server, &req)
                })) {
                    Ok(result) => Response::new_ok(req.id, result),
                    Err(_) => Response::new_err(
                        req.id,
                        lsp_server::ErrorCode::InternalError as i32,
                        format!(
                            "crdlint: internal error in {}; please report it",
                            req.method
                        ),
                    ),
                };
                conn.sender.send(Message::Response(response))?;
            }
            Message::Notification(n) => {
                let method = n.method.clone();
                if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    handle_notification(&mut server, conn, n)
                }))
                .is_err()
                {
                    eprintln!("crdlint server: internal error in {method}; please report it");
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn handle_request(server: &Server, req: &Request) -> Value {
    match req.method.as_str() {
        "textDocument/hover" => server.hover(&req.params),
        "textDocument/completion" => server.completion(&req.params),
        _ => Value::Null,
    }
}

fn handle_notification(server: &mut Server, conn: &Connection, n: Notification) {
    let p = &n.params;
    let uri = p["textDocument"]["uri"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    match n.method.as_str() {
        "textDocument/didOpen" => {
            let text = p["textDocument"]["text"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            server.set_text(&uri, text);
        }
        "textDocument/didChange" => {
            // Full-document sync: the last change holds the whole text.
            if let Some(text) = p["contentChanges"]
                .as_array()
                .and_then(|c| c.last())
                .and_then(|c| c["text"].as_str())
            {
                server.set_text(&uri, text.to_string());
            }
        }
        "textDocument/didSave" => {
            if let Some(text) = p["text"].as_str() {
                server.set_text(&uri, text.to_string());
            }
            if is_crd_path(&uri_to_path(&uri)) {
                server.reload_crds();
            }
        }
        "textDocument/didClose" => {
            server.open.remove(&uri);
            let params = json!({"uri": uri, "diagnostics": []});
            let _ = conn.sender.send(Message::Notification(Notification::new(
                "textDocument/publishDiagnostics".into(),
                params,
            )));
            return;
        }
        "workspace/didChangeWatchedFiles" => server.reload_crds(),
        _ => return,
    }
    // A CRD edit can change the verdict of every open resource.
    let uris: Vec<String> = if server.open.get(&uri).is_some_and(|d| d.crds.is_some())
        || n.method == "workspace/didChangeWatchedFiles"
    {
        server.open.keys().cloned().collect()
    } else {
        vec![uri]
    };
    for u in uris {
        server.publish(conn, &u);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_decode_percent_escapes_and_leave_the_rest() {
        assert_eq!(
            uri_to_path("file:///a/b%20c.yaml"),
            Path::new("/a/b c.yaml")
        );
        assert_eq!(uri_to_path("file:///a/%C3%A9.yaml"), Path::new("/a/é.yaml"));
        // Not escapes: kept as written (a non-ASCII character after `%` used to panic).
        assert_eq!(uri_to_path("file:///a/%aé.yaml"), Path::new("/a/%aé.yaml"));
        assert_eq!(uri_to_path("file:///a/%+f%zz%"), Path::new("/a/%+f%zz%"));
    }
}
