//! A CRD version's `openAPIV3Schema`, compiled once into the structural form validation walks:
//! resolved types, compiled patterns, enum values, list-map keys, defaults.

use super::regex::compile_go_regex;
use crate::source::Span;
use crate::yaml::{CompactString, Node, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListType {
    Atomic,
    Set,
    Map,
}

#[derive(Debug, Clone)]
pub enum AdditionalProperties {
    Allowed(bool),
    Schema(Box<Schema>),
}

#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    pub regex: regex::Regex,
}

/// An object schema's properties, sorted by name (the order of a map keyed by name). A sorted
/// vector rather than a B-tree: most objects have a few properties, and a B-tree's first leaf
/// already makes room for eleven schemas of several hundred bytes each, most of a compiled
/// CRD's memory and of the time compiling it takes.
#[derive(Debug, Clone, Default)]
pub struct Properties(Vec<(CompactString, Schema)>);

impl Properties {
    /// Where `key` is. Validation looks up every key of every object: a scan that compares
    /// lengths first beats a binary search's string comparisons on the usual handful of names.
    fn find(&self, key: &str) -> Option<usize> {
        if self.0.len() > 24 {
            return self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok();
        }
        let bytes = key.as_bytes();
        self.0
            .iter()
            .position(|(k, _)| k.len() == bytes.len() && k.as_bytes() == bytes)
    }

    pub fn get(&self, key: &str) -> Option<&Schema> {
        self.find(key).map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// By name, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&CompactString, &Schema)> {
        self.into_iter()
    }

    pub fn values(&self) -> impl Iterator<Item = &Schema> {
        self.0.iter().map(|(_, s)| s)
    }
}

/// `properties["name"]`: the schema of a property that must be there (panics otherwise).
impl std::ops::Index<&str> for Properties {
    type Output = Schema;

    fn index(&self, key: &str) -> &Schema {
        self.get(key)
            .unwrap_or_else(|| panic!("no property {key:?} in the schema"))
    }
}

impl<'a> IntoIterator for &'a Properties {
    type Item = (&'a CompactString, &'a Schema);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (CompactString, Schema)>,
        fn(&'a (CompactString, Schema)) -> (&'a CompactString, &'a Schema),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, s)| (k, s))
    }
}

/// A later schema for the same name replaces an earlier one, as in a map.
impl FromIterator<(CompactString, Schema)> for Properties {
    fn from_iter<I: IntoIterator<Item = (CompactString, Schema)>>(iter: I) -> Self {
        let mut v: Vec<(CompactString, Schema)> = iter.into_iter().collect();
        // Most schemas are written sorted (generators sort them) and without a name twice:
        // kept as they are, each schema moved once (they are large, and copying them again was
        // a fifth of compiling).
        if v.windows(2).all(|w| w[0].0 < w[1].0) {
            return Properties(v);
        }
        // Stable: of equal names, the last one given is the last one kept in the run.
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(CompactString, Schema)> = Vec::with_capacity(v.len());
        for (k, s) in v {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = s,
                _ => out.push((k, s)),
            }
        }
        Properties(out)
    }
}

/// What a compiled schema keeps of each `description`.
#[derive(Clone, Copy)]
enum Descriptions {
    Kept,
    Presence,
}

#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// `type`, empty when absent.
    pub type_: String,
    pub format: String,
    /// `description`; empty for a schema compiled without their text
    /// ([`Schema::compile_without_descriptions`]).
    pub description: Option<String>,
    pub nullable: bool,
    pub properties: Properties,
    pub additional_properties: Option<AdditionalProperties>,
    pub items: Option<Box<Schema>>,
    pub required: Vec<String>,
    pub enum_: Option<Vec<Value>>,
    pub pattern: Option<Box<Pattern>>,
    /// The bounds (`minLength` ... `multipleOf`), boxed: most nodes have none, and a compiled
    /// schema's size is most of a compiled CRD's memory and of the time compiling it takes.
    limits: Option<Box<Limits>>,
    /// `allOf`, `anyOf` and `oneOf`, boxed as the bounds are (most nodes have none).
    junctors: Option<Box<Junctors>>,
    pub not: Option<Box<Schema>>,
    pub default: Option<Box<Node>>,
    pub preserve_unknown_fields: bool,
    pub int_or_string: bool,
    pub embedded_resource: bool,
    pub list_type: Option<ListType>,
    pub list_map_keys: Vec<String>,
    /// `x-kubernetes-validations`, kept for the CEL stage.
    pub validations: Option<Box<Node>>,
    /// The schema node in the CRD file.
    pub span: Span,
    /// What this node and the nodes below it hold, so that a walk looking for one thing can
    /// skip the subtrees without it. Set by [`Schema::compile`]; the default says "unknown".
    pub below: Below,
}

#[derive(Debug, Clone, Default)]
struct Junctors {
    all_of: Vec<Schema>,
    any_of: Vec<Schema>,
    one_of: Vec<Schema>,
}

/// A schema node's bounds: `minLength`, `maxLength`, `minItems`, `maxItems`, `minProperties`,
/// `maxProperties`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`.
#[derive(Debug, Clone, Default)]
pub struct Limits {
    pub min_length: Option<i64>,
    pub max_length: Option<i64>,
    pub min_items: Option<i64>,
    pub max_items: Option<i64>,
    pub min_properties: Option<i64>,
    pub max_properties: Option<i64>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
}

static NO_LIMITS: Limits = Limits {
    min_length: None,
    max_length: None,
    min_items: None,
    max_items: None,
    min_properties: None,
    max_properties: None,
    minimum: None,
    maximum: None,
    exclusive_minimum: false,
    exclusive_maximum: false,
    multiple_of: None,
};

/// A summary of a schema subtree (the node itself, its properties, additionalProperties,
/// items, allOf, anyOf, oneOf and not).
#[derive(Debug, Clone, Copy, Default)]
pub struct Below {
    /// Whether the summary was computed: when not, every question answers "maybe".
    known: bool,
    embedded_resource: bool,
    list_set_or_map: bool,
    validations: bool,
    defaults: bool,
}

impl Below {
    /// Whether an `x-kubernetes-embedded-resource: true` node may be in the subtree.
    pub fn may_embed(&self) -> bool {
        !self.known || self.embedded_resource
    }

    /// Whether an `x-kubernetes-list-type` of `set` or `map` may be in the subtree.
    pub fn may_have_set_or_map(&self) -> bool {
        !self.known || self.list_set_or_map
    }

    /// Whether an `x-kubernetes-validations` list may be in the subtree.
    pub fn may_have_validations(&self) -> bool {
        !self.known || self.validations
    }

    /// Whether a `default` may be below the node (the node's own not counted: defaulting an
    /// object uses its properties' defaults, and theirs below).
    pub fn may_have_defaults(&self) -> bool {
        !self.known || self.defaults
    }

    fn of(s: &Schema) -> Below {
        let mut b = Below {
            known: true,
            embedded_resource: s.embedded_resource,
            list_set_or_map: matches!(s.list_type, Some(ListType::Set | ListType::Map)),
            validations: s.validations.is_some(),
            defaults: false,
        };
        let additional = match &s.additional_properties {
            Some(AdditionalProperties::Schema(a)) => Some(a.as_ref()),
            _ => None,
        };
        let children = (s.properties.values())
            .chain(additional)
            .chain(s.items.as_deref())
            .chain(s.all_of())
            .chain(s.any_of())
            .chain(s.one_of())
            .chain(s.not.as_deref());
        for c in children {
            b.embedded_resource |= c.below.may_embed();
            b.list_set_or_map |= c.below.may_have_set_or_map();
            b.validations |= c.below.may_have_validations();
            b.defaults |= c.default.is_some() || c.below.may_have_defaults();
        }
        b
    }
}

/// What a schema holds that cannot be compiled: the API server refuses such a CRD. Compiling
/// records it; lint words it (`crd/schema-type`, `crd/invalid-pattern`).
#[derive(Debug, Clone, PartialEq)]
pub enum CompileErrorKind {
    /// A `type` that is none of the six OpenAPI types.
    UnknownType,
    /// A `pattern` that is not a valid regular expression, with the parser's complaint.
    BadPattern(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompileError {
    pub kind: CompileErrorKind,
    /// The keyword's path as the server prints it (`...properties[a].pattern`).
    pub path: String,
    /// The keyword's value as written.
    pub value: String,
    pub span: Span,
}

fn number(n: &Node) -> Option<f64> {
    match n.value {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        _ => None,
    }
}

/// Where a schema node sits in the CRD, printed only for a problem (most nodes have none, so
/// no path string is built for them).
enum SchemaPath<'a> {
    Root(&'a str),
    /// `parent.key`
    Key(&'a SchemaPath<'a>, &'a str),
    /// `parent.properties[name]`
    Property(&'a SchemaPath<'a>, &'a str),
    /// `parent.key[i]` (`allOf[0]`)
    Indexed(&'a SchemaPath<'a>, &'a str, usize),
}

impl std::fmt::Display for SchemaPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SchemaPath::Root(p) => f.write_str(p),
            SchemaPath::Key(parent, k) => write!(f, "{parent}.{k}"),
            SchemaPath::Property(parent, name) => write!(f, "{parent}.properties[{name}]"),
            SchemaPath::Indexed(parent, k, i) => write!(f, "{parent}.{k}[{i}]"),
        }
    }
}

impl Schema {
    /// The node's bounds (all absent when it has none).
    pub fn limits(&self) -> &Limits {
        self.limits.as_deref().unwrap_or(&NO_LIMITS)
    }

    fn limits_mut(&mut self) -> &mut Limits {
        self.limits.get_or_insert_default()
    }

    /// `allOf`'s schemas (none when absent).
    pub fn all_of(&self) -> &[Schema] {
        self.junctors.as_ref().map_or(&[], |j| &j.all_of)
    }

    /// `anyOf`'s schemas (none when absent).
    pub fn any_of(&self) -> &[Schema] {
        self.junctors.as_ref().map_or(&[], |j| &j.any_of)
    }

    /// `oneOf`'s schemas (none when absent).
    pub fn one_of(&self) -> &[Schema] {
        self.junctors.as_ref().map_or(&[], |j| &j.one_of)
    }

    /// Compile a schema node. `path` is the schema's own path in the CRD
    /// (`spec.versions[0].schema.openAPIV3Schema`) for problems found on the way.
    pub fn compile(node: &Node, path: &str, problems: &mut Vec<CompileError>) -> Schema {
        Schema::compile_at(node, &SchemaPath::Root(path), problems, Descriptions::Kept)
    }

    /// [`Schema::compile`] for lint only: a `description` is kept as present (`Some("")`),
    /// without its text, which no lint rule reads. Descriptions are most of a generated CRD's
    /// text: copying them was 3% of linting the corpus CRDs.
    pub fn compile_without_descriptions(
        node: &Node,
        path: &str,
        problems: &mut Vec<CompileError>,
    ) -> Schema {
        Schema::compile_at(
            node,
            &SchemaPath::Root(path),
            problems,
            Descriptions::Presence,
        )
    }

    fn compile_at(
        node: &Node,
        path: &SchemaPath,
        problems: &mut Vec<CompileError>,
        descriptions: Descriptions,
    ) -> Schema {
        let mut s = Schema {
            span: node.span,
            ..Schema::default()
        };
        let Some(entries) = node.as_map() else {
            return s;
        };
        for e in entries {
            let v = &e.value;
            let child = |k: &'static str| SchemaPath::Key(path, k).to_string();
            match e.key.as_str() {
                "type" => {
                    s.type_ = v.as_str().unwrap_or_default().to_string();
                    const TYPES: [&str; 6] =
                        ["array", "boolean", "integer", "number", "object", "string"];
                    if !s.type_.is_empty() && !TYPES.contains(&s.type_.as_str()) {
                        problems.push(CompileError {
                            kind: CompileErrorKind::UnknownType,
                            path: child("type"),
                            value: s.type_.clone(),
                            span: v.span,
                        });
                    }
                }
                "format" => s.format = v.as_str().unwrap_or_default().to_string(),
                "description" => {
                    s.description = v.as_str().map(|d| match descriptions {
                        Descriptions::Kept => d.to_string(),
                        Descriptions::Presence => String::new(),
                    })
                }
                "nullable" => s.nullable = v.as_bool().unwrap_or(false),
                "properties" => {
                    s.properties = (v.as_map().unwrap_or_default().iter())
                        .map(|p| {
                            let pp = SchemaPath::Property(path, &p.key);
                            (
                                p.key.clone(),
                                Schema::compile_at(&p.value, &pp, problems, descriptions),
                            )
                        })
                        .collect();
                }
                "additionalProperties" => {
                    s.additional_properties = Some(match &v.value {
                        Value::Bool(b) => AdditionalProperties::Allowed(*b),
                        _ => AdditionalProperties::Schema(Box::new(Schema::compile_at(
                            v,
                            &SchemaPath::Key(path, "additionalProperties"),
                            problems,
                            descriptions,
                        ))),
                    })
                }
                "items" if v.as_map().is_some() => {
                    let at = SchemaPath::Key(path, "items");
                    s.items = Some(Box::new(Schema::compile_at(v, &at, problems, descriptions)));
                }
                "required" => {
                    s.required = v
                        .as_seq()
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|n| n.as_str().map(str::to_string))
                        .collect()
                }
                "enum" => {
                    s.enum_ = Some(
                        v.as_seq()
                            .unwrap_or_default()
                            .iter()
                            .map(|n| n.value.clone())
                            .collect(),
                    )
                }
                "pattern" => {
                    if let Some(p) = v.as_str() {
                        match compile_go_regex(p) {
                            Ok(regex) => {
                                s.pattern = Some(Box::new(Pattern {
                                    source: p.to_string(),
                                    regex,
                                }))
                            }
                            Err(err) => problems.push(CompileError {
                                kind: CompileErrorKind::BadPattern(err),
                                path: child("pattern"),
                                value: p.to_string(),
                                span: v.span,
                            }),
                        }
                    }
                }
                "minLength" => s.limits_mut().min_length = v.as_i64(),
                "maxLength" => s.limits_mut().max_length = v.as_i64(),
                "minItems" => s.limits_mut().min_items = v.as_i64(),
                "maxItems" => s.limits_mut().max_items = v.as_i64(),
                "minProperties" => s.limits_mut().min_properties = v.as_i64(),
                "maxProperties" => s.limits_mut().max_properties = v.as_i64(),
                "minimum" => s.limits_mut().minimum = number(v),
                "maximum" => s.limits_mut().maximum = number(v),
                "exclusiveMinimum" => {
                    s.limits_mut().exclusive_minimum = v.as_bool().unwrap_or(false)
                }
                "exclusiveMaximum" => {
                    s.limits_mut().exclusive_maximum = v.as_bool().unwrap_or(false)
                }
                "multipleOf" => s.limits_mut().multiple_of = number(v),
                "allOf" | "anyOf" | "oneOf" => {
                    let list: Vec<Schema> = v
                        .as_seq()
                        .unwrap_or_default()
                        .iter()
                        .enumerate()
                        .map(|(i, n)| {
                            Schema::compile_at(
                                n,
                                &SchemaPath::Indexed(path, &e.key, i),
                                problems,
                                descriptions,
                            )
                        })
                        .collect();
                    let junctors = s.junctors.get_or_insert_default();
                    match e.key.as_str() {
                        "allOf" => junctors.all_of = list,
                        "anyOf" => junctors.any_of = list,
                        _ => junctors.one_of = list,
                    }
                }
                "not" => {
                    let at = SchemaPath::Key(path, "not");
                    s.not = Some(Box::new(Schema::compile_at(v, &at, problems, descriptions)));
                }
                "default" => s.default = Some(Box::new(v.clone())),
                "x-kubernetes-preserve-unknown-fields" => {
                    s.preserve_unknown_fields = v.as_bool().unwrap_or(false)
                }
                "x-kubernetes-int-or-string" => s.int_or_string = v.as_bool().unwrap_or(false),
                "x-kubernetes-embedded-resource" => {
                    s.embedded_resource = v.as_bool().unwrap_or(false)
                }
                "x-kubernetes-list-type" => {
                    s.list_type = match v.as_str() {
                        Some("set") => Some(ListType::Set),
                        Some("map") => Some(ListType::Map),
                        Some("atomic") => Some(ListType::Atomic),
                        _ => None,
                    }
                }
                "x-kubernetes-list-map-keys" => {
                    s.list_map_keys = v
                        .as_seq()
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|n| n.as_str().map(str::to_string))
                        .collect()
                }
                "x-kubernetes-validations" => s.validations = Some(Box::new(v.clone())),
                _ => {}
            }
        }
        s.below = Below::of(&s);
        s
    }

    /// The schema that applies to the value under `key` of an object, if any.
    pub fn property_schema(&self, key: &str) -> Option<&Schema> {
        self.properties
            .get(key)
            .or(match &self.additional_properties {
                Some(AdditionalProperties::Schema(s)) => Some(s),
                _ => None,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::{Properties, Schema};
    use crate::source::Span;

    /// Properties are by name, in order, and a later schema for a name replaces an earlier one,
    /// whether the names come sorted or not.
    #[test]
    fn properties_are_sorted_by_name_and_the_last_of_a_name_wins() {
        let at = |n: usize| Schema {
            span: Span::new(n, n),
            ..Schema::default()
        };
        let of = |names: &[&str]| -> Vec<(String, usize)> {
            let p: Properties = (names.iter().enumerate())
                .map(|(i, n)| ((*n).into(), at(i)))
                .collect();
            p.iter()
                .map(|(k, s)| (k.to_string(), s.span.start))
                .collect()
        };
        let pairs = |v: &[(&str, usize)]| -> Vec<(String, usize)> {
            v.iter().map(|(k, i)| (k.to_string(), *i)).collect()
        };
        assert_eq!(of(&["a", "b", "c"]), pairs(&[("a", 0), ("b", 1), ("c", 2)]));
        assert_eq!(of(&["c", "a", "b"]), pairs(&[("a", 1), ("b", 2), ("c", 0)]));
        assert_eq!(of(&["a", "b", "b"]), pairs(&[("a", 0), ("b", 2)]));
        assert_eq!(of(&["b", "a", "b"]), pairs(&[("a", 1), ("b", 2)]));
        assert_eq!(of(&["a", "a"]), pairs(&[("a", 1)]));
        assert_eq!(of(&[]), pairs(&[]));
        // Past 24 names, found by binary search: every one, sorted or not.
        let many: Vec<String> = (0..40).rev().map(|i| format!("p{i:02}")).collect();
        let p: Properties = (many.iter().enumerate())
            .map(|(i, n)| (n.as_str().into(), at(i)))
            .collect();
        for (i, n) in many.iter().enumerate() {
            assert_eq!(p.get(n).map(|s| s.span.start), Some(i), "{n}");
        }
        assert!(p.get("p40").is_none());
    }
}
