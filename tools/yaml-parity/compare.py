#!/usr/bin/env python3
"""Compare crdlint's reading of YAML with kubectl's (sigs.k8s.io/yaml on go-yaml v2).

Runs the oracle (a Go program printing YAMLToJSON's output or error per document, one JSON
line per file) and crdlint's examples/yaml_verdicts over the same files, matches documents by
start line, and classes every disagreement:

  accept/reject   the oracle accepts, crdlint rejects (or the other way round)
  json            both accept, different JSON
  message         both reject, different error text
  split           the files were split into different documents

Usage: compare.py [--oracle PATH] [--crdlint PATH] [--examples N] [--json OUT] FILE_OR_DIR...
"""
import argparse
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def files_of(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                for n in sorted(names):
                    if n.endswith((".yaml", ".yml")):
                        out.append(os.path.join(root, n))
        else:
            out.append(p)
    return sorted(out)


def run_lines(cmd, files, batch=400, json_as_text=False):
    res = {}
    for i in range(0, len(files), batch):
        chunk = files[i : i + batch]
        p = subprocess.run(cmd + chunk, capture_output=True, text=True)
        for line in p.stdout.split("\n"):  # not splitlines(): U+2028 is data
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            for d in obj.get("documents", []) if json_as_text else []:
                # The oracle gives YAMLToJSON's output as text (exact numbers).
                if isinstance(d.get("json"), str):
                    d["json"] = json.loads(d["json"])
            res[obj["file"]] = obj
    return res


def norm_numbers(v):
    """JSON numbers as the API server's decoder would hold them: ints where integral."""
    if isinstance(v, dict):
        return {k: norm_numbers(x) for k, x in v.items()}
    if isinstance(v, list):
        return [norm_numbers(x) for x in v]
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
        v = int(v)
    # Beyond int64 the API server's JSON decoder holds a float64.
    if isinstance(v, int) and not isinstance(v, bool) and not (-(2**63) <= v < 2**63):
        return float(v)
    return v


def oracle_error(o):
    """YAMLToJSON's error (the oracle also reports the strict decoder's, separately)."""
    if o.get("stage") == "strict":
        return None
    return o.get("error")


def classify(o, c):
    """Class of disagreement between an oracle document and a crdlint one, or None."""
    oerr, cerr = oracle_error(o), c.get("error")
    if oerr and not cerr:
        return "oracle-rejects/crdlint-accepts"
    if cerr and not oerr:
        return "oracle-accepts/crdlint-rejects"
    if oerr and cerr:
        if oerr != cerr:
            return "message"
        return None
    if norm_numbers(o.get("json")) != norm_numbers(c.get("json")):
        return "json"
    odup = "already set in map" in (o.get("strict_error") or "")
    if odup and not c.get("duplicate"):
        return "duplicate-key (strict): kubectl-validate only"
    if c.get("duplicate") and not odup:
        return "duplicate-key (strict): crdlint only"
    return None


def random_in_kubectl(oracle, f, index, cd):
    """Does the oracle, run again, give crdlint's JSON (or vary) for this document?"""
    seen = set()
    for _ in range(8):
        o = run_lines([oracle], [f], json_as_text=True).get(f, {})
        d = next((d for d in o.get("documents", []) if d["index"] == index), {})
        seen.add(json.dumps(d.get("json"), sort_keys=True))
        if norm_numbers(d.get("json")) == norm_numbers(cd.get("json")):
            return True
    return len(seen) > 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oracle", default="/work/tools/bin/yamloracle")
    ap.add_argument(
        "--crdlint",
        default=os.path.join(
            os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")),
            "release/examples/yaml_verdicts",
        ),
    )
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--json", help="write the disagreements here")
    ap.add_argument("--label", default="")
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    files = files_of(a.paths)
    oracle = run_lines([a.oracle], files, json_as_text=True)
    ours = run_lines([a.crdlint], files)
    counts = collections.Counter()
    examples = collections.defaultdict(list)
    docs = 0
    agree = collections.Counter()
    for f in files:
        o, c = oracle.get(f), ours.get(f)
        if o is None or c is None:
            counts["missing-output"] += 1
            examples["missing-output"].append({"file": f})
            continue
        # Documents in file order (both count comment-only documents, neither empty ones).
        odocs = {d["index"]: d for d in o.get("documents", [])}
        cdocs = {d["index"]: d for d in c.get("documents", [])}
        for line in sorted(set(odocs) | set(cdocs)):  # line: the index
            od, cd = odocs.get(line), cdocs.get(line)
            docs += 1
            if od is None or cd is None:
                # An empty document on one side only is not a disagreement.
                only = od or cd
                if only.get("json") is None and not only.get("error"):
                    continue
                # The YAMLReader's error for `--- x` ends the file; kubectl-validate then
                # silently drops the rest, kubectl fails. crdlint reports it as one document.
                if od is None and (cd.get("error") or "").startswith("invalid Yaml document separator"):
                    if cd["error"] == (o.get("split_stop") or cd["error"]):
                        agree["reject"] += 1
                        continue
                cls = "split"
            else:
                cls = classify(od, cd)
                if cls == "json" and random_in_kubectl(a.oracle, f, line, cd):
                    cls = "json (at random in kubectl: two keys make one JSON key)"
                if cls == "duplicate-key (strict): kubectl-validate only":
                    with open(f, encoding="utf-8", errors="replace") as fh:
                        if "<<" in fh.read():
                            cls = "duplicate-key (strict: a key also set by a merge)"
            if cls is None:
                agree["reject" if oracle_error(od) else "accept"] += 1
                continue
            counts[cls] += 1
            if len(examples[cls]) < a.examples:
                examples[cls].append(
                    {
                        "file": f,
                        "line": line,
                        "oracle": {k: (od or {}).get(k) for k in ("json", "error", "strict_error")},
                        "crdlint": {k: (cd or {}).get(k) for k in ("json", "error", "duplicate")},
                    }
                )
    print(
        f"{a.label}files {len(files)}, documents {docs}: agree {sum(agree.values())} "
        f"(accepted {agree['accept']}, rejected {agree['reject']}), "
        f"disagree {sum(counts.values())}"
    )
    for cls, n in counts.most_common():
        print(f"  {cls}: {n}")
        for ex in examples[cls]:
            print("    " + json.dumps(ex)[:600])
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(
                {
                    "files": len(files),
                    "documents": docs,
                    "agree": dict(agree),
                    "disagree": dict(counts),
                    "examples": examples,
                },
                fh,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
