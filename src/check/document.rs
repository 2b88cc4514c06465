//! Checking loaded files document by document: YAML problems, CRD lint findings, resources
//! validated against the CRD index; then rule settings, suppressions and the diagnostic cap.

use super::workspace::{ConversionPatch, Workspace};
use super::*;
use crate::builtin;
use std::borrow::Cow;

/// Check loaded files against an index, adding to `report` (sorted, counted). Each file is
/// let go once checked (its text stays only where a diagnostic points into it); a file the
/// first pass released is read again with `reload` first. Without `keep_text`, diagnostics
/// keep only their file's line index.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_files(
    files: Vec<Loaded>,
    reload: &(dyn Fn(&Input) -> Loaded + Sync),
    keep_text: bool,
    index: &CrdIndex,
    ws: &Workspace,
    rules: &RuleSettings,
    max_diagnostics: usize,
    report: &mut Report,
) {
    report.summary.files += files.len();
    let per_file: Vec<(String, FileOutcome)> = files
        .into_par_iter()
        .map(|mut f| {
            if let Some(done) = f.checked.take() {
                return (f.source.name.clone(), *done);
            }
            let f = match &f.released {
                Some(input) => reload(input),
                None => f,
            };
            check_one(f, keep_text, index, ws, rules, max_diagnostics)
        })
        .collect();
    for (name, o) in per_file {
        report.diagnostics.extend(o.diagnostics);
        report.summary.documents += o.documents;
        report.summary.resources += o.resources.len();
        report.files.push(CheckedFile {
            name,
            resources: o.resources,
            origins: o.origins,
        });
        report.summary.crds += o.crds;
        report.unreadable |= o.unreadable;
    }
}

/// One file's name and outcome; a panic while checking it is the file's `internal/panic`. The
/// diagnostics keep the file's text only when `keep_text`.
pub(super) fn check_one(
    mut f: Loaded,
    keep_text: bool,
    index: &CrdIndex,
    ws: &Workspace,
    rules: &RuleSettings,
    max_diagnostics: usize,
) -> (String, FileOutcome) {
    let documents = yaml::documents_read(&f.docs);
    let mut outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_file(&mut f, index, ws, rules, max_diagnostics)
    }))
    .unwrap_or_else(|_| {
        let d = internal_error(&f.source);
        FileOutcome {
            diagnostics: vec![d],
            documents,
            unreadable: true,
            ..FileOutcome::default()
        }
    });
    if !keep_text && !outcome.diagnostics.is_empty() {
        let offsets = outcome
            .diagnostics
            .iter()
            .filter(|d| Arc::ptr_eq(&d.source, &f.source))
            .filter_map(|d| d.span)
            .flat_map(|s| [s.start, s.end]);
        let bare = f.source.without_text(offsets);
        for d in &mut outcome.diagnostics {
            if Arc::ptr_eq(&d.source, &f.source) {
                d.source = Arc::clone(&bare);
            }
        }
    }
    (f.source.name.clone(), outcome)
}

impl FileOutcome {
    /// Let go of the room its lists grew into: an outcome kept until the run's end takes only
    /// what it holds.
    pub(super) fn shrink_to_fit(&mut self) {
        self.diagnostics.shrink_to_fit();
        self.resources.shrink_to_fit();
        self.origins.shrink_to_fit();
    }
}

#[derive(Default)]
pub(super) struct FileOutcome {
    diagnostics: Vec<Diagnostic>,
    documents: usize,
    resources: Vec<(usize, Arc<ResourceRef>)>,
    crds: usize,
    unreadable: bool,
    /// Documents a rendered stream attributes to a file (see `origins`).
    origins: Vec<(usize, Arc<str>)>,
}

/// All diagnostics of one file, with its counts. The documents' trees are used up (a resource
/// is validated on its own tree, not a copy): what is left of each is its span and problems.
pub(super) fn check_file(
    f: &mut Loaded,
    index: &CrdIndex,
    ws: &Workspace,
    rules: &RuleSettings,
    max_diagnostics: usize,
) -> FileOutcome {
    // Documents are independent: a long stream is checked in parallel, and the report is
    // sorted afterwards, so the output does not depend on the schedule.
    let mut docs = std::mem::take(&mut f.docs);
    let per_doc: Vec<FileOutcome> = docs
        .par_iter_mut()
        .map(|doc| check_document(f, doc, index, ws, rules.kubernetes_minor))
        .collect();
    f.docs = docs;
    let f = &*f;
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
    attribute(f, &mut outcome);
    outcome
}

/// Helm's attribution of a rendered document: `helm template` starts each document with
/// `# Source: chart/templates/x.yaml`, the line after the `---`.
fn helm_source(text: &str, doc: &yaml::Document) -> Option<Arc<str>> {
    // A document's span may begin at its `---` (the first document of a stream) or after it.
    let first = text
        .get(doc.span.start..doc.span.end)?
        .lines()
        .find(|l| !l.trim().is_empty() && l.trim_end() != "---")?;
    let path = first.strip_prefix("# Source: ")?.trim();
    (!path.is_empty()).then(|| Arc::from(path))
}

/// Name the origin of each document of a rendered stream on its diagnostics (by document, or
/// for a diagnostic without one, by the document its span is in). Nothing changes for a file
/// without `# Source:` comments.
fn attribute(f: &Loaded, outcome: &mut FileOutcome) {
    let origins: Vec<(usize, Span, Arc<str>)> = f
        .docs
        .iter()
        .filter_map(|d| helm_source(&f.source.text, d).map(|o| (d.index, d.span, o)))
        .collect();
    if origins.is_empty() {
        return;
    }
    for d in &mut outcome.diagnostics {
        let found = match (d.document, d.span) {
            (Some(doc), _) => origins.iter().find(|(i, _, _)| *i == doc),
            (None, Some(span)) => origins
                .iter()
                .find(|(_, s, _)| s.start <= span.start && span.start < s.end.max(s.start + 1)),
            (None, None) => None,
        };
        d.origin = found.map(|(_, _, o)| Arc::clone(o));
    }
    outcome.origins = origins.into_iter().map(|(i, _, o)| (i, o)).collect();
}

/// Keep at most `max` diagnostics (0: all), the most severe first, so that the exit status
/// stays right; but never hide a document's first error: every document with an error keeps
/// it, even past `max`, so every format shows every failing document. The rest are counted in
/// one `input/too-many-diagnostics` about the file.
pub(super) fn cap_diagnostics(
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

/// What is wrong with a document's YAML. kubectl refuses what these report, but only for what
/// it is given to apply: a Go template (`{{ .Values.x }}`, a generator's input, not a manifest)
/// that YAML cannot read is one `yaml/template` info instead, and in a document that is not a
/// Kubernetes object (no `apiVersion` and `kind`: a tool's configuration, Helm values) the
/// problems are warnings.
fn yaml_problems(f: &Loaded, doc: &yaml::Document) -> Vec<Diagnostic> {
    if doc.problems.is_empty() {
        return Vec::new();
    }
    let text = f
        .source
        .text
        .get(doc.span.start..doc.span.end)
        .unwrap_or_default();
    let unreadable = doc
        .problems
        .iter()
        .any(|p| matches!(p.kind, ProblemKind::Syntax));
    if unreadable && text.contains("{{") {
        let first_line = text.find('\n').unwrap_or(text.len());
        let d = diag(
            "yaml/template",
            "this document is a template (it holds `{{ ... }}` and is not YAML as written): it was not read",
            &f.source,
            Some(Span::new(doc.span.start, doc.span.start + first_line)),
        )
        .with_document(doc.index);
        return vec![d];
    }
    let object = match &doc.root {
        Some(root) => root.get("apiVersion").is_some() || root.get("kind").is_some(),
        // Not read: an object if a line at the top level names its apiVersion or kind.
        None => text.lines().any(|l| {
            l.starts_with("apiVersion:")
                || l.starts_with("kind:")
                || l.contains("\"apiVersion\"")
                || l.contains("\"kind\"")
        }),
    };
    doc.problems
        .iter()
        .map(|p| {
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
            if !object && d.severity == Severity::Error {
                d.severity = Severity::Warning;
                d.help = Some("this document is not a Kubernetes object (it has no apiVersion or kind), so kubectl never reads it; other tools may".into());
            }
            d
        })
        .collect()
}

/// A lint finding as a diagnostic of document `doc`.
pub(super) fn finding_diagnostic(
    p: &lint::Finding,
    source: &Arc<SourceFile>,
    doc: usize,
) -> Diagnostic {
    let mut d = diag(p.rule, p.message.clone(), source, Some(p.span)).with_document(doc);
    d.help = p.help.clone();
    d.change = p.change.clone();
    let (field, reason) = p.field_and_reason();
    d.field = field.map(str::to_string);
    d.reason = reason;
    d
}

pub(super) fn check_document(
    f: &Loaded,
    doc: &mut yaml::Document,
    index: &CrdIndex,
    ws: &Workspace,
    minor: Option<u32>,
) -> FileOutcome {
    let mut out = Vec::new();
    let mut resources = Vec::new();
    let mut crds = 0;
    'document: {
        out.extend(yaml_problems(f, doc));
        if let Some(c) = f.crd_docs().iter().find(|c| c.index == doc.index) {
            let to_diagnostic = |p: &lint::Finding| finding_diagnostic(p, &f.source, doc.index);
            if ws.is_patch_file(&f.source.name) {
                let patch = lint::crd::kustomize_patch::finding(c.name.as_deref(), c.name_span);
                out.push(to_diagnostic(&patch));
                break 'document;
            }
            crds += 1;
            let conversion = c.name.as_ref().and_then(|n| ws.conversion_patches.get(n));
            for p in &c.findings {
                if p.rule != lint::version::conversion_none::ID {
                    out.push(to_diagnostic(p));
                    continue;
                }
                match conversion {
                    // The webhook a kustomization applies is the CRD's conversion.
                    Some(ConversionPatch::Applied) => {}
                    Some(ConversionPatch::NotApplied { file }) => {
                        let mut p = p.clone();
                        lint::version::conversion_none::with_unapplied_patch(&mut p, file);
                        out.push(to_diagnostic(&p));
                    }
                    None => out.push(to_diagnostic(p)),
                }
            }
            let key = (f.source.name.clone(), doc.index);
            out.extend(
                ws.duplicates
                    .get(&key)
                    .into_iter()
                    .flatten()
                    .map(to_diagnostic),
            );
            break 'document;
        }
        let Some(root) = doc.root.as_ref().filter(|r| r.as_map().is_some()) else {
            break 'document;
        };
        if ws.compare_only {
            break 'document;
        }
        match model::classify(root) {
            DocKind::Other | DocKind::Config | DocKind::Crd => {}
            DocKind::CrdPatch => {
                let name = super::load::crd_name(root);
                let span = super::load::name_span(root);
                let patch = lint::crd::kustomize_patch::finding(name.as_deref(), span);
                out.push(finding_diagnostic(&patch, &f.source, doc.index));
            }
            DocKind::LegacyCrd => out.extend(
                lint::check_legacy_crd(root)
                    .iter()
                    .map(|p| finding_diagnostic(p, &f.source, doc.index)),
            ),
            DocKind::List => {
                for item in root.get("items").and_then(Node::as_seq).unwrap_or_default() {
                    if item.as_map().is_some()
                        && !matches!(model::classify(item), DocKind::Other | DocKind::Config)
                    {
                        let r = Arc::new(resource_ref(item));
                        resources.push((doc.index, Arc::clone(&r)));
                        let item = Cow::Borrowed(item);
                        check_resource(item, r, doc.index, f, index, ws, minor, &mut out);
                    }
                }
            }
            // A partial object kustomize merges into another: not a resource of its own.
            DocKind::Resource if ws.is_patch_file(&f.source.name) => {
                let r = resource_ref(root);
                let at = root.get("kind").map(|n| n.span);
                let message = format!(
                    "{} {} is a kustomize patch (a kustomization names this file under patches): not validated on its own",
                    r.api_version, r.kind
                );
                out.push(
                    diag("resource/kustomize-patch", message, &f.source, at)
                        .with_document(doc.index),
                );
            }
            DocKind::Resource => {
                let r = Arc::new(resource_ref(root));
                resources.push((doc.index, Arc::clone(&r)));
                // Validated on the document's own tree, which it changes (pruned, defaulted):
                // nothing reads the tree after this.
                if let Some(root) = doc.root.take() {
                    check_resource(
                        Cow::Owned(root),
                        r,
                        doc.index,
                        f,
                        index,
                        ws,
                        minor,
                        &mut out,
                    );
                }
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

pub(super) fn resource_ref(node: &Node) -> ResourceRef {
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

#[allow(clippy::too_many_arguments)]
pub(super) fn check_resource(
    node: Cow<'_, Node>,
    r: Arc<ResourceRef>,
    doc: usize,
    f: &Loaded,
    index: &CrdIndex,
    ws: &Workspace,
    minor: Option<u32>,
    out: &mut Vec<Diagnostic>,
) {
    let (group, version) = model::split_api_version(&r.api_version);
    if model::is_client_side_config(&r.api_version, &r.kind) {
        return;
    }
    let at_type = node
        .get("kind")
        .map(|n| n.span)
        .or_else(|| node.get("apiVersion").map(|n| n.span));
    let at_version = node.get("apiVersion").map(|n| n.span);
    let mut push = |d: Diagnostic| {
        let mut d = d;
        d.document = Some(doc);
        d.resource = Some(Arc::clone(&r));
        out.push(d);
    };
    let builtin_crd;
    let crd: &model::Crd = match index.get(group, &r.kind) {
        // A CRD loaded for a built-in group still wins.
        Some(crd) => crd,
        None if builtin::is_builtin_group(group) => {
            match builtin_kind(&r, minor, f, at_type, at_version, &mut push) {
                Some(c) => {
                    builtin_crd = c;
                    &builtin_crd
                }
                None => return,
            }
        }
        None => {
            push(missing_crd(&r, group, f, at_type));
            return;
        }
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
            at_version,
        )
        .with_help(format!("served versions: {}", served.join(", ")));
        let breaks = ratchet(
            &node,
            &r,
            crd,
            version,
            &[(None, d.rule)],
            ws,
            f,
            at_version,
        );
        push(d);
        breaks.into_iter().for_each(push);
        return;
    };
    if v.deprecated {
        let warning = v
            .deprecation_warning
            .clone()
            .unwrap_or_else(|| model::crd::default_deprecation_warning(crd, &v.name));
        push(diag(
            "resource/deprecated-version",
            warning,
            &f.source,
            at_version,
        ));
    }
    // With an old revision the resource may be validated again against it (`ratchet`), so it
    // is validated on a copy.
    let for_ratchet = ws.base.as_ref().map(|_| node.clone());
    let found: Vec<Diagnostic> = validate::validate_resource(node, crd, v)
        .into_iter()
        .map(|e| field_diagnostic(e, &f.source))
        .collect();
    let errors: Vec<(Option<&str>, &'static str)> = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.field.as_deref(), d.rule))
        .collect();
    let breaks =
        for_ratchet.and_then(|n| ratchet(&n, &r, crd, version, &errors, ws, f, at_version));
    found.into_iter().chain(breaks).for_each(push);
}

/// With an old revision (`--base`): whether a resource that fails now (`errors`: field and
/// rule of each error) was valid against the old revision of its CRD; if so, the
/// `upgrade/breaks-resource` diagnostic that says so and names the changes that explain it.
#[allow(clippy::too_many_arguments)]
fn ratchet(
    node: &Node,
    r: &ResourceRef,
    crd: &model::Crd,
    version: &str,
    errors: &[(Option<&str>, &'static str)],
    ws: &Workspace,
    f: &Loaded,
    at: Option<Span>,
) -> Option<Diagnostic> {
    use lint::upgrade::breaks_resource;
    if errors.is_empty() || crd.builtin {
        return None;
    }
    let base = ws.base.as_ref()?;
    let old = base.get(&crd.name)?;
    if old.spec_hash == crd.spec_hash {
        return None;
    }
    let old_crd = old.crd()?;
    let old_version = old_crd.version(version).filter(|v| v.served)?;
    let valid_before = validate::validate_resource(Cow::Borrowed(node), old_crd, old_version)
        .iter()
        .all(|e| e.status_dropped || rules::severity(e.rule) != Severity::Error);
    if !valid_before {
        return None;
    }
    let fields: Vec<&str> = errors.iter().filter_map(|(f, _)| *f).collect();
    let findings = ws
        .upgrades
        .get(&crd.name)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let causes = breaks_resource::causes(findings, version, &fields);
    let what = match &r.name {
        Some(n) => format!("{} {n:?}", r.kind),
        None => r.kind.clone(),
    };
    let message = breaks_resource::message(&what, &crd.name, &base.label, errors, &causes);
    Some(diag(breaks_resource::ID, message, &f.source, at))
}

/// The diagnostic of a resource no CRD defines.
fn missing_crd(r: &ResourceRef, group: &str, f: &Loaded, at_type: Option<Span>) -> Diagnostic {
    if let Some(project) = model::third_party_project(group) {
        return diag(
            "resource/third-party-crd",
            format!(
                "{}, Kind={} is defined by a CRD of {project}, which is not among the checked files: the resource was not validated",
                r.api_version, r.kind
            ),
            &f.source,
            at_type,
        )
        .with_help(format!(
            "to validate it, pass {project}'s CRDs with --crds PATH or `crds` in crdlint.toml"
        ));
    }
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
}

/// A resource of a built-in group under the targeted Kubernetes version (`kubernetes-version`,
/// default the newest embedded): removed, deprecated or unknown API versions are reported, and
/// the kind's schema is returned to validate against when it is served.
fn builtin_kind(
    r: &ResourceRef,
    minor: Option<u32>,
    f: &Loaded,
    at_type: Option<Span>,
    at_version: Option<Span>,
    push: &mut dyn FnMut(Diagnostic),
) -> Option<Arc<model::Crd>> {
    use builtin::ApiStatus;
    let (group, version) = model::split_api_version(&r.api_version);
    let target = minor.unwrap_or_else(builtin::latest);
    // Schemas are embedded for 1.23 to 1.35: a target outside takes the nearest; whether the
    // API is served is still decided for the target itself where the lifecycle data knows.
    let embedded = target.clamp(builtin::versions()[0], builtin::latest());
    let lifecycle = builtin::lifecycle(group, version, &r.kind);
    let removed_by_target = lifecycle.filter(|l| l.removed.is_some_and(|m| m <= target));
    let status = match removed_by_target {
        Some(l) => ApiStatus::Removed(l),
        None if target < embedded && lifecycle.is_some_and(|l| l.removed.is_some()) => {
            // Removed later than the (older) target: served there, validated with the oldest
            // embedded schema when that still has it.
            match builtin::kind(embedded, group, version, &r.kind) {
                Some(_) => ApiStatus::Served,
                None => {
                    push(builtin_skipped(r, target, f, at_type));
                    return None;
                }
            }
        }
        None => builtin::api_status(embedded, group, version, &r.kind),
    };
    match status {
        ApiStatus::Removed(l) => {
            let removed = l.removed.unwrap_or(target);
            let replacement = l
                .replacement
                .as_ref()
                .map(|rep| format!("; use {rep}"))
                .unwrap_or_default();
            push(diag(
                "resource/removed-api",
                format!(
                    "no matches for kind {:?} in version {:?}: {} {} was removed in Kubernetes 1.{removed}{replacement} (the target is 1.{target})",
                    r.kind, r.api_version, r.api_version, r.kind
                ),
                &f.source,
                at_version,
            ));
            None
        }
        ApiStatus::GroupVersionRemoved { removed } => {
            push(diag(
                "resource/removed-api",
                format!(
                    "no matches for kind {:?} in version {:?}: {} was removed in Kubernetes 1.{removed} (the target is 1.{target})",
                    r.kind, r.api_version, r.api_version
                ),
                &f.source,
                at_version,
            ));
            None
        }
        ApiStatus::NotServed => {
            let minors = builtin::kind_minors(group, version, &r.kind);
            let served = match (minors.first(), minors.last()) {
                (Some(a), Some(b)) if a == b => {
                    format!(": Kubernetes 1.{a} serves it, the target is 1.{target}")
                }
                (Some(a), Some(b)) => {
                    format!(": Kubernetes 1.{a} to 1.{b} serve it, the target is 1.{target}")
                }
                _ => String::new(),
            };
            let mut d = diag(
                "resource/unknown-kind",
                format!(
                    "no matches for kind {:?} in version {:?}{served}",
                    r.kind, r.api_version
                ),
                &f.source,
                at_type,
            );
            let kinds: Vec<String> = builtin::kinds(embedded, group, version)
                .iter()
                .filter(|k| k.resource.is_some())
                .map(|k| k.kind.clone())
                .collect();
            if served.is_empty() && !kinds.is_empty() {
                d = d.with_help(format!("{} serves: {}", r.api_version, kinds.join(", ")));
            }
            push(d);
            None
        }
        ApiStatus::Deprecated(l) => {
            if let Some(w) = l.warning_message() {
                push(diag("resource/deprecated-api", w, &f.source, at_version));
            }
            builtin_schema(r, group, version, embedded, target, f, at_type, push)
        }
        ApiStatus::Served => builtin_schema(r, group, version, embedded, target, f, at_type, push),
    }
}

#[allow(clippy::too_many_arguments)]
fn builtin_schema(
    r: &ResourceRef,
    group: &str,
    version: &str,
    embedded: u32,
    target: u32,
    f: &Loaded,
    at_type: Option<Span>,
    push: &mut dyn FnMut(Diagnostic),
) -> Option<Arc<model::Crd>> {
    let crd = builtin::crd_for(embedded, group, version, &r.kind);
    if crd.is_none() {
        push(builtin_skipped(r, target, f, at_type));
    }
    crd
}

fn builtin_skipped(r: &ResourceRef, target: u32, f: &Loaded, at_type: Option<Span>) -> Diagnostic {
    diag(
        "resource/builtin-skipped",
        format!(
            "{} {} is a built-in type crdlint has no schema for (Kubernetes 1.{target}): it was not validated",
            r.api_version, r.kind
        ),
        &f.source,
        at_type,
    )
}

pub(super) fn field_diagnostic(e: FieldError, source: &Arc<SourceFile>) -> Diagnostic {
    let mut d = diag(e.rule, e.message(), source, Some(e.span));
    d.field = Some(e.field().to_string());
    d.reason = Some(e.kind.reason());
    d.help = e.help;
    if e.status_dropped || e.server_warns {
        d.severity = Severity::Warning;
    }
    d
}
