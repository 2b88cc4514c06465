//! Built-in kinds: validated against the published schemas of the targeted Kubernetes version,
//! removed and deprecated API versions reported, the server's name rules per kind.

use crdlint::check::{self, Options, Report};
use crdlint::diagnostics::Severity;
use crdlint::rules::selection::RuleSettings;
use std::path::PathBuf;
use std::sync::Arc;

fn check_at(text: &str, minor: Option<u32>) -> Report {
    let rules = RuleSettings {
        kubernetes_minor: minor,
        ..RuleSettings::default()
    };
    check::run(&Options {
        paths: vec![PathBuf::from("-")],
        stdin_name: "m.yaml".into(),
        stdin_text: Some(text.as_bytes().to_vec()),
        rules: Arc::new(rules),
        ..Options::default()
    })
}

fn found(r: &Report) -> Vec<(&'static str, Severity, String)> {
    r.diagnostics
        .iter()
        .map(|d| (d.rule, d.severity, d.message.clone()))
        .collect()
}

fn errors(r: &Report) -> Vec<String> {
    r.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn every_api_version_removed_since_1_16_is_an_error_from_its_removal_on() {
    let mut checked = 0;
    for l in crdlint::builtin::lifecycle::all() {
        let Some(removed) = l.removed.filter(|r| *r >= 16 && !l.planned) else {
            continue;
        };
        // A v1beta1 CRD is linted as a CRD document: crd/v1beta1-removed.
        if l.kind == "CustomResourceDefinition" {
            continue;
        }
        let doc = format!(
            "apiVersion: {}\nkind: {}\nmetadata:\n  name: x\n",
            l.api_version, l.kind
        );
        let rule_of = |minor: u32| -> Vec<(&'static str, String)> {
            check_at(&doc, Some(minor))
                .diagnostics
                .iter()
                .map(|d| (d.rule, d.message.clone()))
                .collect()
        };
        // The release before: not removed (validated, deprecated or without a schema).
        let before = rule_of(removed - 1);
        assert!(
            before.iter().all(|(r, _)| *r != "resource/removed-api"),
            "{} {} at 1.{}: {before:?}",
            l.api_version,
            l.kind,
            removed - 1
        );
        // From the removal on: an error naming the release.
        let after = rule_of(removed);
        let hit = after
            .iter()
            .find(|(r, _)| *r == "resource/removed-api")
            .unwrap_or_else(|| panic!("{} {} at 1.{removed}: {after:?}", l.api_version, l.kind));
        assert!(
            hit.1
                .contains(&format!("was removed in Kubernetes 1.{removed}")),
            "{hit:?}"
        );
        if let Some(rep) = &l.replacement {
            assert!(hit.1.contains(&format!("; use {rep}")), "{hit:?}");
        }
        checked += 1;
    }
    // The migration guide lists about 60 since 1.16, the alpha removals more.
    assert!(checked >= 50, "{checked}");
}

#[test]
fn well_known_removals_name_their_replacement() {
    for (api_version, kind, target, want) in [
        (
            "extensions/v1beta1",
            "Deployment",
            35,
            "extensions/v1beta1 Deployment was removed in Kubernetes 1.16; use apps/v1 Deployment",
        ),
        (
            "policy/v1beta1",
            "PodSecurityPolicy",
            25,
            "policy/v1beta1 PodSecurityPolicy was removed in Kubernetes 1.25",
        ),
        (
            "batch/v1beta1",
            "CronJob",
            30,
            "batch/v1beta1 CronJob was removed in Kubernetes 1.25; use batch/v1 CronJob",
        ),
        (
            "autoscaling/v2beta2",
            "HorizontalPodAutoscaler",
            26,
            "autoscaling/v2beta2 HorizontalPodAutoscaler was removed in Kubernetes 1.26; use autoscaling/v2 HorizontalPodAutoscaler",
        ),
        (
            "flowcontrol.apiserver.k8s.io/v1beta3",
            "FlowSchema",
            32,
            "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema was removed in Kubernetes 1.32; use flowcontrol.apiserver.k8s.io/v1 FlowSchema",
        ),
    ] {
        let doc = format!("apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: x\n");
        let e = errors(&check_at(&doc, Some(target)));
        assert!(
            e.iter().any(|m| m.contains(want)),
            "{api_version} {kind}: {e:?}"
        );
    }
}

#[test]
fn a_deprecated_api_is_a_warning_with_the_servers_text_and_still_validated() {
    let doc = "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  maxReplicas: many\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n";
    let f = found(&check_at(doc, Some(25)));
    assert!(f.contains(&(
        "resource/deprecated-api",
        Severity::Warning,
        "autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated in v1.23+, unavailable in v1.26+; use autoscaling/v2 HorizontalPodAutoscaler".into()
    )), "{f:?}");
    assert!(
        f.iter()
            .any(|(r, _, m)| *r == "schema/type" && m.starts_with("spec.maxReplicas")),
        "{f:?}"
    );
}

#[test]
fn built_in_resources_are_validated_as_the_server_validates_them() {
    // A scaffolded manager Deployment, RBAC with colons in names, a Service: valid.
    let valid = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: controller-manager, namespace: system}
spec:
  selector: {matchLabels: {control-plane: controller-manager}}
  replicas: 1
  template:
    metadata: {labels: {control-plane: controller-manager}}
    spec:
      containers:
      - name: manager
        image: controller:latest
        args: [--leader-elect]
        ports: [{containerPort: 9443, name: webhook-server, protocol: TCP}]
        resources: {limits: {cpu: 500m, memory: 128Mi}, requests: {cpu: 10m, memory: 64Mi}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: 'system:controller:guestbook'}
rules: [{apiGroups: [''], resources: [pods], verbs: [get]}]
---
apiVersion: v1
kind: Service
metadata: {name: webhook-service}
spec:
  ports: [{port: 443, targetPort: 9443}]
  selector: {control-plane: controller-manager}
";
    let r = check_at(valid, None);
    assert!(r.diagnostics.is_empty(), "{:?}", found(&r));
    assert_eq!(r.summary.resources, 3);
    // The same with mistakes the schemas catch.
    let invalid = "\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    ports: [{containerPort: web, protocol: udp}]
    resources: {requests: {cpu: true}}
  restartPolicy: 3
---
apiVersion: v1
kind: Namespace
metadata: {name: my.namespace}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: [mode]
";
    let e = errors(&check_at(invalid, None));
    for want in [
        "spec.containers[0].image: Required value",
        "spec.containers[0].ports[0].containerPort: Invalid value: \"string\": spec.containers[0].ports[0].containerPort in body must be of type integer: \"string\"",
        "spec.containers[0].ports[0].protocol: Unsupported value: \"udp\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
        "spec.restartPolicy: Invalid value: \"integer\": spec.restartPolicy in body must be of type string: \"integer\"",
        // A Namespace's name is a DNS label (a subdomain would take the dot).
        "metadata.name: Invalid value: \"my.namespace\": must not contain dots",
        "data: Invalid value: \"array\": data in body must be of type object: \"array\"",
    ] {
        assert!(e.iter().any(|m| m == want), "missing {want:?} in {e:#?}");
    }
}

#[test]
fn status_of_built_ins_is_dropped_on_create_and_unknown_kinds_are_errors() {
    // The server resets a Deployment's status on create: a bad status is a warning.
    let doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: i}]}\nstatus: {replicas: many}\n";
    let f = found(&check_at(doc, None));
    assert!(
        f.iter()
            .any(|(r, s, _)| *r == "schema/type" && *s == Severity::Warning),
        "{f:?}"
    );
    assert!(f.iter().all(|(_, s, _)| *s != Severity::Error), "{f:?}");
    // A misspelled kind, and an API newer than the target.
    let e = errors(&check_at(
        "apiVersion: apps/v1\nkind: Deploymnt\nmetadata: {name: d}\n",
        None,
    ));
    assert_eq!(
        e,
        ["no matches for kind \"Deploymnt\" in version \"apps/v1\""]
    );
    let e = errors(&check_at(
        "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: gpu}\nspec: {}\n",
        Some(30),
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("serve it, the target is 1.30"), "{e:?}");
}

#[test]
fn a_deprecated_crd_version_gets_the_servers_warning() {
    let crd = |warning: &str| {
        format!(
            "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {{name: widgets.demo.example.com}}
spec:
  group: demo.example.com
  scope: Namespaced
  names: {{kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}}
  versions:
    - name: v1alpha1
      served: true
      storage: false
      deprecated: true{warning}
      schema: {{openAPIV3Schema: {{type: object, x-kubernetes-preserve-unknown-fields: true}}}}
    - name: v1beta1
      served: true
      storage: false
      schema: {{openAPIV3Schema: {{type: object, x-kubernetes-preserve-unknown-fields: true}}}}
    - name: v1
      served: true
      storage: true
      schema: {{openAPIV3Schema: {{type: object, x-kubernetes-preserve-unknown-fields: true}}}}
---
apiVersion: demo.example.com/v1alpha1
kind: Widget
metadata: {{name: w}}
"
        )
    };
    let warnings = |text: &str| -> Vec<String> {
        check_at(text, None)
            .diagnostics
            .iter()
            .filter(|d| d.rule == "resource/deprecated-version")
            .map(|d| d.message.clone())
            .collect()
    };
    // The server's default: the newest served, not deprecated, newer version.
    assert_eq!(
        warnings(&crd("")),
        ["demo.example.com/v1alpha1 Widget is deprecated; use demo.example.com/v1 Widget"]
    );
    // The CRD's own deprecationWarning, as written.
    assert_eq!(
        warnings(&crd(
            "\n      deprecationWarning: \"v1alpha1 goes away in 2.0\""
        )),
        ["v1alpha1 goes away in 2.0"]
    );
}

#[test]
fn duplicates_the_server_only_warns_about_are_warnings() {
    let doc = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec:
      containers:
      - name: c
        image: i
        env: [{name: LOG, value: a}, {name: LOG, value: b}]
        ports: [{containerPort: 80}, {containerPort: 80}]
      - name: c
        image: j
";
    let f = found(&check_at(doc, None));
    let dup = |path: &str| {
        f.iter()
            .find(|(r, _, m)| *r == "schema/list-map-duplicate" && m.starts_with(path))
            .map(|(_, s, _)| *s)
    };
    // Env and ports: accepted with a warning (pkg/api/pod/warnings.go).
    assert_eq!(
        dup("spec.template.spec.containers[0].env[1]"),
        Some(Severity::Warning)
    );
    assert_eq!(
        dup("spec.template.spec.containers[0].ports[1]"),
        Some(Severity::Warning)
    );
    // Two containers of one name: refused (validateContainers).
    assert_eq!(
        dup("spec.template.spec.containers[1]"),
        Some(Severity::Error)
    );
}
