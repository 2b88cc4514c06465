#!/usr/bin/env python3
"""Run diff.py `validate` over every repository of the real-repository corpus (see
tools/real-corpus/) and sum the results: per repository, the CRDs of the repository (one file
per CRD name, the first in path order, as crdlint chooses) are given to both tools, and every
YAML file of the repository is checked.

Usage: real_corpus.py [--corpus /work/realcorpus] [--out /tmp/realcorpus-diff] [REPO...]
Needs PyYAML (pip install pyyaml) to find the CRDs; diff.py needs only the standard library.
"""
import argparse, collections, json, os, pathlib, shutil, subprocess, sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent


class Loader(yaml.SafeLoader):
    pass


# Keep every scalar a string: only the shape matters here, and YAML 1.1 quirks must not break it.
Loader.yaml_implicit_resolvers = {}


def crd_docs(path):
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return []
    if "CustomResourceDefinition" not in text:
        return []
    out = []
    try:
        for doc in yaml.load_all(text, Loader=Loader):
            if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
                continue
            if doc.get("apiVersion") != "apiextensions.k8s.io/v1":
                continue
            spec = doc.get("spec") or {}
            if not all(spec.get(k) for k in ("group", "names", "versions")):
                continue
            name = (doc.get("metadata") or {}).get("name")
            if name:
                out.append(name)
    except yaml.YAMLError:
        return []
    return out


def manifests(repo):
    for p in sorted(repo.rglob("*")):
        if p.is_file() and p.suffix.lower() in (".yaml", ".yml", ".json"):
            yield p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="/work/realcorpus")
    ap.add_argument("--out", default="/tmp/realcorpus-diff")
    ap.add_argument("--kube-version", default="1.35")
    ap.add_argument("repos", nargs="*")
    a = ap.parse_args()
    corpus = pathlib.Path(a.corpus)
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    repos = [corpus / r for r in a.repos] if a.repos else sorted(
        p for p in corpus.iterdir() if p.is_dir())
    total = collections.Counter()
    classes = collections.Counter()
    for repo in repos:
        crd_dir = out / repo.name / "crds"
        shutil.rmtree(crd_dir, ignore_errors=True)
        crd_dir.mkdir(parents=True)
        seen = set()
        files = list(manifests(repo))
        for f in files:
            names = [n for n in crd_docs(f) if n not in seen]
            if names and len(names) == len(crd_docs(f)):
                seen.update(names)
                shutil.copy(f, crd_dir / (str(len(seen)) + "_" + f.name))
        report = out / (repo.name + ".json")
        listing = out / (repo.name + ".list")
        listing.write_text("".join(str(f) + "\n" for f in files))
        cmd = [sys.executable, str(HERE / "diff.py"), "validate", "-q", "--kube-version",
               a.kube_version, "--crds", str(crd_dir), "--json-out", str(report), "@" + str(listing)]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if not report.exists():
            print(f"{repo.name}: diff.py failed: {r.stderr[-2000:]}", file=sys.stderr)
            continue
        rep = json.loads(report.read_text())
        s = rep["summary"]
        counts = dict(s.get("categories", {}), documents=s.get("documents", 0))
        print(repo.name, json.dumps(counts), flush=True)
        for k, v in counts.items():
            total[k] += v
        for c in rep.get("classes", []):
            classes[(c["category"], c["class"])] += c["count"]
    print("TOTAL", json.dumps(dict(total), indent=1))
    for (cat, cls), n in classes.most_common():
        print(f"{n:6d}  {cat}  {cls}")


if __name__ == "__main__":
    main()
