//! `x-kubernetes-validations` (CEL), evaluated with kube-cel after schema, embedded-resource and
//! list-type validation, as apiextensions-apiserver does (skipped when an earlier error is
//! "blocking": see `skipped`). Transition rules (`oldSelf`) are skipped, as on create. What the
//! failures are reported as is in `rule`.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/cel/validation.go`.

use super::runtime_cost;
use crate::model::schema::Schema;
use crate::wording::{BadValue, ErrorType, FieldError};
use crate::yaml::{Node, Value};
use kube_cel::CompiledSchema;

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

/// `format: date` values as the midnight-UTC timestamps the server binds them to (kube-cel is
/// told these nodes are `date-time`, see `escaping`).
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

/// apiserver `pkg/cel/common/valuesunstructured.go` (unstructuredMap.Find): in an object with
/// properties, "null valued nullable fields are treated the same as absent optional fields", so
/// `has(self.f)` is false and `self.f` is "no such key" when `f: null`. Maps
/// (additionalProperties) keep their null values.
fn drop_null_properties(v: &mut serde_json::Value, s: &Schema) {
    match v {
        serde_json::Value::Object(m) => {
            if !s.properties.is_empty() {
                m.retain(|_, child| !child.is_null());
            }
            for (k, child) in m.iter_mut() {
                if let Some(cs) = s.property_schema(k) {
                    drop_null_properties(child, cs);
                }
            }
        }
        serde_json::Value::Array(items) => {
            if let Some(is) = &s.items {
                items.iter_mut().for_each(|i| drop_null_properties(i, is));
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
    if let Some(schema) = schema {
        drop_null_properties(&mut view, schema);
        if has_dates {
            dates_as_timestamps(&mut view, schema);
        }
    }
    // A panic in the evaluator (kube-cel's `format` panics on a precision above 65535) costs
    // this object its CEL rules, reported, and nothing else.
    let (evaluated, spent) = cel::cost::metered(
        runtime_cost::PER_CALL_LIMIT,
        runtime_cost::PER_OBJECT_BUDGET,
        runtime_cost::call_cost,
        || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                kube_cel::validate_compiled_defaulted(rules, &view)
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
        let stop = message_stop.filter(|(k, _)| *k == i).map(|(_, stop)| stop);
        if super::rule::report(e, stop, root, schema, rules, out) {
            // The server runs no further rules: the errors of those kube-cel still walked
            // (each refused by the spent meter) are not its.
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_stream;

    #[test]
    fn null_properties_are_absent_to_rules_but_null_map_values_stay() {
        let s = parse_stream(
            "type: object
properties:
  a: {type: string, nullable: true}
  m: {type: object, additionalProperties: {type: string, nullable: true}}",
        )
        .remove(0)
        .root
        .unwrap();
        let s = Schema::compile(&s, "s", &mut Vec::new());
        let mut v = serde_json::json!({"a": null, "m": {"k": null}});
        drop_null_properties(&mut v, &s);
        assert_eq!(v, serde_json::json!({"m": {"k": null}}));
    }
}
