//! `upgrade/breaks-resource` (error): the concrete proof that a CRD change breaks users. With
//! `--base`, every custom resource checked whose CRD changed is validated against the old CRD as
//! well as the new one; a resource that was valid before and is not now is reported once, at its
//! `apiVersion`, naming the errors (reported in full as the ordinary validation diagnostics) and
//! the `upgrade/*` findings of the CRD that explain them. Reported by the pipeline
//! (`crate::check`), which validates; this file words it and matches errors to their causes.

use crate::lint::{Finding, Rule};

pub const ID: &str = "upgrade/breaks-resource";

pub const RULE: Rule = Rule::new(ID);

/// A field path with list indices and map keys as `[*]` (`spec.ports[0].name` and
/// `spec.ports[*].name`; `spec.labels[a]` and `spec.labels.*` become `spec.labels[*]`).
pub fn normalized(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => {
                if depth == 0 {
                    out.push_str("[*]");
                }
                depth += 1;
            }
            ']' => depth -= 1,
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out.replace(".*", "[*]")
}

/// Whether a change at field `change` (of the CRD) can explain an error at field `error` (of a
/// resource): one is the other or lies under it. The root (`""`) explains everything.
pub fn explains(change: &str, error: &str) -> bool {
    let (c, e) = (normalized(change), normalized(error));
    let under = |a: &str, b: &str| {
        a == b
            || b.is_empty()
            || a.strip_prefix(b)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    under(&e, &c) || under(&c, &e)
}

/// The upgrade findings of a CRD that explain a resource's errors in `version`: those about a
/// field at or around an error's field, or, for errors without a field (the version is gone),
/// those about the version itself.
pub fn causes<'f>(findings: &'f [Finding], version: &str, fields: &[&str]) -> Vec<&'f Finding> {
    findings
        .iter()
        .filter(|f| {
            let Some(c) = &f.change else { return false };
            if !c.versions.is_empty() && !c.versions.iter().any(|v| v == version) {
                return false;
            }
            match &c.path {
                Some(p) => fields.iter().any(|e| explains(p, e)),
                None => fields.is_empty() && !c.versions.is_empty(),
            }
        })
        .collect()
}

/// The message: what was valid against which CRD at the base, and what explains it now.
pub fn message(
    what: &str,
    crd: &str,
    base: &str,
    errors: &[(Option<&str>, &str)],
    causes: &[&Finding],
) -> String {
    let n = errors.len();
    let fields: Vec<&str> = errors.iter().filter_map(|(f, _)| *f).collect();
    let mut unique: Vec<&str> = Vec::new();
    for f in fields {
        if !unique.contains(&f) {
            unique.push(f);
        }
    }
    let at = if unique.is_empty() {
        errors.first().map(|(_, r)| format!(" ({r})")).unwrap_or_default()
    } else {
        const SHOWN: usize = 3;
        let mut s = unique
            .iter()
            .take(SHOWN)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        if unique.len() > SHOWN {
            s.push_str(&format!(" and {} more", unique.len() - SHOWN));
        }
        format!(" at {s}")
    };
    let errors = format!("{n} error{}{at}", if n == 1 { "" } else { "s" });
    let why = if causes.is_empty() {
        "; see the upgrade/* findings of the CRD".to_string()
    } else {
        let mut rules: Vec<String> = Vec::new();
        for f in causes {
            let place = f
                .change
                .as_ref()
                .and_then(|c| c.path.clone())
                .filter(|p| !p.is_empty());
            let r = match place {
                Some(p) => format!("{} at {p}", f.rule),
                None => f.rule.to_string(),
            };
            if !rules.contains(&r) {
                rules.push(r);
            }
        }
        format!(", caused by {}", rules.join(", "))
    };
    format!("{what} was valid against {crd} at {base} and is not any more: {errors}{why}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_matched_below_and_above() {
        assert_eq!(normalized("spec.ports[0].name"), "spec.ports[*].name");
        assert_eq!(normalized("spec.labels[a.b]"), "spec.labels[*]");
        assert_eq!(normalized("spec.labels.*"), "spec.labels[*]");
        assert!(explains("spec.color", "spec.color"));
        assert!(explains("spec", "spec.size"));
        assert!(explains("spec.ports[*].name", "spec.ports[3].name"));
        assert!(explains("", "spec.x"));
        assert!(!explains("spec.colors", "spec.color"));
        assert!(!explains("spec.a", "spec.b"));
    }
}
