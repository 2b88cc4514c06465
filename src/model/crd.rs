//! Reading a CustomResourceDefinition document into what validation needs. Reading reports
//! nothing: a CRD it cannot use gives `None`, and lint says why (see `crate::lint`).

use super::cel_source::CelSource;
use super::schema::{CompileError, Schema};
use crate::source::Span;
use crate::yaml::{Node, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

pub struct CrdVersion {
    pub name: String,
    /// Its position in `spec.versions`.
    pub index: usize,
    pub served: bool,
    pub storage: bool,
    /// `deprecated: true`: the server warns every client of this version.
    pub deprecated: bool,
    /// The warning it sends instead of its default one.
    pub deprecation_warning: Option<String>,
    /// With the status subresource, the server drops `status` on create and update.
    pub status_subresource: bool,
    pub schema: Option<Arc<Schema>>,
    /// The path the server reports this version's schema problems at:
    /// `spec.validation.openAPIV3Schema` when every version has the same schema, else
    /// `spec.versions[i].schema.openAPIV3Schema`.
    pub schema_path: String,
    /// What the schema holds that cannot be compiled.
    pub compile_errors: Vec<CompileError>,
    /// What the CEL rules are compiled from (the part of the schema they need, as JSON), kept
    /// only when the schema holds `x-kubernetes-validations`, until they are compiled
    /// (`crate::cel::compile::rules_of` takes it).
    pub cel_source: Option<Mutex<Option<CelSource>>>,
    /// The CEL rules, compiled by `crate::cel` on first use (most CRDs in scope never
    /// validate a resource).
    pub cel: OnceLock<CompiledCel>,
}

/// A version's CEL rules ready for evaluation (built by `crate::cel::compile::rules_of`).
pub struct CompiledCel {
    pub schema: kube_cel::CompiledSchema,
    /// The schema has `format: date` strings, which CEL sees as timestamps.
    pub dates: bool,
}

impl std::fmt::Debug for CrdVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrdVersion")
            .field("name", &self.name)
            .field("served", &self.served)
            .field("storage", &self.storage)
            .field("has_cel_rules", &self.cel_source.is_some())
            .finish()
    }
}

impl CrdVersion {
    pub fn has_cel_rules(&self) -> bool {
        self.cel_source.is_some()
    }
}

fn has_cel_rules(n: &Node) -> bool {
    match &n.value {
        Value::Map(entries) => entries
            .iter()
            .any(|e| e.key == "x-kubernetes-validations" || has_cel_rules(&e.value)),
        Value::Seq(items) => items.iter().any(has_cel_rules),
        _ => false,
    }
}

/// How the server checks `metadata.name` (and `generateName`) of a kind. Custom resources are
/// DNS subdomains; built-in kinds have their own rule (see `crate::builtin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NameRule {
    /// `NameIsDNSSubdomain`.
    #[default]
    Subdomain,
    /// `NameIsDNSLabel` (Namespace).
    Label,
    /// A Service: `NameIsDNS1035Label` by default, a DNS label under the alpha gate
    /// `RelaxedServiceNameValidation` (1.34+). What the gate accepts passes; what both refuse
    /// is worded as the default server words it.
    ServiceName,
    /// `path.IsValidPathSegmentName` (the RBAC kinds: `system:controller:x` is a valid name).
    PathSegment,
}

#[derive(Debug)]
pub struct Crd {
    /// `metadata.name`, e.g. `widgets.demo.example.com`.
    pub name: String,
    pub group: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
    pub versions: Vec<CrdVersion>,
    /// How `metadata.name` is checked.
    pub name_rule: NameRule,
    /// A built-in kind, validated by its published schema (`crate::builtin`), not a CRD.
    pub builtin: bool,
    /// Every version has the same schema: the server holds it once, as the internal
    /// `spec.validation`, and reports its problems once.
    pub schema_shared: bool,
    /// Where the CRD was read from (for messages): the file, and the document in it.
    pub origin: String,
    pub document: usize,
    /// The span of `metadata.name` (or of the document), where findings about the whole
    /// definition point.
    pub name_span: Span,
    /// A hash of `spec`, blind to key order and layout: two copies of one definition (a chart's
    /// and a release's) have the same.
    pub spec_hash: u64,
}

impl Crd {
    pub fn version(&self, name: &str) -> Option<&CrdVersion> {
        self.versions.iter().find(|v| v.name == name)
    }
}

fn str_at<'a>(node: &'a Node, path: &[&str]) -> Option<&'a str> {
    let mut n = node;
    for k in path {
        n = n.get(k)?;
    }
    n.as_str()
}

/// The warning the API server sends for a deprecated version without a `deprecationWarning`
/// (apiextensions-apiserver `customresource_handler.go` defaultDeprecationWarning): the newest
/// served, non-deprecated version newer than it is named.
pub fn default_deprecation_warning(crd: &Crd, deprecated: &str) -> String {
    let mut msg = format!("{}/{deprecated} {} is deprecated", crd.group, crd.kind);
    let newest = crd
        .versions
        .iter()
        .filter(|v| {
            v.served
                && !v.deprecated
                && super::version_priority::compare(deprecated, &v.name).is_lt()
        })
        .map(|v| v.name.as_str())
        .max_by(|a, b| super::version_priority::compare(a, b));
    if let Some(v) = newest {
        msg.push_str(&format!("; use {}/{v} {}", crd.group, crd.kind));
    }
    msg
}

/// The schema node of a `spec.versions` entry.
pub fn schema_node(version: &Node) -> Option<&Node> {
    version.get("schema").and_then(|s| s.get("openAPIV3Schema"))
}

/// Whether a `spec.versions` entry enables the status subresource.
pub fn has_status(version: &Node) -> bool {
    version
        .get("subresources")
        .and_then(|s| s.get("status"))
        .is_some_and(|s| !s.is_null())
}

/// A fast hasher for [`value_hash`]: FxHash's step (rotate, xor, multiply) over 8 bytes at a
/// time, each write prefixed by its length. The hash only tells revisions of a CRD apart within
/// one run (SipHash, which resists chosen collisions, cost 3% of linting the corpus).
#[derive(Default)]
struct SpecHasher(u64);

impl SpecHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for SpecHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.add(bytes.len() as u64);
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash of a node's value: key order and spans do not count. Words are added to the hasher
/// directly (a kind tag, a length, the bytes): through `Hash`, each `u8` tag and string
/// paid for a length word and a terminator too, twice the multiplications.
fn value_hash(n: &Node) -> u64 {
    use std::hash::Hasher;
    let mut h = SpecHasher::default();
    match &n.value {
        Value::Null => h.add(0),
        Value::Bool(b) => h.add(1 | u64::from(*b) << 8),
        Value::Int(i) => {
            h.add(2);
            h.add(*i as u64);
        }
        Value::Float(f) => {
            h.add(3);
            h.add(f.to_bits());
        }
        Value::String(s) => {
            h.add(4);
            h.write(s.as_bytes());
        }
        Value::Seq(items) => {
            h.add(5);
            items.iter().for_each(|i| h.add(value_hash(i)));
        }
        Value::Map(entries) => {
            // Order-blind: the entries' hashes are summed.
            let sum = entries.iter().fold(0u64, |acc, e| {
                let mut eh = SpecHasher::default();
                eh.write(e.key.as_bytes());
                eh.add(value_hash(&e.value));
                acc.wrapping_add(eh.finish())
            });
            h.add(6);
            h.add(sum);
        }
    }
    h.finish()
}

/// What identifies a revision of a CRD without reading it: its `metadata.name`, the hash of its
/// `spec` (as [`Crd::spec_hash`]) and the span of its name; None when it has no `spec` mapping.
pub fn identity(root: &Node) -> Option<(String, u64, Span)> {
    let spec = root.get("spec").filter(|s| s.as_map().is_some())?;
    let name_node = root.get("metadata").and_then(|m| m.get("name"));
    let name = name_node.and_then(Node::as_str).unwrap_or_default();
    Some((
        name.to_string(),
        value_hash(spec),
        name_node.map_or(root.span, |n| n.span),
    ))
}

/// Read a v1 CRD (document `document` of `origin`) into what validation needs: `None` when it
/// cannot be used (no `spec.group`, `spec.names.kind` or `spec.versions`; lint's `crd/invalid`
/// says which).
pub fn read_crd(root: &Node, origin: &str, document: usize) -> Option<Crd> {
    read(root, origin, document, true)
}

/// [`read_crd`] for a CRD that is only linted before its schemas are let go: without the JSON
/// of its schemas kept for CEL evaluation ([`CrdVersion::cel_source`], so `has_cel_rules` says
/// no), and without the text of their descriptions
/// ([`Schema::compile_without_descriptions`]). Read it with `read_crd` before it validates a
/// resource.
pub fn read_crd_for_lint(root: &Node, origin: &str, document: usize) -> Option<Crd> {
    read(root, origin, document, false)
}

/// The group and kind a CRD document defines (`spec.group`, `spec.names.kind`), as [`read_crd`]
/// reads them: None when it would read no CRD for the lack of them.
pub fn group_kind(root: &Node) -> Option<(&str, &str)> {
    spec_group_kind(root).map(|(_, group, kind)| (group, kind))
}

/// Whether the text of a document, read only as far as it must be
/// ([`crate::yaml::peek::settled`]), surely defines no CRD of a group and kind in `used`: not a
/// CRD (its `apiVersion` or `kind` is another's), or one of a group or kind not used. False when
/// unsure (the document must then be read whole to know).
pub fn surely_none_of(text: &str, used: &std::collections::HashSet<(&str, &str)>) -> bool {
    const PATHS: [&[&str]; 4] = [
        &["apiVersion"],
        &["kind"],
        &["spec", "group"],
        &["spec", "names", "kind"],
    ];
    crate::yaml::peek::settled(text, &PATHS, |read| {
        let [api_version, kind, group, crd_kind] = read else {
            return None;
        };
        if kind.is_some_and(|k| k != super::CRD_KIND)
            || api_version.is_some_and(|a| super::split_api_version(a) != (super::CRD_GROUP, "v1"))
        {
            return Some(true);
        }
        let group = (*group)?;
        if !used.iter().any(|(g, _)| *g == group) {
            return Some(true);
        }
        crd_kind.map(|k| !used.contains(&(group, k)))
    })
}

/// A CRD document's `spec` mapping, group and kind.
fn spec_group_kind(root: &Node) -> Option<(&Node, &str, &str)> {
    let spec = root.get("spec").filter(|s| s.as_map().is_some())?;
    Some((
        spec,
        str_at(spec, &["group"])?,
        str_at(spec, &["names", "kind"])?,
    ))
}

fn read(root: &Node, origin: &str, document: usize, for_validation: bool) -> Option<Crd> {
    let (spec, group, kind) = spec_group_kind(root)?;
    let plural = str_at(spec, &["names", "plural"]);
    let versions_node = spec
        .get("versions")
        .and_then(Node::as_seq)
        .filter(|v| !v.is_empty())?;
    // When every version has the same schema, the API server holds it once, as the internal
    // `spec.validation`, and words its errors with that path (and reports them once).
    let first_schema = versions_node.first().and_then(schema_node);
    let shared = first_schema.is_some()
        && versions_node.iter().all(|v| {
            schema_node(v).is_some_and(|s| first_schema.is_some_and(|f| f.value.json_eq(&s.value)))
        });
    let mut versions: Vec<CrdVersion> = Vec::new();
    for (i, v) in versions_node.iter().enumerate() {
        let Some(name) = str_at(v, &["name"]) else {
            continue;
        };
        let node = schema_node(v);
        let schema_path = if shared {
            "spec.validation.openAPIV3Schema".to_string()
        } else {
            format!("spec.versions[{i}].schema.openAPIV3Schema")
        };
        let mut compile_errors = Vec::new();
        // Lint reads a shared schema once, at the first version; a CRD read only for lint is
        // read again before it validates. So its other versions share the first one's compiled
        // schema (whose spans are the first version's) rather than compiling the same again.
        let first = versions.first().filter(|_| shared && !for_validation);
        let schema = match first {
            Some(first) => {
                compile_errors.clone_from(&first.compile_errors);
                first.schema.clone()
            }
            None => node.map(|s| {
                let compile = match for_validation {
                    true => Schema::compile,
                    false => Schema::compile_without_descriptions,
                };
                Arc::new(compile(s, &schema_path, &mut compile_errors))
            }),
        };
        versions.push(CrdVersion {
            name: name.to_string(),
            index: i,
            served: v.get("served").and_then(Node::as_bool).unwrap_or(false),
            storage: v.get("storage").and_then(Node::as_bool).unwrap_or(false),
            deprecated: v.get("deprecated").and_then(Node::as_bool).unwrap_or(false),
            deprecation_warning: v
                .get("deprecationWarning")
                .and_then(Node::as_str)
                .map(str::to_string),
            status_subresource: has_status(v),
            schema,
            schema_path,
            compile_errors,
            cel_source: node
                .filter(|n| for_validation && has_cel_rules(n))
                .map(|n| Mutex::new(Some(CelSource::of(n)))),
            cel: OnceLock::new(),
        });
    }
    let name = str_at(root, &["metadata", "name"]).unwrap_or_default();
    let name_span = root
        .get("metadata")
        .and_then(|m| m.get("name"))
        .map_or(root.span, |n| n.span);
    Some(Crd {
        name: name.to_string(),
        group: group.to_string(),
        kind: kind.to_string(),
        plural: plural.unwrap_or_default().to_string(),
        namespaced: str_at(spec, &["scope"]) != Some("Cluster"),
        versions,
        name_rule: NameRule::Subdomain,
        builtin: false,
        schema_shared: shared,
        origin: origin.to_string(),
        document,
        name_span,
        spec_hash: value_hash(spec),
    })
}

/// CRDs by group and kind. The first CRD read for a group/kind wins.
#[derive(Debug, Default)]
pub struct CrdIndex {
    by_group_kind: HashMap<(String, String), Arc<Crd>>,
    /// Every group and kind asked for, when recorded (see [`CrdIndex::recording`]).
    asked: Option<std::sync::Mutex<std::collections::HashSet<(String, String)>>>,
}

impl CrdIndex {
    /// This index, recording every group and kind [`CrdIndex::get`] is asked for: a check made
    /// with it holds for another index that answers the same for each of them.
    pub fn recording(mut self) -> Self {
        self.asked = Some(Default::default());
        self
    }

    /// Whether `other` answers every question asked of this (recording) index the same: the
    /// same CRD (not an equal one: the same definition read once), or none.
    pub fn answers_as(&self, other: &CrdIndex) -> bool {
        let Some(asked) = &self.asked else {
            return false;
        };
        let asked = asked.lock().unwrap_or_else(|e| e.into_inner());
        asked.iter().all(
            |key| match (self.by_group_kind.get(key), other.by_group_kind.get(key)) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            },
        )
    }

    pub fn insert(&mut self, crd: Arc<Crd>) {
        self.by_group_kind
            .entry((crd.group.clone(), crd.kind.clone()))
            .or_insert(crd);
    }

    pub fn get(&self, group: &str, kind: &str) -> Option<&Arc<Crd>> {
        let key = (group.to_string(), kind.to_string());
        if let Some(asked) = &self.asked {
            asked
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key.clone());
        }
        self.by_group_kind.get(&key)
    }

    /// Add every CRD of `other` that this index does not define yet.
    pub fn extend_from(&mut self, other: &CrdIndex) {
        for crd in other.by_group_kind.values() {
            self.insert(Arc::clone(crd));
        }
    }

    pub fn len(&self) -> usize {
        self.by_group_kind.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_group_kind.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::{read_crd, read_crd_for_lint, value_hash};
    use std::sync::Arc;

    /// A CRD whose two versions have the same schema (written twice, at different places).
    const SHARED: &str = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ws.example.com}
spec:
  group: example.com
  names: {kind: W, plural: ws}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, properties: {a: {type: strin}}}
  - name: v2
    served: true
    storage: false
    schema:
      openAPIV3Schema: {type: object, properties: {a: {type: strin}}}
";

    #[test]
    fn a_shared_schema_is_compiled_once_for_lint_and_per_version_for_validation() {
        let root = crate::yaml::parse_stream(SHARED).remove(0).root.unwrap();
        let schemas = |crd: &super::Crd| -> Vec<Arc<super::Schema>> {
            crd.versions
                .iter()
                .map(|v| v.schema.clone().unwrap())
                .collect()
        };
        let linted = read_crd_for_lint(&root, "crd.yaml", 0).unwrap();
        assert!(linted.schema_shared);
        let s = schemas(&linted);
        assert!(Arc::ptr_eq(&s[0], &s[1]));
        assert_eq!(linted.versions[1].compile_errors.len(), 1);
        // Validated resources get the spans of their own version's schema.
        let validated = read_crd(&root, "crd.yaml", 0).unwrap();
        let s = schemas(&validated);
        assert!(!Arc::ptr_eq(&s[0], &s[1]));
        let at = |v: usize| s[v].properties["a"].span.start;
        assert_eq!(&SHARED[at(1)..at(1) + 13], "{type: strin}");
        assert!(at(0) < at(1));
    }

    /// Lint learns only whether a schema node has a description (`crd/missing-description`);
    /// validation, and the editor's hover through it, keep the text.
    #[test]
    fn a_crd_read_for_lint_keeps_whether_a_description_is_there_not_its_text() {
        let text = SHARED.replace(
            "{a: {type: strin}}}",
            "{a: {type: string, description: The a.}, b: {type: string}}}",
        );
        let root = crate::yaml::parse_stream(&text).remove(0).root.unwrap();
        let descriptions = |crd: &super::Crd| -> Vec<Option<String>> {
            let s = crd.versions[1].schema.clone().unwrap();
            ["a", "b"]
                .iter()
                .map(|p| s.properties[*p].description.clone())
                .collect()
        };
        let linted = read_crd_for_lint(&root, "crd.yaml", 0).unwrap();
        assert_eq!(descriptions(&linted), [Some(String::new()), None]);
        let validated = read_crd(&root, "crd.yaml", 0).unwrap();
        assert_eq!(descriptions(&validated), [Some("The a.".to_string()), None]);
    }

    fn hash(yaml: &str) -> u64 {
        value_hash(&crate::yaml::parse_stream(yaml).remove(0).root.unwrap())
    }

    #[test]
    fn the_spec_hash_ignores_key_order_and_sees_every_change() {
        let base = hash("{a: 1, b: [x, y], c: {d: text}}");
        assert_eq!(base, hash("{c: {d: text}, b: [x, y], a: 1}"));
        for changed in [
            "{a: 2, b: [x, y], c: {d: text}}",
            "{a: 1, b: [y, x], c: {d: text}}",
            "{a: 1, b: [x, y], c: {d: texts}}",
            "{a: 1, b: [x, y], c: {e: text}}",
            "{a: '1', b: [x, y], c: {d: text}}",
            "{a: 1, b: [x, y, ''], c: {d: text}}",
        ] {
            assert_ne!(base, hash(changed), "{changed}");
        }
        // Trailing NUL bytes are not lost in the 8-byte padding.
        assert_ne!(hash("\"ab\""), hash("\"ab\\0\""));
        assert_ne!(hash("\"abcdefgh\""), hash("\"abcdefgh\\0\""));
    }
}
