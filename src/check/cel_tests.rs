//! CEL evaluation through the whole check: a CRD and a resource in one file, as a user
//! writes them.

/// The head of the CRD the tests below share, up to the root's properties.
const GIZMO_CRD_HEAD: &str = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gizmos.demo.example.com}
spec:
  group: demo.example.com
  scope: Namespaced
  names: {kind: Gizmo, plural: gizmos, singular: gizmo, listKind: GizmoList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
";

/// The messages of a report's `cel/rule` diagnostics, in order.
fn cel_rule_messages(report: &crate::check::Report) -> Vec<&str> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "cel/rule")
        .map(|d| d.message.as_str())
        .collect()
}

mod pruning_tests {
    use crate::check::check_source;
    use crate::model::CrdIndex;

    /// Rules see typed values (timestamps, unescaped map keys) below them even where the
    /// schema is pruned for the walk, and branches without rules do not change the verdict.
    #[test]
    fn pruned_walk_keeps_typing_under_rules() {
        let text = super::GIZMO_CRD_HEAD.to_string()
            + "            other: {type: object, properties: {when: {type: string, format: date-time}}}
            spec:
              type: object
              x-kubernetes-validations:
                - rule: self.window.start < timestamp('2030-01-01T00:00:00Z')
                  message: too late
                - rule: \"!('a.b' in self.labels) || self.labels['a.b'] == 'x'\"
                  message: bad label
              properties:
                window:
                  type: object
                  properties:
                    start: {type: string, format: date-time}
                labels: {type: object, additionalProperties: {type: string}}
                plain: {type: object, properties: {count: {type: integer}}}
---
apiVersion: demo.example.com/v1
kind: Gizmo
metadata: {name: g}
other: {when: '2020-01-01T00:00:00Z'}
spec:
  window: {start: '2040-01-01T00:00:00Z'}
  labels: {a.b: z}
  plain: {count: 1}
";
        let report = check_source("g.yaml", &text, &CrdIndex::default(), &Default::default());
        let messages = super::cel_rule_messages(&report);
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages.iter().any(|m| m.contains("too late")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("bad label")),
            "{messages:?}"
        );
    }
}

mod binding_tests {
    use crate::check::check_source;
    use crate::model::CrdIndex;

    /// What rules see of the object: a null property of an object is absent (and its own rules
    /// do not run), a null value of a map stays, and the root's metadata holds only its name.
    fn cel_messages(spec: &str, labels: &str) -> Vec<String> {
        let head = super::GIZMO_CRD_HEAD
            .strip_suffix("          properties:\n")
            .expect("the head ends with the root's properties");
        let text = head.to_string()
            + "          x-kubernetes-validations:
            - rule: \"!has(self.metadata.labels)\"
              message: labels visible
          properties:
            spec:
              type: object
              x-kubernetes-validations:
                - rule: \"!has(self.a)\"
                  message: a visible
                - rule: \"'k' in self.m\"
                  message: map null dropped
              properties:
                a:
                  type: string
                  nullable: true
                  x-kubernetes-validations:
                    - {rule: \"self == 'never'\", message: a rule ran}
                m: {type: object, additionalProperties: {type: string, nullable: true}}
---
apiVersion: demo.example.com/v1
kind: Gizmo
metadata: {name: g, labels: "
            + labels
            + "}
spec: " + spec
            + "\n";
        let report = check_source("g.yaml", &text, &CrdIndex::default(), &Default::default());
        report
            .diagnostics
            .iter()
            .filter(|d| d.rule.starts_with("cel/"))
            .map(|d| d.message.clone())
            .collect()
    }

    #[test]
    fn null_properties_are_absent_null_map_values_stay_and_metadata_is_its_name() {
        assert_eq!(
            cel_messages("{a: null, m: {k: null}}", "{app: x}"),
            Vec::<String>::new()
        );
        let seen = cel_messages("{a: x, m: {}}", "{app: x}");
        assert_eq!(seen.len(), 3, "{seen:?}");
        for m in ["a visible", "a rule ran", "map null dropped"] {
            assert!(seen.iter().any(|s| s.contains(m)), "{m}: {seen:?}");
        }
    }
}

mod syntax_tests {
    use crate::check::check_source;
    use crate::model::CrdIndex;

    static CRD: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        super::GIZMO_CRD_HEAD.to_string()
            + "            spec:
              type: object
              x-kubernetes-validations:
                - rule: self.?mode.orValue('') != 'off'
                  message: optional select
                - rule: self.limits[?'cpu'].orValue('1') != '0'
                  message: optional index
                - rule: self.names.all(i, n, i == 0 || n != self.names[0])
                  message: all
                - rule: self.limits.exists(k, v, k == 'mem' || v == 'any')
                  message: exists
                - rule: self.names.existsOne(i, n, n == 'main')
                  message: existsOne
                - rule: self.names.transformList(i, n, i > 0, n.size()).all(s, s < 8)
                  message: transformList
                - rule: self.limits.transformMap(k, v, v.size()).all(k, self.limits[k].size() < 8)
                  message: transformMap
                - rule: \"self.limits.transformMapEntry(k, v, {k + '=' + v: true}).all(e, e.size() < 12)\"
                  message: transformMapEntry
                - rule: self.?names.optMap(n, n.size()).orValue(0) <= 4
                  message: optMap
                - rule: self.?limits.optFlatMap(l, l[?'gpu']).orValue('') != 'none'
                  message: optFlatMap
              properties:
                mode: {type: string, maxLength: 8}
                names: {type: array, maxItems: 8, items: {type: string, maxLength: 32}}
                limits: {type: object, maxProperties: 8, additionalProperties: {type: string, maxLength: 8}}
                parts:
                  type: array
                  maxItems: 4
                  items: {type: object, properties: {size: {type: integer}}}
                  x-kubernetes-validations:
                    - rule: self.all(p, p.size > 0)
                      message: sizes
"
    });

    fn cel_diagnostics(resource: &str) -> Vec<(&'static str, String)> {
        let text = format!("{}---\n{resource}", *CRD);
        let report = check_source("g.yaml", &text, &CrdIndex::default(), &Default::default());
        report
            .diagnostics
            .iter()
            .map(|d| (d.rule, d.message.clone()))
            .collect()
    }

    /// Optional access, `optMap`/`optFlatMap` and the two-variable comprehensions are evaluated: a rule that holds says nothing, a rule that does not is a `cel/rule`
    /// error, as on the server.
    #[test]
    fn optional_syntax_and_two_variable_macros_evaluate() {
        let good = "\
apiVersion: demo.example.com/v1
kind: Gizmo
metadata: {name: g}
spec:
  names: [main, b]
  limits: {mem: 1Gi, cpu: '2'}
";
        assert_eq!(cel_diagnostics(good), vec![]);
        // Absent optional fields are fine too.
        let sparse = "\
apiVersion: demo.example.com/v1
kind: Gizmo
metadata: {name: g}
spec:
  names: [main]
  limits: {mem: any}
";
        assert_eq!(cel_diagnostics(sparse), vec![]);
        let bad = "\
apiVersion: demo.example.com/v1
kind: Gizmo
metadata: {name: g}
spec:
  mode: 'off'
  names: [x, x, main, main, a-very-long-name]
  limits: {cpu: '0', gpu-nvidia-a100: '1', gpu: none}
";
        let found = cel_diagnostics(bad);
        assert!(
            found.iter().all(|(rule, _)| *rule == "cel/rule"),
            "{found:?}"
        );
        let mut messages: Vec<&str> = found
            .iter()
            .map(|(_, m)| m.strip_prefix("spec: Invalid value: ").unwrap_or(m))
            .collect();
        messages.sort();
        assert_eq!(
            messages,
            vec![
                "all",
                "exists",
                "existsOne",
                "optFlatMap",
                "optMap",
                "optional index",
                "optional select",
                "transformList",
                "transformMapEntry",
            ],
            "{found:?}"
        );
    }

    /// A key `transformMapEntry` makes twice is an evaluation error the server words itself.
    #[test]
    fn duplicate_keys_in_transform_map_entry_are_an_evaluation_error() {
        let crd = CRD.replace("{k + '=' + v: true}", "{v: k}");
        let text = format!(
            "{crd}---\napiVersion: demo.example.com/v1\nkind: Gizmo\nmetadata: {{name: g}}\nspec:\n  names: [main]\n  limits: {{cpu: '1', mem: '1'}}\n"
        );
        let report = check_source("g.yaml", &text, &CrdIndex::default(), &Default::default());
        let found: Vec<(&str, &str)> = report
            .diagnostics
            .iter()
            .filter(|d| d.rule.starts_with("cel/"))
            .map(|d| (d.rule, d.message.as_str()))
            .collect();
        // The server's own error (cel-go's `cel.@mapInsert`; kubectl-validate 1.35 words the
        // `cel-library` fixture's case the same), at the rule's node, the rule's message after it.
        assert_eq!(
            found,
            vec![(
                "cel/rule",
                "spec: Invalid value: \"object\": insert failed: key 1 already exists evaluating rule: transformMapEntry"
            )]
        );
    }

    /// As in cel-go, an element whose predicate fails to evaluate does not hide another that
    /// is false: `all` is false (cel-rust 0.13 stopped at the error).
    #[test]
    fn an_error_inside_all_does_not_hide_a_false_element() {
        let resource = |parts: &str| {
            format!(
                "apiVersion: demo.example.com/v1\nkind: Gizmo\nmetadata: {{name: g}}\nspec:\n  names: [main]\n  limits: {{mem: '1'}}\n  parts: {parts}\n"
            )
        };
        assert_eq!(
            cel_diagnostics(&resource("[{}, {size: 0}]")),
            vec![("cel/rule", "spec.parts: Invalid value: sizes".to_string())]
        );
        // Only the error, which the server reports as its own (validation.go: "%v evaluating
        // rule: %v").
        let found = cel_diagnostics(&resource("[{}, {size: 1}]"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "cel/rule");
        assert!(
            found[0].1.contains("no such key: size evaluating rule: "),
            "{found:?}"
        );
    }
}

mod same_rule_text_tests {
    use crate::check::check_source;
    use crate::model::CrdIndex;

    /// One rule text at several nodes, each with its own message and fieldPath: each failure
    /// is worded with its own node's entry (it was the first one found in a hash map's
    /// order, which changed from run to run).
    #[test]
    fn each_failure_is_worded_with_its_own_node_s_rule() {
        let text = super::GIZMO_CRD_HEAD.to_string()
            + "            spec:
              type: object
              properties:
                a:
                  type: object
                  properties: {x: {type: integer}}
                  x-kubernetes-validations: [{rule: self.x == 1, message: A is wrong}]
                b:
                  type: object
                  properties: {x: {type: integer}}
                  x-kubernetes-validations: [{rule: self.x == 1, message: B is wrong, fieldPath: .x}]
                c:
                  type: object
                  properties: {x: {type: integer}}
                  x-kubernetes-validations:
                    - {rule: self.x == 1, message: C1 is wrong}
                    - {rule: self.x == 1, message: C2 is wrong}
---
apiVersion: demo.example.com/v1
kind: Gizmo
metadata: {name: g}
spec:
  a: {}
  b: {x: 2}
  c: {x: 3}
";
        for _ in 0..8 {
            let report = check_source("g.yaml", &text, &CrdIndex::default(), &Default::default());
            assert_eq!(
                super::cel_rule_messages(&report),
                [
                    "spec.a: Invalid value: \"object\": no such key: x evaluating rule: A is wrong",
                    "spec.b.x: Invalid value: B is wrong",
                    "spec.c: Invalid value: C1 is wrong",
                    "spec.c: Invalid value: C2 is wrong",
                ]
            );
        }
    }
}
