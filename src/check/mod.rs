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

mod base;
mod document;
mod load;
mod resources;
mod workspace;

pub use base::{Base, BaseSource};

use document::check_files;
use load::{
    Loaded, RETAINED_TEXT, Retention, add_kinds, guarded, internal_error, load, load_crd_source,
    load_text, load_whole_crd_source, load_with, parse_input, restore_crds, settle_crd_source,
};
pub use load::{read_capped, stream_too_large};
use workspace::{Workspace, index_of};

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
    /// The old revision to compare the CRDs among the checked files with (`--base REF`,
    /// `crdlint diff`): `upgrade/*` findings, and resources valid before that fail now.
    pub base: Option<BaseSource>,
    /// Where the custom resources of the CRDs among the checked files are (`resources` of
    /// crdlint.toml): those of the kinds such a CRD defines are validated too.
    pub resources: Vec<PathBuf>,
    /// `crdlint diff`: compare the CRDs only (no lint of their own, no resources validated),
    /// and report the old revision's CRDs that the checked files lack.
    pub diff: bool,
    /// Keep the text of the files with diagnostics, for reports that show code frames (the
    /// human one). Without it a diagnostic keeps only its file's line index, once the file is
    /// checked (see `SourceFile::without_text`): positions are the same.
    pub keep_source_text: bool,
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
            base: None,
            resources: Vec::new(),
            diff: false,
            keep_source_text: true,
        }
    }
}

/// A checked file and the resources found in it (for reports that list what passed too).
#[derive(Debug, Clone)]
pub struct CheckedFile {
    pub name: String,
    /// Document index and resource, in file order.
    pub resources: Vec<(usize, Arc<ResourceRef>)>,
    /// Document index and the file a rendered stream names as its origin (Helm's
    /// `# Source:` comment), for the documents that have one.
    pub origins: Vec<(usize, Arc<str>)>,
}

impl CheckedFile {
    /// The origin of document `doc` (see [`Diagnostic::origin`]).
    pub fn origin(&self, doc: usize) -> Option<&Arc<str>> {
        self.origins
            .binary_search_by_key(&doc, |(d, _)| *d)
            .ok()
            .map(|i| &self.origins[i].1)
    }
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

pub(super) fn diag(
    rule: &'static str,
    message: impl Into<String>,
    source: &Arc<SourceFile>,
    span: Option<Span>,
) -> Diagnostic {
    Diagnostic::new(rule, rules::severity(rule), message, source, span)
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

    // An old revision that needs not know the CRDs checked is read first, so that only the
    // trees of changed CRDs are kept for the comparison.
    let early = (opts.base.as_ref())
        .filter(|s| s.is_early())
        .and_then(|s| upgrade::read_base(s, opts, &[], &[], &mut report));
    let mut mode = load::crd_mode(opts, early.as_ref());
    // With an old revision, or `resources` to validate against the checked CRDs (read after the
    // index is built), the CRDs keep their schemas: the comparison and those resources need them.
    mode.strip = opts.base.is_none() && opts.resources.is_empty();
    // Two passes over the inputs: the first reads every file for what the files say about each
    // other (CRDs, linted then stripped of their compiled schemas; patches; kustomizations;
    // the kinds of the resources), keeping trees only up to a budget; the second checks each
    // file and lets it go, so what a run holds grows with its diagnostics, not its inputs.
    let retention = Retention::new(RETAINED_TEXT);
    let wanted = std::sync::Mutex::new(std::collections::BTreeSet::new());
    let early_check = EarlyCheck::new(opts, &inputs, &crd_only);
    let mut files: Vec<Loaded> = inputs
        .par_iter()
        .map(|i| {
            let l = load(i, opts, &mode);
            let mut kinds = std::collections::BTreeSet::new();
            add_kinds(&l, &mut kinds);
            if !kinds.is_empty() {
                // Inserted one by one: `append` merges the two sets into a new tree, the whole
                // set rebuilt for every file.
                wanted
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(kinds);
            }
            let mut l = match &early_check {
                Some(early) => early.check(l, opts),
                None => l,
            };
            if l.checked.is_some() {
                return l;
            }
            if mode.strip {
                l.strip_crds();
            }
            retention.keep_or_release(l, i)
        })
        .collect();
    let wanted = wanted.into_inner().unwrap_or_else(|e| e.into_inner());
    restore_crds(&mut files, &wanted);
    let wanted: Vec<(String, String)> = wanted.into_iter().collect();
    let (crd_files, early_index) = match early_check {
        Some(early) => {
            let index = early.index;
            let crd_files: Vec<Loaded> = (early.sources.into_par_iter().zip(&crd_only))
                .map(|(l, i)| settle_crd_source(i, opts, &wanted, || l))
                .collect();
            (crd_files, Some(index))
        }
        None => {
            // When the sources serve only the run's resources and the comparison of checked CRDs
            // with them (`crd/duplicate`), only their CRDs of those groups and kinds are read.
            let used: Option<std::collections::HashSet<(&str, &str)>> =
                sources_serve_only_the_run(opts).then(|| {
                    (wanted.iter())
                        .map(|(g, k)| (g.as_str(), k.as_str()))
                        .chain(files.iter().flat_map(|f| {
                            f.crds().iter().map(|c| (c.group.as_str(), c.kind.as_str()))
                        }))
                        .collect()
                });
            let crd_files: Vec<Loaded> = crd_only
                .par_iter()
                .map(|i| load_crd_source(i, opts, &wanted, used.as_ref()))
                .collect();
            (crd_files, None)
        }
    };

    let (mut ws, index) = Workspace::build(&files, &crd_files);
    // The files checked as they were read stand when the run's CRDs answer what their checks
    // asked as the CRD sources alone did, and no file says anything about the others (else the
    // workspace, its patch files, would differ); otherwise they are read and checked again.
    if let Some(early_index) = early_index {
        let stands = !files.iter().any(Loaded::informs_others) && early_index.answers_as(&index);
        if !stands {
            for (f, i) in files.iter_mut().zip(&inputs) {
                if f.checked.take().is_some() {
                    f.released = Some(i.clone());
                }
            }
        }
    }
    ws.compare_only = opts.diff;
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
    // Resources of the CRDs among the checked files, from `resources`.
    let extra = if opts.diff {
        Vec::new()
    } else {
        resources::load(opts, &files, &checked, &ws)
    };
    let late = || opts.base.as_ref().filter(|s| !s.is_early());
    let base = early.or_else(|| {
        late().and_then(|s| upgrade::read_base(s, opts, &files, &crd_files, &mut report))
    });
    if let Some(base) = base {
        upgrade::compare(base, opts, &mut files, &mut ws, &mut report);
    }
    // Of the CRD sources only their CRDs (in the index) are needed from here on.
    drop(crd_files);
    let extra_kinds = if extra.is_empty() {
        Vec::new()
    } else {
        resources::kinds(&files, &ws)
    };
    let reload = |i: &Input| load(i, opts, &mode);
    let check = |files: Vec<Loaded>, into: &mut Report| {
        check_files(
            files,
            &reload,
            opts.keep_source_text,
            &index,
            &ws,
            &opts.rules,
            opts.max_diagnostics_per_file,
            into,
        )
    };
    check(files, &mut report);
    if !extra.is_empty() {
        let mut more = Report::default();
        check(extra, &mut more);
        resources::merge(more, &extra_kinds, &mut report);
    }
    finish(&mut report);
    report
}

/// Checking a file as it is read, in the first pass: when the only CRDs of a run may be its CRD
/// sources (no old revision, no `resources`, not `diff`) and those are small (in all, and for
/// the number of files checked: [`EARLY_CHECK_SOURCES`]), they are read
/// whole first (before the kinds of the run are known), and each file that says nothing about
/// the others is checked against them as soon as it is read, its trees let go at once: no
/// tree is kept for a second pass, and no file read twice. Whether that holds is settled after
/// the first pass (see `run`): a file with a CRD, a CRD patch or a kustomization turns it off
/// for the files read after it and undoes it for those read before.
struct EarlyCheck {
    /// The CRD sources, read whole.
    sources: Vec<Loaded>,
    index: CrdIndex,
    ws: Workspace,
    /// A file says something about the others: no more files are checked early.
    off: std::sync::atomic::AtomicBool,
}

/// The CRD sources read whole for an early check, at most: in all, and per checked file. Past
/// it they are scanned for the kinds of the run first, as usual: a pre-commit or editor check
/// of one file against a repository's CRDs reads only the CRDs that file needs (one file
/// against 3.7 MB of sources took 28 ms read whole, 12 ms scanned).
const EARLY_CHECK_SOURCES: u64 = 4 << 20;
const EARLY_CHECK_SOURCES_PER_FILE: u64 = 64 << 10;

impl EarlyCheck {
    fn new(opts: &Options, inputs: &[Input], crd_only: &[&Input]) -> Option<Self> {
        if !sources_serve_only_the_run(opts) {
            return None;
        }
        let limit = EARLY_CHECK_SOURCES
            .min(EARLY_CHECK_SOURCES_PER_FILE.saturating_mul(inputs.len() as u64));
        let mut size = 0u64;
        for i in crd_only {
            match i {
                Input::File(p) => {
                    size = size.saturating_add(std::fs::metadata(p).map_or(u64::MAX, |m| m.len()))
                }
                Input::Stdin { .. } => return None,
            }
            if size > limit {
                return None;
            }
        }
        let sources: Vec<Loaded> = crd_only
            .par_iter()
            .map(|i| load_whole_crd_source(i, opts))
            .collect();
        let names: Vec<String> = inputs.iter().map(Input::display_name).collect();
        let (ws, index) = Workspace::before_reading(names.iter().map(String::as_str), &sources);
        Some(EarlyCheck {
            sources,
            index: index.recording(),
            ws,
            off: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// `l` checked (only its name and outcome kept, in `checked`), or `l` as it was when it
    /// says something about the others or early checks are off.
    fn check(&self, l: Loaded, opts: &Options) -> Loaded {
        use std::sync::atomic::Ordering;
        if self.off.load(Ordering::Relaxed) {
            return l;
        }
        if l.informs_others() {
            self.off.store(true, Ordering::Relaxed);
            return l;
        }
        let (name, mut outcome) = document::check_one(
            l,
            opts.keep_source_text,
            &self.index,
            &self.ws,
            &opts.rules,
            opts.max_diagnostics_per_file,
        );
        outcome.shrink_to_fit();
        // Not `released`: the input is named again only if the check does not stand.
        Loaded {
            checked: Some(Box::new(outcome)),
            ..Loaded::named(&name)
        }
    }
}

/// Whether the CRD sources serve only to validate the run's resources (and to compare the
/// checked CRDs with them): not with an old revision, `resources` or `diff`, which use them
/// otherwise.
fn sources_serve_only_the_run(opts: &Options) -> bool {
    opts.base.is_none() && opts.resources.is_empty() && !opts.diff
}

/// Sort the diagnostics and files of a report, and count them in its summary.
fn finish(report: &mut Report) {
    report
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report.files.sort_by(|a, b| a.name.cmp(&b.name));
    report.summary.count(&report.diagnostics);
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
    let (ws, mut index) = Workspace::build(std::slice::from_ref(&file), &[]);
    index.extend_from(base);
    let mut report = Report::default();
    let reload = |i: &Input| load_text(&i.display_name(), text, rules);
    check_files(
        vec![file],
        &reload,
        true,
        &index,
        &ws,
        rules,
        DEFAULT_MAX_DIAGNOSTICS_PER_FILE,
        &mut report,
    );
    finish(&mut report);
    report
}

/// Whether a report should fail a run (any error-severity diagnostic).
pub fn has_errors(report: &Report) -> bool {
    report
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
}

mod upgrade;

#[cfg(test)]
mod cel_tests;
