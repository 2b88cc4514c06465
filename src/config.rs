//! `crdlint.toml`: project settings, found in the current directory or the nearest parent (or,
//! for stdin, beside the `--stdin-filename` path).
//!
//! ```toml
//! # CRDs always loaded for validation, even when not among the checked files (pre-commit passes
//! # only the changed files). Paths are relative to this file.
//! crds = ["config/crd/bases", "charts/app/crds"]
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "crdlint.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub crds: Vec<PathBuf>,
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
    let mut config: Config = toml::from_str(&text)
        .map_err(|e| format!("invalid {}: {}", path.display(), e.message()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let cwd = std::env::current_dir().unwrap_or_default();
    for p in &mut config.crds {
        let joined = base.join(&*p);
        *p = joined
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or(joined);
    }
    Ok(config)
}
