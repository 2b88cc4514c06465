//! Kubernetes version priority (apimachinery `version.CompareKubeAwareVersionStrings`):
//! GA > beta > alpha, higher major first, then higher minor; versions that do not look like
//! Kubernetes versions come last, in alphabetical order.

use std::cmp::Ordering;

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    // Lower sorts first; priority is the reverse.
    Alpha,
    Beta,
    Ga,
}

/// `v1` -> (1, Ga, 0), `v2beta3` -> (2, Beta, 3).
fn parse(v: &str) -> Option<(u64, Kind, u64)> {
    let rest = v.strip_prefix('v')?;
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if digits == 0 || rest.starts_with('0') {
        return None;
    }
    let major: u64 = rest[..digits].parse().ok()?;
    let tail = &rest[digits..];
    if tail.is_empty() {
        return Some((major, Kind::Ga, 0));
    }
    let (kind, minor) = if let Some(m) = tail.strip_prefix("alpha") {
        (Kind::Alpha, m)
    } else if let Some(m) = tail.strip_prefix("beta") {
        (Kind::Beta, m)
    } else {
        return None;
    };
    if minor.is_empty() || !minor.bytes().all(|b| b.is_ascii_digit()) || minor.starts_with('0') {
        return None;
    }
    Some((major, kind, minor.parse().ok()?))
}

/// Ordering by priority: `Ordering::Greater` when `a` is preferred over `b`.
pub fn compare(a: &str, b: &str) -> Ordering {
    match (parse(a), parse(b)) {
        (Some((ma, ka, na)), Some((mb, kb, nb))) => ka.cmp(&kb).then(ma.cmp(&mb)).then(na.cmp(&nb)),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        // Non-Kubernetes versions: alphabetical, earlier first.
        (None, None) => b.cmp(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_aware_order() {
        let mut v = vec![
            "foo1",
            "v1alpha1",
            "v12alpha1",
            "v1beta1",
            "v1",
            "v2",
            "v2beta1",
            "v10",
            "v11beta2",
            "v10beta3",
            "v3beta1",
            "foo10",
        ];
        v.sort_by(|a, b| compare(b, a));
        assert_eq!(
            v,
            vec![
                "v10",
                "v2",
                "v1",
                "v11beta2",
                "v10beta3",
                "v3beta1",
                "v2beta1",
                "v1beta1",
                "v12alpha1",
                "v1alpha1",
                "foo1",
                "foo10"
            ]
        );
    }
}
