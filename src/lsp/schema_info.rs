//! What the editor asks about a resource (a custom resource, or a built-in kind through its
//! published schema): the schema of the key under the cursor (hover) and the keys or values that
//! may be written there (completion).

use crate::builtin;
use crate::model::schema::Schema;
use crate::model::{self, Crd, CrdIndex};
use crate::yaml::node::format_go_float;
use crate::yaml::{Node, Value};
use std::sync::Arc;

/// One step of a path into a resource: a key, or any item of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Item,
}

/// The definition of what `api_version`/`kind` names: a CRD of the index, else a built-in kind
/// of Kubernetes 1.`minor` (the newest embedded when none is set).
pub fn definition(
    index: &CrdIndex,
    api_version: &str,
    kind: &str,
    minor: Option<u32>,
) -> Option<Arc<Crd>> {
    let (group, version) = model::split_api_version(api_version);
    if let Some(crd) = index.get(group, kind) {
        return Some(Arc::clone(crd));
    }
    let minor = minor
        .unwrap_or_else(builtin::latest)
        .clamp(builtin::versions()[0], builtin::latest());
    builtin::crd_for(minor, group, version, kind)
}

/// The schema at `path` in the version `api_version` names of a definition.
pub fn schema_at<'a>(crd: &'a Crd, api_version: &str, path: &[Step]) -> Option<&'a Schema> {
    let (_, version) = model::split_api_version(api_version);
    let mut s: &Schema = crd.version(version)?.schema.as_deref()?;
    for step in path {
        s = match step {
            Step::Key(k) => s.property_schema(k)?,
            Step::Item => s.items.as_deref()?,
        };
    }
    Some(s)
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        other => Node::new(other.clone(), Default::default()).to_json(),
    }
}

/// Markdown for a hover: type, description, default, enum and constraints.
pub fn hover_markdown(field: &str, s: &Schema) -> String {
    let mut ty = if s.int_or_string {
        "integer or string".to_string()
    } else if s.type_.is_empty() {
        "any".to_string()
    } else {
        s.type_.clone()
    };
    if !s.format.is_empty() {
        ty.push_str(&format!(" ({})", s.format));
    }
    if s.nullable {
        ty.push_str(", nullable");
    }
    let mut out = format!("**{field}**: `{ty}`\n");
    if let Some(d) = &s.description {
        out.push_str(&format!("\n{d}\n"));
    }
    let mut facts = Vec::new();
    if let Some(d) = &s.default {
        facts.push(format!("default: `{}`", d.to_json()));
    }
    if let Some(values) = &s.enum_ {
        let list: Vec<String> = values.iter().map(|v| format!("`{}`", scalar(v))).collect();
        facts.push(format!("enum: {}", list.join(", ")));
    }
    if let Some(p) = &s.pattern {
        facts.push(format!("pattern: `{}`", p.source));
    }
    let bound = |name: &str, v: Option<f64>, excl: bool| {
        v.map(|x| {
            format!(
                "{name}{}: {}",
                if excl { " (exclusive)" } else { "" },
                format_go_float(x)
            )
        })
    };
    let limits = s.limits();
    facts.extend(bound("minimum", limits.minimum, limits.exclusive_minimum));
    facts.extend(bound("maximum", limits.maximum, limits.exclusive_maximum));
    for (name, v) in [
        ("minLength", limits.min_length),
        ("maxLength", limits.max_length),
        ("minItems", limits.min_items),
        ("maxItems", limits.max_items),
        ("minProperties", limits.min_properties),
        ("maxProperties", limits.max_properties),
    ] {
        if let Some(v) = v {
            facts.push(format!("{name}: {v}"));
        }
    }
    if !s.required.is_empty() {
        facts.push(format!("required: {}", s.required.join(", ")));
    }
    if !facts.is_empty() {
        out.push('\n');
        for f in facts {
            out.push_str(&format!("- {f}\n"));
        }
    }
    out
}

/// The path of keys to the entry whose key contains `offset`, within a document's root.
pub fn key_path_at(root: &Node, offset: usize) -> Option<Vec<Step>> {
    fn walk(n: &Node, offset: usize, path: &mut Vec<Step>) -> bool {
        match &n.value {
            Value::Map(entries) => {
                for e in entries {
                    if e.key_span.start <= offset && offset <= e.key_span.end {
                        path.push(Step::Key(e.key.to_string()));
                        return true;
                    }
                    if e.value.span.start <= offset && offset <= e.value.span.end {
                        path.push(Step::Key(e.key.to_string()));
                        if walk(&e.value, offset, path) {
                            return true;
                        }
                        path.pop();
                    }
                }
                false
            }
            Value::Seq(items) => {
                for i in items {
                    if i.span.start <= offset && offset <= i.span.end {
                        path.push(Step::Item);
                        if walk(i, offset, path) {
                            return true;
                        }
                        path.pop();
                    }
                }
                false
            }
            _ => false,
        }
    }
    let mut path = Vec::new();
    walk(root, offset, &mut path).then_some(path)
}

/// Where the cursor is, read from the text's indentation (the document may not parse while
/// it is being typed): the path of the enclosing object, and whether a value is being written
/// for a key.
#[derive(Debug, PartialEq, Eq)]
pub struct CursorContext {
    pub parent: Vec<Step>,
    /// `Some(key)` when the cursor is after `key:` on its line.
    pub value_of: Option<String>,
    /// The keys already present in the enclosing object.
    pub siblings: Vec<String>,
    pub api_version: Option<String>,
    pub kind: Option<String>,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// `key:` or `key: value` → key (plain or quoted).
fn key_of(content: &str) -> Option<&str> {
    let (k, _) = content.split_once(':')?;
    let k = k.trim().trim_matches(|c| c == '"' || c == '\'');
    (!k.is_empty() && !k.contains(' ')).then_some(k)
}

pub fn cursor_context(text: &str, line: usize, col_bytes: usize) -> CursorContext {
    let lines: Vec<&str> = text.split('\n').collect();
    // The document holding the cursor: between `---` lines.
    let start = (0..line.min(lines.len()))
        .rev()
        .find(|&i| lines[i].starts_with("---"))
        .map(|i| i + 1)
        .unwrap_or(0);
    let end = (line + 1..lines.len())
        .find(|&i| lines[i].starts_with("---"))
        .unwrap_or(lines.len());
    let current = lines.get(line).copied().unwrap_or("");
    let before = &current[..col_bytes.min(current.len())];
    let mut content = before.trim_start_matches(' ');
    let mut indent = indent_of(before);
    let mut in_new_item = false;
    while let Some(rest) = content.strip_prefix("- ") {
        indent += 2;
        content = rest;
        in_new_item = true;
    }
    let value_of = content
        .contains(':')
        .then(|| key_of(content))
        .flatten()
        .map(str::to_string);
    // Walk up: each line less indented than the current threshold is an ancestor.
    let mut parent = Vec::new();
    let mut threshold = indent;
    let mut parent_line = None;
    let mut siblings = Vec::new();
    if in_new_item {
        parent.push(Step::Item);
    }
    // The indentation of the list item last walked through: its list's key may sit at the same
    // indentation (`containers:` over `- name: x`), and the items before it are its siblings.
    let mut item_level: Option<usize> = None;
    for i in (start..line.min(lines.len())).rev() {
        let l = lines[i];
        let t = l.trim_start_matches(' ');
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let ind = indent_of(l);
        if item_level == Some(ind) && t.starts_with("- ") {
            continue;
        }
        if ind >= threshold && item_level != Some(ind) {
            continue;
        }
        // `- key: v` at indent `ind` opens an item whose keys sit at `ind + 2`.
        let mut body = t;
        let mut item_indent = ind;
        let mut items = 0;
        while let Some(rest) = body.strip_prefix("- ") {
            body = rest;
            item_indent += 2;
            items += 1;
        }
        if items > 0 && item_indent <= threshold {
            if item_indent == threshold && parent_line.is_none() {
                // The item's first key sits on its `- ` line.
                parent_line = Some(i);
                siblings.extend(key_of(body).map(str::to_string));
            }
            for _ in 0..items {
                parent.push(Step::Item);
            }
            if item_indent < threshold
                && let Some(k) = key_of(body)
            {
                parent.push(Step::Key(k.to_string()));
            }
            threshold = ind;
            item_level = Some(ind);
            continue;
        }
        if let Some(k) = key_of(body) {
            parent.push(Step::Key(k.to_string()));
            parent_line.get_or_insert(i);
            threshold = ind;
            item_level = None;
        }
    }
    parent.reverse();
    // Siblings: keys at the cursor's indentation in the same object.
    let from = parent_line.map(|l| l + 1).unwrap_or(start);
    for (i, l) in lines.iter().enumerate().take(end).skip(from) {
        if i == line {
            continue;
        }
        let t = l.trim_start_matches(' ');
        let ind = indent_of(l);
        if !t.is_empty() && !t.starts_with('#') && ind < indent && i > line {
            break;
        }
        if ind == indent
            && let Some(k) = key_of(t.trim_start_matches("- "))
        {
            siblings.push(k.to_string());
        }
    }
    let top = |key: &str| {
        lines[start..end].iter().find_map(|l| {
            l.strip_prefix(key)
                .and_then(|r| r.strip_prefix(':'))
                .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        })
    };
    CursorContext {
        parent,
        value_of,
        siblings,
        api_version: top("apiVersion"),
        kind: top("kind"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "apiVersion: demo.example.com/v1\nkind: Widget\nspec:\n  mode: \n  ports:\n    - name: a\n      \n";

    #[test]
    fn value_position() {
        let c = cursor_context(DOC, 3, 8);
        assert_eq!(c.parent, vec![Step::Key("spec".into())]);
        assert_eq!(c.value_of.as_deref(), Some("mode"));
        assert_eq!(c.kind.as_deref(), Some("Widget"));
        assert_eq!(c.api_version.as_deref(), Some("demo.example.com/v1"));
    }

    #[test]
    fn key_position_in_a_list_item() {
        let c = cursor_context(DOC, 6, 6);
        assert_eq!(
            c.parent,
            vec![
                Step::Key("spec".into()),
                Step::Key("ports".into()),
                Step::Item
            ]
        );
        assert_eq!(c.value_of, None);
        assert_eq!(c.siblings, vec!["name".to_string()]);
    }

    #[test]
    fn key_position_under_spec() {
        let text = "kind: Widget\nspec:\n  replicas: 1\n  \n";
        let c = cursor_context(text, 3, 2);
        assert_eq!(c.parent, vec![Step::Key("spec".into())]);
        assert_eq!(c.siblings, vec!["replicas".to_string()]);
    }
}
