//! Not a rule: what the CRD rules share about how the API server holds a v1 CRD.
//!
//! The server validates the internal form of a CRD, not the v1 form. Converting v1 to internal
//! moves `schema`, `subresources`, `additionalPrinterColumns` and `selectableFields` from the
//! versions up to the spec when every version has the same value (and clears them on the
//! versions), so an error in them is reported once, at `spec.validation`, `spec.subresources`,
//! `spec.additionalPrinterColumns` or `spec.selectableFields`, and otherwise per version at
//! `spec.versions[i]...`. "The same" is Go's semantic deep equality of the decoded structs: an
//! absent list equals an empty one, an absent number equals 0.
//! Followed: apiextensions-apiserver `pkg/apis/apiextensions/v1/conversion.go`
//! (Convert_v1_CustomResourceDefinitionSpec_To_apiextensions_CustomResourceDefinitionSpec).
//!
//! Also here: small readers of schema nodes (the rules below need a few keywords of the raw
//! `openAPIV3Schema` tree, not the compiled [`crate::model::schema::Schema`]).

use crate::source::Span;
use crate::yaml::Node;

/// A string field as Go decodes it into a `string`: absent, null or not a string reads as "".
/// `spec.versions` as a list, when it is one.
pub fn versions(root: &Node) -> Option<&[Node]> {
    root.get("spec")?.get("versions")?.as_seq()
}

pub fn str_of<'a>(n: &'a Node, key: &str) -> &'a str {
    n.get(key).and_then(Node::as_str).unwrap_or_default()
}

/// A field that Go decodes into a pointer: absent and `null` are both nil.
pub fn ptr<'a>(n: &'a Node, key: &str) -> Option<&'a Node> {
    n.get(key).filter(|v| !v.is_null())
}

/// The `spec.versions` of a CRD, with what the v1 -> internal conversion lifts to the spec.
pub struct Layout<'a> {
    pub versions: &'a [Node],
    /// Whether every version has the same `schema` (possibly none at all): computed on first
    /// use (it compares whole schemas, and most rules that lay a CRD out never ask).
    schema_shared: std::cell::OnceCell<bool>,
    pub subresources_shared: bool,
    pub columns_shared: bool,
    pub selectable_shared: bool,
}

type Scale = (String, String, Option<String>);
type Subresources = (bool, Option<Scale>);
/// name, type, format, description, priority, jsonPath.
pub type Column = (String, String, String, String, i64, String);

fn subresources(v: &Node) -> Option<Subresources> {
    let s = ptr(v, "subresources")?;
    let scale = ptr(s, "scale").map(|sc| {
        (
            str_of(sc, "specReplicasPath").to_string(),
            str_of(sc, "statusReplicasPath").to_string(),
            ptr(sc, "labelSelectorPath")
                .and_then(Node::as_str)
                .map(str::to_string),
        )
    });
    Some((ptr(s, "status").is_some(), scale))
}

/// A version's `additionalPrinterColumns` as Go compares them.
pub fn columns(v: &Node) -> Vec<Column> {
    ptr(v, "additionalPrinterColumns")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .map(|c| {
            (
                str_of(c, "name").to_string(),
                str_of(c, "type").to_string(),
                str_of(c, "format").to_string(),
                str_of(c, "description").to_string(),
                c.get("priority").and_then(Node::as_i64).unwrap_or(0),
                str_of(c, "jsonPath").to_string(),
            )
        })
        .collect()
}

fn selectable(v: &Node) -> Vec<String> {
    ptr(v, "selectableFields")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .map(|f| str_of(f, "jsonPath").to_string())
        .collect()
}

/// A version's `openAPIV3Schema`, when it has one.
pub fn schema_of(v: &Node) -> Option<&Node> {
    ptr(v, "schema").and_then(|s| ptr(s, "openAPIV3Schema"))
}

fn same_schema(a: &Node, b: &Node) -> bool {
    match (ptr(a, "schema"), ptr(b, "schema")) {
        (None, None) => true,
        (Some(x), Some(y)) => x.value.json_eq(&y.value),
        _ => false,
    }
}

fn all_same<T: PartialEq>(versions: &[Node], f: impl Fn(&Node) -> T) -> bool {
    let Some(first) = versions.first().map(&f) else {
        return false;
    };
    versions.iter().all(|v| f(v) == first)
}

impl<'a> Layout<'a> {
    pub fn of(root: &'a Node) -> Option<Layout<'a>> {
        let versions = versions(root)?;
        if versions.is_empty() {
            return None;
        }
        Some(Layout {
            versions,
            schema_shared: std::cell::OnceCell::new(),
            subresources_shared: all_same(versions, subresources),
            columns_shared: all_same(versions, columns),
            selectable_shared: all_same(versions, selectable),
        })
    }

    /// Whether the server sees a top-level `spec.validation` schema.
    pub fn has_spec_validation(&self) -> bool {
        self.schema_shared() && schema_of(&self.versions[0]).is_some()
    }

    /// Whether every version has the same schema (the server then holds it once).
    pub fn schema_shared(&self) -> bool {
        *self.schema_shared.get_or_init(|| {
            let versions = self.versions;
            versions.iter().all(|v| same_schema(&versions[0], v))
        })
    }

    /// The path under which the server validates version `i`'s field: `spec` when the field was
    /// lifted to the spec, `spec.versions[i]` otherwise.
    pub fn prefix(shared: bool, i: usize) -> String {
        if shared {
            "spec".to_string()
        } else {
            format!("spec.versions[{i}]")
        }
    }

    /// The versions whose field the server validates: only the first one when it was lifted.
    pub fn validated(&self, shared: bool) -> impl Iterator<Item = (usize, &'a Node)> {
        let n = if shared { 1 } else { self.versions.len() };
        self.versions.iter().enumerate().take(n)
    }

    /// Every printer column the server validates, with its path
    /// (`spec.additionalPrinterColumns[j]` when the versions share them).
    pub fn printer_columns(&self) -> Vec<(String, &'a Node)> {
        let shared = self.columns_shared;
        self.validated(shared)
            .flat_map(|(i, v)| {
                let columns = ptr(v, "additionalPrinterColumns")
                    .and_then(Node::as_seq)
                    .unwrap_or_default();
                columns.iter().enumerate().map(move |(j, c)| {
                    (
                        format!("{}.additionalPrinterColumns[{j}]", Self::prefix(shared, i)),
                        c,
                    )
                })
            })
            .collect()
    }

    /// Whether the status subresource is on for version `i` (`hasStatusEnabled` of
    /// `getSubresourcesForVersion`), or for any version when `i` is `None` (`hasAnyStatusEnabled`).
    pub fn status_enabled(&self, i: Option<usize>) -> bool {
        let on = |v: &Node| subresources(v).is_some_and(|(status, _)| status);
        match i {
            Some(i) => self.versions.get(i).is_some_and(on),
            None => self.versions.iter().any(on),
        }
    }
}

/// The span of a version's name, or of the version when it has none.
pub fn name_span(v: &Node) -> Span {
    v.get("name").map(|n| n.span).unwrap_or(v.span)
}

/// A version's name ("" when it has none).
pub fn version_name(v: &Node) -> &str {
    str_of(v, "name")
}

/// Whether a flag of a version is `true`.
pub fn flag(v: &Node, key: &str) -> bool {
    v.get(key).and_then(Node::as_bool) == Some(true)
}

/// The storage version, when exactly one version is marked `storage: true` and it has a name
/// (`crd/storage-version` reports the other cases): its index, node and name.
pub fn storage_version(versions: &[Node]) -> Option<(usize, &Node, &str)> {
    let mut storage = versions
        .iter()
        .enumerate()
        .filter(|(_, v)| flag(v, "storage"));
    let (i, v) = storage.next()?;
    if storage.next().is_some() {
        return None;
    }
    let name = v.get("name").and_then(Node::as_str)?;
    Some((i, v, name))
}

// ---------------------------------------------------------------------------
// Schema nodes
// ---------------------------------------------------------------------------

/// `x-kubernetes-preserve-unknown-fields: true` on a schema node.
pub fn preserves_unknown(s: &Node) -> bool {
    flag(s, "x-kubernetes-preserve-unknown-fields")
}

/// The `properties` of a schema node.
pub fn properties(s: &Node) -> &[crate::yaml::Entry] {
    s.get("properties")
        .and_then(Node::as_map)
        .unwrap_or_default()
}

/// The `additionalProperties` schema of a schema node (not the boolean form).
pub fn additional_properties(s: &Node) -> Option<&Node> {
    s.get("additionalProperties")
        .filter(|a| a.as_map().is_some())
}

/// Whether `pred` holds for a schema node or any schema below it (upstream `SchemaHas`).
pub fn schema_has(s: &Node, pred: &dyn Fn(&Node) -> bool) -> bool {
    if s.as_map().is_none() {
        return false;
    }
    if pred(s) {
        return true;
    }
    let one = |k: &str| s.get(k).is_some_and(|c| schema_has(c, pred));
    let list = |k: &str| {
        s.get(k)
            .and_then(Node::as_seq)
            .is_some_and(|l| l.iter().any(|c| schema_has(c, pred)))
    };
    let map = |k: &str| {
        s.get(k)
            .and_then(Node::as_map)
            .is_some_and(|m| m.iter().any(|e| schema_has(&e.value, pred)))
    };
    one("items")
        || list("items")
        || list("allOf")
        || list("anyOf")
        || list("oneOf")
        || one("not")
        || map("properties")
        || one("additionalProperties")
        || map("patternProperties")
        || one("additionalItems")
        || map("definitions")
        || map("dependencies")
}
