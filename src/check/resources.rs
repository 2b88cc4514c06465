//! `resources` of crdlint.toml: where the custom resources of the project's CRDs live (samples,
//! test data). When a CRD is among the checked files (as when pre-commit passes only the changed
//! CRD), the resources of the kinds it defines found there are validated too, and reported as
//! their own files; with `--base`, they are also validated against the old CRD. Other documents
//! of those files are not reported on. A file is parsed only when it mentions the group and kind
//! of such a CRD (a byte scan), as `--crds` sources are.

use super::workspace::Workspace;
use super::*;
use std::collections::HashSet;

/// The groups and kinds the CRDs among the checked files define.
pub(super) fn kinds(files: &[Loaded], ws: &Workspace) -> Vec<(String, String)> {
    let mut kinds: Vec<(String, String)> = files
        .iter()
        .filter(|f| !ws.is_patch_file(&f.source.name))
        .flat_map(|f| f.crds())
        .map(|c| (c.group.clone(), c.kind.clone()))
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// The files under `resources` (not among the checked ones) that mention one of those kinds.
pub(super) fn load(
    opts: &Options,
    files: &[Loaded],
    checked: &HashSet<&Input>,
    ws: &Workspace,
) -> Vec<Loaded> {
    if opts.resources.is_empty() {
        return Vec::new();
    }
    let kinds = kinds(files, ws);
    if kinds.is_empty() {
        return Vec::new();
    }
    let (inputs, _) = discover::discover_excluding(&opts.resources, "", &opts.exclude);
    inputs
        .par_iter()
        .filter(|i| !checked.contains(i))
        .map(|i| {
            let mut l = load_crd_source(i, opts, &kinds, None);
            // Their CRDs are not the project's definitions: the checked ones are.
            if let Some(i) = &mut l.informs {
                i.crds.clear();
            }
            l
        })
        .filter(|l| !l.docs.is_empty())
        .collect()
}

/// Add what checking the `resources` files found about the resources of `kinds` to `report`.
pub(super) fn merge(more: Report, kinds: &[(String, String)], report: &mut Report) {
    let ours = |r: &ResourceRef| {
        let (group, _) = model::split_api_version(&r.api_version);
        kinds.iter().any(|(g, k)| g == group && *k == r.kind)
    };
    report.diagnostics.extend(
        more.diagnostics
            .into_iter()
            .filter(|d| d.resource.as_deref().is_some_and(ours)),
    );
    for mut f in more.files {
        f.resources.retain(|(_, r)| ours(r));
        if f.resources.is_empty() {
            continue;
        }
        report.summary.files += 1;
        report.summary.resources += f.resources.len();
        let mut documents: Vec<usize> = f.resources.iter().map(|(d, _)| *d).collect();
        documents.dedup();
        report.summary.documents += documents.len();
        report.files.push(f);
    }
}
