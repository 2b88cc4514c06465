//! crdlint: tests of the syntax added to cel 0.13 (PATCHES.md, "Syntax"): optional access,
//! two-variable comprehensions, `optMap`/`optFlatMap`, and errors inside
//! comprehensions. Expected values are cel-go's (its documentation examples where it has
//! some).

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

#[track_caller]
fn parse_error(source: &str) -> String {
    match Program::compile(source) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("{source}: expected a parse error"),
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
    assert_error("{'a': 1}.?a[0]");
    assert_true("!{'a': 1}[?'a'][?0].hasValue()");
    // An index of the wrong type is an error, as in cel-go.
    assert_error("[1][?'a']");
    // Plain indexing is unchanged.
    assert_error("[1][5]");
    assert_error("{'a': 1}['b']");
    assert_true("[1, 2][1] == 2");
}

/// cel-spec's conformance file `tests/simple/testdata/optionals.textproto` (the cases that do
/// not need `dyn`, messages or mixed numeric map keys; `optMap`/`optFlatMap` are tested in
/// `opt_map_and_opt_flat_map`).
#[test]
fn cel_spec_optionals() {
    assert_true("{'null_key': null}.?null_key.hasValue()");
    // A plain step after `.?` on a value without members is an error; on a map without the
    // key it is absent.
    assert_eq!(
        assert_error("{'null_key': null}.?null_key.invalid.hasValue()"),
        ExecutionError::no_such_key("invalid")
    );
    assert_true("!{true: 0}[?false].absent.hasValue()");
    assert_eq!(
        assert_error("{true: 0}[?true].absent.hasValue()"),
        ExecutionError::no_such_key("absent")
    );
    assert_true("!{}.?null_key.invalid.hasValue()");
    assert_true("!{}.?x.hasValue()");
    assert_true("!has({}.?x.y)");
    assert_true("has({'x': {'y': 'z'}}.?x.y)");
    assert_true("optional.ofNonZeroValue('').or(optional.of({'c': {'dashed-index': 'goodbye'}}.c['dashed-index'])).orValue('default value') == 'goodbye'");
    assert_true("{'c': {'dashed-index': 'goodbye'}}.c[?'dashed-index'].orValue('default value') == 'goodbye'");
    assert_true("{'c': {}}.c[?'missing-index'].orValue('default value') == 'default value'");
    assert_true(
        "optional.of({'c': {'index': 'goodbye'}}).c.index.orValue('default value') == 'goodbye'",
    );
    assert_true("optional.of({'c': {}}).c.missing.or(optional.none()[0]).orValue('default value') == 'default value'");
    assert_true("optional.of({'c': {}}).c.missing.or(optional.of(['list-value'])[0]).orValue('default value') == 'list-value'");
    assert_true(
        "optional.of({'c': {'index': 'goodbye'}}).c['index'].orValue('default value') == 'goodbye'",
    );
    assert_true("optional.of({'c': {}}).c['missing'].orValue('default value') == 'default value'");
    assert_true("has(optional.of({'c': {'entry': 'hello world'}}).c) && !has(optional.of({'c': {'entry': 'hello world'}}).c.missing)");
    assert_eq!(
        assert_error("optional.ofNonZeroValue({'c': {'dashed-index': 'goodbye'}}.a.z).orValue({'c': {'dashed-index': 'goodbye'}}.c['dashed-index'])"),
        ExecutionError::no_such_key("a")
    );
    assert_true("{'c': {'dashed-index': 'goodbye'}}.?c.missing.or({'c': {'dashed-index': 'goodbye'}}.?c['dashed-index']).orValue('').size() == 7");
    assert_true("{?'nested_map': optional.ofNonZeroValue({?'map': {'c': {'dashed-index': 'goodbye'}}.?c})} == {'nested_map': {'map': {'dashed-index': 'goodbye'}}}");
    assert_true("{?'nested_map': optional.ofNonZeroValue({?'map': {}.?c}), 'singleton': true} == {'singleton': true}");
    assert_true("[?{}.?c, ?optional.of(42), ?optional.none()] == [42]");
    assert_true("!optional.ofNonZeroValue({?'nested_map': optional.ofNonZeroValue({?'map': optional.of({}).?c})}).hasValue()");
    assert_true("!optional.of({}).?c.hasValue()");
    assert_true("!optional.none().?repeated_string.hasValue()");
    assert_true(
        "![][?0].hasValue() && !optional.of([])[?0].hasValue() && !optional.none()[?0].hasValue()",
    );
    assert_true("['foo'][?0].value() == 'foo' && optional.of(['foo'])[?0].value() == 'foo'");
    assert_true("{true: 1, 2: 2, 5u: 3}[?true].value() == 1");
    assert_true("optional.none() == optional.none() && optional.none() != optional.of(1)");
    assert_true("optional.of(1) != optional.none() && !(optional.of(1) != optional.of(1))");
    assert_true("optional.of(null).hasValue() && !optional.ofNonZeroValue(null).hasValue()");
    assert_true("optional.none().or(optional.none()).orValue(42) == 42");
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

#[test]
fn bind_is_not_a_macro() {
    // The Kubernetes environment has no ext.Bindings: `cel.bind(...)` is a call to an
    // undeclared function, as everywhere else.
    assert_eq!(
        assert_error("cel.bind(x, 2, x * x) == 4"),
        ExecutionError::undeclared_reference("cel")
    );
    assert!(Program::compile("cel.bind(x.y, 1, 2)").is_ok());
}

#[test]
fn opt_map_and_opt_flat_map() {
    // cel-go's optional library: `optMap` wraps the result in an optional, `optFlatMap` returns
    // the optional its expression builds; both are `optional.none()` on an absent value.
    assert_true("optional.of(2).optMap(x, x * 2) == optional.of(4)");
    assert_true("optional.none().optMap(x, x * 2) == optional.none()");
    assert_true("optional.of(2).optFlatMap(x, optional.of(x + 1)) == optional.of(3)");
    assert_true("optional.of(2).optFlatMap(x, optional.none()) == optional.none()");
    assert_true("optional.none().optFlatMap(x, optional.of(x)) == optional.none()");
    assert_true("{'a': 1}.?a.optMap(v, v + 1).orValue(0) == 2");
    assert_true("{'a': 1}.?b.optMap(v, v + 1).orValue(0) == 0");
    assert_true("{'a': {'b': 5}}.?a.optFlatMap(m, m.?b).orValue(0) == 5");
    assert_true("{'a': {'b': 5}}.?a.optFlatMap(m, m.?c).orValue(0) == 0");
    // The result of optMap is an optional even when the expression gives one.
    assert_true("optional.of(1).optMap(x, optional.of(x)).value() == optional.of(1)");
    // The variable is bound only inside the expression, and shadows an outer one.
    assert_true("optional.of(5).optMap(n, n).value() == 5 && n == 3");
    assert_true(
        "optional.of(1).optMap(x, optional.of(2).optMap(x, x * 10).value() + x) == optional.of(21)",
    );
    // The expression is not evaluated on an absent value.
    assert_true("optional.none().optMap(x, 1 / 0) == optional.none()");
    assert_eq!(
        assert_error("optional.of(1).optMap(x, 1 / 0)"),
        ExecutionError::DivisionByZero(1.into())
    );
    // `hasValue()` is called on the target, which must be an optional.
    assert_error("[1].optMap(x, x)");
    // Only with a simple name and two arguments.
    assert!(
        parse_error("optional.of(1).optMap(x.y, 1)")
            .contains("optMap() variable name must be a simple identifier"),
        "{}",
        parse_error("optional.of(1).optMap(x.y, 1)")
    );
    assert!(
        parse_error("optional.of(1).optFlatMap(1, optional.none())")
            .contains("optFlatMap() variable name must be a simple identifier"),
        "{}",
        parse_error("optional.of(1).optFlatMap(1, optional.none())")
    );
    assert_eq!(
        assert_error("optional.of(1).optMap(x)"),
        ExecutionError::undeclared_reference("optMap")
    );
}

#[test]
fn two_variable_quantifiers() {
    assert_true("[1, 2, 3].all(i, v, i < v)");
    assert_true("!{'hello': 'world', 'taco': 'taco'}.all(k, v, k != v)");
    assert_true(
        "{'h': ['hello', 'hi'], 'j': ['joke', 'jog']}.all(k, vals, vals.all(v, v.startsWith(k)))",
    );
    assert_true("{'greeting': 'hello', 'farewell': 'goodbye'}.exists(k, v, k.startsWith('good') || v.endsWith('bye'))");
    assert_true("![1, 2, 4, 8, 16].exists(i, v, v == 1024 && i == 10)");
    assert_true("![1, 2, 1, 3, 1, 4].existsOne(i, v, i == 1 || v == 1)");
    assert_true("[1, 1, 2, 2, 3, 3].existsOne(i, v, i == 2 && v == 2)");
    assert_true("{'i': 0, 'j': 1, 'k': 2}.existsOne(i, v, i == 'l' || v == 1)");
    assert_true("[1, 1, 2, 2, 3, 3].exists_one(i, v, i == 2 && v == 2)");
    assert_true("[].all(i, v, false) && ![].exists(i, v, true)");
    // The iteration variables are gone after the comprehension.
    assert_true("[5].all(n, v, n == 0) && n == 3");
}

#[test]
fn transforms() {
    assert_true("[1, 2, 3].transformList(i, v, (i * v) + v) == [1, 4, 9]");
    assert_true("[1, 2, 3].transformList(i, v, i % 2 == 0, (i * v) + v) == [1, 9]");
    assert_true("{'greeting': 'hello'}.transformList(k, v, k + '=' + v) == ['greeting=hello']");
    assert_true("{'a': 1, 'b': 2}.transformList(k, v, v > 1, k) == ['b']");
    assert_true("[1, 2, 3].transformMap(i, v, (i * v) + v) == {0: 1, 1: 4, 2: 9}");
    assert_true("[1, 2, 3].transformMap(i, v, i % 2 == 0, (i * v) + v) == {0: 1, 2: 9}");
    assert_true("{'greeting': 'hello'}.transformMap(k, v, v + '!') == {'greeting': 'hello!'}");
    assert_true("{'greeting': 'hello'}.transformMapEntry(k, v, {v: k}) == {'hello': 'greeting'}");
    assert_true("[1, 2, 3].transformMapEntry(i, v, {v: i}) == {1: 0, 2: 1, 3: 2}");
    assert_true(
        "[1, 2, 3].transformMapEntry(i, v, v > 1, {v: i, -v: i}) == {2: 1, -2: 1, 3: 2, -3: 2}",
    );
    assert_true("{'a': 1}.transformMapEntry(k, v, {}) == {}");
    assert_true("[].transformList(i, v, v) == [] && {}.transformMap(k, v, v) == {}");
    // A key produced twice is an error, worded as cel-go words it.
    assert_eq!(
        assert_error("{'greeting': 'aloha', 'farewell': 'aloha'}.transformMapEntry(k, v, {v: k})")
            .to_string(),
        "Error executing function 'transformMapEntry': insert failed: key aloha already exists"
    );
    assert_error("[1, 2].transformMapEntry(i, v, {'same': v})");
}

#[test]
fn two_variable_macro_arguments_are_checked() {
    let e = parse_error("[1].all(i, i, true)");
    assert!(e.contains("duplicate variable name: i"), "{e}");
    let e = parse_error("[1].transformList(__result__, v, v)");
    assert!(
        e.contains("iteration variable overwrites accumulator variable"),
        "{e}"
    );
    let e = parse_error("[1].exists(i.j, v, true)");
    assert!(e.contains("argument must be a simple name"), "{e}");
    let e = parse_error("[1].transformMap(i, 1, v)");
    assert!(e.contains("argument must be a simple name"), "{e}");
}

#[test]
fn two_variable_ranges_are_lists_or_maps() {
    assert_error("'abc'.all(i, v, true)");
    assert_error("1.transformList(i, v, v)");
}

/// In cel-go a failed step leaves an error in the accumulator and the loop goes on: `&&` and
/// `||` absorb it when another element decides the result.
#[test]
fn errors_inside_comprehensions() {
    assert_true("![0, 2].all(x, 10 / x > 100)");
    assert_true("[0, 2].exists(x, 10 / x == 5)");
    assert_true("![2, 0].all(i, v, 10 / v > 100)");
    assert_true("{'a': 0, 'b': 2}.exists(k, v, 10 / v == 5)");
    assert_eq!(
        assert_error("[0, 2].exists(x, 10 / x == 7)"),
        assert_error("10 / 0 == 7")
    );
    assert_error("[2, 0].all(x, 10 / x == 5)");
    // existsOne does not short-circuit: any error is the result.
    assert_error("[0, 2].existsOne(x, 10 / x == 5)");
    assert_error("[2, 0].existsOne(i, v, 10 / v == 5)");
    assert_error("[0, 2].map(x, 10 / x)");
    assert_error("[0, 2].filter(x, 10 / x == 5)");
    assert_error("[0, 2].transformList(i, v, 10 / v)");
    assert_error("[0, 2].transformMap(i, v, 10 / v)");
    // A failed step is no loop condition: the loop goes on past it.
    assert_true("[0, 2, 1].exists(x, 10 / x == 10)");
}

/// cel-spec's conformance file `macros2.textproto` (comprehensions v2; not
/// `bindings_ext.textproto`: Kubernetes offers no `cel.bind`).
#[test]
fn cel_spec_macros2() {
    assert_true("[1, 2, 3].exists(i, v, i > -1 && v > 0)");
    assert_true("[1, 2, 3].exists(i, v, i == 1 && v == 2)");
    assert_true("![1, 2, 3].exists(i, v, i > 2 && v > 3)");
    assert_true("[1, 'foo', 3].exists(i, v, i == 1 && v != '1')");
    assert_true("![1, 'foo', 3].exists(i, v, i == 3 || v == '10')");
    assert_error("[1, 2, 3].exists(i, v, v / i == 17)");
    assert_true("![].exists(i, v, i == 0 || v == 2)");
    assert_true("{'key1':1, 'key2':2}.exists(k, v, k == 'key2' && v == 2)");
    assert_true("!{'key1':1, 'key2':2}.exists(k, v, k == 'key3' || v == 3)");
    assert_true("{'key':1, 1:21}.exists(k, v, k != 2 && v != 22)");
    assert_true("!{'key':1, 1:42}.exists(k, v, k == 2 && v == 43)");
    assert_true("[1, 2, 3].all(i, v, i > -1 && v > 0)");
    assert_true("![1, 2, 3].all(i, v, i == 1 && v == 2)");
    assert_true("![1, 2, 3].all(i, v, i == 3 || v == 4)");
    assert_true("![1, 'foo', 3].all(i, v, i == 0 || v == 1)");
    assert_true("![0, 'foo', 3].all(i, v, v % 2 == i)");
    assert_error("[0, 'foo', 5].all(i, v, v % 3 == i)");
    assert_true("![1, 2, 3].all(i, v, 6 / (2 - v) == i)");
    assert_error("[1, 2, 3].all(i, v, v / i != 17)");
    assert_true("[].all(i, v, i > -1 || v > 0)");
    assert_true("!{'key1':1, 'key2':2}.all(k, v, k == 'key2' && v == 2)");
    assert_true("![].existsOne(i, v, i == 3 || v == 7)");
    assert_true("[7].existsOne(i, v, i == 0 && v == 7)");
    assert_true("![8].existsOne(i, v, i == 0 && v == 7)");
    assert_true("![1, 2, 3].existsOne(i, v, i > 2 || v > 3)");
    assert_true("[5, 7, 8].existsOne(i, v, v % 5 == i)");
    assert_true("![0, 1, 2, 3, 4].existsOne(i, v, v % 2 == i)");
    assert_true("!['foal', 'foo', 'four'].existsOne(i, v, i > -1 && v.startsWith('fo'))");
    assert_error("[3, 2, 1, 0].existsOne(i, v, v / i > 1)");
    assert_true("{6: 'six', 7: 'seven', 8: 'eight'}.existsOne(k, v, k % 5 == 2 && v == 'seven')");
    assert_true(
        "[].transformList(i, v, i / v) == [] && [].transformList(i, v, i > v, i / v) == []",
    );
    assert_true("[3].transformList(i, v, v * v + i) == [9]");
    assert_true("[3].transformList(i, v, i == 0 && v == 3, v * v + i) == [9]");
    assert_true("[2, 4, 6].transformList(i, v, v / 2 + i) == [1, 3, 5]");
    assert_true("[2, 4, 6].transformList(i, v, i != 1 && v != 4, v / 2 + i) == [1, 5]");
    assert_error("[2, 1, 0].transformList(i, v, v / i)");
    assert_error("[2, 1, 0].transformList(i, v, v / i > 0, v)");
    assert_true("{}.transformMap(k, v, k + v) == {}");
    assert_true("{}.transformMap(k, v, k == 'foo' && v == 'bar', k + v) == {}");
    assert_true("{'foo': 'bar'}.transformMap(k, v, k + v) == {'foo': 'foobar'}");
    assert_true(
        "{'foo': 'bar'}.transformMap(k, v, k == 'foo' && v == 'bar', k + v) == {'foo': 'foobar'}",
    );
    assert_true("{'foo': 'bar', 'baz': 'bux', 'hello': 'world'}.transformMap(k, v, k + v) == {'foo': 'foobar', 'baz': 'bazbux', 'hello': 'helloworld'}");
    assert_true("{'foo': 'bar', 'baz': 'bux', 'hello': 'world'}.transformMap(k, v, k != 'baz' && v != 'bux', k + v) == {'foo': 'foobar', 'hello': 'helloworld'}");
    assert_error("{'foo': 2, 'bar': 1, 'baz': 0}.transformMap(k, v, 4 / v)");
    assert_error("{'foo': 2, 'bar': 1, 'baz': 0}.transformMap(k, v, k == 'baz' && 4 / v == 0, v)");
}

#[test]
fn one_variable_macros_are_unchanged() {
    assert_true("[1, 2].all(x, x > 0) && [1, 2].exists(x, x == 2) && [1, 2].exists_one(x, x == 2)");
    assert_true("[1, 2].existsOne(x, x == 2)");
    assert_true("[1, 2].map(x, x * 2) == [2, 4] && [1, 2].map(x, x > 1, x) == [2]");
    assert_true("[1, 2].filter(x, x > 1) == [2]");
    assert_true("{'a': 1}.all(k, k == 'a') && {'a': 1}.map(k, k) == ['a']");
    assert_true("has({'a': 1}.a)");
}
