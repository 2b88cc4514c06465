#!/usr/bin/env bash
# CPU time of two builds side by side: runs A and B alternately N times each (`perf stat -e
# task-clock,page-faults`, then once more for wall time) and prints each build's medians of CPU
# time, wall time (plus a few ms of the shell reading the clock) and page faults. CPU time is
# steadier than wall time on a shared machine; it is what each
# performance commit of bench/RESULTS.md was measured with. Not a test. Needs `perf`.
#
# Usage: bench/cpu.sh N BUILD_A BUILD_B -- ARGS...
#   e.g. bench/cpu.sh 15 /tmp/crdlint-before target/release/crdlint -- check --format json ../shared/corpus/crds
set -euo pipefail
n=$1; a=$2; b=$3; shift 3
[ "${1:-}" = "--" ] && shift
stat=$(mktemp); trap 'rm -f "$stat"' EXIT
for _ in $(seq "$n"); do
  for bin in "$a" "$b"; do
    perf stat -e task-clock,page-faults -x, -o "$stat" "$bin" "$@" >/dev/null 2>&1 || true
    start=$(date +%s%N); "$bin" "$@" >/dev/null 2>&1 || true; end=$(date +%s%N)
    echo "$bin $(grep task-clock "$stat" | cut -d, -f1) $(( (end - start) / 1000 )) $(grep page-faults "$stat" | cut -d, -f1)"
  done
done | python3 -c '
import sys, collections, statistics as st
runs = collections.defaultdict(list)
for line in sys.stdin:
    build, cpu, wall, faults = line.split()
    runs[build].append((float(cpu), int(wall) / 1000, int(faults)))
for build, v in runs.items():
    print(f"{build}: cpu {st.median(x[0] for x in v):.1f} ms  wall {st.median(x[1] for x in v):.1f} ms  page faults {st.median(x[2] for x in v):.0f}  ({len(v)} runs)")
'
