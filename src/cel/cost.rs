//! The static cost of a CRD's CEL rules (for `cel/cost` and `cel/cost-high`).
//!
//! The API server estimates, when a CRD is created or updated, the worst-case cost of every
//! `rule` and `messageExpression` (cel-go `checker/cost.go`, with the sizes Kubernetes derives
//! from the schema in `apiserver/pkg/cel/common/schemas.go` and the costs of its own functions in
//! `apiserver/pkg/cel/library/cost.go`). A rule costs its estimate times the number of times it
//! can run (its *cardinality*: the product of the `maxItems`/`maxProperties` of the lists and
//! maps above it, or, under an unbounded one, how many of its values fit in a 3 MiB request). The
//! server refuses a CRD with a rule above 10,000,000 or a schema whose rules add up to more than
//! 100,000,000 (`apiextensions/validation/validation.go`).
//!
//! cel-rust has no type checker and no cost estimator, so this is crdlint's own estimate, built to
//! be a **lower bound** of the server's: every size it uses (string length, list and map size,
//! cardinality) is at most the one the server uses, every node costs at most what cel-go charges,
//! and whatever cannot be bounded (an unknown function, a `dyn` value, a value that only an
//! iteration over a computed list produces) counts as free. So when this estimate is over a limit
//! the server's is too, and the error is certain; the converse does not hold.

use crate::model::schema::{AdditionalProperties, Schema};
use crate::yaml::Node;
use cel::IdedExpr;
use cel::common::ast::{CallExpr, ComprehensionExpr, EntryExpr, Expr, LiteralValue};

/// `StaticEstimatedCostLimit`: the most one expression may cost.
pub const PER_EXPRESSION_LIMIT: u64 = 10_000_000;
/// `StaticEstimatedCRDCostLimit`: the most all expressions of one schema may cost together.
pub const PER_SCHEMA_LIMIT: u64 = 100_000_000;
/// `celconfig.MaxRequestSizeBytes`.
const MAX_REQUEST_SIZE_BYTES: u64 = 3 * 1024 * 1024;
/// A string without `maxLength`: the longest that fits in a request, less its quotes.
const UNBOUNDED_STRING: u64 = MAX_REQUEST_SIZE_BYTES - 2;
/// The size of a value cel-go cannot size: its `unknownSizeEstimate` takes the largest.
const UNSIZED: u64 = u64::MAX;
/// cel-go's `StringTraversalCostFactor` and `RegexStringLengthCostFactor`.
const STRING_TRAVERSAL: f64 = 0.1;
const REGEX_LENGTH: f64 = 0.25;
const LIST_CREATE: u64 = 10;
const MAP_CREATE: u64 = 30;
const STRUCT_CREATE: u64 = 40;

// ---------------------------------------------------------------------------------------------
// Arithmetic as cel-go does it: saturating, factors rounded up.

fn add(a: u64, b: u64) -> u64 {
    a.saturating_add(b)
}

fn mul(a: u64, b: u64) -> u64 {
    a.saturating_mul(b)
}

/// cel-go's `multiplyByCostFactor`: `ceil(x * factor)` in float64, saturating.
pub fn by_factor(x: u64, factor: f64) -> u64 {
    let xf = x as f64;
    if xf > 0.0 && factor > 0.0 && xf > u64::MAX as f64 / factor {
        return u64::MAX;
    }
    let c = (xf * factor).ceil();
    if c >= 18_446_744_073_709_551_616.0 {
        u64::MAX
    } else {
        c as u64
    }
}

/// validation.go `multiplyWithOverflowGuard`.
fn times_cardinality(cost: u64, cardinality: u64) -> u64 {
    if cost == 0 { 0 } else { mul(cost, cardinality) }
}

/// How much over a limit, worded as the API server's `getCostErrorMessage` does.
pub fn factor_text(cost: u64, limit: u64) -> String {
    let factor = cost as f64 / limit as f64;
    if factor > 100.0 {
        "more than 100x".to_string()
    } else if factor < 1.5 {
        format!("{factor:.6}x")
    } else {
        format!("{factor:.1}x")
    }
}

/// The server's message for a cost over a limit (`getCostErrorMessage`).
pub fn cost_message(cost_name: &str, cost: u64, limit: u64) -> String {
    format!(
        "{cost_name} exceeds budget by factor of {} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)",
        factor_text(cost, limit)
    )
}

// ---------------------------------------------------------------------------------------------
// Sizes the API server derives from a schema (`SchemaDeclType`).

fn non_negative(v: i64) -> u64 {
    v.max(0) as u64
}

/// `MinSerializedSize` of the schema's CEL type; None when the schema is not exposed to CEL
/// (no type, or a list or map of such). Where in doubt this errs high: a larger minimum size
/// only makes the estimated list sizes and cardinalities smaller.
pub fn min_size(s: &Schema) -> Option<u64> {
    if s.int_or_string {
        return Some(1);
    }
    match s.type_.as_str() {
        "array" => {
            min_size(s.items.as_deref()?)?;
            Some(2)
        }
        "object" => {
            if let Some(AdditionalProperties::Schema(a)) = &s.additional_properties {
                min_size(a)?;
                return Some(2);
            }
            let mut size = 2u64;
            for (name, prop) in &s.properties {
                if s.required.iter().any(|r| r == name)
                    && prop.default.is_none()
                    && let Some(m) = min_size(prop)
                {
                    size = add(size, add(name.len() as u64, add(m, 4)));
                }
            }
            Some(size)
        }
        "string" => Some(match s.format.as_str() {
            "duration" => 3,
            "date" => 12,
            "date-time" => 21,
            _ => 2,
        }),
        "boolean" => Some(4),
        "number" | "integer" => Some(1),
        _ => None,
    }
}

/// `estimateMaxArrayItemsFromMinSize` / `estimateMaxAdditionalPropertiesFromMinSize`.
fn list_max(s: &Schema) -> u64 {
    match s.limits().max_items {
        Some(n) => non_negative(n),
        None => match s.items.as_deref().and_then(min_size) {
            Some(m) => UNBOUNDED_STRING / (m + 1),
            None => 0,
        },
    }
}

fn map_max(s: &Schema, values: &Schema) -> u64 {
    match s.limits().max_properties {
        Some(n) => non_negative(n),
        None => match min_size(values) {
            Some(m) => UNBOUNDED_STRING / (m + 6),
            None => 0,
        },
    }
}

/// The length the server assumes for a string: 4 bytes per character of `maxLength`, the
/// longest `enum` value, or what fits in a request.
fn string_max(s: &Schema) -> u64 {
    if let Some(n) = s.limits().max_length {
        return non_negative(n).saturating_mul(if s.format == "byte" { 1 } else { 4 });
    }
    if s.format != "byte"
        && let Some(values) = s.enum_.as_ref().filter(|v| !v.is_empty())
    {
        return values
            .iter()
            .filter_map(|v| match v {
                crate::yaml::Value::String(s) => Some(s.len() as u64),
                _ => None,
            })
            .max()
            .unwrap_or(0);
    }
    UNBOUNDED_STRING
}

/// `extractMaxElements`: how many values of a child one value of `s` holds; None when unbounded.
fn child_factor(s: &Schema) -> Option<u64> {
    match s.type_.as_str() {
        "object" if s.additional_properties.is_some() => {
            s.limits().max_properties.map(non_negative)
        }
        "array" => s.limits().max_items.map(non_negative),
        _ => Some(1),
    }
}

// ---------------------------------------------------------------------------------------------
// Abstract values.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Str,
    Bytes,
    List,
    Map,
    Object,
    Int,
    Double,
    Bool,
    Time,
    Unknown,
}

impl Kind {
    fn numeric(self) -> bool {
        matches!(self, Kind::Int | Kind::Double | Kind::Time)
    }
    fn sized(self) -> bool {
        matches!(self, Kind::Str | Kind::Bytes | Kind::List | Kind::Map)
    }
}

/// What the estimator knows of a value: its kind, a lower bound of the size cel-go assumes
/// (characters, bytes, items or entries; 0 when nothing is known) and, for values reached from
/// `self` through fields, items and map values, their schema (cel-go looks sizes up along that
/// path; for computed values it does not).
#[derive(Clone, Copy, Debug)]
struct Val<'a> {
    kind: Kind,
    size: u64,
    schema: Option<&'a Schema>,
    /// The schema is a resource root: `apiVersion`, `kind` and `metadata.name` are always there.
    resource_root: bool,
    /// The `metadata` the server puts in a resource root's type: `name` and `generateName`.
    synthetic_meta: bool,
    /// The kind of a list literal's items, when they are all of one kind (the checker types
    /// `[0, 1]` as a list of int, so `x + 1` over it is an integer addition, which costs 1).
    items: Kind,
}

const UNKNOWN: Val<'static> = Val::computed(Kind::Unknown, 0);

impl<'a> Val<'a> {
    const fn computed(kind: Kind, size: u64) -> Val<'a> {
        Val {
            kind,
            size,
            schema: None,
            resource_root: false,
            synthetic_meta: false,
            items: Kind::Unknown,
        }
    }

    fn of_schema(s: &'a Schema, resource_root: bool) -> Val<'a> {
        let (kind, size) = if s.int_or_string {
            (Kind::Unknown, 0)
        } else {
            match s.type_.as_str() {
                "string" => match s.format.as_str() {
                    "byte" => (Kind::Bytes, string_max(s)),
                    "duration" | "date" | "date-time" => (Kind::Time, 0),
                    _ => (Kind::Str, string_max(s)),
                },
                "array" if s.items.as_deref().and_then(min_size).is_some() => {
                    (Kind::List, list_max(s))
                }
                "object" => match &s.additional_properties {
                    Some(AdditionalProperties::Schema(a)) if min_size(a).is_some() => {
                        (Kind::Map, map_max(s, a))
                    }
                    Some(AdditionalProperties::Schema(_)) => (Kind::Unknown, 0),
                    _ => (Kind::Object, 0),
                },
                "integer" => (Kind::Int, 0),
                "number" => (Kind::Double, 0),
                "boolean" => (Kind::Bool, 0),
                _ => (Kind::Unknown, 0),
            }
        };
        Val {
            kind,
            size,
            schema: (kind != Kind::Unknown).then_some(s),
            resource_root: resource_root || s.embedded_resource,
            synthetic_meta: false,
            items: Kind::Unknown,
        }
    }

    /// The value's items (list) or values (map), when reached along a schema path; a list
    /// literal's items, of their kind when it is known (their size is not tracked: 0).
    fn element(&self) -> Val<'a> {
        let Some(s) = self.schema else {
            return match self.kind {
                Kind::List => Val::computed(self.items, 0),
                _ => UNKNOWN,
            };
        };
        match self.kind {
            Kind::List => s
                .items
                .as_deref()
                .map(|i| Val::of_schema(i, false))
                .unwrap_or(UNKNOWN),
            Kind::Map => match &s.additional_properties {
                Some(AdditionalProperties::Schema(a)) => Val::of_schema(a, false),
                _ => UNKNOWN,
            },
            _ => UNKNOWN,
        }
    }

    /// What a one-variable comprehension binds: list items, or map keys (whose size the server
    /// does not bound).
    fn iteration_value(&self) -> Val<'a> {
        match self.kind {
            Kind::List => self.element(),
            Kind::Map => Val::computed(Kind::Str, 0),
            _ => UNKNOWN,
        }
    }

    fn field(&self, name: &str) -> Val<'a> {
        if self.synthetic_meta {
            return match name {
                "name" | "generateName" => Val::computed(Kind::Str, UNBOUNDED_STRING),
                _ => UNKNOWN,
            };
        }
        let Some(s) = self.schema else {
            return UNKNOWN;
        };
        match self.kind {
            // `m.k` on a map: Kubernetes looks sizes up by schema path, and `k` is no property
            // (`m['k']` is `@values`), so a sized value reached so has the largest size.
            Kind::Map => {
                let value = self.element();
                let size = if value.kind.sized() { UNSIZED } else { 0 };
                Val::computed(value.kind, size)
            }
            Kind::Object => {
                if self.resource_root && !declares_type_and_object_meta(s) {
                    match name {
                        "kind" | "apiVersion" => {
                            return Val::computed(Kind::Str, UNBOUNDED_STRING);
                        }
                        "metadata" => {
                            return Val {
                                synthetic_meta: true,
                                ..Val::computed(Kind::Object, 0)
                            };
                        }
                        _ => {}
                    }
                }
                property(s, name)
                    .map(|p| Val::of_schema(p, false))
                    .unwrap_or(UNKNOWN)
            }
            _ => UNKNOWN,
        }
    }
}

/// `WithTypeAndObjectMeta`: a resource root that declares all of these keeps its own schema for
/// them; otherwise the server replaces them with plain (unbounded) strings.
fn declares_type_and_object_meta(s: &Schema) -> bool {
    let is = |s: Option<&Schema>, t: &str| s.is_some_and(|s| s.type_ == t);
    let meta = s.properties.get("metadata");
    is(s.properties.get("kind"), "string")
        && is(s.properties.get("apiVersion"), "string")
        && is(meta, "object")
        && is(meta.and_then(|m| m.properties.get("name")), "string")
        && is(
            meta.and_then(|m| m.properties.get("generateName")),
            "string",
        )
}

/// The property a CEL field name refers to (Kubernetes escaping: `__dash__`, `__dot__`,
/// `__slash__`, `__underscores__`, and `__keyword__` for CEL reserved words).
fn property<'a>(s: &'a Schema, field: &str) -> Option<&'a Schema> {
    if let Some(p) = s.properties.get(field) {
        return Some(p);
    }
    const RESERVED: [&str; 21] = [
        "true",
        "false",
        "null",
        "in",
        "as",
        "break",
        "const",
        "continue",
        "else",
        "for",
        "function",
        "if",
        "import",
        "let",
        "loop",
        "package",
        "namespace",
        "return",
        "var",
        "void",
        "while",
    ];
    let unwrapped = field
        .strip_prefix("__")
        .and_then(|f| f.strip_suffix("__"))
        .filter(|f| RESERVED.contains(f));
    s.properties.iter().find_map(|(name, p)| {
        (crate::cel::escaping::k8s_escape(name) == field || unwrapped == Some(name.as_str()))
            .then_some(p)
    })
}

// ---------------------------------------------------------------------------------------------
// The estimator.

struct Estimator<'a> {
    scopes: Vec<(String, Val<'a>)>,
    /// The text has `!!` or `--`: cel-rust keeps one `!_`/`-_` call where cel-go keeps none, so
    /// those calls are counted as free.
    doubled_unary: bool,
}

/// Macros cel-go expands that cel-rust parses as plain calls: their arguments are not all
/// evaluated once each, so only their target is counted. (The comprehensions, one- and
/// two-variable, and `optMap`/`optFlatMap` are expanded by the parser and costed as what they
/// expand to; a call of one of their names left over has the wrong number of arguments for the
/// macro. `cel.bind` is not a macro in Kubernetes: a rule calling it does not compile.)
const UNEXPANDED_MACROS: [&str; 10] = [
    "all",
    "exists",
    "exists_one",
    "existsOne",
    "map",
    "filter",
    "transformList",
    "transformMap",
    "transformMapEntry",
    "sortBy",
];

/// cel-go functions charged the base cost of 1 that no Kubernetes library re-prices.
const UNIT_COST: [&str; 25] = [
    "size",
    "int",
    "uint",
    "double",
    "bool",
    "type",
    "duration",
    "timestamp",
    "_-_",
    "_*_",
    "_/_",
    "_%_",
    "_[_]",
    "@not_strictly_false",
    "getFullYear",
    "getMonth",
    "getDate",
    "getDayOfMonth",
    "getDayOfWeek",
    "getDayOfYear",
    "getHours",
    "getMinutes",
    "getSeconds",
    "getMilliseconds",
    "dyn",
];

impl<'a> Estimator<'a> {
    fn lookup(&self, name: &str) -> Option<Val<'a>> {
        self.scopes
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }

    fn with<T>(&mut self, vars: &[(&str, Val<'a>)], f: impl FnOnce(&mut Self) -> T) -> T {
        let depth = self.scopes.len();
        self.scopes
            .extend(vars.iter().map(|(n, v)| (n.to_string(), *v)));
        let out = f(self);
        self.scopes.truncate(depth);
        out
    }

    /// (lower bound of cel-go's maximum cost, what is known of the value)
    fn cost(&mut self, e: &IdedExpr) -> (u64, Val<'a>) {
        match &e.expr {
            Expr::Literal(l) => (0, literal(l)),
            Expr::Ident(name) => match self.lookup(name) {
                Some(v) => (1, v),
                // A namespace (`format.dns1123Label()`): not a value.
                None => (0, UNKNOWN),
            },
            Expr::Select(sel) => {
                let (c, operand) = self.cost(&sel.operand);
                if sel.test {
                    // has(): Kubernetes sets PresenceTestHasCost(false).
                    return (c, Val::computed(Kind::Bool, 0));
                }
                let select = u64::from(matches!(operand.kind, Kind::Object | Kind::Map));
                (add(c, select), operand.field(&sel.field))
            }
            Expr::List(list) => {
                let mut c = LIST_CREATE;
                let mut items: Option<Kind> = None;
                for el in &list.elements {
                    let (cost, v) = self.cost(el);
                    c = add(c, cost);
                    items = match items {
                        None => Some(v.kind),
                        Some(k) if k == v.kind => Some(k),
                        Some(_) => Some(Kind::Unknown),
                    };
                }
                let mut value = Val::computed(Kind::List, list.elements.len() as u64);
                value.items = items.unwrap_or(Kind::Unknown);
                (c, value)
            }
            Expr::Map(map) => {
                let mut c = MAP_CREATE;
                for entry in &map.entries {
                    if let EntryExpr::MapEntry(m) = &entry.expr {
                        c = add(c, add(self.cost(&m.key).0, self.cost(&m.value).0));
                    }
                }
                (c, Val::computed(Kind::Map, map.entries.len() as u64))
            }
            Expr::Struct(st) => {
                let mut c = STRUCT_CREATE;
                for entry in &st.entries {
                    if let EntryExpr::StructField(f) = &entry.expr {
                        c = add(c, self.cost(&f.value).0);
                    }
                }
                (c, UNKNOWN)
            }
            Expr::Comprehension(comp) => self.comprehension(comp),
            Expr::Call(call) => self.call(call),
            Expr::Unspecified => (0, UNKNOWN),
        }
    }

    fn comprehension(&mut self, comp: &ComprehensionExpr) -> (u64, Val<'a>) {
        let (range_cost, range) = self.cost(&comp.iter_range);
        let (init_cost, init) = self.cost(&comp.accu_init);
        let accu = (comp.accu_var.as_str(), init);
        let iter_vars: Vec<(&str, Val<'a>)> = match &comp.iter_var2 {
            Some(v2) => vec![
                (comp.iter_var.as_str(), key_of(range)),
                (v2.as_str(), range.element()),
            ],
            None => vec![(comp.iter_var.as_str(), range.iteration_value())],
        };
        let mut vars = vec![accu];
        vars.extend(iter_vars);
        let per_iteration = self.with(&vars, |est| {
            add(est.cost(&comp.loop_cond).0, est.cost(&comp.loop_step).0)
        });
        let (result_cost, result) = self.with(&[accu], |est| est.cost(&comp.result));
        let cost = add(
            add(range_cost, init_cost),
            add(result_cost, mul(range.size, per_iteration)),
        );
        let returns_accu = matches!(&comp.result.expr, Expr::Ident(n) if *n == comp.accu_var);
        let value = match &comp.accu_init.expr {
            // The bind inside `optMap`, `existsOne`'s comparison.
            _ if !returns_accu => result,
            Expr::List(_) => Val::computed(Kind::List, range.size),
            Expr::Map(_) => Val::computed(Kind::Map, range.size),
            _ => Val::computed(init.kind, 0),
        };
        (cost, value)
    }

    /// A cel-go macro that cel-rust leaves as a call (`sortBy`, or a macro name with the wrong
    /// number of arguments): only its target is counted. None when it is not one.
    fn unexpanded_macro(&mut self, call: &CallExpr) -> Option<(u64, Val<'a>)> {
        if !UNEXPANDED_MACROS.contains(&call.func_name.as_str()) {
            return None;
        }
        let target_cost = match call.target.as_deref() {
            Some(t) => self.cost(t).0,
            None => 0,
        };
        Some((target_cost, UNKNOWN))
    }

    fn call(&mut self, call: &CallExpr) -> (u64, Val<'a>) {
        if let Some(r) = self.unexpanded_macro(call) {
            return r;
        }
        let name = call.func_name.as_str();
        if name == "_?_:_" && call.target.is_none() && call.args.len() == 3 {
            // cond + max(then, else)
            let (c0, _) = self.cost(&call.args[0]);
            let (c1, v1) = self.cost(&call.args[1]);
            let (c2, v2) = self.cost(&call.args[2]);
            let kind = match (v1.kind, v2.kind) {
                (a, b) if a == b => a,
                (Kind::Unknown, b) => b,
                (a, Kind::Unknown) => a,
                _ => Kind::Unknown,
            };
            return (
                add(c0, c1.max(c2)),
                Val::computed(kind, v1.size.max(v2.size)),
            );
        }
        // `ns.f(x)` with a namespace `ns` is a global function in cel-go.
        let namespaced = call
            .target
            .as_deref()
            .is_some_and(|t| matches!(&t.expr, Expr::Ident(n) if self.lookup(n).is_none()));
        let (target_cost, target) = match call.target.as_deref() {
            Some(t) if !namespaced => {
                let (c, v) = self.cost(t);
                (c, Some(v))
            }
            _ => (0, None),
        };
        let mut args_cost = 0u64;
        let mut args = Vec::with_capacity(call.args.len());
        for a in &call.args {
            let (c, v) = self.cost(a);
            args_cost = add(args_cost, c);
            args.push(v);
        }
        let base = add(target_cost, args_cost);
        if namespaced {
            return (base, UNKNOWN);
        }
        let (own, value) = self.function(name, target, &args, call);
        (add(base, own), value)
    }

    /// The cost of the function itself (cel-go `functionCost`, Kubernetes `EstimateCallCost`)
    /// and its result.
    fn function(
        &self,
        name: &str,
        target: Option<Val<'a>>,
        args: &[Val<'a>],
        call: &CallExpr,
    ) -> (u64, Val<'a>) {
        let bool_ = Val::computed(Kind::Bool, 0);
        let arg = |i: usize| args.get(i).copied().unwrap_or(UNKNOWN);
        let size_of = |v: Val| if v.kind.sized() { v.size } else { 0 };
        match (name, target) {
            ("_&&_" | "_||_", None) => {
                // Only the operands: lhs + rhs.
                (0, bool_)
            }
            ("_==_" | "_!=_", None) => {
                let (l, r) = (arg(0), arg(1));
                let smallest = scalar_size(l).min(scalar_size(r));
                (by_factor(smallest, STRING_TRAVERSAL), bool_)
            }
            ("_<_" | "_<=_" | "_>_" | "_>=_", None) => {
                let (l, r) = (arg(0), arg(1));
                let own = if (l.kind == Kind::Str && r.kind == Kind::Str)
                    || (l.kind == Kind::Bytes && r.kind == Kind::Bytes)
                {
                    by_factor(l.size.min(r.size), STRING_TRAVERSAL)
                } else if l.kind.numeric() || r.kind.numeric() {
                    1
                } else {
                    0
                };
                (own, bool_)
            }
            ("_+_", None) => {
                let (l, r) = (arg(0), arg(1));
                let kinds = [l.kind, r.kind];
                if kinds.contains(&Kind::Str) || kinds.contains(&Kind::Bytes) {
                    let kind = if kinds.contains(&Kind::Str) {
                        Kind::Str
                    } else {
                        Kind::Bytes
                    };
                    let size = add(size_of(l), size_of(r));
                    (by_factor(size, STRING_TRAVERSAL), Val::computed(kind, size))
                } else if kinds.contains(&Kind::List) {
                    (1, Val::computed(Kind::List, add(size_of(l), size_of(r))))
                } else if l.kind.numeric() || r.kind.numeric() {
                    let kind = if l.kind == r.kind {
                        l.kind
                    } else {
                        Kind::Unknown
                    };
                    (1, Val::computed(kind, 0))
                } else {
                    (0, UNKNOWN)
                }
            }
            ("!_" | "-_", None) => {
                let own = u64::from(!self.doubled_unary);
                let kind = if name == "!_" {
                    Kind::Bool
                } else {
                    arg(0).kind
                };
                (own, Val::computed(kind, 0))
            }
            ("@in", None) => {
                let container = arg(1);
                let own = match container.kind {
                    Kind::List => container.size,
                    Kind::Map => 1,
                    _ => 0,
                };
                (own, bool_)
            }
            ("_[_]", None) => {
                let container = arg(0);
                (1, container.element())
            }
            ("matches", Some(t)) if args.len() == 1 && t.kind == Kind::Str => {
                let regex = by_factor(size_of(arg(0)), REGEX_LENGTH);
                (mul(by_factor(t.size, STRING_TRAVERSAL), regex), bool_)
            }
            ("contains", Some(t)) if args.len() == 1 && t.kind == Kind::Str => {
                let sub = by_factor(size_of(arg(0)), STRING_TRAVERSAL);
                (mul(by_factor(t.size, STRING_TRAVERSAL), sub), bool_)
            }
            ("startsWith" | "endsWith", Some(_)) if args.len() == 1 => {
                (by_factor(size_of(arg(0)), STRING_TRAVERSAL), bool_)
            }
            // Kubernetes' string library.
            ("lowerAscii" | "upperAscii" | "trim" | "substring", Some(t))
                if t.kind == Kind::Str =>
            {
                (
                    by_factor(t.size, STRING_TRAVERSAL),
                    Val::computed(Kind::Str, t.size),
                )
            }
            ("replace", Some(t)) if t.kind == Kind::Str && args.len() >= 2 => (
                by_factor(t.size, 2.0 * STRING_TRAVERSAL),
                Val::computed(Kind::Str, 0),
            ),
            ("split", Some(t)) if t.kind == Kind::Str => {
                let limit = int_argument(call, 1)
                    .and_then(|n| u64::try_from(n).ok())
                    .unwrap_or(t.size);
                (
                    by_factor(t.size, 2.0 * STRING_TRAVERSAL),
                    Val::computed(Kind::List, limit),
                )
            }
            ("join", Some(t)) if t.kind == Kind::List => {
                // Kubernetes sizes the items by the list's schema path; a computed list (a
                // literal, map/filter, split) has none, and a string without one is taken as
                // the largest (library/cost.go `listElementNode`).
                let item_size = match t.schema {
                    None => UNSIZED,
                    Some(_) => {
                        let el = t.element();
                        if el.kind == Kind::Str { el.size } else { 0 }
                    }
                };
                let items = mul(t.size, item_size);
                let separators = mul(size_of(arg(0)), t.size.saturating_sub(1));
                let size = add(items, separators);
                (
                    by_factor(size, STRING_TRAVERSAL),
                    Val::computed(Kind::Str, size),
                )
            }
            ("find" | "findAll", Some(t)) if t.kind == Kind::Str && args.len() == 1 => {
                let regex = by_factor(size_of(arg(0)), REGEX_LENGTH);
                let kind = if name == "find" {
                    Kind::Str
                } else {
                    Kind::List
                };
                (
                    mul(by_factor(t.size, STRING_TRAVERSAL), regex),
                    Val::computed(kind, 0),
                )
            }
            // Kubernetes' list library (indexOf/lastIndexOf also on strings).
            ("isSorted" | "sum" | "max" | "min" | "indexOf" | "lastIndexOf", Some(t)) => {
                let result = match name {
                    "isSorted" => bool_,
                    "indexOf" | "lastIndexOf" => Val::computed(Kind::Int, 0),
                    _ => UNKNOWN,
                };
                let own = match t.kind {
                    Kind::List => {
                        let el = t.element();
                        let per_item = if matches!(el.kind, Kind::Str | Kind::Bytes) {
                            add(1, by_factor(el.size, STRING_TRAVERSAL))
                        } else {
                            1
                        };
                        mul(t.size, per_item)
                    }
                    Kind::Str => by_factor(t.size, STRING_TRAVERSAL),
                    _ => 0,
                };
                (own, result)
            }
            // Results cel-go gives no size, which it takes as the largest: a string's
            // `format` and `charAt` (ext strings), `orValue` of a sized default (the optional
            // library), a URL's parts.
            ("format" | "charAt", Some(t)) if t.kind == Kind::Str => {
                let own = if name == "format" {
                    by_factor(t.size, STRING_TRAVERSAL)
                } else {
                    1
                };
                (own, Val::computed(Kind::Str, UNSIZED))
            }
            // (Not counted itself, as the other optional functions are not.)
            ("orValue", Some(_)) if arg(0).kind.sized() => (0, Val::computed(arg(0).kind, UNSIZED)),
            // `format.<name>().validate(s)`: an optional list of messages cel-go cannot size
            // (so the largest); `value()` is that list.
            ("validate", Some(_)) if args.len() == 1 => (0, Val::computed(Kind::List, UNSIZED)),
            ("value", Some(t)) if t.kind == Kind::List && t.schema.is_none() => (0, t),
            // The lists library's reorderings keep the list's length but lose its schema path,
            // so their items have no size (the largest, in `join`). Their own price is not
            // counted (a lower bound).
            ("distinct" | "sort" | "reverse", Some(t))
                if t.kind == Kind::List && args.is_empty() =>
            {
                (0, Val::computed(Kind::List, t.size))
            }
            // `slice(i, j)` with constant bounds is `j - i` items long to cel-go (`slice(0, 0)`
            // joins to nothing), other bounds as long as the list; its items have no size.
            ("slice", Some(t)) if t.kind == Kind::List => {
                match (int_argument(call, 0), int_argument(call, 1)) {
                    (Some(i), Some(j)) if j >= i => (0, Val::computed(Kind::List, (j - i) as u64)),
                    (Some(_), Some(_)) => (0, UNKNOWN),
                    _ => (0, Val::computed(Kind::List, t.size)),
                }
            }
            ("getScheme" | "getHost" | "getHostname" | "getPort" | "getEscapedPath", Some(_)) => {
                (1, Val::computed(Kind::Str, UNSIZED))
            }
            ("url", None) if args.len() == 1 => {
                (by_factor(size_of(arg(0)), STRING_TRAVERSAL), UNKNOWN)
            }
            (n, _) if UNIT_COST.contains(&n) => {
                let kind = match n {
                    "size" | "int" | "getFullYear" | "getMonth" | "getDate" | "getDayOfMonth"
                    | "getDayOfWeek" | "getDayOfYear" | "getHours" | "getMinutes"
                    | "getSeconds" | "getMilliseconds" => Kind::Int,
                    "double" => Kind::Double,
                    "bool" => Kind::Bool,
                    "duration" | "timestamp" => Kind::Time,
                    _ => Kind::Unknown,
                };
                (1, Val::computed(kind, 0))
            }
            ("string", None) => {
                // string(bytes) is priced by size; other conversions cost 1.
                let from = arg(0);
                let own = u64::from(from.kind != Kind::Bytes && from.kind != Kind::Unknown);
                // cel-go bounds only `string(bytes)` (by the bytes' size); any other conversion
                // has no result size, which cel-go takes as the largest (`unknownSizeEstimate`),
                // so concatenating or matching it exceeds every budget.
                let size = match from.kind {
                    Kind::Bytes => from.size,
                    Kind::Unknown => 0,
                    _ => UNSIZED,
                };
                (own, Val::computed(Kind::Str, size))
            }
            // Anything else: free (a Kubernetes or extension function priced by size may cost
            // nothing on empty input).
            _ => (0, UNKNOWN),
        }
    }
}

/// Argument `i` of a call, when it is an integer constant.
fn int_argument(call: &CallExpr, i: usize) -> Option<i64> {
    match call.args.get(i).map(|a| &a.expr) {
        Some(Expr::Literal(LiteralValue::Int(n))) => Some(*n.inner()),
        _ => None,
    }
}

/// The size cel-go uses in equality: strings, bytes, lists and maps by length, scalar literals 1.
fn scalar_size(v: Val) -> u64 {
    if v.kind.sized() || (v.schema.is_none() && v.size > 0) {
        v.size
    } else {
        0
    }
}

fn key_of(range: Val) -> Val {
    match range.kind {
        Kind::List => Val::computed(Kind::Int, 0),
        Kind::Map => Val::computed(Kind::Str, 0),
        _ => UNKNOWN,
    }
}

fn literal<'a>(l: &LiteralValue) -> Val<'a> {
    match l {
        LiteralValue::String(s) => Val::computed(Kind::Str, s.inner().chars().count() as u64),
        LiteralValue::Bytes(b) => Val::computed(Kind::Bytes, b.inner().len() as u64),
        LiteralValue::Int(_) | LiteralValue::UInt(_) => Val::computed(Kind::Int, 1),
        LiteralValue::Double(_) => Val::computed(Kind::Double, 1),
        LiteralValue::Boolean(_) => Val::computed(Kind::Bool, 1),
        LiteralValue::Null => Val::computed(Kind::Unknown, 1),
    }
}

/// A lower bound of cel-go's maximum estimated cost of `expression` evaluated with `self` (and
/// `oldSelf`) of schema `node`; None when it does not parse (reported as `cel/compile-error`).
pub fn estimate(expression: &str, node: &Schema, resource_root: bool) -> Option<u64> {
    let program = super::compile::parsed(expression).ok()?;
    let squeezed: String = expression.chars().filter(|c| !c.is_whitespace()).collect();
    let this = Val::of_schema(node, resource_root);
    let mut est = Estimator {
        scopes: vec![("self".into(), this), ("oldSelf".into(), this)],
        doubled_unary: squeezed.contains("!!") || squeezed.contains("--"),
    };
    Some(est.cost(program.expression()).0)
}

// ---------------------------------------------------------------------------------------------
// The cost of every expression of a schema.

/// One expression's estimated cost, multiplied by the number of times it can run.
#[derive(Debug, Clone)]
pub struct ExpressionCost {
    /// `...x-kubernetes-validations[i].rule` (or `.messageExpression`).
    pub field: String,
    /// What the server calls it: `estimated rule cost`, `estimated messageExpression cost`.
    pub name: &'static str,
    pub cost: u64,
    pub span: crate::source::Span,
}

/// Every `rule` and `messageExpression` of the schema rooted at `path`, with its cost, in the
/// server's walk order (properties, additionalProperties, items).
pub fn schema_costs(root: &Schema, path: &str) -> Vec<ExpressionCost> {
    let mut out = Vec::new();
    visit(root, &mut path.to_string(), Some(1), true, &mut out);
    out
}

/// The total of a schema's costs, saturating as the server adds them.
pub fn total(costs: &[ExpressionCost]) -> u64 {
    costs.iter().fold(0u64, |t, o| add(t, o.cost))
}

/// Walk the schema as the API server does (properties, additionalProperties, items), with the
/// cardinality of each node (None: under an unbounded list or map). `path` is extended in place
/// and restored, so nodes without rules cost no allocation.
fn visit(
    s: &Schema,
    path: &mut String,
    cardinality: Option<u64>,
    resource_root: bool,
    out: &mut Vec<ExpressionCost>,
) {
    if !s.below.may_have_validations() {
        return;
    }
    if let Some(list) = &s.validations {
        rule_costs(s, list, path, cardinality, resource_root, out);
    }
    let child = cardinality.zip(child_factor(s)).map(|(c, f)| mul(c, f));
    let len = path.len();
    for (k, p) in &s.properties {
        path.push_str(".properties[");
        path.push_str(k);
        path.push(']');
        visit(p, path, child, false, out);
        path.truncate(len);
    }
    if let Some(AdditionalProperties::Schema(a)) = &s.additional_properties {
        path.push_str(".additionalProperties");
        visit(a, path, child, false, out);
        path.truncate(len);
    }
    if let Some(i) = &s.items {
        path.push_str(".items");
        visit(i, path, child, false, out);
        path.truncate(len);
    }
}

fn rule_costs(
    s: &Schema,
    list: &Node,
    path: &str,
    cardinality: Option<u64>,
    resource_root: bool,
    out: &mut Vec<ExpressionCost>,
) {
    // Under an unbounded list or map: how many values of this schema fit in a request.
    let cardinality = match cardinality {
        Some(c) => c,
        None => match min_size(s) {
            Some(m) => MAX_REQUEST_SIZE_BYTES / (m + 1),
            None => return,
        },
    };
    let estimated = |rule: &Node, key: &str| {
        let node = rule.get(key)?;
        let text = node.as_str().filter(|t| !t.trim().is_empty())?;
        Some((estimate(text, s, resource_root)?, node.span))
    };
    for (i, rule) in list.as_seq().unwrap_or_default().iter().enumerate() {
        let Some((rule_cost, span)) = estimated(rule, "rule") else {
            continue;
        };
        out.push(ExpressionCost {
            field: format!("{path}.x-kubernetes-validations[{i}].rule"),
            name: "estimated rule cost",
            cost: times_cardinality(rule_cost, cardinality),
            span,
        });
        // A messageExpression runs once per failing rule: not multiplied by the cardinality.
        if let Some((cost, span)) = estimated(rule, "messageExpression") {
            out.push(ExpressionCost {
                field: format!("{path}.x-kubernetes-validations[{i}].messageExpression"),
                name: "estimated messageExpression cost",
                cost,
                span,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(yaml: &str) -> Schema {
        let doc = crate::yaml::parse_stream(yaml).remove(0);
        let mut problems = Vec::new();
        let s = Schema::compile(&doc.root.unwrap(), "s", &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        s
    }

    fn cost(rule: &str, node: &str) -> u64 {
        estimate(rule, &schema(node), false).unwrap()
    }

    #[test]
    fn factors_are_worded_as_the_api_server_words_them() {
        assert_eq!(factor_text(12_000_000, 10_000_000), "1.200000x");
        assert_eq!(factor_text(10_000_003, 10_000_000), "1.000000x");
        assert_eq!(factor_text(15_000_000, 10_000_000), "1.5x");
        // Go's %.1f rounds an exact tie to even, as Rust does.
        assert_eq!(factor_text(22_500_000, 10_000_000), "2.2x");
        assert_eq!(factor_text(1_000_000_000, 10_000_000), "100.0x");
        assert_eq!(factor_text(1_000_000_001, 10_000_000), "more than 100x");
        assert_eq!(factor_text(u64::MAX, 100_000_000), "more than 100x");
    }

    #[test]
    fn cost_factors_round_up_in_float64() {
        assert_eq!(by_factor(16 * 4, STRING_TRAVERSAL), 7);
        assert_eq!(by_factor(30, STRING_TRAVERSAL), 3);
        assert_eq!(by_factor(3_145_726, STRING_TRAVERSAL), 314_573);
        assert_eq!(by_factor(67, REGEX_LENGTH), 17);
        assert_eq!(by_factor(0, STRING_TRAVERSAL), 0);
        assert_eq!(
            by_factor(u64::MAX, STRING_TRAVERSAL),
            1_844_674_407_370_955_264
        );
    }

    #[test]
    fn string_sizes_follow_the_schema() {
        // 4 bytes per character of maxLength; bytes by maxLength; the longest enum value;
        // otherwise a whole request less the quotes.
        assert_eq!(string_max(&schema("{type: string, maxLength: 16}")), 64);
        assert_eq!(
            string_max(&schema("{type: string, format: byte, maxLength: 16}")),
            16
        );
        assert_eq!(string_max(&schema("{type: string, enum: [a, bbb, cc]}")), 3);
        assert_eq!(string_max(&schema("{type: string}")), 3_145_726);
        assert_eq!(string_max(&schema("{type: string, maxLength: -1}")), 0);
    }

    #[test]
    fn list_and_map_sizes_follow_the_smallest_serialized_item() {
        assert_eq!(
            list_max(&schema("{type: array, maxItems: 7, items: {type: string}}")),
            7
        );
        // "" and a comma: 3 bytes an item.
        assert_eq!(
            list_max(&schema("{type: array, items: {type: string}}")),
            1_048_575
        );
        assert_eq!(
            list_max(&schema("{type: array, items: {type: integer}}")),
            1_572_863
        );
        assert_eq!(
            list_max(&schema("{type: array, items: {type: boolean}}")),
            629_145
        );
        // {"name":""}: 2 + 4 + 2 + 4 = 12; a required property with a default does not count.
        let objects = "{type: array, items: {type: object, required: [name, kind], properties: {name: {type: string}, kind: {type: string, default: x}, other: {type: string}}}}";
        assert_eq!(
            min_size(schema(objects).items.as_deref().unwrap()),
            Some(12)
        );
        assert_eq!(list_max(&schema(objects)), 241_978);
        let map = schema("{type: object, additionalProperties: {type: integer}}");
        let AdditionalProperties::Schema(values) = map.additional_properties.as_ref().unwrap()
        else {
            unreachable!()
        };
        assert_eq!(map_max(&map, values), 449_389);
        // Items without a type are not exposed to CEL.
        assert_eq!(
            min_size(&schema("{type: array, items: {description: x}}")),
            None
        );
    }

    #[test]
    fn operations_cost_what_cel_go_charges() {
        let obj = "{type: object, properties: {s: {type: string, maxLength: 10}, n: {type: integer}, l: {type: array, maxItems: 20, items: {type: string, maxLength: 5}}, m: {type: object, maxProperties: 4, additionalProperties: {type: string}}}}";
        // ident 1, select on an object 1, literal 0, `<` on ints 1.
        assert_eq!(cost("self.n < 5", obj), 3);
        // has() costs nothing more than its operand.
        assert_eq!(cost("has(self.s)", obj), 1);
        // String equality: a tenth of the shorter side (11 characters, not 4 x 10).
        assert_eq!(cost("self.s == 'abcdefghijk'", obj), 2 + 2);
        // matches: ceil(40 * 0.1) * ceil(3 * 0.25).
        assert_eq!(cost("self.s.matches('^a$')", obj), 2 + 4);
        // `in` a list: its size; && adds both sides.
        assert_eq!(cost("'a' in self.l && self.n > 0", obj), 2 + 20 + 3);
        // The conditional adds the dearer branch only.
        assert_eq!(
            cost("self.n > 0 ? self.s.matches('^a$') : true", obj),
            3 + 6
        );
        // map(): [] 10, result 1, per item the step (accu 1 + [f] 10 + f + append 1).
        assert_eq!(
            cost("self.l.map(x, x).size() > 0", obj),
            2 + 10 + 1 + 20 * 13 + 1 + 1
        );
        // all() over a map of 4: per key the condition (2) and step (accu 1, self.m[k] 4, and
        // `!= ''` a tenth of the empty side, 0).
        assert_eq!(
            cost("self.m.all(k, self.m[k] != '')", obj),
            2 + 1 + 4 * (2 + 1 + 4)
        );
        // Functions crdlint does not know cost nothing of their own; their operands do.
        assert_eq!(cost("self.s.someFunction(self.n)", obj), 4);
        // Reserved words are escaped as `__word__`.
        let reserved = "{type: object, properties: {namespace: {type: string, maxLength: 10}}}";
        assert_eq!(cost("self.__namespace__ == 'a'", reserved), 3);
        assert_eq!(cost("self.__other__ == 'a'", reserved), 2);
        // A namespace is not a value.
        assert_eq!(
            cost("format.dns1123Label().validate(self.s).hasValue()", obj),
            2
        );
        // cel-rust keeps one `!_` of `!!x` where cel-go keeps none: counted as free then.
        assert_eq!(cost("!!has(self.s)", obj), 1);
        assert_eq!(cost("!has(self.s)", obj), 2);
        // Kubernetes' string library: split costs two traversals and yields as many items as
        // the string has characters.
        assert_eq!(
            cost("self.s.split(',').all(p, p != '')", obj),
            2 + 8 + 1 + 40 * (2 + 1 + 1)
        );
        // Two-variable comprehensions expand as the one-variable ones do: per item the
        // condition (2) and the step (accu 1, `v != ''` 1).
        assert_eq!(cost("self.l.all(i, v, v != '')", obj), 2 + 1 + 20 * (2 + 2));
        // exists: the condition `!@result` (3), the step (accu 1, v 1, `== 'x'` 1).
        assert_eq!(
            cost("self.m.exists(k, v, v == 'x')", obj),
            2 + 1 + 4 * (3 + 3)
        );
        // transformList: per item the step `@result + [v.size()]` (accu 1, list 10, add 1,
        // v.size() 2) and the condition (a literal, 0).
        assert_eq!(
            cost("self.l.transformList(i, v, v.size()).size() > 0", obj),
            2 + 10 + 1 + 20 * (1 + 10 + 1 + 2) + 1 + 1
        );
        // Optional access parses; only its operand `self` (1) is counted, what cel-go charges
        // for `.?` itself is not.
        assert_eq!(cost("self.?s.orValue('') == ''", obj), 1);
        // optMap is `self.?s.hasValue() ? optional.of(<bind>(x, self.?s.value(), x.size()))
        // : optional.none()`, where `<bind>` is cel-go's `cel.bind` expansion (a comprehension
        // over `[]`): `self` in the condition (1), then the bind (10), `self` again in
        // its value (1) and its body (2), then the comparison (1); the optional functions are
        // not counted.
        assert_eq!(
            cost("self.?s.optMap(x, x.size()).orValue(0) > 0", obj),
            1 + 10 + 1 + 2 + 1
        );
        assert_eq!(
            cost(
                "self.?s.optFlatMap(x, optional.of(x.size())).orValue(0) > 0",
                obj
            ),
            1 + 10 + 1 + 2 + 1
        );
        // Unparsable rules are not estimated (cel/compile-error reports them).
        assert_eq!(estimate("self ==", &schema(obj), false), None);
    }

    #[test]
    fn resource_roots_have_unbounded_name_kind_and_api_version() {
        let root = "{type: object, properties: {spec: {type: object}}}";
        let s = schema(root);
        // metadata.name of a root that does not declare it: a whole request long.
        assert_eq!(
            estimate("self.metadata.name.matches('^[a-z]+$')", &s, true),
            Some(3 + 314_573 * 2)
        );
        // Elsewhere a field the schema does not declare is unknown, so free.
        assert_eq!(
            estimate("self.metadata.name.matches('^[a-z]+$')", &s, false),
            Some(2)
        );
        // A root declaring all of them keeps its own bounds.
        let declared = "{type: object, properties: {kind: {type: string}, apiVersion: {type: string}, metadata: {type: object, properties: {name: {type: string, maxLength: 10}, generateName: {type: string}}}}}";
        assert_eq!(
            estimate(
                "self.metadata.name.matches('^[a-z]+$')",
                &schema(declared),
                true
            ),
            Some(3 + 4 * 2)
        );
    }
}
