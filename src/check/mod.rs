//! `crdlint check`: read every input, index the CRDs found (and those given with `--crds`),
//! validate every resource against them, and collect diagnostics in a deterministic order.

use crate::diagnostics::{Diagnostic, ResourceRef, Severity, Summary};
use crate::discover::{self, Input};
use crate::lint;
use crate::model::{self, CrdIndex, DocKind, crd};
use crate::rules::{self, selection::RuleSettings};
use crate::source::{SourceFile, Span};
use crate::validate;
use crate::wording::FieldError;
use crate::yaml::{self, Node, ProblemKind};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 << 20;
/// Diagnostics reported per file; the rest are counted in one `input/too-many-diagnostics`.
pub const DEFAULT_MAX_DIAGNOSTICS_PER_FILE: usize = 1000;

#[derive(Debug, Clone)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub crds: Vec<PathBuf>,
    pub stdin_name: String,
    /// Text of standard input when `-` is among the paths.
    pub stdin_text: Option<Vec<u8>>,
    pub max_file_size: u64,
    /// Diagnostics reported per file (0: all of them). Errors are kept first.
    pub max_diagnostics_per_file: usize,
    /// Which rules run, and at what severity (from crdlint.toml and the command line).
    pub rules: Arc<RuleSettings>,
    /// Paths left out of the check (not of `crds`).
    pub exclude: discover::Exclude,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            paths: vec![PathBuf::from(".")],
            crds: Vec::new(),
            stdin_name: "<stdin>".into(),
            stdin_text: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_diagnostics_per_file: DEFAULT_MAX_DIAGNOSTICS_PER_FILE,
            rules: Arc::default(),
            exclude: discover::Exclude::default(),
        }
    }
}

/// A checked file and the resources found in it (for reports that list what passed too).
#[derive(Debug, Clone)]
pub struct CheckedFile {
    pub name: String,
    /// Document index and resource, in file order.
    pub resources: Vec<(usize, Arc<ResourceRef>)>,
}

#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    /// Every checked file, sorted by name.
    pub files: Vec<CheckedFile>,
    /// Some input could not be read at all (exit status 2).
    pub unreadable: bool,
}

/// One input, read and parsed.
struct Loaded {
    source: Arc<SourceFile>,
    docs: Vec<yaml::Document>,
    /// CRDs read from this file.
    crds: Vec<Arc<model::Crd>>,
    /// Per CRD document (by index): what lint found in it. CRD trees are dropped once read
    /// and linted, so only these remain.
    crd_docs: Vec<(usize, Vec<lint::Finding>)>,
    diagnostics: Vec<Diagnostic>,
    unreadable: bool,
}

fn diag(
    rule: &'static str,
    message: impl Into<String>,
    source: &Arc<SourceFile>,
    span: Option<Span>,
) -> Diagnostic {
    Diagnostic::new(rule, rules::severity(rule), message, source, span)
}

fn too_large(len: u64, limit: u64) -> String {
    format!("input is {len} bytes, larger than the limit of {limit} bytes")
}

/// A stream (stdin, a pipe, a device) longer than the limit: its length is not known.
pub fn stream_too_large(limit: u64) -> String {
    format!("input is larger than the limit of {limit} bytes")
}

/// Read at most `limit + 1` bytes, so a stream without end (`/dev/zero`) is never loaded.
pub fn read_capped(from: impl std::io::Read, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    from.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn read_input(input: &Input, opts: &Options) -> Result<Vec<u8>, String> {
    let bytes = match input {
        Input::Stdin { .. } => opts.stdin_text.clone().unwrap_or_default(),
        Input::File(p) => {
            let meta = std::fs::metadata(p).map_err(|e| discover::io_reason(&e))?;
            if meta.is_dir() {
                return Err("is a directory".into());
            }
            // Checked before reading, so a huge file is never loaded.
            if meta.len() > opts.max_file_size {
                return Err(too_large(meta.len(), opts.max_file_size));
            }
            // Pipes and devices report no length: the read itself is bounded.
            let file = std::fs::File::open(p).map_err(|e| discover::io_reason(&e))?;
            read_capped(file, opts.max_file_size).map_err(|e| discover::io_reason(&e))?
        }
    };
    if bytes.len() as u64 > opts.max_file_size {
        return Err(stream_too_large(opts.max_file_size));
    }
    Ok(bytes)
}

impl Loaded {
    fn empty(source: Arc<SourceFile>) -> Self {
        Loaded {
            source,
            docs: Vec::new(),
            crds: Vec::new(),
            crd_docs: Vec::new(),
            diagnostics: Vec::new(),
            unreadable: false,
        }
    }
}

/// A file that yields one diagnostic about itself and nothing else.
fn failed(
    name: &str,
    text: String,
    rule: &'static str,
    message: String,
    span: Option<Span>,
) -> Loaded {
    let source = SourceFile::new(name, text);
    let d = diag(rule, message, &source, span);
    Loaded {
        diagnostics: vec![d],
        unreadable: rule == "input/unreadable",
        ..Loaded::empty(source)
    }
}

/// The diagnostic of a file whose processing hit a bug in crdlint.
fn internal_error(source: &Arc<SourceFile>) -> Diagnostic {
    diag(
        "internal/panic",
        format!(
            "internal error while checking {}; please report it",
            source.name
        ),
        source,
        None,
    )
}

/// Run `f` on one file; a panic inside it (a bug in crdlint) becomes that file's
/// `internal/panic` diagnostic, and the other files are still checked.
fn guarded(name: &str, f: impl FnOnce() -> Loaded) -> Loaded {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        let source = SourceFile::new(name, String::new());
        let d = internal_error(&source);
        Loaded {
            diagnostics: vec![d],
            unreadable: true,
            ..Loaded::empty(source)
        }
    })
}

/// Read an input and hand its bytes to `parse`; a read failure becomes the file's diagnostic.
fn load_with(input: &Input, opts: &Options, parse: impl FnOnce(&str, Vec<u8>) -> Loaded) -> Loaded {
    let name = input.display_name();
    match read_input(input, opts) {
        Ok(bytes) => parse(&name, bytes),
        Err(reason) => {
            let message = format!("cannot read {name}: {reason}");
            failed(&name, String::new(), "input/unreadable", message, None)
        }
    }
}

/// The lint settings of a run.
fn lint_context(opts: &Options) -> lint::Context {
    lint::Context {
        kubernetes_minor: opts.rules.kubernetes_minor,
    }
}

/// A checked input: read, parsed, its CRDs read and linted.
fn load(input: &Input, opts: &Options) -> Loaded {
    let ctx = lint_context(opts);
    guarded(&input.display_name(), || {
        load_with(input, opts, |name, bytes| {
            parse_input(name, bytes, Some(&ctx))
        })
    })
}

/// A CRD source is parsed only when it mentions the group and kind of a resource being
/// checked: a cheap scan that keeps a pre-commit or editor check of one file from parsing and
/// compiling hundreds of CRDs it does not need.
fn load_crd_source(input: &Input, opts: &Options, wanted: &[(String, String)]) -> Loaded {
    guarded(&input.display_name(), || {
        load_with(input, opts, |name, bytes| {
            let mentions = |needle: &str| memchr::memmem::find(&bytes, needle.as_bytes()).is_some();
            if wanted.iter().any(|(g, k)| mentions(g) && mentions(k)) {
                // Not reported on, so not linted.
                parse_input(name, bytes, None)
            } else {
                Loaded::empty(SourceFile::new(name, String::new()))
            }
        })
    })
}

/// The group and kind of every resource in the loaded files.
fn wanted_kinds(files: &[Loaded]) -> Vec<(String, String)> {
    let mut wanted = std::collections::BTreeSet::new();
    let mut add = |n: &Node| {
        let api_version = n
            .get("apiVersion")
            .and_then(Node::as_str)
            .unwrap_or_default();
        if let Some(kind) = n.get("kind").and_then(Node::as_str) {
            let (group, _) = model::split_api_version(api_version);
            wanted.insert((group.to_string(), kind.to_string()));
        }
    };
    for root in files
        .iter()
        .flat_map(|f| &f.docs)
        .filter_map(|d| d.root.as_ref())
    {
        match model::classify(root) {
            DocKind::Resource => add(root),
            DocKind::List => root
                .get("items")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .for_each(&mut add),
            _ => {}
        }
    }
    wanted.into_iter().collect()
}

/// Decode and parse the bytes of one input, read its CRDs and, with a context, lint them.
fn parse_input(name: &str, bytes: Vec<u8>, lint: Option<&lint::Context>) -> Loaded {
    let name = name.to_string();
    if bytes.iter().take(8192).any(|&b| b == 0) {
        let message = format!("{name} is a binary file, not YAML or JSON");
        return failed(&name, String::new(), "input/encoding", message, None);
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The bad bytes read as U+FFFD (3 bytes): the span covers that character.
            let width = text[at..].chars().next().map_or(0, char::len_utf8);
            let span = Span::new(at, at + width);
            let message = format!(
                "{name} is not valid UTF-8 (invalid byte at offset {at}); Kubernetes manifests must be UTF-8"
            );
            return failed(&name, text, "input/encoding", message, Some(span));
        }
    };
    let docs = yaml::parse_stream(&text);
    let mut l = Loaded {
        docs,
        ..Loaded::empty(SourceFile::new(name.clone(), text))
    };
    for doc in &mut l.docs {
        if doc
            .root
            .as_ref()
            .is_some_and(|r| model::classify(r) == DocKind::Crd)
        {
            let root = doc
                .root
                .take()
                .unwrap_or_else(|| Node::new(yaml::Value::Null, doc.span));
            let crd = crd::read_crd(&root, &name);
            if let Some(ctx) = lint {
                let findings = lint::check_crd(&root, crd.as_ref(), ctx);
                l.crd_docs.push((doc.index, findings));
            }
            l.crds.extend(crd.map(Arc::new));
        }
    }
    l
}

/// Run a check. Never panics on bad input; a panic inside one file's processing is reported
/// as an internal error for that file.
pub fn run(opts: &Options) -> Report {
    let (inputs, discover_errors) =
        discover::discover_excluding(&opts.paths, &opts.stdin_name, &opts.exclude);
    let (crd_inputs, crd_errors) = discover::discover(&opts.crds, &opts.stdin_name);
    let checked: std::collections::HashSet<&Input> = inputs.iter().collect();
    let crd_only: Vec<&Input> = crd_inputs.iter().filter(|i| !checked.contains(i)).collect();

    let mut report = Report::default();
    for e in discover_errors.iter().chain(&crd_errors) {
        let src = SourceFile::new(e.path.clone(), String::new());
        report.diagnostics.push(diag(
            "input/unreadable",
            format!("cannot read {}: {}", e.path, e.message),
            &src,
            None,
        ));
        report.unreadable = true;
    }

    let files: Vec<Loaded> = inputs.par_iter().map(|i| load(i, opts)).collect();
    let wanted = wanted_kinds(&files);
    let crd_files: Vec<Loaded> = crd_only
        .par_iter()
        .map(|i| load_crd_source(i, opts, &wanted))
        .collect();

    let index = index_of(files.iter().chain(&crd_files));
    for f in &crd_files {
        // CRD sources are not reported on, but one that cannot be read at all still matters.
        report.diagnostics.extend(
            f.diagnostics
                .iter()
                .filter(|d| d.rule == "input/unreadable" || d.rule == "internal/panic")
                .cloned(),
        );
        report.unreadable |= f.unreadable;
    }

    check_files(
        &files,
        &index,
        &opts.rules,
        opts.max_diagnostics_per_file,
        &mut report,
    );
    report
}

/// An in-memory file, read as stdin is read.
fn load_text(name: &str, text: &str, rules: &RuleSettings) -> Loaded {
    let opts = Options {
        stdin_text: Some(text.as_bytes().to_vec()),
        rules: Arc::new(rules.clone()),
        ..Options::default()
    };
    let input = Input::Stdin {
        name: name.to_string(),
    };
    load(&input, &opts)
}

fn index_of<'a>(files: impl IntoIterator<Item = &'a Loaded>) -> CrdIndex {
    let mut index = CrdIndex::default();
    for c in files.into_iter().flat_map(|f| &f.crds) {
        index.insert(Arc::clone(c));
    }
    index
}

/// The CRDs found in `paths` (files or directories), indexed, for checks that reuse them.
pub fn load_crd_index(paths: &[PathBuf]) -> CrdIndex {
    let (inputs, _) = discover::discover(paths, "");
    let opts = Options::default();
    // Used for validation only: not linted.
    let files: Vec<Loaded> = inputs
        .par_iter()
        .map(|i| {
            guarded(&i.display_name(), || {
                load_with(i, &opts, |name, bytes| parse_input(name, bytes, None))
            })
        })
        .collect();
    index_of(&files)
}

/// The CRDs defined in an in-memory file.
pub fn crd_index_of_text(name: &str, text: &str) -> CrdIndex {
    index_of([&load_text(name, text, &RuleSettings::default())])
}

/// Check one in-memory file named `name` against the CRDs of `base`; CRDs in the file itself
/// take precedence (an edited CRD is used at once).
pub fn check_source(name: &str, text: &str, base: &CrdIndex, rules: &RuleSettings) -> Report {
    let file = load_text(name, text, rules);
    let mut index = index_of([&file]);
    index.extend_from(base);
    let mut report = Report::default();
    check_files(
        std::slice::from_ref(&file),
        &index,
        rules,
        DEFAULT_MAX_DIAGNOSTICS_PER_FILE,
        &mut report,
    );
    report
}

/// Check loaded files against an index, adding to `report` (sorted, counted).
fn check_files(
    files: &[Loaded],
    index: &CrdIndex,
    rules: &RuleSettings,
    max_diagnostics: usize,
    report: &mut Report,
) {
    let per_file: Vec<FileOutcome> = files
        .par_iter()
        .map(|f| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                check_file(f, index, rules, max_diagnostics)
            }))
            .unwrap_or_else(|_| {
                let d = internal_error(&f.source);
                FileOutcome {
                    diagnostics: vec![d],
                    documents: yaml::documents_read(&f.docs),
                    unreadable: true,
                    ..FileOutcome::default()
                }
            })
        })
        .collect();
    report.summary.files += files.len();
    for (o, f) in per_file.into_iter().zip(files) {
        report.diagnostics.extend(o.diagnostics);
        report.summary.documents += o.documents;
        report.summary.resources += o.resources.len();
        report.files.push(CheckedFile {
            name: f.source.name.clone(),
            resources: o.resources,
        });
        report.summary.crds += o.crds;
        report.unreadable |= o.unreadable;
    }
    report
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report.files.sort_by(|a, b| a.name.cmp(&b.name));
    report.summary.count(&report.diagnostics);
}

#[derive(Default)]
struct FileOutcome {
    diagnostics: Vec<Diagnostic>,
    documents: usize,
    resources: Vec<(usize, Arc<ResourceRef>)>,
    crds: usize,
    unreadable: bool,
}

/// All diagnostics of one file, with its counts.
fn check_file(
    f: &Loaded,
    index: &CrdIndex,
    rules: &RuleSettings,
    max_diagnostics: usize,
) -> FileOutcome {
    // Documents are independent: a long stream is checked in parallel, and the report is
    // sorted afterwards, so the output does not depend on the schedule.
    let per_doc: Vec<FileOutcome> = f
        .docs
        .par_iter()
        .map(|doc| check_document(f, doc, index))
        .collect();
    let mut outcome = FileOutcome {
        diagnostics: f.diagnostics.clone(),
        documents: yaml::documents_read(&f.docs),
        unreadable: f.unreadable,
        ..FileOutcome::default()
    };
    for o in per_doc {
        outcome.diagnostics.extend(o.diagnostics);
        outcome.resources.extend(o.resources);
        outcome.crds += o.crds;
    }
    let file_rules = rules.for_file(&f.source.name);
    file_rules.apply(&mut outcome.diagnostics);
    crate::suppress::apply(&f.source, &f.docs, &file_rules, &mut outcome.diagnostics);
    if let Some(mut note) = cap_diagnostics(&mut outcome.diagnostics, max_diagnostics, &f.source) {
        file_rules.apply(&mut note);
        outcome.diagnostics.extend(note);
    }
    outcome
}

/// Keep at most `max` diagnostics (0: all), the most severe first, so that the exit status
/// stays right; but never hide a document's first error: every document with an error keeps
/// it, even past `max`, so every format shows every failing document. The rest are counted in
/// one `input/too-many-diagnostics` about the file.
fn cap_diagnostics(
    diagnostics: &mut Vec<Diagnostic>,
    max: usize,
    source: &Arc<SourceFile>,
) -> Option<Vec<Diagnostic>> {
    if max == 0 || diagnostics.len() <= max {
        return None;
    }
    diagnostics.sort_by(|a, b| (a.severity, a.sort_key()).cmp(&(b.severity, b.sort_key())));
    // First errors by document (diagnostics about the whole file count as one more document).
    let mut documents_seen = std::collections::HashSet::new();
    let first_error: Vec<bool> = diagnostics
        .iter()
        .map(|d| d.severity == Severity::Error && documents_seen.insert(d.document))
        .collect();
    let firsts = first_error.iter().filter(|f| **f).count();
    let mut others_kept = max.saturating_sub(firsts);
    let mut kept = Vec::with_capacity(max.max(firsts));
    let mut dropped = Vec::new();
    for (d, first) in std::mem::take(diagnostics).into_iter().zip(first_error) {
        if first {
            kept.push(d);
        } else if others_kept > 0 {
            others_kept -= 1;
            kept.push(d);
        } else {
            dropped.push(d);
        }
    }
    *diagnostics = kept;
    if dropped.is_empty() {
        return None;
    }
    let count = |s: Severity| dropped.iter().filter(|d| d.severity == s).count();
    let by_severity: Vec<String> = [
        (count(Severity::Error), "error"),
        (count(Severity::Warning), "warning"),
        (count(Severity::Info), "info"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}{}", if n == 1 { "" } else { "s" }))
    .collect();
    let note = diag(
        "input/too-many-diagnostics",
        format!(
            "{} has more than {max} diagnostics: {} more ({}) are not shown",
            source.name,
            dropped.len(),
            by_severity.join(", ")
        ),
        source,
        None,
    )
    .with_help(
        "fix the errors shown first, or pass --max-diagnostics-per-file 0 to see every diagnostic",
    );
    Some(vec![note])
}

/// A lint finding as a diagnostic of document `doc`.
fn finding_diagnostic(p: &lint::Finding, source: &Arc<SourceFile>, doc: usize) -> Diagnostic {
    let mut d = diag(p.rule, p.message.clone(), source, Some(p.span)).with_document(doc);
    d.help = p.help.clone();
    let (field, reason) = p.field_and_reason();
    d.field = field.map(str::to_string);
    d.reason = reason;
    d
}

fn check_document(f: &Loaded, doc: &yaml::Document, index: &CrdIndex) -> FileOutcome {
    let mut out = Vec::new();
    let mut resources = Vec::new();
    let mut crds = 0;
    'document: {
        for p in &doc.problems {
            let rule = match p.kind {
                ProblemKind::Syntax => "yaml/syntax",
                ProblemKind::DuplicateKey { .. } => "yaml/duplicate-key",
                ProblemKind::Limit => "yaml/limit",
                ProblemKind::ImplicitType => "yaml/implicit-type",
            };
            let mut d =
                diag(rule, p.message.clone(), &f.source, Some(p.span)).with_document(doc.index);
            if let ProblemKind::DuplicateKey { first } = p.kind {
                d = d.with_related(first, "first defined here");
            }
            out.push(d);
        }
        if let Some((_, findings)) = f.crd_docs.iter().find(|(i, _)| *i == doc.index) {
            crds += 1;
            out.extend(
                findings
                    .iter()
                    .map(|p| finding_diagnostic(p, &f.source, doc.index)),
            );
            break 'document;
        }
        let Some(root) = doc.root.as_ref().filter(|r| r.as_map().is_some()) else {
            break 'document;
        };
        match model::classify(root) {
            DocKind::Other | DocKind::Crd => {}
            DocKind::LegacyCrd => out.extend(
                lint::check_legacy_crd(root)
                    .iter()
                    .map(|p| finding_diagnostic(p, &f.source, doc.index)),
            ),
            DocKind::List => {
                for item in root.get("items").and_then(Node::as_seq).unwrap_or_default() {
                    if item.as_map().is_some() && model::classify(item) != DocKind::Other {
                        let r = Arc::new(resource_ref(item));
                        resources.push((doc.index, Arc::clone(&r)));
                        check_resource(item, r, doc.index, f, index, &mut out);
                    }
                }
            }
            DocKind::Resource => {
                let r = Arc::new(resource_ref(root));
                resources.push((doc.index, Arc::clone(&r)));
                check_resource(root, r, doc.index, f, index, &mut out);
            }
        }
    }
    FileOutcome {
        diagnostics: out,
        resources,
        crds,
        ..FileOutcome::default()
    }
}

fn resource_ref(node: &Node) -> ResourceRef {
    let meta = node.get("metadata");
    let s = |k: &str| {
        meta.and_then(|m| m.get(k))
            .and_then(Node::as_str)
            .map(str::to_string)
    };
    ResourceRef {
        api_version: node
            .get("apiVersion")
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_string(),
        kind: node
            .get("kind")
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_string(),
        name: s("name").or_else(|| s("generateName")),
        namespace: s("namespace"),
    }
}

fn check_resource(
    node: &Node,
    r: Arc<ResourceRef>,
    doc: usize,
    f: &Loaded,
    index: &CrdIndex,
    out: &mut Vec<Diagnostic>,
) {
    let (group, version) = model::split_api_version(&r.api_version);
    if model::is_client_side_config(group) {
        return;
    }
    let at_type = node
        .get("kind")
        .map(|n| n.span)
        .or_else(|| node.get("apiVersion").map(|n| n.span));
    let with_resource = |mut d: Diagnostic| {
        d.document = Some(doc);
        d.resource = Some(Arc::clone(&r));
        d
    };
    let Some(crd) = index.get(group, &r.kind) else {
        let d = if model::is_builtin_group(group) {
            diag(
                "resource/builtin-skipped",
                format!(
                    "{} {} is a built-in type; its schema is not checked yet",
                    r.api_version, r.kind
                ),
                &f.source,
                at_type,
            )
        } else {
            diag(
                "resource/missing-crd",
                format!(
                    "no CustomResourceDefinition found for {}, Kind={}: the resource was not validated",
                    r.api_version, r.kind
                ),
                &f.source,
                at_type,
            )
            .with_help(format!(
                "pass the CRD that defines kind {} in group {} with --crds PATH (a file or directory)",
                r.kind, group
            ))
        };
        out.push(with_resource(d));
        return;
    };
    let Some(v) = crd.version(version).filter(|v| v.served) else {
        let defined = crd.version(version).is_some();
        let served: Vec<&str> = crd
            .versions
            .iter()
            .filter(|v| v.served)
            .map(|v| v.name.as_str())
            .collect();
        let (rule, why) = if defined {
            (
                "resource/version-not-served",
                format!("version {version} of {} is not served", crd.name),
            )
        } else {
            (
                "resource/unknown-version",
                format!("{} does not define version {version}", crd.name),
            )
        };
        let d = diag(
            rule,
            format!(
                "no matches for kind {:?} in version {:?}: {why}",
                r.kind, r.api_version
            ),
            &f.source,
            node.get("apiVersion").map(|n| n.span),
        )
        .with_help(format!("served versions: {}", served.join(", ")));
        out.push(with_resource(d));
        return;
    };
    for e in validate::validate_resource(node, crd, v) {
        out.push(with_resource(field_diagnostic(e, &f.source)));
    }
}

fn field_diagnostic(e: FieldError, source: &Arc<SourceFile>) -> Diagnostic {
    let mut d = diag(e.rule, e.message(), source, Some(e.span));
    d.field = Some(e.field().to_string());
    d.reason = Some(e.kind.reason());
    d.help = e.help;
    if e.status_dropped {
        d.severity = Severity::Warning;
    }
    d
}

/// Whether a report should fail a run (any error-severity diagnostic).
pub fn has_errors(report: &Report) -> bool {
    report
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod cel_tests;
