//! Parity with kubectl's YAML reading (sigs.k8s.io/yaml.YAMLToJSON on go-yaml v2), without
//! the Go oracle: tests/yaml_oracle/cases.jsonl holds the oracle's verdicts on a few hundred
//! tricky documents (recorded by tools/yaml-parity/record.py), and crdlint must reach the same
//! ones: the same JSON for a document kubectl reads, the same error text for one it refuses.

use crdlint::yaml::{self, ProblemKind};
use serde_json::Value as J;

/// JSON numbers as the API server holds them: an int64 when the digits fit one, else a float.
fn norm(v: &J) -> J {
    match v {
        J::Number(n) => match n.as_i64() {
            Some(i) => J::from(i),
            None => {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f.fract() == 0.0 && f.abs() < 9.2e18 {
                    J::from(f as i64)
                } else {
                    serde_json::Number::from_f64(f)
                        .map(J::Number)
                        .unwrap_or(J::Null)
                }
            }
        },
        J::Array(items) => J::Array(items.iter().map(norm).collect()),
        J::Object(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), norm(v))).collect()),
        other => other.clone(),
    }
}

#[test]
fn crdlint_reads_yaml_as_kubectl_does() {
    let cases = include_str!("yaml_oracle/cases.jsonl");
    let mut failures = Vec::new();
    let mut documents = 0;
    for line in cases.lines().filter(|l| !l.trim().is_empty()) {
        let case: J = serde_json::from_str(line).expect("a JSON line");
        let name = case["name"].as_str().unwrap_or("?");
        let input = case["input"].as_str().expect("input");
        let docs = yaml::parse_stream(input);
        let expected = case["documents"].as_array().expect("documents");
        for want in expected {
            documents += 1;
            let index = want["index"].as_u64().unwrap() as usize;
            let Some(got) = docs.iter().find(|d| d.index == index) else {
                failures.push(format!("{name} #{index}: no document"));
                continue;
            };
            let error = got
                .problems
                .iter()
                .find(|p| matches!(p.kind, ProblemKind::Syntax | ProblemKind::Limit))
                .map(|p| p.message.as_str());
            let want_error = want["error"].as_str();
            if error != want_error {
                failures.push(format!(
                    "{name} #{index}: error {error:?}, kubectl says {want_error:?}"
                ));
                continue;
            }
            if want_error.is_none() {
                let json = got
                    .root
                    .as_ref()
                    .map(|r| serde_json::from_str::<J>(&r.to_json()).unwrap())
                    .unwrap_or(J::Null);
                if norm(&json) != norm(&want["json"]) {
                    failures.push(format!(
                        "{name} #{index}: JSON {json}, kubectl reads {}",
                        want["json"]
                    ));
                }
            }
        }
        // Documents kubectl does not list are empty for crdlint too, or the end of a file
        // at a refused separator.
        for d in &docs {
            if expected
                .iter()
                .any(|w| w["index"].as_u64() == Some(d.index as u64))
            {
                continue;
            }
            let refused = case["split_stop"]
                .as_str()
                .is_some_and(|stop| d.problems.iter().any(|p| p.message == stop));
            let blank = d.root.is_none()
                && !d
                    .problems
                    .iter()
                    .any(|p| matches!(p.kind, ProblemKind::Syntax | ProblemKind::Limit));
            if !(refused || blank) {
                failures.push(format!(
                    "{name} #{}: a document kubectl does not read",
                    d.index
                ));
            }
        }
    }
    assert!(documents >= 300, "only {documents} documents recorded");
    assert!(
        failures.is_empty(),
        "{} of {documents} documents differ from kubectl:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
