//! crdlint: the macros cel-go offers through extension libraries that the Kubernetes API server
//! enables, expanded the way cel-go expands them (see PATCHES.md):
//!
//! - `opt.optMap(name, expr)` and `opt.optFlatMap(name, expr)` (cel-go `cel/library.go`, the
//!   optional types library): `opt.hasValue() ? optional.of(<bind>(name, opt.value(), expr))
//!   : optional.none()`, and the same without `optional.of`; as in cel-go, `opt` is the same
//!   expression twice, so it is evaluated once for `hasValue()` and again for `value()`;
//! - the two-variable comprehensions (cel-go `ext/comprehensions.go`): `all`, `exists`,
//!   `existsOne`/`exists_one` with three arguments, and `transformList`, `transformMap` and
//!   `transformMapEntry` with three or four. Over a list the first variable is the index and
//!   the second the element; over a map the key and the value.
//!
//! `transformMap` and `transformMapEntry` insert into the accumulated map through
//! [`MAP_INSERT`], a function no user can name (`@` is not an identifier character).

use crate::common::ast::{
    operators, CallExpr, ComprehensionExpr, Expr, IdedExpr, ListExpr, LiteralValue, MapExpr,
};
use crate::parser::macros::extract_ident;
use crate::parser::{MacroExprHelper, ParseError};

/// cel-go's `cel.@mapInsert`: `(map, key, value)` inserts one entry, `(map, map)` all the
/// entries of the second map; a key already present is an error.
pub const MAP_INSERT: &str = "cel.@mapInsert";

const ACCUMULATOR: &str = "@result";
/// The accumulator name of older cel-go versions, still refused as an iteration variable.
const LEGACY_ACCUMULATOR: &str = "__result__";
/// cel-go's iteration variable for `cel.bind`, which iterates over nothing.
const UNUSED_ITER_VAR: &str = "#unused";

fn error(helper: &MacroExprHelper, id: u64, msg: impl Into<String>) -> ParseError {
    ParseError {
        source: None,
        pos: helper.pos_for(id).unwrap_or_default(),
        msg: msg.into(),
        expr_id: 0,
        source_info: None,
    }
}

fn ident(helper: &mut MacroExprHelper, name: &str) -> IdedExpr {
    helper.next_expr(Expr::Ident(name.to_string()))
}

fn literal(helper: &mut MacroExprHelper, value: LiteralValue) -> IdedExpr {
    helper.next_expr(Expr::Literal(value))
}

fn call(helper: &mut MacroExprHelper, func_name: &str, args: Vec<IdedExpr>) -> IdedExpr {
    helper.next_expr(Expr::Call(CallExpr {
        func_name: func_name.to_string(),
        target: None,
        args,
    }))
}

/// The name of a variable a macro binds, or the parse error `msg` when it is not a plain
/// identifier.
fn simple_name(helper: &MacroExprHelper, var: IdedExpr, msg: &str) -> Result<String, ParseError> {
    match var.expr {
        Expr::Ident(name) => Ok(name),
        _ => Err(error(helper, var.id, msg)),
    }
}

/// `cel.bind(name, init, body)`: the comprehension over `[]` whose accumulator `name` starts as
/// `init` and whose result is `body` (cel-go `ext/bindings.go`).
fn bind(helper: &mut MacroExprHelper, name: String, init: IdedExpr, body: IdedExpr) -> IdedExpr {
    let iter_range = helper.next_expr(Expr::List(ListExpr::new(Vec::new())));
    let loop_cond = literal(helper, LiteralValue::Boolean(false.into()));
    let loop_step = ident(helper, &name);
    helper.next_expr(Expr::Comprehension(Box::new(ComprehensionExpr {
        iter_range,
        iter_var: UNUSED_ITER_VAR.to_string(),
        iter_var2: None,
        accu_var: name,
        accu_init: init,
        loop_cond,
        loop_step,
        result: body,
    })))
}

/// A member call `target.func_name()`.
fn member_call(helper: &mut MacroExprHelper, func_name: &str, target: IdedExpr) -> IdedExpr {
    helper.next_expr(Expr::Call(CallExpr {
        func_name: func_name.to_string(),
        target: Some(Box::new(target)),
        args: Vec::new(),
    }))
}

/// `opt.optMap(name, expr)` (`wrap`: the bound result is put in `optional.of`) and
/// `opt.optFlatMap(name, expr)` (`expr` is already an optional), as cel-go's optional library
/// expands them: `opt.hasValue() ? [optional.of(]cel.bind(name, opt.value(), expr)[)] :
/// optional.none()`.
fn opt_map(
    helper: &mut MacroExprHelper,
    target: Option<IdedExpr>,
    mut args: Vec<IdedExpr>,
    macro_name: &str,
    wrap: bool,
) -> Result<IdedExpr, ParseError> {
    let target = target.expect("a receiver macro has a target");
    let expr = args.pop().expect("two arguments");
    let var = args.pop().expect("two arguments");
    let name = simple_name(
        helper,
        var,
        &format!("{macro_name}() variable name must be a simple identifier"),
    )?;
    // cel-go puts the same target expression in both calls.
    let has_value = member_call(helper, "hasValue", target.clone());
    let value = member_call(helper, "value", target);
    let bound = bind(helper, name, value, expr);
    let present = if wrap {
        call(helper, "optional.of", vec![bound])
    } else {
        bound
    };
    let absent = call(helper, "optional.none", Vec::new());
    Ok(call(
        helper,
        operators::CONDITIONAL,
        vec![has_value, present, absent],
    ))
}

pub fn opt_map_expander(
    helper: &mut MacroExprHelper,
    target: Option<IdedExpr>,
    args: Vec<IdedExpr>,
) -> Result<IdedExpr, ParseError> {
    opt_map(helper, target, args, "optMap", true)
}

pub fn opt_flat_map_expander(
    helper: &mut MacroExprHelper,
    target: Option<IdedExpr>,
    args: Vec<IdedExpr>,
) -> Result<IdedExpr, ParseError> {
    opt_map(helper, target, args, "optFlatMap", false)
}

/// The two iteration variables, checked as cel-go checks them.
fn iter_vars(
    helper: &mut MacroExprHelper,
    first: IdedExpr,
    second: IdedExpr,
) -> Result<(String, String), ParseError> {
    let (first_id, second_id) = (first.id, second.id);
    let first = extract_ident(first, helper)?;
    let second = extract_ident(second, helper)?;
    if first == second {
        return Err(error(
            helper,
            second_id,
            format!("duplicate variable name: {first}"),
        ));
    }
    for (name, id) in [(&first, first_id), (&second, second_id)] {
        if name == ACCUMULATOR || name == LEGACY_ACCUMULATOR {
            return Err(error(
                helper,
                id,
                "iteration variable overwrites accumulator variable",
            ));
        }
    }
    Ok((first, second))
}

struct Parts {
    init: IdedExpr,
    cond: IdedExpr,
    step: IdedExpr,
    result: IdedExpr,
}

fn comprehension(
    helper: &mut MacroExprHelper,
    target: Option<IdedExpr>,
    (first, second): (String, String),
    parts: Parts,
) -> IdedExpr {
    helper.next_expr(Expr::Comprehension(Box::new(ComprehensionExpr {
        iter_range: target.expect("a receiver macro has a target"),
        iter_var: first,
        iter_var2: Some(second),
        accu_var: ACCUMULATOR.to_string(),
        accu_init: parts.init,
        loop_cond: parts.cond,
        loop_step: parts.step,
        result: parts.result,
    })))
}

/// `[first, second, rest...]` of a macro's arguments.
fn split(
    helper: &mut MacroExprHelper,
    mut args: Vec<IdedExpr>,
) -> Result<((String, String), Vec<IdedExpr>), ParseError> {
    let rest = args.split_off(2);
    let second = args.pop().expect("two variables");
    let first = args.pop().expect("two variables");
    Ok((iter_vars(helper, first, second)?, rest))
}

pub fn all_expander(
    helper: &mut MacroExprHelper,
    target: Option<IdedExpr>,
    args: Vec<IdedExpr>,
) -> Result<IdedExpr, ParseError> {
    let (vars, mut rest) = split(helper, args)?;
    let predicate = rest.pop().expect("a predicate");
    let init = literal(helper, LiteralValue::Boolean(true.into()));
    let accu = ident(helper, ACCUMULATOR);
    let cond = call(helper, operators::NOT_STRICTLY_FALSE, vec![accu]);
    let accu = ident(helper, ACCUMULATOR);
    let step = call(helper, operators::LOGICAL_AND, vec![accu, predicate]);
    let result = ident(helper, ACCUMULATOR);
    let parts = Parts {
        init,
        cond,
        step,
        result,
    };
    Ok(comprehension(helper, target, vars, parts))
}

pub fn exists_expander(
    helper: &mut MacroExprHelper,
    target: Option<IdedExpr>,
    args: Vec<IdedExpr>,
) -> Result<IdedExpr, ParseError> {
    let (vars, mut rest) = split(helper, args)?;
    let predicate = rest.pop().expect("a predicate");
    let init = literal(helper, LiteralValue::Boolean(false.into()));
    let accu = ident(helper, ACCUMULATOR);
    let not_accu = call(helper, operators::LOGICAL_NOT, vec![accu]);
    let cond = call(helper, operators::NOT_STRICTLY_FALSE, vec![not_accu]);
    let accu = ident(helper, ACCUMULATOR);
    let step = call(helper, operators::LOGICAL_OR, vec![accu, predicate]);
    let result = ident(helper, ACCUMULATOR);
    let parts = Parts {
        init,
        cond,
        step,
        result,
    };
    Ok(comprehension(helper, target, vars, parts))
}

pub fn exists_one_expander(
    helper: &mut MacroExprHelper,
    target: Option<IdedExpr>,
    args: Vec<IdedExpr>,
) -> Result<IdedExpr, ParseError> {
    let (vars, mut rest) = split(helper, args)?;
    let predicate = rest.pop().expect("a predicate");
    let init = literal(helper, LiteralValue::Int(0.into()));
    let cond = literal(helper, LiteralValue::Boolean(true.into()));
    let accu = ident(helper, ACCUMULATOR);
    let one = literal(helper, LiteralValue::Int(1.into()));
    let plus_one = call(helper, operators::ADD, vec![accu, one]);
    let accu = ident(helper, ACCUMULATOR);
    let step = call(
        helper,
        operators::CONDITIONAL,
        vec![predicate, plus_one, accu],
    );
    let accu = ident(helper, ACCUMULATOR);
    let one = literal(helper, LiteralValue::Int(1.into()));
    let result = call(helper, operators::EQUALS, vec![accu, one]);
    let parts = Parts {
        init,
        cond,
        step,
        result,
    };
    Ok(comprehension(helper, target, vars, parts))
}

/// `filter ? step : @result` when there is a filter.
fn filtered(helper: &mut MacroExprHelper, filter: Option<IdedExpr>, step: IdedExpr) -> IdedExpr {
    match filter {
        Some(filter) => {
            let accu = ident(helper, ACCUMULATOR);
            call(helper, operators::CONDITIONAL, vec![filter, step, accu])
        }
        None => step,
    }
}

/// The transform and the optional filter of `transform*(a, b, [filter,] transform)`.
fn transform_args(mut rest: Vec<IdedExpr>) -> (Option<IdedExpr>, IdedExpr) {
    let transform = rest.pop().expect("a transform");
    (rest.pop(), transform)
}

pub fn transform_list_expander(
    helper: &mut MacroExprHelper,
    target: Option<IdedExpr>,
    args: Vec<IdedExpr>,
) -> Result<IdedExpr, ParseError> {
    let (vars, rest) = split(helper, args)?;
    let (filter, transform) = transform_args(rest);
    let init = helper.next_expr(Expr::List(ListExpr::new(Vec::new())));
    let cond = literal(helper, LiteralValue::Boolean(true.into()));
    let accu = ident(helper, ACCUMULATOR);
    let item = helper.next_expr(Expr::List(ListExpr::new(vec![transform])));
    let step = call(helper, operators::ADD, vec![accu, item]);
    let step = filtered(helper, filter, step);
    let result = ident(helper, ACCUMULATOR);
    let parts = Parts {
        init,
        cond,
        step,
        result,
    };
    Ok(comprehension(helper, target, vars, parts))
}

pub fn transform_map_expander(
    helper: &mut MacroExprHelper,
    target: Option<IdedExpr>,
    args: Vec<IdedExpr>,
) -> Result<IdedExpr, ParseError> {
    let (vars, rest) = split(helper, args)?;
    let (filter, transform) = transform_args(rest);
    let init = helper.next_expr(Expr::Map(MapExpr::default()));
    let cond = literal(helper, LiteralValue::Boolean(true.into()));
    let accu = ident(helper, ACCUMULATOR);
    let key = ident(helper, &vars.0);
    let step = call(helper, MAP_INSERT, vec![accu, key, transform]);
    let step = filtered(helper, filter, step);
    let result = ident(helper, ACCUMULATOR);
    let parts = Parts {
        init,
        cond,
        step,
        result,
    };
    Ok(comprehension(helper, target, vars, parts))
}

pub fn transform_map_entry_expander(
    helper: &mut MacroExprHelper,
    target: Option<IdedExpr>,
    args: Vec<IdedExpr>,
) -> Result<IdedExpr, ParseError> {
    let (vars, rest) = split(helper, args)?;
    let (filter, transform) = transform_args(rest);
    let init = helper.next_expr(Expr::Map(MapExpr::default()));
    let cond = literal(helper, LiteralValue::Boolean(true.into()));
    let accu = ident(helper, ACCUMULATOR);
    let step = call(helper, MAP_INSERT, vec![accu, transform]);
    let step = filtered(helper, filter, step);
    let result = ident(helper, ACCUMULATOR);
    let parts = Parts {
        init,
        cond,
        step,
        result,
    };
    Ok(comprehension(helper, target, vars, parts))
}
