//! Everything about CEL (`x-kubernetes-validations`), for lint and validation alike:
//! - [`walk`]: every rule of a compiled schema, with where it sits; `oldSelf` in rule text;
//! - [`compile`]: whether an expression compiles, and a version's rules compiled for kube-cel;
//!   [`undeclared`]: the checker's errors for `cel.bind`, which Kubernetes does not offer;
//! - [`escaping`]: property names and rule text adapted to kube-cel's conventions;
//! - [`types`]: the result type of an expression, where it is certain;
//! - [`cost`]: the static cost estimate the server makes when a CRD is written;
//! - [`runtime_cost`]: the prices the server's meter charges while a rule runs;
//! - [`libraries`]: which CEL library each function comes from, and since which release;
//! - [`eval`]: evaluating a resource's rules ([`fields_read`]: the fields of `self` they
//!   read, the only ones converted); [`rule`]: the server's messages for a failed
//!   rule; [`skipped`]: when the server does not evaluate them.
//!
//! It sits above `model` (it reads compiled schemas and fills a version's compiled-rules slot)
//! and below `lint` and `validate`, which both use it.

pub mod compile;
pub mod cost;
pub mod escaping;
pub mod eval;
pub mod fields_read;
pub mod libraries;
pub mod rule;
pub mod runtime_cost;
pub mod skipped;
pub mod types;
pub mod undeclared;
pub mod walk;
