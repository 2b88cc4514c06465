//! Checks on the CEL rules of a CRD, done when the CRD is read: each `rule` and
//! `messageExpression` must parse (`cel/compile-error`, where the API server refuses the CRD),
//! and syntax our evaluator lacks is named (`cel/unsupported`).

use super::schema::SchemaProblem;
use crate::yaml::Node;

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
            // A blank expression is a schema error (cel/missing-rule, cel/message); the server
            // then compiles nothing at this level.
            let Some(expr) = expr_node.as_str().filter(|e| !e.trim().is_empty()) else {
                continue;
            };
            let field = format!("{path}.x-kubernetes-validations[{i}].{key}");
            if let Some((unsupported, detail)) = compile_problem(expr) {
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
