//! `cel/compile-error`: a `rule` or `messageExpression` that does not compile (the API server
//! refuses the CRD). The same pass names, as `cel/unsupported`, the expressions crdlint compiles
//! but does not evaluate, and syntax the parser does not know.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/cel/compilation.go`.

use crate::cel::compile::{Verdict, verdict};
use crate::cel::walk::RuleAt;
use crate::lint::{Context, Finding, Rule};
use crate::wording::go_rule_value;
use crate::yaml::Node;

pub const ID: &str = "cel/compile-error";

pub const RULE: Rule = Rule {
    cel_rule: Some(check),
    ..Rule::new(ID)
};

pub fn check(at: &RuleAt, _ctx: &Context, problems: &mut Vec<Finding>) {
    check_entry(at.entry, &|key| at.field(key), problems);
}

/// One `x-kubernetes-validations` entry; `field` gives the path of its `key`.
fn check_entry(entry: &Node, field: &dyn Fn(&str) -> String, problems: &mut Vec<Finding>) {
    for key in ["rule", "messageExpression"] {
        let Some(expr_node) = entry.get(key) else {
            continue;
        };
        // A blank expression is a schema error (cel/missing-rule, cel/message); the server
        // then compiles nothing at this level.
        let Some(expr) = expr_node.as_str().filter(|e| !e.trim().is_empty()) else {
            continue;
        };
        let Some(v) = verdict(expr) else {
            continue;
        };
        let field = field(key);
        let finding = match v {
            Verdict::Withheld(why) => super::unsupported::withheld(&field, expr, why, expr_node.span),
            Verdict::Unsupported(detail) => {
                super::unsupported::unknown_syntax(&field, expr, &detail, expr_node.span)
            }
            Verdict::Error(detail) => {
                // The server prints the whole rule entry as the bad value.
                let message = format!(
                    "{field}: Invalid value: {}: {}compilation failed: {detail}",
                    go_rule_value(entry),
                    if key == "messageExpression" { "messageExpression " } else { "" }
                );
                Finding::new(ID, message, expr_node.span).with_field(field)
            }
        };
        problems.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(yaml: &str) -> Vec<Finding> {
        let doc = crate::yaml::parse_stream(yaml).remove(0);
        let mut out = Vec::new();
        for (i, entry) in doc.root.unwrap().as_seq().unwrap().iter().enumerate() {
            check_entry(entry, &|k| format!("s.x-kubernetes-validations[{i}].{k}"), &mut out);
        }
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
        assert_eq!(p[1].field.as_deref().unwrap(), "s.x-kubernetes-validations[2].messageExpression");
    }

    #[test]
    fn rules_the_evaluator_cannot_survive_are_withheld() {
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
        // The syntax cel-rust 0.13 lacked: optional access and two-variable macros (which it
        // parsed as calls, and which are now expanded).
        let p = problems(
            "- rule: \"self.?a.orValue(1) > 0 && self[?'b'].hasValue() && [?self.?c].size() < 2\"\n- rule: \"{?'k': self.?d}.size() < 2\"\n- rule: \"self.items.transformMapEntry(i, v, {v: i}).size() > 0\"\n",
        );
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn cel_bind_is_refused_as_the_server_refuses_it() {
        // Kubernetes offers no ext.Bindings: the checker's undeclared references, in the
        // rule and in a messageExpression (fixtures/lint/cel/bind.yaml holds the oracle's).
        let p = problems(
            "- rule: cel.bind(x, self.items, x.size() < 3)\n- rule: self.a > 0\n  messageExpression: cel.bind(m, 'a', m)\n",
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p.iter().all(|p| p.rule == ID));
        assert!(p[0].message.ends_with("compilation failed: ERROR: <input>:1:1: undeclared reference to 'cel' (in container '')\n | cel.bind(x, self.items, x.size() < 3)\n | ^\nERROR: <input>:1:9: undeclared reference to 'bind' (in container '')\n | cel.bind(x, self.items, x.size() < 3)\n | ........^\nERROR: <input>:1:10: undeclared reference to 'x' (in container '')\n | cel.bind(x, self.items, x.size() < 3)\n | .........^\nERROR: <input>:1:25: undeclared reference to 'x' (in container '')\n | cel.bind(x, self.items, x.size() < 3)\n | ........................^"), "{}", p[0].message);
        assert!(p[1].message.contains("}: messageExpression compilation failed: ERROR: <input>:1:1: undeclared reference to 'cel'"), "{}", p[1].message);
    }
}
