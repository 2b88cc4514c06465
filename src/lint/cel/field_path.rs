//! `cel/field-path`: a rule's `fieldPath` that is blank, has line breaks, or does not name a
//! field of the schema the rule sits on.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (pathValid) and `pkg/apiserver/schema/cel/validation.go` (ValidFieldPath).

use crate::cel::walk::RuleAt;
use crate::lint::{Context, Finding, Rule};
use crate::model::schema::{AdditionalProperties, Schema};
use crate::wording::go_quote;

pub const RULE: Rule = Rule {
    cel_rule: Some(check),
    ..Rule::new("cel/field-path")
};

/// Split a field path into `.`, `[`, `]` and the text between them; a single-quoted string is
/// one token whatever it holds.
fn tokens(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = path.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        if bytes[i] == b'\'' {
            i += 1;
            while i < bytes.len() && !(bytes[i] == b'\'' && bytes[i - 1] != b'\\') {
                i += 1;
            }
            i = (i + 1).min(bytes.len());
        } else if matches!(bytes[i], b'.' | b'[' | b']') {
            i += 1;
        } else {
            while i < bytes.len() && !matches!(bytes[i], b'.' | b'[' | b']') {
                i += 1;
            }
        }
        out.push(&path[start..i]);
    }
    out
}

/// Whether `path` (`.spec.items['a.b']`) names a field of `schema`, as ValidFieldPath decides:
/// only property and map-key steps, no list indexes.
pub fn valid_field_path(path: &str, schema: &Schema) -> bool {
    let mut current = Some(schema);
    let mut toks = tokens(path).into_iter();
    while let Some(tok) = toks.next() {
        let name = match tok {
            "[" => {
                let Some(quoted) = toks.next() else {
                    return false;
                };
                if quoted.len() < 2 || !quoted.starts_with('\'') || !quoted.ends_with('\'') {
                    return false;
                }
                let name = quoted[1..quoted.len() - 1].replace("\\'", "'");
                if toks.next() != Some("]") {
                    return false;
                }
                name
            }
            "." => match toks.next() {
                Some(name) => name.to_string(),
                None => return false,
            },
            _ => return false,
        };
        let Some(s) = current else {
            return false;
        };
        current = if !s.properties.is_empty() {
            match s.properties.get(name.as_str()) {
                Some(p) => Some(p),
                None => return false,
            }
        } else {
            match &s.additional_properties {
                Some(AdditionalProperties::Schema(a)) => Some(a),
                // A map of anything: no schema to go on with.
                Some(AdditionalProperties::Allowed(true)) => None,
                _ => return false,
            }
        };
    }
    true
}

pub fn check(at: &RuleAt, _ctx: &Context, problems: &mut Vec<Finding>) {
    let Some(node) = at.entry.get("fieldPath") else {
        return;
    };
    let Some(path) = node.as_str().filter(|p| !p.is_empty()) else {
        return;
    };
    let detail = if path.trim().is_empty() {
        "fieldPath must be non-empty if specified"
    } else if path.contains('\n') || path.contains('\r') {
        "fieldPath must not contain line breaks"
    } else if !valid_field_path(path, at.schema) {
        "fieldPath must be a valid path"
    } else {
        return;
    };
    let field = at.field("fieldPath");
    problems.push(Finding::new(
        "cel/field-path",
        format!("{field}: Invalid value: {}: {detail}", go_quote(path)),
        node.span,
    )
    .with_field(field));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(yaml: &str) -> Schema {
        let doc = crate::yaml::parse_stream(yaml).remove(0);
        Schema::compile(&doc.root.unwrap(), "s", &mut Vec::new())
    }

    #[test]
    fn paths_follow_properties_and_map_keys_only() {
        let s = schema(
            "type: object\nproperties:\n  spec:\n    type: object\n    properties:\n      a.b: {type: string}\n      list: {type: array, items: {type: string}}\n      labels: {type: object, additionalProperties: {type: string}}\n",
        );
        assert!(valid_field_path(".spec", &s));
        assert!(valid_field_path(".spec['a.b']", &s));
        assert!(valid_field_path(".spec.labels.anything", &s));
        assert!(valid_field_path(".spec.labels['x.y/z']", &s));
        assert!(valid_field_path(".spec.list", &s));
        assert!(!valid_field_path(".spec.list[0]", &s));
        assert!(!valid_field_path(".spec.missing", &s));
        assert!(!valid_field_path("spec", &s));
        assert!(!valid_field_path(".spec.", &s));
        assert!(!valid_field_path(".spec['a.b'", &s));
    }
}
