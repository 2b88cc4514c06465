//! `extension/int-or-string`: `x-kubernetes-int-or-string: true` excludes
//! `x-kubernetes-preserve-unknown-fields` and `x-kubernetes-embedded-resource` on the same node
//! (a value that is an integer or a string has no fields to preserve or embed).
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/validation.go` (validateExtensions).

use crate::lint::walk::schema_node::{At, Level, invalid};
use crate::lint::{Finding, Rule};
use crate::yaml::Value;

pub const ID: &str = "extension/int-or-string";

pub const RULE: Rule = Rule {
    structural: Some(on_structural),
    ..Rule::new(ID)
};

/// The checks at one node of the structural walk.
pub fn on_structural(at: &At, _level: Level, problems: &mut Vec<Finding>) {
    if !at.flag("x-kubernetes-int-or-string") {
        return;
    }
    for key in [
        "x-kubernetes-preserve-unknown-fields",
        "x-kubernetes-embedded-resource",
    ] {
        if at.flag(key) {
            problems.push(invalid(
                ID,
                at.field(key),
                Value::Bool(true),
                "must be false if x-kubernetes-int-or-string is true",
                at.key_span(key),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::tests::run_structural;

    #[test]
    fn int_or_string_stands_alone() {
        let p = run_structural(
            "type: object\nproperties:\n  port: {x-kubernetes-int-or-string: true, x-kubernetes-preserve-unknown-fields: true}\n",
            super::on_structural,
        );
        assert_eq!(
            p,
            vec![
                "s.properties[port].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true"
            ]
        );
    }
}
