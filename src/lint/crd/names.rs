//! `crd/names`: the resource names under `spec.names` and the version names, as the API server
//! checks them: `plural`, `singular`, `shortNames` and `categories` are DNS-1035 labels, `kind` and
//! `listKind` are DNS-1035 labels once lowercased, `listKind` differs from `kind`, all four names
//! are required (after the v1 defaults: `singular` = lowercase `kind`, `listKind` = `kind` +
//! "List"), and each `spec.versions[*].name` is a DNS-1035 label.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (validateCustomResourceDefinitionSpec, ValidateCustomResourceDefinitionNames) and
//! `pkg/apis/apiextensions/v1/defaults.go` (SetDefaults_CustomResourceDefinitionSpec).
//! A missing `spec.names.kind` is `crd/invalid`'s; an empty one is reported here.

use crate::lint::{Finding, Rule};
use crate::source::Span;
use crate::wording::go_quote;
use crate::validate::k8s_names::is_dns1035_label;
use crate::yaml::Node;

const ID: &str = "crd/names";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};

fn invalid(problems: &mut Vec<Finding>, field: &str, value: &str, detail: &str, span: Span) {
    problems.push(Finding::new(
        ID,
        format!("{field}: Invalid value: {}: {detail}", go_quote(value)),
        span,
    ));
}

fn required(problems: &mut Vec<Finding>, field: &str, span: Span) {
    problems.push(Finding::new(ID, format!("{field}: Required value"), span));
}

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(spec) = root.get("spec").filter(|s| s.as_map().is_some()) else {
        return;
    };
    if let Some(versions) = spec.get("versions").and_then(Node::as_seq) {
        for (i, v) in versions.iter().enumerate() {
            let Some(n) = v.get("name") else { continue };
            if let Some(name) = n.as_str() {
                let errs = is_dns1035_label(name);
                if !errs.is_empty() {
                    let field = format!("spec.versions[{i}].name");
                    invalid(problems, &field, name, &errs.join(","), n.span);
                }
            }
        }
    }
    let names = spec.get("names").filter(|n| n.as_map().is_some());
    let names_span = names.map(|n| n.span).unwrap_or(spec.span);
    let node = |k: &str| names.and_then(|n| n.get(k)).filter(|v| !v.is_null());
    // A value that is not a string is a decoding error, not ours: skip its checks.
    let text = |k: &str| match node(k) {
        None => Some(""),
        Some(n) => n.as_str(),
    };
    let span_of = |k: &str| node(k).map(|n| n.span).unwrap_or(names_span);
    let (Some(plural), Some(singular), Some(kind), Some(list_kind)) = (
        text("plural"),
        text("singular"),
        text("kind"),
        text("listKind"),
    ) else {
        return;
    };
    // The v1 defaults, applied before validation.
    let (singular, singular_span) = if singular.is_empty() {
        (kind.to_lowercase(), span_of("kind"))
    } else {
        (singular.to_string(), span_of("singular"))
    };
    let (list_kind, list_kind_span) = if list_kind.is_empty() && !kind.is_empty() {
        (format!("{kind}List"), span_of("kind"))
    } else {
        (list_kind.to_string(), span_of("listKind"))
    };

    if plural.is_empty() {
        required(problems, "spec.names.plural", span_of("plural"));
    }
    if singular.is_empty() {
        required(problems, "spec.names.singular", singular_span);
    }
    if kind.is_empty() && node("kind").is_some() {
        required(problems, "spec.names.kind", span_of("kind"));
    }
    if list_kind.is_empty() {
        required(problems, "spec.names.listKind", list_kind_span);
    }

    let label = |problems: &mut Vec<Finding>, field: &str, value: &str, span: Span| {
        let errs = is_dns1035_label(value);
        if !value.is_empty() && !errs.is_empty() {
            invalid(problems, field, value, &errs.join(","), span);
        }
    };
    let kind_label = |problems: &mut Vec<Finding>, field: &str, value: &str, span: Span| {
        let errs = is_dns1035_label(&value.to_lowercase());
        if !value.is_empty() && !errs.is_empty() {
            let detail = format!(
                "may have mixed case, but should otherwise match: {}",
                errs.join(",")
            );
            invalid(problems, field, value, &detail, span);
        }
    };
    label(problems, "spec.names.plural", plural, span_of("plural"));
    label(problems, "spec.names.singular", &singular, singular_span);
    kind_label(problems, "spec.names.kind", kind, span_of("kind"));
    kind_label(problems, "spec.names.listKind", &list_kind, list_kind_span);
    let list = |k: &str| node(k).and_then(Node::as_seq).unwrap_or_default();
    for (i, n) in list("shortNames").iter().enumerate() {
        if let Some(s) = n.as_str() {
            let errs = is_dns1035_label(s);
            if !errs.is_empty() {
                let field = format!("spec.names.shortNames[{i}]");
                invalid(problems, &field, s, &errs.join(","), n.span);
            }
        }
    }
    if !kind.is_empty() && kind == list_kind {
        invalid(
            problems,
            "spec.names.listKind",
            &list_kind,
            "kind and listKind may not be the same",
            list_kind_span,
        );
    }
    for (i, n) in list("categories").iter().enumerate() {
        if let Some(s) = n.as_str() {
            let errs = is_dns1035_label(s);
            if !errs.is_empty() {
                let field = format!("spec.names.categories[{i}]");
                invalid(problems, &field, s, &errs.join(","), n.span);
            }
        }
    }
}
