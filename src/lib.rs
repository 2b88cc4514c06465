//! crdlint: validate Kubernetes custom resources against their CRDs, offline, as the API
//! server would, and lint the CRDs themselves.

pub mod builtin;
pub mod cel;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod discover;
pub mod git;
pub mod lint;
pub mod lsp;
pub mod model;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod validate;
pub mod wording;
pub mod yaml;
