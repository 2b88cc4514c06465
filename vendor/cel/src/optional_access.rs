//! crdlint: optional field and index access as cel-go evaluates it (`interpreter/attributes.go`,
//! see PATCHES.md):
//!
//! - `x.?f` and `x[?k]` are `optional.of(value)` when `x` has the field, key or index, and
//!   `optional.none()` when it does not;
//! - on an optional operand they chain: `optional.none()` stays empty, `optional.of(x)` is
//!   accessed as `x` is;
//! - once a chain is optional every later access in it is too: `x.?a.b` and `x.?a[0]` are
//!   `optional.none()` when `b` or `0` is missing, and `has(x.?a.b)` is whether it is present.
//!
//! A key or index of the wrong type is still an error, as in cel-go.

use crate::common::types::{CelBool, CelOptional, CelString, LIST_TYPE, MAP_TYPE};
use crate::common::value::Val;
use crate::ExecutionError;

fn none() -> Box<dyn Val> {
    Box::new(CelOptional::none())
}

/// The value inside an optional operand: `Err(none)` when it is empty.
fn unwrap(operand: &dyn Val) -> Result<&dyn Val, Box<dyn Val>> {
    match operand.downcast_ref::<CelOptional>() {
        Some(opt) => opt.inner().ok_or_else(none),
        None => Ok(operand),
    }
}

/// `operand[key]` if present, as an optional.
fn qualify(operand: &dyn Val, key: &dyn Val) -> Result<Box<dyn Val>, ExecutionError> {
    let ty = operand.get_type();
    if ty != MAP_TYPE && ty != LIST_TYPE {
        // A value without fields or entries has none of them.
        return Ok(none());
    }
    let indexer = operand.as_indexer().ok_or(ExecutionError::NoSuchOverload)?;
    match indexer.get(key) {
        Ok(value) => Ok(Box::new(CelOptional::of(value.into_owned()))),
        Err(ExecutionError::NoSuchKey(_) | ExecutionError::IndexOutOfBounds(_)) => Ok(none()),
        Err(e) => Err(e),
    }
}

/// `operand.?field`, or `operand.field` on an optional operand; with `test`, `has()` of it.
pub(crate) fn select(
    operand: &dyn Val,
    field: &str,
    test: bool,
) -> Result<Box<dyn Val>, ExecutionError> {
    let key = CelString::from(field);
    if test {
        let present = match unwrap(operand) {
            Err(_) => false,
            Ok(value) => qualify(value, &key)?
                .downcast_ref::<CelOptional>()
                .is_some_and(|o| o.inner().is_some()),
        };
        return Ok(Box::new(CelBool::from(present)));
    }
    match unwrap(operand) {
        Err(none) => Ok(none),
        Ok(value) => qualify(value, &key),
    }
}

/// `operand[?key]`, or `operand[key]` on an optional operand.
pub(crate) fn index(operand: &dyn Val, key: &dyn Val) -> Result<Box<dyn Val>, ExecutionError> {
    match unwrap(operand) {
        Err(none) => Ok(none),
        Ok(value) => qualify(value, key),
    }
}
