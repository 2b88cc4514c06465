//! `cel.bind`, which the API server refuses: the Kubernetes CEL environment has no
//! `ext.Bindings` (apiserver `pkg/cel/environment/base.go`, v0.35), so `cel.bind(x, init, body)`
//! is a call of the undeclared function `bind` on the undeclared identifier `cel`, and the
//! bound name is undeclared wherever it is used. The checker reports each of those as
//! `undeclared reference to 'NAME' (in container '')`, sorted by position (cel-go
//! `checker/checker.go`, `common/errors.go`).
//!
//! crdlint has no type checker, so it reports undeclared references only in an expression
//! that calls `cel.bind` (which the server certainly refuses), and there only what it can tell
//! is undeclared: identifiers that are not `self`, `oldSelf`, a comprehension's variable in
//! scope, a type name or the namespace of a library function. An identifier it cannot place
//! is left out of the message rather than reported where the server might accept it.

use kube_cel::cel::common::ast::{EntryExpr, Expr, IdedEntryExpr, IdedExpr, snippet_display};
use kube_cel::cel::parser::Parser;

/// Identifiers every CRD rule may name: the bound object and, for transition rules, the old.
const VARIABLES: &[&str] = &["self", "oldSelf"];

/// Type names the checker resolves as identifiers (`type(self) == int`).
const TYPE_NAMES: &[&str] = &[
    "int",
    "uint",
    "double",
    "bool",
    "string",
    "bytes",
    "list",
    "map",
    "null_type",
    "type",
    "optional_type",
    // The root of qualified type names such as `google.protobuf.Timestamp`.
    "google",
];

/// Namespaces of the environment's qualified functions (`optional.of`, `sets.contains`,
/// `lists.range`, `strings.quote`, `format.dns1123Label`, `ip.isCanonical`, ...): as a call's
/// target they name the function, not a value.
const FUNCTION_NAMESPACES: &[&str] = &[
    "optional", "sets", "lists", "strings", "format", "ip", "math", "base64",
];

/// cel-go stops listing errors after this many and says how many more there were.
const MAX_ERRORS: usize = 100;

/// The checker's errors for `expression` when it calls `cel.bind`, worded as the server words
/// them after "compilation failed: "; None when it does not call it (or does not parse).
pub fn bind_errors(expression: &str) -> Option<String> {
    // Most expressions never name it: skip the second parse.
    if !expression.contains("bind") {
        return None;
    }
    let (expr, info) = Parser::default()
        .enable_optional_syntax(true)
        .parse_with_source_info(expression)
        .ok()?;
    if !calls_cel_bind(&expr) {
        return None;
    }
    let mut found = Vec::new();
    let mut scope: Vec<&str> = VARIABLES.to_vec();
    undeclared(&expr, &mut scope, &mut found);
    let mut errors: Vec<(usize, usize, &str)> = found
        .into_iter()
        .filter_map(|(id, name)| {
            let (start, _) = info.offset_for(id)?;
            let (line, column) = line_and_column(expression, start as usize);
            Some((line, column, name))
        })
        .collect();
    // cel-go sorts stably by line and column.
    errors.sort_by_key(|&(line, column, _)| (line, column));
    let mut lines: Vec<String> = errors
        .iter()
        .take(MAX_ERRORS)
        .map(|&(line, column, name)| {
            let text = expression.split('\n').nth(line - 1).unwrap_or("");
            format!(
                "ERROR: <input>:{line}:{}: undeclared reference to '{name}' (in container ''){}",
                column + 1,
                snippet_display(text, column as isize)
            )
        })
        .collect();
    if errors.len() > MAX_ERRORS {
        lines.push(format!(
            "{} more errors were truncated",
            errors.len() - MAX_ERRORS
        ));
    }
    Some(lines.join("\n"))
}

/// The 1-based line and 0-based column (in code points, as cel-go counts) of a byte offset
/// (the parser's token offsets count bytes).
fn line_and_column(source: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(source.len());
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    let before = &source[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count(),
    )
}

fn is_cel_bind(e: &Expr) -> bool {
    matches!(e, Expr::Call(c) if c.func_name == "bind"
        && matches!(c.target.as_deref().map(|t| &t.expr), Some(Expr::Ident(i)) if i == "cel"))
}

fn calls_cel_bind(e: &IdedExpr) -> bool {
    is_cel_bind(&e.expr) || children(&e.expr).into_iter().any(calls_cel_bind)
}

/// The direct subexpressions, in the order the checker visits them (a call's arguments before
/// its target; the order only matters for errors at the same position).
pub(super) fn children(e: &Expr) -> Vec<&IdedExpr> {
    match e {
        Expr::Call(c) => c.args.iter().chain(c.target.as_deref()).collect(),
        Expr::Comprehension(c) => vec![
            &c.iter_range,
            &c.accu_init,
            &c.loop_cond,
            &c.loop_step,
            &c.result,
        ],
        Expr::List(l) => l.elements.iter().collect(),
        Expr::Map(m) => entries(&m.entries),
        Expr::Struct(s) => entries(&s.entries),
        Expr::Select(s) => vec![&s.operand],
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => Vec::new(),
    }
}

/// The keys and values of a map literal, or the field values of a message construction.
fn entries(list: &[IdedEntryExpr]) -> Vec<&IdedExpr> {
    list.iter()
        .flat_map(|entry| match &entry.expr {
            EntryExpr::MapEntry(me) => vec![&me.key, &me.value],
            EntryExpr::StructField(f) => vec![&f.value],
        })
        .collect()
}

/// Collect (expression id, name) of every undeclared reference below `e`, with `scope` the
/// names declared around it (cel-go `checker.check`).
fn undeclared<'a>(e: &'a IdedExpr, scope: &mut Vec<&'a str>, found: &mut Vec<(u64, &'a str)>) {
    match &e.expr {
        Expr::Ident(name) => {
            if !scope.contains(&name.as_str()) && !TYPE_NAMES.contains(&name.as_str()) {
                found.push((e.id, name));
            }
        }
        Expr::Call(c) => {
            for arg in &c.args {
                undeclared(arg, scope, found);
            }
            if let Some(target) = c.target.as_deref() {
                let namespaced = matches!(&target.expr, Expr::Ident(ns)
                    if FUNCTION_NAMESPACES.contains(&ns.as_str()) && !scope.contains(&ns.as_str()));
                if !namespaced {
                    undeclared(target, scope, found);
                }
            }
            if is_cel_bind(&e.expr) {
                // The call itself: no function `bind` (nor `cel.bind`) is declared.
                found.push((e.id, "bind"));
            }
        }
        Expr::Comprehension(c) => {
            undeclared(&c.iter_range, scope, found);
            undeclared(&c.accu_init, scope, found);
            let outer = scope.len();
            scope.push(&c.accu_var);
            let accumulator = scope.len();
            scope.push(&c.iter_var);
            if let Some(second) = &c.iter_var2 {
                scope.push(second);
            }
            undeclared(&c.loop_cond, scope, found);
            undeclared(&c.loop_step, scope, found);
            // The result sees the accumulator, not the iteration variables.
            scope.truncate(accumulator);
            undeclared(&c.result, scope, found);
            scope.truncate(outer);
        }
        other => {
            for child in children(other) {
                undeclared(child, scope, found);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The server's message for `cel.bind(x, self.items, x.size() < 3)`, from kubectl-validate
    /// 1.35 (fixtures/crds/cel-bind).
    #[test]
    fn cel_bind_is_worded_as_the_checker_words_it() {
        assert_eq!(
            bind_errors("cel.bind(x, self.items, x.size() < 3)").unwrap(),
            "ERROR: <input>:1:1: undeclared reference to 'cel' (in container '')\n | cel.bind(x, self.items, x.size() < 3)\n | ^\nERROR: <input>:1:9: undeclared reference to 'bind' (in container '')\n | cel.bind(x, self.items, x.size() < 3)\n | ........^\nERROR: <input>:1:10: undeclared reference to 'x' (in container '')\n | cel.bind(x, self.items, x.size() < 3)\n | .........^\nERROR: <input>:1:25: undeclared reference to 'x' (in container '')\n | cel.bind(x, self.items, x.size() < 3)\n | ........................^"
        );
    }

    #[test]
    fn comprehension_variables_are_declared_and_bound_names_are_not() {
        let errors =
            bind_errors("self.items.all(i, cel.bind(y, i, y.size() > 0 && y != 'a'))").unwrap();
        let names: Vec<&str> = errors
            .lines()
            .filter_map(|l| l.split('\'').nth(1).filter(|_| l.starts_with("ERROR")))
            .collect();
        assert_eq!(names, ["cel", "bind", "y", "y", "y"]);
        assert!(errors.starts_with("ERROR: <input>:1:19: undeclared reference to 'cel'"));
    }

    #[test]
    fn positions_count_code_points_and_lines() {
        let errors = bind_errors("'é' != '' &&\n  cel.bind(x, 1, x == 1)").unwrap();
        assert!(
            errors.starts_with("ERROR: <input>:2:3: undeclared reference to 'cel' (in container '')\n |   cel.bind(x, 1, x == 1)\n | ..^\nERROR: <input>:2:11: undeclared reference to 'bind'"),
            "{errors}"
        );
    }

    #[test]
    fn expressions_without_cel_bind_are_left_alone() {
        assert_eq!(
            bind_errors("self.items.all(i, i.size() > 0) && optional.none() == optional.none()"),
            None
        );
        assert_eq!(bind_errors("n.bind(x, 1, x)"), None);
        assert_eq!(bind_errors("self =="), None);
    }
}
