//! `crd/kustomize-patch` (off by default): a CRD document that is a kustomize patch, not a
//! definition (see `model::kustomize`): not linted on its own, nor used for validation. Found
//! by the pipeline when it reads a document, not by a hook.

use crate::lint::{Finding, Rule};
use crate::source::Span;

pub const RULE: Rule = Rule::new("crd/kustomize-patch");

pub fn finding(name: Option<&str>, span: Span) -> Finding {
    Finding::new(
        RULE.id,
        format!(
            "a kustomize patch of CustomResourceDefinition {}: not linted on its own, nor used for validation",
            name.unwrap_or("(unnamed)")
        ),
        span,
    )
}
