//! crdlint: optional field and index access as cel-go evaluates it (`interpreter/attributes.go`;
//! the cel-spec conformance file `optionals.textproto`), see PATCHES.md:
//!
//! - `x.?f` and `x[?k]` are `optional.of(value)` when `x` has the field, key or index, and
//!   `optional.none()` when it does not, a value without members (a number, `null`) included;
//! - on an optional operand they chain: `optional.none()` stays empty, `optional.of(x)` is
//!   accessed as `x` is;
//! - once a chain is optional every later access in it is too: `x.?a.b` and `x.?a[0]` are
//!   `optional.none()` when `b` or `0` is missing from the map or list, and `has(x.?a.b)` is
//!   whether it is present. Such a plain step is still an error on a value without members
//!   (`{'a': null}.?a.b`).
//!
//! A key or index of the wrong type is still an error, as in cel-go.

use crate::common::types::{CelBool, CelOptional, CelString, LIST_TYPE, MAP_TYPE};
use crate::common::value::Val;
use crate::ExecutionError;
use std::sync::Arc;

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

/// How an access that found nothing to look into (a value that is not a map or a list) ends.
enum NoMembers {
    /// `.?`, `[?]`, `has()`: the member is absent.
    Absent,
    /// A plain `.f` after `.?`: no such key.
    Field,
    /// A plain `[k]` after `.?`: no index operator for the value.
    Index,
}

/// `operand[key]` if present, as an optional.
fn qualify(
    operand: &dyn Val,
    key: &dyn Val,
    no_members: NoMembers,
) -> Result<Box<dyn Val>, ExecutionError> {
    let ty = operand.get_type();
    if ty != MAP_TYPE && ty != LIST_TYPE {
        return match no_members {
            NoMembers::Absent => Ok(none()),
            NoMembers::Field => {
                let field = key
                    .downcast_ref::<CelString>()
                    .map(|s| s.inner().to_string())
                    .unwrap_or_default();
                Err(ExecutionError::NoSuchKey(Arc::new(field)))
            }
            NoMembers::Index => Err(ExecutionError::NoSuchOverload),
        };
    }
    let indexer = operand.as_indexer().ok_or(ExecutionError::NoSuchOverload)?;
    match indexer.get(key) {
        Ok(value) => Ok(Box::new(CelOptional::of(value.into_owned()))),
        Err(ExecutionError::NoSuchKey(_) | ExecutionError::IndexOutOfBounds(_)) => Ok(none()),
        Err(e) => Err(e),
    }
}

/// `operand.?field` (`optional`), or `operand.field` on an optional operand; with `test`,
/// `has()` of the latter.
pub(crate) fn select(
    operand: &dyn Val,
    field: &str,
    optional: bool,
    test: bool,
) -> Result<Box<dyn Val>, ExecutionError> {
    let key = CelString::from(field);
    if test {
        let present = match unwrap(operand) {
            Err(_) => false,
            Ok(value) => qualify(value, &key, NoMembers::Absent)?
                .downcast_ref::<CelOptional>()
                .is_some_and(|o| o.inner().is_some()),
        };
        return Ok(Box::new(CelBool::from(present)));
    }
    let no_members = if optional {
        NoMembers::Absent
    } else {
        NoMembers::Field
    };
    match unwrap(operand) {
        Err(none) => Ok(none),
        Ok(value) => qualify(value, &key, no_members),
    }
}

/// `operand[?key]` (`optional`), or `operand[key]` on an optional operand.
pub(crate) fn index(
    operand: &dyn Val,
    key: &dyn Val,
    optional: bool,
) -> Result<Box<dyn Val>, ExecutionError> {
    let no_members = if optional {
        NoMembers::Absent
    } else {
        NoMembers::Index
    };
    match unwrap(operand) {
        Err(none) => Ok(none),
        Ok(value) => qualify(value, key, no_members),
    }
}
