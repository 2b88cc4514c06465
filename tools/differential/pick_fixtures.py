#!/usr/bin/env python3
"""Pick representative generated cases for fixtures/oracle, classed as tests/oracle_fixtures.rs
compares them.

    python3 pick_fixtures.py --out STAGE [--per-signature 2] [--max-agree 220] [--per-class 8] \
        BATCH_DIR...  [--hand HAND_DIR]
    python3 diff.py record --crds STAGE/crds --out fixtures/oracle/cases STAGE/cases

Each BATCH_DIR is a gen_cases.py output with `report-all.json` written by
`diff.py validate --keep-agree --json-out BATCH_DIR/report-all.json`. Each case is put in
STAGE/cases as `<class>--gen<seed>-<crd>-<cr>.yaml` and its CRD in STAGE/crds as
`gen<seed>-<crd>.yaml`. Classes (the file-name prefix the test reads):

  agree                  same verdict, field paths and messages
  doc-unknown-fields     the oracle reports only the unknown fields (documented difference)
  doc-metadata-decode    root metadata that does not decode: the server's 400 has no field
  quirk-generatename     kubectl-validate: generateName without name is a 500
  quirk-metadata-schema  kubectl-validate drops the CRD's metadata.name restrictions
  quirk-int-or-string    kubectl-validate does not check x-kubernetes-int-or-string's type
  quirk-status           kubectl-validate validates status despite the status subresource

Cases in another class (open crdlint bugs) are never picked. Agreeing cases are picked per
signature (oracle verdict, crdlint rules, mutation kinds), the rarest first. Deterministic.
HAND_DIR (crds/, crs/<class>--<name>.yaml) is copied in as is, its CRDs as hand-<name>.
"""

import argparse
import collections
import json
import os
import re
import shutil
import sys


def findings(item):
    o = item["oracle"]["findings"]
    ds = item["crdlint"]["diagnostics"]
    err = any(d["severity"] == "error" for d in ds)
    c = [d for d in ds if d["severity"] == "error" or (err and d["rule"] == "cel/skipped")]
    return o, c


def same(o, c):
    a = collections.Counter((x["field"], x["reason"], x["message"]) for x in o)
    b = collections.Counter((d["field"], d["reason"], d["message"]) for d in c)
    return a == b


def without(c, pred, o):
    """crdlint findings without those pred matches, and without cel/skipped when they were the
    only blocking errors (the oracle then has no cel-skipped finding)."""
    rest = [d for d in c if not pred(d)]
    if not any(x["label"] == "cel-skipped" for x in o):
        rest = [d for d in rest if d["rule"] != "cel/skipped"]
    return rest


def classify(item, crd_text):
    """The fixture class of a compared document, or None (not picked)."""
    o, c = findings(item)
    st = item["oracle"]["status"] or {}
    if item["oracle"]["state"] == "not-validated":
        return None
    if same(o, c):
        return "agree"
    msgs = " ".join(x["message"] for x in o)
    if st.get("code") == 500:
        m = o[0]["message"] if o else ""
        if "metadata.name was not generated" in m:
            bad = [d for d in c if d["field"] == "metadata.name"]
            return None if bad else "quirk-generatename"
        if "ObjectMeta" in m:
            ok = len(c) == 1 and c[0]["rule"] == "metadata/decode" and c[0]["message"] == m
            return "doc-metadata-decode" if ok else None
        return None
    if "value provided for unknown field" in msgs:
        ou = sorted(x["field"] for x in o)
        cu = sorted(d["field"] for d in c if d["rule"] == "schema/unknown-field")
        only_unknown = all("value provided for unknown field" in x["message"] for x in o)
        return "doc-unknown-fields" if only_unknown and ou == cu else None
    if re.search(r"^            metadata:\n              type: object\n              properties:\n"
                 r"                name:", crd_text, re.M):
        rest = without(c, lambda d: d["field"] in ("metadata.name", "metadata.generateName")
                       and d["rule"].startswith("schema/"), o)
        if same(o, rest):
            return "quirk-metadata-schema"
    rest = without(c, lambda d: "must be of type integer,string" in d["message"], o)
    if len(rest) < len(c) and same(o, rest):
        return "quirk-int-or-string"
    return None


def signature(item, case_meta):
    o, c = findings(item)
    rules = sorted({d["rule"] for d in c})
    muts = sorted({m.split(":", 1)[1].split("-")[0] if ":" in m else m
                   for m in (case_meta or {}).get("mutations", [])})
    return (item["oracle"]["state"], tuple(rules), tuple(muts))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("batches", nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--hand", help="hand-written cases: crds/ and crs/<class>--<name>.yaml")
    ap.add_argument("--per-signature", type=int, default=2)
    ap.add_argument("--max-agree", type=int, default=220)
    ap.add_argument("--per-class", type=int, default=8)
    ap.add_argument("--max-bytes", type=int, default=6000, help="skip resources larger than this")
    args = ap.parse_args(argv)

    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(os.path.join(args.out, "crds"))
    os.makedirs(os.path.join(args.out, "cases"))

    by_class = collections.defaultdict(list)
    for b in args.batches:
        seed = re.sub(r"\D", "", os.path.basename(os.path.normpath(b)))
        report = json.load(open(os.path.join(b, "report-all.json"), encoding="utf-8"))
        cases = json.load(open(os.path.join(b, "cases.json"), encoding="utf-8"))
        for cl in report["classes"]:
            for it in cl["items"]:
                f = it["file"]
                name = os.path.basename(f)
                if os.path.getsize(f) > args.max_bytes:
                    continue
                crd = os.path.join(b, "crds", cases[name]["crd"])
                klass = classify(it, open(crd, encoding="utf-8").read())
                if klass:
                    by_class[klass].append((seed, f, crd, it, cases.get(name)))

    picked = []
    # agreeing cases: valid ones (a quarter) and invalid ones apart, each per signature, the
    # rarest signatures first; within one, the documents with the fewest diagnostics
    agree = by_class.pop("agree", [])
    for state, quota in (("valid", args.max_agree // 4), ("invalid", args.max_agree - args.max_agree // 4)):
        sigs = collections.defaultdict(list)
        for x in agree:
            if x[3]["oracle"]["state"] == state:
                sigs[signature(x[3], x[4])].append(x)
        taken = 0
        for sig, xs in sorted(sigs.items(), key=lambda kv: (len(kv[1]), kv[0])):
            xs = sorted(xs, key=lambda x: (len(x[3]["crdlint"]["diagnostics"]), x[0], x[1]))
            for x in xs[: args.per_signature]:
                if taken < quota:
                    picked.append(("agree",) + x)
                    taken += 1
    for klass, xs in sorted(by_class.items()):
        xs = sorted(xs, key=lambda x: (x[0], x[1]))
        step = max(1, len(xs) // args.per_class)
        for x in xs[::step][: args.per_class]:
            picked.append((klass,) + x)

    crds = set()
    for klass, seed, f, crd, it, meta in picked:
        base = os.path.splitext(os.path.basename(f))[0]
        shutil.copyfile(f, os.path.join(args.out, "cases", "%s--gen%s-%s.yaml" % (klass, seed, base)))
        dst = "gen%s-%s" % (seed, os.path.basename(crd))
        if dst not in crds:
            crds.add(dst)
            shutil.copyfile(crd, os.path.join(args.out, "crds", dst))
    if args.hand:
        for n in sorted(os.listdir(os.path.join(args.hand, "crds"))):
            shutil.copyfile(os.path.join(args.hand, "crds", n), os.path.join(args.out, "crds", "hand-" + n))
        for n in sorted(os.listdir(os.path.join(args.hand, "crs"))):
            shutil.copyfile(os.path.join(args.hand, "crs", n), os.path.join(args.out, "cases", n))
    counts = collections.Counter(p[0] for p in picked)
    print("picked %d generated cases (%s) from %d CRDs"
          % (len(picked), ", ".join("%s %d" % kv for kv in sorted(counts.items())), len(crds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
