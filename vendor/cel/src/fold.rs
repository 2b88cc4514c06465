//! crdlint: what the interpreter's comprehension needs beyond cel 0.13 (see PATCHES.md),
//! following cel-go's `interpreter/interpretable.go` (`evalFold`, `folder`):
//!
//! - the values bound per iteration: one variable (list elements, map keys), or two (list
//!   index and element, map key and value) for the two-variable comprehensions;
//! - errors kept as values: in cel-go a step that fails leaves an error in the accumulator and
//!   the loop goes on, so `all` is false when another element is false and `exists` true when
//!   another is true (`&&` and `||` absorb the error), while `existsOne`, `map`, `filter` and
//!   the transforms end in the error. cel-rust has no error value, so the accumulator holds
//!   [`Failed`] and the first error is kept aside, returned if the accumulator is still failed
//!   when the loop ends;
//! - `cel.@mapInsert`, the function `transformMap` and `transformMapEntry` expand to.

use crate::common::types::{CelInt, CelList, CelMap, Type, ERROR_TYPE};
use crate::common::value::Val;
use crate::extractors::Arguments;
use crate::objects::{Key, Map, Value};
use crate::ExecutionError;
use std::borrow::Cow;
use std::sync::Arc;

/// The accumulator of a comprehension whose step failed: no operator accepts it, so whatever
/// does not absorb it fails again.
#[derive(Debug)]
struct Failed;

impl Val for Failed {
    fn get_type(&self) -> Type<'_> {
        ERROR_TYPE
    }

    fn clone_as_boxed(&self) -> Box<dyn Val> {
        Box::new(Failed)
    }
}

/// One iteration's values: the first variable's, and the second's in a two-variable
/// comprehension.
pub(crate) type Item<'a> = (Box<dyn Val>, Option<&'a dyn Val>);

/// The iterations over `range`.
pub(crate) fn items<'a>(
    range: &'a dyn Val,
    two_vars: bool,
) -> Result<Box<dyn Iterator<Item = Item<'a>> + 'a>, ExecutionError> {
    if !two_vars {
        let mut it = range
            .as_iterable()
            .ok_or(ExecutionError::NoSuchOverload)?
            .iter();
        return Ok(Box::new(std::iter::from_fn(move || {
            it.next().map(|v| (v.clone_as_boxed(), None))
        })));
    }
    if let Some(list) = range.downcast_ref::<CelList>() {
        return Ok(Box::new(list.inner().iter().enumerate().map(|(i, v)| {
            let index: Box<dyn Val> = Box::new(CelInt::from(i as i64));
            (index, Some(v.as_ref()))
        })));
    }
    if let Some(map) = range.downcast_ref::<CelMap>() {
        return Ok(Box::new(
            map.inner()
                .iter()
                .map(|(k, v)| (k.inner().clone_as_boxed(), Some(v.as_ref()))),
        ));
    }
    Err(ExecutionError::NoSuchOverload)
}

/// Whether the loop condition ends the loop: only `false` does (cel-go goes on when the
/// condition is not a bool).
pub(crate) fn stops(condition: Result<Cow<dyn Val>, ExecutionError>) -> bool {
    condition.is_ok_and(|c| {
        c.downcast_ref::<crate::common::types::CelBool>()
            .is_some_and(|b| !*b.inner())
    })
}

/// The error a comprehension's accumulator holds, if any.
#[derive(Default)]
pub(crate) struct Fold {
    error: Option<ExecutionError>,
}

impl Fold {
    /// The new accumulator after a step.
    pub(crate) fn step(&mut self, accu: Result<Cow<dyn Val>, ExecutionError>) -> Box<dyn Val> {
        match accu {
            Ok(v) if v.downcast_ref::<Failed>().is_none() => {
                self.error = None;
                v.into_owned()
            }
            Ok(_) => Box::new(Failed),
            Err(e) => {
                // A step that fails on the failed accumulator keeps the first error.
                self.error.get_or_insert(e);
                Box::new(Failed)
            }
        }
    }

    /// The error the comprehension ends in, if its accumulator is still failed.
    pub(crate) fn finish(self) -> Result<(), ExecutionError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// `cel.@mapInsert(map, key, value)` (transformMap) and `cel.@mapInsert(map, entries)`
/// (transformMapEntry): the map with the entries added; a key already present is an error,
/// worded as cel-go words it.
pub fn map_insert(Arguments(args): Arguments) -> Result<Value, ExecutionError> {
    let (target, function, entries): (&Map, &str, Vec<(Value, Value)>) = match args.as_slice() {
        [Value::Map(target), key, value] => {
            (target, "transformMap", vec![(key.clone(), value.clone())])
        }
        [Value::Map(target), Value::Map(entries)] => (
            target,
            "transformMapEntry",
            entries
                .map
                .iter()
                .map(|(k, v)| (Value::from(k), v.clone()))
                .collect(),
        ),
        _ => return Err(ExecutionError::NoSuchOverload),
    };
    let mut map = (*target.map).clone();
    for (key, value) in entries {
        let key: Key = key.try_into().map_err(ExecutionError::UnsupportedKeyType)?;
        if map.contains_key(&key) {
            return Err(ExecutionError::function_error(
                function,
                format!("insert failed: key {key} already exists"),
            ));
        }
        map.insert(key, value);
    }
    Ok(Value::Map(Map { map: Arc::new(map) }))
}
