//! The walk of a compiled schema that the server's own rule checks make: properties,
//! additionalProperties and items, not the junctors.

use crate::model::schema::{AdditionalProperties, Schema};

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
