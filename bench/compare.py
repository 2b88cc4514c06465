#!/usr/bin/env python3
"""Paired benchmark runs: commands timed side by side, in rounds (each round runs every command
once, in rotating order, so drift in the machine's load hits them alike), reporting the median
wall time and the median peak RSS of each, and ratios to the first command.

Usage: compare.py --runs N [--record FILE --section NAME] --name LABEL -- CMD... [--name LABEL -- CMD...]...
       (each `--name LABEL -- ...` group ends at the next `--name` or the end)
--record appends one JSON line per command (section, label, median wall in ms, median peak RSS
in MiB) to FILE, for bench/table.py.
A command's output is discarded; its exit status is not checked (crdlint exits 1 on errors).
"""
import json, os, statistics, subprocess, sys, time


def parse(argv):
    runs, groups, i = 7, [], 0
    record = section = None
    while i < len(argv):
        if argv[i] == "--runs":
            runs = int(argv[i + 1]); i += 2
        elif argv[i] == "--record":
            record = argv[i + 1]; i += 2
        elif argv[i] == "--section":
            section = argv[i + 1]; i += 2
        elif argv[i] == "--name":
            label = argv[i + 1]
            assert argv[i + 2] == "--", "--name LABEL -- CMD..."
            j = i + 3
            while j < len(argv) and argv[j] != "--name":
                j += 1
            groups.append((label, argv[i + 3:j])); i = j
        else:
            sys.exit(f"unexpected {argv[i]!r}")
    return runs, groups, record, section


def once(cmd):
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    return wall * 1000.0, usage.ru_maxrss / 1024.0  # ms, MiB


def main():
    runs, groups, record, section = parse(sys.argv[1:])
    walls = [[] for _ in groups]
    rss = [[] for _ in groups]
    for g in groups:  # a warm-up run each (page cache, binaries)
        once(g[1])
    for r in range(runs):
        for k in range(len(groups)):
            i = (r + k) % len(groups)
            w, m = once(groups[i][1])
            walls[i].append(w); rss[i].append(m)
    base = statistics.median(walls[0])
    width = max(len(g[0]) for g in groups)
    for i, (label, _) in enumerate(groups):
        w = statistics.median(walls[i]); m = statistics.median(rss[i])
        ratio = "" if i == 0 else f"   {w / base:5.2f}x of {groups[0][0]}"
        print(f"  {label:<{width}}  {w:8.1f} ms   {m:7.1f} MiB{ratio}")
        if record:
            with open(record, "a") as f:
                f.write(json.dumps({"section": section, "label": label, "wall_ms": w, "rss_mib": m}) + "\n")


if __name__ == "__main__":
    main()
