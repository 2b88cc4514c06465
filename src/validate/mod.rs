//! Validation of one custom resource against its CRD version, in the API server's order:
//! decoding (metadata, pruning of unknown fields and of the nulls the schema does not allow,
//! embedded resources' apiVersion, kind and metadata; a decoding error is the only error),
//! defaulting, ObjectMeta, schema, embedded resources, list types, then CEL (evaluated by
//! `crate::cel::eval`).

pub mod defaults;
pub mod embedded;
pub mod formats;
pub mod k8s_names;
pub mod list_types;
pub mod object_meta;
pub mod prune;
pub mod schema_check;

use crate::cel;
use crate::model::{Crd, CrdVersion, schema::Schema};
use crate::wording::{BadValue, ErrorType, FieldError};
use crate::yaml::Node;
use std::borrow::Cow;

/// All field errors for one resource, in the order the stages produce them.
/// The resource is changed as the server changes it (pruned, defaulted) before it is
/// validated: given borrowed, it is copied first.
pub fn validate_resource(
    resource: Cow<'_, Node>,
    crd: &Crd,
    version: &CrdVersion,
) -> Vec<FieldError> {
    let schema = version.schema.as_deref();
    let mut out = Vec::new();
    let mut obj = resource.into_owned();
    // Decoding the request (customresource_handler.go unstructuredSchemaCoercer.apply):
    // ObjectMeta, pruning, then the embedded resources' apiVersion, kind and metadata
    // (objectmeta.CoerceWithOptions). A decoding error refuses the request (400) with that
    // error alone: no unknown field, no validation error is reported with it.
    if let Some(m) = obj.get("metadata") {
        if let Some(e) = object_meta::root_decode_error(m) {
            return vec![e];
        }
        object_meta::unknown_fields(m, "metadata", &mut out);
    }
    if let Some(s) = schema {
        prune::prune_root(&mut obj, s, &mut out);
        if let Some(e) = embedded::decode_error(&obj, s, "") {
            return vec![e];
        }
    }
    if version.status_subresource {
        // customResourceStrategy.PrepareForCreate/PrepareForUpdate: "create cannot set status":
        // with the status subresource the server drops `status` before validating, so what is
        // wrong in it is reported apart, as advice (see `status_errors`).
        if let crate::yaml::Value::Map(entries) = &mut obj.value
            && let Some(i) = entries.iter().position(|e| e.key == "status")
        {
            let status = entries.remove(i).value;
            if let Some(ss) = schema.and_then(|s| s.properties.get("status")) {
                out.extend(status_errors(status, ss));
            }
        }
    }
    if let Some(s) = schema {
        defaults::apply(&mut obj, s);
    }
    object_meta::validate(
        obj.get("metadata"),
        "metadata",
        true,
        crd.namespaced,
        crd.name_rule,
        obj.span,
        &mut out,
    );
    if !crd.namespaced
        && let Some(ns) = obj
            .get("metadata")
            .and_then(|m| m.get("namespace"))
            .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
    {
        out.push(FieldError::new(
            "metadata/namespace-ignored",
            ErrorType::Forbidden,
            "metadata.namespace",
            BadValue::Omit,
            "not allowed on this type",
            ns.span,
        ));
    }
    let Some(s) = schema else {
        return out;
    };
    schema_check::validate(&obj, s, "", &mut out);
    embedded::validate(&obj, s, "", true, &mut out);
    let from = out.len();
    list_types::validate(&obj, s, "", &mut out);
    if crd.builtin {
        for e in &mut out[from..] {
            list_types::as_native_validation(e);
        }
    }
    if cel::skipped::has_blocking_error(&out) {
        if version.has_cel_rules() {
            out.push(cel::skipped::skipped(obj.span));
        }
    } else if let Some(rules) = cel::compile::rules_of(version) {
        let schema = version.schema.as_deref();
        cel::eval::validate(&obj, &rules.schema, schema, rules.dates, &mut out);
    }
    out
}

/// What the status subresource would reject in `status` (a status update validates it), marked
/// so that it is reported as a warning: on create and update the server drops it unchecked.
fn status_errors(mut status: Node, s: &Schema) -> Vec<FieldError> {
    let mut errs = Vec::new();
    defaults::apply(&mut status, s);
    schema_check::validate(&status, s, "status", &mut errs);
    embedded::validate(&status, s, "status", false, &mut errs);
    list_types::validate(&status, s, "status", &mut errs);
    for e in &mut errs {
        e.status_dropped = true;
        e.help = Some("the status subresource is enabled, so the API server drops `status` on create and update without validating it; a status update with this value would be rejected".into());
    }
    errs
}
