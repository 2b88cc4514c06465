#!/usr/bin/env python3
"""The figures of a bench/run.sh run as one table, with ratios and issue 15's targets.

Usage: table.py RECORDS   (the JSON lines bench/compare.py --record wrote)
"""
import json, sys
from collections import defaultdict


def main():
    r = defaultdict(dict)
    for line in open(sys.argv[1]):
        d = json.loads(line)
        r[d["section"]][d["label"]] = d
    rows = []

    def row(run, ours, ref="", ratio="", target="", ok=None):
        verdict = "" if ok is None else ("met" if ok else "NOT met")
        rows.append((run, ours, ref, ratio, f"{target} {verdict}".strip()))

    def ms(d): return f"{d['wall_ms']:.1f} ms"
    def mib(d): return f"{d['rss_mib']:.1f} MiB"

    for sec, name in (("widgets-crs", "widgets `crs/` (2,000 files)"),
                      ("widgets-all", "widgets `all.yaml` (2,000 documents)")):
        s = r.get(sec)
        if not s:
            continue
        c = s["crdlint"]
        if "kubeconform" in s:
            k = s["kubeconform"]
            q = c["wall_ms"] / k["wall_ms"]
            row(f"{name}, wall", ms(c), f"kubeconform {ms(k)}", f"{q:.2f}x", "<= 0.20x", q <= 0.20)
        if "floor" in s:
            f = s["floor"]
            q = c["wall_ms"] / f["wall_ms"]
            row(f"{name}, wall", ms(c), f"parse floor {ms(f)}", f"{q:.2f}x", "<= 2x", q <= 2.0)
        k = s.get("kubeconform")
        row(f"{name}, peak RSS", mib(c), f"kubeconform {mib(k)}" if k else "",
            f"{c['rss_mib'] / k['rss_mib']:.2f}x" if k else "", "<= 30 MiB", c["rss_mib"] <= 30)
    s = r.get("widgets-crs-nocel")
    if s:
        c, f = s["crdlint"], s["floor"]
        row("widgets `crs/`, the CRD without its CEL rules, wall", ms(c), f"parse floor {ms(f)}",
            f"{c['wall_ms'] / f['wall_ms']:.2f}x")
    s = r.get("corpus-lint")
    if s:
        c, f = s["crdlint"], s["floor"]
        q = c["wall_ms"] / f["wall_ms"]
        row("all 103 corpus CRDs (18 MB), lint, wall", ms(c), f"parse floor {ms(f)}", f"{q:.2f}x", "<= 2x", q <= 2.0)
        row("same, peak RSS", mib(c), f"parse floor {mib(f)}", f"{c['rss_mib'] / f['rss_mib']:.2f}x",
            "<= 80 MiB", c["rss_mib"] <= 80)
    s = r.get("editor")
    if s:
        c = s["crdlint"]
        row("editor case (1 resource, 104 CRDs in scope, none its own), wall", ms(c), "", "", "< 10 ms", c["wall_ms"] < 10)
        row("editor case, peak RSS", mib(c), "", "", "< 20 MiB", c["rss_mib"] < 20)
    for kind in ("certificate", "prometheus"):
        s = r.get(f"editor-{kind}")
        if s:
            c, o = s["crdlint"], s.get("own")
            row(f"editor case, one {kind.capitalize()} (its CRD among the 104), wall", ms(c),
                f"its CRD's file alone {ms(o)}" if o else "", f"{c['wall_ms'] / o['wall_ms']:.2f}x" if o else "",
                "< 10 ms", c["wall_ms"] < 10)
            row("same, peak RSS", mib(c), f"its CRD's file alone {mib(o)}" if o else "",
                f"{c['rss_mib'] / o['rss_mib']:.2f}x" if o else "", "< 20 MiB", c["rss_mib"] < 20)
    large = sorted((int(k.split("-")[1]), v) for k, v in r.items() if k.startswith("large-"))
    for n, s in large:
        c = s["crdlint"]
        k = s.get("kubeconform")
        docs = n / (c["wall_ms"] / 1000)
        row(f"large repository, {n:,} files, wall", f"{ms(c)} ({docs:,.0f} docs/s)",
            f"kubeconform {ms(k)} ({n / (k['wall_ms'] / 1000):,.0f} docs/s)" if k else "",
            f"{c['wall_ms'] / k['wall_ms']:.2f}x" if k else "")
        row(f"same, peak RSS", mib(c), f"kubeconform {mib(k)}" if k else "",
            f"{c['rss_mib'] / k['rss_mib']:.2f}x" if k else "",
            "<= 100 MiB" if n >= 50000 else "", c["rss_mib"] <= 100 if n >= 50000 else None)
    if len(large) >= 2:
        (n0, s0), (n1, s1) = large[0], large[-1]
        for tool in ("crdlint", "kubeconform"):
            if tool in s0 and tool in s1:
                g = s1[tool]["wall_ms"] / s0[tool]["wall_ms"]
                m = s1[tool]["rss_mib"] / s0[tool]["rss_mib"]
                row(f"{tool}, {n0:,} -> {n1:,} files ({n1 / n0:.0f}x)", f"wall {g:.2f}x, RSS {m:.2f}x", "", "",
                    "wall linear" if tool == "crdlint" else "")
    # Before and after: the BASELINE build timed in the same rounds.
    names = {"widgets-crs": "widgets `crs/`", "widgets-crs-nocel": "widgets `crs/` without CEL",
             "widgets-all": "widgets `all.yaml`", "corpus-lint": "corpus CRD lint", "editor": "editor case",
             "editor-certificate": "editor case, a Certificate", "editor-prometheus": "editor case, a Prometheus"}
    names.update({f"large-{n}": f"large repository, {n:,} files" for n, _ in large})
    for sec, name in names.items():
        s = r.get(sec)
        if s and "baseline" in s:
            c, b = s["crdlint"], s["baseline"]
            row(f"{name}: this build against the baseline", f"{ms(c)}, {mib(c)}", f"baseline {ms(b)}, {mib(b)}",
                f"wall {c['wall_ms'] / b['wall_ms']:.2f}x, RSS {c['rss_mib'] / b['rss_mib']:.2f}x")
    print("| run | crdlint | reference | ratio | target |")
    print("|---|---|---|---|---|")
    for cells in rows:
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
