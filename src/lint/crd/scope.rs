//! `crd/scope`: `spec.scope` is required and is `Cluster` or `Namespaced` (the v1 API has no
//! default for it).
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (validateCustomResourceDefinitionSpec, validateEnumStrings).

use crate::lint::{Finding, Rule};
use crate::wording::go_quote;
use crate::yaml::Node;

const ID: &str = "crd/scope";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(spec) = root.get("spec").filter(|s| s.as_map().is_some()) else {
        return;
    };
    let node = spec.get("scope").filter(|n| !n.is_null());
    let Some(scope) = node.map_or(Some(""), Node::as_str) else {
        return; // not a string: a decoding error
    };
    let span = node.map(|n| n.span).unwrap_or(spec.span);
    let message = match scope {
        "Cluster" | "Namespaced" => return,
        "" => "spec.scope: Required value".to_string(),
        other => format!(
            "spec.scope: Unsupported value: {}: supported values: \"Cluster\", \"Namespaced\"",
            go_quote(other)
        ),
    };
    problems.push(Finding::new(ID, message, span));
}
