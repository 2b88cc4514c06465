//! The architecture, checked: the layering of top-level modules (see ARCHITECTURE.md) and the
//! rule files that mirror their docs.
//!
//! Layering: each top-level module of `src/` has a layer; a module may name (`crate::x`, or
//! `x` inside `use crate::{...}`) only modules of lower layers. Two modules of one layer may not
//! name each other, so no two modules import each other and there is no cycle. A module missing
//! from the table fails the test: a new module takes a place in it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Top-level modules, lowest layer first. Data flows up: discover -> source -> yaml -> model ->
/// cel -> (validate, lint) -> diagnostics -> report, with the pipeline (`check`) driving it.
const LAYERS: &[(&str, u32)] = &[
    ("source", 0),
    ("discover", 0),
    ("git", 0),
    ("yaml", 1),
    ("wording", 2),
    ("model", 3),
    ("cel", 4),
    ("builtin", 4),
    ("validate", 5),
    ("lint", 6),
    ("diagnostics", 7),
    ("rules", 8),
    ("config", 9),
    ("suppress", 9),
    ("check", 10),
    ("report", 11),
    ("lsp", 11),
    ("cli", 12),
];

fn layer(module: &str) -> Option<u32> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// The text with comments and string literals blanked (so `crate::x` in a doc comment or a
/// message does not count), newlines kept so line numbers stay right.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    while i < b.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').map_or(text.len(), |n| i + n);
            text[i..end].chars().for_each(|c| blank(&mut out, c));
            i = end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(text.len(), |n| i + n + 2);
            text[i..end].chars().for_each(|c| blank(&mut out, c));
            i = end;
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].chars().take_while(|&c| c == '#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = 2 + hashes;
            let end = rest[body..]
                .find(&close)
                .map_or(text.len(), |n| i + body + n + close.len());
            text[i..end].chars().for_each(|c| blank(&mut out, c));
            i = end;
        } else if rest.starts_with('"') {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(text.len());
            text[i..end].chars().for_each(|c| blank(&mut out, c));
            i = end;
        } else if rest.starts_with("'\"'") {
            out.push_str("   ");
            i += 3;
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The top-level modules a file names: `crate::x` and `use crate::{x, y::z}`, with the line.
fn named_modules(text: &str) -> Vec<(String, usize)> {
    let code = code_only(text);
    let mut found = Vec::new();
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level names of the group: depth-0 items, the part before `::`.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        push_item(&item, at, &line_of, &mut found);
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
            push_item(&item, at, &line_of, &mut found);
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push((name, line_of(at)));
            }
        }
    }
    found
}

fn push_item(
    item: &str,
    at: usize,
    line_of: &dyn Fn(usize) -> usize,
    found: &mut Vec<(String, usize)>,
) {
    let name: String = item
        .trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !name.is_empty() && name != "self" {
        found.push((name, line_of(at)));
    }
}

/// What breaks the layering in one file of `module`: `file:line: message` per violation.
fn violations(module: &str, file: &str, text: &str) -> Vec<String> {
    let Some(own) = layer(module) else {
        return vec![format!(
            "{file}: module `{module}` has no layer in tests/architecture.rs LAYERS"
        )];
    };
    let mut out = Vec::new();
    for (name, line) in named_modules(text) {
        if name == module {
            continue;
        }
        match layer(&name) {
            None => out.push(format!(
                "{file}:{line}: `crate::{name}` is not a layered module (add it to LAYERS)"
            )),
            Some(l) if l >= own => out.push(format!(
                "{file}:{line}: `{module}` (layer {own}) uses `crate::{name}` (layer {l}): a module may use only lower layers"
            )),
            Some(_) => {}
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn modules_use_only_lower_layers() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut modules = BTreeSet::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        modules.insert(module.clone());
        let text = std::fs::read_to_string(f).unwrap();
        problems.extend(violations(&module, &rel.display().to_string(), &text));
    }
    assert!(
        problems.is_empty(),
        "layering broken:\n{}",
        problems.join("\n")
    );
    // Every layered module exists (a stale table hides nothing, but misleads).
    for (m, _) in LAYERS {
        assert!(
            modules.contains(*m),
            "LAYERS names `{m}`, which is not in src/"
        );
    }
}

/// The checker itself, on imports a change could add: each must be caught.
#[test]
fn forbidden_imports_are_caught() {
    // A lower stage calling a higher one.
    let v = violations("model", "model/crd.rs", "use crate::lint::Finding;\n");
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].contains("model/crd.rs:1: `model` (layer 3) uses `crate::lint` (layer 6)"));
    // Inside a group, and as a path in code.
    let v = violations(
        "validate",
        "validate/x.rs",
        "use crate::{yaml::Node, lint::walk};\nfn f() { crate::check::run(); }\n",
    );
    assert_eq!(v.len(), 2, "{v:?}");
    // Two modules of one layer.
    assert_eq!(
        violations("lint", "lint/x.rs", "use crate::validate;").len(),
        0
    );
    assert_eq!(
        violations("validate", "v.rs", "use crate::lint::Rule;").len(),
        1
    );
    assert_eq!(violations("report", "r.rs", "use crate::lsp::x;").len(), 1);
    // A new module must be placed.
    assert_eq!(violations("newstage", "n.rs", "").len(), 1);
    // Comments, docs and strings do not count.
    let text = "//! see `crate::lint`\n/* crate::check */\nconst S: &str = \"crate::cli\";\n";
    assert!(violations("yaml", "y.rs", text).is_empty());
}

/// The families whose rules are about CRDs; each of their docs has its code at the mirrored
/// path `src/lint/<family>/<name>.rs` (dashes become underscores), except the rules reported
/// while validating a resource, whose code sits with CEL evaluation.
const CRD_LINT_FAMILIES: &[&str] = &[
    "cel",
    "conversion",
    "crd",
    "default",
    "extension",
    "printer-column",
    "selectable-field",
    "structural",
    "subresource",
    "upgrade",
    "version",
];

/// Rules of those families reported by validation, not lint, and their file.
const VALIDATION_RULES: &[(&str, &str)] = &[
    ("cel/rule", "src/cel/rule.rs"),
    ("cel/skipped", "src/cel/skipped.rs"),
];

fn mirrored(id: &str) -> PathBuf {
    let (family, name) = id.split_once('/').unwrap();
    root()
        .join("src/lint")
        .join(family.replace('-', "_"))
        .join(format!("{}.rs", name.replace('-', "_")))
}

#[test]
fn rule_files_mirror_their_docs() {
    let registered: BTreeSet<&str> = crdlint::lint::RULES.iter().map(|r| r.id).collect();
    assert_eq!(
        registered.len(),
        crdlint::lint::RULES.len(),
        "a rule is registered twice"
    );
    for id in &registered {
        let file = mirrored(id);
        assert!(
            file.is_file(),
            "lint rule {id} is not at {}",
            file.display()
        );
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains(&format!("\"{id}\"")) || text.contains("Rule::new(ID)"),
            "{} does not name its rule {id}",
            file.display()
        );
        assert!(
            crdlint::rules::get(id).is_some(),
            "lint rule {id} has no doc"
        );
    }
    let mut missing = Vec::new();
    for (id, _) in crdlint::rules::RULES.iter() {
        let family = crdlint::rules::family(id);
        if !CRD_LINT_FAMILIES.contains(&family) || registered.contains(id.as_str()) {
            continue;
        }
        match VALIDATION_RULES.iter().find(|(v, _)| v == id) {
            Some((_, file)) => {
                let text = std::fs::read_to_string(root().join(file)).unwrap();
                assert!(
                    text.contains(&format!("\"{id}\"")),
                    "{file} does not report {id}"
                );
            }
            None => missing.push(format!("{id} (expected at {})", mirrored(id).display())),
        }
    }
    assert!(
        missing.is_empty(),
        "rule docs without their lint rule:\n{}",
        missing.join("\n")
    );
}
