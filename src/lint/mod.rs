//! Lint: what is wrong with a CRD, over the CRD document as written and the schemas `model`
//! compiled from it. One rule per file, at `src/lint/<family>/<name>.rs` beside its doc
//! `rules/<family>/<name>.md`; each file declares its [`Rule`], and [`RULES`] lists them.
//!
//! A rule says where it looks by the hooks it fills in; the walks in [`walk`] and the driver
//! here call every rule's hook at each place, in the server's traversal order:
//! - `document`: the whole CRD document;
//! - `version_schema`: each version's `openAPIV3Schema` as written, once per schema the server
//!   validates (once in all when every version shares it);
//! - `structural`, `openapi`: every node of such a schema, along upstream's
//!   `validateStructuralInvariants` and `ValidateCustomResourceDefinitionOpenAPISchema` walks;
//! - `compiled`: every node of the compiled schema (properties, additionalProperties, items);
//! - `compiled_root`: the compiled schema as a whole;
//! - `compile_error`: what the compiler could not read;
//! - `cel_rule`: every `x-kubernetes-validations` entry;
//! - `upgrade`, `upgrade_pair`: two revisions of one CRD ([`check_upgrade`]): the whole
//!   [`Revision`], and each pair of old and new schema nodes that differ ([`walk::revision`]).

pub mod walk;

use crate::cel::walk::RuleAt;
use crate::model::crd::{Crd, has_status, schema_node};
use crate::model::schema::{CompileError, Schema};
use crate::source::Span;
use crate::yaml::Node;
use std::sync::LazyLock;
use walk::revision::{Pair, Revision, Side};
use walk::schema_node::{At, Level, OpenApi};

/// Declares every rule file (`<family>/<name>.rs` under `src/lint/`) and lists its [`Rule`] in
/// [`RULES`]. Adding a rule is its file, its name here and its doc under `rules/`.
macro_rules! rules {
    ($($family:ident: [$($rule:ident),* $(,)?]),* $(,)?) => {
        $(pub mod $family { $(pub mod $rule;)* })*
        /// Every lint rule.
        pub const RULES: &[Rule] = &[$($($family::$rule::RULE,)*)*];
    };
}

rules! {
    cel: [
        compile_error,
        cost,
        cost_high,
        field_path,
        message,
        missing_rule,
        old_self,
        reason,
        return_type,
        unavailable,
        unsupported,
    ],
    conversion: [
        strategy,
        webhook,
    ],
    crd: [
        deprecation_warning,
        duplicate,
        duplicate_version,
        group,
        ignored_format,
        invalid,
        invalid_pattern,
        kustomize_patch,
        missing_description,
        missing_schema,
        name,
        names,
        preserve_unknown_fields,
        protected_group,
        schema_type,
        scope,
        storage_version,
        stored_versions,
        unknown_field,
        v1beta1_removed,
    ],
    default: [
        in_junctor,
        invalid,
        metadata,
        on_required,
        pruned,
    ],
    extension: [
        embedded_resource,
        int_or_string,
        list_map_keys,
        list_type,
        map_type,
        preserve_unknown_fields,
    ],
    printer_column: [
        invalid,
        jsonpath,
    ],
    selectable_field: [
        invalid,
    ],
    structural: [
        forbidden_field,
        items,
        junctor,
        metadata,
        missing_type,
        root,
    ],
    subresource: [
        scale,
        scale_path,
    ],
    upgrade: [
        bounds_tightened,
        breaks_resource,
        cel_cost,
        crd_removed,
        default_changed,
        enum_value_removed,
        field_removed,
        format_added,
        kind_changed,
        list_type_changed,
        nullable_removed,
        pattern_changed,
        preserve_unknown_fields_removed,
        printer_column_removed,
        required_added,
        scope_changed,
        storage_version_changed,
        type_changed,
        unclassified,
        unserved_version_removed,
        validation_rule,
        version_not_served,
        version_removed,
    ],
    version: [
        conversion_none,
        deprecated_storage,
        not_deprecated,
        printer_columns,
        storage_not_most_stable,
        unused,
    ],
}

/// Something a rule found.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    /// The API server's wording where it has one, field path first.
    pub message: String,
    pub span: Span,
    /// How to fix it, when the rule's doc is not enough (a suggested key, the pruned fields).
    pub help: Option<String>,
    /// The field path the server reports it at, where there is one.
    pub field: Option<String>,
    /// For a change between two revisions of a CRD (`upgrade/*`): the old and new values.
    pub change: Option<Box<Change>>,
}

/// What a change between two revisions of a CRD changed (`upgrade/*` findings): the old and the
/// new value as JSON (null where there is none), the versions whose schemas changed so, and the
/// field of the custom resources it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub old: serde_json::Value,
    pub new: serde_json::Value,
    /// The versions concerned (empty for a change of the whole definition).
    pub versions: Vec<String>,
    /// The field of the custom resources (`spec.ports[*].name`, `.*` for map values), or None
    /// for a change of the definition itself.
    pub path: Option<String>,
}

impl Finding {
    /// The field path and the cause reason, as the server reports them: the rule's own field,
    /// else the one the message starts with; the reason of a `field.Error`-worded message.
    pub fn field_and_reason(&self) -> (Option<&str>, Option<&'static str>) {
        let parsed = crate::wording::field_error::parse_message(&self.message);
        (
            self.field.as_deref().or(parsed.map(|(f, _)| f)),
            parsed.and_then(|(_, r)| r),
        )
    }

    pub fn new(rule: &'static str, message: impl Into<String>, span: Span) -> Self {
        Finding {
            rule,
            message: message.into(),
            span,
            help: None,
            field: None,
            change: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn with_change(mut self, change: Change) -> Self {
        self.change = Some(Box::new(change));
        self
    }
}

/// Settings some rules depend on.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The Kubernetes minor version targeted (`cel/unavailable`), when one is set.
    pub kubernetes_minor: Option<u32>,
    /// Rules whose checks need not run: off by default and switched on for no file (their
    /// findings would all be dropped).
    pub skip: Vec<&'static str>,
}

impl Context {
    fn runs(&self, id: &str) -> bool {
        !self.skip.contains(&id)
    }
}

/// Where a version's schema sits, for `version_schema` hooks.
pub struct SchemaSite<'a> {
    /// The `openAPIV3Schema` node as written.
    pub node: &'a Node,
    /// The path the server validates the schema at (`spec.validation.openAPIV3Schema` when all
    /// versions share it).
    pub path: &'a str,
    /// The path in the document (`spec.versions[0].schema.openAPIV3Schema`), for what strict
    /// decoding of the CRD object reports.
    pub doc_path: &'a str,
    /// Where findings about the schema root point (its `openAPIV3Schema` key).
    pub anchor: Span,
    /// Whether the status subresource applies to this schema.
    pub status_enabled: bool,
}

impl SchemaSite<'_> {
    /// The schema root, at its server path.
    pub fn root(&self) -> At<'_, '_> {
        At::new(self.node, self.path, self.anchor)
    }
}

pub type Out<'o> = &'o mut Vec<Finding>;

/// A lint rule: its id and the hooks it fills in (see the module doc).
#[derive(Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    pub document: Option<fn(&Node, Out)>,
    pub version_schema: Option<fn(&SchemaSite, Out)>,
    pub structural: Option<fn(&At, Level, Out)>,
    pub openapi: Option<fn(&At, &OpenApi, Out)>,
    pub compiled: Option<fn(&Schema, &str, Out)>,
    pub compiled_root: Option<fn(&Schema, &str, Out)>,
    pub compile_error: Option<fn(&CompileError, Out)>,
    pub cel_rule: Option<fn(&RuleAt, &Context, Out)>,
    pub upgrade: Option<fn(&Revision, Out)>,
    pub upgrade_pair: Option<fn(&Revision, &Pair, Out)>,
}

impl Rule {
    /// A rule with no hooks: one reported by another rule's pass (named in its file), or
    /// outside a CRD (`crd/v1beta1-removed`).
    pub const fn new(id: &'static str) -> Rule {
        Rule {
            id,
            document: None,
            version_schema: None,
            structural: None,
            openapi: None,
            compiled: None,
            compiled_root: None,
            compile_error: None,
            cel_rule: None,
            upgrade: None,
            upgrade_pair: None,
        }
    }
}

/// A hook with the id of its rule.
type WithId<F> = (&'static str, F);
type DocumentHook = fn(&Node, Out);
type CompiledHook = fn(&Schema, &str, Out);

/// The hooks of every registered rule, grouped once by kind.
struct Hooks {
    /// With their rule's id: `Context::skip` names rules whose checks need not run.
    document: Vec<WithId<DocumentHook>>,
    version_schema: Vec<fn(&SchemaSite, Out)>,
    structural: Vec<fn(&At, Level, Out)>,
    openapi: Vec<fn(&At, &OpenApi, Out)>,
    compiled: Vec<WithId<CompiledHook>>,
    compiled_root: Vec<fn(&Schema, &str, Out)>,
    compile_error: Vec<fn(&CompileError, Out)>,
    cel_rule: Vec<fn(&RuleAt, &Context, Out)>,
    upgrade: Vec<fn(&Revision, Out)>,
    upgrade_pair: Vec<fn(&Revision, &Pair, Out)>,
}

static HOOKS: LazyLock<Hooks> = LazyLock::new(|| {
    let rules = RULES;
    Hooks {
        document: rules
            .iter()
            .filter_map(|r| r.document.map(|h| (r.id, h)))
            .collect(),
        version_schema: rules.iter().filter_map(|r| r.version_schema).collect(),
        structural: rules.iter().filter_map(|r| r.structural).collect(),
        openapi: rules.iter().filter_map(|r| r.openapi).collect(),
        compiled: rules
            .iter()
            .filter_map(|r| r.compiled.map(|h| (r.id, h)))
            .collect(),
        compiled_root: rules.iter().filter_map(|r| r.compiled_root).collect(),
        compile_error: rules.iter().filter_map(|r| r.compile_error).collect(),
        cel_rule: rules.iter().filter_map(|r| r.cel_rule).collect(),
        upgrade: rules.iter().filter_map(|r| r.upgrade).collect(),
        upgrade_pair: rules.iter().filter_map(|r| r.upgrade_pair).collect(),
    }
});

/// Lint a v1 CRD document. `crd` is what `model` read from it (None when it cannot be used);
/// its schemas are linted only then, as the server validates them only then.
pub fn check_crd(root: &Node, crd: Option<&Crd>, ctx: &Context) -> Vec<Finding> {
    let hooks = &*HOOKS;
    let mut out = Vec::new();
    for (id, hook) in &hooks.document {
        if ctx.runs(id) {
            hook(root, &mut out);
        }
    }
    let Some(crd) = crd else {
        return out;
    };
    let versions_node = root
        .get("spec")
        .and_then(|s| s.get("versions"))
        .and_then(Node::as_seq)
        .unwrap_or_default();
    // A shared schema is validated with the status subresource if any version enables it.
    let any_status = versions_node.iter().any(has_status);
    for v in &crd.versions {
        // A shared schema is held, and reported, once.
        if crd.schema_shared && v.index > 0 {
            continue;
        }
        let Some(schema) = &v.schema else {
            continue;
        };
        let Some(version_node) = versions_node.get(v.index) else {
            continue;
        };
        let Some(node) = schema_node(version_node) else {
            continue;
        };
        let path = v.schema_path.as_str();
        for e in &v.compile_errors {
            for hook in &hooks.compile_error {
                hook(e, &mut out);
            }
        }
        let compiled: Vec<_> = (hooks.compiled.iter())
            .filter(|(id, _)| ctx.runs(id))
            .map(|(_, hook)| hook)
            .collect();
        walk::compiled::walk(schema, path, &mut |s, at| {
            for hook in &compiled {
                hook(s, at, &mut out);
            }
        });
        crate::cel::walk::each_rule(schema, path, &mut |at| {
            for hook in &hooks.cel_rule {
                hook(at, ctx, &mut out);
            }
        });
        for hook in &hooks.compiled_root {
            hook(schema, path, &mut out);
        }
        if node.as_map().is_none() {
            continue;
        }
        let anchor = version_node
            .get("schema")
            .and_then(|n| n.entry("openAPIV3Schema"))
            .map(|e| e.key_span)
            .unwrap_or(node.span);
        let site = SchemaSite {
            node,
            path,
            doc_path: &format!("spec.versions[{}].schema.openAPIV3Schema", v.index),
            anchor,
            status_enabled: if crd.schema_shared {
                any_status
            } else {
                has_status(version_node)
            },
        };
        check_version_schema(&site, &mut out);
    }
    out
}

/// Every rule that reads a version's schema as written.
pub fn check_version_schema(site: &SchemaSite, out: Out) {
    let hooks = &*HOOKS;
    let root = site.root();
    walk::schema_node::structural(&root, Level::Root, &mut |at, level| {
        for hook in &hooks.structural {
            hook(at, level, out);
        }
    });
    walk::schema_node::openapi(&root, &OpenApi::root(), &mut |at, ctx| {
        for hook in &hooks.openapi {
            hook(at, ctx, out);
        }
    });
    for hook in &hooks.version_schema {
        hook(site, out);
    }
}

/// Compare two revisions of one CRD (the same `metadata.name`): what the change from `old` to
/// `new` breaks for existing users and stored objects. Findings point into the new document.
/// Nothing is reported when the two specs are the same. `webhook_patch`: a kustomize patch of
/// the project sets a conversion webhook for the CRD (taken to hold for both revisions).
pub fn check_upgrade(
    old_root: &Node,
    old: &Crd,
    new_root: &Node,
    new: &Crd,
    webhook_patch: bool,
    ctx: &Context,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if old.spec_hash == new.spec_hash
        && old_root
            .get("spec")
            .zip(new_root.get("spec"))
            .is_some_and(|(a, b)| a.value.json_eq(&b.value))
    {
        return out;
    }
    let hooks = &*HOOKS;
    let rev = Revision {
        old: Side {
            root: old_root,
            crd: old,
            webhook_patch,
        },
        new: Side {
            root: new_root,
            crd: new,
            webhook_patch,
        },
        ctx,
    };
    for hook in &hooks.upgrade {
        hook(&rev, &mut out);
    }
    walk::revision::each_pair(&rev, &mut |pair| {
        for hook in &hooks.upgrade_pair {
            hook(&rev, pair, &mut out);
        }
    });
    out
}

/// Lint a CRD in a removed API version (`apiextensions.k8s.io/v1beta1`).
pub fn check_legacy_crd(root: &Node) -> Vec<Finding> {
    vec![crd::v1beta1_removed::finding(root)]
}
