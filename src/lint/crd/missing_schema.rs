//! `crd/missing-schema`: every version needs `schema.openAPIV3Schema` when a CRD is created
//! through apiextensions.k8s.io/v1 (a version without one could only come from v1beta1).
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (validateCustomResourceDefinitionSpec with requireOpenAPISchema, which is true on create).

use crate::lint::walk::layout::{Layout, name_span, ptr, schema_of};
use crate::lint::{Finding, Rule};
use crate::yaml::Node;

const ID: &str = "crd/missing-schema";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(layout) = Layout::of(root) else {
        return;
    };
    for (i, v) in layout.versions.iter().enumerate() {
        if v.as_map().is_none() || schema_of(v).is_some() {
            continue;
        }
        // Asked only now: it compares the versions' whole schemas. (When the server holds one
        // schema for all versions, every version has it, so no version reaches here anyway.)
        if layout.has_spec_validation() {
            return;
        }
        problems.push(Finding::new(
            ID,
            format!(
                "spec.versions[{i}].schema.openAPIV3Schema: Required value: schemas are required"
            ),
            ptr(v, "schema").map(|s| s.span).unwrap_or(name_span(v)),
        ));
    }
}
