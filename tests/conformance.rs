//! Conformance against `../shared/corpus` (skipped, with a message, when it is absent):
//! kubectl-validate's recorded API-server verdicts, the widget benchmark set with known
//! verdicts, and the real CRDs, which all install on a real API server.

mod common;

use crdlint::check::{self, Options, Report};
use crdlint::diagnostics::Severity;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

fn run(paths: Vec<PathBuf>, crds: Vec<PathBuf>) -> Report {
    // kubectl-validate's test harness recorded the verdicts with its default version, 1.30.
    let rules = crdlint::rules::selection::RuleSettings {
        kubernetes_minor: Some(30),
        ..Default::default()
    };
    check::run(&Options {
        paths,
        crds,
        rules: std::sync::Arc::new(rules),
        // Verdicts are compared for every document: none may be left out of the report
        // (all.yaml holds 2,000 documents and 1,350 diagnostics).
        max_diagnostics_per_file: 0,
        ..Options::default()
    })
}

fn errors_by_doc(report: &Report) -> BTreeMap<usize, Vec<(String, String, String)>> {
    by_doc(report, Severity::Error)
}

fn by_doc(report: &Report, severity: Severity) -> BTreeMap<usize, Vec<(String, String, String)>> {
    let mut m: BTreeMap<usize, Vec<_>> = BTreeMap::new();
    for d in &report.diagnostics {
        if d.severity == severity {
            m.entry(d.document.unwrap_or(0)).or_default().push((
                d.field.clone().unwrap_or_default(),
                d.reason.unwrap_or_default().to_string(),
                d.message.clone(),
            ));
        }
    }
    m
}

#[test]
#[cfg_attr(
    not(shared_corpus),
    ignore = "../shared/corpus is absent: this conformance test did not run"
)]
fn kubectl_validate_custom_resource_and_yaml_cases() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let kv = corpus.join("kubectl-validate");
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(kv.join("expected_index.json")).unwrap())
            .unwrap();
    // Groups served by the CRDs the harness loads.
    let crd_dir = kv.join("testcases/crds");
    let crd_report = run(vec![crd_dir.clone()], vec![]);
    assert!(
        !crd_report
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error),
        "the harness CRDs load without errors: {:?}",
        crd_report
            .diagnostics
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );
    let cr_groups: HashSet<&str> = [
        "stable.example.com",
        "batch.x-k8s.io",
        "cert-manager.io",
        "acme.cert-manager.io",
    ]
    .into();

    let mut compared = 0;
    for case in index.as_array().unwrap() {
        let file = case["file"].as_str().unwrap();
        let name = file.rsplit('/').next().unwrap();
        if !case["active"].as_bool().unwrap() {
            continue;
        }
        let report = run(vec![kv.join(file)], vec![crd_dir.clone()]);
        let ours = errors_by_doc(&report);
        let warnings = by_doc(&report, Severity::Warning);
        for doc in case["documents"].as_array().unwrap() {
            let i = doc["index"].as_u64().unwrap() as usize;
            let expected = &doc["expected"];
            let api_version = doc["apiVersion"].as_str().unwrap_or("");
            let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
            let is_cr = cr_groups.contains(group);
            let is_empty = doc["apiVersion"].is_null();
            let is_decode = expected["code"].as_u64() == Some(400);
            let is_crd = doc["kind"] == "CustomResourceDefinition";
            // Where kubectl-validate and the API server differ, the server's code decides:
            // duplicate container ports are an error for kubectl-validate (it holds built-ins
            // to their schemas' list types) and a warning for the server ("duplicate port
            // definition with ...", kubernetes pkg/api/pod/warnings.go). crdlint reports the
            // same finding as a warning.
            if name == "error_x_list_map_duplicate_key.yaml" {
                compared += 1;
                let w = warnings.get(&i).cloned().unwrap_or_default();
                let want = "spec.containers[0].ports[2]: Duplicate value: {\"containerPort\":88,\"protocol\":\"TCP\"}";
                assert!(!ours.contains_key(&i), "{name}[{i}]: {ours:?}");
                assert!(w.iter().any(|(_, _, m)| m == want), "{name}[{i}]: {w:?}");
                continue;
            }
            // A kind the group/version does not have: kubectl-validate has no validator for it
            // (a 500); crdlint reports kubectl's `no matches for kind` error.
            let is_unknown_kind = expected["code"].as_u64() == Some(500);
            compared += 1;
            let got = ours.get(&i).cloned().unwrap_or_default();
            if is_unknown_kind {
                let cause = expected["details"]["causes"][0]["message"]
                    .as_str()
                    .unwrap();
                if cause.contains("not found in") {
                    assert!(
                        got.iter()
                            .any(|(_, _, m)| m.starts_with("no matches for kind")),
                        "{name}[{i}]: expected an unknown-kind error, got {got:?}"
                    );
                } else {
                    // A decode error of ObjectMeta (a 500 in kubectl-validate, a 400 on a
                    // server): the same Go error text.
                    assert!(
                        got.iter().any(|(_, _, m)| m.ends_with(cause)),
                        "{name}[{i}]: expected {cause:?}, got {got:?}"
                    );
                }
                continue;
            }
            let _ = (is_cr, is_empty);
            let got = ours.get(&i).cloned().unwrap_or_default();
            if expected["status"] == "Success" {
                assert!(got.is_empty(), "{name}[{i}]: expected Success, got {got:?}");
                continue;
            }
            if is_decode {
                let cause = expected["details"]["causes"][0]["message"]
                    .as_str()
                    .unwrap();
                let key_msg = cause.split_once(": ").map(|(_, m)| m).unwrap_or(cause);
                assert!(
                    got.iter().any(|(_, _, m)| m == key_msg),
                    "{name}[{i}]: expected {key_msg:?}, got {got:?}"
                );
                continue;
            }
            if is_crd {
                // CRD findings carry the server's message (field path first).
                let want: Vec<String> = expected["details"]["causes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| {
                        format!(
                            "{}: {}",
                            c["field"].as_str().unwrap(),
                            c["message"].as_str().unwrap()
                        )
                    })
                    .collect();
                let got: Vec<String> = got.iter().map(|(_, _, m)| m.clone()).collect();
                assert_eq!(got, want, "{name}[{i}]");
                continue;
            }
            let mut want: Vec<(String, String, String)> = expected["details"]["causes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    let field = c["field"].as_str().unwrap().to_string();
                    let msg = format!("{}: {}", field, c["message"].as_str().unwrap());
                    (field, c["reason"].as_str().unwrap().to_string(), msg)
                })
                .collect();
            // Unknown fields: kubectl-validate words them `x: Invalid value: value provided for
            // unknown field` where crdlint gives strict decoding's `unknown field "x"`, and it
            // stops there, as the server does under strict field validation; crdlint goes on
            // and reports the other errors too (a documented difference: README).
            const UNKNOWN: &str = "Invalid value: value provided for unknown field";
            let oracle_stops = want.iter().any(|(_, _, m)| m.ends_with(UNKNOWN));
            let mut got: Vec<(String, String, String)> = got
                .into_iter()
                .filter_map(
                    |(field, reason, msg)| match msg.strip_prefix("unknown field ") {
                        Some(_) => Some((field.clone(), reason, format!("{field}: {UNKNOWN}"))),
                        None if oracle_stops => None,
                        None => Some((field, reason, msg)),
                    },
                )
                .collect();
            want.sort();
            got.sort();
            assert_eq!(got, want, "{name}[{i}]");
        }
    }
    assert_eq!(compared, 35, "documents compared");
}

#[test]
#[cfg_attr(
    not(shared_corpus),
    ignore = "../shared/corpus is absent: this conformance test did not run"
)]
fn widgets_every_invalid_file_is_caught_and_no_valid_one() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let w = corpus.join("bench/widgets");
    let manifest: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(w.join("manifest.json")).unwrap()).unwrap();
    let report = run(vec![w.join("crs")], vec![w.join("crd.yaml")]);
    let failing: HashSet<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.source.name.rsplit('/').next().unwrap().to_string())
        .collect();
    // The `date` category puts a bad date-time in `status`; the widget CRD enables the status
    // subresource, so the API server drops status on create (customResourceStrategy
    // .PrepareForCreate) and accepts the file: crdlint reports it as a warning on `status.*`.
    let status_warned: HashSet<String> = report
        .diagnostics
        .iter()
        .filter(|d| {
            d.severity == Severity::Warning
                && d.field.as_deref().is_some_and(|f| f.starts_with("status."))
        })
        .map(|d| d.source.name.rsplit('/').next().unwrap().to_string())
        .collect();
    let mut missed = Vec::new();
    let mut false_positives = Vec::new();
    let mut caught = 0;
    for (file, category) in &manifest {
        let valid = category.starts_with("ok");
        let flagged = failing.contains(file);
        if valid && flagged {
            false_positives.push(file.clone());
        } else if category == "date" {
            if status_warned.contains(file) && !flagged {
                caught += 1;
            } else {
                missed.push(format!(
                    "{file} (date: expected a status warning, no error)"
                ));
            }
        } else if !valid && !flagged {
            missed.push(format!("{file} ({category})"));
        } else if !valid && flagged {
            caught += 1;
        }
    }
    assert!(
        false_positives.is_empty(),
        "valid files flagged: {false_positives:?}"
    );
    assert!(missed.is_empty(), "invalid files missed: {missed:?}");
    assert_eq!(caught, 1000);
    assert_eq!(report.summary.resources, 2000);
}

#[test]
#[cfg_attr(
    not(shared_corpus),
    ignore = "../shared/corpus is absent: this conformance test did not run"
)]
fn widgets_all_yaml_stream_has_the_same_verdicts() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let w = corpus.join("bench/widgets");
    let manifest: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(w.join("manifest.json")).unwrap()).unwrap();
    // all.yaml holds the same documents in the order of the sorted file names.
    let categories: Vec<&String> = manifest.values().collect();
    let report = run(vec![w.join("all.yaml")], vec![w.join("crd.yaml")]);
    assert_eq!(report.summary.documents, manifest.len());
    let flagged: HashSet<usize> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter_map(|d| d.document)
        .collect();
    for (i, category) in categories.iter().enumerate() {
        let valid = category.starts_with("ok");
        if valid {
            assert!(!flagged.contains(&i), "document {i} ({category}) flagged");
        } else if category.as_str() == "date" {
            assert!(
                !flagged.contains(&i),
                "document {i}: status is dropped by the server"
            );
        } else {
            assert!(flagged.contains(&i), "document {i} ({category}) missed");
        }
    }
}

#[test]
#[cfg_attr(
    not(shared_corpus),
    ignore = "../shared/corpus is absent: this conformance test did not run"
)]
fn real_crds_load_without_errors() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let report = run(vec![corpus.join("crds")], vec![]);
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {} {}", d.source.name, d.rule, d.message))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(report.summary.crds, 103, "the corpus holds 103 CRDs");
    // All 538 CEL rules of the corpus compile, and none needs syntax crdlint cannot evaluate.
    let cel: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule.starts_with("cel/") && d.rule != "cel/cost-high")
        .map(|d| d.message.as_str())
        .collect();
    assert!(cel.is_empty(), "{cel:?}");
    // Their estimated costs are all within the API server's budget (no cel/cost above); nine
    // are over half of it (crossplane's image-reference regex on an unbounded string, and istio
    // and kyverno rules under lists without maxItems).
    let high = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "cel/cost-high")
        .count();
    assert_eq!(high, 9);
}
