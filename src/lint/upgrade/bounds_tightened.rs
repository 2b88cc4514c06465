//! `upgrade/bounds-tightened` (warning): a bound got stricter: `minimum`, `minLength`,
//! `minItems` or `minProperties` added or raised; `maximum`, `maxLength`, `maxItems` or
//! `maxProperties` added or lowered; `exclusiveMinimum`/`exclusiveMaximum` switched on at the same
//! bound; `multipleOf` added or changed to a value the old one is not a multiple of. Values
//! outside the new bound are refused when created, and when updated with a changed value
//! (unchanged values are ratcheted since Kubernetes 1.30): whether anything breaks depends on the
//! data, and `upgrade/breaks-resource` names the manifests that break. Relaxed bounds are not
//! reported.
//! Followed: kube-openapi `pkg/validation/validate` (the bound checks) and apiextensions-apiserver
//! `pkg/apiserver/validation/ratcheting.go`.

use crate::lint::walk::revision::{Pair, Revision, differs, number};
use crate::lint::{Finding, Rule};
use crate::yaml::node::format_go_float;

pub const ID: &str = "upgrade/bounds-tightened";

pub const RULE: Rule = Rule {
    upgrade_pair: Some(check),
    ..Rule::new(ID)
};

/// Size bounds: the key, whether it is a lower bound (stricter when raised; an upper one is
/// stricter when lowered), and what a value outside it is.
const SIZES: &[(&str, bool, &str)] = &[
    ("minLength", true, "shorter strings"),
    ("minItems", true, "shorter lists"),
    ("minProperties", true, "maps with fewer entries"),
    ("maxLength", false, "longer strings"),
    ("maxItems", false, "longer lists"),
    ("maxProperties", false, "maps with more entries"),
];

const CONSEQUENCE: &str = "are refused when created, and when updated with a changed value";

fn shown(v: f64) -> String {
    format_go_float(v)
}

pub fn check(_rev: &Revision, pair: &Pair, out: &mut Vec<Finding>) {
    let mut report = |key: &str, what: String| out.push(pair.finding(ID, key, what));
    for &(key, lower, outside) in SIZES {
        if !differs(pair, key) {
            continue;
        }
        match (number(&pair.old, key), number(&pair.new, key)) {
            (None, Some(n)) => report(
                key,
                format!("{key} {} was added: {outside} {CONSEQUENCE}", shown(n)),
            ),
            (Some(o), Some(n)) if (lower && n > o) || (!lower && n < o) => report(
                key,
                format!(
                    "{key} {} from {} to {}: {outside} {CONSEQUENCE}",
                    if lower { "raised" } else { "lowered" },
                    shown(o),
                    shown(n)
                ),
            ),
            _ => {}
        }
    }
    // minimum/maximum with their exclusive flags: (bound, exclusive) compared as a whole.
    for (key, exclusive, lower) in [
        ("minimum", "exclusiveMinimum", true),
        ("maximum", "exclusiveMaximum", false),
    ] {
        if !differs(pair, key) && !differs(pair, exclusive) {
            continue;
        }
        let (Some(n), ne) = (number(&pair.new, key), pair.new.flag(exclusive)) else {
            continue;
        };
        let (o, oe) = (number(&pair.old, key), pair.old.flag(exclusive));
        let stricter = match o {
            None => true,
            Some(o) if lower => n > o || (n == o && ne && !oe),
            Some(o) => n < o || (n == o && ne && !oe),
        };
        if !stricter {
            continue;
        }
        let side = if lower { "smaller" } else { "larger" };
        let bound = |v: f64, e: bool| {
            format!("{}{}", shown(v), if e { " (exclusive)" } else { "" })
        };
        let what = match o {
            None => format!("{key} {} was added: {side} values {CONSEQUENCE}", bound(n, ne)),
            Some(o) if o == n => format!(
                "{exclusive} was switched on: the value {} itself is refused when created, and when updated with a changed value",
                shown(n)
            ),
            Some(o) => format!(
                "{key} changed from {} to {}: {side} values {CONSEQUENCE}",
                bound(o, oe),
                bound(n, ne)
            ),
        };
        let at = if o == Some(n) { exclusive } else { key };
        report(at, what);
    }
    if differs(pair, "multipleOf")
        && let Some(n) = number(&pair.new, "multipleOf")
    {
        let stricter = match number(&pair.old, "multipleOf") {
            None => true,
            Some(o) => n == 0.0 || (o / n).fract() != 0.0,
        };
        if stricter {
            report(
                "multipleOf",
                format!(
                    "multipleOf {} is stricter than before: other values {CONSEQUENCE}",
                    shown(n)
                ),
            );
        }
    }
}
