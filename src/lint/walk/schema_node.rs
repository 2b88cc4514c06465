//! The install-time schema rules read a CRD schema as written (the YAML node), not the compiled
//! `Schema`, which drops what they look at (unknown keys, forbidden keywords, what junctors hold).
//! This module holds what they share: a visited node with its server-side path, how a keyword
//! counts as set, field-error constructors, and the four traversals upstream uses:
//! - [`structural`]: `validateStructuralInvariants` (items, properties, additionalProperties
//!   schemas) in apiextensions-apiserver `pkg/apiserver/schema/validation.go`;
//! - [`openapi`]: `ValidateCustomResourceDefinitionOpenAPISchema` in
//!   `pkg/apis/apiextensions/validation/validation.go` (also junctors, definitions, items lists,
//!   dependencies), with its "inside resource meta" and "defaults forbidden" state;
//! - [`defaults`]: `validate` in `pkg/apiserver/schema/defaulting/validation.go` (items and
//!   properties only, tracking embedded resources and their metadata);
//! - [`every`]: `SchemaHas` (every schema node, whatever the keyword that holds it).

use crate::lint::Finding;
use crate::source::Span;
use crate::wording::{BadValue, ErrorType, FieldError};
use crate::yaml::{Entry, Node, Value};

/// A schema node being visited: the node, its path as the API server prints it
/// (`spec.validation.openAPIV3Schema.properties[spec].items`) and where a finding about the node
/// itself points (the key that declares it). The path is built only when asked for
/// ([`At::path`]): a walk visits every node and most are found fine.
#[derive(Clone, Debug)]
pub struct At<'a, 'p> {
    pub node: &'a Node,
    path: AtPath<'a, 'p>,
    pub anchor: Span,
}

/// A node's path: given whole, or its parent's and one more step.
#[derive(Clone, Debug)]
enum AtPath<'a, 'p> {
    Given(String),
    Child(&'p AtPath<'a, 'p>, Step<'a>),
}

#[derive(Clone, Copy, Debug)]
enum Step<'a> {
    /// `.key`
    Key(&'a str),
    /// `.properties[name]`
    Property(&'a str),
    /// `.key[i]`
    Index(&'a str, usize),
    /// `.key[name]`
    Named(&'a str, &'a str),
}

impl AtPath<'_, '_> {
    fn write(&self, out: &mut String) {
        use std::fmt::Write as _;
        match self {
            AtPath::Given(p) => out.push_str(p),
            AtPath::Child(parent, step) => {
                parent.write(out);
                let _ = match step {
                    Step::Key(k) => write!(out, ".{k}"),
                    Step::Property(name) => write!(out, ".properties[{name}]"),
                    Step::Index(k, i) => write!(out, ".{k}[{i}]"),
                    Step::Named(k, name) => write!(out, ".{k}[{name}]"),
                };
            }
        }
    }
}

/// Where a finding about a whole node points: the key it is declared under, else its first key.
fn first_key_span(n: &Node) -> Span {
    n.as_map()
        .and_then(|m| m.first())
        .map(|e| e.key_span)
        .unwrap_or(n.span)
}

impl<'a, 'p> At<'a, 'p> {
    pub fn new(node: &'a Node, path: impl Into<String>, anchor: Span) -> Self {
        At {
            node,
            path: AtPath::Given(path.into()),
            anchor,
        }
    }

    fn below<'q>(&'q self, node: &'a Node, step: Step<'a>, anchor: Span) -> At<'a, 'q> {
        At {
            node,
            path: AtPath::Child(&self.path, step),
            anchor,
        }
    }

    /// The node's path as the server prints it.
    pub fn path(&self) -> String {
        let mut out = String::new();
        self.path.write(&mut out);
        out
    }

    /// Whether this is the node the walk started from.
    pub fn is_start(&self) -> bool {
        matches!(self.path, AtPath::Given(_))
    }

    /// The value under `key`, unless absent or `null` (a Go pointer or slice left nil).
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key).filter(|n| !n.is_null())
    }

    /// A string keyword, `""` when absent.
    pub fn str(&self, key: &str) -> &'a str {
        self.get(key).and_then(Node::as_str).unwrap_or_default()
    }

    pub fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(Node::as_bool) == Some(true)
    }

    pub fn ty(&self) -> &'a str {
        self.str("type")
    }

    /// `<path>.<key>`.
    pub fn field(&self, key: &str) -> String {
        let mut out = self.path();
        out.push('.');
        out.push_str(key);
        out
    }

    /// The span of `key` in this node, or the node's anchor when the key is absent.
    pub fn key_span(&self, key: &str) -> Span {
        self.node
            .entry(key)
            .map(|e| e.key_span)
            .unwrap_or(self.anchor)
    }

    /// The span of the value under `key`, or the node's anchor when the key is absent.
    pub fn value_span(&self, key: &str) -> Span {
        self.node.get(key).map(|n| n.span).unwrap_or(self.anchor)
    }

    /// The schemas under `properties`, in file order.
    pub fn properties(&self) -> impl Iterator<Item = (&'a str, At<'a, '_>)> {
        self.properties_in(self.node.entry("properties"))
    }

    /// [`At::properties`] of the `properties` entry `e` of this node.
    pub fn properties_in(
        &self,
        e: Option<&'a Entry>,
    ) -> impl Iterator<Item = (&'a str, At<'a, '_>)> {
        (e.map(|e| &e.value).and_then(Node::as_map))
            .unwrap_or_default()
            .iter()
            .filter(|e| e.value.as_map().is_some())
            .map(|e| {
                let at = self.below(&e.value, Step::Property(&e.key), e.key_span);
                (e.key.as_str(), at)
            })
    }

    pub fn property(&self, name: &str) -> Option<At<'a, '_>> {
        let e = self.get("properties")?.entry(name)?;
        e.value.as_map()?;
        Some(self.below(&e.value, Step::Property(&e.key), e.key_span))
    }

    /// Whether `properties` has entries (Go's `len(s.Properties) > 0`).
    pub fn has_properties(&self) -> bool {
        self.get("properties")
            .and_then(Node::as_map)
            .is_some_and(|m| !m.is_empty())
    }

    /// A schema under `key` when it is a mapping (`items`, `additionalProperties`, `not`).
    pub fn child(&self, key: &str) -> Option<At<'a, '_>> {
        self.child_in(self.node.entry(key))
    }

    /// [`At::child`] of the entry `e` of this node.
    pub fn child_in(&self, e: Option<&'a Entry>) -> Option<At<'a, '_>> {
        let e = e?;
        e.value
            .as_map()
            .map(|_| self.below(&e.value, Step::Key(&e.key), e.key_span))
    }

    /// The entry `e` of this node as a keyword (so a path can borrow its key), unless `null`.
    fn keyword(e: Option<&'a Entry>) -> Option<(&'a str, &'a Node)> {
        let e = e?;
        (!e.value.is_null()).then_some((e.key.as_str(), &e.value))
    }

    /// The schemas of a list keyword (`allOf`, `items` as a list), with their index paths.
    pub fn list(&self, key: &str) -> Vec<At<'a, '_>> {
        self.list_in(self.node.entry(key))
    }

    /// [`At::list`] of the entry `e` of this node.
    pub fn list_in(&self, e: Option<&'a Entry>) -> Vec<At<'a, '_>> {
        let Some((key, list)) = At::keyword(e) else {
            return Vec::new();
        };
        list.as_seq()
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter(|(_, n)| n.as_map().is_some())
            .map(|(i, n)| self.below(n, Step::Index(key, i), first_key_span(n)))
            .collect()
    }

    /// The schemas of a map keyword (`definitions`, `dependencies`), with their key paths.
    pub fn map(&self, key: &str) -> Vec<At<'a, '_>> {
        self.map_in(self.node.entry(key))
    }

    /// [`At::map`] of the entry `e` of this node.
    pub fn map_in(&self, e: Option<&'a Entry>) -> Vec<At<'a, '_>> {
        let Some((key, map)) = At::keyword(e) else {
            return Vec::new();
        };
        map.as_map()
            .unwrap_or_default()
            .iter()
            .filter(|e| e.value.as_map().is_some())
            .map(|e| self.below(&e.value, Step::Named(key, &e.key), e.key_span))
            .collect()
    }

    /// `allOf[i]`, `anyOf[i]`, `oneOf[i]` and `not`, in that order.
    pub fn junctors(&self) -> Vec<At<'a, '_>> {
        self.junctors_in(&self.holders())
    }

    /// [`At::junctors`] from this node's [`At::holders`].
    pub fn junctors_in(&self, h: &Holders<'a>) -> Vec<At<'a, '_>> {
        let mut v = self.list_in(h.all_of);
        v.extend(self.list_in(h.any_of));
        v.extend(self.list_in(h.one_of));
        v.extend(self.child_in(h.not));
        v
    }

    /// The keywords of this node that hold schemas, found in one pass over its keys.
    pub fn holders(&self) -> Holders<'a> {
        let found: [Option<&'a Entry>; 11] = self.node.entries_of(|k| {
            Some(match k {
                "items" => 0,
                "not" => 1,
                "additionalProperties" => 2,
                "additionalItems" => 3,
                "allOf" => 4,
                "anyOf" => 5,
                "oneOf" => 6,
                "properties" => 7,
                "patternProperties" => 8,
                "definitions" => 9,
                "dependencies" => 10,
                _ => return None,
            })
        });
        Holders {
            items: found[0],
            not: found[1],
            additional_properties: found[2],
            additional_items: found[3],
            all_of: found[4],
            any_of: found[5],
            one_of: found[6],
            properties: found[7],
            pattern_properties: found[8],
            definitions: found[9],
            dependencies: found[10],
        }
    }
}

/// The entries of a schema node that hold schemas: the walks below visit up to eleven keywords
/// at every node, most of them absent, and looking each up scanned the node's keys again (key
/// lookups were 8% of linting the corpus CRDs, 3.5% since).
pub struct Holders<'a> {
    pub items: Option<&'a Entry>,
    pub not: Option<&'a Entry>,
    pub additional_properties: Option<&'a Entry>,
    pub additional_items: Option<&'a Entry>,
    pub all_of: Option<&'a Entry>,
    pub any_of: Option<&'a Entry>,
    pub one_of: Option<&'a Entry>,
    pub properties: Option<&'a Entry>,
    pub pattern_properties: Option<&'a Entry>,
    pub definitions: Option<&'a Entry>,
    pub dependencies: Option<&'a Entry>,
}

/// Whether keyword `key` makes its field non-zero once apiextensions has converted the schema,
/// as `reflect.DeepEqual` against a zero value sees it: strings non-empty, booleans true, numbers
/// and objects present; lists present even when empty (a decoded `[]` is a non-nil slice),
/// except those NewStructural rebuilds by appending (`enum`, `allOf`, `anyOf`, `oneOf`) and the
/// maps it copies only when non-empty (`properties`). `null` is always unset.
pub fn is_set(key: &str, n: &Node) -> bool {
    match &n.value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Seq(items) => {
            !items.is_empty() || !matches!(key, "enum" | "allOf" | "anyOf" | "oneOf")
        }
        Value::Map(entries) => !entries.is_empty() || key != "properties",
        Value::Int(_) | Value::Float(_) => true,
    }
}

/// A field error of one of our rules as a CRD problem (the message in apimachinery's form).
pub fn problem(e: FieldError) -> Finding {
    Finding {
        rule: e.rule,
        message: e.message(),
        span: e.span,
        help: e.help.clone(),
        field: Some(e.field().to_string()),
        change: None,
    }
}

pub fn forbidden(rule: &'static str, path: String, detail: &str, span: Span) -> Finding {
    problem(FieldError::new(
        rule,
        ErrorType::Forbidden,
        path,
        BadValue::Omit,
        detail,
        span,
    ))
}

pub fn required(rule: &'static str, path: String, detail: &str, span: Span) -> Finding {
    problem(FieldError::required(rule, path, detail, span))
}

pub fn invalid(
    rule: &'static str,
    path: String,
    value: Value,
    detail: &str,
    span: Span,
) -> Finding {
    problem(FieldError::new(
        rule,
        ErrorType::Invalid,
        path,
        value,
        detail,
        span,
    ))
}

pub fn not_supported(
    rule: &'static str,
    path: String,
    value: &str,
    supported: &[&str],
    span: Span,
) -> Finding {
    let supported: Vec<String> = supported.iter().map(|s| s.to_string()).collect();
    problem(FieldError::not_supported(
        rule,
        path,
        Value::String(value.into()),
        &supported,
        span,
    ))
}

/// An extension `key` that needs the node's `type` to be `want`: `Required` when the type is
/// missing (at the extension's key), `Invalid` when it is another (at the type). Returns whether
/// the type is `want`.
pub fn require_type(
    at: &At,
    rule: &'static str,
    key: &str,
    want: &str,
    detail: &str,
    problems: &mut Vec<Finding>,
) -> bool {
    match at.ty() {
        t if t == want => return true,
        "" => problems.push(required(rule, at.field("type"), detail, at.key_span(key))),
        t => problems.push(invalid(
            rule,
            at.field("type"),
            string(t),
            detail,
            at.value_span("type"),
        )),
    }
    false
}

/// `Invalid value: "<s>"` for a string the server holds (a type, a list type).
pub fn string(s: &str) -> Value {
    Value::String(s.into())
}

/// The keywords of JSONSchemaProps (apiextensions/v1 `json` tags).
pub const SCHEMA_KEYS: [&str; 44] = [
    "id",
    "$schema",
    "$ref",
    "description",
    "type",
    "format",
    "title",
    "default",
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
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "properties",
    "additionalProperties",
    "patternProperties",
    "dependencies",
    "additionalItems",
    "definitions",
    "externalDocs",
    "example",
    "nullable",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-int-or-string",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-list-type",
    "x-kubernetes-map-type",
    "x-kubernetes-validations",
];

/// Whether `key` is a JSONSchemaProps keyword. Compared only with the keywords of its length
/// (a few at most, not 44): every key of every schema node is looked up.
pub fn is_schema_key(key: &str) -> bool {
    static BY_LENGTH: std::sync::LazyLock<Vec<Vec<&'static str>>> =
        std::sync::LazyLock::new(|| {
            let longest = SCHEMA_KEYS.iter().map(|k| k.len()).max().unwrap_or(0);
            let mut by_length = vec![Vec::new(); longest + 1];
            for k in SCHEMA_KEYS {
                by_length[k.len()].push(k);
            }
            by_length
        });
    BY_LENGTH.get(key.len()).is_some_and(|ks| ks.contains(&key))
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// The known key closest to `key`: the same ignoring case, or a few edits away.
pub fn nearest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
        return Some(k);
    }
    let limit = (key.chars().count() / 4).clamp(1, 3);
    known
        .iter()
        .map(|k| {
            (
                distance(&key.to_ascii_lowercase(), &k.to_ascii_lowercase()),
                *k,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Where a schema node sits, for the structural checks (`rootLevel`, `itemLevel`, `fieldLevel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Root,
    Item,
    Field,
}

/// `validateStructuralInvariants`' recursion: `items` (a schema), `properties`, and an
/// `additionalProperties` schema.
pub fn structural<'a>(at: &At<'a, '_>, level: Level, visit: &mut dyn FnMut(&At<'a, '_>, Level)) {
    visit(at, level);
    let h = at.holders();
    if let Some(items) = at.child_in(h.items) {
        structural(&items, Level::Item, visit);
    }
    for (_, p) in at.properties_in(h.properties) {
        structural(&p, Level::Field, visit);
    }
    if let Some(a) = at.child_in(h.additional_properties) {
        structural(&a, Level::Field, visit);
    }
}

/// The state `ValidateCustomResourceDefinitionOpenAPISchema` carries down (its
/// `specStandardValidator` and `isRoot`).
#[derive(Clone, Debug, Default)]
pub struct OpenApi {
    pub is_root: bool,
    /// Inside the TypeMeta or ObjectMeta schema of the resource or of an embedded resource.
    pub inside_resource_meta: bool,
    /// Why a `default` is not allowed here (`in top-level metadata`), when it is not.
    pub defaults_forbidden: Option<String>,
}

impl OpenApi {
    /// The state at the schema root.
    pub fn root() -> Self {
        OpenApi {
            is_root: true,
            ..OpenApi::default()
        }
    }
}

const META_FIELDS: [&str; 3] = ["metadata", "kind", "apiVersion"];

/// `ValidateCustomResourceDefinitionOpenAPISchema`'s recursion: additionalProperties,
/// properties, not, allOf, oneOf, anyOf, definitions, items (a schema or a list), dependencies.
pub fn openapi<'a>(at: &At<'a, '_>, ctx: &OpenApi, visit: &mut dyn FnMut(&At<'a, '_>, &OpenApi)) {
    visit(at, ctx);
    let plain = OpenApi {
        is_root: false,
        ..ctx.clone()
    };
    let h = at.holders();
    if let Some(a) = at.child_in(h.additional_properties) {
        let mut sub = plain.clone();
        if ctx.inside_resource_meta {
            // Defaults inside a map of ObjectMeta would be pruned away ambiguously.
            sub.defaults_forbidden =
                Some("inside additionalProperties applying to object metadata".into());
        }
        openapi(&a, &sub, visit);
    }
    let embedded = at.flag("x-kubernetes-embedded-resource");
    for (k, p) in at.properties_in(h.properties) {
        let mut sub = plain.clone();
        if (ctx.is_root || embedded) && META_FIELDS.contains(&k) {
            sub.inside_resource_meta = true;
            if ctx.is_root {
                sub.defaults_forbidden = Some(format!("in top-level {k}"));
            }
        }
        openapi(&p, &sub, visit);
    }
    for j in at.junctors_in(&h) {
        openapi(&j, &plain, visit);
    }
    for d in at.map_in(h.definitions) {
        openapi(&d, &plain, visit);
    }
    if let Some(items) = at.child_in(h.items) {
        openapi(&items, &plain, visit);
    }
    for i in at.list_in(h.items) {
        openapi(&i, &plain, visit);
    }
    for d in at.map_in(h.dependencies) {
        openapi(&d, &plain, visit);
    }
}

/// ValidateDefaults' recursion (`defaulting/validation.go`): items and properties, not
/// additionalProperties (its comment: defaults are not followed there) nor junctors. `inside_meta`
/// is true in the TypeMeta/ObjectMeta of an embedded resource (the root counts as one).
pub fn defaults<'a>(at: &At<'a, '_>, inside_meta: bool, visit: &mut dyn FnMut(&At<'a, '_>, bool)) {
    let embedded = at.flag("x-kubernetes-embedded-resource");
    let inside_meta = inside_meta && !embedded;
    visit(at, inside_meta);
    let h = at.holders();
    if let Some(items) = at.child_in(h.items) {
        defaults(&items, inside_meta, visit);
    }
    for (k, p) in at.properties_in(h.properties) {
        defaults(
            &p,
            inside_meta || embedded && META_FIELDS.contains(&k),
            visit,
        );
    }
}

/// Like [`defaults`], from the root of a resource schema, which ValidateDefaults treats as an
/// embedded resource (so its own metadata, apiVersion and kind are "inside meta").
pub fn defaults_from_root<'a>(at: &At<'a, '_>, visit: &mut dyn FnMut(&At<'a, '_>, bool)) {
    visit(at, false);
    if let Some(items) = at.child("items") {
        defaults(&items, false, visit);
    }
    for (k, p) in at.properties() {
        defaults(&p, META_FIELDS.contains(&k), visit);
    }
}

/// `SchemaHas`' recursion: every schema node under any keyword.
pub fn every<'a>(at: &At<'a, '_>, visit: &mut dyn FnMut(&At<'a, '_>)) {
    visit(at);
    let h = at.holders();
    for e in [h.items, h.not, h.additional_properties, h.additional_items] {
        if let Some(c) = at.child_in(e) {
            every(&c, visit);
        }
    }
    for e in [h.items, h.all_of, h.any_of, h.one_of] {
        for c in at.list_in(e) {
            every(&c, visit);
        }
    }
    for (_, p) in at.properties_in(h.properties) {
        every(&p, visit);
    }
    for e in [h.pattern_properties, h.definitions, h.dependencies] {
        for c in at.map_in(e) {
            every(&c, visit);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn is_schema_key_is_membership_in_schema_keys() {
        // Every keyword, and every keyword changed at one end or in case, or cut short.
        let mut keys: Vec<String> = Vec::new();
        for k in SCHEMA_KEYS {
            keys.extend([
                k.to_string(),
                format!("{k}s"),
                format!("x{k}"),
                k.to_uppercase(),
                k[1..].to_string(),
                k[..k.len() - 1].to_string(),
            ]);
        }
        keys.extend(["", "x-kubernetes-preserve-unknown-fields-too-long", "é"].map(String::from));
        let mut known = 0;
        for k in &keys {
            assert_eq!(is_schema_key(k), SCHEMA_KEYS.contains(&k.as_str()), "{k:?}");
            known += usize::from(is_schema_key(k));
        }
        assert!(known >= SCHEMA_KEYS.len(), "{known}");
    }

    /// The messages of `f` on a parsed schema at path `s`.
    fn messages(yaml: &str, f: impl FnOnce(&At, &mut Vec<Finding>)) -> Vec<String> {
        let node = crate::yaml::parse_stream(yaml).remove(0).root.unwrap();
        let at = At::new(&node, "s", node.span);
        let mut out = Vec::new();
        f(&at, &mut out);
        out.into_iter().map(|p| p.message).collect()
    }

    /// Parse a schema and run a rule's `check` of the whole schema on it at path `s`.
    pub fn run(yaml: &str, check: fn(&At, &mut Vec<Finding>)) -> Vec<String> {
        messages(yaml, check)
    }

    /// Parse a schema and run a rule's hook at each node of the structural walk, as
    /// `lint::check_schema_node` does.
    pub fn run_structural(yaml: &str, hook: fn(&At, Level, &mut Vec<Finding>)) -> Vec<String> {
        messages(yaml, |root, out| {
            structural(root, Level::Root, &mut |at, level| hook(at, level, out))
        })
    }

    /// Parse a schema and run a rule's hook at each node of the OpenAPI walk, as
    /// `lint::check_schema_node` does.
    pub fn run_openapi(yaml: &str, hook: fn(&At, &OpenApi, &mut Vec<Finding>)) -> Vec<String> {
        messages(yaml, |root, out| {
            openapi(root, &OpenApi::root(), &mut |at, ctx| hook(at, ctx, out))
        })
    }

    /// Both walks, in `lint::check_schema_node`'s order, for a rule with a hook in each.
    pub fn run_both(
        yaml: &str,
        on_structural: fn(&At, Level, &mut Vec<Finding>),
        on_openapi: fn(&At, &OpenApi, &mut Vec<Finding>),
    ) -> Vec<String> {
        let mut p = run_structural(yaml, on_structural);
        p.extend(run_openapi(yaml, on_openapi));
        p
    }

    #[test]
    fn paths_follow_the_server() {
        let node = crate::yaml::parse_stream(
            "type: object\nproperties:\n  a:\n    type: array\n    items: {anyOf: [{type: string}]}\n",
        )
        .remove(0)
        .root
        .unwrap();
        let mut paths = Vec::new();
        every(&At::new(&node, "s", node.span), &mut |at| {
            paths.push(at.path());
            assert_eq!(at.is_start(), at.path() == "s");
        });
        assert_eq!(
            paths,
            vec![
                "s",
                "s.properties[a]",
                "s.properties[a].items",
                "s.properties[a].items.anyOf[0]"
            ]
        );
    }
}

/// Cases of apiextensions-apiserver's integration test of structural schemas
/// (`test/integration/validation_test.go`, TestNonStructuralSchemaConditionForCRDV1Beta1MigratedData
/// and friends): the violations it expects, run through every schema rule.
#[cfg(test)]
mod upstream_cases {
    use crate::lint::Finding;

    const P: &str = "spec.validation.openAPIV3Schema";

    fn all(yaml: &str) -> Vec<String> {
        let node = crate::yaml::parse_stream(yaml).remove(0).root.unwrap();
        let site = crate::lint::SchemaSite {
            node: &node,
            path: P,
            doc_path: "spec.versions[0].schema.openAPIV3Schema",
            anchor: node.span,
            status_enabled: false,
        };
        let mut out: Vec<Finding> = Vec::new();
        crate::lint::check_version_schema(&site, &mut out);
        let mut v: Vec<String> = out.into_iter().map(|p| p.message).collect();
        v.sort();
        v
    }

    fn expect(yaml: &str, want: &[&str]) {
        let mut want: Vec<String> = want.iter().map(|w| format!("{P}{w}")).collect();
        want.sort();
        assert_eq!(all(yaml), want);
    }

    #[test]
    fn missing_types_with_extensions() {
        expect(
            "properties:\n foo:\n   properties:\n     a: {}\n bar:\n   items:\n     additionalProperties:\n       properties:\n         a: {}\n       items: {}\n abc:\n   additionalProperties:\n     properties:\n       a:\n         items:\n           additionalProperties:\n             items:\n json:\n   x-kubernetes-preserve-unknown-fields: true\n   properties:\n     a: {}\n int-or-string:\n   x-kubernetes-int-or-string: true\n   properties:\n     a: {}\n",
            &[
                ".properties[foo].properties[a].type: Required value: must not be empty for specified object fields",
                ".properties[foo].type: Required value: must not be empty for specified object fields",
                ".properties[int-or-string].properties[a].type: Required value: must not be empty for specified object fields",
                ".properties[json].properties[a].type: Required value: must not be empty for specified object fields",
                ".properties[abc].additionalProperties.properties[a].items.additionalProperties.type: Required value: must not be empty for specified object fields",
                ".properties[abc].additionalProperties.properties[a].items.type: Required value: must not be empty for specified array items",
                ".properties[abc].additionalProperties.properties[a].type: Required value: must not be empty for specified object fields",
                ".properties[abc].additionalProperties.type: Required value: must not be empty for specified object fields",
                ".properties[abc].type: Required value: must not be empty for specified object fields",
                ".properties[bar].items.additionalProperties.items.type: Required value: must not be empty for specified array items",
                ".properties[bar].items.additionalProperties.properties[a].type: Required value: must not be empty for specified object fields",
                ".properties[bar].items.additionalProperties.type: Required value: must not be empty for specified object fields",
                ".properties[bar].items.type: Required value: must not be empty for specified array items",
                ".properties[bar].type: Required value: must not be empty for specified object fields",
                ".type: Required value: must not be empty at the root",
            ],
        );
    }

    #[test]
    fn int_or_string_variants() {
        expect(
            "type: object\nproperties:\n a:\n   x-kubernetes-int-or-string: true\n b:\n   x-kubernetes-int-or-string: true\n   anyOf:\n   - type: integer\n   - type: string\n   allOf:\n   - pattern: abc\n c:\n   x-kubernetes-int-or-string: true\n   allOf:\n   - anyOf:\n     - type: integer\n     - type: string\n   - pattern: abc\n   - pattern: abc\n d:\n   x-kubernetes-int-or-string: true\n   anyOf:\n   - type: integer\n   - type: string\n     pattern: abc\n e:\n   x-kubernetes-int-or-string: true\n   allOf:\n   - anyOf:\n     - type: integer\n     - type: string\n       pattern: abc\n   - pattern: abc\n f:\n   x-kubernetes-int-or-string: true\n   anyOf:\n   - type: integer\n   - type: string\n   - pattern: abc\n g:\n   x-kubernetes-int-or-string: true\n   anyOf:\n   - type: string\n   - type: integer\n",
            &[
                ".properties[d].anyOf[0].type: Forbidden: must be empty to be structural",
                ".properties[d].anyOf[1].type: Forbidden: must be empty to be structural",
                ".properties[e].allOf[0].anyOf[0].type: Forbidden: must be empty to be structural",
                ".properties[e].allOf[0].anyOf[1].type: Forbidden: must be empty to be structural",
                ".properties[f].anyOf[0].type: Forbidden: must be empty to be structural",
                ".properties[f].anyOf[1].type: Forbidden: must be empty to be structural",
                ".properties[g].anyOf[0].type: Forbidden: must be empty to be structural",
                ".properties[g].anyOf[1].type: Forbidden: must be empty to be structural",
            ],
        );
    }

    #[test]
    fn structural_incomplete_and_complete() {
        let junctors = "not:\n properties:\n   a: {}\n   b:\n     not:\n       properties:\n         a: {}\n         b:\n           items: {}\n   c:\n     items:\n       not:\n         items:\n           properties:\n             a: {}\n   d:\n     items: {}\nallOf:\n- properties:\n   e: {}\nanyOf:\n- properties:\n   f: {}\noneOf:\n- properties:\n   g: {}\n";
        expect(
            &format!(
                "type: object\nproperties:\n b:\n   type: object\n   properties:\n     b:\n       type: array\n c:\n   type: array\n   items:\n     type: object\n d:\n   type: array\n{junctors}"
            ),
            &[
                ".properties[b].properties[b].items: Required value: must be specified",
                ".properties[d].items: Required value: must be specified",
                ".properties[d].items: Required value: because it is defined in spec.validation.openAPIV3Schema.not.properties[d].items",
                ".properties[a]: Required value: because it is defined in spec.validation.openAPIV3Schema.not.properties[a]",
                ".properties[b].properties[a]: Required value: because it is defined in spec.validation.openAPIV3Schema.not.properties[b].not.properties[a]",
                ".properties[b].properties[b].items: Required value: because it is defined in spec.validation.openAPIV3Schema.not.properties[b].not.properties[b].items",
                ".properties[c].items.items: Required value: because it is defined in spec.validation.openAPIV3Schema.not.properties[c].items.not.items",
                ".properties[e]: Required value: because it is defined in spec.validation.openAPIV3Schema.allOf[0].properties[e]",
                ".properties[f]: Required value: because it is defined in spec.validation.openAPIV3Schema.anyOf[0].properties[f]",
                ".properties[g]: Required value: because it is defined in spec.validation.openAPIV3Schema.oneOf[0].properties[g]",
            ],
        );
        expect(
            &format!(
                "type: object\nproperties:\n a:\n   type: string\n b:\n   type: object\n   properties:\n     a:\n       type: string\n     b:\n       type: array\n       items:\n         type: string\n c:\n   type: array\n   items:\n     type: array\n     items:\n       type: object\n       properties:\n         a:\n           type: string\n d:\n   type: array\n   items:\n     type: string\n e:\n   type: string\n f:\n   type: string\n g:\n   type: string\n{junctors}"
            ),
            &[],
        );
    }

    #[test]
    fn metadata_cases() {
        expect(
            "type: object\nproperties:\n metadata:\n   minimum: 42.0\n",
            &[
                ".properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified",
                ".properties[metadata].type: Required value: must not be empty for specified object fields",
                ".properties[metadata].type: Invalid value: \"\": must be object",
            ],
        );
        for names in [
            "name:\n       type: string\n       pattern: \"^[a-z]+$\"\n",
            "generateName:\n       type: string\n",
            "name:\n       type: string\n     generateName:\n       type: string\n",
        ] {
            expect(
                &format!(
                    "type: object\nproperties:\n metadata:\n   type: object\n   properties:\n     {names}"
                ),
                &[],
            );
        }
        expect(
            "type: object\nproperties:\n metadata:\n   type: object\n   properties:\n     name:\n       type: string\nallOf:\n- properties:\n   metadata: {}\nanyOf:\n- properties:\n   metadata: {}\noneOf:\n- properties:\n   metadata: {}\nnot:\n properties:\n   metadata: {}\n",
            &[
                ".anyOf[0].properties[metadata]: Forbidden: must not be specified in a nested context",
                ".allOf[0].properties[metadata]: Forbidden: must not be specified in a nested context",
                ".oneOf[0].properties[metadata]: Forbidden: must not be specified in a nested context",
                ".not.properties[metadata]: Forbidden: must not be specified in a nested context",
            ],
        );
    }

    #[test]
    fn items_slices() {
        expect(
            "type: object\nproperties:\n slice:\n   type: array\n   items:\n   - type: string\n   - type: integer\n",
            &[
                ".properties[slice].items: Forbidden: items must be a schema object and not an array",
            ],
        );
        expect(
            "type: object\nproperties:\n slice:\n   type: array\n   items:\n     type: string\n   not:\n     items:\n     - type: string\n",
            &[
                ".properties[slice].not.items: Forbidden: items must be a schema object and not an array",
            ],
        );
        expect(
            "type: object\nadditionalProperties: false\n",
            &[".additionalProperties: Forbidden: must not be used at the root"],
        );
    }
}
