//! `x-kubernetes-validations` (CEL), evaluated with kube-cel after schema, embedded-resource and
//! list-type validation, as apiextensions-apiserver does; skipped when an earlier error is
//! "blocking". Transition rules (`oldSelf`) are skipped, as on create.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/cel/validation.go` (error values).

use super::runtime_cost;
use crate::model::schema::Schema;
use crate::source::Span;
use crate::wording::{BadValue, ErrorType, FieldError};
use crate::yaml::{Entry, Node, Value};
use kube_cel::CompiledSchema;

/// Whether the errors so far stop CEL from running (apiextensions-apiserver
/// `pkg/registry/customresource/strategy.go` `hasBlockingErr`: a type error or an unsupported
/// enum value means the data cannot be typed for CEL).
pub fn has_blocking_error(errors: &[FieldError]) -> bool {
    use crate::wording::ErrorType::{NotSupported, TypeInvalid};
    errors
        .iter()
        .any(|e| !e.status_dropped && matches!(e.kind, TypeInvalid | NotSupported))
}

/// The server's note when it skips the rules.
pub const SKIPPED_NOTE: &str = "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

/// The object CEL sees: `metadata` reduced to `name` and `generateName`, the only ObjectMeta
/// fields the server exposes to rules; and, above the nodes that have rules, only the branches
/// that lead to one (kube-cel converts the whole value at every node it walks, so the parts no
/// rule can see are left out).
fn cel_view(root: &Node, rules: &CompiledSchema) -> serde_json::Value {
    let mut json = view(root, rules);
    if let Some(serde_json::Value::Object(meta)) = json.get_mut("metadata") {
        meta.retain(|k, _| k == "name" || k == "generateName");
    }
    json
}

fn view(node: &Node, c: &CompiledSchema) -> serde_json::Value {
    if !c.validations.is_empty()
        || !c.all_of.is_empty()
        || !c.one_of.is_empty()
        || !c.any_of.is_empty()
    {
        return node.to_serde();
    }
    match &node.value {
        Value::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .filter_map(|e| {
                    let child = c.properties.get(&e.key).or(if c.preserve_unknown_fields {
                        None
                    } else {
                        c.additional_properties.as_deref()
                    })?;
                    Some((e.key.clone(), view(&e.value, child)))
                })
                .collect(),
        ),
        Value::Seq(items) => match &c.items {
            Some(item) => serde_json::Value::Array(items.iter().map(|i| view(i, item)).collect()),
            None => serde_json::Value::Array(Vec::new()),
        },
        _ => node.to_serde(),
    }
}

/// The subschemas of a compiled schema: properties, items, additionalProperties and the
/// junctors.
pub fn children(c: &CompiledSchema) -> impl Iterator<Item = &CompiledSchema> {
    c.properties
        .values()
        .chain(c.items.as_deref())
        .chain(c.additional_properties.as_deref())
        .chain(&c.all_of)
        .chain(&c.one_of)
        .chain(&c.any_of)
}

/// [`children`], to change.
pub fn children_mut(c: &mut CompiledSchema) -> impl Iterator<Item = &mut CompiledSchema> {
    c.properties
        .values_mut()
        .chain(c.items.as_deref_mut())
        .chain(c.additional_properties.as_deref_mut())
        .chain(c.all_of.iter_mut())
        .chain(c.one_of.iter_mut())
        .chain(c.any_of.iter_mut())
}

/// Whether a compiled subtree holds rules anywhere.
fn has_rules(c: &CompiledSchema) -> bool {
    !c.validations.is_empty() || children(c).any(has_rules)
}

/// Whether kube-cel converts values of this subtree exactly as it converts untyped JSON (no
/// format, no map keys left unescaped, no embedded resource), so its schema can be dropped.
fn plain(c: &CompiledSchema) -> bool {
    use kube_cel::SchemaFormat;
    matches!(c.format, SchemaFormat::None | SchemaFormat::IntOrString)
        && !c.is_map
        && !c.embedded_resource
        && c.properties.values().all(plain)
        && c.items.as_deref().is_none_or(plain)
        && c.additional_properties.as_deref().is_none_or(plain)
        && c.all_of.iter().chain(&c.one_of).chain(&c.any_of).all(plain)
}

/// Ready a compiled schema for evaluation. Drop the parts kube-cel would walk for nothing:
/// subtrees without rules, where no rule above sees them or their values convert the same
/// without a schema (resources are defaulted before CEL runs, so the defaults dropped with them
/// are not missed). Mark the messageExpressions for the cost meter.
pub fn prune_for_evaluation(c: &mut CompiledSchema) {
    prune(c, false);
    mark_message_expressions(c);
}

/// Tell the evaluator which programs are messageExpressions, so that the server's message for
/// one that stops the run can be given.
fn mark_message_expressions(c: &mut CompiledSchema) {
    for compiled in c.validations.iter_mut().flatten() {
        if let Some(p) = compiled.message_program.as_mut() {
            p.mark_message_expression();
        }
    }
    for child in children_mut(c) {
        mark_message_expressions(child);
    }
}

fn prune(c: &mut CompiledSchema, seen_by_rule: bool) {
    let seen = seen_by_rule || !c.validations.is_empty();
    let keep = |child: &CompiledSchema| has_rules(child) || (seen && !plain(child));
    c.properties.retain(|_, child| keep(child));
    for child in c.properties.values_mut() {
        prune(child, seen);
    }
    for slot in [&mut c.items, &mut c.additional_properties] {
        if slot.as_deref().is_some_and(|child| !keep(child)) {
            *slot = None;
        }
        if let Some(child) = slot.as_deref_mut() {
            prune(child, seen);
        }
    }
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

/// `format: date` values as the midnight-UTC timestamps the server binds them to (kube-cel is
/// told these nodes are `date-time`, see `model::cel_escaping`).
fn dates_as_timestamps(v: &mut serde_json::Value, s: &Schema) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                if let Some(cs) = s.property_schema(k) {
                    dates_as_timestamps(child, cs);
                }
            }
        }
        serde_json::Value::Array(items) => {
            if let Some(is) = &s.items {
                items.iter_mut().for_each(|i| dates_as_timestamps(i, is));
            }
        }
        serde_json::Value::String(text) if s.format == "date" && s.type_ == "string" => {
            let b = text.as_bytes();
            let is_date = b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && b.iter()
                    .enumerate()
                    .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
            if is_date {
                text.push_str("T00:00:00Z");
            }
        }
        _ => {}
    }
}

/// Evaluate every rule of the CRD version against the (defaulted) object. `has_dates` when
/// the version's schema has `format: date` strings.
pub fn validate(
    root: &Node,
    rules: &kube_cel::CompiledSchema,
    schema: Option<&Schema>,
    has_dates: bool,
    out: &mut Vec<FieldError>,
) {
    let mut view = cel_view(root, rules);
    if let Some(schema) = schema.filter(|_| has_dates) {
        dates_as_timestamps(&mut view, schema);
    }
    // A panic in the evaluator (kube-cel's `format` panics on a precision above 65535) costs
    // this object its CEL rules, reported, and nothing else.
    let (evaluated, spent) = cel::cost::metered(
        runtime_cost::PER_CALL_LIMIT,
        runtime_cost::PER_OBJECT_BUDGET,
        runtime_cost::call_cost,
        || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                kube_cel::validate_compiled(rules, &view, None)
            }))
        },
    );
    let Ok(evaluated) = evaluated else {
        let fe = FieldError::new(
            "cel/unsupported",
            ErrorType::Invalid,
            "",
            BadValue::Omit,
            "",
            root.span,
        );
        out.push(fe.with_own_message(
            "the x-kubernetes-validations rules were not checked: the CEL evaluator failed on this object (an internal error; please report it)".to_string(),
        ));
        return;
    };
    let Err(errors) = evaluated else {
        return;
    };
    let mut errors = errors.into_vec();
    // A messageExpression that stopped the run: kube-cel fell back to the rule's message, where
    // the server reports the stop instead, and nothing after it.
    let message_stop = spent
        .stopped
        .filter(|_| spent.stopped_in_message)
        .and_then(|stop| {
            let first_stop = errors
                .iter()
                .position(|e| runtime_cost::stop_cause(e).is_some())
                .unwrap_or(errors.len());
            let k = first_stop.checked_sub(1)?;
            (errors[k].kind == kube_cel::ErrorKind::ValidationFailure).then_some((k, stop))
        });
    if let Some((k, _)) = message_stop {
        errors.truncate(k + 1);
    }
    for (i, e) in errors.into_iter().enumerate() {
        let runtime = match message_stop {
            Some((k, stop)) if k == i => Some(message_stop_error(&e, rules, stop)),
            _ => runtime_error(&e, rules),
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
            if r.stops {
                // The server runs no further rules: the errors of those kube-cel still walked
                // (each refused by the spent meter) are not its.
                return;
            }
            continue;
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
