//! `cel/rule`: a failed CEL rule, reported as the API server reports it (its message, reason
//! and fieldPath; scalar values shown, objects and lists not). Also the evaluator's errors the
//! server words itself (cost limits, a missing key, division by zero), and, as
//! `cel/unsupported`, what crdlint could not evaluate: never a silent pass.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/cel/validation.go`.

use super::eval::children;
use super::runtime_cost;
use crate::model::schema::Schema;
use crate::source::Span;
use crate::wording::{BadValue, ErrorType, FieldError};
use crate::yaml::{Entry, Node, Value};
use kube_cel::CompiledSchema;

/// Report one error of kube-cel's run over `root`. `message_stop`: the run stopped in this
/// failed rule's messageExpression. Returns whether the server runs no further rules.
pub fn report(
    e: kube_cel::ValidationError,
    message_stop: Option<cel::cost::Stop>,
    root: &Node,
    schema: Option<&Schema>,
    rules: &CompiledSchema,
    out: &mut Vec<FieldError>,
) -> bool {
    let runtime = match message_stop {
        Some(stop) => Some(message_stop_error(&e, rules, stop)),
        None => runtime_error(&e, rules),
    };
    if let Some(r) = runtime {
        // The server shows the type of the rule's node with these errors.
        let (_, _, node_schema) = node_at(root, schema, r.node_path);
        let (_, span, _) = node_at(root, None, r.error_path);
        let type_ = node_schema.map(|s| s.type_.clone()).unwrap_or_default();
        out.push(FieldError::new(
            "cel/rule",
            ErrorType::Invalid,
            r.error_path,
            BadValue::Value(Value::String(type_)),
            r.message,
            span,
        ));
        return r.stops;
    }
    let (node, span, _) = node_at(root, None, &e.field_path);
    // The server shows scalar values and omits objects and lists.
    let shown = || match &node.value {
        Value::Map(_) | Value::Seq(_) => BadValue::Omit,
        v => BadValue::Value(v.clone()),
    };
    if e.kind == kube_cel::ErrorKind::ValidationFailure {
        let kind = error_type(e.reason.as_deref());
        out.push(FieldError::new(
            "cel/rule",
            kind,
            e.field_path,
            shown(),
            e.message,
            span,
        ));
    } else {
        // Not evaluated here (an unsupported function, a runtime error in our evaluator):
        // never an error the server might not give, but never a silent pass either.
        let fe = FieldError::new(
            "cel/unsupported",
            ErrorType::Invalid,
            e.field_path,
            BadValue::Omit,
            "",
            span,
        );
        // A rule crdlint withholds says why, without the evaluator's "failed to compile".
        let detail = e
            .message
            .strip_prefix(&format!("failed to compile rule \"{}\": ", e.rule))
            .filter(|why| why.starts_with(crate::cel::compile::WITHHELD))
            .unwrap_or(&e.message);
        let message = format!(
            "{}: rule {:?} was not checked: {}",
            fe.field(),
            e.rule,
            detail
        );
        out.push(fe.with_own_message(message));
    }
    false
}

/// The node at an API-server field path (`spec.ports[1].name`), or the closest ancestor, with
/// the span to blame (the key that holds it, or the list item itself) and its schema.
fn node_at<'a, 's>(
    root: &'a Node,
    schema: Option<&'s Schema>,
    path: &str,
) -> (&'a Node, Span, Option<&'s Schema>) {
    let mut node = root;
    let mut blame = root.span;
    let mut schema = schema;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            match node.entry(key) {
                Some(e) => {
                    node = &e.value;
                    blame = e.key_span;
                    schema = schema.and_then(|s| s.property_schema(key));
                }
                None => return (node, blame, None),
            }
        }
        for ix in indexes.split('[').filter(|s| !s.is_empty()) {
            let ix = ix.trim_end_matches(']');
            let next = match (&node.value, ix.parse::<usize>()) {
                (Value::Seq(items), Ok(i)) => items
                    .get(i)
                    .map(|n| (n, schema.and_then(|s| s.items.as_deref()))),
                (Value::Map(entries), _) => {
                    let key = ix.trim_matches('"');
                    entries
                        .iter()
                        .find(|e: &&Entry| e.key == key)
                        .map(|e| (&e.value, schema.and_then(|s| s.property_schema(key))))
                }
                _ => None,
            };
            match next {
                Some((n, s)) => {
                    node = n;
                    blame = n.span;
                    schema = s;
                }
                None => return (node, blame, None),
            }
        }
    }
    (node, blame, schema)
}

fn error_type(reason: Option<&str>) -> ErrorType {
    match reason {
        Some("FieldValueForbidden") => ErrorType::Forbidden,
        Some("FieldValueRequired") => ErrorType::Required,
        Some("FieldValueDuplicate") => ErrorType::Duplicate,
        _ => ErrorType::Invalid,
    }
}

/// A runtime error of a rule that the API server reports as an error of its own.
struct RuntimeError<'e> {
    /// The path of the rule's node, whose type the server shows.
    node_path: &'e str,
    /// Where the server reports it.
    error_path: &'e str,
    message: String,
    /// No further rules run.
    stops: bool,
}

/// The path of the node of a rule: kube-cel puts every error of a rule at its fieldPath.
fn node_path<'e>(e: &'e kube_cel::ValidationError, entry: Option<&kube_cel::Rule>) -> &'e str {
    entry
        .and_then(|r| r.field_path.as_deref())
        .and_then(|fp| {
            e.field_path
                .strip_suffix(fp)
                .map(|p| p.strip_suffix('.').unwrap_or(p))
        })
        .unwrap_or(&e.field_path)
}

/// The server's own error for a runtime error of a rule, if it has one: cost limits stop the
/// run; a missing key (a field the object does not have, read without `has()`) and an integer
/// division or modulus by zero do not, and are reported at the rule's node, not at its
/// fieldPath. Other evaluator errors are not claimed: their wording, and whether cel-go fails
/// at all, may differ.
/// Followed: apiextensions-apiserver `pkg/apiserver/schema/cel/validation.go`.
fn runtime_error<'e>(
    e: &'e kube_cel::ValidationError,
    rules: &CompiledSchema,
) -> Option<RuntimeError<'e>> {
    let cause = runtime_cost::execution_error(e)?;
    let entry = rule_entry(&e.rule, rules);
    let rule = rule_error_string(&e.rule, entry);
    let node_path = node_path(e, entry);
    let (message, stops) = match runtime_cost::stop_message(cause, &rule) {
        Some(message) => (message, true),
        None => match cause {
            cel::ExecutionError::NoSuchKey(key) => {
                (format!("no such key: {key} evaluating rule: {rule}"), false)
            }
            // Integer and unsigned division: cel-go's `divideByZeroErr` and `modulusByZeroErr`.
            cel::ExecutionError::DivisionByZero(_) => {
                (format!("division by zero evaluating rule: {rule}"), false)
            }
            cel::ExecutionError::RemainderByZero(_) => {
                (format!("modulus by zero evaluating rule: {rule}"), false)
            }
            _ => return None,
        },
    };
    Some(RuntimeError {
        node_path,
        error_path: node_path,
        message,
        stops,
    })
}

/// The server's error for a failed rule whose messageExpression stopped the run.
fn message_stop_error<'e>(
    e: &'e kube_cel::ValidationError,
    rules: &CompiledSchema,
    stop: cel::cost::Stop,
) -> RuntimeError<'e> {
    let entry = rule_entry(&e.rule, rules);
    let expression = entry
        .and_then(|r| r.message_expression.as_deref())
        .unwrap_or_default();
    RuntimeError {
        node_path: node_path(e, entry),
        error_path: &e.field_path,
        message: runtime_cost::message_stop_message(stop, expression),
        stops: true,
    }
}

/// The entry of a rule in the compiled schema, found by its text (the first with it).
fn rule_entry<'c>(rule: &str, c: &'c CompiledSchema) -> Option<&'c kube_cel::Rule> {
    c.validations
        .iter()
        .flatten()
        .map(|r| &r.rule)
        .find(|r| r.rule == rule)
        .or_else(|| children(c).find_map(|child| rule_entry(rule, child)))
}

/// validation.go `ruleErrorString`: the rule's message if it has one, else the rule.
fn rule_error_string(rule: &str, entry: Option<&kube_cel::Rule>) -> String {
    match entry.and_then(|r| r.message.as_deref()).map(str::trim) {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => rule.trim().to_string(),
    }
}
