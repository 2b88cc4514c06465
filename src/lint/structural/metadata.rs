//! `structural/metadata`: what a schema may say about an object's TypeMeta and ObjectMeta. At the
//! root (and in an `x-kubernetes-embedded-resource`), `apiVersion` and `kind` must be strings
//! and `metadata` an object; at the root, `metadata` may restrict only `name` and
//! `generateName`: anything else (a `description`, `required`, other properties, CEL rules...)
//! is refused, since the API server validates ObjectMeta itself.
//! Followed: apiextensions-apiserver `pkg/apiserver/schema/validation.go`
//! (validateStructuralInvariants: `checkMetadata`; validateStructuralMetadataInvariants, which
//! clears `type`, `default` and a name/generateName-only `properties` and then requires the
//! rest to be empty; `example` and `externalDocs` are already dropped by NewStructural).

use crate::lint::walk::schema_node::{At, Level, forbidden, invalid, is_set, string};
use crate::lint::{Finding, Rule};

pub const ID: &str = "structural/metadata";

pub const RULE: Rule = Rule {
    structural: Some(on_structural),
    ..Rule::new(ID)
};

/// Keywords that make up a Structural value (the others are either cleared for metadata,
/// dropped by the conversion, or stop the conversion altogether and are reported elsewhere).
const STRUCTURAL_KEYS: [&str; 33] = [
    "description",
    "title",
    "nullable",
    "additionalProperties",
    "items",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-int-or-string",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-list-type",
    "x-kubernetes-map-type",
    "x-kubernetes-validations",
    "format",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
    "enum",
    "maxProperties",
    "minProperties",
    "required",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "properties",
];

/// The keywords of the root `metadata` schema the server refuses.
fn extra_keys<'a>(meta: &At<'a, '_>) -> Vec<&'a str> {
    let names: Vec<&str> = meta.properties().map(|(k, _)| k).collect();
    let only_names = !names.is_empty()
        && names.len() <= 2
        && names.iter().all(|k| *k == "name" || *k == "generateName")
        && (names.len() == 1 || names[0] != names[1]);
    meta.node
        .as_map()
        .unwrap_or_default()
        .iter()
        .filter(|e| STRUCTURAL_KEYS.contains(&e.key.as_str()))
        .filter(|e| !(e.key == "properties" && only_names))
        // `x-kubernetes-preserve-unknown-fields: false` stops the conversion instead.
        .filter(|e| is_set(&e.key, &e.value))
        .map(|e| e.key.as_str())
        .collect()
}

/// The checks at one node of the structural walk.
pub fn on_structural(at: &At, level: Level, problems: &mut Vec<Finding>) {
    let check_metadata = level == Level::Root || at.flag("x-kubernetes-embedded-resource");
    if check_metadata {
        for key in ["kind", "apiVersion"] {
            if let Some(p) = at.property(key)
                && p.ty() != "string"
            {
                problems.push(invalid(
                    ID,
                    p.field("type"),
                    string(p.ty()),
                    "must be string",
                    p.node.get("type").map(|n| n.span).unwrap_or(p.anchor),
                ));
            }
        }
    }
    let Some(meta) = at.property("metadata") else {
        return;
    };
    if check_metadata && meta.ty() != "object" {
        problems.push(invalid(
            ID,
            meta.field("type"),
            string(meta.ty()),
            "must be object",
            meta.node.get("type").map(|n| n.span).unwrap_or(meta.anchor),
        ));
    }
    if level == Level::Root {
        let extra = extra_keys(&meta);
        if !extra.is_empty() {
            let mut p = forbidden(
                ID,
                meta.path(),
                "must not specify anything other than name and generateName, but metadata is implicitly specified",
                meta.anchor,
            );
            p.help = Some(format!(
                "remove {} from the root metadata schema: the API server validates ObjectMeta itself",
                extra
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            problems.push(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::walk::schema_node::tests::run_structural;

    #[test]
    fn root_metadata_restricts_names_only() {
        assert!(
            run_structural(
                "type: object\nproperties:\n  metadata:\n    type: object\n    properties:\n      name: {type: string, maxLength: 63}\n",
                super::on_structural
            )
            .is_empty()
        );
        let p = run_structural(
            "type: object\nproperties:\n  apiVersion: {type: integer}\n  metadata:\n    type: object\n    description: standard object metadata\n",
            super::on_structural,
        );
        assert_eq!(
            p,
            vec![
                "s.properties[apiVersion].type: Invalid value: \"integer\": must be string",
                "s.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified",
            ]
        );
    }

    #[test]
    fn embedded_metadata_must_be_an_object() {
        let p = run_structural(
            "type: object\nproperties:\n  template:\n    type: object\n    x-kubernetes-embedded-resource: true\n    x-kubernetes-preserve-unknown-fields: true\n    properties:\n      metadata: {type: string}\n",
            super::on_structural,
        );
        assert_eq!(
            p,
            vec![
                "s.properties[template].properties[metadata].type: Invalid value: \"string\": must be object"
            ]
        );
    }
}
