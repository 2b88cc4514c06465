//! The result type of a CEL expression, where it is certain (for `cel/return-type`).
//!
//! The server type-checks each expression against the schema and refuses the CRD when the
//! result type is not exactly `bool` (`string`): "cel expression must evaluate to a bool",
//! "messageExpression must evaluate to a string" (apiextensions-apiserver
//! `pkg/apiserver/schema/cel/compilation.go`). cel-rust has no type checker, so this is a small
//! inference of our own that only answers when it is certain: literals, operators, `has()`,
//! comprehension macros, well-known functions and fields typed by the schema. Anything else
//! (`dyn`, int-or-string, preserve-unknown-fields, unknown functions) is left alone, although
//! the server refuses a rule of type `dyn` too.

use crate::model::schema::Schema;
use cel::IdedExpr;
use cel::common::ast::{Expr, LiteralValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Null,
    List,
    Map,
    Timestamp,
    Duration,
    Unknown,
}

/// The CEL type the server gives a value of schema `s` (apiserver `pkg/cel/common/schemas.go`).
fn schema_type(s: &Schema) -> Ty {
    if s.int_or_string || s.preserve_unknown_fields || s.embedded_resource {
        return Ty::Unknown;
    }
    match (s.type_.as_str(), s.format.as_str()) {
        ("boolean", _) => Ty::Bool,
        ("integer", _) => Ty::Int,
        ("number", _) => Ty::Double,
        ("string", "byte") => Ty::Bytes,
        ("string", "date" | "date-time") => Ty::Timestamp,
        ("string", "duration") => Ty::Duration,
        ("string", _) => Ty::String,
        ("array", _) => Ty::List,
        ("object", _) => Ty::Map,
        _ => Ty::Unknown,
    }
}

/// A type, with the schema when the value comes straight from the object.
type Typed<'a> = (Ty, Option<&'a Schema>);

struct Infer<'a> {
    self_schema: &'a Schema,
}

impl<'a> Infer<'a> {
    fn of(&self, e: &IdedExpr) -> Typed<'a> {
        match &e.expr {
            Expr::Literal(l) => (
                match l {
                    LiteralValue::Boolean(_) => Ty::Bool,
                    LiteralValue::Bytes(_) => Ty::Bytes,
                    LiteralValue::Double(_) => Ty::Double,
                    LiteralValue::Int(_) => Ty::Int,
                    LiteralValue::Null => Ty::Null,
                    LiteralValue::String(_) => Ty::String,
                    LiteralValue::UInt(_) => Ty::Uint,
                },
                None,
            ),
            // `oldSelf` may be optional (optionalOldSelf); only `self` is typed.
            Expr::Ident(name) if name == "self" => {
                (schema_type(self.self_schema), Some(self.self_schema))
            }
            Expr::Ident(_) => (Ty::Unknown, None),
            Expr::Select(sel) if sel.test => (Ty::Bool, None),
            Expr::Select(sel) => match self.of(&sel.operand) {
                (Ty::Map, Some(s)) => match s.property_schema(&sel.field) {
                    Some(p) => (schema_type(p), Some(p)),
                    None => (Ty::Unknown, None),
                },
                _ => (Ty::Unknown, None),
            },
            Expr::List(_) => (Ty::List, None),
            Expr::Map(_) => (Ty::Map, None),
            Expr::Call(call) => {
                let args: Vec<Ty> = call.args.iter().map(|a| self.of(a).0).collect();
                let same = |t: Ty| args.iter().all(|a| *a == t);
                let ty = match call.func_name.as_str() {
                    "_&&_" | "_||_" | "!_" | "_==_" | "_!=_" | "_<_" | "_<=_" | "_>_" | "_>=_"
                    | "@in" | "has" | "all" | "exists" | "exists_one" | "existsOne" | "matches"
                    | "startsWith" | "endsWith" => Ty::Bool,
                    "contains"
                        if call
                            .target
                            .as_ref()
                            .is_some_and(|t| self.of(t).0 == Ty::String) =>
                    {
                        Ty::Bool
                    }
                    "size" => Ty::Int,
                    "map" | "filter" if call.target.is_some() => Ty::List,
                    "string" if args.len() == 1 => Ty::String,
                    "int" if args.len() == 1 => Ty::Int,
                    "uint" if args.len() == 1 => Ty::Uint,
                    "double" if args.len() == 1 => Ty::Double,
                    "_?_:_" if args.len() == 3 && args[1] == args[2] => args[1],
                    "_+_" if args.len() == 2 && args[0] == args[1] => match args[0] {
                        t @ (Ty::String
                        | Ty::Int
                        | Ty::Uint
                        | Ty::Double
                        | Ty::List
                        | Ty::Bytes) => t,
                        _ => Ty::Unknown,
                    },
                    "_-_" | "_*_" | "_/_" | "_%_" if args.len() == 2 && args[0] == args[1] => {
                        match args[0] {
                            t @ (Ty::Int | Ty::Uint | Ty::Double) => t,
                            _ => Ty::Unknown,
                        }
                    }
                    "-_" if same(Ty::Int) => Ty::Int,
                    "-_" if same(Ty::Double) => Ty::Double,
                    _ => Ty::Unknown,
                };
                (ty, None)
            }
            // Macros expanded by the parser: `all`/`exists` start from a bool, `map`/`filter`
            // from an empty list, and return the accumulator; `exists_one` compares it.
            Expr::Comprehension(c) => match &c.result.expr {
                Expr::Ident(name) if *name == c.accu_var => (self.of(&c.accu_init).0, None),
                Expr::Call(call) if call.func_name == "_==_" => (Ty::Bool, None),
                _ => (Ty::Unknown, None),
            },
            Expr::Struct(_) | Expr::Unspecified => (Ty::Unknown, None),
        }
    }
}

/// The type `expr` evaluates to with `self` of schema `self_schema`, when it is certain.
pub fn result_type(expr: &str, self_schema: &Schema) -> Option<Ty> {
    let program = super::compile::parsed(expr).ok()?;
    let ast = program.expression();
    let ty = Infer { self_schema }.of(ast).0;
    (ty != Ty::Unknown).then_some(ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        let yaml = "type: object\nproperties:\n  num: {type: integer}\n  s: {type: string}\n  t: {type: string, format: date-time}\n  b: {type: boolean}\n  l: {type: array, items: {type: string}}\n  ios: {x-kubernetes-int-or-string: true}\n  o: {type: object, properties: {x: {type: integer}}}\n";
        let doc = crate::yaml::parse_stream(yaml).remove(0);
        Schema::compile(&doc.root.unwrap(), "s", &mut Vec::new())
    }

    #[test]
    fn certain_types_only() {
        let s = schema();
        let t = |e: &str| result_type(e, &s);
        assert_eq!(t("self.num > 0"), Some(Ty::Bool));
        assert_eq!(t("self.num"), Some(Ty::Int));
        assert_eq!(t("self.o.x + 1"), Some(Ty::Int));
        assert_eq!(t("self.s + 'x'"), Some(Ty::String));
        assert_eq!(t("self.b"), Some(Ty::Bool));
        assert_eq!(t("self.t"), Some(Ty::Timestamp));
        assert_eq!(t("has(self.s) ? self.s : 'none'"), Some(Ty::String));
        assert_eq!(t("self.l.all(x, x != '')"), Some(Ty::Bool));
        assert_eq!(t("self.l.map(x, x + 'a')"), Some(Ty::List));
        assert_eq!(t("size(self.l)"), Some(Ty::Int));
        // Not certain: left alone.
        assert_eq!(t("self.ios"), None);
        assert_eq!(t("self.missing"), None);
        assert_eq!(t("self.l[0]"), None);
        assert_eq!(t("oldSelf.num"), None);
        assert_eq!(t("f(self.num)"), None);
        assert_eq!(t("self.num > 0 ? 1 : 'a'"), None);
    }
}
