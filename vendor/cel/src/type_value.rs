//! crdlint patch: CEL type values, which cel 0.13 lacks: `type(x)` and the type identifiers
//! (`int`, `string`, `list`, ...), so that rules such as
//! `type(self) == string ? self.endsWith('%') : self >= 0` (typical of int-or-string fields)
//! evaluate as in cel-go. A type value is an opaque value named `type`, equal to another of
//! the same type name.

use crate::objects::{Opaque, Value};
use crate::{ExecutionError, FunctionContext};
use std::sync::Arc;

#[derive(Debug, PartialEq, Eq)]
pub struct TypeValue(String);

impl Opaque for TypeValue {
    fn runtime_type_name(&self) -> &str {
        "type"
    }
}

fn type_value(name: &str) -> Value {
    Value::Opaque(Arc::new(TypeValue(name.to_string())))
}

/// The type identifiers of cel-go's standard environment, when no variable has the name.
pub(crate) fn identifier(name: &str) -> Option<Value> {
    const NAMES: [&str; 10] = [
        "int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type",
    ];
    NAMES.contains(&name).then(|| type_value(name))
}

/// `type(x)`: the type of a value, named as cel-go names it.
pub fn type_of(ftx: &FunctionContext, value: Value) -> Result<Value, ExecutionError> {
    if ftx.args.len() != 1 || ftx.this.is_some() {
        return Err(ftx.error("expected one argument"));
    }
    let name = match &value {
        Value::Int(_) => "int",
        Value::UInt(_) => "uint",
        Value::Float(_) => "double",
        Value::String(_) => "string",
        Value::Bytes(_) => "bytes",
        Value::Bool(_) => "bool",
        Value::List(_) => "list",
        Value::Map(_) => "map",
        Value::Null => "null_type",
        #[cfg(feature = "chrono")]
        Value::Duration(_) => "google.protobuf.Duration",
        #[cfg(feature = "chrono")]
        Value::Timestamp(_) => "google.protobuf.Timestamp",
        Value::Opaque(o) if o.downcast_ref::<TypeValue>().is_some() => "type",
        Value::Opaque(o) => return Ok(type_value(o.runtime_type_name())),
        Value::Function(..) => return Err(ftx.error("a function has no type")),
    };
    Ok(type_value(name))
}
