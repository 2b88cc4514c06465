//! The walk of a compiled schema that the server's own rule checks make: properties,
//! additionalProperties and items, not the junctors.

use crate::model::schema::{AdditionalProperties, Schema};

/// Visit every schema node with its path as the API server prints it
/// (`...openAPIV3Schema.properties[spec].items`).
pub fn walk(s: &Schema, path: &str, visit: &mut dyn FnMut(&Schema, &str)) {
    walk_in(s, &mut path.to_string(), visit);
}

/// `path` is extended in place for each child and cut back after it: one string for the walk.
fn walk_in(s: &Schema, path: &mut String, visit: &mut dyn FnMut(&Schema, &str)) {
    visit(s, path);
    let len = path.len();
    for (k, p) in &s.properties {
        path.push_str(".properties[");
        path.push_str(k);
        path.push(']');
        walk_in(p, path, visit);
        path.truncate(len);
    }
    if let Some(AdditionalProperties::Schema(a)) = &s.additional_properties {
        path.push_str(".additionalProperties");
        walk_in(a, path, visit);
        path.truncate(len);
    }
    if let Some(i) = &s.items {
        path.push_str(".items");
        walk_in(i, path, visit);
        path.truncate(len);
    }
}
