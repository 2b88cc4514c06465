//! Embeds every rule doc under `rules/` so `crdlint rule ID` and the severity registry read
//! the same text the docs show; tells the tests whether `../shared/corpus` is there.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut code = String::from("pub static RULE_DOCS: &[&str] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let _ = writeln!(code, "    include_str!({:?}),", f.display().to_string());
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("rule_docs.rs");
    std::fs::write(out, code).unwrap();

    // Tests that need `../shared/corpus` are marked ignored, with the reason, when it is absent,
    // so a test summary says they did not run (rather than counting them as passed).
    println!("cargo::rustc-check-cfg=cfg(shared_corpus)");
    let corpus = root.join("../shared/corpus");
    println!("cargo:rerun-if-changed={}", corpus.display());
    if corpus.is_dir() {
        println!("cargo:rustc-cfg=shared_corpus");
    }
}
