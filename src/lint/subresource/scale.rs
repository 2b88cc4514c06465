//! `subresource/scale`: the paths of the scale subresource: `specReplicasPath` (required, under
//! `.spec.`), `statusReplicasPath` (required, under `.status.`) and `labelSelectorPath`
//! (optional, under `.spec.` or `.status.`), each a simple JSON path starting with a dot.
//! Reported once at `spec.subresources` when every version has the same subresources (the
//! server validates them there), per version otherwise.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionSubresources, validateSimpleJSONPath). Whether the paths
//! exist in the schema is not checked by the server; `subresource/scale-path` warns about that.

use crate::lint::walk::layout::{Layout, ptr};
use crate::lint::{Finding, Rule};
use crate::source::Span;
use crate::wording::go_quote;
use crate::yaml::Node;

const ID: &str = "subresource/scale";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};

/// Whether `path` passes the server's checks for a path that must start with one of
/// `prefixes` (the scale paths are usable only then).
pub fn path_ok(path: &str, prefixes: &[&str]) -> bool {
    path.starts_with('.') && prefixes.iter().any(|p| path.starts_with(p))
}

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(layout) = Layout::of(root) else {
        return;
    };
    let shared = layout.subresources_shared;
    for (i, v) in layout.validated(shared) {
        let Some(scale) = ptr(v, "subresources").and_then(|s| ptr(s, "scale")) else {
            continue;
        };
        let at = format!("{}.subresources.scale", Layout::prefix(shared, i));
        let mut push = |message: String, span: Span| {
            problems.push(Finding::new(ID, message, span))
        };
        let paths: [(&str, &[&str], &str, bool); 3] = [
            (
                "specReplicasPath",
                &[".spec."],
                "should be a json path under .spec",
                true,
            ),
            (
                "statusReplicasPath",
                &[".status."],
                "should be a json path under .status",
                true,
            ),
            (
                "labelSelectorPath",
                &[".spec.", ".status."],
                "should be a json path under either .spec or .status",
                false,
            ),
        ];
        for (key, prefixes, under, required) in paths {
            let field = format!("{at}.{key}");
            let node = ptr(scale, key);
            let value = node.and_then(Node::as_str).unwrap_or_default();
            let span = node.map(|n| n.span).unwrap_or(scale.span);
            if value.is_empty() {
                if required {
                    push(format!("{field}: Required value"), span);
                }
                continue;
            }
            let detail = if !value.starts_with('.') {
                "must be a simple json path starting with ."
            } else if !path_ok(value, prefixes) {
                under
            } else {
                continue;
            };
            push(
                format!("{field}: Invalid value: {}: {detail}", go_quote(value)),
                span,
            );
        }
    }
}
