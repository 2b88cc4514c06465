//! Which rules run, and at what severity: `select`, `extend-select`, `ignore` and `severity`
//! from `crdlint.toml` and the command line, then `[[overrides]]` for matching paths.
//!
//! A selector is a rule id (`crd/name`), a family (`crd`) or `all`. Within one layer the most
//! specific selector wins (`ignore = ["version"]` with `extend-select = ["version/unused"]` keeps
//! `version/unused`); on a tie `ignore` wins. Later layers (overrides, in order) refine earlier
//! ones. Rules that are off by default run only when their exact id is selected or given a
//! severity: a family or `all` does not switch them on.

use super::{RULES, family, get};
use crate::diagnostics::{Diagnostic, Severity};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

/// One layer of rule settings.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// Replaces the enabled set when present.
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: Vec<(String, Severity)>,
}

/// Settings for the paths matching `files` (globs relative to `base`).
#[derive(Debug, Clone)]
pub struct Override {
    pub files: GlobSet,
    pub base: PathBuf,
    pub rules: RuleSet,
}

#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    pub base: RuleSet,
    pub overrides: Vec<Override>,
    /// `--select`, `--extend-select` and `--ignore`: applied last, over every file.
    pub command_line: RuleSet,
    /// The Kubernetes minor version targeted (`kubernetes-version = "1.30"` gives 30); findings
    /// that depend on the version (`cel/unavailable`) are reported only when it is set.
    pub kubernetes_minor: Option<u32>,
    /// Only rules of these families run, whatever the layers say (`crdlint diff` reports the
    /// comparison only).
    pub restrict: Option<Vec<String>>,
}

/// `1.30` (or `v1.30`, `1.30.2`) as the minor version 30.
pub fn parse_kubernetes_version(v: &str) -> Result<u32, String> {
    let bad = || format!("invalid Kubernetes version {v:?}: expected a version such as \"1.30\"");
    let mut parts = v.trim().trim_start_matches('v').split('.');
    let (Some("1"), Some(minor)) = (parts.next(), parts.next()) else {
        return Err(bad());
    };
    let minor: u32 = minor.parse().map_err(|_| bad())?;
    if parts.next().is_some_and(|p| p.parse::<u32>().is_err()) || parts.next().is_some() {
        return Err(bad());
    }
    Ok(minor)
}

/// How specific `selector` is for `id`: `None` when it does not match, then `all` < family < id.
fn specificity(selector: &str, id: &str) -> Option<u8> {
    if selector == id {
        Some(2)
    } else if selector.trim_end_matches('/') == family(id) {
        Some(1)
    } else if selector == "all" {
        Some(0)
    } else {
        None
    }
}

fn best<'a>(selectors: impl IntoIterator<Item = &'a String>, id: &str) -> Option<u8> {
    selectors
        .into_iter()
        .filter_map(|s| specificity(s, id))
        .max()
}

/// An error naming a selector that matches no rule.
pub fn check_selector(selector: &str) -> Result<(), String> {
    let known = selector == "all"
        || get(selector).is_some()
        || RULES
            .keys()
            .any(|id| family(id) == selector.trim_end_matches('/'));
    if known {
        Ok(())
    } else {
        Err(format!(
            "unknown rule or family {selector:?}; `crdlint rule` lists them"
        ))
    }
}

impl RuleSet {
    /// Every selector in this layer, for validation.
    pub fn selectors(&self) -> impl Iterator<Item = &String> {
        self.select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(&self.ignore)
            .chain(self.severity.iter().map(|(s, _)| s))
    }

    fn enabled(&self, id: &str, before: bool) -> bool {
        let default_on = get(id).is_none_or(|d| d.default_enabled);
        let named = |s: &String| {
            let spec = specificity(s, id)?;
            // A rule that is off by default is switched on only by its exact id.
            (default_on || spec == 2).then_some(spec)
        };
        let selected = self
            .select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(self.severity.iter().map(|(s, _)| s).filter(|s| *s == id))
            .filter_map(named)
            .max();
        match (best(&self.ignore, id), selected) {
            (Some(i), s) if s.is_none_or(|s| i >= s) => false,
            (_, Some(_)) => true,
            _ if self.select.is_some() => false,
            _ => before,
        }
    }

    fn severity(&self, id: &str) -> Option<Severity> {
        self.severity
            .iter()
            .filter_map(|(s, sev)| specificity(s, id).map(|spec| (spec, *sev)))
            .max_by_key(|(spec, _)| *spec)
            .map(|(_, sev)| sev)
    }
}

/// The layers that apply to one file.
pub struct FileRules<'a> {
    layers: Vec<&'a RuleSet>,
    restrict: Option<&'a [String]>,
}

impl FileRules<'_> {
    pub fn enabled(&self, id: &str) -> bool {
        if self
            .restrict
            .is_some_and(|r| !r.iter().any(|f| f == family(id)))
        {
            return false;
        }
        let default_on = get(id).is_none_or(|d| d.default_enabled);
        self.layers
            .iter()
            .fold(default_on, |on, layer| layer.enabled(id, on))
    }

    /// The configured severity of a rule, if any layer sets one.
    pub fn severity(&self, id: &str) -> Option<Severity> {
        self.layers.iter().rev().find_map(|l| l.severity(id))
    }

    /// Drop the diagnostics of disabled rules and apply severity settings.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain(|d| self.enabled(d.rule));
        for d in diagnostics {
            if let Some(s) = self.severity(d.rule) {
                d.severity = s;
            }
        }
    }
}

impl Override {
    fn matches(&self, file: &Path) -> bool {
        let absolute = if file.is_absolute() {
            file.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(file)
        };
        let Ok(relative) = absolute.strip_prefix(&self.base) else {
            return false;
        };
        // A pattern naming a directory covers everything under it.
        relative
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| self.files.is_match(p))
    }
}

impl RuleSettings {
    /// Whether rule `id` can be on for any file. A rule that is off by default is switched on
    /// only by its exact id, so when no layer names it, its checks need not run at all.
    pub fn may_enable(&self, id: &str) -> bool {
        get(id).is_none_or(|d| d.default_enabled)
            || std::iter::once(&self.base)
                .chain(self.overrides.iter().map(|o| &o.rules))
                .chain([&self.command_line])
                .any(|layer| layer.selectors().any(|s| s == id))
    }

    pub fn for_file(&self, name: &str) -> FileRules<'_> {
        let path = Path::new(name);
        let mut layers = vec![&self.base];
        layers.extend(
            self.overrides
                .iter()
                .filter(|o| o.matches(path))
                .map(|o| &o.rules),
        );
        layers.push(&self.command_line);
        FileRules {
            layers,
            restrict: self.restrict.as_deref(),
        }
    }

    /// Every selector of every layer names a known rule or family.
    pub fn validate(&self) -> Result<(), String> {
        std::iter::once(&self.base)
            .chain(self.overrides.iter().map(|o| &o.rules))
            .chain([&self.command_line])
            .flat_map(RuleSet::selectors)
            .try_for_each(|s| check_selector(s))
    }
}

/// Compile path globs (`*` stays within a directory, `**` crosses them).
pub fn globs(patterns: &[String]) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let glob = GlobBuilder::new(p.trim_end_matches('/'))
            .literal_separator(true)
            .build()
            .map_err(|e| format!("invalid path pattern {p:?}: {e}"))?;
        b.add(glob);
    }
    b.build().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_off_by_default_rule_may_run_only_where_named() {
        let mut settings = RuleSettings::default();
        assert!(settings.may_enable("crd/unknown-field"));
        assert!(!settings.may_enable("crd/missing-description"));
        // A family does not switch it on; its id does, in any layer.
        settings.command_line = set(None, &["crd"], &[]);
        assert!(!settings.may_enable("crd/missing-description"));
        settings.base = set(None, &["crd/missing-description"], &[]);
        assert!(settings.may_enable("crd/missing-description"));
        assert!(!settings.may_enable("version/unused"));
    }

    fn set(select: Option<&[&str]>, extend: &[&str], ignore: &[&str]) -> RuleSet {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        RuleSet {
            select: select.map(v),
            extend_select: v(extend),
            ignore: v(ignore),
            severity: Vec::new(),
        }
    }

    fn on(s: RuleSet, id: &str) -> bool {
        RuleSettings {
            base: s,
            ..RuleSettings::default()
        }
        .for_file("x.yaml")
        .enabled(id)
    }

    #[test]
    fn most_specific_selector_wins() {
        assert!(on(RuleSet::default(), "crd/name"));
        assert!(!on(set(None, &[], &["crd"]), "crd/name"));
        assert!(on(set(None, &["crd/name"], &["crd"]), "crd/name"));
        assert!(!on(set(None, &["crd"], &["crd/name"]), "crd/name"));
        assert!(
            !on(set(None, &["crd"], &["crd"]), "crd/name"),
            "tie: ignore"
        );
        assert!(!on(set(Some(&["schema"]), &[], &[]), "crd/name"));
        assert!(on(set(Some(&["schema"]), &[], &[]), "schema/type"));
        assert!(on(set(Some(&["all"]), &[], &["crd/"]), "schema/type"));
    }

    #[test]
    fn unknown_selectors_are_named() {
        assert!(check_selector("crd").is_ok());
        assert!(check_selector("crd/name").is_ok());
        assert!(check_selector("all").is_ok());
        // Spelled in two parts so the rule-doc test does not take it for a rule id.
        let e = check_selector(concat!("crd/", "nmae")).unwrap_err();
        assert!(e.contains("\"crd/nmae\""), "{e}");
    }
}
