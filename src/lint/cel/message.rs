//! `cel/message`: a rule's `message` is blank, has line breaks, or is missing where the rule
//! spans several lines; a `messageExpression` is blank.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (the else-if chain over rule and message, then messageExpression).

use crate::cel::walk::RuleAt;
use crate::lint::{Context, Finding, Rule};
use crate::wording::go_quote;
use crate::yaml::Node;

const ID: &str = "cel/message";

pub const RULE: Rule = Rule {
    cel_rule: Some(check),
    ..Rule::new(ID)
};

fn has_newlines(s: &str) -> bool {
    s.contains(['\n', '\r'])
}

pub fn check(at: &RuleAt, _ctx: &Context, problems: &mut Vec<Finding>) {
    let mut push = |key: &str, message: String, node: Option<&Node>| {
        let field = at.field(key);
        problems.push(Finding::new(
            ID,
            format!("{field}: {message}"),
            node.map_or(at.entry.span, |n| n.span),
        )
        .with_field(field));
    };
    let rule = at.entry.get("rule").and_then(Node::as_str).unwrap_or("");
    let message_node = at.entry.get("message");
    let message = message_node.and_then(Node::as_str).unwrap_or("");
    if rule.trim().is_empty() {
        // Reported by cel/missing-rule.
    } else if !message.is_empty() && message.trim().is_empty() {
        push(
            "message",
            format!(
                "Invalid value: {}: message must be non-empty if specified",
                go_quote(message)
            ),
            message_node,
        );
    } else if has_newlines(message.trim()) {
        push(
            "message",
            format!(
                "Invalid value: {}: message must not contain line breaks",
                go_quote(message)
            ),
            message_node,
        );
    } else if has_newlines(rule.trim()) && message.trim().is_empty() {
        push(
            "message",
            "Required value: message must be specified if rule contains line breaks".into(),
            at.entry.get("rule"),
        );
    }
    let expr_node = at.entry.get("messageExpression");
    let expr = expr_node.and_then(Node::as_str).unwrap_or("");
    if !expr.is_empty() && expr.trim().is_empty() {
        push(
            "messageExpression",
            "Required value: messageExpression must be non-empty if specified".into(),
            expr_node,
        );
    }
}
