//! A CRD source read for a run passes over the documents that surely define no CRD the run
//! uses, read only to their CRD's kind (`model::crd::surely_none_of`, `yaml::peek`). Passing
//! over one the whole parse would have found used would be a false `resource/missing-crd`:
//! here every document of the repository's YAML, and thousands of variants of its CRDs with a
//! key inserted that might change what they define, are read both ways.
//!
//! `CRDLINT_PEEK_DIRS` (directories, `:`-separated) adds more YAML: run it over a real corpus,
//! with `CRDLINT_PEEK_STEP` (lines between insertions past the first 40; default 97) larger for
//! large CRDs.

mod common;

use common::yaml_files;

use crdlint::model::{self, DocKind, crd};
use crdlint::yaml;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::PathBuf;

/// The documents of the YAML under `dirs`, as the text of each.
fn documents(dirs: &[PathBuf]) -> Vec<String> {
    let mut files = Vec::new();
    for d in dirs {
        yaml_files(d, &mut files);
    }
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .flat_map(|text| {
            yaml::split::split_documents(&text)
                .into_iter()
                .map(|c| c.text.to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether the whole parse finds in `doc` a CRD of a group and kind in `used` (as
/// `check::load` reads a source).
fn defines_used(doc: &str, used: &HashSet<(&str, &str)>) -> bool {
    yaml::parse_stream(doc).iter().any(|d| {
        d.root.as_ref().is_some_and(|root| {
            model::classify(root) == DocKind::Crd
                && crd::group_kind(root).is_some_and(|gk| used.contains(&gk))
        })
    })
}

/// What the whole parse reads as the group and kind of a CRD document.
fn identity(doc: &str) -> Option<(String, String)> {
    let docs = yaml::parse_stream(doc);
    let root = docs.first()?.root.as_ref()?;
    (model::classify(root) == DocKind::Crd)
        .then(|| crd::group_kind(root))
        .flatten()
        .map(|(g, k)| (g.to_string(), k.to_string()))
}

fn dirs() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("fixtures"), PathBuf::from("examples")];
    if let Ok(more) = std::env::var("CRDLINT_PEEK_DIRS") {
        dirs.extend(more.split(':').filter(|s| !s.is_empty()).map(PathBuf::from));
    }
    dirs
}

#[test]
fn documents_passed_over_define_no_crd_used_and_most_crds_are_passed_over() {
    let docs = documents(&dirs());
    let (mut crds, mut passed, mut checked) = (0usize, 0usize, 0usize);
    for doc in &docs {
        let own = identity(doc);
        // Another kind: the CRD is not used; its own: it is.
        let other = HashSet::from([("other.example.com", "Other")]);
        let passes = crd::surely_none_of(doc, &other);
        assert!(!(passes && defines_used(doc, &other)), "{doc}");
        if let Some((g, k)) = &own {
            crds += 1;
            passed += usize::from(passes);
            let itself = HashSet::from([(g.as_str(), k.as_str())]);
            assert!(!crd::surely_none_of(doc, &itself), "{doc}");
            // The same group, another kind.
            let sibling = HashSet::from([(g.as_str(), "Other")]);
            assert!(
                !(crd::surely_none_of(doc, &sibling) && defines_used(doc, &sibling)),
                "{doc}"
            );
        }
        checked += 1;
    }
    eprintln!("{checked} documents, {crds} CRDs, {passed} passed over");
    assert!(crds >= 200, "{crds} CRDs");
    // The point of it: CRDs of other kinds are read only to their kind (those it gives up on
    // hold flow style, duplicate keys and the like).
    assert!(
        passed * 10 >= crds * 9,
        "{passed} of {crds} CRDs passed over"
    );
}

/// Keys that may change what a document defines, inserted at the indentation of each of the
/// mappings looked at.
const INSERTED: [&str; 10] = [
    "group: yy.example.com",
    "kind: Zz",
    "spec:\n{i}  group: yy.example.com",
    "names:\n{i}  kind: Zz",
    "\"group\": yy.example.com",
    "'kind': Zz",
    "<<: {group: yy.example.com}",
    "group : yy.example.com",
    "apiVersion: apiextensions.k8s.io/v1",
    "kind: CustomResourceDefinition",
];

/// Over every CRD document of the YAML, the variants `make` gives of it (from its text, group
/// and kind) read both ways: none that defines a CRD the run uses (the document's group with
/// kind `Zz`, or group `yy.example.com`) is passed over. The number of variants, and of those
/// that define such a CRD.
fn variants_hold(make: impl Fn(&str, &str, &str) -> Vec<String> + Sync) -> (usize, usize) {
    let docs = documents(&dirs());
    let counts: Vec<(usize, usize)> = docs
        .par_iter()
        .filter_map(|doc| identity(doc).map(|gk| (doc, gk)))
        .map(|(doc, (g, k))| {
            // What the variants may come to define; not what the document defines.
            let used = HashSet::from([
                ("yy.example.com", k.as_str()),
                (g.as_str(), "Zz"),
                ("yy.example.com", "Zz"),
            ]);
            let variants = make(doc, &g, &k);
            let defining = variants.iter().filter(|v| defines_used(v, &used)).count();
            for variant in &variants {
                assert!(
                    !(crd::surely_none_of(variant, &used) && defines_used(variant, &used)),
                    "passed over a used CRD:\n{variant}"
                );
            }
            (variants.len(), defining)
        })
        .collect();
    counts.iter().fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
}

/// `lines` with `inserted` (lines, each ending in a line feed) before line `at`.
fn spliced(lines: &[&str], at: usize, inserted: &str) -> String {
    let mut variant: String = lines[..at].concat();
    if !variant.is_empty() && !variant.ends_with('\n') {
        variant.push('\n');
    }
    variant.push_str(inserted);
    variant.push_str(&lines[at..].concat());
    variant
}

#[test]
fn keys_inserted_after_the_kind_is_read_are_found() {
    let step: usize = std::env::var("CRDLINT_PEEK_STEP")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(97);
    let (variants, defining) = variants_hold(|doc, _, _| {
        let lines: Vec<&str> = doc.split_inclusive('\n').collect();
        // Around where the kind is read, then here and there.
        let at = (0..lines.len().min(40)).chain((40..lines.len()).step_by(step));
        let mut out = Vec::new();
        for line in at {
            for indent in [0usize, 2, 4] {
                let i = " ".repeat(indent);
                for inserted in INSERTED {
                    let inserted = format!("{i}{}\n", inserted.replace("{i}", &i));
                    out.push(spliced(&lines, line + 1, &inserted));
                }
            }
        }
        out
    });
    eprintln!("{variants} variants, {defining} of them define a CRD used");
    // The variants do reach CRDs used (else this would test nothing).
    assert!(defining >= 1000, "{defining}");
}

#[test]
fn lines_of_the_head_repeated_further_down_are_found() {
    // The lines a CRD's identity is read from, repeated (renamed) at other places further
    // down: realistic duplicates at exact indentations.
    let (variants, defining) = variants_hold(|doc, g, k| {
        let lines: Vec<&str> = doc.split_inclusive('\n').collect();
        let head = lines.len().min(30);
        // A small generator, seeded per document: the same variants on every run.
        let mut seed = doc.len() as u64 | 1;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        (0..60)
            .map(|_| {
                let from = next(head);
                let take = 1 + next(2);
                let to = from + 1 + next(lines.len() - from);
                let repeated: String = lines[from..(from + take).min(lines.len())]
                    .iter()
                    .map(|l| {
                        let l = l.replace(g, "yy.example.com").replace(k, "Zz");
                        if l.ends_with('\n') { l } else { l + "\n" }
                    })
                    .collect();
                spliced(&lines, to, &repeated)
            })
            .collect()
    });
    eprintln!("{variants} variants with head lines repeated, {defining} define a CRD used");
    assert!(defining >= 200, "{defining}");
}
