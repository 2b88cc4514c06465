//! `upgrade/pattern-changed` (warning): a string field got a `pattern`, or its pattern changed,
//! and the new expression does not accept every value the old one did. That is decided on the two
//! expressions' DFAs (a search of their product for a string the old one matches and the new one
//! does not, as Go's `MatchString` matches: anywhere in the value); a pattern only widened
//! (`^https?://` to `^(https?|socks5)://`) is not reported. When the DFAs are too large to build
//! or to search, the change is reported for review. Values that do not match are refused when
//! created, and when updated with a changed value (unchanged values are ratcheted since
//! Kubernetes 1.30); `upgrade/breaks-resource` names the manifests that no longer match. A
//! removed pattern is not reported.
//! Followed: kube-openapi `pkg/validation/validate/validator.go` (pattern) and
//! apiextensions-apiserver `pkg/apiserver/validation/ratcheting.go`.

use crate::lint::walk::revision::{Pair, Revision, differs};
use crate::lint::{Finding, Rule};
use crate::model::regex::translate;
use crate::wording::go_quote;
use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::{Anchored, Input};
use std::collections::HashSet;

pub const ID: &str = "upgrade/pattern-changed";

pub const RULE: Rule = Rule {
    upgrade_pair: Some(check),
    ..Rule::new(ID)
};

pub fn check(_rev: &Revision, pair: &Pair, out: &mut Vec<Finding>) {
    if !differs(pair, "pattern") {
        return;
    }
    let new = pair.new.str("pattern");
    if new.is_empty() {
        return;
    }
    let old = pair.old.str("pattern");
    if accepts_all_of(old, new) == Some(true) {
        return;
    }
    let what = if old.is_empty() {
        format!(
            "pattern {} was added: values that do not match it are refused when created, and when updated with a changed value",
            go_quote(new)
        )
    } else {
        format!(
            "pattern changed from {} to {}: values that matched only the old one are refused when created, and when updated with a changed value",
            go_quote(old),
            go_quote(new)
        )
    };
    out.push(pair.finding(ID, "pattern", what));
}

/// Whether every string the pattern `old` matches (anywhere in it; the empty pattern matches
/// every string), `new` matches too: a breadth-first search of the product of the two DFAs for a
/// string `old` matches and `new` does not. None when a DFA cannot be built within the limits,
/// gives up on a byte (a Unicode word boundary), or the search grows too large.
fn accepts_all_of(old: &str, new: &str) -> Option<bool> {
    const LIMIT: usize = 1 << 20;
    let build = |p: &str| {
        dense::Builder::new()
            .configure(
                dense::Config::new()
                    .start_kind(StartKind::Unanchored)
                    .dfa_size_limit(Some(LIMIT))
                    .determinize_size_limit(Some(LIMIT)),
            )
            .build(&translate(p))
            .ok()
    };
    let (a, b) = (build(old)?, build(new)?);
    let input = Input::new("").anchored(Anchored::No);
    let start = (
        Some(a.start_state_forward(&input).ok()?),
        b.start_state_forward(&input).ok()?,
    );
    // A state of the search: `old`'s DFA state (None once `old` has matched: a match anywhere
    // stays a match whatever follows) and `new`'s, which has not matched yet (a string `new`
    // matches cannot be a counterexample, nor can its extensions).
    let mut seen: HashSet<(Option<StateID>, StateID)> = HashSet::new();
    let mut queue = vec![start];
    seen.insert(start);
    while let Some((sa, sb)) = queue.pop() {
        // Ending the string here: `old` matches it and `new` does not?
        let a_ends = sa.is_none_or(|s| a.is_match_state(a.next_eoi_state(s)));
        if a_ends && !b.is_match_state(b.next_eoi_state(sb)) {
            return Some(false);
        }
        for byte in 0..=255u8 {
            let nb = b.next_state(sb, byte);
            if b.is_quit_state(nb) {
                return None;
            }
            // `new` has matched (match states come one byte after the match): so does every
            // string that goes on from here.
            if b.is_match_state(nb) {
                continue;
            }
            let na = match sa {
                None => None,
                Some(s) => {
                    let n = a.next_state(s, byte);
                    if a.is_quit_state(n) {
                        return None;
                    }
                    // `old` can no longer match: no counterexample this way.
                    if a.is_dead_state(n) {
                        continue;
                    }
                    (!a.is_match_state(n)).then_some(n)
                }
            };
            if na.is_none() && b.is_dead_state(nb) {
                // `old` has matched and `new` never will.
                return Some(false);
            }
            if seen.insert((na, nb)) {
                if seen.len() > LIMIT {
                    return None;
                }
                queue.push((na, nb));
            }
        }
    }
    Some(true)
}

#[cfg(test)]
mod tests {
    use super::accepts_all_of;

    #[test]
    fn widened_patterns_accept_all_the_old_ones_did() {
        for (old, new) in [
            ("^http(s)?://.+$", "^(http|https|socks5)://.+$"),
            ("^a$", "^(a|b)$"),
            ("^[0-9]+$", "^\\d+$"),
            ("^[a-z]{1,5}$", "^[a-z]{1,10}$"),
            ("^a", "a"),
            ("abc", "b"),
            ("^x", ""),
            ("^x", ".*"),
            ("", ""),
        ] {
            assert_eq!(accepts_all_of(old, new), Some(true), "{old} -> {new}");
        }
    }

    #[test]
    fn narrowed_or_different_patterns_do_not() {
        for (old, new) in [
            (
                "^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$",
                "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
            ),
            ("a", "^a"),
            ("^(a|b)$", "^a$"),
            ("^[a-z]{1,10}$", "^[a-z]{1,5}$"),
            ("", "^x"),
            ("^x", "^y"),
            ("^\\d+$", "^[0-8]+$"),
            ("x", "x$"),
        ] {
            assert_eq!(accepts_all_of(old, new), Some(false), "{old} -> {new}");
        }
    }
}
