#![allow(clippy::module_inception)]
#[allow(clippy::all)]
mod gen;

pub mod references;

pub use crate::common::ast::IdedExpr as Expression;

mod macros;
mod parse;
// crdlint: cel.bind, the two-variable comprehensions, optMap and optFlatMap (PATCHES.md).
#[allow(non_snake_case)]
mod parser;
pub(crate) mod two_var_macros;

pub use parser::*;
pub use references::ExpressionReferences;
