//! Property-name escaping between Kubernetes and kube-cel.
//!
//! Kubernetes (k8s.io/apiserver/pkg/cel/escaping.go) leaves a single `_` alone and escapes `__`
//! as `__underscores__`; kube-cel 0.8 turns every `_` into `__` when it converts an object. So a
//! rule written for the API server, `self.other_value`, finds no field in kube-cel. Until that is
//! fixed upstream we rewrite, in the rules we hand to kube-cel, each `.name` selector of a
//! property whose two escapings differ into kube-cel's spelling. Only `.name` selectors are
//! rewritten, never other text, so string literals keep their meaning.

use crate::model::cel_source::CelSource;
use regex::Regex;
use serde_json::Value;

/// Kubernetes' escaping of a property name used as a CEL field (`escaping.go` Escape).
pub fn k8s_escape(name: &str) -> String {
    name.replace("__", "__underscores__")
        .replace('.', "__dot__")
        .replace('-', "__dash__")
        .replace('/', "__slash__")
}

/// kube-cel 0.8's escaping of the same name (`validation/escaping.rs`).
pub fn kube_cel_escape(name: &str) -> String {
    name.replace('_', "__")
        .replace('.', "__dot__")
        .replace('-', "__dash__")
        .replace('/', "__slash__")
}

fn rewrite_rules(v: &mut Value, fixes: &[(Regex, String)]) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Array(rules)) = m.get_mut("x-kubernetes-validations") {
                for rule in rules.iter_mut().filter_map(Value::as_object_mut) {
                    for key in ["rule", "messageExpression"] {
                        if let Some(Value::String(text)) = rule.get_mut(key) {
                            for (re, replacement) in fixes {
                                *text = re.replace_all(text, replacement.as_str()).into_owned();
                            }
                        }
                    }
                }
            }
            m.values_mut().for_each(|c| rewrite_rules(c, fixes));
        }
        Value::Array(a) => a.iter_mut().for_each(|c| rewrite_rules(c, fixes)),
        _ => {}
    }
}

/// Rules with `optionalOldSelf: true` run on create with `oldSelf` bound to `optional.none()`
/// (apiextensions-apiserver `schema/cel/validation.go`, validationActivationWithOldSelf);
/// kube-cel 0.8 binds `null` instead, which breaks `oldSelf.hasValue()`. Every check is a create
/// here, so the variable is replaced by its value, and the rule becomes an ordinary one.
fn bind_optional_old_self(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Array(rules)) = m.get_mut("x-kubernetes-validations") {
                for rule in rules.iter_mut().filter_map(Value::as_object_mut) {
                    if rule.get("optionalOldSelf") != Some(&Value::Bool(true)) {
                        continue;
                    }
                    rule.remove("optionalOldSelf");
                    for key in ["rule", "messageExpression"] {
                        if let Some(Value::String(text)) = rule.get_mut(key) {
                            *text = crate::cel::walk::replace_old_self(text, "optional.none()");
                        }
                    }
                }
            }
            m.values_mut().for_each(bind_optional_old_self);
        }
        Value::Array(a) => a.iter_mut().for_each(bind_optional_old_self),
        _ => {}
    }
}

/// The server binds `format: date` strings as timestamps (apiserver `pkg/cel/common/schemas.go`);
/// kube-cel 0.8 knows only `date-time`. Such nodes are marked `date-time` here, and their values
/// are handed over as midnight UTC timestamps (`eval`; whether the schema has any is
/// [`CelSource::has_dates`]).
fn dates_as_date_times(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.get("type") == Some(&Value::from("string"))
                && m.get("format") == Some(&Value::from("date"))
            {
                m.insert("format".into(), Value::from("date-time"));
            }
            m.values_mut().for_each(dates_as_date_times);
        }
        Value::Array(a) => a.iter_mut().for_each(dates_as_date_times),
        _ => {}
    }
}

/// The schema adapted for kube-cel (its rules rewritten for kube-cel's escaping, with the
/// property names of the whole schema; `optionalOldSelf` bound; `format: date` strings marked
/// `date-time`), and whether the whole schema has `format: date` strings (whose values must be
/// handed over as timestamps).
pub fn adapt_schema(source: CelSource) -> (Value, bool) {
    let CelSource {
        mut schema,
        underscored_names,
        has_dates,
    } = source;
    let fixes: Vec<(Regex, String)> = underscored_names
        .iter()
        .filter(|n| k8s_escape(n) != kube_cel_escape(n))
        .filter_map(|n| {
            let re = Regex::new(&format!(r"\.{}\b", regex::escape(&k8s_escape(n)))).ok()?;
            Some((re, format!(".{}", kube_cel_escape(n))))
        })
        .collect();
    if !fixes.is_empty() {
        rewrite_rules(&mut schema, &fixes);
    }
    bind_optional_old_self(&mut schema);
    dates_as_date_times(&mut schema);
    (schema, has_dates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapings() {
        assert_eq!(k8s_escape("other_value"), "other_value");
        assert_eq!(k8s_escape("a__b"), "a__underscores__b");
        assert_eq!(k8s_escape("x-y"), "x__dash__y");
        assert_eq!(kube_cel_escape("other_value"), "other__value");
    }

    #[test]
    fn selectors_are_rewritten_and_literals_kept() {
        let s = json!({
            "type": "object",
            "properties": {"other_value": {"type": "string"}, "value": {"type": "string"}},
            "x-kubernetes-validations": [{"rule": "!has(self.other_value) || self.other_value == 'other_value'"}]
        });
        let text = s.to_string();
        let node = crate::yaml::parse_stream(&text).remove(0).root.unwrap();
        let (out, _) = adapt_schema(CelSource::of(&node));
        assert_eq!(
            out["x-kubernetes-validations"][0]["rule"],
            "!has(self.other__value) || self.other__value == 'other_value'"
        );
    }
}
