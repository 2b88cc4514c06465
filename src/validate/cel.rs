//! `x-kubernetes-validations` (CEL), evaluated with kube-cel after schema, embedded-resource and
//! list-type validation, as apiextensions-apiserver does; skipped when an earlier error is
//! "blocking". Transition rules (`oldSelf`) are skipped, as on create.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/cel/validation.go` (error values).

use super::field_error::{BadValue, ErrorType, FieldError};
use crate::source::Span;
use crate::yaml::{Entry, Node, Value};

/// Whether the errors so far stop CEL from running (apiextensions-apiserver
/// `pkg/registry/customresource/strategy.go` `hasBlockingErr`: a type error or an unsupported
/// enum value means the data cannot be typed for CEL).
pub fn has_blocking_error(errors: &[FieldError]) -> bool {
    use super::field_error::ErrorType::{NotSupported, TypeInvalid};
    errors
        .iter()
        .any(|e| !e.status_dropped && matches!(e.kind, TypeInvalid | NotSupported))
}

/// The server's note when it skips the rules.
pub const SKIPPED_NOTE: &str = "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

/// The object CEL sees: `metadata` reduced to `name` and `generateName`, the only ObjectMeta
/// fields the server exposes to rules.
fn cel_view(root: &Node) -> serde_json::Value {
    let mut json = root.to_serde();
    if let Some(serde_json::Value::Object(meta)) = json.get_mut("metadata") {
        meta.retain(|k, _| k == "name" || k == "generateName");
    }
    json
}

/// The node at an API-server field path (`spec.ports[1].name`), or the closest ancestor, with
/// the span to blame: the key that holds it (or the list item itself).
fn node_at<'a>(root: &'a Node, path: &str) -> (&'a Node, Span) {
    let mut node = root;
    let mut blame = root.span;
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
                }
                None => return (node, blame),
            }
        }
        for ix in indexes.split('[').filter(|s| !s.is_empty()) {
            let ix = ix.trim_end_matches(']');
            let next = match (&node.value, ix.parse::<usize>()) {
                (Value::Seq(items), Ok(i)) => items.get(i),
                (Value::Map(entries), _) => entries
                    .iter()
                    .find(|e: &&Entry| e.key == ix.trim_matches('"'))
                    .map(|e| &e.value),
                _ => None,
            };
            match next {
                Some(n) => {
                    node = n;
                    blame = n.span;
                }
                None => return (node, blame),
            }
        }
    }
    (node, blame)
}

fn error_type(reason: Option<&str>) -> ErrorType {
    match reason {
        Some("FieldValueForbidden") => ErrorType::Forbidden,
        Some("FieldValueRequired") => ErrorType::Required,
        Some("FieldValueDuplicate") => ErrorType::Duplicate,
        _ => ErrorType::Invalid,
    }
}

/// Evaluate every rule of the CRD version against the (defaulted) object.
pub fn validate(root: &Node, rules: &kube_cel::CompiledSchema, out: &mut Vec<FieldError>) {
    let view = cel_view(root);
    // A panic in the evaluator (kube-cel's `format` panics on a precision above 65535) costs
    // this object its CEL rules, reported, and nothing else.
    let evaluated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        kube_cel::validate_compiled(rules, &view, None)
    }));
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
    for e in errors.into_vec() {
        let (node, span) = node_at(root, &e.field_path);
        if e.kind == kube_cel::ErrorKind::ValidationFailure {
            // The server shows scalar values and omits objects and lists.
            let value = match &node.value {
                Value::Map(_) | Value::Seq(_) => BadValue::Omit,
                v => BadValue::Value(v.clone()),
            };
            let kind = error_type(e.reason.as_deref());
            out.push(FieldError::new(
                "cel/rule",
                kind,
                e.field_path,
                value,
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
                .filter(|why| why.starts_with(crate::model::cel_rules::WITHHELD))
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
