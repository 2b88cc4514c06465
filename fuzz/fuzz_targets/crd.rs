//! CRD-shaped input: the fuzzer's text spliced into a CRD template, so the CRD reader, the
//! lint rules, the schema compiler, `pattern` translation and CEL compilation see it, and a
//! resource is validated against the result.
//!
//! Input: one mode byte, then text (read lossily); `\n===\n` splits the text into `a` and `b`.
//! - mode 0: `a` is the whole `openAPIV3Schema` (block YAML); `b` is the resource's `spec`.
//! - mode 1: `a` is `spec.name`'s `pattern`; `b` is the resource's `spec.name`.
//! - mode 2: `a` is a CEL `rule` on `spec`, `b` its `messageExpression` (when not empty).
//! - mode 3: `a` is the `default` of `spec.extra` (block YAML); `b` is the resource's `spec`.
#![no_main]

use crdlint::check;
use crdlint::model::CrdIndex;
use crdlint::rules::selection::RuleSettings;
use crdlint_fuzz::{indent, yaml_quote};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static EMPTY: LazyLock<CrdIndex> = LazyLock::new(CrdIndex::default);
static RULES: LazyLock<RuleSettings> = LazyLock::new(|| {
    let mut rules = RuleSettings::default();
    rules
        .command_line
        .extend_select
        .push("crd/missing-description".into());
    rules
});

const HEAD: &str = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: fuzzes.fuzz.example.com
spec:
  group: fuzz.example.com
  scope: Namespaced
  names: {kind: Fuzz, plural: fuzzes, singular: fuzz, listKind: FuzzList}
  versions:
    - name: v1
      served: true
      storage: true
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
";

/// The schema of modes 1-3 (indented for the template), with `@` replaced by the fuzzed part.
const SCHEMA: &str = "type: object
properties:
  apiVersion: {type: string}
  kind: {type: string}
  metadata: {type: object}
  spec:
    type: object
    x-kubernetes-validations:
      - rule: \"self.size >= 0\"
@CEL
    properties:
      size: {type: integer, minimum: 0, maximum: 100}
      ratio: {type: number}
      name:
        type: string
        maxLength: 64
@PATTERN
      tags:
        type: array
        maxItems: 8
        items: {type: string, maxLength: 16}
        x-kubernetes-list-type: set
      ports:
        type: array
        maxItems: 8
        x-kubernetes-list-type: map
        x-kubernetes-list-map-keys: [name]
        items:
          type: object
          required: [name]
          properties:
            name: {type: string, maxLength: 16}
            port: {type: integer, default: 80}
      labels:
        type: object
        maxProperties: 8
        additionalProperties: {type: string, maxLength: 32}
      extra:
        x-kubernetes-preserve-unknown-fields: true
@DEFAULT
  status:
    type: object
    x-kubernetes-preserve-unknown-fields: true
";

const SPEC: &str = "size: 3
ratio: 1.5
name: abc
tags: [a, b]
ports: [{name: http}, {name: https, port: 443}]
labels: {x: y}
";

fn resource(spec: &str) -> String {
    format!(
        "---\napiVersion: fuzz.example.com/v1\nkind: Fuzz\nmetadata:\n  name: f\nspec:\n{}",
        indent(if spec.trim().is_empty() { SPEC } else { spec }, 2)
    )
}

fn with(cel: &str, pattern: &str, default: &str) -> String {
    indent(
        &SCHEMA
            .replace("@CEL\n", cel)
            .replace("@PATTERN\n", pattern)
            .replace("@DEFAULT\n", default),
        10,
    )
}

fuzz_target!(|data: &[u8]| {
    crdlint_fuzz::init();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let (a, b) = text.split_once("\n===\n").unwrap_or((&text, ""));
    let mut doc = HEAD.to_string();
    match mode % 4 {
        0 => {
            doc.push_str(&indent(a, 10));
            doc.push_str(&resource(b));
        }
        1 => {
            doc.push_str(&with(
                "",
                &format!("        pattern: {}\n", yaml_quote(a)),
                "",
            ));
            doc.push_str(&resource(&format!("name: {}\n", yaml_quote(b))));
        }
        2 => {
            let mut cel = format!("      - rule: {}\n", yaml_quote(a));
            if !b.is_empty() {
                cel.push_str(&format!("        messageExpression: {}\n", yaml_quote(b)));
            }
            doc.push_str(&with(&cel, "", ""));
            doc.push_str(&resource(""));
        }
        _ => {
            doc.push_str(&with(
                "",
                "",
                &format!("        default:\n{}", indent(a, 10)),
            ));
            doc.push_str(&resource(b));
        }
    }
    let report = check::check_source("fuzz-crd.yaml", &doc, &EMPTY, &RULES);
    crdlint_fuzz::check_report(&report);
});
