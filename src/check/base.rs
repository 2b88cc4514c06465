//! The old revision of the CRDs a run compares against (`upgrade/*`): the CRDs of a git
//! revision (`crdlint check --base REF`), of other files (`crdlint diff OLD NEW`) or of an
//! in-memory text (the rule docs' examples), by `metadata.name`.
//!
//! From git, only the YAML and JSON files of the revision that mention the name of a CRD the
//! run uses are read (`git grep -F`), wherever they were: a CRD is found under its name even
//! when its file moved. When a name is defined in several files of the revision, the one at the
//! path the CRD has now wins, then the first by path.

use super::*;
use crate::git;
use std::collections::HashMap;

/// Where the old revision comes from.
#[derive(Debug, Clone)]
pub enum BaseSource {
    /// A git revision: as the user wrote it, and the repository and commit it names (resolved
    /// before the run, so that a bad revision is a usage error).
    Git {
        rev: String,
        repo: git::Repo,
        commit: String,
    },
    /// Files or directories (`crdlint diff OLD NEW`).
    Paths(Vec<PathBuf>),
    /// An in-memory file.
    Text { name: String, text: String },
}

impl BaseSource {
    /// Resolve `rev` in the repository that holds the current directory.
    pub fn git(rev: &str) -> Result<BaseSource, String> {
        let cwd = std::env::current_dir().map_err(|e| format!("--base: {e}"))?;
        let repo = git::open(&cwd).map_err(|e| format!("--base {rev}: {e}"))?;
        let commit = repo.resolve(rev).map_err(|e| format!("--base: {e}"))?;
        Ok(BaseSource::Git {
            rev: rev.to_string(),
            repo,
            commit,
        })
    }

    /// Whether the old revision can be read before the checked files (it needs not know which
    /// CRDs they define).
    pub(super) fn is_early(&self) -> bool {
        !matches!(self, BaseSource::Git { .. })
    }

    /// How messages name the old revision: `HEAD`, `old/`.
    pub fn label(&self) -> String {
        match self {
            BaseSource::Git { rev, .. } => rev.clone(),
            BaseSource::Paths(p) => p
                .iter()
                .map(|p| discover::display_path(p))
                .collect::<Vec<_>>()
                .join(", "),
            BaseSource::Text { name, .. } => name.clone(),
        }
    }
}

/// A file of the old revision. Its documents are parsed again only when one of its CRDs is
/// compared (it changed): the trees of the CRDs that did not change are never kept.
pub struct BaseFile {
    /// The file (`HEAD:config/crd/x.yaml` for git), for reports about it.
    pub source: Arc<SourceFile>,
    trees: std::sync::OnceLock<Vec<Option<Node>>>,
}

/// One CRD of the old revision: what identifies it, read at once; the CRD itself, read (and its
/// schemas compiled) only when it is compared or validated against.
pub struct BaseCrd {
    /// `metadata.name`.
    pub name: String,
    /// The hash of its `spec` ([`model::Crd::spec_hash`]): a CRD of the checked files with the
    /// same hash did not change.
    pub spec_hash: u64,
    /// Where its name is in the old file.
    pub name_span: Span,
    pub file: Arc<BaseFile>,
    pub document: usize,
    crd: std::sync::OnceLock<Option<Arc<model::Crd>>>,
}

impl BaseCrd {
    /// The CRD, as `model` reads it (None when it cannot be used).
    pub fn crd(&self) -> Option<&Arc<model::Crd>> {
        self.crd
            .get_or_init(|| {
                let root = self.root()?;
                crd::read_crd(root, &self.file.source.name, self.document).map(Arc::new)
            })
            .as_ref()
    }

    /// The CRD document, for the comparison.
    pub fn root(&self) -> Option<&Node> {
        let trees = self.file.trees.get_or_init(|| {
            yaml::parse_stream(&self.file.source.text)
                .into_iter()
                .map(|d| d.root)
                .collect()
        });
        trees.get(self.document)?.as_ref()
    }

    pub fn source(&self) -> &Arc<SourceFile> {
        &self.file.source
    }
}

/// The CRDs of one file of the old revision.
fn crds_of(name: &str, text: String) -> Vec<BaseCrd> {
    let file = Arc::new(BaseFile {
        source: SourceFile::new(name.to_string(), text),
        trees: std::sync::OnceLock::new(),
    });
    yaml::parse_stream(&file.source.text)
        .into_iter()
        .filter_map(|doc| {
            let root = doc.root?;
            if model::classify(&root) != DocKind::Crd {
                return None;
            }
            let (name, spec_hash, name_span) = crd::identity(&root)?;
            Some(BaseCrd {
                name,
                spec_hash,
                name_span,
                file: Arc::clone(&file),
                document: doc.index,
                crd: std::sync::OnceLock::new(),
            })
        })
        .collect()
}

/// The old revision's CRDs by `metadata.name`.
#[derive(Default)]
pub struct Base {
    /// How messages name the revision.
    pub label: String,
    by_name: HashMap<String, BaseCrd>,
    /// Names in the order they were read (for deterministic reports).
    order: Vec<String>,
}

impl std::fmt::Debug for Base {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Base")
            .field("label", &self.label)
            .field("crds", &self.order)
            .finish()
    }
}

impl Base {
    pub fn get(&self, name: &str) -> Option<&BaseCrd> {
        self.by_name.get(name)
    }

    /// Every CRD, in the order read.
    pub fn iter(&self) -> impl Iterator<Item = &BaseCrd> {
        self.order.iter().filter_map(|n| self.by_name.get(n))
    }

    /// Add the CRDs read from one file; a name already read is replaced only by its file at
    /// `preferred` (the path the CRD has now).
    fn add(&mut self, crds: Vec<BaseCrd>, preferred: &HashMap<String, String>) {
        for b in crds {
            let key = b.name.clone();
            let here = preferred
                .get(&key)
                .is_some_and(|p| *p == b.file.source.name);
            match self.by_name.get(&key) {
                Some(_) if !here => continue,
                Some(_) => {}
                None => self.order.push(key.clone()),
            }
            self.by_name.insert(key, b);
        }
    }

    /// Read the old revision: from git, the files that mention one of `names` (with `preferred`:
    /// by name, the path of the CRD's file now, relative to the current directory); from paths
    /// or text, every CRD.
    pub fn load(
        source: &BaseSource,
        names: &[&str],
        preferred: &HashMap<String, PathBuf>,
        max_file_size: u64,
    ) -> Result<Base, String> {
        let mut base = Base {
            label: source.label(),
            ..Base::default()
        };
        match source {
            BaseSource::Git {
                rev, repo, commit, ..
            } => {
                // Paths now, as the repository names them (from its top).
                let cwd = std::env::current_dir().unwrap_or_default();
                let top = std::fs::canonicalize(&repo.top).unwrap_or(repo.top.clone());
                let preferred: HashMap<String, String> = preferred
                    .iter()
                    .filter_map(|(n, p)| {
                        let abs = std::fs::canonicalize(cwd.join(p)).ok()?;
                        let rel = abs.strip_prefix(&top).ok()?;
                        Some((n.clone(), format!("{rev}:{}", rel.to_string_lossy())))
                    })
                    .collect();
                let mut paths = repo.files_containing(commit, names)?;
                paths.sort();
                let files = repo.read_files(commit, &paths, max_file_size)?;
                let read: Vec<Vec<BaseCrd>> = files
                    .into_par_iter()
                    .filter_map(|(path, bytes)| {
                        let text = String::from_utf8(bytes).ok()?;
                        Some(crds_of(&format!("{rev}:{path}"), text))
                    })
                    .collect();
                for crds in read {
                    base.add(crds, &preferred);
                }
            }
            BaseSource::Paths(paths) => {
                let (inputs, errors) = discover::discover(paths, "");
                if let Some(e) = errors.first() {
                    return Err(format!("cannot read {}: {}", e.path, e.message));
                }
                let read: Vec<Vec<BaseCrd>> = inputs
                    .par_iter()
                    .map(|input| {
                        let Input::File(p) = input else {
                            return Ok(Vec::new());
                        };
                        let name = input.display_name();
                        let bytes = match std::fs::metadata(p) {
                            Ok(m) if m.len() > max_file_size => return Ok(Vec::new()),
                            _ => std::fs::read(p).map_err(|e| {
                                format!("cannot read {name}: {}", discover::io_reason(&e))
                            })?,
                        };
                        Ok(String::from_utf8(bytes)
                            .map(|text| crds_of(&name, text))
                            .unwrap_or_default())
                    })
                    .collect::<Result<_, String>>()?;
                for crds in read {
                    base.add(crds, &HashMap::new());
                }
            }
            BaseSource::Text { name, text } => {
                base.add(crds_of(name, text.clone()), &HashMap::new())
            }
        }
        Ok(base)
    }
}
