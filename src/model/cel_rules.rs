//! Checks on the CEL rules of a CRD, done when the CRD is read: each `rule` and
//! `messageExpression` must parse (`cel/compile-error`, where the API server refuses the CRD),
//! and syntax our evaluator lacks is named (`cel/unsupported`).
//!
//! Also what is not evaluated at all: kube-cel has no runtime cost limit (the API server stops
//! a rule at a per-call cost of 1,000,000), so a function whose work is set by an argument
//! rather than by the object, such as `lists.range(n)` (a list of `n` integers, allocated at
//! once), could exhaust memory. Rules calling one are withheld: `cel/unsupported`, never a
//! silent pass.

use super::schema::SchemaProblem;
use crate::yaml::Node;
use kube_cel::cel::Program;

/// Why a rule is not evaluated; the evaluator's report of a withheld rule carries it.
pub const WITHHELD: &str = "crdlint does not evaluate lists.range: its cost is set by its argument, and the CEL evaluator has no runtime cost limit to stop it";

/// Whether a compiled expression calls a function crdlint does not evaluate.
fn calls_unbounded(program: &Program) -> bool {
    // `lists.range(n)` parses as `range` called on the identifier `lists`.
    let refs = program.references();
    refs.has_function("range") && refs.variables().contains(&"lists")
}

fn expression_calls_unbounded(expression: &str) -> bool {
    Program::compile(expression).is_ok_and(|p| calls_unbounded(&p))
}

#[derive(Debug)]
struct Withheld;

impl std::fmt::Display for Withheld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(WITHHELD)
    }
}

impl std::error::Error for Withheld {}

/// Replace every rule of `schema` (and below) that calls an unbounded function by a
/// compilation error, so the evaluator reports it as not checked instead of running it.
pub fn withhold_unbounded(schema: &mut kube_cel::CompiledSchema) {
    for v in &mut schema.validations {
        if let Ok(compiled) = v
            && (calls_unbounded(&compiled.program)
                || compiled
                    .message_program
                    .as_ref()
                    .is_some_and(calls_unbounded))
        {
            *v = Err(kube_cel::CompilationError::Parse {
                rule: compiled.rule.rule.clone(),
                source: Box::new(Withheld),
            });
        }
    }
    let children = schema
        .properties
        .values_mut()
        .chain(schema.items.as_deref_mut())
        .chain(schema.additional_properties.as_deref_mut())
        .chain(schema.all_of.iter_mut())
        .chain(schema.one_of.iter_mut())
        .chain(schema.any_of.iter_mut());
    for child in children {
        withhold_unbounded(child);
    }
}

/// What compiling one expression said: None when it compiles.
fn compile_problem(expression: &str) -> Option<(bool, String)> {
    let schema = serde_json::json!({"x-kubernetes-validations": [{"rule": expression}]});
    let compiled = kube_cel::compile_schema(&schema);
    let error = compiled.compilation_errors().first()?.to_string();
    // cel-rust reports CEL features it does not parse yet (optional syntax `.?`, `[?x]`) as
    // "unsupported syntax"; cel-go accepts them, so they are not compile errors.
    let unsupported = error.contains("unsupported syntax");
    let detail = error
        .split_once("\": ")
        .map(|(_, d)| d.to_string())
        .unwrap_or(error);
    Some((unsupported, detail))
}

/// Check the `x-kubernetes-validations` list at `path` (the schema node's path).
pub fn check(list: &Node, path: &str, problems: &mut Vec<SchemaProblem>) {
    for (i, rule) in list.as_seq().unwrap_or_default().iter().enumerate() {
        for key in ["rule", "messageExpression"] {
            let Some(expr_node) = rule.get(key) else {
                continue;
            };
            let Some(expr) = expr_node.as_str() else {
                continue;
            };
            let field = format!("{path}.x-kubernetes-validations[{i}].{key}");
            if expression_calls_unbounded(expr) {
                let quoted = crate::validate::field_error::go_quote(expr);
                problems.push(SchemaProblem {
                    rule: "cel/unsupported",
                    path: field.clone(),
                    message: format!(
                        "{field}: {quoted}: resources are not checked against this rule: {WITHHELD}"
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
                        message: format!("{field}: Invalid value: {quoted}: compilation failed: {detail}"),
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
        assert_eq!(
            rules,
            vec!["cel/compile-error", "cel/unsupported", "cel/compile-error"]
        );
        assert!(p[0].message.starts_with("s.x-kubernetes-validations[0].rule: Invalid value: \"self ==\": compilation failed: ERROR: <input>:1:8: Syntax error"));
        assert_eq!(p[2].path, "s.x-kubernetes-validations[2].messageExpression");
    }

    #[test]
    fn valid_rules_pass() {
        assert!(
            problems(
                "- rule: self.all(k, v, v > 0)\n- rule: has(self.a) || self.b.matches('^x$')\n"
            )
            .is_empty()
        );
    }
}
