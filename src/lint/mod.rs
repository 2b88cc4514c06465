//! Lint rules over a CRD's compiled schemas, one rule per file. They run when a CRD is read;
//! their findings are reported only for CRDs among the checked files.

pub mod cel_availability;
pub mod cel_cost;
pub mod cel_field_path;
pub mod cel_message;
pub mod cel_missing_rule;
pub mod cel_old_self;
pub mod cel_reason;
pub mod cel_return_type;
pub mod cel_walk;
pub mod conversion_strategy;
pub mod conversion_webhook;
pub mod crd_deprecation_warning;
pub mod crd_group;
pub mod crd_ignored_format;
pub mod crd_missing_schema;
pub mod crd_name;
pub mod crd_names;
pub mod crd_preserve_unknown_fields;
pub mod crd_scope;
pub mod crd_stored_versions;
pub mod crd_unknown_field;
pub mod crd_versions;
pub mod default_invalid;
pub mod default_metadata;
pub mod default_on_required;
pub mod default_pruned;
pub mod extension_embedded_resource;
pub mod extension_int_or_string;
pub mod extension_list_map_keys;
pub mod extension_list_type;
pub mod extension_map_type;
pub mod extension_preserve_unknown_fields;
pub mod layout;
pub mod missing_description;
pub mod printer_column;
pub mod printer_column_jsonpath;
pub mod schema_node;
pub mod selectable_field;
pub mod structural_forbidden_field;
pub mod structural_items;
pub mod structural_junctor;
pub mod structural_metadata;
pub mod structural_missing_type;
pub mod structural_root;
pub mod subresource_scale;
pub mod subresource_scale_path;
pub mod version_conversion_none;
pub mod version_not_deprecated;
pub mod version_printer_columns;
pub mod versions;

// Install-time schema rules and schema hygiene, over the schema as written (see `schema_node`).

use crate::model::crd::CrdProblem;
use crate::model::schema::{AdditionalProperties, Schema, SchemaProblem};
use crate::yaml::Node;

/// Run every rule over a whole CRD document.
pub fn check_crd(root: &Node, problems: &mut Vec<CrdProblem>) {
    crd_group::check(root, problems);
    crd_name::check(root, problems);
    crd_versions::check(root, problems);
    versions::check(root, problems);
    // Outside the openAPIV3Schema: names, scope, versions, conversion, subresources, columns.
    crd_names::check(root, problems);
    crd_scope::check(root, problems);
    crd_preserve_unknown_fields::check(root, problems);
    crd_missing_schema::check(root, problems);
    crd_deprecation_warning::check(root, problems);
    crd_stored_versions::check(root, problems);
    conversion_strategy::check(root, problems);
    conversion_webhook::check(root, problems);
    subresource_scale::check(root, problems);
    subresource_scale_path::check(root, problems);
    printer_column::check(root, problems);
    printer_column_jsonpath::check(root, problems);
    selectable_field::check(root, problems);
    version_conversion_none::check(root, problems);
    version_not_deprecated::check(root, problems);
    version_printer_columns::check(root, problems);
    crd_unknown_field::check(root, problems);
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
    cel_walk::each_rule(root, path, &mut |at| {
        cel_missing_rule::check(at, problems);
        cel_message::check(at, problems);
        cel_reason::check(at, problems);
        cel_field_path::check(at, problems);
        cel_old_self::check(at, problems);
        cel_return_type::check(at, problems);
    });
    cel_cost::check(root, path, problems);
}

/// Where a version's schema sits, for [`check_schema_node`].
pub struct SchemaSite<'a> {
    /// The path the server validates the schema at (`spec.validation.openAPIV3Schema` when all
    /// versions share it).
    pub path: &'a str,
    /// The path in the document (`spec.versions[0].schema.openAPIV3Schema`), for what strict
    /// decoding of the CRD object reports.
    pub doc_path: &'a str,
    /// Where findings about the schema root point (its `openAPIV3Schema` key).
    pub anchor: crate::source::Span,
    /// Whether the status subresource applies to this schema.
    pub status_enabled: bool,
}

/// Run every rule that reads a version's schema as written.
pub fn check_schema_node(node: &Node, site: &SchemaSite, problems: &mut Vec<CrdProblem>) {
    if node.as_map().is_none() {
        return;
    }
    let root = schema_node::At::new(node, site.path, site.anchor);
    // One walk per upstream traversal; each rule checks the node it is given.
    schema_node::structural(&root, schema_node::Level::Root, &mut |at, level| {
        structural_missing_type::on_structural(at, level, problems);
        structural_items::on_structural(at, level, problems);
        structural_junctor::on_structural(at, level, problems);
        structural_metadata::on_structural(at, level, problems);
        extension_embedded_resource::on_structural(at, level, problems);
        extension_int_or_string::on_structural(at, level, problems);
    });
    structural_junctor::check_completeness(&root, problems);
    structural_root::check(&root, site.status_enabled, problems);
    schema_node::openapi(&root, &schema_node::OpenApi::root(), &mut |at, ctx| {
        structural_items::on_openapi(at, ctx, problems);
        structural_forbidden_field::on_openapi(at, ctx, problems);
        extension_list_type::on_openapi(at, ctx, problems);
        extension_list_map_keys::on_openapi(at, ctx, problems);
        extension_map_type::on_openapi(at, ctx, problems);
        extension_embedded_resource::on_openapi(at, ctx, problems);
        extension_preserve_unknown_fields::on_openapi(at, ctx, problems);
        default_metadata::on_openapi(at, ctx, problems);
    });
    structural_forbidden_field::check_schema_keyword(&root, problems);
    default_pruned::check(&root, problems);
    crd_ignored_format::check(&root, problems);
    let doc_root = schema_node::At::new(node, site.doc_path, site.anchor);
    crd_unknown_field::check_schema(&doc_root, problems);
}
