//! `selectable-field/invalid`: `selectableFields` entries name a field of the version's schema by
//! a JSON path of `.field` steps (no `[...]` at all: array notation is switched off, which also
//! refuses `['field']`), outside `metadata`, of type `string`, `boolean` or `integer`, each once,
//! at most 8 distinct ones.
//! Like the schema, selectable fields are lifted to `spec.selectableFields` when every version
//! has the same ones, and the server then needs the schema lifted too (`spec.validation`: every
//! version with the same schema), and the other way round: lifted schemas with per-version
//! selectable fields are refused as well. Both messages are the server's.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (validateCustomResourceDefinitionSpec, validateCustomResourceDefinitionVersion,
//! ValidateCustomResourceSelectableFields, allowedSelectableFieldSchema) and
//! `pkg/apiserver/schema/cel/validation.go` (ValidFieldPath with
//! WithFieldPathAllowArrayNotation(false)).

use crate::lint::walk::layout::{Layout, additional_properties, properties, ptr, schema_of, str_of};
use crate::lint::{Finding, Rule};
use crate::wording::go_quote;
use crate::yaml::Node;

const ID: &str = "selectable-field/invalid";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};
const MAX: usize = 8;

/// The tokens of upstream's scanner: `.`, `[`, `]`, single-quoted strings, and the text
/// between them.
fn tokens(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    while start < b.len() {
        let data = &b[start..];
        let mut advance = data.len();
        if data[0] == b'\'' {
            if let Some(i) = (1..data.len()).find(|&i| data[i] == b'\'' && data[i - 1] != b'\\') {
                advance = i + 1;
            }
        } else if let Some(i) = data.iter().position(|c| matches!(c, b'.' | b'[' | b']')) {
            advance = i.max(1);
        }
        out.push(&s[start..start + advance]);
        start += advance;
    }
    out
}

/// `ValidFieldPath(path, schema, WithFieldPathAllowArrayNotation(false))`: the normalised path
/// (`spec.name`, `spec.labels[key]`) with its first step, and the schema found there (`None`
/// where a boolean `additionalProperties` leaves no schema).
fn valid_field_path<'a>(
    path: &str,
    schema: &'a Node,
) -> Result<(String, String, Option<&'a Node>), String> {
    let invalid = || "does not refer to a valid field".to_string();
    let mut s = Some(schema);
    let mut normalised = String::new();
    let mut first = String::new();
    let mut toks = tokens(path).into_iter();
    while let Some(tok) = toks.next() {
        match tok {
            "[" => return Err("array notation is not allowed".into()),
            "." => {
                let name = toks
                    .next()
                    .ok_or_else(|| "unexpected end of JSON path".to_string())?;
                let node = s.ok_or_else(invalid)?;
                if !properties(node).is_empty() {
                    let p = properties(node)
                        .iter()
                        .find(|e| e.key == name)
                        .ok_or_else(invalid)?;
                    s = Some(&p.value);
                    if !normalised.is_empty() {
                        normalised.push('.');
                    }
                    normalised.push_str(name);
                } else if node
                    .get("additionalProperties")
                    .is_some_and(|a| !a.is_null())
                {
                    s = additional_properties(node);
                    normalised.push_str(&format!("[{name}]"));
                } else {
                    return Err(invalid());
                }
                if first.is_empty() {
                    first = name.to_string();
                }
            }
            other => return Err(format!("expected [ or . but got: {other}")),
        }
    }
    Ok((normalised, first, s))
}

fn check_fields(list: &Node, schema: &Node, at: &str, problems: &mut Vec<Finding>) {
    let fields = list.as_seq().unwrap_or_default();
    let mut unique: Vec<String> = Vec::new();
    for (j, f) in fields.iter().enumerate() {
        let node = ptr(f, "jsonPath");
        let span = node.map(|n| n.span).unwrap_or(f.span);
        let field = format!("{at}[{j}].jsonPath");
        let mut push = |message: String| {
            problems.push(Finding::new(ID, message, span))
        };
        let path = str_of(f, "jsonPath");
        if path.is_empty() {
            push(format!("{field}: Required value"));
            continue;
        }
        let quoted = go_quote(path);
        let (normalised, first, found) = match valid_field_path(path, schema) {
            Err(e) => {
                push(format!(
                    "{field}: Invalid value: {quoted}: is an invalid path: {e}"
                ));
                continue;
            }
            Ok(x) => x,
        };
        if first == "metadata" {
            push(format!(
                "{field}: Invalid value: {quoted}: must not point to fields in metadata"
            ));
        }
        let ty = found
            .and_then(|s| s.get("type"))
            .and_then(Node::as_str)
            .unwrap_or_default();
        if !matches!(ty, "string" | "boolean" | "integer") {
            push(format!(
                "{field}: Invalid value: {quoted}: must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed."
            ));
        }
        if unique.contains(&normalised) {
            push(format!("{field}: Duplicate value: {quoted}"));
        } else {
            unique.push(normalised);
        }
    }
    if unique.len() > MAX {
        problems.push(Finding::new(
            ID,
            format!(
                "{at}: Too many: {}: must have at most {MAX} items",
                unique.len()
            ),
            list.span,
        ));
    }
}

fn fields_of(v: &Node) -> Option<&Node> {
    ptr(v, "selectableFields").filter(|n| n.as_seq().is_some_and(|s| !s.is_empty()))
}

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(layout) = Layout::of(root) else {
        return;
    };
    // The server's wording, the second one included (it means "is not there").
    let not_included = |field: &str, detail: &str, span| Finding::new(
        ID,
        format!("{field}: Invalid value: \"\": {detail}"),
        span,
    );
    if layout.selectable_shared {
        let Some(node) = fields_of(&layout.versions[0]) else {
            return;
        };
        match schema_of(&layout.versions[0]).filter(|_| layout.has_spec_validation()) {
            None => problems.push(not_included(
                "spec.selectableFields",
                "selectableFields may only be set when validations.schema is included",
                node.span,
            )),
            Some(schema) => check_fields(node, schema, "spec.selectableFields", problems),
        }
        return;
    }
    for (i, v) in layout.versions.iter().enumerate() {
        let Some(node) = fields_of(v) else {
            continue;
        };
        let at = format!("spec.versions[{i}].selectableFields");
        // A schema lifted to spec.validation is no longer on the version.
        match schema_of(v).filter(|_| !layout.schema_shared()) {
            None => problems.push(not_included(
                &at,
                "selectableFields may only be set when version.schema.openAPIV3Schema is not included",
                node.span,
            )),
            Some(schema) => check_fields(node, schema, &at, problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tokens;

    #[test]
    fn scans_like_upstream() {
        assert_eq!(tokens(".spec.name"), vec![".", "spec", ".", "name"]);
        assert_eq!(tokens(".spec['a.b']"), vec![".", "spec", "[", "'a.b'", "]"]);
        assert_eq!(tokens("spec..x"), vec!["spec", ".", ".", "x"]);
    }
}
