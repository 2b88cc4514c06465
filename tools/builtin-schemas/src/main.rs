//! Generates `data/builtin/` for crdlint from upstream Kubernetes OpenAPI v3 documents.
//!
//! Inputs (see README.md for how to bring them with `fetch`):
//! - a kubectl-validate source tree: `pkg/openapiclient/builtins/1.NN/{api,apis}/**.json`, the
//!   upstream `api/openapi-spec/v3` of kubernetes/kubernetes per minor version;
//! - bare git directories of kubernetes/api, kubernetes/apiextensions-apiserver and
//!   kubernetes/kube-aggregator, whose `v0.NN.0` tags carry `zz_generated.prerelease-lifecycle.go`;
//! - `lifecycle-extra.json` beside this program: the few lifecycle facts the generated files lack,
//!   each with its source.
//!
//! Outputs (all deterministic: same inputs, same bytes):
//! - `index.json`: per group/version, the kinds it serves (root definition, scope, REST resource,
//!   list kind) and the minors that serve them; the chunk table; per-document overrides;
//! - `chunks.bin`: one zlib stream per definition package (`io.k8s.api.core.v1`, ...) holding every
//!   distinct form of each definition across all minors (content-addressed: a form is stored once,
//!   whatever the number of minors and documents that carry it) and, per definition, which form each
//!   minor uses;
//! - `lifecycle.json`: deprecated / removed / replacement per group/version/kind.

use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Keys dropped from every schema node: documentation, and what only matters to clients
/// (strategic-merge-patch hints). The group/version/kind of a definition goes to the index.
const DROPPED_KEYS: [&str; 4] = [
    "description",
    "x-kubernetes-group-version-kind",
    "x-kubernetes-patch-strategy",
    "x-kubernetes-patch-merge-key",
];

/// Every schema keyword the generator knows. An unknown one stops the run, so a new upstream
/// keyword is looked at before it is silently kept or dropped.
const KNOWN_KEYS: [&str; 36] = [
    "$ref",
    "additionalProperties",
    "allOf",
    "anyOf",
    "default",
    "description",
    "enum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "format",
    "items",
    "maxItems",
    "maxLength",
    "maxProperties",
    "maximum",
    "minItems",
    "minLength",
    "minProperties",
    "minimum",
    "multipleOf",
    "not",
    "nullable",
    "oneOf",
    "pattern",
    "properties",
    "required",
    "type",
    "uniqueItems",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-group-version-kind",
    "x-kubernetes-int-or-string",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-list-type",
    "x-kubernetes-map-type",
    "x-kubernetes-patch-merge-key",
    "x-kubernetes-patch-strategy",
];
/// Known too, kept as they are.
const KNOWN_KEYS_2: [&str; 3] = [
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-unions",
    "x-kubernetes-validations",
];

/// What may stand beside a `$ref` once normalized; the resolver in crdlint merges exactly these.
const REF_SIBLINGS: [&str; 5] = [
    "default",
    "nullable",
    "type",
    "x-kubernetes-list-type",
    "x-kubernetes-map-type",
];

const MIN_LIFECYCLE_TAG: u32 = 19; // prerelease-lifecycle-gen output starts with k8s.io/api v0.19.0

fn die(msg: impl AsRef<str>) -> ! {
    eprintln!("builtin-schemas: {}", msg.as_ref());
    std::process::exit(1)
}

struct Args {
    kubectl_validate: PathBuf,
    lifecycle_git: Vec<PathBuf>,
    extra: PathBuf,
    out: PathBuf,
    source_note: String,
}

fn parse_args() -> Args {
    let mut kubectl_validate = None;
    let mut lifecycle_git = Vec::new();
    let mut extra = None;
    let mut out = None;
    let mut source_note = String::new();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || {
            it.next()
                .unwrap_or_else(|| die(format!("{a} needs a value")))
        };
        match a.as_str() {
            "--kubectl-validate" => kubectl_validate = Some(PathBuf::from(val())),
            "--lifecycle-git" => lifecycle_git.push(PathBuf::from(val())),
            "--extra" => extra = Some(PathBuf::from(val())),
            "--out" => out = Some(PathBuf::from(val())),
            "--source-note" => source_note = val(),
            _ => die(format!(
                "unknown argument {a}\nusage: builtin-schemas --kubectl-validate DIR \
                 [--lifecycle-git GITDIR]... --extra lifecycle-extra.json --out data/builtin \
                 [--source-note TEXT]"
            )),
        }
    }
    Args {
        kubectl_validate: kubectl_validate.unwrap_or_else(|| die("--kubectl-validate is required")),
        lifecycle_git,
        extra: extra.unwrap_or_else(|| die("--extra is required")),
        out: out.unwrap_or_else(|| die("--out is required")),
        source_note,
    }
}

/// All `*.json` files under `dir`, sorted by path.
fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Normalization of schema nodes

fn normalize(v: &Value, where_: &str) -> Value {
    let Value::Object(m) = v else {
        die(format!("{where_}: a schema node that is not an object"))
    };
    let mut out = Map::new();
    for (k, val) in m {
        if !KNOWN_KEYS.contains(&k.as_str()) && !KNOWN_KEYS_2.contains(&k.as_str()) {
            die(format!("{where_}: unknown schema keyword {k:?}"));
        }
        if DROPPED_KEYS.contains(&k.as_str()) {
            continue;
        }
        let child = |s: &str| format!("{where_}.{s}");
        let nv = match k.as_str() {
            "properties" => {
                let Value::Object(props) = val else {
                    die(child("properties: not an object"))
                };
                Value::Object(
                    props
                        .iter()
                        .map(|(pk, pv)| (pk.clone(), normalize(pv, &child(pk))))
                        .collect(),
                )
            }
            "items" | "not" => normalize(val, &child(k)),
            "additionalProperties" => match val {
                Value::Bool(_) => val.clone(),
                _ => normalize(val, &child(k)),
            },
            "allOf" | "anyOf" | "oneOf" => Value::Array(
                val.as_array()
                    .unwrap_or_else(|| die(child(k) + ": not an array"))
                    .iter()
                    .enumerate()
                    .map(|(i, x)| normalize(x, &format!("{where_}.{k}[{i}]")))
                    .collect(),
            ),
            "$ref" => {
                let s = val.as_str().unwrap_or_else(|| die(child("$ref")));
                let name = s
                    .strip_prefix("#/components/schemas/")
                    .unwrap_or_else(|| die(format!("{where_}: unexpected $ref {s}")));
                Value::String(name.to_string())
            }
            _ => val.clone(),
        };
        out.insert(k.clone(), nv);
    }
    // `allOf: [{$ref: X}]` is how OpenAPI v3 lets a reference carry siblings (default,
    // description); older documents write the siblings beside a bare `$ref`. One form for both, so
    // the same definition dedups across minors: `{$ref: X, siblings...}`.
    if let Some(Value::Array(all)) = out.get("allOf")
        && all.len() == 1
        && !out.contains_key("$ref")
        && let Some(Value::Object(only)) = all.first()
        && only.len() == 1
        && let Some(r) = only.get("$ref")
    {
        let r = r.clone();
        out.remove("allOf");
        out.insert("$ref".into(), r);
    }
    if out.contains_key("$ref") {
        for k in out.keys() {
            if k != "$ref" && !REF_SIBLINGS.contains(&k.as_str()) {
                die(format!("{where_}: {k:?} beside $ref"));
            }
        }
    }
    Value::Object(out)
}

fn gvks_of(schema: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let list = match schema.get("x-kubernetes-group-version-kind") {
        Some(Value::Array(a)) => a.clone(),
        Some(o @ Value::Object(_)) => vec![o.clone()],
        _ => return out,
    };
    for g in list {
        let s = |k: &str| g.get(k).and_then(Value::as_str).map(str::to_string);
        if let (Some(gr), Some(v), Some(k)) = (s("group"), s("version"), s("kind")) {
            out.push((gr, v, k));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Kinds served by a group/version document

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct KindEntry {
    def: String,
    namespaced: bool,
    resource: Option<String>,
    list: Option<String>,
}

/// Splits a path below the group/version prefix into (namespaced, resource, has_name,
/// subresource). Only `[namespaces/{namespace}/]resource[/{name}[/subresource]]` qualifies; watch
/// paths and the like do not.
fn parse_resource_path(rest: &str) -> Option<(bool, &str, bool, Option<&str>)> {
    let (namespaced, rest) = match rest.strip_prefix("namespaces/{namespace}/") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let mut parts = rest.split('/');
    let resource = parts.next().filter(|s| !s.is_empty())?;
    if resource == "watch"
        || !resource
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
    {
        return None;
    }
    let name = parts.next();
    if name.is_some_and(|n| n != "{name}") {
        return None;
    }
    let sub = parts.next();
    if parts.next().is_some() || sub.is_some_and(|s| s.is_empty() || s.contains('{')) {
        return None;
    }
    Some((namespaced, resource, name.is_some(), sub))
}

fn body_refs(op: &Value) -> Vec<String> {
    let mut refs = Vec::new();
    let mut push = |content: Option<&Value>| {
        if let Some(Value::Object(c)) = content {
            for (_, media) in c {
                if let Some(r) = media.pointer("/schema/$ref").and_then(Value::as_str) {
                    refs.push(r.rsplit('/').next().unwrap_or(r).to_string());
                }
            }
        }
    };
    push(op.pointer("/requestBody/content"));
    for code in ["200", "201", "202"] {
        push(
            op.get("responses")
                .and_then(|r| r.get(code))
                .and_then(|r| r.get("content")),
        );
    }
    refs
}

/// The kinds a group/version document serves: every group/version/kind an operation of a
/// resource path carries (`x-kubernetes-group-version-kind`; 1.23 documents lack it on
/// operations, so there the kind comes from the request or response body's definition). Connect
/// operations (pods/exec, ...) and deletions are left out. Namespaced when any path carrying the
/// kind is under `namespaces/{namespace}` (as kubectl-validate decides it).
fn doc_kinds(
    doc: &Value,
    prefix: &str,
    defs: &Map<String, Value>,
) -> BTreeMap<(String, String, String), KindEntry> {
    // kind -> (namespaced, top-level resources)
    let mut found: BTreeMap<(String, String, String), (bool, BTreeSet<String>)> = BTreeMap::new();
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return BTreeMap::new();
    };
    for (p, item) in paths {
        let Some(rest) = p.strip_prefix(prefix) else {
            continue;
        };
        let Some((ns, resource, has_name, sub)) = parse_resource_path(rest) else {
            continue;
        };
        for op_name in ["get", "put", "post", "patch"] {
            let Some(op) = item.get(op_name) else {
                continue;
            };
            let action = op.get("x-kubernetes-action").and_then(Value::as_str);
            if action == Some("connect") {
                continue;
            }
            let gvk = if let Some(g) = op.get("x-kubernetes-group-version-kind") {
                gvks_of(&json!({"x-kubernetes-group-version-kind": g}))
                    .into_iter()
                    .next()
            } else {
                // 1.23: from the body's definition; a list response names the list kind.
                body_refs(op).into_iter().find_map(|r| {
                    let g = gvks_of(defs.get(&r)?);
                    if g.len() != 1 {
                        return None;
                    }
                    let (gr, v, mut k) = g.into_iter().next()?;
                    if !has_name
                        && sub.is_none()
                        && let Some(item_kind) = k.strip_suffix("List")
                    {
                        k = item_kind.to_string();
                    }
                    Some((gr, v, k))
                })
            };
            let Some(gvk) = gvk else { continue };
            let e = found.entry(gvk).or_default();
            e.0 |= ns;
            if sub.is_none() {
                e.1.insert(resource.to_string());
            }
        }
    }
    // The root definition of each kind, and its list kind.
    let mut by_gvk: BTreeMap<(String, String, String), String> = BTreeMap::new();
    for (name, s) in defs {
        for gvk in gvks_of(s) {
            // A definition shared by several group/versions (DeleteOptions) lists them all; a
            // kind's own definition lists only itself, so the first one seen in sorted order is
            // fine as long as it is unique.
            by_gvk.entry(gvk).or_insert_with(|| name.clone());
        }
    }
    let mut out = BTreeMap::new();
    for (gvk, (ns, resources)) in found {
        let Some(def) = by_gvk.get(&gvk) else {
            die(format!("{prefix}: no definition for {gvk:?}"))
        };
        if resources.len() > 1 {
            die(format!(
                "{prefix}: {gvk:?} has several resources {resources:?}"
            ));
        }
        let list_kind = format!("{}List", gvk.2);
        let list = by_gvk
            .contains_key(&(gvk.0.clone(), gvk.1.clone(), list_kind.clone()))
            .then_some(list_kind);
        out.insert(
            gvk,
            KindEntry {
                def: def.clone(),
                namespaced: ns,
                resource: resources.into_iter().next(),
                list,
            },
        );
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Schemas: content-addressed definitions

/// `[23, 24, 25, 27]` -> `"23-25,27"`: the minors serving something, compact and readable.
fn ranges(ms: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ms.len() {
        let mut j = i;
        while j + 1 < ms.len() && ms[j + 1] == ms[j] + 1 {
            j += 1;
        }
        out.push(if i == j {
            ms[i].to_string()
        } else {
            format!("{}-{}", ms[i], ms[j])
        });
        i = j + 1;
    }
    out.join(",")
}

fn base36(i: usize) -> char {
    std::char::from_digit(i as u32, 36).unwrap_or_else(|| die("more than 36 forms of a definition"))
}

fn package_of(name: &str) -> (&str, &str) {
    name.rsplit_once('.')
        .unwrap_or_else(|| die(format!("definition name without a package: {name}")))
}

struct Schemas {
    minors: Vec<u32>,
    /// group/version -> kind -> (entry -> minors)
    kinds: BTreeMap<String, BTreeMap<String, BTreeMap<KindEntry, Vec<u32>>>>,
    /// group/version -> minors whose documents include it
    gv_minors: BTreeMap<String, Vec<u32>>,
    /// definition -> canonical form -> index assigned later
    forms: BTreeMap<String, Vec<String>>,
    /// definition -> per minor (index into `minors`) the form index, None when absent
    table: BTreeMap<String, Vec<Option<usize>>>,
    /// (minor, group/version, definition, form index): a document whose form differs from the
    /// minor's usual one
    overrides: Vec<(u32, String, String, usize)>,
    stats: (usize, usize),
}

fn read_schemas(root: &Path) -> Schemas {
    let builtins = root.join("pkg/openapiclient/builtins");
    let mut minors: Vec<u32> = std::fs::read_dir(&builtins)
        .unwrap_or_else(|e| die(format!("{}: {e}", builtins.display())))
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_prefix("1.")?
                .parse::<u32>()
                .ok()
        })
        .collect();
    minors.sort_unstable();
    if minors.is_empty() {
        die(format!("no 1.NN directories under {}", builtins.display()));
    }

    let mut kinds: BTreeMap<String, BTreeMap<String, BTreeMap<KindEntry, Vec<u32>>>> =
        BTreeMap::new();
    let mut gv_minors: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    // per minor: definition -> (form -> group/versions whose documents carry it)
    let mut per_minor: Vec<BTreeMap<String, BTreeMap<String, Vec<String>>>> = Vec::new();
    let mut files_read = 0;
    for &minor in &minors {
        let dir = builtins.join(format!("1.{minor}"));
        let mut files = Vec::new();
        json_files(&dir, &mut files);
        files.sort();
        let mut defs_here: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for f in files {
            files_read += 1;
            let rel = f
                .strip_prefix(&dir)
                .unwrap_or_else(|_| die("path"))
                .to_string_lossy()
                .replace('\\', "/");
            let rel = rel.trim_end_matches(".json");
            let gv = if let Some(v) = rel.strip_prefix("api/") {
                v.to_string()
            } else if let Some(gv) = rel.strip_prefix("apis/") {
                gv.to_string()
            } else {
                die(format!("unexpected file {}", f.display()))
            };
            let text = std::fs::read(&f).unwrap_or_else(|e| die(format!("{}: {e}", f.display())));
            let doc: Value = serde_json::from_slice(&text)
                .unwrap_or_else(|e| die(format!("{}: {e}", f.display())));
            let Some(Value::Object(defs)) = doc.pointer("/components/schemas") else {
                die(format!("{}: no components.schemas", f.display()))
            };
            for (name, s) in defs {
                let form = serde_json::to_string(&normalize(s, &format!("{gv}@1.{minor}:{name}")))
                    .unwrap_or_else(|e| die(e.to_string()));
                defs_here
                    .entry(name.clone())
                    .or_default()
                    .entry(form)
                    .or_default()
                    .push(gv.clone());
            }
            gv_minors.entry(gv.clone()).or_default().push(minor);
            let prefix = format!("/{rel}/");
            for ((g, v, k), entry) in doc_kinds(&doc, &prefix, defs) {
                let kgv = if g.is_empty() { v } else { format!("{g}/{v}") };
                kinds
                    .entry(kgv)
                    .or_default()
                    .entry(k)
                    .or_default()
                    .entry(entry)
                    .or_default()
                    .push(minor);
            }
        }
        per_minor.push(defs_here);
    }
    // The same kind may be found in several documents of a minor (autoscaling/v1 Scale in apps/v1
    // and in v1): keep each minor once.
    for ks in kinds.values_mut() {
        for es in ks.values_mut() {
            for ms in es.values_mut() {
                ms.dedup();
            }
            let mut seen = BTreeSet::new();
            for ms in es.values() {
                for m in ms {
                    if !seen.insert(*m) {
                        die(format!("a kind has two different entries in 1.{m}: {es:?}"));
                    }
                }
            }
        }
    }

    // Forms per definition, in order of the first minor that uses each as its usual form; forms
    // only some document of a minor carries (overrides) come after, in byte order.
    let mut usual: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    let mut overrides_raw: Vec<(u32, String, String, String)> = Vec::new();
    for (mi, defs_here) in per_minor.iter().enumerate() {
        for (name, forms) in defs_here {
            // The usual form: carried by the most documents; on a tie the one of the first
            // document in path order.
            let best = forms
                .iter()
                .max_by(|a, b| {
                    a.1.len()
                        .cmp(&b.1.len())
                        .then_with(|| b.1.iter().min().cmp(&a.1.iter().min()))
                })
                .map(|(f, _)| f.clone())
                .unwrap_or_else(|| die("empty"));
            usual
                .entry(name.clone())
                .or_insert_with(|| vec![None; minors.len()])[mi] = Some(best.clone());
            for (form, gvs) in forms {
                if *form != best {
                    for gv in gvs {
                        overrides_raw.push((minors[mi], gv.clone(), name.clone(), form.clone()));
                    }
                }
            }
        }
    }
    let mut forms: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut table: BTreeMap<String, Vec<Option<usize>>> = BTreeMap::new();
    for (name, per) in &usual {
        let list = forms.entry(name.clone()).or_default();
        let mut row = Vec::with_capacity(per.len());
        for f in per {
            row.push(f.as_ref().map(|f| match list.iter().position(|x| x == f) {
                Some(i) => i,
                None => {
                    list.push(f.clone());
                    list.len() - 1
                }
            }));
        }
        table.insert(name.clone(), row);
    }
    let mut extra: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, _, name, form) in &overrides_raw {
        if !forms.get(name).is_some_and(|l| l.contains(form)) {
            extra.entry(name.clone()).or_default().insert(form.clone());
        }
    }
    for (name, fs) in extra {
        forms.entry(name).or_default().extend(fs);
    }
    let mut overrides: Vec<(u32, String, String, usize)> = overrides_raw
        .into_iter()
        .map(|(m, gv, name, form)| {
            let i = forms[&name].iter().position(|x| *x == form).unwrap_or(0);
            (m, gv, name, i)
        })
        .collect();
    overrides.sort();
    overrides.dedup();
    let distinct = forms.values().map(Vec::len).sum();
    Schemas {
        minors,
        kinds,
        gv_minors,
        forms,
        table,
        overrides,
        stats: (files_read, distinct),
    }
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

/// (group, version, kind)
type Gvk = (String, String, String);

#[derive(Default, Clone, Debug)]
struct Lifecycle {
    introduced: Option<u32>,
    deprecated: Option<u32>,
    removed: Option<u32>,
    replacement: Option<String>,
    source: String,
}

fn git(git_dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg(format!("--git-dir={}", git_dir.display()))
        .args(args)
        .output()
        .unwrap_or_else(|e| die(format!("git: {e}")));
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `func (in *T) APILifecycleX() ... {\n\treturn V\n}` -> (T, X, V)
fn parse_lifecycle_go(src: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for chunk in src.split("func (in *").skip(1) {
        let Some((ty, rest)) = chunk.split_once(')') else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix("APILifecycle") else {
            continue;
        };
        let Some((what, rest)) = rest.split_once('(') else {
            continue;
        };
        let Some(ret) = rest.split("return ").nth(1) else {
            continue;
        };
        let value = ret.lines().next().unwrap_or("").trim().to_string();
        out.push((ty.to_string(), what.to_string(), value));
    }
    out
}

fn minor_of(value: &str) -> Option<u32> {
    let (major, minor) = value.split_once(',')?;
    (major.trim() == "1").then(|| minor.trim().parse().ok())?
}

fn quoted_after<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    let i = s.find(key)? + key.len();
    let rest = s[i..].trim_start().strip_prefix('"')?;
    rest.split('"').next()
}

/// (group, version, kind) -> lifecycle from the newest `v0.NN.0` tag of each repository that
/// still has the type.
fn read_lifecycle(repos: &[PathBuf]) -> (BTreeMap<Gvk, Lifecycle>, Vec<String>) {
    let mut out: BTreeMap<(String, String, String), Lifecycle> = BTreeMap::new();
    let mut scanned = Vec::new();
    for repo in repos {
        let repo_name = repo
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().replace('+', "/"))
            .unwrap_or_else(|| repo.display().to_string());
        let tags = git(repo, &["tag", "--list", "v0.*.0"]).unwrap_or_default();
        let mut tags: Vec<(u32, String)> = tags
            .lines()
            .filter_map(|t| {
                let m: u32 = t.strip_prefix("v0.")?.strip_suffix(".0")?.parse().ok()?;
                (m >= MIN_LIFECYCLE_TAG).then(|| (m, t.to_string()))
            })
            .collect();
        tags.sort();
        if let (Some(first), Some(last)) = (tags.first(), tags.last()) {
            scanned.push(format!("{repo_name} {}..{}", first.1, last.1));
        }
        // Older tags first, so a newer tag's value wins.
        for (_, tag) in &tags {
            let files = git(repo, &["ls-tree", "-r", "--name-only", tag]).unwrap_or_default();
            for f in files
                .lines()
                .filter(|f| f.ends_with("/zz_generated.prerelease-lifecycle.go"))
            {
                let dir = f.rsplit_once('/').map(|x| x.0).unwrap_or("");
                let version = dir.rsplit('/').next().unwrap_or("").to_string();
                let register =
                    git(repo, &["show", &format!("{tag}:{dir}/register.go")]).unwrap_or_default();
                let Some(group) = quoted_after(&register, "const GroupName =") else {
                    die(format!("{repo_name} {tag}:{dir}: no GroupName"))
                };
                let group = group.to_string();
                let src = git(repo, &["show", &format!("{tag}:{f}")]).unwrap_or_default();
                let mut per_type: BTreeMap<String, Lifecycle> = BTreeMap::new();
                for (ty, what, value) in parse_lifecycle_go(&src) {
                    if ty.ends_with("List") {
                        continue;
                    }
                    let e = per_type.entry(ty).or_default();
                    match what.as_str() {
                        "Introduced" => e.introduced = minor_of(&value),
                        "Deprecated" => e.deprecated = minor_of(&value),
                        "Removed" => e.removed = minor_of(&value),
                        "Replacement" => {
                            let g = quoted_after(&value, "Group:").unwrap_or("");
                            let v = quoted_after(&value, "Version:").unwrap_or("");
                            let k = quoted_after(&value, "Kind:").unwrap_or("");
                            if !v.is_empty() && !k.is_empty() {
                                let gv = if g.is_empty() {
                                    v.to_string()
                                } else {
                                    format!("{g}/{v}")
                                };
                                e.replacement = Some(format!("{gv} {k}"));
                            }
                        }
                        _ => {}
                    }
                }
                for (ty, mut l) in per_type {
                    l.source = format!("{repo_name} {tag} {f}");
                    out.insert((group.clone(), version.clone(), ty), l);
                }
            }
        }
    }
    (out, scanned)
}

fn gv_string(g: &str, v: &str) -> String {
    if g.is_empty() {
        v.to_string()
    } else {
        format!("{g}/{v}")
    }
}

fn split_gv(gv: &str) -> (String, String) {
    match gv.split_once('/') {
        Some((g, v)) => (g.to_string(), v.to_string()),
        None => (String::new(), gv.to_string()),
    }
}

fn build_lifecycle(schemas: &Schemas, repos: &[PathBuf], extra_path: &Path) -> Value {
    let (tagged, scanned) = read_lifecycle(repos);
    let extra: Value = serde_json::from_slice(
        &std::fs::read(extra_path)
            .unwrap_or_else(|e| die(format!("{}: {e}", extra_path.display()))),
    )
    .unwrap_or_else(|e| die(format!("{}: {e}", extra_path.display())));
    let latest = *schemas.minors.last().unwrap_or(&0);

    // Served minors per group/version/kind, from the embedded documents.
    let mut served: BTreeMap<(String, String, String), BTreeSet<u32>> = BTreeMap::new();
    for (gv, ks) in &schemas.kinds {
        let (g, v) = split_gv(gv);
        for (k, es) in ks {
            let set = served.entry((g.clone(), v.clone(), k.clone())).or_default();
            for ms in es.values() {
                set.extend(ms.iter().copied());
            }
        }
    }

    let mut entries: BTreeMap<(String, String, String), Map<String, Value>> = BTreeMap::new();
    let mut keys: BTreeSet<(String, String, String)> = tagged.keys().cloned().collect();
    // Kinds the embedded minors stopped serving, even without lifecycle tags.
    for (gvk, ms) in &served {
        if ms.last().is_some_and(|&m| m < latest) {
            keys.insert(gvk.clone());
        }
    }
    for gvk in keys {
        let t = tagged.get(&gvk).cloned().unwrap_or_default();
        let ms = served.get(&gvk);
        let mut e = Map::new();
        let mut sources = Vec::new();
        if !t.source.is_empty() {
            sources.push(Value::String(t.source.clone()));
        }
        if let Some(i) = t.introduced {
            e.insert("introduced".into(), json!(i));
        }
        if let Some(d) = t.deprecated {
            e.insert("deprecated".into(), json!(d));
        }
        // Removal: the embedded documents are authoritative for the minors they cover; the
        // lifecycle tag otherwise (a planned removal past the newest minor, or one before the
        // oldest).
        let removed = match ms.and_then(|s| s.last()) {
            Some(&last) if last < latest => {
                sources.push(Value::String(format!(
                    "embedded OpenAPI documents: served through 1.{last}, absent from 1.{}",
                    last + 1
                )));
                Some(last + 1)
            }
            // Still served by the newest minor: a removal in the tags is a plan.
            Some(_) => t.removed,
            // Never in an embedded document: the tags (or lifecycle-extra.json) alone. For alpha
            // versions the tagged removal is only the policy default (deprecated + 3), so a kind
            // the oldest embedded minor does not serve can carry a later "removed"
            // (storage.k8s.io/v1alpha1 VolumeAttachment: 1.24); crdlint reports such a kind as
            // not served, not as removed.
            None => t.removed,
        };
        if t.deprecated.is_none() && removed.is_none() {
            // GA, or untagged and still served: nothing to say.
            continue;
        }
        if let Some(r) = removed {
            e.insert("removed".into(), json!(r));
            if r > latest {
                e.insert("planned".into(), json!(true));
            }
        }
        // The API server's deprecation warning names the tagged removal release
        // ("unavailable in v1.37+"), even where the kind went away earlier.
        if let Some(tr) = t.removed
            && removed != Some(tr)
        {
            e.insert("tag_removed".into(), json!(tr));
        }
        if let Some(r) = &t.replacement {
            e.insert("replacement".into(), json!(r));
        }
        e.insert("sources".into(), Value::Array(sources));
        entries.insert(gvk, e);
    }
    // The hand-written facts, each with its source: they fill or correct what the tags give.
    let Some(Value::Array(extra_entries)) = extra.get("entries") else {
        die("lifecycle-extra.json: no entries")
    };
    for x in extra_entries {
        let s = |k: &str| x.get(k).and_then(Value::as_str).map(str::to_string);
        let (Some(gv), Some(kind), Some(source)) = (s("apiVersion"), s("kind"), s("source")) else {
            die(format!(
                "lifecycle-extra.json: entry without apiVersion/kind/source: {x}"
            ))
        };
        let (g, v) = split_gv(&gv);
        let e = entries.entry((g, v, kind)).or_default();
        for key in ["deprecated", "removed", "replacement"] {
            if let Some(val) = x.get(key) {
                e.insert(key.into(), val.clone());
            }
        }
        let srcs = e
            .entry("sources")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = srcs {
            a.push(Value::String(format!("lifecycle-extra.json: {source}")));
        }
    }
    let list: Vec<Value> = entries
        .into_iter()
        .map(|((g, v, k), mut e)| {
            let mut m = Map::new();
            m.insert("apiVersion".into(), json!(gv_string(&g, &v)));
            m.insert("kind".into(), json!(k));
            m.append(&mut e);
            Value::Object(m)
        })
        .collect();
    json!({
        "format": 1,
        "generator": "tools/builtin-schemas (see its README.md)",
        "about": "Minor versions of Kubernetes 1.x. deprecated: the release from which the API server warns; removed: the first release that no longer serves the group/version/kind (from the embedded OpenAPI documents when they cover it, else from the lifecycle tags or lifecycle-extra.json); planned: a removal announced for a release newer than the newest embedded one; tag_removed: the removal release the lifecycle tag gives where it differs from removed (the API server's deprecation warning quotes the tag).",
        "lifecycle_tags_scanned": scanned,
        "entries": list,
    })
}

// ---------------------------------------------------------------------------------------------
// Output

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| die(format!("{}: {e}", path.display())));
}

fn main() {
    let args = parse_args();
    let schemas = read_schemas(&args.kubectl_validate);
    std::fs::create_dir_all(&args.out).unwrap_or_else(|e| die(e.to_string()));

    // Chunks: one per definition package.
    let mut packages: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    for (name, forms) in &schemas.forms {
        let (pkg, short) = package_of(name);
        let row: String = schemas.table[name]
            .iter()
            .map(|f| f.map_or('-', base36))
            .collect();
        let parsed: Vec<Value> = forms
            .iter()
            .map(|f| serde_json::from_str(f).unwrap_or_else(|e| die(e.to_string())))
            .collect();
        packages
            .entry(pkg)
            .or_default()
            .insert(short.to_string(), json!({"minors": row, "forms": parsed}));
    }
    let mut blob = Vec::new();
    let mut chunk_table = Map::new();
    let mut raw_total = 0;
    for (pkg, defs) in &packages {
        let raw =
            serde_json::to_vec(&Value::Object(defs.clone())).unwrap_or_else(|e| die(e.to_string()));
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&raw, 10);
        chunk_table.insert(
            (*pkg).to_string(),
            json!({"offset": blob.len(), "length": z.len(), "size": raw.len()}),
        );
        raw_total += raw.len();
        blob.extend_from_slice(&z);
    }

    let mut gvs = Map::new();
    for (gv, ms) in &schemas.gv_minors {
        let mut ms = ms.clone();
        ms.dedup();
        let mut kinds = Map::new();
        if let Some(ks) = schemas.kinds.get(gv) {
            for (k, es) in ks {
                let list: Vec<Value> = es
                    .iter()
                    .map(|(e, ms)| {
                        json!({
                            "def": e.def,
                            "namespaced": e.namespaced,
                            "resource": e.resource,
                            "list": e.list,
                            "minors": ranges(ms),
                        })
                    })
                    .collect();
                kinds.insert(k.clone(), Value::Array(list));
            }
        }
        gvs.insert(gv.clone(), json!({"minors": ranges(&ms), "kinds": kinds}));
    }
    // Kinds of a group/version that no document of its own describes (a subresource kind such as
    // autoscaling/v1 Scale is always in its own document too, but be safe).
    for (gv, ks) in &schemas.kinds {
        if !gvs.contains_key(gv) {
            die(format!("kinds {:?} of {gv} without a document", ks.keys()));
        }
    }
    let overrides: Vec<Value> = schemas
        .overrides
        .iter()
        .map(|(m, gv, def, i)| json!({"minor": m, "group_version": gv, "def": def, "form": i}))
        .collect();
    let index = json!({
        "format": 1,
        "generator": "tools/builtin-schemas (see its README.md)",
        "source": if args.source_note.is_empty() {
            "kubernetes/kubernetes api/openapi-spec/v3 per release branch, as copied into kubectl-validate pkg/openapiclient/builtins/1.NN".to_string()
        } else {
            args.source_note.clone()
        },
        "minors": schemas.minors,
        "chunks": chunk_table,
        "group_versions": gvs,
        "overrides": overrides,
    });
    let mut index_text =
        serde_json::to_string_pretty(&index).unwrap_or_else(|e| die(e.to_string()));
    index_text.push('\n');
    write(&args.out.join("index.json"), index_text.as_bytes());
    write(&args.out.join("chunks.bin"), &blob);

    let lifecycle = build_lifecycle(&schemas, &args.lifecycle_git, &args.extra);
    let mut lt = serde_json::to_string_pretty(&lifecycle).unwrap_or_else(|e| die(e.to_string()));
    lt.push('\n');
    write(&args.out.join("lifecycle.json"), lt.as_bytes());

    eprintln!(
        "builtin-schemas: {} files, minors 1.{}..1.{}, {} definitions, {} distinct forms, {} packages: {} bytes of JSON -> {} bytes compressed; index.json {} bytes; lifecycle.json {} bytes ({} entries)",
        schemas.stats.0,
        schemas.minors.first().unwrap_or(&0),
        schemas.minors.last().unwrap_or(&0),
        schemas.forms.len(),
        schemas.stats.1,
        packages.len(),
        raw_total,
        blob.len(),
        index_text.len(),
        lt.len(),
        lifecycle["entries"].as_array().map_or(0, Vec::len),
    );
}
