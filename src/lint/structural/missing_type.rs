//! `structural/missing-type`: every schema node in the structural part of a CRD schema (the
//! root, array items, object fields) must state its `type`, unless it is
//! `x-kubernetes-int-or-string` or `x-kubernetes-preserve-unknown-fields` (an embedded resource's
//! type is `extension/embedded-resource`'s business).
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/validation.go`
//! (validateStructuralInvariants, the `len(s.Type) == 0` switch over the levels).

use crate::lint::walk::schema_node::{At, Level, required};
use crate::lint::{Finding, Rule};

pub const ID: &str = "structural/missing-type";

pub const RULE: Rule = Rule {
    structural: Some(on_structural),
    ..Rule::new(ID)
};

/// The checks at one node of the structural walk.
pub fn on_structural(at: &At, level: Level, problems: &mut Vec<Finding>) {
    if !at.ty().is_empty()
        || at.flag("x-kubernetes-embedded-resource")
        || at.flag("x-kubernetes-int-or-string")
        || at.flag("x-kubernetes-preserve-unknown-fields")
    {
        return;
    }
    let detail = match level {
        Level::Root => "must not be empty at the root",
        Level::Item => "must not be empty for specified array items",
        Level::Field => "must not be empty for specified object fields",
    };
    problems.push(required(ID, at.field("type"), detail, at.anchor));
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::tests::run_structural;

    #[test]
    fn each_level_has_its_wording() {
        let p = run_structural(
            "properties:\n  spec:\n    properties:\n      tags: {type: array, items: {}}\n      any: {x-kubernetes-preserve-unknown-fields: true}\n      port: {x-kubernetes-int-or-string: true}\n",
            super::on_structural,
        );
        assert_eq!(
            p,
            vec![
                "s.type: Required value: must not be empty at the root",
                "s.properties[spec].type: Required value: must not be empty for specified object fields",
                "s.properties[spec].properties[tags].items.type: Required value: must not be empty for specified array items",
            ]
        );
    }
}
