//! crdlint: tests of the syntax added to cel 0.13 (PATCHES.md, "Syntax"). Expected values are
//! cel-go's (its documentation examples where it has some).

use crate::context::Context;
use crate::objects::Value;
use crate::{ExecutionError, Program};

fn eval(source: &str) -> Result<Value, ExecutionError> {
    let program = Program::compile(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let mut ctx = Context::default();
    ctx.add_variable_from_value("n", 3i64);
    program.execute(&ctx)
}

#[track_caller]
fn assert_true(source: &str) {
    assert_eq!(eval(source), Ok(Value::Bool(true)), "{source}");
}

#[track_caller]
fn assert_error(source: &str) -> ExecutionError {
    match eval(source) {
        Err(e) => e,
        Ok(v) => panic!("{source}: expected an error, got {v:?}"),
    }
}

#[test]
fn optional_select_on_maps() {
    assert_true("{'a': 1}.?a == optional.of(1)");
    assert_true("{'a': 1}.?b == optional.none()");
    assert_true("!{'a': 1}.?b.hasValue()");
    assert_true("{'a': 1}.?a.value() == 1");
    assert_true("{'a': 1}.?b.orValue(5) == 5");
    assert_true("{'a': null}.?a.hasValue()");
    // A chain that became optional stays optional.
    assert_true("{'a': {'b': 2}}.?a.?b.orValue(0) == 2");
    assert_true("{'a': {'b': 2}}.?a.b == optional.of(2)");
    assert_true("!{'a': {'b': 2}}.?a.c.hasValue()");
    assert_true("!{'a': {'b': 2}}.?x.b.hasValue()");
    assert_true("!{'a': {'b': 2}}.?x.?b.hasValue()");
    assert_true("has({'a': {'b': 2}}.?a.b) && !has({'a': {'b': 2}}.?a.c)");
    assert_true("!has({'a': {'b': 2}}.?x.b)");
    // On an optional operand.
    assert_true("optional.of({'a': 1}).?a.value() == 1");
    assert_true("!optional.of({'a': 1}).?b.hasValue()");
    assert_true("!optional.none().?a.hasValue()");
    // A value without fields has none of them.
    assert_true("!{'a': 1}.?a.?b.hasValue()");
}

#[test]
fn optional_index() {
    assert_true("[1, 2][?1] == optional.of(2)");
    assert_true("!([1, 2][?5].hasValue())");
    assert_true("!([1, 2][?-1].hasValue())");
    assert_true("{'a': 1}[?'a'].value() == 1");
    assert_true("{'a': 1}[?'b'].orValue(3) == 3");
    assert_true("{1: 'x'}[?1] == optional.of('x')");
    assert_true("optional.of([1, 2])[?0].value() == 1");
    assert_true("optional.of([1, 2])[1] == optional.of(2)");
    assert_true("!optional.of([1, 2])[7].hasValue()");
    assert_true("!optional.none()[0].hasValue()");
    assert_true("{'a': [1, 2]}.?a[1] == optional.of(2)");
    assert_true("!{'a': [1, 2]}.?a[2].hasValue()");
    // An index of the wrong type is an error, as in cel-go.
    assert_error("[1][?'a']");
    // Plain indexing is unchanged.
    assert_error("[1][5]");
    assert_error("{'a': 1}['b']");
    assert_true("[1, 2][1] == 2");
}

#[test]
fn optional_elements_and_entries() {
    assert_true("[?{'a': 1}.?a, ?{'a': 1}.?b, 3] == [1, 3]");
    assert_true("{?'x': {'a': 1}.?b, 'y': 2} == {'y': 2}");
    assert_true("{?'x': {'a': 1}.?a} == {'x': 1}");
}

#[test]
fn optionals_keep_working() {
    assert_true("optional.none() == optional.none()");
    assert_true("optional.of(1) == optional.of(1)");
    assert_true("optional.of(1) != optional.of(2)");
    assert_true("optional.of(1) != optional.none()");
    assert_true("optional.of(1) != 1");
    assert_true("optional.of(1).or(optional.of(2)).value() == 1");
    assert_true("optional.none().or(optional.of(2)).value() == 2");
    assert_true("optional.ofNonZeroValue(0).orValue(7) == 7");
    assert_eq!(
        assert_error("optional.none().value()").to_string(),
        "Error executing function 'value': optional.none() dereference"
    );
    // An optional bound to a variable or kept in a list stays an optional.
    assert_true("[optional.of(1)].all(o, o.hasValue())");
    assert_true("[optional.of(1), optional.none()].exists(o, !o.hasValue())");
    assert_true("[optional.of(1)][0].value() == 1");
}
