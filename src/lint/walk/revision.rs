//! Not a rule: two revisions of one CRD side by side, for the `upgrade/*` rules. A [`Revision`]
//! holds the old and the new CRD (document and model); [`each_pair`] walks the schemas of every
//! version both revisions define that is served now or stores objects (the storage version of
//! either revision), old and new node together,
//! with the field of the custom resources each node describes (`spec.ports[*].name`) and the
//! new node's path as the API server prints it. Findings point into the new document: at the
//! node that changed, or, for something removed, at the nearest node that survives.
//!
//! Identical subtrees are not entered, so two identical revisions cost one comparison per
//! version. Versions whose old and new schemas are both identical are walked once, together
//! (`spec.color in v1beta1, v1`).
//!
//! The walk follows what the server prunes, defaults and validates by: `properties` (matched by
//! name), `additionalProperties` (`.*`), `items` (`[*]`), and `allOf`/`anyOf`/`oneOf` (matched
//! by position when both lists have the same length) and `not`, inside which nothing is pruned or
//! defaulted (`in_junctor`). Anything else that differs is left to `upgrade/unclassified`.

use super::layout::{flag, ptr, str_of, version_name, versions};
use super::schema_node::At;
use crate::lint::{Change, Context, Finding};
use crate::model::crd::Crd;
use crate::source::Span;
use crate::yaml::Node;

/// One revision of a CRD: its document and what `model` read from it.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub root: &'a Node,
    pub crd: &'a Crd,
    /// A kustomize patch of the project sets a conversion webhook for this CRD (kubebuilder's
    /// `config/crd/patches/webhook_in_*.yaml`): its conversion is `Webhook` once deployed.
    pub webhook_patch: bool,
}

impl<'a> Side<'a> {
    pub fn spec(&self) -> Option<&'a Node> {
        self.root.get("spec")
    }

    /// `spec.versions`, empty when there is no list.
    pub fn versions(&self) -> &'a [Node] {
        versions(self.root).unwrap_or_default()
    }

    /// A version by name, with its index in `spec.versions`.
    pub fn version(&self, name: &str) -> Option<(usize, &'a Node)> {
        self.versions()
            .iter()
            .enumerate()
            .find(|(_, v)| version_name(v) == name)
    }

    /// The storage version's name, when exactly one version is the storage version.
    pub fn storage(&self) -> Option<&'a str> {
        let mut storage = self.versions().iter().filter(|v| flag(v, "storage"));
        let v = storage.next()?;
        storage.next().is_none().then(|| version_name(v))
    }

    /// Conversion strategy `None` (the default when `spec.conversion` is absent), unless a
    /// kustomize patch sets a webhook.
    pub fn conversion_none(&self) -> bool {
        !self.webhook_patch
            && self
                .spec()
                .and_then(|s| ptr(s, "conversion"))
                .is_none_or(|c| matches!(str_of(c, "strategy"), "" | "None"))
    }

    /// `status.storedVersions`, when the file carries a status (a CRD read from a cluster).
    pub fn stored_versions(&self) -> Vec<&'a str> {
        self.root
            .get("status")
            .and_then(|s| s.get("storedVersions"))
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::as_str)
            .collect()
    }

    /// The versions objects may be stored at: the storage version and `status.storedVersions`.
    pub fn persisted_versions(&self) -> Vec<&'a str> {
        let mut v: Vec<&str> = self.storage().into_iter().collect();
        for s in self.stored_versions() {
            if !v.contains(&s) {
                v.push(s);
            }
        }
        v
    }

    /// `spec.scope` as the server defaults it.
    pub fn scope(&self) -> &'a str {
        match self.spec().map(|s| str_of(s, "scope")) {
            Some("") | None => "Namespaced",
            Some(s) => s,
        }
    }

    /// The schema of a version, and the path the server validates it at.
    pub fn schema(&self, name: &str) -> Option<(&'a Node, String)> {
        let (i, v) = self.version(name)?;
        let node = ptr(v, "schema").and_then(|s| ptr(s, "openAPIV3Schema"))?;
        let path = match self.crd.version(name) {
            Some(cv) => cv.schema_path.clone(),
            None => format!("spec.versions[{i}].schema.openAPIV3Schema"),
        };
        Some((node, path))
    }
}

/// Two revisions of one CRD (same `metadata.name`).
pub struct Revision<'a> {
    pub old: Side<'a>,
    pub new: Side<'a>,
    pub ctx: &'a Context,
}

/// A version both revisions define.
pub struct VersionPair<'a> {
    pub name: &'a str,
    pub old: &'a Node,
    pub new: &'a Node,
    pub new_index: usize,
}

impl VersionPair<'_> {
    /// Whether [`each_pair`] compares this version's schemas: versions clients use now, and
    /// where objects are or were just stored (the storage version of either revision). A version
    /// that stops being served is upgrade/version-not-served's; the schema of one neither served
    /// nor stored is left to upgrade/unclassified (objects once stored at it are still pruned and
    /// defaulted by it when read).
    pub fn walked(&self) -> bool {
        flag(self.new, "served") || flag(self.new, "storage") || flag(self.old, "storage")
    }
}

impl<'a> Revision<'a> {
    /// The versions both revisions define, in the new order.
    pub fn common_versions(&self) -> Vec<VersionPair<'a>> {
        self.new
            .versions()
            .iter()
            .enumerate()
            .filter_map(|(i, new)| {
                let name = version_name(new);
                let (_, old) = self.old.version(name)?;
                Some(VersionPair {
                    name,
                    old,
                    new,
                    new_index: i,
                })
            })
            .collect()
    }

    /// The named versions of the old revision that the new one no longer lists, with their
    /// names, in the old order.
    pub fn removed_versions(&self) -> impl Iterator<Item = (&'a str, &'a Node)> + '_ {
        self.old.versions().iter().filter_map(|v| {
            let name = version_name(v);
            (!name.is_empty() && self.new.version(name).is_none()).then_some((name, v))
        })
    }

    /// Where findings about the new CRD as a whole point (its `metadata.name`).
    pub fn name_span(&self) -> Span {
        self.new.crd.name_span
    }

    /// Where findings about `spec.versions[i]` of the new CRD point (its name).
    pub fn version_span(&self, i: usize) -> Span {
        self.new
            .versions()
            .get(i)
            .map(super::layout::name_span)
            .unwrap_or_else(|| self.versions_span())
    }

    /// The `versions` key of the new spec (where a removed version is reported).
    pub fn versions_span(&self) -> Span {
        self.new
            .spec()
            .and_then(|s| s.entry("versions"))
            .map(|e| e.key_span)
            .unwrap_or(self.name_span())
    }

    /// The span of `key` in the new spec, or the CRD's name.
    pub fn spec_key_span(&self, key: &str) -> Span {
        self.new
            .spec()
            .and_then(|s| s.entry(key))
            .map(|e| e.key_span)
            .unwrap_or(self.name_span())
    }
}

/// An old and a new schema node that describe the same field of the same versions.
pub struct Pair<'a, 'p> {
    pub old: At<'a, 'p>,
    /// The new node, at its server path (`...openAPIV3Schema.properties[spec]`), anchored at
    /// the key that declares it.
    pub new: At<'a, 'p>,
    /// The versions whose schemas hold these nodes.
    pub versions: &'a [&'a str],
    /// The field of the custom resources the nodes describe: `""` at the root, `spec.ports[*]`
    /// for list items, `spec.labels.*` for map values. Inside a junctor, the field it constrains.
    pub path: String,
    /// Inside `allOf`/`anyOf`/`oneOf`/`not`: value validations only; nothing there prunes or
    /// defaults.
    pub in_junctor: bool,
    /// A resource root or an embedded resource: its `apiVersion`, `kind` and `metadata` are
    /// never pruned.
    pub resource_root: bool,
}

/// `a, b` as one label.
pub fn versions_label(versions: &[&str]) -> String {
    versions.join(", ")
}

impl Pair<'_, '_> {
    /// The field as shown in messages: `spec.color`, or `(root)`.
    pub fn field(&self) -> &str {
        if self.path.is_empty() {
            "(root)"
        } else {
            &self.path
        }
    }

    /// A child field: `path.key` (`key` at the root).
    pub fn child_path(&self, key: &str) -> String {
        crate::wording::field_path::child(&self.path, key)
    }

    /// Where a finding about keyword `key` points: the keyword in the new node, or the node.
    pub fn span(&self, key: &str) -> Span {
        self.new.key_span(key)
    }

    /// A finding `<field> in <versions>: <what>` at keyword `key` of the new node, with the old
    /// and new values of `key`.
    pub fn finding(&self, rule: &'static str, key: &str, what: impl std::fmt::Display) -> Finding {
        let value = |at: &At| at.get(key).map_or(serde_json::Value::Null, Node::to_serde);
        self.finding_with(
            rule,
            key,
            what,
            self.path.clone(),
            value(&self.old),
            value(&self.new),
        )
    }

    /// A finding at keyword `key` about field `path` with the given old and new values.
    pub fn finding_with(
        &self,
        rule: &'static str,
        key: &str,
        what: impl std::fmt::Display,
        path: String,
        old: serde_json::Value,
        new: serde_json::Value,
    ) -> Finding {
        let shown = if path.is_empty() { "(root)" } else { &path };
        Finding::new(
            rule,
            format!("{shown} in {}: {what}", versions_label(self.versions)),
            self.span(key),
        )
        .with_field(self.new.field(key))
        .with_change(Change {
            old,
            new,
            versions: self.versions.iter().map(|v| v.to_string()).collect(),
            path: Some(path),
        })
    }
}

/// The schemas of the versions both revisions define and use, grouped: versions whose old
/// schemas are identical and whose new schemas are identical form one group.
struct Group<'a> {
    versions: Vec<&'a str>,
    old: (&'a Node, String),
    new: (&'a Node, String),
    anchor: Span,
}

fn groups<'a>(rev: &Revision<'a>) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    for v in rev.common_versions() {
        if !v.walked() {
            continue;
        }
        let (Some(old), Some(new)) = (rev.old.schema(v.name), rev.new.schema(v.name)) else {
            continue;
        };
        if let Some(g) = groups
            .iter_mut()
            .find(|g| g.old.0.value.json_eq(&old.0.value) && g.new.0.value.json_eq(&new.0.value))
        {
            g.versions.push(v.name);
            continue;
        }
        let anchor = v
            .new
            .get("schema")
            .and_then(|s| s.entry("openAPIV3Schema"))
            .map(|e| e.key_span)
            .unwrap_or(new.0.span);
        groups.push(Group {
            versions: vec![v.name],
            old,
            new,
            anchor,
        });
    }
    groups
}

/// Visit every pair of old and new schema nodes that differ, parents first.
pub fn each_pair(rev: &Revision, visit: &mut dyn FnMut(&Pair)) {
    for g in groups(rev) {
        let pair = Pair {
            old: At::new(g.old.0, g.old.1.clone(), g.old.0.span),
            new: At::new(g.new.0, g.new.1.clone(), g.anchor),
            versions: &g.versions,
            path: String::new(),
            in_junctor: false,
            resource_root: true,
        };
        walk(&pair, visit);
    }
}

fn walk(pair: &Pair, visit: &mut dyn FnMut(&Pair)) {
    if pair.old.node.value.json_eq(&pair.new.node.value) {
        return;
    }
    visit(pair);
    fn child<'a, 'p>(
        old: At<'a, 'p>,
        new: At<'a, 'p>,
        path: String,
        in_junctor: bool,
    ) -> (At<'a, 'p>, At<'a, 'p>, String, bool, bool) {
        let embedded = new.flag("x-kubernetes-embedded-resource");
        (old, new, path, in_junctor, embedded)
    }
    let mut children = Vec::new();
    for (name, new) in pair.new.properties() {
        if let Some(old) = pair.old.property(name) {
            children.push(child(old, new, pair.child_path(name), pair.in_junctor));
        }
    }
    for key in ["additionalProperties", "items"] {
        if let (Some(old), Some(new)) = (pair.old.child(key), pair.new.child(key)) {
            let path = if key == "items" {
                format!("{}[*]", pair.path)
            } else {
                pair.child_path("*")
            };
            children.push(child(old, new, path, pair.in_junctor));
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        let (old, new) = (pair.old.list(key), pair.new.list(key));
        if old.len() == new.len() {
            for (o, n) in old.into_iter().zip(new) {
                children.push(child(o, n, pair.path.clone(), true));
            }
        }
    }
    if let (Some(old), Some(new)) = (pair.old.child("not"), pair.new.child("not")) {
        children.push(child(old, new, pair.path.clone(), true));
    }
    for (old, new, path, in_junctor, resource_root) in children {
        walk(
            &Pair {
                old,
                new,
                versions: pair.versions,
                path,
                in_junctor,
                resource_root,
            },
            visit,
        );
    }
}

/// Whether the old and new values of keyword `key` differ (absent and `null` are the same).
pub fn differs(pair: &Pair, key: &str) -> bool {
    match (pair.old.get(key), pair.new.get(key)) {
        (None, None) => false,
        (Some(a), Some(b)) => !a.value.json_eq(&b.value),
        _ => true,
    }
}

/// A number keyword as f64.
pub fn number(at: &At, key: &str) -> Option<f64> {
    match at.get(key)?.value {
        crate::yaml::Value::Int(i) => Some(i as f64),
        crate::yaml::Value::Float(f) => Some(f),
        _ => None,
    }
}

/// Whether a rule's expression reads `oldSelf`.
pub fn uses_old_self(rule: &str) -> bool {
    let bytes = rule.as_bytes();
    rule.match_indices("oldSelf").any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(i + "oldSelf".len()).copied();
        let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::crd::read_crd;

    /// Run `f` over two CRD documents given as YAML; the findings' messages.
    pub fn run(old: &str, new: &str, f: fn(&Revision, &mut Vec<Finding>)) -> Vec<String> {
        let o = crate::yaml::parse_stream(old).remove(0).root.unwrap();
        let n = crate::yaml::parse_stream(new).remove(0).root.unwrap();
        let (oc, nc) = (
            read_crd(&o, "old.yaml", 0).unwrap(),
            read_crd(&n, "new.yaml", 0).unwrap(),
        );
        let ctx = Context::default();
        let rev = Revision {
            old: Side {
                root: &o,
                crd: &oc,
                webhook_patch: false,
            },
            new: Side {
                root: &n,
                crd: &nc,
                webhook_patch: false,
            },
            ctx: &ctx,
        };
        let mut out = Vec::new();
        f(&rev, &mut out);
        out.into_iter().map(|f| f.message).collect()
    }

    /// A one-version CRD with the given `openAPIV3Schema` (flow YAML).
    pub fn crd(schema: &str) -> String {
        format!(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {{name: widgets.demo.example.com}}\nspec:\n  group: demo.example.com\n  scope: Namespaced\n  names: {{kind: Widget, plural: widgets}}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema: {schema}\n"
        )
    }

    #[test]
    fn pairs_are_visited_where_the_schemas_differ() {
        fn paths(rev: &Revision, out: &mut Vec<Finding>) {
            each_pair(rev, &mut |p| {
                out.push(Finding::new(
                    "t",
                    format!("{} {} {}", p.field(), p.new.path(), p.in_junctor),
                    p.new.anchor,
                ))
            });
        }
        let old = crd(
            "{type: object, properties: {spec: {type: object, properties: {a: {type: string}, l: {type: array, items: {type: string}}, same: {type: integer}}, anyOf: [{required: [a]}]}}}",
        );
        let new = crd(
            "{type: object, properties: {spec: {type: object, properties: {a: {type: string, maxLength: 3}, l: {type: array, items: {type: string, enum: [x]}}, same: {type: integer}}, anyOf: [{required: [l]}]}}}",
        );
        assert_eq!(
            run(&old, &new, paths),
            vec![
                "(root) spec.validation.openAPIV3Schema false",
                "spec spec.validation.openAPIV3Schema.properties[spec] false",
                "spec.a spec.validation.openAPIV3Schema.properties[spec].properties[a] false",
                "spec.l spec.validation.openAPIV3Schema.properties[spec].properties[l] false",
                "spec.l[*] spec.validation.openAPIV3Schema.properties[spec].properties[l].items false",
                "spec spec.validation.openAPIV3Schema.properties[spec].anyOf[0] true",
            ]
        );
        // Identical revisions: nothing visited.
        assert!(run(&old, &old, paths).is_empty());
    }

    #[test]
    fn a_version_neither_served_nor_stored_is_not_walked_and_its_schema_change_is_unclassified() {
        fn paths(rev: &Revision, out: &mut Vec<Finding>) {
            each_pair(rev, &mut |p| {
                out.push(Finding::new("t", p.field(), p.new.anchor))
            });
        }
        let two = |old_schema: &str| {
            crd("{type: object, properties: {spec: {type: object}}}").replace(
                "  versions:\n",
                &format!("  versions:\n    - name: v1beta1\n      served: false\n      storage: false\n      schema:\n        openAPIV3Schema: {old_schema}\n"),
            )
        };
        let old = two(
            "{type: object, properties: {spec: {type: object, x-kubernetes-preserve-unknown-fields: true}}}",
        );
        let new = two("{type: object, properties: {spec: {type: object}}}");
        assert!(run(&old, &new, paths).is_empty());
        let found = run(&old, &new, crate::lint::upgrade::unclassified::check);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("spec.versions[0].schema: the schema of v1beta1 changed"),
            "{found:?}"
        );
        assert!(run(&old, &old, crate::lint::upgrade::unclassified::check).is_empty());
        // Served, it is walked and classified instead.
        let served = |s: &str| s.replace("served: false", "served: true");
        assert!(!run(&served(&old), &served(&new), paths).is_empty());
        assert!(
            run(
                &served(&old),
                &served(&new),
                crate::lint::upgrade::unclassified::check
            )
            .is_empty()
        );
    }

    #[test]
    fn old_self_is_found_as_a_name() {
        assert!(uses_old_self("self == oldSelf"));
        assert!(uses_old_self("!has(oldSelf.x)"));
        assert!(!uses_old_self("self.oldSelfie == 1"));
        assert!(!uses_old_self("self.x"));
    }
}
