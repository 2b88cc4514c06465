#!/usr/bin/env python3
"""Record the oracle's verdicts on YAML files as a test fixture (tests/yaml_oracle/cases.jsonl),
so that CI checks crdlint's parity with kubectl's YAML reading without the oracle.

Each line: {"name", "input", "documents": [{"index", "json", "error"}], "split_stop"?} where
"error" is sigs.k8s.io/yaml.YAMLToJSON's error and "json" its output; documents the oracle
calls empty (blank lines and comments only) are left out; "split_stop" is the YAMLReader's
error where it stopped splitting the file (a `---` line with content).

Selection from a directory made by generate.py: the first --cases files (generate.py's
hand-written cases come first), then, among the rest, the first file for each distinct error
message (line numbers ignored) and a few accepted ones, up to --extra files.

Usage: record.py --oracle PATH --cases N --extra M DIR > cases.jsonl
"""
import argparse
import json
import os
import re
import subprocess
import sys


def oracle_run(oracle, files):
    out = {}
    for i in range(0, len(files), 400):
        p = subprocess.run([oracle] + files[i : i + 400], capture_output=True, text=True)
        for line in p.stdout.split("\n"):
            if line.strip():
                obj = json.loads(line)
                for d in obj.get("documents", []):
                    # The oracle gives YAMLToJSON's output as text (exact numbers).
                    if isinstance(d.get("json"), str):
                        d["json"] = json.loads(d["json"])
                out[obj["file"]] = obj
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oracle", default="/work/tools/bin/yamloracle")
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--extra", type=int, default=150)
    ap.add_argument("dir")
    a = ap.parse_args()
    files = sorted(
        os.path.join(a.dir, n) for n in os.listdir(a.dir) if n.endswith((".yaml", ".yml"))
    )
    verdicts = oracle_run(a.oracle, files)
    # Leave out what kubectl reads at random (two keys that become one JSON key: Go's map
    # order decides which value is kept).
    for _ in range(4):
        again = oracle_run(a.oracle, files)
        for f in files:
            if f in verdicts and again.get(f) != verdicts[f]:
                del verdicts[f]
    chosen = files[: a.cases]
    seen = set()
    accepted = 0
    for f in files[a.cases :]:
        if len(chosen) >= a.cases + a.extra:
            break
        v = verdicts.get(f)
        if not v or v.get("file_error"):
            continue
        errs = [d for d in v["documents"] if d.get("error") and d.get("stage") != "strict"]
        if errs:
            key = re.sub(r"line \d+", "line N", errs[0]["error"])
            key = re.sub(r"`[^`]*`|\"[^\"]*\"|'[^']*'|\{.*\}", "_", key)
            if key in seen:
                continue
            seen.add(key)
            chosen.append(f)
        elif accepted < a.extra // 3:
            accepted += 1
            chosen.append(f)
    for f in chosen:
        v = verdicts.get(f)
        if not v or v.get("file_error"):
            continue
        with open(f, encoding="utf-8", newline="") as fh:
            text = fh.read()
        docs = []
        for d in v["documents"]:
            if d.get("empty"):
                continue
            err = d.get("error") if d.get("stage") != "strict" else None
            docs.append({"index": d["index"], "json": None if err else d.get("json"), "error": err})
        rec = {"name": os.path.basename(f), "input": text, "documents": docs}
        if v.get("split_stop"):
            rec["split_stop"] = v["split_stop"]
        sys.stdout.write(json.dumps(rec, ensure_ascii=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
