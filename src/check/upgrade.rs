//! Comparing the CRDs among the checked files with an old revision (`--base REF`, `crdlint
//! diff`): each CRD document whose `metadata.name` the old revision defines is handed, with its
//! old self, to `lint::check_upgrade`, and its findings join the document's. The findings are
//! kept by CRD name too, so that a resource that breaks can name what broke it (see
//! `document::ratchet`).

use super::base::{Base, BaseSource};
use super::document::finding_diagnostic;
use super::load::lint_context;
use super::workspace::Workspace;
use super::*;
use std::collections::HashMap;

/// Read the old revision: from git, the files that mention a CRD the run uses (those of the
/// checked files and of the `--crds` sources read); otherwise every CRD. A failure is reported
/// (the input cannot be read: exit status 2).
pub(super) fn read_base(
    source: &BaseSource,
    opts: &Options,
    files: &[Loaded],
    sources: &[Loaded],
    report: &mut Report,
) -> Option<Arc<Base>> {
    let mut names: Vec<&str> = Vec::new();
    let mut preferred: HashMap<String, PathBuf> = HashMap::new();
    for f in files.iter().chain(sources) {
        for c in f.crds() {
            if !names.contains(&c.name.as_str()) {
                names.push(&c.name);
            }
            preferred
                .entry(c.name.clone())
                .or_insert_with(|| PathBuf::from(&f.source.name));
        }
    }
    match Base::load(source, &names, &preferred, opts.max_file_size) {
        Ok(b) => Some(Arc::new(b)),
        Err(e) => {
            let src = SourceFile::new(source.label(), String::new());
            report.diagnostics.push(diag(
                "input/unreadable",
                format!("cannot read the old revision {}: {e}", source.label()),
                &src,
                None,
            ));
            report.unreadable = true;
            None
        }
    }
}

/// Compare the CRDs of the checked files (those whose trees were kept) with `base`.
pub(super) fn compare(
    base: Arc<Base>,
    opts: &Options,
    files: &mut [Loaded],
    ws: &mut Workspace,
    report: &mut Report,
) {
    let ctx = lint_context(opts);
    let per_file: Vec<Vec<(String, Vec<lint::Finding>)>> = files
        .par_iter_mut()
        .map(|f| {
            let patch = ws.is_patch_file(&f.source.name);
            let mut found = Vec::new();
            let Some(informs) = f.informs.as_deref_mut() else {
                return found;
            };
            for c in &mut informs.crd_docs {
                let Some(tree) = c.tree.take() else { continue };
                if patch {
                    continue;
                }
                let (Some(name), Some(new)) = (
                    c.name.as_ref(),
                    informs.crds.iter().find(|crd| crd.document == c.index),
                ) else {
                    continue;
                };
                let Some(old) = base.get(name) else { continue };
                let (Some(old_root), Some(old_crd)) = (old.root(), old.crd()) else {
                    continue;
                };
                // The webhook a kustomization applies is the CRD's conversion.
                let webhook = matches!(
                    ws.conversion_patches.get(name),
                    Some(super::workspace::ConversionPatch::Applied)
                );
                let compared = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    lint::check_upgrade(old_root, old_crd, &tree, new, webhook, &ctx)
                }));
                let Ok(findings) = compared else {
                    // A bug in crdlint: said, not passed in silence.
                    f.diagnostics.push(internal_error(&f.source));
                    f.unreadable = true;
                    continue;
                };
                c.findings.extend(findings.iter().cloned());
                found.push((name.clone(), findings));
            }
            found
        })
        .collect();
    for (name, findings) in per_file.into_iter().flatten() {
        ws.upgrades.entry(name).or_default().extend(findings);
    }
    if opts.diff {
        report_removed(&base, files, opts, report);
    }
    ws.base = Some(base);
}

/// `crdlint diff`: the old CRDs no new file defines, reported on their old file.
fn report_removed(base: &Base, files: &[Loaded], opts: &Options, report: &mut Report) {
    let new: std::collections::HashSet<&str> = files
        .iter()
        .flat_map(|f| f.crds().iter().map(|c| c.name.as_str()))
        .collect();
    let label = opts
        .paths
        .iter()
        .map(|p| discover::display_path(p))
        .collect::<Vec<_>>()
        .join(", ");
    for old in base.iter().filter(|b| !new.contains(b.name.as_str())) {
        let f = lint::upgrade::crd_removed::finding(&old.name, &label, old.name_span);
        let mut d = vec![finding_diagnostic(&f, old.source(), old.document)];
        opts.rules.for_file(&old.source().name).apply(&mut d);
        report.diagnostics.extend(d);
    }
}
