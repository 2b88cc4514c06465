//! `default/invalid`: a `default` that does not validate against its own schema (after its
//! nested defaults are applied), which the API server refuses when the CRD is created.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`
//! (defaults are validated with ValidateCustomResource at `<schema path>.default`).

use crate::lint::{Finding, Rule};
use crate::model::schema::{Schema};
use crate::validate::{defaults, schema_check};

pub const ID: &str = "default/invalid";

pub const RULE: Rule = Rule {
    compiled: Some(check),
    ..Rule::new(ID)
};

pub fn check(s: &Schema, at: &str, problems: &mut Vec<Finding>) {
    let Some(default) = &s.default else {
        return;
    };
    // The server does not follow additionalProperties when it validates defaults
    // (apiextensions-apiserver `pkg/apiserver/schema/defaulting/validation.go`): such a default
    // is applied to resources later but never checked at install time.
    if at.contains(".additionalProperties") {
        return;
    }
    let mut value = default.clone();
    defaults::apply(&mut value, s);
    let mut errors = Vec::new();
    schema_check::validate(&value, s, "", &mut errors);
    let base = format!("{at}.default");
    for mut e in errors {
        // Paths inside the value hang under `.default`; kube-openapi's own text stays relative.
        e.path = if e.path.is_empty() {
            base.clone()
        } else {
            format!("{base}.{}", e.path)
        };
        problems.push(Finding::new(ID, e.message(), default.span).with_field(e.path.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_under_additional_properties_are_not_checked() {
        let doc = crate::yaml::parse_stream("type: string\nenum: [a]\ndefault: b\n").remove(0);
        let s = Schema::compile(&doc.root.unwrap(), "x", &mut Vec::new());
        let mut found = Vec::new();
        check(&s, "r.properties[m].additionalProperties", &mut found);
        assert!(found.is_empty(), "{found:?}");
        check(&s, "r.properties[m]", &mut found);
        assert_eq!(found.len(), 1);
    }

    fn problems(schema_yaml: &str) -> Vec<Finding> {
        let node = crate::yaml::parse_stream(schema_yaml)
            .remove(0)
            .root
            .unwrap();
        let mut compile_problems = Vec::new();
        let schema = Schema::compile(&node, "s", &mut compile_problems);
        let mut out = Vec::new();
        crate::lint::walk::compiled::walk(&schema, "s", &mut |s, at| check(s, at, &mut out));
        out
    }

    #[test]
    fn nested_defaults_apply_before_the_default_is_validated() {
        // `{}` lacks the required `port`, but port's own default fills it.
        let ok = problems(
            "type: object\nproperties:\n  conn:\n    type: object\n    default: {}\n    required: [port]\n    properties:\n      port: {type: integer, default: 80}\n",
        );
        assert!(ok.is_empty(), "{ok:?}");
        let bad = problems(
            "type: object\nproperties:\n  conn:\n    type: object\n    default: {}\n    required: [port]\n    properties:\n      port: {type: integer}\n",
        );
        assert_eq!(bad.len(), 1);
        assert_eq!(
            bad[0].message,
            "s.properties[conn].default.port: Required value"
        );
    }

    #[test]
    fn type_errors_use_the_relative_name_in_kube_openapi_text() {
        let p = problems("type: object\nproperties:\n  num:\n    type: integer\n    default: x\n");
        assert_eq!(
            p[0].message,
            "s.properties[num].default: Invalid value: \"string\":  in body must be of type integer: \"string\""
        );
    }
}
