//! What the files of one run say about each other: which CRD documents kustomize applies as
//! patches (and which conversion webhooks those patches add), and which CRD is defined twice.
//! Built once, after every file is read, before any document is checked.

use super::*;
use crate::model::{Crd, kustomize};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// How a kustomize patch sets a CRD's conversion webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ConversionPatch {
    /// A kustomization applies it.
    Applied,
    /// No kustomization found applies it: whether it is in effect cannot be told.
    NotApplied { file: String },
}

/// The definition of a CRD used, and the others that differ from it (with whether each is
/// among the checked files).
type Differing<'a> = (Arc<Crd>, Vec<(&'a Arc<Crd>, bool)>);

#[derive(Debug, Default)]
pub(super) struct Workspace {
    /// Files a kustomization applies as patches: their CRD documents are patches.
    patch_files: HashSet<PathBuf>,
    /// By CRD name: a conversion webhook set by a patch.
    pub(super) conversion_patches: HashMap<String, ConversionPatch>,
    /// By (file, document): findings about a CRD defined twice, differently.
    pub(super) duplicates: HashMap<(String, usize), Vec<lint::Finding>>,
    /// The old revision's CRDs (`--base`, `diff`), once read.
    pub(super) base: Option<Arc<super::Base>>,
    /// By CRD name: what changed since the old revision (`upgrade/*` findings).
    pub(super) upgrades: HashMap<String, Vec<lint::Finding>>,
    /// `crdlint diff`: only the CRDs are compared; resources are not validated.
    pub(super) compare_only: bool,
}

impl Workspace {
    /// The facts of a run over `files` (checked) and `sources` (`--crds`), and the CRD index:
    /// checked files first, then sources, each in the order they were given and walked; the
    /// first definition of a group and kind is used.
    pub(super) fn build(files: &[Loaded], sources: &[Loaded]) -> (Workspace, CrdIndex) {
        let mut ws = Workspace {
            patch_files: applied_patch_files(
                files.iter().map(|f| f.source.name.as_str()),
                files.iter().flat_map(|f| f.patch_files().iter().cloned()),
            ),
            ..Workspace::default()
        };
        for f in files {
            let applied = ws.is_patch_file(&f.source.name);
            for (_, webhook) in f.crd_patches() {
                let Some(crd) = webhook else {
                    continue;
                };
                let patch = if applied {
                    ConversionPatch::Applied
                } else {
                    ConversionPatch::NotApplied {
                        file: f.source.name.clone(),
                    }
                };
                let slot = ws
                    .conversion_patches
                    .entry(crd.clone())
                    .or_insert(patch.clone());
                if patch == ConversionPatch::Applied {
                    *slot = patch;
                }
            }
        }
        let index = ws.index(files, sources);
        (ws, index)
    }

    /// What [`Workspace::build`] makes of files named `names` that say nothing about each
    /// other (no CRD, CRD patch or kustomization among them), before any is read: the patch
    /// files of the kustomizations on disk above them, and the index of `sources`.
    pub(super) fn before_reading<'a>(
        names: impl Iterator<Item = &'a str>,
        sources: &[Loaded],
    ) -> (Workspace, CrdIndex) {
        let mut ws = Workspace {
            patch_files: applied_patch_files(names, std::iter::empty()),
            ..Workspace::default()
        };
        let index = ws.index(&[], sources);
        (ws, index)
    }

    /// Whether kustomize applies the file named `name` as a patch.
    pub(super) fn is_patch_file(&self, name: &str) -> bool {
        !self.patch_files.is_empty()
            && self
                .patch_files
                .contains(&kustomize::normalize(Path::new(name)))
    }

    fn index(&mut self, files: &[Loaded], sources: &[Loaded]) -> CrdIndex {
        let mut index = CrdIndex::default();
        let mut checked = HashSet::new();
        let definitions: Vec<(&Arc<Crd>, bool)> = files
            .iter()
            .filter(|f| !self.is_patch_file(&f.source.name))
            .flat_map(|f| f.crds().iter().map(|c| (c, true)))
            .chain(
                sources
                    .iter()
                    .flat_map(|f| f.crds().iter().map(|c| (c, false))),
            )
            .collect();
        // By group and kind: the definitions that differ from the one used, checked ones first.
        let mut differing: Vec<Differing> = Vec::new();
        for (crd, is_checked) in definitions {
            if is_checked {
                checked.insert((crd.origin.clone(), crd.document));
            }
            let Some(first) = index.get(&crd.group, &crd.kind).cloned() else {
                index.insert(Arc::clone(crd));
                continue;
            };
            // The same definition twice (a chart's copy, a release's): nothing to say.
            if first.spec_hash == crd.spec_hash {
                continue;
            }
            match differing.iter_mut().find(|(f, _)| Arc::ptr_eq(f, &first)) {
                Some((_, others)) => others.push((crd, is_checked)),
                None => differing.push((first, vec![(crd, is_checked)])),
            }
        }
        // One finding per CRD: on the first checked definition not used, naming the one used
        // and how many others differ; or, when only --crds sources differ, on the one used.
        for (used, others) in differing {
            let (at, finding) = match others.iter().find(|(_, c)| *c) {
                Some((crd, _)) => (
                    Arc::clone(crd),
                    lint::crd::duplicate::shadowed(crd, &used, others.len() - 1),
                ),
                None if checked.contains(&(used.origin.clone(), used.document)) => (
                    Arc::clone(&used),
                    lint::crd::duplicate::used(&used, others[0].0, others.len() - 1),
                ),
                None => continue,
            };
            self.duplicates
                .entry((at.origin.clone(), at.document))
                .or_default()
                .push(finding);
        }
        index
    }
}

/// The files the kustomizations of the run apply as patches: those among the checked files,
/// and those in each checked file's directory and the three above it (kubebuilder's
/// `config/crd/kustomization.yaml` applies `config/crd/patches/*.yaml`), read from disk when not
/// checked: pre-commit names only the changed files, and a patch checked without its
/// kustomization is a partial object the server would refuse.
/// `names`: the checked files'; `checked_patches`: what the kustomizations among them apply.
fn applied_patch_files<'a>(
    names: impl Iterator<Item = &'a str>,
    checked_patches: impl Iterator<Item = PathBuf>,
) -> HashSet<PathBuf> {
    let mut applied: HashSet<PathBuf> = checked_patches.collect();
    // The checked files that are kustomizations (the others are never looked up), and one
    // path per directory: files come a directory at a time, and a file's parent, normalized,
    // is its normalized path's parent.
    let mut checked: HashSet<PathBuf> = HashSet::new();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut last_parent = None;
    for name in names {
        let path = Path::new(name);
        if path
            .file_name()
            .is_some_and(|f| kustomize::FILE_NAMES.iter().any(|k| f == *k))
        {
            checked.insert(kustomize::normalize(path));
        }
        if path.parent().is_some() && path.parent() == last_parent {
            continue;
        }
        last_parent = path.parent();
        files.push(kustomize::normalize(path));
    }
    let mut seen_dirs = HashSet::new();
    for path in &files {
        for dir in path.ancestors().skip(1).take(4) {
            if !seen_dirs.insert(dir) {
                continue;
            }
            for name in kustomize::FILE_NAMES {
                let k = dir.join(name);
                if !checked.contains(&k) {
                    applied.extend(read_kustomization(&k));
                }
            }
        }
    }
    applied
}

/// The patch files a kustomization file on disk applies (nothing when it cannot be read).
fn read_kustomization(path: &Path) -> Vec<PathBuf> {
    // A kustomization is small; anything larger is not one.
    const LIMIT: u64 = 1 << 20;
    let text = match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() <= LIMIT => std::fs::read_to_string(path),
        _ => return Vec::new(),
    };
    let Ok(text) = text else {
        return Vec::new();
    };
    yaml::parse_stream(&text)
        .iter()
        .filter_map(|d| d.root.as_ref())
        .filter(|r| kustomize::is_kustomization(r, path))
        .flat_map(|r| kustomize::patch_files(r, path))
        .collect()
}

/// The CRDs of `files`, the first definition of a group and kind first (for checks that only
/// need an index: the editor's workspace CRDs).
pub(super) fn index_of<'a>(files: impl IntoIterator<Item = &'a Loaded>) -> CrdIndex {
    let mut index = CrdIndex::default();
    for c in files.into_iter().flat_map(|f| f.crds()) {
        index.insert(Arc::clone(c));
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `applied_patch_files` as it was first written: every name normalized and kept, the
    /// directories walked per change of normalized parent.
    fn applied_by_every_name<'a>(names: impl Iterator<Item = &'a str>) -> HashSet<PathBuf> {
        let mut applied = HashSet::new();
        let names: Vec<PathBuf> = names
            .map(|name| kustomize::normalize(Path::new(name)))
            .collect();
        let checked: HashSet<&Path> = names.iter().map(PathBuf::as_path).collect();
        let mut seen_dirs = HashSet::new();
        for path in &names {
            for dir in path.ancestors().skip(1).take(4) {
                if !seen_dirs.insert(dir) {
                    continue;
                }
                for name in kustomize::FILE_NAMES {
                    let k = dir.join(name);
                    if !checked.contains(k.as_path()) {
                        applied.extend(read_kustomization(&k));
                    }
                }
            }
        }
        applied
    }

    #[test]
    fn patch_files_are_those_of_the_kustomizations_not_checked_above_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in ["config/crd/patches", "config/samples", "other"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        let kustomization = "resources: [bases/x.yaml]\npatches:\n- path: patches/webhook.yaml\n";
        std::fs::write(root.join("config/crd/kustomization.yaml"), kustomization).unwrap();
        std::fs::write(
            root.join("other/kustomization.yaml"),
            "patchesStrategicMerge: [p.yaml]\n",
        )
        .unwrap();
        let r = root.display();
        let names = [
            format!("{r}/config/crd/patches/webhook.yaml"),
            format!("{r}/config/crd/patches/./other.yaml"),
            format!("{r}/config/samples/a.yaml"),
            format!("{r}/config/samples/b.yaml"),
            format!("{r}/config/samples/../samples/c.yaml"),
            // A checked kustomization is read as a checked file, not looked up on disk.
            format!("{r}/other/kustomization.yaml"),
            format!("{r}/other/x.yaml"),
        ];
        for take in 1..=names.len() {
            let some = || names.iter().take(take).map(String::as_str);
            assert_eq!(
                applied_patch_files(some(), std::iter::empty()),
                applied_by_every_name(some()),
                "{take} names"
            );
        }
        let all = applied_patch_files(names.iter().map(String::as_str), std::iter::empty());
        assert!(
            all.contains(&root.join("config/crd/patches/webhook.yaml")),
            "{all:?}"
        );
        assert!(!all.iter().any(|p| p.ends_with("p.yaml")), "{all:?}");
    }
}
