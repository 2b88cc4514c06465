//! `x-kubernetes-validations` (CEL), evaluated after schema, embedded-resource and list-type
//! validation, as apiextensions-apiserver does (skipped when an earlier error is "blocking": see
//! `skipped`). crdlint walks its own tree beside kube-cel's compiled schema and builds each rule
//! node's value for the interpreter directly; kube-cel evaluates the rules (`walk_api`).
//! Transition rules (`oldSelf`) are skipped, as on create. What the failures are reported as is
//! in `rule`.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/cel/validation.go`.

use super::runtime_cost;
use crate::model::schema::Schema;
use crate::wording::{BadValue, ErrorType, FieldError, field_path};
use crate::yaml::{Node, Value};
use cel::common::types;
use cel::common::value::Val;
use kube_cel::{CompiledSchema, SchemaFormat};

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
pub(super) fn has_rules(c: &CompiledSchema) -> bool {
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
    super::fields_read::mark(c);
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

/// kube-cel's `walk_compiled` over crdlint's tree: the rules of each schema node are evaluated
/// with the node's value converted to CEL, then the walk goes on into the properties, the items,
/// the additionalProperties (unless unknown fields are preserved) and the allOf, oneOf and anyOf
/// branches, with kube-cel's field paths (`join_path`, `join_path_index`: `field.Path`'s
/// printing). What the rules see is the object as the server binds it:
/// - `metadata` (of the root) holds only `name` and `generateName`, the only ObjectMeta fields
///   the server exposes to rules;
/// - apiserver `pkg/cel/common/valuesunstructured.go` (unstructuredMap.Find): in an object with
///   properties, "null valued nullable fields are treated the same as absent optional fields",
///   so `has(self.f)` is false and `self.f` is "no such key" when `f: null` (and no rule of `f`
///   runs); maps (additionalProperties) keep their null values;
/// - `format: date` strings are the midnight-UTC timestamps the server binds them to (kube-cel
///   is told these nodes are `date-time`, see `escaping`).
struct Walk<'a, 'c> {
    dates: bool,
    errors: &'a mut Vec<kube_cel::ValidationError>,
    /// The rule entry of each of `errors`, from the node whose rules gave it: the same rule
    /// text may sit at several nodes with different messages and field paths.
    entries: Vec<Option<&'c kube_cel::Rule>>,
}

/// Which keys of a map rules can see.
#[derive(Clone, Copy, PartialEq)]
enum Keys {
    All,
    /// The root's `metadata`: `name` and `generateName` only.
    Meta,
    /// The root: every key, its `metadata` seen as [`Keys::Meta`].
    Root,
}

impl Keys {
    fn sees(self, key: &str) -> bool {
        self != Keys::Meta || key == "name" || key == "generateName"
    }

    fn of_child(self, key: &str) -> Keys {
        if self == Keys::Root && key == "metadata" {
            Keys::Meta
        } else {
            Keys::All
        }
    }
}

/// The entries of a map rules see: not those hidden by `keys`, nor the null-valued properties
/// of an object with properties.
fn visible<'n>(
    entries: &'n [crate::yaml::Entry],
    s: Option<&Schema>,
    keys: Keys,
) -> impl Iterator<Item = &'n crate::yaml::Entry> {
    let drop_nulls = s.is_some_and(|s| !s.properties.is_empty());
    entries
        .iter()
        .filter(move |e| keys.sees(&e.key) && !(drop_nulls && matches!(e.value.value, Value::Null)))
}

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

impl<'c> Walk<'_, 'c> {
    fn node(
        &mut self,
        node: &Node,
        c: &'c CompiledSchema,
        s: Option<&Schema>,
        keys: Keys,
        path: &str,
        depth: usize,
    ) {
        use kube_cel::walk_api;
        if depth > walk_api::MAX_SCHEMA_DEPTH {
            self.errors.push(walk_api::too_deep(path));
            self.entries.push(None);
            return;
        }
        if !c.validations.is_empty() {
            // Only the fields the rules read, when that is all they do with `self`.
            let value = match (c.self_fields.as_deref(), &node.value) {
                (Some(fields), Value::Map(entries)) => {
                    self.map_to_cel(entries, Some(c), s, keys, Some(fields))
                }
                _ => self.to_cel(node, Some(c), s, keys),
            };
            let from = self.errors.len();
            walk_api::evaluate(&c.validations, value, path, self.errors);
            self.note_entries(&c.validations, from);
        }
        if let Value::Map(entries) = &node.value {
            // In the document's order: the server's (a Go map's) is random, and the order
            // decides which rule a spent cost budget stops; crdlint's output must not vary.
            for e in visible(entries, s, keys) {
                if let Some(child) = c.properties.get(e.key.as_str()) {
                    let name = e.key.as_str();
                    let cs = s.and_then(|s| s.property_schema(name));
                    let at = field_path::child(path, name);
                    self.node(&e.value, child, cs, keys.of_child(name), &at, depth + 1);
                }
            }
        }
        if let (Some(item), Value::Seq(items)) = (&c.items, &node.value) {
            let is = s.and_then(|s| s.items.as_deref());
            for (i, n) in items.iter().enumerate() {
                self.node(
                    n,
                    item,
                    is,
                    Keys::All,
                    &field_path::index(path, i),
                    depth + 1,
                );
            }
        }
        if !c.preserve_unknown_fields
            && let (Some(additional), Value::Map(entries)) = (&c.additional_properties, &node.value)
        {
            for e in
                visible(entries, s, keys).filter(|e| !c.properties.contains_key(e.key.as_str()))
            {
                let cs = s.and_then(|s| s.property_schema(&e.key));
                let at = field_path::child(path, &e.key);
                self.node(
                    &e.value,
                    additional,
                    cs,
                    keys.of_child(&e.key),
                    &at,
                    depth + 1,
                );
            }
        }
        for branch in c.all_of.iter().chain(&c.one_of).chain(&c.any_of) {
            self.node(node, branch, s, keys, path, depth + 1);
        }
    }

    /// Record the rule entry of each error a node's rules added (from `from`): kube-cel runs
    /// them in order, each giving at most one error, so each error is the next rule of its
    /// text.
    fn note_entries(
        &mut self,
        validations: &'c [Result<kube_cel::CompilationResult, kube_cel::CompilationError>],
        from: usize,
    ) {
        let rules = || validations.iter().flatten().map(|r| &r.rule);
        let mut next = rules();
        for e in &self.errors[from..] {
            let entry = (next.by_ref().find(|r| r.rule == e.rule))
                .or_else(|| rules().find(|r| r.rule == e.rule));
            self.entries.push(entry);
        }
    }

    /// kube-cel's `json_to_cel_with_compiled` (and, where no compiled schema is left,
    /// `json_to_cel`) of what rules see of `node`, built as the interpreter's value (what
    /// binding that conversion's result as `self` makes of it).
    fn to_cel(
        &self,
        node: &Node,
        c: Option<&CompiledSchema>,
        s: Option<&Schema>,
        keys: Keys,
    ) -> Box<dyn Val> {
        match &node.value {
            Value::Null => Box::new(types::CelNull),
            Value::Bool(b) => Box::new(types::CelBool::from(*b)),
            Value::Int(i) => Box::new(types::CelInt::from(*i)),
            // JSON has no NaN or infinity: such a float was null in the JSON kube-cel read.
            Value::Float(f) if f.is_finite() => Box::new(types::CelDouble::from(*f)),
            Value::Float(_) => Box::new(types::CelNull),
            Value::String(text) => {
                let date = self.dates
                    && s.is_some_and(|s| s.format == "date" && s.type_ == "string")
                    && is_date(text);
                let midnight;
                let text: &str = if date {
                    midnight = format!("{text}T00:00:00Z");
                    &midnight
                } else {
                    text
                };
                match c.map(|c| &c.format) {
                    Some(
                        f @ (SchemaFormat::DateTime | SchemaFormat::Duration | SchemaFormat::Bytes),
                    ) => {
                        // A timestamp, duration, bytes or string: each converts.
                        let value: Result<Box<dyn Val>, _> =
                            kube_cel::walk_api::convert_string(text, f).try_into();
                        value.unwrap_or_else(|_| Box::new(types::CelString::from(text)))
                    }
                    _ => Box::new(types::CelString::from(text)),
                }
            }
            Value::Seq(items) => {
                let ic = c.and_then(|c| c.items.as_deref());
                let is = s.and_then(|s| s.items.as_deref());
                let items: Vec<Box<dyn Val>> = items
                    .iter()
                    .map(|i| self.to_cel(i, ic, is, Keys::All))
                    .collect();
                Box::new(types::CelList::from(items))
            }
            Value::Map(entries) => self.map_to_cel(entries, c, s, keys, None),
        }
    }

    /// [`Walk::to_cel`] of a map's entries; with `only`, just the entries whose CEL keys it
    /// lists (the fields a node's rules read: see `cel::fields_read`).
    fn map_to_cel(
        &self,
        entries: &[crate::yaml::Entry],
        c: Option<&CompiledSchema>,
        s: Option<&Schema>,
        keys: Keys,
        only: Option<&[String]>,
    ) -> Box<dyn Val> {
        let mut map = std::collections::HashMap::with_capacity(match only {
            Some(fields) => fields.len(),
            None => entries.len(),
        });
        for e in visible(entries, s, keys) {
            // Map keys (additionalProperties) are data, not field names: not escaped.
            let key = if c.is_some_and(|c| c.is_map) {
                std::borrow::Cow::Borrowed(e.key.as_str())
            } else {
                kube_cel::walk_api::escape_field_name(&e.key)
            };
            if only.is_some_and(|fields| fields.binary_search_by(|f| f.as_str().cmp(&key)).is_err())
            {
                continue;
            }
            let cc = c.and_then(|c| {
                c.properties
                    .get(e.key.as_str())
                    .or(c.additional_properties.as_deref())
            });
            let cs = s.and_then(|s| s.property_schema(&e.key));
            let value = self.to_cel(&e.value, cc, cs, keys.of_child(&e.key));
            map.insert(types::CelMapKey::from(key.as_ref()), value);
        }
        if c.is_some_and(|c| c.embedded_resource) {
            let empty = || Box::new(types::CelString::from("")) as Box<dyn Val>;
            map.entry(types::CelMapKey::from("apiVersion"))
                .or_insert_with(empty);
            map.entry(types::CelMapKey::from("kind"))
                .or_insert_with(empty);
            map.entry(types::CelMapKey::from("metadata"))
                .or_insert_with(|| Box::new(types::CelMap::default()));
        }
        Box::new(types::CelMap::from(map))
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
    // A panic in the evaluator (kube-cel's `format` panics on a precision above 65535) costs
    // this object its CEL rules, reported, and nothing else.
    let (evaluated, spent) = cel::cost::metered(
        runtime_cost::PER_CALL_LIMIT,
        runtime_cost::PER_OBJECT_BUDGET,
        runtime_cost::call_cost,
        || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut errors = Vec::new();
                let mut walk = Walk {
                    dates: has_dates,
                    errors: &mut errors,
                    entries: Vec::new(),
                };
                walk.node(root, rules, schema, Keys::Root, "", 0);
                let entries = walk.entries;
                (errors, entries)
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
    let (mut errors, mut entries) = evaluated;
    if errors.is_empty() {
        return;
    }
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
    entries.resize(errors.len(), None);
    for (i, (e, entry)) in errors.into_iter().zip(entries).enumerate() {
        let stop = message_stop.filter(|(k, _)| *k == i).map(|(_, stop)| stop);
        if super::rule::report(e, entry, stop, root, schema, out) {
            // The server runs no further rules: the errors of those kube-cel still walked
            // (each refused by the spent meter) are not its.
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    /// Property names as CEL keys (kube-cel's escaping, patched to borrow the names it leaves
    /// as they are): escaped exactly as before, borrowed exactly when unchanged.
    #[test]
    fn field_names_escape_and_borrow() {
        let cases = [
            ("namespace", "__namespace__"),
            ("in", "__in__"),
            ("true", "__true__"),
            ("default", "default"),
            ("inx", "inx"),
            ("True", "True"),
            ("a_b", "a__b"),
            ("a.b", "a__dot__b"),
            ("a-b", "a__dash__b"),
            ("a/b", "a__slash__b"),
            ("x.y-z/w_v", "x__dot__y__dash__z__slash__w__v"),
            ("plain", "plain"),
            ("émoji", "émoji"),
            ("", ""),
        ];
        for (name, escaped) in cases {
            let got = kube_cel::walk_api::escape_field_name(name);
            assert_eq!(got, escaped, "{name}");
            assert_eq!(matches!(got, Cow::Borrowed(_)), name == escaped, "{name}");
        }
    }
}
