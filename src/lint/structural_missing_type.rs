//! `structural/missing-type`: every schema node in the structural part of a CRD schema (the
//! root, array items, object fields) must state its `type`, unless it is
//! `x-kubernetes-int-or-string` or `x-kubernetes-preserve-unknown-fields` (an embedded resource's
//! type is `extension/embedded-resource`'s business).
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/validation.go`
//! (validateStructuralInvariants, the `len(s.Type) == 0` switch over the levels).

use super::schema_node::{At, Level, required};
use crate::model::crd::CrdProblem;

pub const RULE: &str = "structural/missing-type";

/// The checks at one node of the structural walk.
pub fn on_structural(at: &At, level: Level, problems: &mut Vec<CrdProblem>) {
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
    problems.push(required(RULE, at.field("type"), detail, at.anchor));
}

#[cfg(test)]
mod tests {
    use super::super::schema_node::tests::run_structural;

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
