//! `cel/rule`: a failed CEL rule, reported as the API server reports it (its message, reason
//! and fieldPath; scalar values shown, objects and lists not). Also the evaluator's errors the
//! server words itself (cost limits, a missing key, division by zero), and, as
//! `cel/unsupported`, what crdlint could not evaluate: never a silent pass.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/cel/validation.go`.

use super::runtime_cost;
use crate::model::schema::{AdditionalProperties, Schema};
use crate::source::Span;
use crate::wording::field_path::child;
use crate::wording::{BadValue, ErrorType, FieldError};
use crate::yaml::{Node, Value};

/// Report one error of kube-cel's run over `root`; `entry`: its rule's entry, from the node
/// whose rules gave it. `message_stop`: the run stopped in this failed rule's
/// messageExpression. Returns whether the server runs no further rules.
pub fn report(
    e: kube_cel::ValidationError,
    entry: Option<&kube_cel::Rule>,
    message_stop: Option<cel::cost::Stop>,
    root: &Node,
    schema: Option<&Schema>,
    out: &mut Vec<FieldError>,
) -> bool {
    // The rule's own node, and the path the server reports its failures at: with the rule's
    // fieldPath, normalized (validation.go:463, ValidFieldPath).
    let at = reach(root, schema, node_path(&e, entry));
    let fp_path = match entry.and_then(|r| r.field_path.as_deref()) {
        Some(fp) if !fp.is_empty() => child(&at.server, &normalize_field_path(fp, at.schema)),
        _ => at.server.clone(),
    };
    let fp_span = reach(root, None, &e.field_path).span;
    let runtime = match message_stop {
        Some(stop) => Some(message_stop_error(entry, stop)),
        None => runtime_error(&e, entry),
    };
    if let Some(r) = runtime {
        // The server shows the type of the rule's node with these errors.
        let type_ = at.schema.map(|s| s.type_.clone()).unwrap_or_default();
        let (path, span) = if r.at_field_path {
            (fp_path, fp_span)
        } else {
            (at.server.clone(), at.span)
        };
        out.push(FieldError::new(
            "cel/rule",
            ErrorType::Invalid,
            path,
            BadValue::Value(Value::String(type_.into())),
            r.message,
            span,
        ));
        return r.stops;
    }
    if e.kind == kube_cel::ErrorKind::ValidationFailure {
        // validation.go:496-501: the value of the rule's node, omitted for objects and lists
        // (so always with a fieldPath, which only objects can have); a Duplicate has no detail
        // (fieldErrorForReason: field.Duplicate(fldPath, value)).
        let shown = match &at.node.value {
            Value::Map(_) | Value::Seq(_) => BadValue::Omit,
            v => BadValue::Value(v.clone()),
        };
        let kind = error_type(e.reason.as_deref());
        let detail = if kind == ErrorType::Duplicate {
            String::new()
        } else {
            failure_detail(&e, rule_at(at.schema, &e.rule), entry)
        };
        out.push(FieldError::new(
            "cel/rule", kind, fp_path, shown, detail, fp_span,
        ));
    } else {
        // Not evaluated here (an unsupported function, a runtime error in our evaluator):
        // never an error the server might not give, but never a silent pass either.
        let fe = FieldError::new(
            "cel/unsupported",
            ErrorType::Invalid,
            fp_path,
            BadValue::Omit,
            "",
            fp_span,
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

/// The message of a failed rule (validation.go:472-494): the messageExpression's result,
/// trimmed, unless it is empty, holds a line break or passes 5 KiB (evalMessageExpression),
/// else `ruleMessageOrDefault`: the trimmed message, or "failed rule: " and the trimmed rule.
/// kube-cel keeps an empty or multi-line result and does not trim.
/// `entry`: the rule's compiled entry, from the node whose rules ran (the same rule text may
/// appear at other nodes, or twice at one, with another message); else `at_node`, the first
/// entry with its text in its node's `x-kubernetes-validations`.
fn failure_detail(
    e: &kube_cel::ValidationError,
    at_node: Option<&Node>,
    entry: Option<&kube_cel::Rule>,
) -> String {
    let (message, has_expression) = match (entry, at_node) {
        (Some(r), _) => (r.message.as_deref(), r.message_expression.is_some()),
        (None, Some(n)) => (
            n.get("message").and_then(Node::as_str),
            n.get("messageExpression").is_some_and(|m| !m.is_null()),
        ),
        (None, None) => (None, false),
    };
    let fallback = || match message.map(str::trim) {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => format!("failed rule: {}", e.rule.trim()),
    };
    if has_expression {
        let m = e.message.trim();
        if !m.is_empty() && !m.contains('\n') && m.len() <= 5 * 1024 {
            return m.to_string();
        }
    }
    fallback()
}

/// The entry of `x-kubernetes-validations` of a schema node whose rule is `rule`.
fn rule_at<'s>(schema: Option<&'s Schema>, rule: &str) -> Option<&'s Node> {
    schema?
        .validations
        .as_ref()?
        .as_seq()?
        .iter()
        .find(|r| r.get("rule").and_then(Node::as_str) == Some(rule))
}

/// A node reached along a kube-cel path.
struct Reached<'a, 's> {
    node: &'a Node,
    /// The key that holds it, or the list item itself.
    span: Span,
    schema: Option<&'s Schema>,
    /// Its path as the server writes it (field.Path): a property as a child (`.name`), a key
    /// of a map (additionalProperties) as `[key]` (`fldPath.Key(k)`), an item as `[i]`.
    server: String,
}

/// Follow kube-cel's path (`spec.ports[1].name`: every step joined with '.', keys of maps
/// included) through the object and its schema. Keys may hold dots, so each step takes the
/// longest key of the object the rest of the path starts with. Whatever cannot be followed is
/// kept as kube-cel wrote it.
fn reach<'a, 's>(root: &'a Node, schema: Option<&'s Schema>, path: &str) -> Reached<'a, 's> {
    let mut r = Reached {
        node: root,
        span: root.span,
        schema,
        server: String::new(),
    };
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let Some((ix, tail)) = after.split_once(']') else {
                break;
            };
            let (Value::Seq(items), Ok(i)) = (&r.node.value, ix.parse::<usize>()) else {
                break;
            };
            let Some(item) = items.get(i) else {
                break;
            };
            r.node = item;
            r.span = item.span;
            r.schema = r.schema.and_then(|s| s.items.as_deref());
            r.server.push_str(&format!("[{i}]"));
            rest = tail;
            continue;
        }
        let step = if r.server.is_empty() {
            rest
        } else {
            match rest.strip_prefix('.') {
                Some(s) => s,
                None => break,
            }
        };
        let Value::Map(entries) = &r.node.value else {
            break;
        };
        let Some(e) = entries
            .iter()
            .filter(|e| {
                step.strip_prefix(e.key.as_str())
                    .is_some_and(|t| t.is_empty() || t.starts_with(['.', '[']))
            })
            .max_by_key(|e| e.key.len())
        else {
            break;
        };
        let is_key = r.schema.is_some_and(|s| {
            !s.properties.contains_key(e.key.as_str())
                && matches!(
                    s.additional_properties,
                    Some(AdditionalProperties::Schema(_))
                )
        });
        if is_key {
            r.server.push_str(&format!("[{}]", e.key));
        } else {
            r.server = child(&r.server, &e.key);
        }
        r.schema = r.schema.and_then(|s| s.property_schema(&e.key));
        r.node = &e.value;
        r.span = e.key_span;
        rest = &step[e.key.len()..];
    }
    r.server.push_str(rest);
    r
}

/// A rule's fieldPath as `ValidFieldPath` normalizes it against the rule's schema
/// (validation.go:557-676): `.a`, `['a']` are children where the schema has properties, keys
/// (`[a]`) where it has additionalProperties; printed as a field.Path. Unparseable or invalid
/// paths (the server refuses such CRDs) are kept as written.
fn normalize_field_path(fp: &str, schema: Option<&Schema>) -> String {
    let mut tokens = Vec::new();
    let mut rest = fp;
    while let Some(c) = rest.chars().next() {
        if c == '\'' {
            // a single-quoted string, up to the next quote not escaped
            let b = rest.as_bytes();
            let end = (1..b.len()).find(|&i| b[i] == b'\'' && b[i - 1] != b'\\');
            let Some(end) = end else {
                return fp.to_string();
            };
            tokens.push(&rest[..=end]);
            rest = &rest[end + 1..];
        } else if matches!(c, '.' | '[' | ']') {
            tokens.push(&rest[..1]);
            rest = &rest[1..];
        } else {
            let end = rest.find(['.', '[', ']']).unwrap_or(rest.len());
            tokens.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    let mut schema = schema;
    let mut out = String::new();
    let mut t = tokens.into_iter();
    while let Some(tok) = t.next() {
        let name = match tok {
            "[" => {
                let (Some(q), Some("]")) = (t.next(), t.next()) else {
                    return fp.to_string();
                };
                if q.len() < 2 || !q.starts_with('\'') || !q.ends_with('\'') {
                    return fp.to_string();
                }
                q[1..q.len() - 1].replace("\\'", "'").replace("\\\\", "\\")
            }
            "." => match t.next() {
                Some(n) => n.to_string(),
                None => return fp.to_string(),
            },
            _ => return fp.to_string(),
        };
        let Some(s) = schema else {
            return fp.to_string();
        };
        if !s.properties.is_empty() {
            let Some(prop) = s.properties.get(name.as_str()) else {
                return fp.to_string();
            };
            out = child(&out, &name);
            schema = Some(prop);
        } else if let Some(AdditionalProperties::Schema(ap)) = &s.additional_properties {
            out.push_str(&format!("[{name}]"));
            schema = Some(ap);
        } else {
            return fp.to_string();
        }
    }
    out
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
struct RuntimeError {
    /// Reported at the rule's fieldPath (else at its node).
    at_field_path: bool,
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
/// run; a missing key (a field the object does not have, read without `has()`), an integer
/// division or modulus by zero and a key `transformMapEntry` makes twice do not, and are
/// reported at the rule's node, not at its fieldPath. Other evaluator errors are not claimed:
/// their wording, and whether cel-go fails at all, may differ.
/// Followed: apiextensions-apiserver `pkg/apiserver/schema/cel/validation.go`.
fn runtime_error(
    e: &kube_cel::ValidationError,
    entry: Option<&kube_cel::Rule>,
) -> Option<RuntimeError> {
    let cause = runtime_cost::execution_error(e)?;
    let rule = rule_error_string(&e.rule, entry);
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
            // Two entries of one key from `transformMapEntry`: cel-go's `cel.@mapInsert` error.
            cel::ExecutionError::FunctionError { function, message }
                if function.starts_with("transformMap")
                    && message.starts_with("insert failed: key ")
                    && message.ends_with(" already exists") =>
            {
                (format!("{message} evaluating rule: {rule}"), false)
            }
            _ => return None,
        },
    };
    Some(RuntimeError {
        at_field_path: false,
        message,
        stops,
    })
}

/// The server's error for a failed rule whose messageExpression stopped the run.
fn message_stop_error(entry: Option<&kube_cel::Rule>, stop: cel::cost::Stop) -> RuntimeError {
    let expression = entry
        .and_then(|r| r.message_expression.as_deref())
        .unwrap_or_default();
    RuntimeError {
        at_field_path: true,
        message: runtime_cost::message_stop_message(stop, expression),
        stops: true,
    }
}

/// validation.go `ruleErrorString`: the rule's message if it has one, else the rule.
fn rule_error_string(rule: &str, entry: Option<&kube_cel::Rule>) -> String {
    match entry.and_then(|r| r.message.as_deref()).map(str::trim) {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => rule.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_stream;

    /// The entry of a rule in a compiled schema of one node, found by its text.
    fn rule_entry<'c>(rule: &str, c: &'c kube_cel::CompiledSchema) -> Option<&'c kube_cel::Rule> {
        c.properties
            .values()
            .flat_map(|p| p.validations.iter().flatten())
            .map(|r| &r.rule)
            .find(|r| r.rule == rule)
    }

    fn yaml(text: &str) -> Node {
        parse_stream(text).remove(0).root.unwrap()
    }

    #[test]
    fn paths_are_rebuilt_as_the_server_writes_them() {
        let schema = Schema::compile(
            &yaml(
                "type: object
properties:
  spec:
    type: object
    properties:
      dot.key: {type: string}
      m:
        type: object
        additionalProperties:
          type: object
          properties:
            a.b: {type: string}
      l:
        type: array
        items: {type: object, additionalProperties: {type: integer}}",
            ),
            "s",
            &mut Vec::new(),
        );
        let obj = yaml(
            "spec:
  dot.key: x
  m:
    k.1: {a.b: y}
    k: {}
  l:
    - {x.y: 1}",
        );
        let at = |p: &str| reach(&obj, Some(&schema), p).server;
        // kube-cel joins every step with '.'; map keys are `[key]` on the server.
        assert_eq!(at("spec.dot.key"), "spec.dot.key");
        assert_eq!(at("spec.m.k.1"), "spec.m[k.1]");
        assert_eq!(at("spec.m.k.1.a.b"), "spec.m[k.1].a.b");
        assert_eq!(at("spec.m.k"), "spec.m[k]");
        assert_eq!(at("spec.l[0].x.y"), "spec.l[0][x.y]");
        assert_eq!(at(""), "");
        // What cannot be followed stays as kube-cel wrote it.
        assert_eq!(at("spec.nope.x"), "spec.nope.x");
    }

    #[test]
    fn field_paths_are_normalized_as_valid_field_path_does() {
        let s = Schema::compile(
            &yaml(
                "type: object
properties:
  dot.key: {type: string}
  mode: {type: string}
  m: {type: object, additionalProperties: {type: string}}",
            ),
            "s",
            &mut Vec::new(),
        );
        let n = |fp: &str| normalize_field_path(fp, Some(&s));
        assert_eq!(n(".mode"), "mode");
        assert_eq!(n("['dot.key']"), "dot.key");
        assert_eq!(n(".m.k"), "m[k]");
        assert_eq!(n(".m['a.b']"), "m[a.b]");
        assert_eq!(n(".nope"), ".nope");
        assert_eq!(child("spec.ref", &n("['dot.key']")), "spec.ref.dot.key");
    }

    #[test]
    fn string_size_counts_code_points() {
        // cel-go types.String.Size: utf8.RuneCountInString.
        let schema = serde_json::json!({
            "type": "object",
            "x-kubernetes-preserve-unknown-fields": true,
            "x-kubernetes-validations": [
                {"rule": "self.k.size() == 7"},
                {"rule": "'é'.size() == 1 && self.all(k, k.size() <= 8)"},
            ],
        });
        let compiled = kube_cel::compile_schema(&schema);
        let object = serde_json::json!({"k": "🇫🇷alpha", "🇫🇷alpha": 1});
        let result = kube_cel::validate_compiled(&compiled, &object, None);
        assert!(result.is_ok(), "{result:?}");
    }

    #[test]
    fn an_empty_message_expression_falls_back_to_the_rule() {
        // evalMessageExpression: "messageExpression should evaluate to a non-empty string",
        // then ruleMessageOrDefault.
        let schema = serde_json::json!({
            "type": "object",
            "properties": {"s": {
                "type": "string",
                "x-kubernetes-validations": [
                    {"rule": " self.size() >= 2 ", "messageExpression": "string(self)"},
                    {"rule": "self != ''", "message": " trimmed ", "messageExpression": "' '"},
                ],
            }},
        });
        let compiled = kube_cel::compile_schema(&schema);
        let errors = kube_cel::validate_compiled(&compiled, &serde_json::json!({"s": ""}), None)
            .unwrap_err()
            .into_vec();
        let details: Vec<String> = errors
            .iter()
            .map(|e| failure_detail(e, None, rule_entry(&e.rule, &compiled)))
            .collect();
        assert_eq!(details, ["failed rule: self.size() >= 2", "trimmed"]);
    }
}
