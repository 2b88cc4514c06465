//! `crd/deprecation-warning`: `spec.versions[*].deprecationWarning` may only be set on a version
//! with `deprecated: true`, must not be empty, is at most 256 bytes (the server's message says
//! "characters" but counts bytes) and holds only printable characters (Go's `unicode.IsPrint`:
//! letters, marks, numbers, punctuation, symbols and the ASCII space; no tabs or newlines).
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (validateCustomResourceDefinitionVersion, validateDeprecationWarning).

use crate::lint::{Finding, Rule};
use crate::wording::go_quote;
use crate::yaml::Node;
use regex::Regex;
use std::sync::LazyLock;

const ID: &str = "crd/deprecation-warning";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};

/// The first character Go's `unicode.IsPrint` rejects.
static NOT_PRINTABLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^\p{L}\p{M}\p{N}\p{P}\p{S} ]").expect("static regex"));

/// The server's complaints about a warning text (empty when it is fine).
fn errors(deprecated: bool, warning: &str) -> Vec<String> {
    if !deprecated {
        return vec!["can only be set for deprecated versions".into()];
    }
    let mut errs = Vec::new();
    if warning.len() > 256 {
        errs.push("must be <= 256 characters long".into());
    }
    if warning.is_empty() {
        errs.push("must not be an empty string".into());
    }
    // Upstream also has a "control character" message, but it tests IsPrint first, and no
    // control character is printable, so that message never appears.
    if let Some(m) = NOT_PRINTABLE.find(warning) {
        errs.push(format!(
            "must only contain printable UTF-8 characters; non-printable character found at index {}",
            m.start()
        ));
    }
    errs
}

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(versions) = crate::lint::walk::layout::versions(root) else {
        return;
    };
    for (i, v) in versions.iter().enumerate() {
        let Some(w) = v.get("deprecationWarning").filter(|w| !w.is_null()) else {
            continue;
        };
        let Some(text) = w.as_str() else {
            continue;
        };
        let deprecated = v.get("deprecated").and_then(Node::as_bool) == Some(true);
        for err in errors(deprecated, text) {
            problems.push(Finding::new(
                ID,
                format!(
                    "spec.versions[{i}].deprecationWarning: Invalid value: {}: {err}",
                    go_quote(text)
                ),
                w.span,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::errors;

    #[test]
    fn like_validate_deprecation_warning() {
        assert_eq!(
            errors(false, "x"),
            vec!["can only be set for deprecated versions"]
        );
        assert!(
            errors(
                true,
                "v1beta1 is deprecated; use v1 (see https://x.io/#a), ok?"
            )
            .is_empty()
        );
        assert_eq!(errors(true, ""), vec!["must not be an empty string"]);
        assert_eq!(
            errors(true, &"é".repeat(129)),
            vec!["must be <= 256 characters long"]
        );
        assert_eq!(
            errors(true, "use\tv1"),
            vec![
                "must only contain printable UTF-8 characters; non-printable character found at index 3"
            ]
        );
        // A no-break space is not printable for Go; the index counts bytes.
        assert_eq!(
            errors(true, "é\u{a0}"),
            vec![
                "must only contain printable UTF-8 characters; non-printable character found at index 2"
            ]
        );
    }
}
