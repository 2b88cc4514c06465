//! Checks on the CEL rules of a CRD, done when the CRD is read: each `rule` and
//! `messageExpression` must parse (`cel/compile-error`, where the API server refuses the CRD),
//! and syntax our evaluator lacks, should the parser report some, is named (`cel/unsupported`).
//! The vendored cel parser (vendor/cel/PATCHES.md) knows the optional syntax (`.?`, `[?k]`), so
//! it is not reported.
//!
//! Also what is not evaluated at all, because the evaluator could not survive it:
//! - `lists.range(n)` allocates its list of `n` integers at once, inside kube-cel, before the
//!   runtime cost meter (which stops a rule at the API server's per-call cost of 1,000,000)
//!   can charge for it, so a large `n` could exhaust memory;
//! - cel-rust does not implement message construction (`Type{field: value}`) and panics on it.
//!
//! Rules using either are withheld: `cel/unsupported`, never a silent pass.

use super::schema::SchemaProblem;
use crate::yaml::Node;
use kube_cel::cel::Program;
use kube_cel::cel::common::ast::{EntryExpr, Expr};

/// How every reason a rule is withheld starts; the evaluator's report of the rule carries it.
pub const WITHHELD: &str = "crdlint does not evaluate ";

const RANGE: &str = "crdlint does not evaluate lists.range: it builds its whole list before the runtime cost limit can stop it";
const STRUCT: &str = "crdlint does not evaluate message construction (`Type{field: value}`): the CEL evaluator does not implement it";

/// Why crdlint does not evaluate an expression, if it does not.
fn withheld(e: &Expr) -> Option<&'static str> {
    fn any<'a>(mut items: impl Iterator<Item = &'a Expr>) -> Option<&'static str> {
        items.find_map(withheld)
    }
    match e {
        Expr::Struct(_) => Some(STRUCT),
        // `lists.range(n)` parses as `range` called on the identifier `lists`.
        Expr::Call(c)
            if c.func_name == "range"
                && matches!(c.target.as_deref().map(|t| &t.expr), Some(Expr::Ident(i)) if i == "lists") =>
        {
            Some(RANGE)
        }
        Expr::Call(c) => any(c
            .target
            .iter()
            .map(|t| &t.expr)
            .chain(c.args.iter().map(|a| &a.expr))),
        Expr::Comprehension(c) => any([
            &c.iter_range,
            &c.accu_init,
            &c.loop_cond,
            &c.loop_step,
            &c.result,
        ]
        .into_iter()
        .map(|x| &x.expr)),
        Expr::List(l) => any(l.elements.iter().map(|x| &x.expr)),
        Expr::Map(m) => any(m.entries.iter().flat_map(|entry| match &entry.expr {
            EntryExpr::MapEntry(me) => vec![&me.key.expr, &me.value.expr],
            EntryExpr::StructField(f) => vec![&f.value.expr],
        })),
        Expr::Select(sel) => withheld(&sel.operand.expr),
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => None,
    }
}

fn program_withheld(program: &Program) -> Option<&'static str> {
    withheld(&program.expression().expr)
}

fn expression_withheld(expression: &str) -> Option<&'static str> {
    Program::compile(expression)
        .ok()
        .and_then(|p| program_withheld(&p))
}

#[derive(Debug)]
struct Withheld(&'static str);

impl std::fmt::Display for Withheld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Withheld {}

/// Replace every rule of `schema` (and below) that crdlint does not evaluate by a
/// compilation error, so the evaluator reports it as not checked instead of running it.
pub fn withhold(schema: &mut kube_cel::CompiledSchema) {
    for v in &mut schema.validations {
        if let Ok(compiled) = v
            && let Some(why) = program_withheld(&compiled.program)
                .or_else(|| compiled.message_program.as_ref().and_then(program_withheld))
        {
            *v = Err(kube_cel::CompilationError::Parse {
                rule: compiled.rule.rule.clone(),
                source: Box::new(Withheld(why)),
            });
        }
    }
    for child in crate::validate::cel::children_mut(schema) {
        withhold(child);
    }
}

/// What compiling one expression said: None when it compiles.
fn compile_problem(expression: &str) -> Option<(bool, String)> {
    let schema = serde_json::json!({"x-kubernetes-validations": [{"rule": expression}]});
    let compiled = kube_cel::compile_schema(&schema);
    let error = compiled.compilation_errors().first()?.to_string();
    Some(classify(error))
}

/// Whether a compilation error is the parser's "unsupported syntax" (syntax cel-go accepts but
/// the parser does not know, so not a compile error), and its detail.
fn classify(error: String) -> (bool, String) {
    let unsupported = error.contains("unsupported syntax");
    let detail = error
        .split_once("\": ")
        .map(|(_, d)| d.to_string())
        .unwrap_or(error);
    (unsupported, detail)
}

/// Check the `x-kubernetes-validations` list at `path` (the schema node's path).
pub fn check(list: &Node, path: &str, problems: &mut Vec<SchemaProblem>) {
    for (i, rule) in list.as_seq().unwrap_or_default().iter().enumerate() {
        for key in ["rule", "messageExpression"] {
            let Some(expr_node) = rule.get(key) else {
                continue;
            };
            // A blank expression is a schema error (cel/missing-rule, cel/message); the server
            // then compiles nothing at this level.
            let Some(expr) = expr_node.as_str().filter(|e| !e.trim().is_empty()) else {
                continue;
            };
            let field = format!("{path}.x-kubernetes-validations[{i}].{key}");
            if let Some(why) = expression_withheld(expr) {
                let quoted = crate::validate::field_error::go_quote(expr);
                problems.push(SchemaProblem {
                    rule: "cel/unsupported",
                    path: field.clone(),
                    message: format!(
                        "{field}: {quoted}: resources are not checked against this rule: {why}"
                    ),
                    span: expr_node.span,
                });
            } else if let Some((unsupported, detail)) = compile_problem(expr) {
                let quoted = crate::validate::field_error::go_quote(expr);
                problems.push(if unsupported {
                    SchemaProblem {
                        rule: "cel/unsupported",
                        path: field.clone(),
                        message: format!("{field}: {quoted} uses CEL syntax crdlint cannot evaluate yet, so resources are not checked against it: {detail}"),
                        span: expr_node.span,
                    }
                } else {
                    SchemaProblem {
                        rule: "cel/compile-error",
                        path: field.clone(),
                        // The server prints the whole rule entry as the bad value.
                        message: format!(
                            "{field}: Invalid value: {}: {}compilation failed: {detail}",
                            crate::lint::cel_walk::go_rule_value(rule),
                            if key == "messageExpression" { "messageExpression " } else { "" }
                        ),
                        span: expr_node.span,
                    }
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(yaml: &str) -> Vec<SchemaProblem> {
        let doc = crate::yaml::parse_stream(yaml).remove(0);
        let mut out = Vec::new();
        check(&doc.root.unwrap(), "s", &mut out);
        out
    }

    #[test]
    fn syntax_errors_and_unsupported_syntax() {
        let p = problems(
            "- rule: 'self =='\n- rule: 'self.?a.orValue(1) > 0'\n- rule: self > 0\n  messageExpression: \"'x' +\"\n",
        );
        let rules: Vec<&str> = p.iter().map(|p| p.rule).collect();
        // The optional syntax parses: no cel/unsupported for it.
        assert_eq!(rules, vec!["cel/compile-error", "cel/compile-error"]);
        assert!(p[0].message.starts_with("s.x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:\"self ==\", Message:\"\", MessageExpression:\"\", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:\"\", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:8: Syntax error"), "{}", p[0].message);
        assert!(
            p[1].message.contains(
                "MessageExpression:\"'x' +\", Reason:(*apiextensions.FieldValueErrorReason)(nil)"
            ),
            "{}",
            p[1].message
        );
        assert!(
            p[1].message
                .contains("}: messageExpression compilation failed: ERROR:"),
            "{}",
            p[1].message
        );
        assert_eq!(p[1].path, "s.x-kubernetes-validations[2].messageExpression");
        // Syntax the parser reports as unsupported is named, not refused.
        let (unsupported, detail) = classify(
            "failed to compile rule \"x\": ERROR: <input>:1:2: unsupported syntax '.?'".into(),
        );
        assert!(unsupported);
        assert_eq!(detail, "ERROR: <input>:1:2: unsupported syntax '.?'");
        assert!(!classify("ERROR: <input>:1:8: Syntax error".into()).0);
    }

    #[test]
    fn rules_the_evaluator_cannot_survive_are_withheld() {
        assert_eq!(
            expression_withheld("lists.range(5).size() == 5"),
            Some(RANGE)
        );
        assert_eq!(
            expression_withheld("self.all(x, [1, lists.range(self.n)].size() > 0)"),
            Some(RANGE)
        );
        assert_eq!(
            expression_withheld("{'a': [M{x: 1}]}.size() == 1"),
            Some(STRUCT)
        );
        assert_eq!(
            expression_withheld("self.range(1) == 1 && lists.x == 1"),
            None
        );
        assert_eq!(
            expression_withheld("self.items.all(i, i.size() < 10)"),
            None
        );
        let p = problems("- rule: lists.range(3).size() == 3\n");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].rule, "cel/unsupported");
        assert!(
            p[0].message
                .contains("crdlint does not evaluate lists.range")
        );
    }

    #[test]
    fn valid_rules_pass() {
        assert!(
            problems(
                "- rule: self.all(k, v, v > 0)\n- rule: has(self.a) || self.b.matches('^x$')\n"
            )
            .is_empty()
        );
        // The syntax cel-rust 0.13 lacked: optional access; cel.bind and two-variable macros
        // (which it parsed as calls, and which are now expanded).
        let p = problems(
            "- rule: \"self.?a.orValue(1) > 0 && self[?'b'].hasValue() && [?self.?c].size() < 2\"\n- rule: \"{?'k': self.?d}.size() < 2\"\n- rule: cel.bind(x, self.items, x.size() < 3)\n- rule: \"self.items.transformMapEntry(i, v, {v: i}).size() > 0\"\n",
        );
        assert!(p.is_empty(), "{p:?}");
    }
}
