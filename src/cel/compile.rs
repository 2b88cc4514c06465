//! Compiling a CRD's CEL rules: for lint, whether each `rule` and `messageExpression` parses
//! (`cel/compile-error`, where the API server refuses the CRD) or uses syntax our evaluator
//! lacks (`cel/unsupported`); for validation, a version's rules compiled once for kube-cel.
//! The vendored cel parser (vendor/cel/PATCHES.md) knows the optional syntax (`.?`, `[?k]`), so
//! it is not reported.
//!
//! Also what is not evaluated at all, because the evaluator could not survive it:
//! - `lists.range(n)` allocates its list of `n` integers at once, inside kube-cel, before the
//!   runtime cost meter (which stops a rule at the API server's per-call cost of 1,000,000)
//!   can charge for it, so a large `n` could exhaust memory;
//! - cel-rust does not implement message construction (`Type{field: value}`) and panics on it.
//!
//! Rules using either are withheld: `cel/unsupported`, never a silent pass. Rules calling
//! `cel.bind` do not compile on the server (`undeclared`): a compile error for lint, withheld
//! from evaluation.

use super::undeclared::bind_errors;
use crate::model::cel_source::CelSource;
use crate::model::crd::{CompiledCel, CrdVersion};
use kube_cel::cel::Program;
use kube_cel::cel::common::ast::{EntryExpr, Expr};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

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

/// Why a rule is not evaluated, as the compilation error that replaces it: crdlint's reason
/// (`WITHHELD`...) or the server's checker errors (`cel.bind`).
#[derive(Debug)]
struct NotEvaluated(std::borrow::Cow<'static, str>);

impl std::fmt::Display for NotEvaluated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotEvaluated {}

/// Replace every rule of `schema` (and below) that crdlint does not evaluate by a
/// compilation error, so the evaluator reports it as not checked instead of running it:
/// rules the server refuses to compile (`cel.bind`) and rules the evaluator cannot survive.
pub fn withhold(schema: &mut kube_cel::CompiledSchema) {
    for v in &mut schema.validations {
        let Ok(compiled) = v else { continue };
        let refused = std::iter::once(&compiled.rule.rule)
            .chain(compiled.rule.message_expression.as_ref())
            .find_map(|e| bind_errors(e));
        let why = match refused {
            Some(errors) => errors.into(),
            None => match program_withheld(&compiled.program)
                .or_else(|| compiled.message_program.as_ref().and_then(program_withheld))
            {
                Some(why) => why.into(),
                None => continue,
            },
        };
        *v = Err(kube_cel::CompilationError::Parse {
            rule: compiled.rule.rule.clone(),
            source: Box::new(NotEvaluated(why)),
        });
    }
    for child in crate::cel::eval::children_mut(schema) {
        withhold(child);
    }
}

/// Whether a parse error is the parser's "unsupported syntax" (syntax cel-go accepts but the
/// parser does not know, so not a compile error).
fn is_unsupported(detail: &str) -> bool {
    detail.contains("unsupported syntax")
}

/// What compiling one `rule` or `messageExpression` says, when it is not simply fine.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// It compiles, but crdlint does not evaluate it, for this reason.
    Withheld(&'static str),
    /// The parser does not know its syntax (cel-go may); the parser's detail.
    Unsupported(String),
    /// It does not compile; the compiler's detail.
    Error(String),
}

/// A parsed expression, or the parser's errors as text.
pub type Parsed = Result<Rc<Program>, Rc<str>>;

/// `Program::compile(expression)`, or its errors as text, kept for the next asker on this
/// thread: lint reads each rule three times (whether it compiles, its result type, its cost),
/// and parsing was most of what each of those cost.
pub fn parsed(expression: &str) -> Parsed {
    /// Enough for every rule of the largest CRDs; past it the cache starts again.
    const KEPT: usize = 4096;
    thread_local! {
        static PARSED: RefCell<HashMap<Box<str>, Parsed>> =
            RefCell::new(HashMap::new());
    }
    PARSED.with(|cache| {
        if let Some(found) = cache.borrow().get(expression) {
            return found.clone();
        }
        let result = Program::compile(expression)
            .map(Rc::new)
            .map_err(|errors| Rc::from(errors.to_string()));
        let mut cache = cache.borrow_mut();
        if cache.len() >= KEPT {
            cache.clear();
        }
        cache.insert(expression.into(), result.clone());
        result
    })
}

/// Compile one expression: None when it compiles and crdlint evaluates it.
pub fn verdict(expression: &str) -> Option<Verdict> {
    if let Some(errors) = bind_errors(expression) {
        return Some(Verdict::Error(errors));
    }
    match parsed(expression) {
        Ok(program) => program_withheld(&program).map(Verdict::Withheld),
        Err(detail) => {
            let detail = detail.to_string();
            Some(if is_unsupported(&detail) {
                Verdict::Unsupported(detail)
            } else {
                Verdict::Error(detail)
            })
        }
    }
}

/// The CEL rules of a version, compiled on first use ([`compiled`]).
pub fn rules_of(version: &CrdVersion) -> Option<&CompiledCel> {
    let source = version.cel_source.as_ref()?;
    Some(version.cel.get_or_init(|| {
        // Compiled once: the JSON is taken, not copied (for a large CRD, megabytes). Only a
        // compile that panicked took it and left `cel` unset: this one panics as that did.
        let taken = source
            .lock()
            .map_or_else(|poisoned| poisoned.into_inner().take(), |mut s| s.take());
        compiled(taken.expect("the CEL rules of this version failed to compile before"))
    }))
}

/// The CEL rules of a schema compiled for evaluation: escaped and bound for kube-cel
/// (`escaping`), rules crdlint does not evaluate withheld, and pruned for evaluation.
pub fn compiled(source: CelSource) -> CompiledCel {
    let (adapted, dates) = super::escaping::adapt_schema(source);
    let mut schema = kube_cel::compile_schema(&adapted);
    withhold(&mut schema);
    super::eval::prune_for_evaluation(&mut schema);
    CompiledCel { schema, dates }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules of a version are compiled once, from its schema's JSON, which is then let go.
    #[test]
    fn a_version_s_rules_are_compiled_once_and_its_json_let_go() {
        let text = include_str!("../../fixtures/crds/cel-runtime/crd.yaml");
        let root = crate::yaml::parse_stream(text).remove(0).root.unwrap();
        let crd = crate::model::crd::read_crd(&root, "crd.yaml", 0).unwrap();
        let version = &crd.versions[0];
        let slot = version.cel_source.as_ref().unwrap();
        let json = || slot.lock().unwrap().is_some();
        assert!(version.has_cel_rules() && json());
        let first = rules_of(version).unwrap();
        assert!(!json(), "the JSON is let go once compiled");
        assert!(version.has_cel_rules());
        assert!(std::ptr::eq(first, rules_of(version).unwrap()));
        assert!(super::super::eval::has_rules(&first.schema));
    }

    #[test]
    fn a_parse_is_kept_for_the_next_asker_with_the_same_result() {
        let a = parsed("self.a + 1 > 2").unwrap();
        assert!(Rc::ptr_eq(&a, &parsed("self.a + 1 > 2").unwrap()));
        assert!(!Rc::ptr_eq(&a, &parsed("self.a + 1 > 3").unwrap()));
        let fresh = Program::compile("self ==").unwrap_err().to_string();
        assert_eq!(&*parsed("self ==").unwrap_err(), fresh.as_str());
        assert_eq!(&*parsed("self ==").unwrap_err(), fresh.as_str());
    }

    #[test]
    fn unsupported_syntax_is_told_from_errors() {
        // Syntax the parser reports as unsupported is named, not refused.
        assert!(is_unsupported(
            "ERROR: <input>:1:2: unsupported syntax '.?'"
        ));
        assert!(!is_unsupported("ERROR: <input>:1:8: Syntax error"));
        assert!(
            matches!(verdict("self =="), Some(Verdict::Error(d)) if d.starts_with("ERROR: <input>:1:8: Syntax error: mismatched input '<EOF>'"))
        );
        // A rule whose text holds `": ` is not cut there.
        assert!(
            matches!(verdict("self.x == '{\"a\": 1}' &&"), Some(Verdict::Error(d)) if d.starts_with("ERROR: <input>:1:"))
        );
    }

    fn expression_withheld(expression: &str) -> Option<&'static str> {
        match verdict(expression)? {
            Verdict::Withheld(why) => Some(why),
            _ => None,
        }
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
    }
}
