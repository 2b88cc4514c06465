//! `crd/preserve-unknown-fields`: `spec.preserveUnknownFields: true` is refused in
//! apiextensions.k8s.io/v1 (it only survives on CRDs created through the removed v1beta1 API),
//! along with what the server rejects because of it: defaults in a schema and a conversion
//! strategy other than `None`.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (validatePreserveUnknownFields; validateCustomResourceDefinitionSpec: specHasDefaults and the
//! conversion strategy check).

use crate::lint::walk::layout::{ptr, schema_has, schema_of};
use crate::lint::{Finding, Rule};
use crate::wording::go_quote;
use crate::yaml::Node;

const ID: &str = "crd/preserve-unknown-fields";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(spec) = root.get("spec") else {
        return;
    };
    let Some(flag) = spec
        .get("preserveUnknownFields")
        .filter(|n| n.as_bool() == Some(true))
    else {
        return;
    };
    let mut push = |message: String, span| {
        problems.push(Finding::new(ID, message, span))
    };
    push(
        "spec.preserveUnknownFields: Invalid value: true: cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead".into(),
        flag.span,
    );
    let versions = spec
        .get("versions")
        .and_then(Node::as_seq)
        .unwrap_or_default();
    let has_default = |s: &Node| s.get("default").is_some_and(|d| !d.is_null());
    if versions
        .iter()
        .filter_map(schema_of)
        .any(|s| schema_has(s, &has_default))
    {
        push(
            "spec.preserveUnknownFields: Invalid value: true: must be false in order to use defaults in the schema".into(),
            flag.span,
        );
    }
    if let Some(conversion) = ptr(spec, "conversion") {
        let strategy = conversion.get("strategy");
        let value = strategy.and_then(Node::as_str).unwrap_or_default();
        if value != "None" {
            push(
                format!(
                    "spec.conversion.strategy: Invalid value: {}: must be None if spec.preserveUnknownFields is true",
                    go_quote(value)
                ),
                strategy.map(|s| s.span).unwrap_or(conversion.span),
            );
        }
    }
}
