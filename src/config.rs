//! `crdlint.toml`: project settings, found in the current directory or the nearest parent (or,
//! for stdin, beside the `--stdin-filename` path).
//!
//! ```toml
//! # CRDs always loaded for validation, even when not among the checked files (pre-commit passes
//! # only the changed files). Paths are relative to this file.
//! crds = ["config/crd/bases", "charts/app/crds"]
//! resources = ["config/samples"]       # custom resources validated when their CRD is checked
//! ignore = ["version/unused"]          # rule ids, families (`version`) or `all`
//! kubernetes-version = "1.30"           # the oldest cluster the CRDs must install on
//! extend-exclude = ["testdata/", "hack/**/*.yaml"]   # gitignore-style, relative to this file
//! [severity]
//! "default/on-required" = "error"
//! [[overrides]]
//! files = ["third_party/**"]            # globs relative to this file
//! ignore = ["crd"]
//! ```
//!
//! Every key is documented in the README; an unknown key is an error naming it.

use crate::diagnostics::Severity;
use crate::rules::selection::{self, Override, RuleSet, RuleSettings};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "crdlint.toml";

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum SeverityName {
    Error,
    Warning,
    Info,
}

/// The rule keys, at the top level and in each `[[overrides]]` (serde cannot flatten a struct
/// and still reject unknown keys, so both spell them out).
fn rule_set(
    select: Option<Vec<String>>,
    extend_select: Vec<String>,
    ignore: Vec<String>,
    severity: BTreeMap<String, SeverityName>,
) -> RuleSet {
    let severity = severity
        .into_iter()
        .map(|(id, s)| {
            let s = match s {
                SeverityName::Error => Severity::Error,
                SeverityName::Warning => Severity::Warning,
                SeverityName::Info => Severity::Info,
            };
            (id, s)
        })
        .collect();
    RuleSet {
        select,
        extend_select,
        ignore,
        severity,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct OverrideKeys {
    files: Vec<String>,
    select: Option<Vec<String>>,
    #[serde(default)]
    extend_select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, SeverityName>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    #[serde(default)]
    crds: Vec<PathBuf>,
    #[serde(default)]
    resources: Vec<String>,
    select: Option<Vec<String>>,
    #[serde(default)]
    extend_select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, SeverityName>,
    #[serde(default)]
    overrides: Vec<OverrideKeys>,
    kubernetes_version: Option<String>,
    exclude: Option<Vec<String>>,
    #[serde(default)]
    extend_exclude: Vec<String>,
}

/// A loaded `crdlint.toml`.
#[derive(Debug, Default)]
pub struct Config {
    pub crds: Vec<PathBuf>,
    /// Where the custom resources of the project's CRDs are (files and directories; globs
    /// expanded), relative to the current directory.
    pub resources: Vec<PathBuf>,
    pub rules: RuleSettings,
    /// Where the file is: exclude globs are relative to it.
    pub base: PathBuf,
    /// `exclude`: replaces the default (nothing), and is replaced by `--exclude`.
    pub exclude: Option<Vec<String>>,
    /// `extend-exclude`: added to `exclude`.
    pub extend_exclude: Vec<String>,
}

/// The nearest `crdlint.toml` at or above `start`.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Read a config file; its relative paths become relative to the current directory.
pub fn load(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let invalid = |e: String| format!("invalid {}: {e}", path.display());
    let file: File = toml::from_str(&text).map_err(|e| invalid(e.message().to_string()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let cwd = std::env::current_dir().unwrap_or_default();
    let relative = |joined: PathBuf| {
        joined
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or(joined)
    };
    let crds = file.crds.iter().map(|p| relative(base.join(p))).collect();
    let resources = resource_paths(base, &file.resources)
        .map_err(&invalid)?
        .into_iter()
        .map(relative)
        .collect();
    let absolute_base = std::fs::canonicalize(base).unwrap_or_else(|_| cwd.join(base));
    let overrides = file
        .overrides
        .into_iter()
        .map(|o| {
            Ok(Override {
                files: selection::globs(&o.files).map_err(&invalid)?,
                base: absolute_base.clone(),
                rules: rule_set(o.select, o.extend_select, o.ignore, o.severity),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let rules = RuleSettings {
        base: rule_set(file.select, file.extend_select, file.ignore, file.severity),
        overrides,
        kubernetes_minor: file
            .kubernetes_version
            .as_deref()
            .map(selection::parse_kubernetes_version)
            .transpose()
            .map_err(&invalid)?,
        ..RuleSettings::default()
    };
    rules.validate().map_err(&invalid)?;
    // Checked now, so a bad glob is reported as the file's.
    let mut exclude = crate::discover::Exclude::default();
    for globs in file.exclude.iter().chain([&file.extend_exclude]) {
        exclude.add(&absolute_base, globs).map_err(&invalid)?;
    }
    Ok(Config {
        crds,
        resources,
        rules,
        base: absolute_base,
        exclude: file.exclude,
        extend_exclude: file.extend_exclude,
    })
}

/// `resources` entries: paths relative to `base`, or globs (`*`, `?`, `[...]`, `{a,b}`) matched
/// against the files under `base` (`*` stays in a directory, `**` crosses them; `.gitignore`
/// honoured). A pattern that matches nothing is not an error: a project may have no samples yet.
fn resource_paths(base: &Path, entries: &[String]) -> Result<Vec<PathBuf>, String> {
    let is_glob = |e: &str| e.contains(['*', '?', '[', '{']);
    let (globs, plain): (Vec<&String>, Vec<&String>) = entries.iter().partition(|e| is_glob(e));
    let mut paths: Vec<PathBuf> = plain.iter().map(|p| base.join(p)).collect();
    if globs.is_empty() {
        return Ok(paths);
    }
    let patterns: Vec<String> = globs.iter().map(|g| g.to_string()).collect();
    let set = selection::globs(&patterns)?;
    let root = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(root)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file() || t.is_dir()))
        .filter(|e| {
            e.path()
                .strip_prefix(root)
                .is_ok_and(|rel| !rel.as_os_str().is_empty() && set.is_match(rel))
        })
        .map(|e| e.into_path())
        .collect();
    found.sort();
    // A directory matched covers what is under it.
    let dirs: Vec<PathBuf> = found.iter().filter(|p| p.is_dir()).cloned().collect();
    found.retain(|p| !dirs.iter().any(|d| p != d && p.starts_with(d)));
    paths.extend(found);
    Ok(paths)
}
