//! `conversion/strategy`: `spec.conversion.strategy` is `None` or `Webhook` (required when
//! `spec.conversion` is given; the v1 default for a missing `spec.conversion` is `None`), and a
//! strategy other than `Webhook` carries no webhook settings.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (validateCustomResourceConversion) and `pkg/apis/apiextensions/v1/conversion.go`
//! (v1 `webhook.clientConfig` and `webhook.conversionReviewVersions` are the internal
//! `webhookClientConfig` and `conversionReviewVersions`, whose paths the server prints).

use crate::lint::walk::layout::ptr;
use crate::lint::{Finding, Rule};
use crate::wording::go_quote;
use crate::yaml::Node;

const ID: &str = "conversion/strategy";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(conversion) = root.get("spec").and_then(|s| ptr(s, "conversion")) else {
        return;
    };
    let node = ptr(conversion, "strategy");
    let Some(strategy) = node.map_or(Some(""), Node::as_str) else {
        return; // not a string: a decoding error
    };
    let span = node.map(|n| n.span).unwrap_or(conversion.span);
    let mut push = |message: String, span| {
        problems.push(Finding::new(ID, message, span))
    };
    match strategy {
        "None" | "Webhook" => {}
        "" => push("spec.conversion.strategy: Required value".into(), span),
        other => push(
            format!(
                "spec.conversion.strategy: Unsupported value: {}: supported values: \"None\", \"Webhook\"",
                go_quote(other)
            ),
            span,
        ),
    }
    if strategy == "Webhook" {
        return;
    }
    let webhook = ptr(conversion, "webhook");
    if let Some(cc) = webhook.and_then(|w| ptr(w, "clientConfig")) {
        push(
            "spec.conversion.webhookClientConfig: Forbidden: should not be set when strategy is not set to Webhook".into(),
            cc.span,
        );
    }
    if let Some(crv) = webhook
        .and_then(|w| ptr(w, "conversionReviewVersions"))
        .filter(|l| l.as_seq().is_some_and(|l| !l.is_empty()))
    {
        push(
            "spec.conversion.conversionReviewVersions: Forbidden: should not be set when strategy is not set to Webhook".into(),
            crv.span,
        );
    }
}
