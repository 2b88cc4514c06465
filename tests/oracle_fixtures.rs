//! The API server's verdicts, recorded from the oracle (kubectl-validate, the API server's own
//! validation code) into `fixtures/oracle`, checked against crdlint without the oracle.
//!
//! `fixtures/oracle/cases/*.yaml` hold one custom resource each, annotated with the oracle's
//! `metav1.Status` (also in `cases/expected_index.json`, which this test reads);
//! `fixtures/oracle/crds/` the CRDs they need. Generated cases come from
//! `tools/differential/gen_cases.py` (picked by `pick_fixtures.py`), hand-written ones are
//! named `*--hand-*`. See `fixtures/oracle/README.md`.
//!
//! Each document is compared as `tools/differential/diff.py validate` compares it: the verdict,
//! the set of field paths, and the multiset of (field, reason, message) of crdlint's errors
//! (plus its `cel/skipped` info, the server's `<nil>` cause "some validation rules were not
//! checked") against the Status's causes. The file-name prefix (before `--`) names the class
//! of the case: `agree` is compared as is; the others are the documented differences and the
//! oracle's known quirks below, each compared the way its reason says.

use crdlint::check::{self, Options};
use crdlint::diagnostics::{Diagnostic, Severity};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Agree,
    UnknownFields,
    MetadataDecode,
    GenerateName,
    MetadataSchema,
    IntOrString,
    Status,
}

struct Class {
    prefix: &'static str,
    kind: Kind,
    /// Why crdlint and the recorded Status differ, and where the code says so.
    reason: &'static str,
}

const CLASSES: &[Class] = &[
    Class {
        prefix: "agree",
        kind: Kind::Agree,
        reason: "same verdict, field paths and messages",
    },
    Class {
        prefix: "doc-unknown-fields",
        kind: Kind::UnknownFields,
        reason: "documented difference: with an unknown field, kubectl-validate reports only the \
                 unknown fields (worded `Invalid value: value provided for unknown field`); the \
                 server refuses them while decoding (strict field validation, 400 `strict decoding \
                 error: unknown field \"x\"`, customresource_handler.go schemaCoercingDecoder). \
                 crdlint reports each as `unknown field \"x\"` and also every other error",
    },
    Class {
        prefix: "doc-metadata-decode",
        kind: Kind::MetadataDecode,
        reason: "documented difference: metadata that does not decode refuses the request with \
                 Go's json error alone (customresource_handler.go unstructuredSchemaCoercer.apply \
                 returns it; handlers/create.go transformDecodeError makes it a 400 with no field; \
                 kubectl-validate: a 500 with the bare error). crdlint reports the same message \
                 alone, at the field `metadata`",
    },
    Class {
        prefix: "quirk-generatename",
        kind: Kind::GenerateName,
        reason: "oracle quirk: kubectl-validate calls rest.BeforeCreate directly \
                 (pkg/validator/validator.go:126), which fails with 500 `metadata.name was not \
                 generated` (apiserver registry/rest/create.go:107-108) when only generateName is \
                 set; the server generates the name first (registry/generic/registry/store.go:\
                 484-487). crdlint validates the resource: no error at metadata.name",
    },
    Class {
        prefix: "quirk-metadata-schema",
        kind: Kind::MetadataSchema,
        reason: "oracle quirk: kubectl-validate replaces the CRD's metadata schema with \
                 ObjectMeta (pkg/openapiclient/local_crds.go:145), dropping the CRD's restrictions \
                 of metadata.name/generateName, which the server enforces (its validator is built \
                 from the CRD's own schema, apiextensions-apiserver validation.go:107-117). crdlint's \
                 schema errors there (and the cel/skipped they cause) are the server's",
    },
    Class {
        prefix: "quirk-int-or-string",
        kind: Kind::IntOrString,
        reason: "oracle quirk: kubectl-validate validates with the structural schema converted \
                 back to OpenAPI (local_crds.go:124, ss.ToKubeOpenAPI), where an \
                 x-kubernetes-int-or-string node has no type; the server's conversion gives it the \
                 type [integer, string] (apiextensions-apiserver validation/validation.go:264-267), \
                 so it also reports `must be of type integer,string` (and then skips CEL)",
    },
    Class {
        prefix: "quirk-status",
        kind: Kind::Status,
        reason: "oracle quirk: kubectl-validate builds the strategy without the status \
                 subresource (pkg/validator/validator.go:121, status nil), so it validates status; \
                 the server drops status on create (registry/customresource/strategy.go:145-152). \
                 crdlint reports what is wrong in status as warnings",
    },
];

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    field: Option<String>,
    reason: Option<String>,
    message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[{}] {}",
            self.reason.as_deref().unwrap_or("-"),
            self.message
        )
    }
}

const CEL_SKIPPED: &str = "some validation rules were not checked";
const UNKNOWN: &str = "Invalid value: value provided for unknown field";

/// The oracle's findings for a document, None for Success: each cause as `field: message`;
/// a 500 as its bare message.
fn oracle_findings(st: &Value) -> Option<Vec<Finding>> {
    if st["status"] == "Success" {
        return None;
    }
    if st["code"] == 500 {
        let m = st["message"].as_str().unwrap_or_default();
        let m = m.strip_prefix("Internal error occurred: ").unwrap_or(m);
        return Some(vec![Finding {
            field: None,
            reason: None,
            message: m.to_string(),
        }]);
    }
    let causes = st["details"]["causes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    Some(
        causes
            .iter()
            .map(|c| {
                let field = c["field"].as_str().map(str::to_string);
                let msg = c["message"].as_str().unwrap_or_default();
                Finding {
                    message: match &field {
                        Some(f) => format!("{f}: {msg}"),
                        None => msg.to_string(),
                    },
                    field,
                    reason: c["reason"].as_str().map(str::to_string),
                }
            })
            .collect(),
    )
}

fn finding(d: &Diagnostic) -> Finding {
    Finding {
        field: d.field.clone(),
        reason: d.reason.map(str::to_string),
        message: d.message.clone(),
    }
}

/// crdlint's findings: its errors, and its cel/skipped info when it has errors.
fn crdlint_findings(diags: &[&Diagnostic]) -> Vec<Finding> {
    let invalid = diags.iter().any(|d| d.severity == Severity::Error);
    diags
        .iter()
        .filter(|d| d.severity == Severity::Error || (invalid && d.rule == "cel/skipped"))
        .map(|d| finding(d))
        .collect()
}

/// The comparison diff.py makes: field paths, then (field, reason, message) as multisets.
fn same(want: &[Finding], got: &[Finding]) -> Result<(), String> {
    let (mut w, mut g) = (want.to_vec(), got.to_vec());
    w.sort();
    g.sort();
    if w == g {
        return Ok(());
    }
    let show = |v: &[Finding]| v.iter().map(|f| format!("\n      {f}")).collect::<String>();
    Err(format!("oracle:{}\n    crdlint:{}", show(&w), show(&g)))
}

/// Drop `gone` from crdlint's findings, and its cel/skipped when the oracle has none (the
/// dropped errors were the blocking ones).
fn without(got: Vec<Finding>, want: &[Finding], gone: impl Fn(&Finding) -> bool) -> Vec<Finding> {
    let oracle_skipped = want.iter().any(|f| f.message.contains(CEL_SKIPPED));
    got.into_iter()
        .filter(|f| !gone(f) && (oracle_skipped || !f.message.contains(CEL_SKIPPED)))
        .collect()
}

fn compare(kind: Kind, status: &Value, diags: &[&Diagnostic]) -> Result<(), String> {
    let want = oracle_findings(status);
    let got = crdlint_findings(diags);
    match kind {
        Kind::Agree => match want {
            None if got.is_empty() => Ok(()),
            None => same(&[], &got),
            Some(want) => same(&want, &got),
        },
        Kind::UnknownFields => {
            let want = want.ok_or("expected the oracle's unknown-field errors")?;
            if !want.iter().all(|f| f.message.ends_with(UNKNOWN)) {
                return Err("the oracle reports more than unknown fields".into());
            }
            let mut w: Vec<_> = want.iter().map(|f| f.field.clone()).collect();
            let mut g: Vec<_> = diags
                .iter()
                .filter(|d| d.rule == "schema/unknown-field" && d.severity == Severity::Error)
                .map(|d| {
                    let field = d.field.clone();
                    let expected = format!("unknown field \"{}\"", field.as_deref().unwrap_or(""));
                    (d.message == expected)
                        .then_some(field)
                        .ok_or(d.message.clone())
                })
                .collect::<Result<_, _>>()?;
            w.sort();
            g.sort();
            (w == g)
                .then_some(())
                .ok_or(format!("unknown fields: oracle {w:?}, crdlint {g:?}"))
        }
        Kind::MetadataDecode => {
            let want = want.ok_or("expected the oracle's decoding error")?;
            let got: Vec<Finding> = got
                .into_iter()
                .map(|f| {
                    assert_eq!(f.field.as_deref(), Some("metadata"), "{f}");
                    Finding {
                        field: None,
                        reason: None,
                        ..f
                    }
                })
                .collect();
            same(&want, &got)
        }
        Kind::GenerateName => {
            let want = want.ok_or("expected the oracle's 500")?;
            if want.len() != 1 || want[0].message != "metadata.name was not generated" {
                return Err(format!("not the generateName 500: {want:?}"));
            }
            match got
                .iter()
                .find(|f| f.field.as_deref() == Some("metadata.name"))
            {
                Some(f) => Err(format!("crdlint reports the name: {f}")),
                None => Ok(()),
            }
        }
        Kind::MetadataSchema => {
            let meta = |f: &Finding| {
                matches!(
                    f.field.as_deref(),
                    Some("metadata.name" | "metadata.generateName")
                ) && diags
                    .iter()
                    .any(|d| d.message == f.message && d.rule.starts_with("schema/"))
            };
            if !got.iter().any(meta) {
                return Err("crdlint has no schema error at metadata.name".into());
            }
            let want = want.unwrap_or_default();
            same(&want, &without(got, &want, meta))
        }
        Kind::IntOrString => {
            let ios = |f: &Finding| f.message.contains("must be of type integer,string");
            if !got.iter().any(ios) {
                return Err("crdlint has no integer,string type error".into());
            }
            let want = want.unwrap_or_default();
            same(&want, &without(got, &want, ios))
        }
        Kind::Status => {
            let want = want.ok_or("expected the oracle's status errors")?;
            let status_warned = |f: &Finding| {
                diags.iter().any(|d| {
                    d.severity == Severity::Warning && d.field == f.field && d.message == f.message
                })
            };
            for f in &want {
                let in_status = f
                    .field
                    .as_deref()
                    .is_some_and(|p| p == "status" || p.starts_with("status."));
                if !in_status || !status_warned(f) {
                    return Err(format!("not a status error crdlint warns about: {f}"));
                }
            }
            same(&[], &got)
        }
    }
}

#[test]
fn crdlint_gives_the_recorded_oracle_verdicts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/oracle");
    let cases = root.join("cases");
    let index: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(cases.join("expected_index.json")).unwrap())
            .unwrap();
    let files: Vec<PathBuf> = index
        .iter()
        .map(|e| cases.join(e["file"].as_str().unwrap()))
        .collect();
    let report = check::run(&Options {
        paths: files,
        crds: vec![root.join("crds")],
        max_diagnostics_per_file: 0,
        ..Options::default()
    });
    let mut by_doc: BTreeMap<(String, usize), Vec<&Diagnostic>> = BTreeMap::new();
    for d in &report.diagnostics {
        let name = d.source.name.rsplit('/').next().unwrap().to_string();
        by_doc
            .entry((name, d.document.unwrap_or(0)))
            .or_default()
            .push(d);
    }
    let mut failures = Vec::new();
    let mut per_class: BTreeMap<&str, usize> = BTreeMap::new();
    for entry in &index {
        let file = entry["file"].as_str().unwrap();
        let prefix = file.split_once("--").map(|(p, _)| p).unwrap_or("");
        let Some(class) = CLASSES.iter().find(|c| c.prefix == prefix) else {
            failures.push(format!("{file}: unknown class {prefix:?}"));
            continue;
        };
        for doc in entry["documents"].as_array().unwrap() {
            let i = doc["index"].as_u64().unwrap() as usize;
            let diags = by_doc
                .get(&(file.to_string(), i))
                .cloned()
                .unwrap_or_default();
            // Nothing the oracle cannot see may be reported: every case has a CRD.
            if let Some(d) = diags.iter().find(|d| d.rule.starts_with("resource/")) {
                failures.push(format!("{file}[{i}]: {}: {}", d.rule, d.message));
                continue;
            }
            *per_class.entry(class.prefix).or_default() += 1;
            if let Err(e) = compare(class.kind, &doc["expected"], &diags) {
                failures.push(format!(
                    "{file}[{i}] ({}: {}):\n    {e}",
                    class.prefix, class.reason
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the recorded documents differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every class has cases, and the set is the size it was recorded with.
    for c in CLASSES {
        assert!(
            per_class.get(c.prefix).is_some_and(|n| *n > 0),
            "no {} case",
            c.prefix
        );
    }
    assert_eq!(per_class.values().sum::<usize>(), 317, "{per_class:?}");
}
