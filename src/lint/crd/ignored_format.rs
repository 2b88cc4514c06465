//! `crd/ignored-format`: a `format` on a `type: string` schema that the API server does not
//! know. The server strips it from the validator, so values are never checked against it (it
//! warns `unrecognized format "<f>"` when the CRD is created). Formats on other types are not
//! reported: the server validates formats of strings only (`int32`, `double` on numbers are
//! documentation, as in OpenAPI).
//! Followed: apiextensions-apiserver `pkg/registry/customresourcedefinition/strategy.go`
//! (WarningsOnCreate, getUnrecognizedFormatsInSchema over SchemaHas) and
//! `pkg/apiserver/validation/formats.go` (GetUnrecognizedFormats, the supported list).

use crate::lint::walk::schema_node::{At, every};
use crate::lint::{Finding, Rule, SchemaSite};
use crate::wording::go_quote;
use crate::validate::formats;

pub const ID: &str = "crd/ignored-format";

pub const RULE: Rule = Rule {
    version_schema: Some(on_version_schema),
    ..Rule::new(ID)
};

/// The hook: the schema at its server path.
pub fn on_version_schema(site: &SchemaSite, problems: &mut Vec<Finding>) {
    check(&site.root(), problems);
}

pub fn check(root: &At, problems: &mut Vec<Finding>) {
    every(root, &mut |at| {
        let format = at.str("format");
        if format.is_empty() || at.ty() != "string" || formats::is_checked_format(format) {
            return;
        }
        let help = match crate::lint::walk::schema_node::nearest(format, formats::CHECKED_FORMATS) {
            Some(k) => format!("did you mean {}?", go_quote(k)),
            None => "use a `pattern` (or a CEL rule) to constrain the value; formats the server checks: date-time, date, duration, byte, uri, email, hostname, ipv4, ipv6, cidr, mac, uuid, k8s-short-name, ...".into(),
        };
        problems.push(Finding::new(
            ID,
            format!(
                "{}: unrecognized format {}: the API server ignores it, so values are not checked against it",
                at.field("format"),
                go_quote(format)
            ),
            at.value_span("format"),
        )
        .with_help(help));
    });
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::tests::run;

    #[test]
    fn unknown_string_formats_only() {
        let p = run(
            "type: object\nproperties:\n  a: {type: string, format: quantity}\n  b: {type: integer, format: int32}\n  c: {type: string, format: date-time}\n  d: {type: string, format: datetime}\n  e: {type: array, items: {type: string, format: ipv44}}\n",
            super::check,
        );
        assert_eq!(
            p,
            vec![
                "s.properties[a].format: unrecognized format \"quantity\": the API server ignores it, so values are not checked against it",
                "s.properties[e].items.format: unrecognized format \"ipv44\": the API server ignores it, so values are not checked against it",
            ]
        );
    }
}
