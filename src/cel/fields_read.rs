//! Which fields of `self` a node's rules read, so that evaluation converts only those: a rule
//! such as `self.minReplicas <= self.replicas` on a large object reads two fields, and
//! converting the whole object to CEL values for it was most of what evaluating it cost.
//!
//! Only the plain case is recognised: every use of `self`, in every rule and messageExpression
//! of the node, is the operand of a field selection with a name (`self.a`, `has(self.a)`).
//! Anything else (`self` compared, passed to a function or macro, indexed, `self.?a`, or a
//! comprehension variable named `self`) needs the whole value. What a rule computes from a
//! field selection does not depend on the other fields, so the verdict, the messages and the
//! runtime cost are the same.

use kube_cel::cel::common::ast::{Expr, IdedExpr};
use kube_cel::{CompilationResult, CompiledSchema};

/// Set [`CompiledSchema::self_fields`] on every node of `c` with rules.
pub fn mark(c: &mut CompiledSchema) {
    if !c.validations.is_empty() {
        c.self_fields = fields_of_node(&c.validations);
    }
    for child in super::eval::children_mut(c) {
        mark(child);
    }
}

/// The fields of `self` a node's rules read, sorted; None when one of them needs all of it.
/// Read from the programs kube-cel compiled (rules and messageExpressions): not parsed again.
fn fields_of_node(
    validations: &[Result<CompilationResult, kube_cel::CompilationError>],
) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    for v in validations {
        let compiled = v.as_ref().ok()?;
        for program in std::iter::once(&compiled.program).chain(&compiled.message_program) {
            fields_read(program.expression(), &mut fields)?;
        }
    }
    fields.sort();
    fields.dedup();
    Some(fields)
}

/// Add the fields of `self` that `expr` selects to `fields`; None when it uses `self` in any
/// other way.
fn fields_read(expr: &IdedExpr, fields: &mut Vec<String>) -> Option<()> {
    visit(expr, fields).then_some(())
}

fn is_self(e: &IdedExpr) -> bool {
    matches!(&e.expr, Expr::Ident(name) if name == "self")
}

/// Whether every use of `self` under `e` is a named field selection (collected in `fields`).
fn visit(e: &IdedExpr, fields: &mut Vec<String>) -> bool {
    match &e.expr {
        Expr::Ident(name) => name != "self",
        Expr::Select(s) if is_self(&s.operand) => {
            fields.push(s.field.clone());
            true
        }
        // A variable named `self` would hide it: the plain case no longer holds.
        Expr::Comprehension(c)
            if c.iter_var == "self"
                || c.iter_var2.as_deref() == Some("self")
                || c.accu_var == "self" =>
        {
            false
        }
        other => (super::undeclared::children(other).into_iter()).all(|x| visit(x, fields)),
    }
}

#[cfg(test)]
mod tests {
    use super::fields_read;

    /// The fields `expression` reads, parsed as the evaluator parses it; None when it reads
    /// `self` otherwise or does not parse.
    fn read(expression: &str) -> Option<Vec<String>> {
        let program = kube_cel::cel::Program::compile(expression).ok()?;
        let mut fields = Vec::new();
        fields_read(program.expression(), &mut fields)?;
        fields.sort();
        fields.dedup();
        Some(fields)
    }

    #[test]
    fn named_field_selections_of_self_are_all_a_rule_reads() {
        assert_eq!(
            read("self.minReplicas <= self.replicas").unwrap(),
            ["minReplicas", "replicas"]
        );
        assert_eq!(
            read("!has(self.a) || self.a.b.all(x, x > self.c)").unwrap(),
            ["a", "c"]
        );
        assert_eq!(read("'%d'.format([self.n])").unwrap(), ["n"]);
        assert_eq!(read("{'k': self.v}.k == 1").unwrap(), ["v"]);
        assert_eq!(read("true").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn any_other_use_of_self_needs_all_of_it() {
        for e in [
            "size(self) > 0",
            "self == oldSelf",
            "self.all(k, k != 'x')",
            "self['a'] == 1",
            "has(self.a) && self.exists(x, true)",
            "self.?a.orValue(1) == 1",
            "self.a.all(self, self > 0)",
            "[self].size() == 1",
            "self.startsWith('x')",
            "not a rule (",
        ] {
            assert_eq!(read(e), None, "{e}");
        }
    }
}
