//! Lint rules over a CRD's compiled schemas, one rule per file. They run when a CRD is read;
//! their findings are reported only for CRDs among the checked files.

pub mod cel_cost;
pub mod crd_group;
pub mod crd_name;
pub mod crd_versions;
pub mod default_invalid;
pub mod default_on_required;
pub mod missing_description;
pub mod versions;

use crate::model::crd::CrdProblem;
use crate::model::schema::{AdditionalProperties, Schema, SchemaProblem};
use crate::yaml::Node;

/// Run every rule over a whole CRD document.
pub fn check_crd(root: &Node, problems: &mut Vec<CrdProblem>) {
    crd_group::check(root, problems);
    crd_name::check(root, problems);
    crd_versions::check(root, problems);
    versions::check(root, problems);
}

/// Visit every schema node with its path as the API server prints it
/// (`...openAPIV3Schema.properties[spec].items`).
pub fn walk(s: &Schema, path: &str, visit: &mut dyn FnMut(&Schema, &str)) {
    visit(s, path);
    for (k, p) in &s.properties {
        walk(p, &format!("{path}.properties[{k}]"), visit);
    }
    if let Some(AdditionalProperties::Schema(a)) = &s.additional_properties {
        walk(a, &format!("{path}.additionalProperties"), visit);
    }
    if let Some(i) = &s.items {
        walk(i, &format!("{path}.items"), visit);
    }
}

/// Run every schema rule over one version's schema.
pub fn check_schema(root: &Schema, path: &str, problems: &mut Vec<SchemaProblem>) {
    walk(root, path, &mut |s, at| {
        default_invalid::check(s, at, problems);
        default_on_required::check(s, at, problems);
        missing_description::check(s, at, problems);
    });
    cel_cost::check(root, path, problems);
}
