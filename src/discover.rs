//! Which files to read: explicit files as given (what pre-commit passes), directories walked
//! with `ignore` (honouring .gitignore) for `*.yaml`, `*.yml` and `*.json`, and `-` for stdin.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    File(PathBuf),
    Stdin { name: String },
}

impl Input {
    pub fn display_name(&self) -> String {
        match self {
            Input::File(p) => display_path(p),
            Input::Stdin { name } => name.clone(),
        }
    }
}

/// A path as users expect to see it: relative paths as given, without a leading `./`.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./")
        .map(str::to_string)
        .unwrap_or_else(|| s.into_owned())
}

/// A Helm chart's `templates/` folder holds Go templates, not manifests: a walk skips it (its
/// `crds/` folder is plain YAML and is read).
fn is_helm_templates(p: &Path) -> bool {
    p.file_name().is_some_and(|n| n == "templates")
        && p.parent()
            .is_some_and(|chart| chart.join("Chart.yaml").is_file())
}

/// Whether a file named on the command line is in a chart's `templates/` (at any depth): it is
/// left out as a walk leaves it out, since pre-commit names such files one by one. Rendered
/// charts are checked through `helm template ... | crdlint check -`.
fn in_helm_templates(file: &Path) -> bool {
    let file = if file.is_absolute() {
        file.to_path_buf()
    } else {
        without_dots(file)
    };
    file.ancestors().skip(1).any(is_helm_templates)
}

fn is_manifest(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("yaml" | "yml" | "json")
    )
}

/// `p` without `.` components, so that a file named on the command line and the same file
/// found by walking `.` are one input (`bad.yaml` and `./bad.yaml`), checked once.
fn without_dots(p: &Path) -> PathBuf {
    // A path of plain names (no `.`, no empty name: what a walk from such a root yields) is
    // its own components: copied as it is, not taken apart and put together again.
    let bytes = p.as_os_str().as_encoded_bytes();
    let plain = cfg!(unix)
        && !bytes.is_empty()
        && (bytes.split(|&b| b == b'/').enumerate())
            .all(|(i, name)| name != b"." && (!name.is_empty() || i == 0));
    if plain {
        return p.to_path_buf();
    }
    let cleaned: PathBuf = p
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() {
        p.to_path_buf()
    } else {
        cleaned
    }
}

/// Sort the paths one walk found as paths sort (by component), at the cost of sorting bytes.
/// Every path of a walk is its root followed by plain names; with `/` made the lowest byte,
/// the byte order of such paths is the order of their components. (Sorting each directory's
/// entries during the walk compared names the walker cuts out of each path at every step.)
fn sort_walked(paths: &mut [PathBuf]) {
    paths.sort_by_cached_key(|p| {
        let mut key = p.as_os_str().as_encoded_bytes().to_vec();
        for b in &mut key {
            if *b == b'/' {
                *b = 0;
            }
        }
        key
    });
}

/// A path that could not be used, with a one-line reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoverError {
    pub path: String,
    pub message: String,
}

/// What `exclude` is when neither `crdlint.toml` nor the command line sets it: the assertion
/// files of kuttl and chainsaw end-to-end tests (`00-assert.yaml`, `01-errors.yaml`), partial
/// objects those runners match against a cluster, never applied.
pub const DEFAULT_EXCLUDE: [&str; 4] = [
    "[0-9]*-assert*.yaml",
    "[0-9]*-assert*.yml",
    "[0-9]*-errors*.yaml",
    "[0-9]*-errors*.yml",
];

/// Paths left out of a check: gitignore-style globs (`vendor/`, `**/testdata`, `!keep.yaml`), each
/// set relative to its own base directory (that of `crdlint.toml`, or the current directory for
/// the command line). A directory that matches is not walked; a file that matches is not read,
/// even when named on the command line, so a pre-commit hook passing files honours it.
#[derive(Debug, Clone, Default)]
pub struct Exclude {
    sets: Vec<ExcludeSet>,
}

#[derive(Debug, Clone)]
enum ExcludeSet {
    Built(ignore::gitignore::Gitignore),
    /// [`DEFAULT_EXCLUDE`] relative to a base, built only when a path could match it: building
    /// the glob set compiles a regular expression, a good part of a one-file check's time.
    Default {
        base: PathBuf,
        built: std::sync::OnceLock<ignore::gitignore::Gitignore>,
    },
}

/// Whether `path` made absolute may have a component [`could_be_default_excluded`] takes: one
/// with `-assert` or `-errors` in it, in the path or in the working directory a relative path
/// is joined to (making it absolute only drops components).
fn may_name_default_excluded(path: &Path) -> bool {
    let has = |p: &Path| {
        let b = p.as_os_str().as_encoded_bytes();
        memchr::memmem::find(b, b"-assert").is_some()
            || memchr::memmem::find(b, b"-errors").is_some()
    };
    has(path) || (!path.is_absolute() && has(working_dir()))
}

/// Whether a file or directory name could match a [`DEFAULT_EXCLUDE`] glob: a digit first,
/// then `-assert` or `-errors` somewhere.
fn could_be_default_excluded(name: &std::ffi::OsStr) -> bool {
    let name = name.as_encoded_bytes();
    let has = |part: &[u8]| name.windows(part.len()).any(|w| w == part);
    name.first().is_some_and(u8::is_ascii_digit) && (has(b"-assert") || has(b"-errors"))
}

fn build_set(
    base: &Path,
    globs: &[impl AsRef<str>],
) -> Result<ignore::gitignore::Gitignore, String> {
    let mut builder = ignore::gitignore::GitignoreBuilder::new(base);
    for g in globs {
        let g = g.as_ref();
        builder
            .add_line(None, g)
            .map_err(|e| format!("invalid exclude pattern {g:?}: {e}"))?;
    }
    builder
        .build()
        .map_err(|e| format!("invalid exclude patterns: {e}"))
}

impl Exclude {
    /// Add `globs`, relative to `base`. A glob that cannot be read is an error naming it.
    pub fn add(&mut self, base: &Path, globs: &[String]) -> Result<(), String> {
        if globs.is_empty() {
            return Ok(());
        }
        let set = build_set(&absolute(base), globs)?;
        self.sets.push(ExcludeSet::Built(set));
        Ok(())
    }

    /// Add [`DEFAULT_EXCLUDE`], relative to `base`.
    pub fn add_default(&mut self, base: &Path) {
        self.sets.push(ExcludeSet::Default {
            base: absolute(base),
            built: std::sync::OnceLock::new(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Whether `path` (or a directory above it) is excluded.
    pub fn excludes(&self, path: &Path, is_dir: bool) -> bool {
        // Made absolute once, and only for a set that may exclude it (a walk asks for every
        // entry, and most runs have only the default set, which excludes almost nothing).
        let mut whole: Option<PathBuf> = None;
        for set in &self.sets {
            let set = match set {
                ExcludeSet::Built(set) => set,
                ExcludeSet::Default { base, built } => {
                    if !may_name_default_excluded(path) {
                        continue;
                    }
                    let whole = whole.get_or_insert_with(|| absolute(path));
                    let below = whole.strip_prefix(base).ok();
                    if !below.is_some_and(|p| p.iter().any(could_be_default_excluded)) {
                        continue;
                    }
                    built.get_or_init(|| {
                        build_set(base, &DEFAULT_EXCLUDE).expect("the default globs are valid")
                    })
                }
            };
            let whole = whole.get_or_insert_with(|| absolute(path));
            // Globs are relative to their base: paths outside it cannot match.
            if whole.starts_with(set.path())
                && set.matched_path_or_any_parents(&*whole, is_dir).is_ignore()
            {
                return true;
            }
        }
        false
    }
}

/// The working directory, without links (read once).
fn working_dir() -> &'static Path {
    static CWD: std::sync::LazyLock<PathBuf> = std::sync::LazyLock::new(|| {
        std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .unwrap_or_default()
    });
    &CWD
}

/// The root of the git work tree that holds `dir`: the nearest directory, `dir` itself or an
/// ancestor, with a `.git` entry (a directory, or a file in a linked work tree or submodule).
pub fn repository_root(dir: &Path) -> Option<PathBuf> {
    let dir = absolute(dir);
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// `p` as an absolute path without `.` and `..` components (the current directory resolved
/// once), computed without touching the file system.
pub fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        working_dir().join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Expand the given paths into inputs, sorted and without duplicates within each path.
pub fn discover(paths: &[PathBuf], stdin_name: &str) -> (Vec<Input>, Vec<DiscoverError>) {
    discover_excluding(paths, stdin_name, &Exclude::default())
}

/// [`discover`], leaving out what `exclude` names.
pub fn discover_excluding(
    paths: &[PathBuf],
    stdin_name: &str,
    exclude: &Exclude,
) -> (Vec<Input>, Vec<DiscoverError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            if exclude.excludes(Path::new(stdin_name), false) {
                continue;
            }
            inputs.push(Input::Stdin {
                name: stdin_name.to_string(),
            });
            continue;
        }
        match std::fs::metadata(p) {
            Err(e) => errors.push(DiscoverError {
                path: display_path(p),
                message: io_reason(&e),
            }),
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                let exclude = exclude.clone();
                for entry in ignore::WalkBuilder::new(p)
                    .hidden(true)
                    .follow_links(false)
                    .require_git(false)
                    .filter_entry(move |e| {
                        let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                        !is_helm_templates(e.path()) && !exclude.excludes(e.path(), is_dir)
                    })
                    .build()
                {
                    match entry {
                        Ok(e) => {
                            if e.file_type().is_some_and(|t| t.is_file()) && is_manifest(e.path()) {
                                found.push(without_dots(e.path()));
                            }
                        }
                        Err(e) => errors.push(walk_error(&e, p)),
                    }
                }
                sort_walked(&mut found);
                inputs.extend(found.into_iter().map(Input::File));
            }
            Ok(_) if exclude.excludes(p, false) || in_helm_templates(p) => {}
            Ok(_) => inputs.push(Input::File(without_dots(p))),
        }
    }
    // One path gives no input twice (a walk does not follow links).
    if paths.len() > 1 {
        let mut seen = std::collections::HashSet::new();
        inputs.retain(|i| seen.insert(i.clone()));
    }
    (inputs, errors)
}

/// The path a walk error is about (the entry, not the directory walked), and why.
fn walk_error(e: &ignore::Error, root: &Path) -> DiscoverError {
    fn path_of(e: &ignore::Error) -> Option<&Path> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Loop { child, .. } => Some(child),
            _ => None,
        }
    }
    fn reason(e: &ignore::Error) -> String {
        match e {
            ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
                reason(err)
            }
            ignore::Error::Loop { ancestor, .. } => format!(
                "symbolic link loop: it points to its ancestor {}",
                display_path(ancestor)
            ),
            ignore::Error::Io(io) => io_reason(io),
            other => other.to_string(),
        }
    }
    DiscoverError {
        path: display_path(path_of(e).unwrap_or(root)),
        message: reason(e),
    }
}

pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "is a directory".into(),
        std::io::ErrorKind::NotADirectory => "not a directory".into(),
        _ => {
            // Drop Rust's " (os error N)" suffix: users want the reason, not the errno; and
            // start in lower case like the other reasons ("Too many levels of symbolic links").
            let s = e.to_string();
            let s = match s.find(" (os error") {
                Some(i) => &s[..i],
                None => &s,
            };
            let mut chars = s.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => String::new(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_dots_copies_plain_paths_and_rebuilds_the_others_as_before() {
        let parts = ["", ".", "..", "a", "b.yaml", "0-assert.yaml"];
        let mut paths = Vec::new();
        for a in parts {
            for b in parts {
                for c in parts {
                    for sep in ["/", "//"] {
                        paths.push(format!("{a}{sep}{b}/{c}"));
                        paths.push(format!("/{a}{sep}{b}"));
                        paths.push(format!("{a}{sep}{b}/"));
                    }
                    paths.push(format!("{a}/{b}"));
                    paths.push(a.to_string());
                }
            }
        }
        for p in paths.iter().map(Path::new) {
            // The whole rebuild, as every path was before the plain ones were copied.
            let cleaned: PathBuf = p
                .components()
                .filter(|c| !matches!(c, std::path::Component::CurDir))
                .collect();
            let want = if cleaned.as_os_str().is_empty() {
                p.to_path_buf()
            } else {
                cleaned
            };
            assert_eq!(without_dots(p), want, "{p:?}");
        }
    }

    #[test]
    fn the_default_exclusion_is_asked_of_paths_that_may_name_it() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("repo");
        let mut exclude = Exclude::default();
        exclude.add_default(&base);
        let cases = [
            ("repo/tests/e2e/00-assert.yaml", false, true),
            ("repo/tests/01-errors.yml", false, true),
            ("repo/tests/00-assert", true, false),
            ("repo/00-assert-x/a.yaml", false, false),
            ("repo/a-assert.yaml", false, false),
            ("repo/tests/e2e/pod.yaml", false, false),
            ("repo/../repo/02-errors.yaml", false, true),
            ("other/00-assert.yaml", false, false),
        ];
        for (rel, is_dir, excluded) in cases {
            let p = dir.path().join(rel);
            assert_eq!(exclude.excludes(&p, is_dir), excluded, "{rel}");
            // Nothing the quick test turns away could have been excluded.
            if !may_name_default_excluded(&p) {
                assert!(!excluded, "{rel}");
            }
        }
        assert!(!may_name_default_excluded(
            &dir.path().join("repo/tests/pod.yaml")
        ));
    }

    #[test]
    fn a_walk_yields_paths_in_path_order() {
        // Names whose byte order is not their order as path components (`-`, `.`, ` ` and `0`
        // sort before `/` in bytes, after the end of a name in components).
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "a.yaml",
            "a-b.yaml",
            "a.b.yaml",
            "a/b.yaml",
            "a/c/d.yaml",
            "a b.yaml",
            "a0.yaml",
            "A.yaml",
            "é.yaml",
            "a-/x.yaml",
            "a/b/c.yaml",
            "ab/c.yaml",
            "a.b/c.yaml",
        ];
        for n in names {
            let p = dir.path().join(n);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "a: 1\n").unwrap();
        }
        let (inputs, errors) = discover(&[dir.path().to_path_buf()], "");
        assert!(errors.is_empty(), "{errors:?}");
        let found: Vec<PathBuf> = inputs
            .into_iter()
            .map(|i| match i {
                Input::File(p) => p,
                Input::Stdin { .. } => unreachable!(),
            })
            .collect();
        let mut expected: Vec<PathBuf> = names.iter().map(|n| dir.path().join(n)).collect();
        expected.sort();
        assert_eq!(found, expected);
        // The byte order would differ: the test tells the two apart.
        let mut by_bytes = expected.clone();
        by_bytes.sort_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
        assert_ne!(by_bytes, expected);
    }

    #[test]
    fn walk_errors_name_the_entry_and_say_why_in_one_line() {
        let denied = ignore::Error::WithDepth {
            depth: 2,
            err: Box::new(ignore::Error::WithPath {
                path: PathBuf::from("./config/secret"),
                err: Box::new(ignore::Error::Io(std::io::Error::from(
                    std::io::ErrorKind::PermissionDenied,
                ))),
            }),
        };
        assert_eq!(
            walk_error(&denied, Path::new("config")),
            DiscoverError {
                path: "config/secret".into(),
                message: "permission denied".into()
            }
        );
        let looped = ignore::Error::Loop {
            ancestor: PathBuf::from("a"),
            child: PathBuf::from("a/b/up"),
        };
        assert_eq!(
            walk_error(&looped, Path::new("a")),
            DiscoverError {
                path: "a/b/up".into(),
                message: "symbolic link loop: it points to its ancestor a".into()
            }
        );
        if cfg!(target_os = "linux") {
            let eloop = std::io::Error::from_raw_os_error(40);
            assert_eq!(io_reason(&eloop), "too many levels of symbolic links");
        }
    }
}
