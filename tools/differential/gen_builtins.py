#!/usr/bin/env python3
"""Mutated built-in manifests for `diff.py validate` (crdlint vs the oracle, no CRDs).

    python3 gen_builtins.py --seed 1 --per-base 4 OUT_DIR SOURCE_DIR...
    python3 diff.py validate OUT_DIR/manifests

Reads every YAML file under the SOURCE_DIRs (e.g. the real-repository corpus), keeps the
documents of built-in kinds (the core group and the built-in groups, versions the newest
Kubernetes serves), drops their `status` (the server drops it on create), and writes each base
document once as is and `--per-base` times with one to three mutations: a value of the wrong type
(string, integer, boolean, list, object, null), an unknown field, a field removed, a string set to
a value no enum has, an integer written as a quoted string, a number with a fraction where an
integer goes, an empty string or list, a list item duplicated (containers, ports, env, volumes,
rules), a name or label made invalid. One document per file, `NNNNN.yaml`, plus `cases.json`
(base file and mutations). Deterministic from --seed. Needs PyYAML.
"""

import argparse
import copy
import json
import os
import random
import sys

import yaml

BUILTIN_GROUPS = {
    "v1", "apps/v1", "batch/v1", "rbac.authorization.k8s.io/v1", "networking.k8s.io/v1",
    "policy/v1", "admissionregistration.k8s.io/v1", "autoscaling/v1", "autoscaling/v2",
    "storage.k8s.io/v1", "scheduling.k8s.io/v1", "coordination.k8s.io/v1", "discovery.k8s.io/v1",
    "certificates.k8s.io/v1", "node.k8s.io/v1", "apiregistration.k8s.io/v1",
}
# Kinds that are not stored objects or that kubectl-validate cannot create.
SKIP_KINDS = {"List", "Status", "Event", "ComponentStatus", "Binding", "TokenReview",
              "SubjectAccessReview", "SelfSubjectAccessReview", "LocalSubjectAccessReview"}


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def bases(dirs, limit_bytes):
    seen = set()
    out = []
    for d in dirs:
        for root, subdirs, files in os.walk(d):
            subdirs[:] = sorted(s for s in subdirs if not s.startswith(".") and s != "templates")
            for f in sorted(files):
                if not f.endswith((".yaml", ".yml")):
                    continue
                p = os.path.join(root, f)
                try:
                    if os.path.getsize(p) > limit_bytes:
                        continue
                    text = open(p, encoding="utf-8").read()
                except (OSError, UnicodeDecodeError):
                    continue
                if "{{" in text:
                    continue
                try:
                    docs = list(yaml.load_all(text, Loader=Loader))
                except yaml.YAMLError:
                    continue
                for doc in docs:
                    if not isinstance(doc, dict):
                        continue
                    if doc.get("apiVersion") not in BUILTIN_GROUPS or doc.get("kind") in SKIP_KINDS:
                        continue
                    meta = doc.get("metadata")
                    if not isinstance(meta, dict) or not meta.get("name"):
                        continue
                    doc = dict(doc)
                    doc.pop("status", None)
                    try:
                        key = json.dumps(doc, sort_keys=True, default=str)
                    except (TypeError, ValueError):
                        continue
                    if key in seen:
                        continue
                    seen.add(key)
                    out.append((p, doc))
    return out


def paths(node, at=()):
    """Every (path, value) below node, objects and lists included."""
    yield at, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, at + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, at + (i,))


def parent_of(doc, path):
    node = doc
    for k in path[:-1]:
        node = node[k]
    return node


def show(path):
    return ".".join(str(k) for k in path)


def mutate(r, doc):
    """Apply one mutation to doc in place; return its description, or None."""
    candidates = [(p, v) for p, v in paths(doc) if p and p[0] not in ("apiVersion", "kind")]
    if not candidates:
        return None
    op = r.choice(["type", "type", "unknown", "remove", "enum", "quoted-int", "fraction",
                   "empty", "duplicate", "name", "label", "null"])
    if op == "duplicate":
        lists = [(p, v) for p, v in candidates if isinstance(v, list) and v]
        if not lists:
            return None
        p, v = r.choice(lists)
        v.append(copy.deepcopy(r.choice(v)))
        return "%s:duplicate" % show(p)
    if op in ("name", "label") and not isinstance(doc.get("metadata"), dict):
        return None
    if op == "name":
        doc["metadata"]["name"] = r.choice(["Bad_Name", "-x", "a" * 254, "a.b-", "sys:tem", "x/y"])
        return "metadata.name:invalid"
    if op == "label":
        labels = doc["metadata"].setdefault("labels", {})
        if not isinstance(labels, dict):
            return None
        k, v = r.choice([("bad key!", "x"), ("ok", "bad value!"), ("a/b/c", "x"), ("ok", "x" * 64)])
        labels[k] = v
        return "metadata.labels:invalid"
    p, v = r.choice(candidates)
    parent = parent_of(doc, p)
    key = p[-1]
    if op == "type":
        new = r.choice(["text", 7, True, ["a"], {"a": "b"}, 1.5])
        if type(new) is type(v):
            return None
        parent[key] = new
        return "%s:type" % show(p)
    if op == "null":
        parent[key] = None
        return "%s:null" % show(p)
    if op == "unknown":
        if isinstance(v, dict):
            v["unknownFieldX"] = "x"
            return "%s:unknown" % show(p)
        return None
    if op == "remove":
        if isinstance(parent, dict):
            del parent[key]
            return "%s:remove" % show(p)
        return None
    if op == "enum":
        if isinstance(v, str) and v[:1].isupper() and v.isalpha():
            parent[key] = "Bogus"
            return "%s:enum" % show(p)
        return None
    if op == "quoted-int":
        if isinstance(v, int) and not isinstance(v, bool):
            parent[key] = str(v)
            return "%s:quoted-int" % show(p)
        return None
    if op == "fraction":
        if isinstance(v, int) and not isinstance(v, bool):
            parent[key] = v + 0.5
            return "%s:fraction" % show(p)
        return None
    if op == "empty":
        if isinstance(v, str):
            parent[key] = ""
        elif isinstance(v, list):
            parent[key] = []
        elif isinstance(v, dict):
            parent[key] = {}
        else:
            return None
        return "%s:empty" % show(p)
    return None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("sources", nargs="+")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-base", type=int, default=4)
    ap.add_argument("--max-bases", type=int, default=1500)
    ap.add_argument("--limit-bytes", type=int, default=200_000)
    args = ap.parse_args(argv)
    r = random.Random(args.seed)
    found = bases(args.sources, args.limit_bytes)
    r.shuffle(found)
    found = found[: args.max_bases]
    out = os.path.join(args.out, "manifests")
    os.makedirs(out, exist_ok=True)
    cases = {}
    n = 0
    for src, doc in found:
        variants = [(doc, [])]
        for _ in range(args.per_base):
            m = copy.deepcopy(doc)
            muts = []
            for _ in range(r.randint(1, 3)):
                d = mutate(r, m)
                if d:
                    muts.append(d)
            if muts:
                variants.append((m, muts))
        for d, muts in variants:
            name = "%05d.yaml" % n
            n += 1
            with open(os.path.join(out, name), "w", encoding="utf-8") as f:
                yaml.safe_dump(d, f, default_flow_style=False, sort_keys=False, allow_unicode=True)
            cases[name] = {"base": src, "mutations": muts}
    with open(os.path.join(args.out, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(cases, f, indent=1, sort_keys=True)
    print("%d bases, %d documents in %s" % (len(found), n, out))


if __name__ == "__main__":
    sys.exit(main())
