//! Visits every `x-kubernetes-validations` entry of a schema, with what the CEL rule checks
//! need to know about where it sits.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (ValidateCustomResourceDefinitionOpenAPISchema: `withForbidOldSelfValidations`).

use crate::model::schema::{AdditionalProperties, ListType, Schema};
use crate::yaml::Node;

pub struct RuleAt<'a> {
    /// The schema node that holds the rule (its `self`).
    pub schema: &'a Schema,
    /// That schema node's path (`...openAPIV3Schema.properties[spec]`).
    pub path: &'a str,
    pub index: usize,
    /// The list entry: `{rule, message, messageExpression, reason, fieldPath, optionalOldSelf}`.
    pub entry: &'a Node,
    /// The highest list above the rule whose items cannot be matched to their old values
    /// (not `x-kubernetes-list-type: map`), where `oldSelf` is refused.
    pub uncorrelatable: Option<&'a str>,
    /// Inside allOf/anyOf/oneOf/not, where the server checks the entries but compiles no CEL.
    pub in_junctor: bool,
}

impl RuleAt<'_> {
    /// `<schema path>.x-kubernetes-validations[i].<key>`.
    pub fn field(&self, key: &str) -> String {
        format!(
            "{}.x-kubernetes-validations[{}].{key}",
            self.path, self.index
        )
    }
}

pub fn each_rule(root: &Schema, path: &str, visit: &mut dyn FnMut(&RuleAt)) {
    walk(root, path, None, false, visit);
}

fn walk(
    s: &Schema,
    path: &str,
    uncorrelatable: Option<&str>,
    in_junctor: bool,
    visit: &mut dyn FnMut(&RuleAt),
) {
    // Most subtrees hold no rule: no paths are built for them.
    if !s.below.may_have_validations() {
        return;
    }
    if let Some(list) = s.validations.as_deref().and_then(Node::as_seq) {
        for (index, entry) in list.iter().enumerate() {
            visit(&RuleAt {
                schema: s,
                path,
                index,
                entry,
                uncorrelatable,
                in_junctor,
            });
        }
    }
    for (k, p) in &s.properties {
        walk(
            p,
            &format!("{path}.properties[{k}]"),
            uncorrelatable,
            in_junctor,
            visit,
        );
    }
    if let Some(AdditionalProperties::Schema(a)) = &s.additional_properties {
        let child = format!("{path}.additionalProperties");
        walk(a, &child, uncorrelatable, in_junctor, visit);
    }
    if let Some(items) = &s.items {
        // Only list-type map items are matched to their old values on update.
        let here = (s.list_type != Some(ListType::Map)).then_some(path);
        walk(
            items,
            &format!("{path}.items"),
            uncorrelatable.or(here),
            in_junctor,
            visit,
        );
    }
    for (name, list) in [
        ("allOf", s.all_of()),
        ("anyOf", s.any_of()),
        ("oneOf", s.one_of()),
    ] {
        for (i, j) in list.iter().enumerate() {
            walk(
                j,
                &format!("{path}.{name}[{i}]"),
                uncorrelatable,
                true,
                visit,
            );
        }
    }
    if let Some(n) = &s.not {
        walk(n, &format!("{path}.not"), uncorrelatable, true, visit);
    }
}

/// Byte offsets where a CEL expression refers to the variable `oldSelf` (outside string
/// literals; `self.oldSelf` is a field of that name, not the variable).
fn old_self_uses(expr: &str) -> Vec<usize> {
    // Blanking keeps every character outside literals in place, so offsets carry over.
    let code = strip_strings(expr);
    code.match_indices("oldSelf")
        .filter(|(i, _)| {
            let before = code[..*i].chars().next_back();
            let after = code[i + "oldSelf".len()..].chars().next();
            let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
            !before.is_some_and(|c| ident(c) || c == '.') && !after.is_some_and(ident)
        })
        .map(|(i, _)| i)
        .collect()
}

/// Whether a CEL expression refers to the variable `oldSelf`.
pub fn uses_old_self(expr: &str) -> bool {
    !old_self_uses(expr).is_empty()
}

/// The expression with the variable `oldSelf` replaced by `with`.
pub fn replace_old_self(expr: &str, with: &str) -> String {
    let mut out = expr.to_string();
    for i in old_self_uses(expr).into_iter().rev() {
        out.replace_range(i..i + "oldSelf".len(), with);
    }
    out
}

/// The expression with the contents of string literals blanked out.
pub fn strip_strings(expr: &str) -> String {
    // Every character inside a literal (quotes included) becomes spaces of the same byte
    // length, so offsets in the result are offsets in `expr`.
    let blank = |out: &mut String, c: char| out.extend(std::iter::repeat_n(' ', c.len_utf8()));
    let mut out = String::with_capacity(expr.len());
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '"' && c != '\'' {
            out.push(c);
            continue;
        }
        let triple = {
            let mut look = chars.clone();
            look.next() == Some(c) && look.next() == Some(c)
        };
        blank(&mut out, c);
        if triple {
            chars.next();
            chars.next();
            out.push_str("  ");
        }
        let mut run = 0;
        while let Some(d) = chars.next() {
            blank(&mut out, d);
            if d == '\\' {
                if let Some(e) = chars.next() {
                    blank(&mut out, e);
                }
                run = 0;
                continue;
            }
            if d == c {
                run += 1;
                if !triple || run == 3 {
                    break;
                }
            } else {
                run = 0;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_self_is_found_as_a_variable_only() {
        assert!(uses_old_self("self == oldSelf"));
        assert!(uses_old_self("oldSelf.hasValue()"));
        assert!(!uses_old_self("self.oldSelf == 1"));
        assert!(!uses_old_self("self.x == 'oldSelf'"));
        assert!(!uses_old_self(r#"self.x == "a\"oldSelf""#));
        assert!(!uses_old_self("self.x == '''it's oldSelf'''"));
        assert!(!uses_old_self("self.myoldSelf"));
    }

    #[test]
    fn strings_are_blanked_in_place() {
        let e = "self.x == 'é\\'oldSelf' && oldSelf.y";
        assert_eq!(strip_strings(e).len(), e.len());
        assert_eq!(
            replace_old_self(e, "optional.none()"),
            "self.x == 'é\\'oldSelf' && optional.none().y"
        );
    }
}
