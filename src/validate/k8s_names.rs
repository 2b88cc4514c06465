//! Kubernetes name / label / annotation string validators, ported to Rust
//! from k8s.io/apimachinery with byte-for-byte identical detail messages.
//!
//! # Upstream followed
//!
//! kubernetes/kubernetes `staging/src/k8s.io/apimachinery` (mirrored as
//! kubernetes/apimachinery), at the state of commit
//! `008b3652959ca58af8be3fb5b6ecfe9ae7638282` (the v1.36 / apimachinery
//! v0.36 line), i.e. the state where:
//!
//! * `pkg/util/validation/validation.go` still implements `IsDNS1123Label`,
//!   `IsDNS1123Subdomain`, `IsDNS1035Label` locally, with its own
//!   `MaxLenError` = `"must be no more than %d characters"`;
//! * `validation.IsQualifiedName` and `validation.IsValidLabelValue` are
//!   deprecated aliases of `pkg/api/validate/content.IsLabelKey` /
//!   `content.IsLabelValue` (`content/kube.go`), whose length errors come from
//!   `content.MaxLenError` = `"must be no more than %d bytes"`
//!   (`content/errors.go`), and whose label-key prefix check uses
//!   `content.IsDNS1123Subdomain` (`content/dns.go`, same texts as above but
//!   "bytes");
//! * `field.TooLong` (`pkg/util/validation/field/errors.go`) renders
//!   `"may not be more than %d bytes"`.
//!
//! Consequently the length wording differs per validator, exactly as on a
//! current API server:
//!
//! | validator | too-long detail |
//! |---|---|
//! | [`is_dns1123_label`], [`is_dns1123_subdomain`], [`is_dns1035_label`], `name_is_*` | `must be no more than N characters` |
//! | [`is_qualified_name`] (label keys, annotation keys, finalizers) | `name part must be no more than 63 bytes`, `prefix part must be no more than 253 bytes` |
//! | [`is_valid_label_value`] | `must be no more than 63 bytes` |
//! | annotations total size (`field.TooLong`) | `Too long: may not be more than 262144 bytes` |
//!
//! Older servers said "characters" for label keys/values (before the
//! `content` package) and `Too long: must have at most 262144 bytes` for
//! annotations (before `field.TooLong` was reworded, ~v1.33). The two unit
//! words are isolated in [`DNS_LENGTH_UNIT`] and [`LABEL_LENGTH_UNIT`].
//!
//! Lengths are byte lengths (Go `len(string)`), never char counts. All
//! regexes are anchored `^...$` exactly as upstream; Go's RE2 `$` and Rust
//! regex's `$` both mean end-of-text (no trailing-newline leniency). Matching
//! is done with `regex::bytes` so that byte-level quirks of upstream (see
//! [`name_is_dns_subdomain`]) are reproduced without UTF-8 panics.
//!
//! # How upstream validates ObjectMeta of a custom resource (create)
//!
//! Specification for wiring these validators to the document tree. Paths are
//! `field.Path` strings; "Invalid(path, value, detail)" renders as
//! `path: Invalid value: <value>: detail` (string values Go-`%q`-quoted,
//! integers bare, structs/lists as JSON), "Required(path, d)" as
//! `path: Required value` (+ `: d` if `d` non-empty), "Forbidden(path, d)" as
//! `path: Forbidden: d`, "TooLong(path, n)" as
//! `path: Too long: may not be more than n bytes` (value omitted).
//!
//! apiextensions-apiserver `pkg/registry/customresource/validator.go`
//! (`customResourceValidator.Validate`) first runs `ValidateTypeMeta`
//! (`kind: Invalid value: "X": must be <Kind>`, `apiVersion: Invalid value:
//! ...: must be <group>/<version>`; if any, it returns only those), then
//! `validation.ValidateObjectMetaAccessor(accessor, namespaceScoped,
//! validation.NameIsDNSSubdomain, field.NewPath("metadata"))`, then the
//! OpenAPI schema, scale, embedded-resource metadata, list-type and CEL
//! checks. `ValidateObjectMetaAccessor` (`pkg/api/validation/objectmeta.go`)
//! appends, in this order:
//!
//! 1. **generateName**: if non-empty, for each msg of
//!    `NameIsDNSSubdomain(generateName, true)` ([`name_is_dns_subdomain`] with
//!    `prefix = true`): Invalid(`metadata.generateName`, generateName, msg).
//! 2. **name**: if empty: Required(`metadata.name`,
//!    [`NAME_OR_GENERATE_NAME_REQUIRED`]) →
//!    `metadata.name: Required value: name or generateName is required`;
//!    otherwise for each msg of `NameIsDNSSubdomain(name, false)`:
//!    Invalid(`metadata.name`, name, msg).
//! 3. `validateObjectMetaAccessorWithOptsCommon`:
//!    * **namespace**, namespaced CRD: empty → Required(`metadata.namespace`,
//!      "") → `metadata.namespace: Required value`; else for each msg of
//!      `ValidateNamespaceName(ns, false)` (= [`name_is_dns_label`]):
//!      Invalid(`metadata.namespace`, ns, msg).
//!      Cluster-scoped CRD: non-empty → Forbidden(`metadata.namespace`,
//!      [`NAMESPACE_NOT_ALLOWED`]) →
//!      `metadata.namespace: Forbidden: not allowed on this type`.
//!    * **generation**: `ValidateNonnegativeField` (`generic.go`): if < 0,
//!      Invalid(`metadata.generation`, gen, [`IS_NEGATIVE_ERROR_MSG`]).
//!    * **labels**: `v1validation.ValidateLabels`
//!      (`pkg/apis/meta/v1/validation/validation.go`): for each (k, v): for
//!      each msg of `ValidateLabelName` = [`is_qualified_name`]`(k)`:
//!      Invalid(`metadata.labels`, k, msg); then for each msg of
//!      [`is_valid_label_value`]`(v)`: Invalid(`metadata.labels`, v, msg).
//!      The path is always `metadata.labels` (never indexed by key); the bad
//!      value is the key for key errors and the value for value errors.
//!    * **annotations**: `ValidateAnnotations`: for each key k: for each msg
//!      of [`is_qualified_name`]`(strings.ToLower(k))` (see
//!      [`annotation_key_errors`]): Invalid(`metadata.annotations`, k
//!      (original case), msg). Values are not validated. Then, if
//!      [`annotations_size`] > [`TOTAL_ANNOTATION_SIZE_LIMIT_B`] (strictly
//!      greater): TooLong(`metadata.annotations`, 262144) →
//!      `metadata.annotations: Too long: may not be more than 262144 bytes`
//!      ([`annotations_too_long_detail`]).
//!    * **ownerReferences**: `ValidateOwnerReferences`, per reference in
//!      order (paths NOT indexed): gvk = `schema.FromAPIVersionAndKind`
//!      (apiVersion "" / "v1" / "g/v"; more than one '/' fails to parse and
//!      leaves version empty); empty version →
//!      Invalid(`metadata.ownerReferences.apiVersion`, apiVersion,
//!      `version must not be empty`); empty kind / name / uid →
//!      Invalid(`metadata.ownerReferences.kind|name|uid`, value,
//!      `must not be empty`); gvk == {"", "v1", "Event"} →
//!      Invalid(`metadata.ownerReferences`, <the reference>,
//!      `/v1, Kind=Event is disallowed from being an owner`). Then if
//!      `controller: true` and an earlier reference already had it:
//!      Invalid(`metadata.ownerReferences`, <whole list>, `Only one reference
//!      can have Controller set to true. Found "true" in references for
//!      <Kind1>/<Name1> and <Kind2>/<Name2>`) (first controller vs current).
//!    * **finalizers**: `ValidateFinalizers`: for each f: for each msg of
//!      `ValidateFinalizerName` = [`is_qualified_name`]`(f)`:
//!      Invalid(`metadata.finalizers`, f, msg); then if both `orphan` and
//!      `foregroundDeletion` are present: Invalid(`metadata.finalizers`,
//!      <list>, [`FINALIZERS_CONFLICT`]).
//!    * **managedFields**: `v1validation.ValidateManagedFields` (indexed
//!      paths `metadata.managedFields[i].operation` ...).
//!
//! Things that happen around that call on a real create (apiserver
//! `registry/rest/create.go` `BeforeCreate`, `storage/names/generate.go`,
//! customresource `strategy.go`) and that an offline linter must mimic:
//!
//! * Name generation runs before validation: if name is empty and
//!   generateName is not, name := generateName truncated to 58 bytes + 5
//!   random chars from `bcdfghjklmnpqrstvwxz2456789`. So the Required error
//!   only appears when both are empty, and a bad generateName usually yields
//!   errors on both `metadata.generateName` and `metadata.name` (the latter
//!   with a random bad value).
//! * `EnsureObjectNamespaceMatchesRequestNamespace` runs before validation:
//!   an empty namespace on a namespaced resource takes the request namespace
//!   (so Required is unreachable via kubectl), a namespace on a
//!   cluster-scoped resource is silently cleared (so "not allowed on this
//!   type" is unreachable via a normal create), and a mismatch is a 400
//!   `the namespace of the provided object does not match the namespace sent
//!   on the request`.
//! * `PrepareForCreate` sets generation to 1 (generation check never fires
//!   on create); the server resets managedFields on create.
//! * After the strategy passes, `BeforeCreate` re-runs
//!   `ValidateObjectMetaAccessor` with `validatePathSegment`
//!   ([`is_valid_path_segment_name`] / [`is_valid_path_segment_prefix`]); any
//!   name passing `NameIsDNSSubdomain` also passes this, so it adds nothing.
//! * Labels and annotations are Go maps: upstream iteration order is
//!   random, so the relative order of their errors is not reproducible; emit
//!   them in document (or sorted) order. The final `errors.NewInvalid`
//!   message is `<Kind>.<group> "<name>" is invalid: <e>` or
//!   `... is invalid: [<e1>, <e2>, ...]`, where `ToAggregate` drops exact
//!   duplicate `path: body` strings.

use regex::bytes::Regex;
use std::sync::LazyLock;

// ---------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------

/// Unit word of `util/validation.MaxLenError` (DNS label/subdomain names).
pub const DNS_LENGTH_UNIT: &str = "characters";
/// Unit word of `api/validate/content.MaxLenError` (label keys and values).
pub const LABEL_LENGTH_UNIT: &str = "bytes";

/// `DNS1123LabelMaxLength`.
pub const DNS1123_LABEL_MAX_LENGTH: usize = 63;
/// `DNS1123SubdomainMaxLength`.
pub const DNS1123_SUBDOMAIN_MAX_LENGTH: usize = 253;
/// `DNS1035LabelMaxLength`.
pub const DNS1035_LABEL_MAX_LENGTH: usize = 63;
/// `labelKeyMaxLength` (name part of a qualified name / label key).
pub const QUALIFIED_NAME_MAX_LENGTH: usize = 63;
/// `LabelValueMaxLength`.
pub const LABEL_VALUE_MAX_LENGTH: usize = 63;
/// `TotalAnnotationSizeLimitB` = 256 KiB.
pub const TOTAL_ANNOTATION_SIZE_LIMIT_B: usize = 256 * (1 << 10);

/// Detail of `Required(metadata.name, ...)` in `ValidateObjectMetaAccessor`.
pub const NAME_OR_GENERATE_NAME_REQUIRED: &str = "name or generateName is required";
/// Detail of `Forbidden(metadata.namespace, ...)` for cluster-scoped types.
pub const NAMESPACE_NOT_ALLOWED: &str = "not allowed on this type";
/// `IsNegativeErrorMsg` (`ValidateNonnegativeField`, e.g. metadata.generation).
pub const IS_NEGATIVE_ERROR_MSG: &str = "must be greater than or equal to 0";
/// `ValidateFinalizers` detail when both `orphan` and `foregroundDeletion` are set.
pub const FINALIZERS_CONFLICT: &str = "finalizer orphan and foregroundDeletion cannot be both set";

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_ERR_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_ERR_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_ERR_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

const LABEL_KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_KEY_ERR_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const HTTP_PATH_FMT: &str = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+";

fn anchored(fmt: &str) -> Regex {
    Regex::new(&format!("^{fmt}$")).expect("static regex")
}

static DNS1123_LABEL_RE: LazyLock<Regex> = LazyLock::new(|| anchored(DNS1123_LABEL_FMT));
static DNS1123_SUBDOMAIN_RE: LazyLock<Regex> = LazyLock::new(|| anchored(DNS1123_SUBDOMAIN_FMT));
static DNS1035_LABEL_RE: LazyLock<Regex> = LazyLock::new(|| anchored(DNS1035_LABEL_FMT));
static LABEL_KEY_RE: LazyLock<Regex> = LazyLock::new(|| anchored(LABEL_KEY_FMT));
static LABEL_VALUE_RE: LazyLock<Regex> = LazyLock::new(|| anchored(LABEL_VALUE_FMT));
static HTTP_PATH_RE: LazyLock<Regex> = LazyLock::new(|| anchored(HTTP_PATH_FMT));

// ---------------------------------------------------------------------------
// Message helpers (MaxLenError, RegexError, EmptyError)
// ---------------------------------------------------------------------------

/// `util/validation.MaxLenError`: "must be no more than N characters".
pub fn max_len_error(length: usize) -> String {
    format!("must be no more than {length} {DNS_LENGTH_UNIT}")
}

/// `api/validate/content.MaxLenError`: "must be no more than N bytes".
pub fn content_max_len_error(length: usize) -> String {
    format!("must be no more than {length} {LABEL_LENGTH_UNIT}")
}

/// `RegexError(msg, fmt, examples...)`. Note the upstream quirk: examples are
/// each followed by `", "` and joined with `" or "`, giving a double space
/// (`'my-name',  or '123-abc'`).
pub fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut out = String::with_capacity(msg.len() + fmt.len() + 64);
    out.push_str(msg);
    out.push_str(" (e.g. ");
    for (i, ex) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push('\'');
        out.push_str(ex);
        out.push_str("', ");
    }
    out.push_str("regex used for validation is '");
    out.push_str(fmt);
    out.push_str("')");
    out
}

/// `EmptyError()`.
pub fn empty_error() -> &'static str {
    "must be non-empty"
}

// ---------------------------------------------------------------------------
// DNS validators (pkg/util/validation/validation.go)
// ---------------------------------------------------------------------------

fn dns1123_label_bytes(v: &[u8]) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > DNS1123_LABEL_MAX_LENGTH {
        errs.push(max_len_error(DNS1123_LABEL_MAX_LENGTH));
    }
    if !DNS1123_LABEL_RE.is_match(v) {
        if DNS1123_SUBDOMAIN_RE.is_match(v) {
            // Valid subdomain but not a valid label: length already checked,
            // so it must be dots.
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_ERR_MSG,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

fn dns1123_subdomain_bytes(v: &[u8], max_len: fn(usize) -> String) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errs.push(max_len(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if !DNS1123_SUBDOMAIN_RE.is_match(v) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_ERR_MSG,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

fn dns1035_label_bytes(v: &[u8]) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > DNS1035_LABEL_MAX_LENGTH {
        errs.push(max_len_error(DNS1035_LABEL_MAX_LENGTH));
    }
    if !DNS1035_LABEL_RE.is_match(v) {
        errs.push(regex_error(
            DNS1035_LABEL_ERR_MSG,
            DNS1035_LABEL_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// `IsDNS1123Label`: lowercase RFC 1123 label, at most 63 bytes.
pub fn is_dns1123_label(v: &str) -> Vec<String> {
    dns1123_label_bytes(v.as_bytes())
}

/// `IsDNS1123Subdomain`: lowercase RFC 1123 subdomain, at most 253 bytes.
pub fn is_dns1123_subdomain(v: &str) -> Vec<String> {
    dns1123_subdomain_bytes(v.as_bytes(), max_len_error)
}

/// `IsDNS1035Label`: RFC 1035 label (starts with a letter), at most 63 bytes.
pub fn is_dns1035_label(v: &str) -> Vec<String> {
    dns1035_label_bytes(v.as_bytes())
}

// ---------------------------------------------------------------------------
// Label keys / values (pkg/api/validate/content/kube.go)
// ---------------------------------------------------------------------------

/// `IsQualifiedName` (= `content.IsLabelKey`): optional DNS-subdomain prefix
/// and `/`, then a name part of at most 63 bytes. Used for label keys,
/// annotation keys (lowercased first) and finalizer names.
pub fn is_qualified_name(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = v.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push(format!("prefix part {}", empty_error()));
            } else {
                for msg in dns1123_subdomain_bytes(prefix.as_bytes(), content_max_len_error) {
                    errs.push(format!("prefix part {msg}"));
                }
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(
                    LABEL_KEY_ERR_MSG,
                    LABEL_KEY_FMT,
                    &["MyName", "my.name", "123-abc"]
                )
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push(format!("name part {}", empty_error()));
    } else if name.len() > QUALIFIED_NAME_MAX_LENGTH {
        errs.push(format!(
            "name part {}",
            content_max_len_error(QUALIFIED_NAME_MAX_LENGTH)
        ));
    }
    if !LABEL_KEY_RE.is_match(name.as_bytes()) {
        errs.push(format!(
            "name part {}",
            regex_error(
                LABEL_KEY_ERR_MSG,
                LABEL_KEY_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// `IsValidLabelValue` (= `content.IsLabelValue`): empty, or at most 63 bytes
/// of `[-A-Za-z0-9_.]` starting and ending alphanumeric.
pub fn is_valid_label_value(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > LABEL_VALUE_MAX_LENGTH {
        errs.push(content_max_len_error(LABEL_VALUE_MAX_LENGTH));
    }
    if !LABEL_VALUE_RE.is_match(v.as_bytes()) {
        errs.push(regex_error(
            LABEL_VALUE_ERR_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

// ---------------------------------------------------------------------------
// Name functions (pkg/api/validation/generic.go)
// ---------------------------------------------------------------------------

/// `maskTrailingDash`: if longer than one byte and ending in '-', upstream
/// returns `name[:len(name)-2] + "a"` -- it drops the dash AND the byte
/// before it (so "abc-" is checked as "aba", "--" as "a"). Reproduced on
/// bytes, since the cut may split a multi-byte character in Go.
fn mask_trailing_dash(name: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if name.len() > 1 && name.ends_with(b"-") {
        let mut masked = name[..name.len() - 2].to_vec();
        masked.push(b'a');
        std::borrow::Cow::Owned(masked)
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// `NameIsDNSSubdomain(name, prefix)`: with `prefix = true` (generateName) a
/// trailing '-' is masked first (see upstream quirk in the module docs).
pub fn name_is_dns_subdomain(name: &str, prefix: bool) -> Vec<String> {
    let bytes = name.as_bytes();
    let v = if prefix {
        mask_trailing_dash(bytes)
    } else {
        std::borrow::Cow::Borrowed(bytes)
    };
    dns1123_subdomain_bytes(&v, max_len_error)
}

/// `NameIsDNSLabel(name, prefix)` (also `ValidateNamespaceName`).
pub fn name_is_dns_label(name: &str, prefix: bool) -> Vec<String> {
    let bytes = name.as_bytes();
    let v = if prefix {
        mask_trailing_dash(bytes)
    } else {
        std::borrow::Cow::Borrowed(bytes)
    };
    dns1123_label_bytes(&v)
}

/// `NameIsDNS1035Label(name, prefix)`.
pub fn name_is_dns1035_label(name: &str, prefix: bool) -> Vec<String> {
    let bytes = name.as_bytes();
    let v = if prefix {
        mask_trailing_dash(bytes)
    } else {
        std::borrow::Cow::Borrowed(bytes)
    };
    dns1035_label_bytes(&v)
}

// ---------------------------------------------------------------------------
// Path segments (pkg/api/validate/content/path.go)
// ---------------------------------------------------------------------------

/// `IsPathSegmentName`: not "." / "..", then [`is_valid_path_segment_prefix`].
/// No emptiness or length check (by design upstream).
pub fn is_valid_path_segment_name(name: &str) -> Vec<String> {
    for illegal in [".", ".."] {
        if name == illegal {
            return vec![format!("may not be '{illegal}'")];
        }
    }
    is_valid_path_segment_prefix(name)
}

/// `IsPathSegmentPrefix`: must not contain '/' or '%'.
pub fn is_valid_path_segment_prefix(name: &str) -> Vec<String> {
    ["/", "%"]
        .iter()
        .filter(|illegal| name.contains(*illegal))
        .map(|illegal| format!("may not contain '{illegal}'"))
        .collect()
}

// ---------------------------------------------------------------------------
// field.ErrorList-returning helpers
// ---------------------------------------------------------------------------

/// One `field.Error` of the helpers that upstream returns as a
/// `field.ErrorList` for the caller's field path (the path is the caller's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldIssue {
    /// `field.Required(fldPath, "")` -> rendered `Required value`.
    Required,
    /// `field.Invalid(fldPath, bad_value, detail)` -> rendered
    /// `Invalid value: <%q of bad_value>: detail`.
    Invalid { bad_value: String, detail: String },
}

fn invalid(bad_value: &str, detail: impl Into<String>) -> FieldIssue {
    FieldIssue::Invalid {
        bad_value: bad_value.to_string(),
        detail: detail.into(),
    }
}

/// `IsFullyQualifiedName` (deprecated upstream but still used): a DNS
/// subdomain with at least three dot-separated segments, no trailing dot.
pub fn is_fully_qualified_name(name: &str) -> Vec<FieldIssue> {
    if name.is_empty() {
        return vec![FieldIssue::Required];
    }
    let errs = is_dns1123_subdomain(name);
    if !errs.is_empty() {
        return vec![invalid(name, errs.join(","))];
    }
    if name.split('.').count() < 3 {
        return vec![invalid(
            name,
            "should be a domain with at least three segments separated by dots",
        )];
    }
    Vec::new()
}

/// `IsFullyQualifiedDomainName`: one trailing '.' allowed; DNS subdomain
/// with at least two segments, each a DNS-1123 label. The bad value of the
/// subdomain / segment-count errors is the name without the trailing dot;
/// of the per-label error, the offending label.
pub fn is_fully_qualified_domain_name(name: &str) -> Vec<FieldIssue> {
    if name.is_empty() {
        return vec![FieldIssue::Required];
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    let errs = is_dns1123_subdomain(name);
    if !errs.is_empty() {
        return vec![invalid(name, errs.join(","))];
    }
    if name.split('.').count() < 2 {
        return vec![invalid(
            name,
            "should be a domain with at least two segments separated by dots",
        )];
    }
    for label in name.split('.') {
        let errs = is_dns1123_label(label);
        if !errs.is_empty() {
            return vec![invalid(label, errs.join(","))];
        }
    }
    Vec::new()
}

/// `IsDomainPrefixedPath`: `<DNS subdomain>/<RFC 3986 path chars>` such as
/// `acme.io/foo`. Host errors carry the host as bad value, the path error the
/// path.
pub fn is_domain_prefixed_path(dp_path: &str) -> Vec<FieldIssue> {
    if dp_path.is_empty() {
        return vec![FieldIssue::Required];
    }
    let (host, path) = match dp_path.split_once('/') {
        Some((h, p)) if !h.is_empty() && !p.is_empty() => (h, p),
        _ => {
            return vec![invalid(
                dp_path,
                "must be a domain-prefixed path (such as \"acme.io/foo\")",
            )];
        }
    };
    let mut out: Vec<FieldIssue> = is_dns1123_subdomain(host)
        .into_iter()
        .map(|e| invalid(host, e))
        .collect();
    if !HTTP_PATH_RE.is_match(path.as_bytes()) {
        out.push(invalid(
            path,
            regex_error("Invalid path", HTTP_PATH_FMT, &[]),
        ));
    }
    out
}

// ---------------------------------------------------------------------------
// Annotations (pkg/api/validation/objectmeta.go)
// ---------------------------------------------------------------------------

/// Go `strings.ToLower`: per-rune simple lowercase mapping (no final-sigma
/// context, U+0130 maps to plain 'i'), unlike Rust's `str::to_lowercase`.
fn go_to_lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\u{130}' {
            out.push('i');
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Detail messages for one annotation key, as `ValidateAnnotations` computes
/// them: `IsQualifiedName(strings.ToLower(key))`. The field error's bad value
/// is the ORIGINAL key.
pub fn annotation_key_errors(key: &str) -> Vec<String> {
    is_qualified_name(&go_to_lower(key))
}

/// Total annotation size as `ValidateAnnotationsSize` computes it: the sum of
/// the byte lengths of every key and every value. It is too long when
/// strictly greater than [`TOTAL_ANNOTATION_SIZE_LIMIT_B`].
pub fn annotations_size<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> usize {
    entries.into_iter().map(|(k, v)| k.len() + v.len()).sum()
}

/// Detail of `field.TooLong(metadata.annotations, "", 262144)` on current
/// servers: `may not be more than 262144 bytes` (rendered after `Too long: `).
/// Servers before the `field.TooLong` rewording said
/// `must have at most 262144 bytes`.
pub fn annotations_too_long_detail() -> String {
    format!("may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT_B} bytes")
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    const LABEL_RX: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    const SUBDOMAIN_RX: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    const DNS1035_RX: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    const KEY_RX: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    const VALUE_RX: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn formats_are_composed_like_upstream() {
        assert_eq!(
            DNS1123_SUBDOMAIN_FMT,
            format!("{DNS1123_LABEL_FMT}(\\.{DNS1123_LABEL_FMT})*")
        );
        assert_eq!(LABEL_VALUE_FMT, format!("({LABEL_KEY_FMT})?"));
        assert_eq!(TOTAL_ANNOTATION_SIZE_LIMIT_B, 262144);
    }

    #[test]
    fn regex_error_shapes() {
        assert_eq!(
            regex_error("m", "f", &[]),
            "m (regex used for validation is 'f')"
        );
        assert_eq!(
            regex_error("m", "f", &["a"]),
            "m (e.g. 'a', regex used for validation is 'f')"
        );
        assert_eq!(
            regex_error("m", "f", &["a", "b", "c"]),
            "m (e.g. 'a',  or 'b',  or 'c', regex used for validation is 'f')"
        );
    }

    #[test]
    fn dns1123_label() {
        for good in [
            "a",
            "ab",
            "a1",
            "a-1",
            "a--1--2--b",
            "0",
            "1-a",
            &"a".repeat(63),
        ] {
            assert!(is_dns1123_label(good).is_empty(), "{good}");
        }
        for bad in [
            "", "A", "aBc", "-", "a-", "-a", "_", "a_b", " ", "a b", "a\n", "ä",
        ] {
            assert_eq!(is_dns1123_label(bad), s(&[LABEL_RX]), "{bad:?}");
        }
        for dotted in ["a.b", "1.2", "a.b.c"] {
            assert_eq!(is_dns1123_label(dotted), s(&["must not contain dots"]));
        }
        // ".", "a.", ".a" are not valid subdomains either -> regex message.
        for bad in [".", "a.", ".a"] {
            assert_eq!(is_dns1123_label(bad), s(&[LABEL_RX]), "{bad:?}");
        }
        assert_eq!(
            is_dns1123_label(&"a".repeat(64)),
            s(&["must be no more than 63 characters"])
        );
        // Too long AND dotted: the length error, then the dots message.
        let long_dotted = format!("{}.b", "a".repeat(63));
        assert_eq!(
            is_dns1123_label(&long_dotted),
            s(&[
                "must be no more than 63 characters",
                "must not contain dots"
            ])
        );
        assert_eq!(
            is_dns1123_label(&"A".repeat(64)),
            s(&["must be no more than 63 characters", LABEL_RX])
        );
    }

    #[test]
    fn dns1123_subdomain() {
        for good in [
            "a",
            "a.b",
            "1.2.3.4",
            "a--1.b-2",
            "example.com",
            &"a".repeat(253),
        ] {
            assert!(is_dns1123_subdomain(good).is_empty(), "{good}");
        }
        for bad in [
            "",
            "A",
            "a..b",
            ".a",
            "a.",
            "a_b",
            "a@b",
            "Example.com",
            "a.b\n",
        ] {
            assert_eq!(is_dns1123_subdomain(bad), s(&[SUBDOMAIN_RX]), "{bad:?}");
        }
        assert_eq!(
            is_dns1123_subdomain(&"a".repeat(254)),
            s(&["must be no more than 253 characters"])
        );
        assert_eq!(
            is_dns1123_subdomain(&format!("{}-", "a".repeat(254))),
            s(&["must be no more than 253 characters", SUBDOMAIN_RX])
        );
        // Length is in bytes: 127 two-byte chars = 254 bytes.
        assert_eq!(
            is_dns1123_subdomain(&"é".repeat(127)),
            s(&["must be no more than 253 characters", SUBDOMAIN_RX])
        );
    }

    #[test]
    fn dns1035_label() {
        for good in ["a", "ab", "a1", "a-1", "a--1--2--b", &"a".repeat(63)] {
            assert!(is_dns1035_label(good).is_empty(), "{good}");
        }
        for bad in ["0", "1a", "", "A", "a-", "-a", "a.b", "a_b"] {
            assert_eq!(is_dns1035_label(bad), s(&[DNS1035_RX]), "{bad:?}");
        }
        assert_eq!(
            is_dns1035_label(&"a".repeat(64)),
            s(&["must be no more than 63 characters"])
        );
    }

    #[test]
    fn qualified_name_valid() {
        for good in [
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "1234",
            "simple/simple",
            "now.with.dots/simple",
            "1.2.3.4/5678",
            "Uppercase_Is_OK_123",
            "example.com/Uppercase_Is_OK_123",
            "requests.storage-foo",
            &"a".repeat(63),
            &format!("{}/{}", "a".repeat(253), "b".repeat(63)),
        ] {
            assert!(is_qualified_name(good).is_empty(), "{good}");
        }
    }

    #[test]
    fn qualified_name_messages() {
        let name_rx = format!("name part {KEY_RX}");
        assert_eq!(
            is_qualified_name("cantendwithadash-"),
            vec![name_rx.clone()]
        );
        assert_eq!(
            is_qualified_name("nospecialchars%^=@"),
            vec![name_rx.clone()]
        );
        assert_eq!(
            is_qualified_name(""),
            vec!["name part must be non-empty".to_string(), name_rx.clone()]
        );
        assert_eq!(
            is_qualified_name("example.com/"),
            vec!["name part must be non-empty".to_string(), name_rx.clone()]
        );
        assert_eq!(
            is_qualified_name("/simple"),
            s(&["prefix part must be non-empty"])
        );
        assert_eq!(
            is_qualified_name("/"),
            vec![
                "prefix part must be non-empty".to_string(),
                "name part must be non-empty".to_string(),
                name_rx.clone()
            ]
        );
        assert_eq!(
            is_qualified_name("Example.com/abc"),
            vec![format!("prefix part {SUBDOMAIN_RX}")]
        );
        assert_eq!(
            is_qualified_name(&"a".repeat(64)),
            s(&["name part must be no more than 63 bytes"])
        );
        assert_eq!(
            is_qualified_name(&format!("{}/abc", "a".repeat(254))),
            s(&["prefix part must be no more than 253 bytes"])
        );
        assert_eq!(
            is_qualified_name("only/one/slash"),
            vec![format!(
                "a valid label key {KEY_RX} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            )]
        );
        // prefix errors first, then name errors.
        assert_eq!(
            is_qualified_name("A_B/-x-"),
            vec![format!("prefix part {SUBDOMAIN_RX}"), name_rx]
        );
    }

    #[test]
    fn label_values() {
        for good in [
            "",
            "simple",
            "now-with-dashes",
            "1234",
            "a_b.c",
            &"a".repeat(63),
        ] {
            assert!(is_valid_label_value(good).is_empty(), "{good}");
        }
        for bad in [
            "nospecialchars%^=@",
            "Tama-nui-te-rā.is.Māori.sun",
            "-starts",
            "ends.",
            "\\x",
        ] {
            assert_eq!(is_valid_label_value(bad), s(&[VALUE_RX]), "{bad:?}");
        }
        assert_eq!(
            is_valid_label_value(&"a".repeat(64)),
            s(&["must be no more than 63 bytes"])
        );
        assert_eq!(
            is_valid_label_value(&format!("{}-", "a".repeat(63))),
            s(&["must be no more than 63 bytes", VALUE_RX])
        );
    }

    #[test]
    fn names_and_generate_name_masking() {
        assert!(name_is_dns_subdomain("my-crd.example.com", false).is_empty());
        assert_eq!(name_is_dns_subdomain("foo-", false), s(&[SUBDOMAIN_RX]));
        assert!(name_is_dns_subdomain("foo-", true).is_empty());
        assert!(name_is_dns_subdomain("a-", true).is_empty());
        // Upstream quirk: "--" is masked to "a" and accepted.
        assert!(name_is_dns_subdomain("--", true).is_empty());
        // A lone "-" (length 1) is not masked.
        assert_eq!(name_is_dns_subdomain("-", true), s(&[SUBDOMAIN_RX]));
        // "x.-" -> "xa": the dot before the dash is cut away too.
        assert!(name_is_dns_subdomain("x.-", true).is_empty());
        assert_eq!(name_is_dns_subdomain("Foo-", true), s(&[SUBDOMAIN_RX]));
        // masking shortens by one byte: 254 bytes ending in '-' is OK.
        assert!(name_is_dns_subdomain(&format!("{}-", "a".repeat(253)), true).is_empty());
        assert_eq!(
            name_is_dns_subdomain(&format!("{}-", "a".repeat(254)), true),
            s(&["must be no more than 253 characters"])
        );
        // cut inside a multi-byte char must not panic; still invalid.
        assert_eq!(name_is_dns_subdomain("aé-", true), s(&[SUBDOMAIN_RX]));
        assert_eq!(
            name_is_dns_subdomain(&format!("{}é-", "a".repeat(252)), true),
            s(&["must be no more than 253 characters", SUBDOMAIN_RX])
        );

        assert!(name_is_dns_label("default", false).is_empty());
        assert!(name_is_dns_label("ns-", true).is_empty());
        assert_eq!(
            name_is_dns_label("a.b", false),
            s(&["must not contain dots"])
        );
        assert_eq!(name_is_dns_label("My-NS", false), s(&[LABEL_RX]));
        assert!(name_is_dns1035_label("svc-", true).is_empty());
        assert_eq!(name_is_dns1035_label("1svc", false), s(&[DNS1035_RX]));
    }

    #[test]
    fn path_segments() {
        assert_eq!(is_valid_path_segment_name("."), s(&["may not be '.'"]));
        assert_eq!(is_valid_path_segment_name(".."), s(&["may not be '..'"]));
        assert_eq!(
            is_valid_path_segment_name("a/b%c"),
            s(&["may not contain '/'", "may not contain '%'"])
        );
        assert!(is_valid_path_segment_name("").is_empty());
        assert!(is_valid_path_segment_name("...").is_empty());
        assert!(is_valid_path_segment_prefix("..").is_empty());
        assert_eq!(
            is_valid_path_segment_prefix("%"),
            s(&["may not contain '%'"])
        );
    }

    #[test]
    fn fully_qualified_names() {
        for good in [
            "dev.k8s.io",
            "foo.example.com",
            "10.0.0.1",
            &format!("{}.k8s.io", "a".repeat(246)),
        ] {
            assert!(is_fully_qualified_name(good).is_empty(), "{good}");
        }
        assert_eq!(is_fully_qualified_name(""), vec![FieldIssue::Required]);
        assert_eq!(
            is_fully_qualified_name("k8s.io"),
            vec![invalid(
                "k8s.io",
                "should be a domain with at least three segments separated by dots"
            )]
        );
        assert_eq!(
            is_fully_qualified_name("dev.k8s.io."),
            vec![invalid("dev.k8s.io.", SUBDOMAIN_RX)]
        );
        // 254 bytes but regex-valid -> only the length error.
        let long = format!("{}.k8s.io", "a".repeat(247));
        assert_eq!(
            is_fully_qualified_name(&long),
            vec![invalid(&long, "must be no more than 253 characters")]
        );
        let long_bad = format!("{}.K8s.io", "a".repeat(247));
        assert_eq!(
            is_fully_qualified_name(&long_bad),
            vec![invalid(
                &long_bad,
                format!("must be no more than 253 characters,{SUBDOMAIN_RX}")
            )]
        );
        assert_eq!(
            is_fully_qualified_name("A.B.C"),
            vec![invalid("A.B.C", SUBDOMAIN_RX)]
        );
    }

    #[test]
    fn fully_qualified_domain_names() {
        for good in [
            "a.com",
            "k8s.io",
            "dev.k8s.io.",
            "10.0.0.1",
            &format!("{}.k8s.io", "a".repeat(63)),
        ] {
            assert!(is_fully_qualified_domain_name(good).is_empty(), "{good}");
        }
        assert_eq!(
            is_fully_qualified_domain_name(""),
            vec![FieldIssue::Required]
        );
        assert_eq!(
            is_fully_qualified_domain_name("."),
            vec![invalid("", SUBDOMAIN_RX)]
        );
        assert_eq!(
            is_fully_qualified_domain_name("com."),
            vec![invalid(
                "com",
                "should be a domain with at least two segments separated by dots"
            )]
        );
        let label = "a".repeat(64);
        assert_eq!(
            is_fully_qualified_domain_name(&format!("{label}.k8s.io")),
            vec![invalid(&label, "must be no more than 63 characters")]
        );
    }

    #[test]
    fn domain_prefixed_paths() {
        for good in [
            "a/b",
            "a/b/c/d",
            "k8s.io/FOO/BAR",
            "10.0.0.1/foo",
            "a.com/~x%20!$&'()*+,;=:",
        ] {
            assert!(is_domain_prefixed_path(good).is_empty(), "{good}");
        }
        assert_eq!(is_domain_prefixed_path(""), vec![FieldIssue::Required]);
        let not_dp = "must be a domain-prefixed path (such as \"acme.io/foo\")";
        for bad in ["com", "/b", "a.com/", "."] {
            assert_eq!(
                is_domain_prefixed_path(bad),
                vec![invalid(bad, not_dp)],
                "{bad}"
            );
        }
        let path_msg =
            r"Invalid path (regex used for validation is '[A-Za-z0-9/\-._~%!$&'()*+,;=:]+')";
        assert_eq!(
            is_domain_prefixed_path("a.b.c.d/foo?a=b"),
            vec![invalid("foo?a=b", path_msg)]
        );
        assert_eq!(
            is_domain_prefixed_path("Dev.k8s.io/foo#a"),
            vec![
                invalid("Dev.k8s.io", SUBDOMAIN_RX),
                invalid("foo#a", path_msg)
            ]
        );
    }

    #[test]
    fn annotations() {
        assert!(annotation_key_errors("Example.COM/Some-Key").is_empty());
        assert!(
            annotation_key_errors("kubectl.kubernetes.io/last-applied-configuration").is_empty()
        );
        assert_eq!(annotation_key_errors("a/b/c"), is_qualified_name("a/b/c"));
        assert_eq!(
            annotation_key_errors(&"A".repeat(64)),
            s(&["name part must be no more than 63 bytes"])
        );
        // Go ToLower is per-rune: final sigma stays σ (2 bytes either way),
        // U+0130 becomes 'i' (1 byte) rather than "i\u{307}".
        assert_eq!(go_to_lower("ΑΣ"), "ασ");
        assert_eq!(go_to_lower("\u{130}X"), "ix");
        assert!(annotation_key_errors("\u{130}").is_empty());

        assert_eq!(annotations_size([("ab", "cde"), ("é", "")]), 7);
        assert_eq!(annotations_size(std::iter::empty()), 0);
        let v = "x".repeat(TOTAL_ANNOTATION_SIZE_LIMIT_B - 1);
        assert_eq!(
            annotations_size([("k", v.as_str())]),
            TOTAL_ANNOTATION_SIZE_LIMIT_B
        );
        assert_eq!(
            annotations_too_long_detail(),
            "may not be more than 262144 bytes"
        );
    }
}
