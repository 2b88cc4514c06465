//! Reading the inputs: bytes (bounded), text (UTF-8, not binary), YAML documents, and the CRDs
//! among them, read by `model` and, for checked files, linted.

use super::*;
use crate::model::kustomize;

/// One input, read and parsed.
/// A CRD document of a checked file, once read and linted.
pub(super) struct CrdDoc {
    pub(super) index: usize,
    pub(super) name: Option<String>,
    /// Where findings about the document as a whole point (its `metadata.name`).
    pub(super) name_span: Span,
    pub(super) findings: Vec<lint::Finding>,
    /// The document, kept until it is compared with the old revision (`--base`, `diff`).
    pub(super) tree: Option<Node>,
}

pub(super) struct Loaded {
    pub(super) source: Arc<SourceFile>,
    pub(super) docs: Vec<yaml::Document>,
    /// What the file says about the others; None for most files (see [`Informs`]).
    pub(super) informs: Option<Box<Informs>>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) unreadable: bool,
    /// Set when the file's documents and text were let go after the first pass over the inputs
    /// (see [`Retention`]): the input to read and parse again when the file is checked.
    pub(super) released: Option<Input>,
    /// The CRDs of `crds` were linted and then let go of their compiled schemas (see
    /// [`Loaded::strip_crds`]): read again from the text before a resource is validated.
    pub(super) crds_stripped: bool,
    /// The file was checked as it was read, against the CRD sources alone (see `check::run`):
    /// its outcome. Kept when the run's CRDs answer its questions the same; otherwise the file
    /// is read and checked again.
    pub(super) checked: Option<Box<super::document::FileOutcome>>,
}

/// What a file says about the others: its CRDs, CRD patches and kustomizations. Boxed in
/// [`Loaded`], as most files have none: a run keeps a `Loaded` per file to its end, and these
/// four lists were half of it.
#[derive(Default)]
pub(super) struct Informs {
    /// CRDs read from this file.
    pub(super) crds: Vec<Arc<model::Crd>>,
    /// Per CRD document: its index, the CRD's name and what lint found in it. CRD trees are
    /// dropped once read and linted, so only these remain.
    pub(super) crd_docs: Vec<CrdDoc>,
    /// CRD documents that are kustomize patches: their index, and the CRD whose conversion
    /// webhook they set, if they do.
    pub(super) crd_patches: Vec<(usize, Option<String>)>,
    /// The patch files the kustomizations in this file apply.
    pub(super) patch_files: Vec<PathBuf>,
}

pub(super) fn too_large(len: u64, limit: u64) -> String {
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

pub(super) fn read_input(input: &Input, opts: &Options) -> Result<Vec<u8>, String> {
    let bytes = match input {
        Input::Stdin { .. } => opts.stdin_text.clone().unwrap_or_default(),
        Input::File(p) => {
            let (file, len) = open_checked(p, opts)?;
            // Sized from the length, so the text is not kept in a vector grown by doubling.
            let mut bytes = Vec::with_capacity(len as usize + 1);
            std::io::Read::read_to_end(
                &mut std::io::Read::take(file, opts.max_file_size.saturating_add(1)),
                &mut bytes,
            )
            .map_err(|e| discover::io_reason(&e))?;
            bytes
        }
    };
    if bytes.len() as u64 > opts.max_file_size {
        return Err(stream_too_large(opts.max_file_size));
    }
    Ok(bytes)
}

/// A file opened for reading, with its length, once it is known to be no directory and not
/// over the size limit (checked before reading, so a huge file is never loaded).
fn open_checked(p: &std::path::Path, opts: &Options) -> Result<(std::fs::File, u64), String> {
    // Opened first and asked about through the descriptor: one path lookup, not two.
    let file = std::fs::File::open(p).map_err(|e| discover::io_reason(&e))?;
    let meta = file.metadata().map_err(|e| discover::io_reason(&e))?;
    if meta.is_dir() {
        return Err("is a directory".into());
    }
    if meta.len() > opts.max_file_size {
        return Err(too_large(meta.len(), opts.max_file_size));
    }
    // Pipes and devices report no length: reads from it are bounded by the caller.
    Ok((file, meta.len()))
}

/// Whether `text` holds an escape of a double-quoted YAML (or JSON) string that can spell the
/// characters of a group or kind otherwise than literally: `\x`, `\u`, `\U` or an escaped
/// line break (LF, CR, NEL, LS, PS), which joins two lines. (The other escapes stand for
/// characters no group or kind holds.) A source holding one may define a CRD whose group and
/// kind its text does not show. One pass for the backslashes, which are rare.
fn holds_name_hiding_escape(text: &[u8]) -> bool {
    memchr::memchr_iter(b'\\', text).any(|i| {
        let after = &text[i + 1..];
        matches!(after.first(), Some(b'x' | b'u' | b'U' | b'\n' | b'\r'))
            || ["\u{85}", "\u{2028}", "\u{2029}"]
                .iter()
                .any(|b| after.starts_with(b.as_bytes()))
    })
}

/// The longest [`holds_name_hiding_escape`] looks for: a backslash and LS or PS.
const LONGEST_ESCAPE: usize = 4;

/// Whether an input holds both strings of one of the pairs `wanted`, or an escape that could
/// spell them ([`holds_name_hiding_escape`]), read a block at a time into a buffer of the
/// thread's (no whole copy of a large file, no fresh memory per file). The same errors as
/// [`read_input`] (a directory, over the size limit, unreadable).
fn mentions_any_pair(
    input: &Input,
    opts: &Options,
    wanted: &[(String, String)],
) -> Result<bool, String> {
    let needles: Vec<&[u8]> = wanted
        .iter()
        .flat_map(|(g, k)| [g.as_bytes(), k.as_bytes()])
        .collect();
    let mut found = vec![false; needles.len()];
    let scan = |text: &[u8], found: &mut [bool]| {
        for (i, n) in needles.iter().enumerate() {
            found[i] = found[i] || memchr::memmem::find(text, n).is_some();
        }
        found.chunks(2).any(|pair| pair.iter().all(|f| *f)) || holds_name_hiding_escape(text)
    };
    let file = match input {
        Input::Stdin { .. } => {
            let text = opts.stdin_text.as_deref().unwrap_or_default();
            if text.len() as u64 > opts.max_file_size {
                return Err(stream_too_large(opts.max_file_size));
            }
            return Ok(scan(text, &mut found));
        }
        Input::File(p) => open_checked(p, opts)?.0,
    };
    const BLOCK: usize = 256 << 10;
    thread_local! {
        static SCAN: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    // A string split over two blocks is found in the next: each block starts with the last
    // bytes of the one before, as many as the longest string less one.
    let overlap = needles
        .iter()
        .map(|n| n.len())
        .fold(LONGEST_ESCAPE, usize::max)
        .saturating_sub(1);
    SCAN.with(|buf| {
        let mut buf = buf.borrow_mut();
        buf.resize(BLOCK + overlap, 0);
        let mut reader = std::io::Read::take(file, opts.max_file_size.saturating_add(1));
        let (mut kept, mut total) = (0usize, 0u64);
        loop {
            let n = std::io::Read::read(&mut reader, &mut buf[kept..])
                .map_err(|e| discover::io_reason(&e))?;
            if n == 0 {
                return Ok(false);
            }
            total += n as u64;
            if total > opts.max_file_size {
                return Err(stream_too_large(opts.max_file_size));
            }
            let end = kept + n;
            if scan(&buf[..end], &mut found) {
                return Ok(true);
            }
            kept = overlap.min(end);
            buf.copy_within(end - kept..end, 0);
        }
    })
}

impl Loaded {
    fn empty(source: Arc<SourceFile>) -> Self {
        Loaded {
            source,
            docs: Vec::new(),
            informs: None,
            diagnostics: Vec::new(),
            unreadable: false,
            released: None,
            crds_stripped: false,
            checked: None,
        }
    }

    /// A file known only by its name.
    pub(super) fn named(name: &str) -> Self {
        Loaded::empty(SourceFile::new(name, String::new()))
    }

    /// Whether the file says something about the others: a CRD, a CRD patch, a kustomization.
    pub(super) fn informs_others(&self) -> bool {
        self.informs.as_ref().is_some_and(|i| {
            !(i.crds.is_empty()
                && i.crd_docs.is_empty()
                && i.crd_patches.is_empty()
                && i.patch_files.is_empty())
        })
    }

    /// The CRDs read from this file.
    pub(super) fn crds(&self) -> &[Arc<model::Crd>] {
        self.informs.as_ref().map_or(&[], |i| &i.crds)
    }

    pub(super) fn crd_docs(&self) -> &[CrdDoc] {
        self.informs.as_ref().map_or(&[], |i| &i.crd_docs)
    }

    pub(super) fn crd_patches(&self) -> &[(usize, Option<String>)] {
        self.informs.as_ref().map_or(&[], |i| &i.crd_patches)
    }

    pub(super) fn patch_files(&self) -> &[PathBuf] {
        self.informs.as_ref().map_or(&[], |i| &i.patch_files)
    }

    /// Let go of the compiled schemas (and the schema JSON kept for CEL) of this file's CRDs,
    /// once linted: most CRDs of a run validate no resource of it, and compiled schemas are the
    /// bulk of a CRD's memory. [`restore_crds`] reads the ones a resource needs again.
    /// They were read without what only validation needs (see [`CrdMode::strip`]): so each is
    /// read again before it validates, stripped here or not.
    pub(super) fn strip_crds(&mut self) {
        for crd in self.informs.iter_mut().flat_map(|i| &mut i.crds) {
            if let Some(crd) = Arc::get_mut(crd) {
                for v in &mut crd.versions {
                    v.schema = None;
                    v.cel_source = None;
                }
            }
            self.crds_stripped = true;
        }
    }

    /// Whether the file is nothing but resources (or other documents) to check: no CRD, no
    /// CRD patch, no kustomization, no finding about the file itself. Such a file adds nothing
    /// to what the files of a run say about each other, so it can be read again later.
    fn plain(&self) -> bool {
        !self.informs_others() && self.diagnostics.is_empty() && !self.unreadable
    }
}

/// How much of the inputs' text the first pass keeps parsed for the second. Every input is
/// read and parsed first (its CRDs, patches, kustomizations and kinds are needed before any
/// resource is checked); a plain file's documents stay in memory for its check while the text
/// kept stays under the budget, and past it the file is let go and read and parsed again when
/// it is checked. So a small run parses once, and a run over tens of thousands of files holds
/// at most the budget's worth of trees, not every file's.
pub(super) struct Retention {
    left: std::sync::atomic::AtomicUsize,
}

/// Text kept parsed between the passes (the trees take several times as much).
pub(super) const RETAINED_TEXT: usize = 2 << 20;

impl Retention {
    pub(super) fn new(budget: usize) -> Self {
        Retention {
            left: std::sync::atomic::AtomicUsize::new(budget),
        }
    }

    /// Keep `l` whole while the budget lasts; past it, keep only what the first pass needs.
    pub(super) fn keep_or_release(&self, l: Loaded, input: &Input) -> Loaded {
        use std::sync::atomic::Ordering;
        if !l.plain() || matches!(input, Input::Stdin { .. }) {
            return l;
        }
        let len = l.source.text.len();
        let kept = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(len)
            })
            .is_ok();
        if kept {
            return l;
        }
        Loaded {
            released: Some(input.clone()),
            ..Loaded::named(&l.source.name)
        }
    }
}

/// A file that yields one diagnostic about itself and nothing else.
pub(super) fn failed(
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
pub(super) fn internal_error(source: &Arc<SourceFile>) -> Diagnostic {
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
pub(super) fn guarded(name: &str, f: impl FnOnce() -> Loaded) -> Loaded {
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
pub(super) fn load_with(
    input: &Input,
    opts: &Options,
    parse: impl FnOnce(&str, Vec<u8>) -> Loaded,
) -> Loaded {
    let name = input.display_name();
    match read_input(input, opts) {
        Ok(bytes) => parse(&name, bytes),
        Err(reason) => {
            let message = format!("cannot read {name}: {reason}");
            failed(&name, String::new(), "input/unreadable", message, None)
        }
    }
}

/// What becomes of the CRD documents of a checked file.
pub(super) struct CrdMode {
    pub(super) ctx: lint::Context,
    /// Lint them (not in `diff`, which only compares).
    pub(super) lint: bool,
    /// Which trees to keep, to compare them with the old revision.
    pub(super) keep: Keep,
    /// The CRDs are let go of their compiled schemas once linted ([`Loaded::strip_crds`]), so
    /// what only validation needs is not built ([`crd::read_crd_for_lint`]).
    pub(super) strip: bool,
}

pub(super) enum Keep {
    Nothing,
    /// Every CRD's (the old revision is read once the CRDs are known: `--base`).
    All,
    /// Those of the CRDs the old revision (read first) defines differently.
    Changed(Arc<super::Base>),
}

impl CrdMode {
    fn keeps(&self, crd: Option<&model::Crd>) -> bool {
        match &self.keep {
            Keep::Nothing => false,
            Keep::All => true,
            Keep::Changed(base) => crd.is_some_and(|c| {
                base.get(&c.name)
                    .is_some_and(|b| b.spec_hash != c.spec_hash)
            }),
        }
    }
}

/// The lint settings of a run.
pub(super) fn lint_context(opts: &Options) -> lint::Context {
    let rules = &opts.rules;
    lint::Context {
        kubernetes_minor: rules.kubernetes_minor,
        // Rules off by default that no setting names: their findings would all be dropped.
        skip: (lint::RULES.iter().map(|r| r.id))
            .filter(|id| !rules.may_enable(id))
            .collect(),
    }
}

/// What becomes of the CRDs of checked files; `early`, the old revision when it was read first.
pub(super) fn crd_mode(opts: &Options, early: Option<&Arc<super::Base>>) -> CrdMode {
    CrdMode {
        ctx: lint_context(opts),
        lint: !opts.diff,
        keep: match (early, &opts.base) {
            (Some(b), _) => Keep::Changed(Arc::clone(b)),
            (None, Some(_)) => Keep::All,
            (None, None) => Keep::Nothing,
        },
        strip: false,
    }
}

/// A checked input: read, parsed, its CRDs read and linted.
pub(super) fn load(input: &Input, opts: &Options, mode: &CrdMode) -> Loaded {
    guarded(&input.display_name(), || {
        load_with(input, opts, |name, bytes| {
            parse_input(name, bytes, Some(mode))
        })
    })
}

/// A CRD source is parsed only when it mentions the group and kind of a resource being
/// checked: a cheap scan that keeps a pre-commit or editor check of one file from parsing and
/// compiling hundreds of CRDs it does not need. With `used`, of a source read only the CRDs
/// whose group and kind are in it are read into CRDs; the others are dropped once parsed, not
/// compiled: the scan matches a group and a kind anywhere in a file (of the ten
/// prometheus-operator CRD files a `Prometheus` resource makes it read, one defines it).
pub(super) fn load_crd_source(
    input: &Input,
    opts: &Options,
    wanted: &[(String, String)],
    used: Option<&std::collections::HashSet<(&str, &str)>>,
) -> Loaded {
    // Most CRD sources are not needed: each is scanned a block at a time, and read whole
    // only when it is.
    settle_crd_source(input, opts, wanted, || {
        load_whole_crd_source_of(input, opts, used)
    })
}

/// A CRD source read whole, also before the kinds of the run are known (see `check::run`), with
/// [`settle_crd_source`] to say whether the run uses it.
pub(super) fn load_whole_crd_source(input: &Input, opts: &Options) -> Loaded {
    load_whole_crd_source_of(input, opts, None)
}

/// [`load_whole_crd_source`], reading only the CRDs of `used` when given.
fn load_whole_crd_source_of(
    input: &Input,
    opts: &Options,
    used: Option<&std::collections::HashSet<(&str, &str)>>,
) -> Loaded {
    guarded(&input.display_name(), || {
        // Not reported on, so not linted.
        load_with(input, opts, |name, bytes| {
            parse_input_of(name, bytes, None, used)
        })
    })
}

/// A CRD source as a run uses it: `read()` (the source read whole) when it mentions the group
/// and kind of a resource `wanted`, nothing when not, and its read error when it cannot be
/// scanned.
pub(super) fn settle_crd_source(
    input: &Input,
    opts: &Options,
    wanted: &[(String, String)],
    read: impl FnOnce() -> Loaded,
) -> Loaded {
    let name = input.display_name();
    guarded(&name, || match mentions_any_pair(input, opts, wanted) {
        Ok(true) => read(),
        Ok(false) => Loaded::named(&name),
        Err(reason) => {
            let message = format!("cannot read {name}: {reason}");
            failed(&name, String::new(), "input/unreadable", message, None)
        }
    })
}

/// Read again, from the file's text, the CRDs [`Loaded::strip_crds`] stripped whose group and
/// kind are `wanted` (a resource of the run may be validated against them).
pub(super) fn restore_crds(
    files: &mut [Loaded],
    wanted: &std::collections::BTreeSet<(String, String)>,
) {
    let needed = |c: &model::Crd| wanted.contains(&(c.group.clone(), c.kind.clone()));
    // Each file is read again on a worker of its own: an operator's repository has a CRD file
    // per kind, each with samples.
    let restore = |f: &mut Loaded| {
        let docs = yaml::parse_stream(&f.source.text);
        for c in f
            .informs
            .iter_mut()
            .flat_map(|i| &mut i.crds)
            .filter(|c| needed(c))
        {
            let root = docs
                .iter()
                .find(|d| d.index == c.document)
                .and_then(|d| d.root.as_ref());
            if let Some(full) = root.and_then(|r| crd::read_crd(r, &f.source.name, c.document)) {
                *c = Arc::new(full);
            }
        }
        f.crds_stripped = false;
    };
    files
        .par_iter_mut()
        .filter(|f| f.crds_stripped && f.crds().iter().any(|c| needed(c)))
        .for_each(restore);
}

/// Add the group and kind of every resource in `file` to `wanted` (the kinds whose CRD
/// sources are read, see [`load_crd_source`], and whose CRDs among the checked files are kept
/// compiled, see [`restore_crds`]).
pub(super) fn add_kinds(file: &Loaded, wanted: &mut std::collections::BTreeSet<(String, String)>) {
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
    for root in file.docs.iter().filter_map(|d| d.root.as_ref()) {
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
}

pub(super) fn name_span(root: &Node) -> Span {
    root.get("metadata")
        .and_then(|m| m.get("name"))
        .map_or(root.span, |n| n.span)
}

pub(super) fn crd_name(root: &Node) -> Option<String> {
    let name = root.get("metadata")?.get("name")?.as_str()?;
    Some(name.to_string())
}

/// Decode and parse the bytes of one input, read its CRDs and, with a mode (a checked file),
/// lint them.
pub(super) fn parse_input(name: &str, bytes: Vec<u8>, mode: Option<&CrdMode>) -> Loaded {
    parse_input_of(name, bytes, mode, None)
}

/// [`parse_input`], reading only the CRDs whose group and kind are in `used`, when given.
fn parse_input_of(
    name: &str,
    bytes: Vec<u8>,
    mode: Option<&CrdMode>,
    used: Option<&std::collections::HashSet<(&str, &str)>>,
) -> Loaded {
    let name = name.to_string();
    // (memchr: a byte-at-a-time loop was 2% of checking small files.)
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
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
    // Of a source read for the run, the documents surely not of a used CRD are passed over
    // (a CRD file family: its CRDs' kinds are in their first lines).
    let docs = match used {
        Some(used) => yaml::parse_stream_passing_over(&text, yaml::MAX_DOCUMENTS, |doc| {
            crd::surely_none_of(doc, used)
        }),
        None => yaml::parse_stream(&text),
    };
    // A source read for the run serves only its CRDs from here on: its text is let go before
    // the next is read.
    let text = if used.is_some() { String::new() } else { text };
    let mut l = Loaded {
        docs,
        ..Loaded::empty(SourceFile::new(name.clone(), text))
    };
    let path = PathBuf::from(&name);
    for doc in &mut l.docs {
        let Some(root) = doc.root.as_ref() else {
            continue;
        };
        match model::classify(root) {
            DocKind::Crd
                if used
                    .is_some_and(|u| crd::group_kind(root).is_none_or(|gk| !u.contains(&gk))) =>
            {
                // Not used: as if the source did not hold it.
                doc.root = None;
            }
            DocKind::Crd => {
                // The tree is dropped once read and linted: what is left of it is the findings.
                let root = doc
                    .root
                    .take()
                    .unwrap_or_else(|| Node::new(yaml::Value::Null, doc.span));
                let crd = match mode {
                    Some(m) if m.strip => crd::read_crd_for_lint(&root, &name, doc.index),
                    _ => crd::read_crd(&root, &name, doc.index),
                };
                if let Some(mode) = mode {
                    let findings = if mode.lint {
                        lint::check_crd(&root, crd.as_ref(), &mode.ctx)
                    } else {
                        Vec::new()
                    };
                    l.informs.get_or_insert_default().crd_docs.push(CrdDoc {
                        index: doc.index,
                        name: crd_name(&root),
                        name_span: name_span(&root),
                        findings,
                        tree: mode.keeps(crd.as_ref()).then_some(root),
                    });
                }
                if let Some(crd) = crd {
                    l.informs.get_or_insert_default().crds.push(Arc::new(crd));
                }
            }
            DocKind::CrdPatch => {
                let webhook = kustomize::conversion_webhook_of(root).map(str::to_string);
                l.informs
                    .get_or_insert_default()
                    .crd_patches
                    .push((doc.index, webhook));
            }
            DocKind::Config | DocKind::Other if kustomize::is_kustomization(root, &path) => {
                let patches = kustomize::patch_files(root, &path);
                if !patches.is_empty() {
                    l.informs
                        .get_or_insert_default()
                        .patch_files
                        .extend(patches);
                }
            }
            _ => {}
        }
    }
    l
}

/// An in-memory file, read as stdin is read.
pub(super) fn load_text(name: &str, text: &str, rules: &RuleSettings) -> Loaded {
    let opts = Options {
        stdin_text: Some(text.as_bytes().to_vec()),
        rules: Arc::new(rules.clone()),
        ..Options::default()
    };
    let input = Input::Stdin {
        name: name.to_string(),
    };
    load(&input, &opts, &crd_mode(&opts, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Of a CRD source read for the run, only the CRDs of the groups and kinds used are read.
    #[test]
    fn a_crd_source_for_the_run_reads_only_the_crds_used() {
        let crd = |kind: &str| {
            format!(
                "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {{name: {k}s.example.com}}\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {{kind: {kind}, plural: {k}s}}\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema: {{type: object}}\n",
                k = kind.to_lowercase()
            )
        };
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("crds.yaml");
        std::fs::write(&file, format!("{}---\n{}", crd("Thing"), crd("Other"))).unwrap();
        let input = Input::File(file);
        let opts = Options::default();
        let wanted = vec![("example.com".to_string(), "Thing".to_string())];
        let kinds =
            |l: &Loaded| -> Vec<String> { l.crds().iter().map(|c| c.kind.clone()).collect() };
        assert_eq!(
            kinds(&load_crd_source(&input, &opts, &wanted, None)),
            ["Thing", "Other"]
        );
        let used = std::collections::HashSet::from([("example.com", "Thing")]);
        let l = load_crd_source(&input, &opts, &wanted, Some(&used));
        assert_eq!(kinds(&l), ["Thing"]);
        let used =
            std::collections::HashSet::from([("example.com", "Thing"), ("example.com", "Other")]);
        let l = load_crd_source(&input, &opts, &wanted, Some(&used));
        assert_eq!(kinds(&l), ["Thing", "Other"]);
    }

    /// A group and kind are found wherever they fall against the blocks a CRD source is
    /// scanned in, and only both together make the source needed.
    #[test]
    fn a_crd_source_is_needed_when_it_mentions_group_and_kind_across_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let wanted = vec![("demo.example.com".to_string(), "Widget".to_string())];
        let opts = Options::default();
        // Blocks end near 256 KiB and 512 KiB (plus the overlap): every offset around them.
        let near = |edge: usize| (edge - 20..edge + 40).step_by(3);
        for at in [0, 1000]
            .into_iter()
            .chain(near(256 << 10))
            .chain(near(512 << 10))
        {
            let mut text = "#".repeat(at);
            text.push_str("group: demo.example.com\n");
            text.push_str(&"#".repeat(300 << 10));
            let file = dir.path().join(format!("{at}.yaml"));
            std::fs::write(&file, format!("{text}kind: Widget\n")).unwrap();
            let input = Input::File(file.clone());
            assert_eq!(mentions_any_pair(&input, &opts, &wanted), Ok(true), "{at}");
            std::fs::write(&file, &text).unwrap();
            assert_eq!(mentions_any_pair(&input, &opts, &wanted), Ok(false), "{at}");
            // A kind that may be spelled with escapes, split anywhere across the blocks.
            for escape in ["kind: \"W\\x69dget\"", "k: \"\\\u{2028}\""] {
                let (before, after) = text.split_at(at + 30);
                std::fs::write(&file, format!("{before}{escape}{after}")).unwrap();
                assert_eq!(mentions_any_pair(&input, &opts, &wanted), Ok(true), "{at}");
            }
        }
        let small = Options {
            max_file_size: 10,
            ..Options::default()
        };
        let input = Input::File(dir.path().join("0.yaml"));
        assert!(mentions_any_pair(&input, &small, &wanted).is_err());
        let input = Input::File(dir.path().to_path_buf());
        assert_eq!(
            mentions_any_pair(&input, &opts, &wanted),
            Err("is a directory".to_string())
        );
    }
}
