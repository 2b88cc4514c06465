#!/usr/bin/env python3
"""Inventory of the real-repository corpus built by build.sh.

    inventory.py [CORPUS_DIR]     (default /work/realcorpus)

Writes CORPUS_DIR/inventory.json and CORPUS_DIR/INVENTORY.md. Needs PyYAML
(`pip install pyyaml`). Counts are rough: PyYAML is YAML 1.1 and stops at the
first error of a file (documents before it still count).

Each document (a non-empty YAML document; a .json file is one document, or
several when it is a list of objects) falls in exactly one class:
  crd       apiextensions.k8s.io/* CustomResourceDefinition (v1 counted apart
            from v1beta1; "patch-like" = lacks spec.group, spec.names or
            spec.versions, as kustomize patches do)
  cr        apiVersion group defined by a CRD of the same repository
            (spec.group, or the part after the first dot of metadata.name)
  builtin   apiVersion group served by kube-apiserver itself
  other     everything else: kustomize files, foreign-group objects (CRDs not
            in the repo: ServiceMonitor, OLM ClusterServiceVersion, ...),
            config-file kinds, Helm values/Chart.yaml, CI config, ...
"""
import collections
import json
import os
import re
import sys

import yaml

try:
    Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    Loader = yaml.SafeLoader

BUILTIN_GROUPS = {
    "", "apps", "batch", "autoscaling", "policy", "extensions",
    "rbac.authorization.k8s.io", "networking.k8s.io",
    "admissionregistration.k8s.io", "apiextensions.k8s.io",
    "apiregistration.k8s.io", "storage.k8s.io", "scheduling.k8s.io",
    "coordination.k8s.io", "node.k8s.io", "discovery.k8s.io",
    "certificates.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io",
    "authentication.k8s.io", "authorization.k8s.io", "resource.k8s.io",
    "internal.apiserver.k8s.io", "storagemigration.k8s.io",
}

# CRD groups of the projects kept out of this corpus (see README.md); any
# document of these groups found here is reported, not dropped.
EXCLUDED_GROUPS = [
    ("argo-workflows", r"^argoproj\.io$", {"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow", "WorkflowTaskSet", "WorkflowTaskResult", "WorkflowArtifactGCTask", "WorkflowEventBinding"}),
    ("argo-cd", r"^argoproj\.io$", {"Application", "ApplicationSet", "AppProject"}),
    ("cloudnative-pg", r"^postgresql\.cnpg\.io$", None),
    ("external-secrets", r"(^|\.)external-secrets\.io$", None),
    ("flink-kubernetes-operator", r"^flink\.apache\.org$", None),
    ("flux", r"\.toolkit\.fluxcd\.io$", None),
    ("jobset", r"^jobset\.x-k8s\.io$", None),
    ("keda", r"^(eventing\.)?keda\.sh$", None),
    ("kueue", r"^(kueue|visibility)\.x-k8s\.io$", None),
    ("opentelemetry-operator", r"^opentelemetry\.io$", None),
    ("zalando postgres-operator", r"^acid\.zalan\.do$", None),
    ("rook", r"(^|\.)rook\.io$", None),
    ("strimzi", r"\.strimzi\.io$", None),
    ("gateway-api", r"^gateway\.networking\.(x-)?k8s\.io$", None),
    ("cert-manager", r"(^|\.)cert-manager\.io$", None),
    ("prometheus-operator", r"^monitoring\.coreos\.com$", None),
    ("istio", r"\.istio\.io$", None),
    ("crossplane", r"\.crossplane\.io$", None),
    ("cluster-api", r"\.cluster\.x-k8s\.io$|^cluster\.x-k8s\.io$", None),
    ("kyverno", r"^(kyverno\.io|policies\.kyverno\.io|reports\.kyverno\.io|wgpolicyk8s\.io)$", None),  # not chainsaw.kyverno.io
]

DATA_EXT = (".yaml", ".yml", ".json")
SKIP_NAMES = {"SOURCE"}


def group_of(api_version):
    if not isinstance(api_version, str):
        return None
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def excluded_project(group, kind):
    for name, rx, kinds in EXCLUDED_GROUPS:
        if re.search(rx, group) and (kinds is None or kind in kinds):
            return name
    return None


def load_docs(path):
    """Returns (docs, error) where docs are the non-empty documents read."""
    docs = []
    try:
        with open(path, "rb") as f:
            data = f.read()
        if path.lower().endswith(".json"):
            d = json.loads(data)
            docs.extend(d if isinstance(d, list) else [d])
            return docs, None
        for d in yaml.load_all(data, Loader=Loader):
            if d is not None:
                docs.append(d)
        return docs, None
    except Exception as e:  # noqa: BLE001 - a rough count of failures is wanted
        msg = str(e).strip().splitlines()
        return docs, (type(e).__name__ + ": " + (msg[0] if msg else ""))[:200]


def other_kind(doc, relpath):
    base = os.path.basename(relpath).lower()
    if isinstance(doc, dict) and isinstance(doc.get("apiVersion"), str) and isinstance(doc.get("kind"), str):
        g = group_of(doc["apiVersion"])
        k = doc["kind"]
        if g.startswith("kustomize.config.k8s.io") or k in ("Kustomization", "Component") and "kustomize" in g:
            return "kustomize"
        if g == "operators.coreos.com" or g == "packages.operators.coreos.com":
            return "olm"
        if g.endswith("kind.x-k8s.io") or g == "kind.sigs.k8s.io":
            return "kind-config"
        if g == "builtin" or k in ("PatchTransformer", "LabelTransformer", "NamespaceTransformer", "ReplacementTransformer"):
            return "kustomize"
        if g.endswith(".config.k8s.io") or g.endswith(".config.x-k8s.io") or "config" in g.split(".")[0]:
            return "config-kind"
        return "foreign-group-object"
    if isinstance(doc, dict):
        if base in ("kustomization.yaml", "kustomization.yml") or "resources" in doc and "bases" in doc:
            return "kustomize"
        if base == "chart.yaml" or base == "chart.yml":
            return "helm-chart-yaml"
        if base.startswith("values") or "/ci/" in relpath and base.endswith("values.yaml"):
            return "helm-values"
        if relpath.startswith(".") or base.startswith(".") or base in ("codecov.yml", "codecov.yaml", "cloudbuild.yaml", "mkdocs.yml", "netlify.toml"):
            return "tool-config"
        if isinstance(doc.get("kind"), str) or isinstance(doc.get("apiVersion"), str):
            return "partial-object"
        return "plain-mapping"
    return "non-mapping"


def inventory_repo(root, name):
    files = []
    for dp, dns, fns in os.walk(root):
        dns.sort()
        for fn in sorted(fns):
            rel = os.path.relpath(os.path.join(dp, fn), root)
            if rel in SKIP_NAMES or not fn.lower().endswith(DATA_EXT):
                continue
            files.append(rel)
    files.sort()

    parsed = {}
    failures = {}
    for rel in files:
        docs, err = load_docs(os.path.join(root, rel))
        parsed[rel] = docs
        if err:
            failures[rel] = err

    # pass 1: CRD groups (and group/kind pairs) of the repository
    crd_groups = set()
    crd_kinds = set()
    for rel, docs in parsed.items():
        for d in docs:
            if isinstance(d, dict) and d.get("kind") == "CustomResourceDefinition" and str(d.get("apiVersion", "")).startswith("apiextensions.k8s.io/"):
                spec = d.get("spec") if isinstance(d.get("spec"), dict) else {}
                if isinstance(spec.get("group"), str):
                    crd_groups.add(spec["group"])
                    if isinstance(spec.get("names"), dict) and isinstance(spec["names"].get("kind"), str):
                        crd_kinds.add((spec["group"], spec["names"]["kind"]))
                n = (d.get("metadata") or {}).get("name") if isinstance(d.get("metadata"), dict) else None
                if isinstance(n, str) and "." in n:
                    crd_groups.add(n.split(".", 1)[1])

    r = {
        "files": len(files),
        "yaml_files": sum(1 for f in files if not f.lower().endswith(".json")),
        "json_files": sum(1 for f in files if f.lower().endswith(".json")),
        "documents": 0,
        "crd_documents": 0,
        "crd_v1": 0,
        "crd_v1_patch_like": 0,
        "crd_v1beta1": 0,
        "crd_unique_names": 0,
        "crd_names_in_several_files": 0,
        "crd_dirs": collections.Counter(),
        "cr_documents": 0,
        "cr_documents_kind_known": 0,
        "cr_groups": collections.Counter(),
        "cr_dirs": collections.Counter(),
        "builtin_documents": 0,
        "builtin_kinds": collections.Counter(),
        "other_documents": 0,
        "other": collections.Counter(),
        "foreign_groups": collections.Counter(),
        "patch_delete_documents": 0,
        "files_failing_to_parse": len(failures),
        "parse_failures": failures,
        "excluded_project_documents": collections.Counter(),
        "excluded_project_files": [],
    }
    crd_name_files = collections.defaultdict(set)
    excluded_files = set()
    for rel, docs in parsed.items():
        d_dir = os.path.dirname(rel) or "."
        for d in docs:
            r["documents"] += 1
            if isinstance(d, dict) and "$patch" in json.dumps(d, default=str):
                r["patch_delete_documents"] += 1 if '"$patch": "delete"' in json.dumps(d, default=str) else 0
            api = d.get("apiVersion") if isinstance(d, dict) else None
            kind = d.get("kind") if isinstance(d, dict) else None
            g = group_of(api)
            if isinstance(d, dict) and kind == "CustomResourceDefinition" and isinstance(api, str) and api.startswith("apiextensions.k8s.io/"):
                r["crd_documents"] += 1
                r["crd_dirs"][d_dir] += 1
                spec = d.get("spec") if isinstance(d.get("spec"), dict) else {}
                if api == "apiextensions.k8s.io/v1":
                    r["crd_v1"] += 1
                    if not all(k in spec for k in ("group", "names", "versions")):
                        r["crd_v1_patch_like"] += 1
                else:
                    r["crd_v1beta1"] += 1
                md = d.get("metadata") if isinstance(d.get("metadata"), dict) else {}
                if "group" in spec and isinstance(md.get("name"), str):
                    crd_name_files[md["name"]].add(rel)
                ex = excluded_project(spec.get("group", "") if isinstance(spec.get("group"), str) else "", (spec.get("names") or {}).get("kind") if isinstance(spec.get("names"), dict) else None)
                if ex:
                    r["excluded_project_documents"][ex] += 1
                    excluded_files.add(rel)
                continue
            if isinstance(g, str) and isinstance(kind, str):
                ex = excluded_project(g, kind)
                if ex:
                    r["excluded_project_documents"][ex] += 1
                    excluded_files.add(rel)
            # built-in groups first: a (test) CRD may name the core group
            if isinstance(g, str) and isinstance(kind, str) and g in BUILTIN_GROUPS:
                r["builtin_documents"] += 1
                r["builtin_kinds"][f"{api} {kind}"] += 1
            elif isinstance(g, str) and isinstance(kind, str) and g in crd_groups:
                r["cr_documents"] += 1
                r["cr_documents_kind_known"] += (g, kind) in crd_kinds
                r["cr_groups"][g] += 1
                r["cr_dirs"][d_dir] += 1
            else:
                r["other_documents"] += 1
                o = other_kind(d, rel)
                r["other"][o] += 1
                if o == "foreign-group-object":
                    r["foreign_groups"][g] += 1
    r["crd_unique_names"] = len(crd_name_files)
    r["crd_names_in_several_files"] = sum(1 for v in crd_name_files.values() if len(v) > 1)
    r["crd_groups"] = sorted(g for g in crd_groups if g not in BUILTIN_GROUPS)
    r["excluded_project_files"] = sorted(excluded_files)
    return r


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "/work/realcorpus"
    repos = {}
    for entry in sorted(os.listdir(corpus)):
        p = os.path.join(corpus, entry)
        if not os.path.isdir(p) or "__" not in entry:
            continue
        src = {}
        sp = os.path.join(p, "SOURCE")
        if os.path.exists(sp):
            for line in open(sp):
                if ":" in line:
                    k, v = line.split(":", 1)
                    src[k.strip()] = v.strip()
        r = inventory_repo(p, entry)
        r = {"repo": src.get("repo", entry.replace("__", "/", 1)), "commit": src.get("commit", ""), **r}
        repos[entry] = r
    keys = ["files", "yaml_files", "json_files", "documents", "crd_documents", "crd_v1", "crd_v1_patch_like",
            "crd_v1beta1", "crd_unique_names", "cr_documents", "cr_documents_kind_known", "builtin_documents", "other_documents",
            "patch_delete_documents", "files_failing_to_parse"]
    totals = {k: sum(r[k] for r in repos.values()) for k in keys}
    totals["repos"] = len(repos)
    other_tot = collections.Counter()
    builtin_groups = collections.Counter()
    for r in repos.values():
        other_tot.update(r["other"])
        for k, v in r["builtin_kinds"].items():
            builtin_groups[k] += v
    totals["other_by_class"] = dict(other_tot.most_common())
    totals["builtin_kinds"] = dict(builtin_groups.most_common())

    def plain(x):
        if isinstance(x, collections.Counter):
            return dict(sorted(x.items(), key=lambda kv: (-kv[1], kv[0])))
        if isinstance(x, dict):
            return {k: plain(v) for k, v in x.items()}
        return x
    out = {"corpus": corpus, "repos": {k: plain(v) for k, v in repos.items()}, "totals": totals}
    with open(os.path.join(corpus, "inventory.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=False)
        f.write("\n")

    md = ["# Real-repository corpus inventory", "",
          "Built by `tools/real-corpus/build.sh`, counted by `tools/real-corpus/inventory.py` (PyYAML; rough).",
          "CRD = apiextensions.k8s.io CustomResourceDefinition documents (patch-like: v1 without spec.group/names/versions);",
          "CR = documents whose apiVersion group is defined by a CRD of the same repository (kind known: group and kind both match a full CRD); built-in = groups served by kube-apiserver.", "",
          "| repo | commit | files | docs | CRD (v1 / patch-like / v1beta1) | unique CRDs (in >1 file) | CR (kind known) | built-in | other | $patch: delete | parse failures |",
          "| --- | --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for k, r in repos.items():
        md.append(f"| {r['repo']} | `{r['commit'][:12]}` | {r['files']} | {r['documents']} | {r['crd_documents']} ({r['crd_v1']} / {r['crd_v1_patch_like']} / {r['crd_v1beta1']}) | {r['crd_unique_names']} ({r['crd_names_in_several_files']}) | {r['cr_documents']} ({r['cr_documents_kind_known']}) | {r['builtin_documents']} | {r['other_documents']} | {r['patch_delete_documents']} | {r['files_failing_to_parse']} |")
    t = totals
    md.append(f"| **total ({t['repos']} repos)** | | {t['files']} | {t['documents']} | {t['crd_documents']} ({t['crd_v1']} / {t['crd_v1_patch_like']} / {t['crd_v1beta1']}) | {t['crd_unique_names']} | {t['cr_documents']} ({t['cr_documents_kind_known']}) | {t['builtin_documents']} | {t['other_documents']} | {t['patch_delete_documents']} | {t['files_failing_to_parse']} |")
    md += ["", "Other documents by class: " + ", ".join(f"{k} {v}" for k, v in other_tot.most_common()), ""]
    md += ["## Per repository", ""]
    for k, r in repos.items():
        md.append(f"### {r['repo']} (`{r['commit']}`)")
        md.append("")
        md.append("- CRD directories: " + (", ".join(f"`{d}` ({n})" for d, n in r["crd_dirs"].most_common()) or "none"))
        md.append("- CRD groups: " + (", ".join(f"`{g}`" for g in r["crd_groups"]) or "none"))
        md.append("- CR documents by group: " + (", ".join(f"`{g}` {n}" for g, n in r["cr_groups"].most_common()) or "none"))
        top = r["cr_dirs"].most_common(8)
        md.append("- main CR directories: " + (", ".join(f"`{d}` ({n})" for d, n in top) or "none"))
        md.append("- built-in kinds: " + (", ".join(f"{kk} {n}" for kk, n in r["builtin_kinds"].most_common(10)) or "none") + (" ..." if len(r["builtin_kinds"]) > 10 else ""))
        md.append("- other: " + (", ".join(f"{kk} {n}" for kk, n in r["other"].most_common()) or "none"))
        if r["foreign_groups"]:
            md.append("- foreign groups (no CRD in repo): " + ", ".join(f"`{g}` {n}" for g, n in r["foreign_groups"].most_common(8)) + (" ..." if len(r["foreign_groups"]) > 8 else ""))
        if r["excluded_project_documents"]:
            md.append("- documents of excluded projects' groups (kept, see README): " + ", ".join(f"{g} {n}" for g, n in r["excluded_project_documents"].most_common()))
        if r["parse_failures"]:
            md.append(f"- files failing to parse ({len(r['parse_failures'])}): " + ", ".join(f"`{p}`" for p in list(r["parse_failures"])[:6]) + (" ..." if len(r["parse_failures"]) > 6 else ""))
        md.append("")
    with open(os.path.join(corpus, "INVENTORY.md"), "w") as f:
        f.write("\n".join(md))
    print(json.dumps(totals, indent=1))


if __name__ == "__main__":
    main()
