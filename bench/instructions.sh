#!/usr/bin/env bash
# Instructions executed (valgrind's cachegrind, `I refs`) by crdlint, the parse floor and, when
# given, another crdlint build, on the runs of bench/run.sh whose targets are ratios: a count
# that does not move with the load of a shared machine, where wall and CPU times move by 10-30%
# from run to run. It is not wall time: it does not see how well a run keeps both cores busy (the
# targets are set in wall time, bench/run.sh), nor cache misses or page faults. Not a test.
# Needs `valgrind` and ../shared/corpus; each run takes about 50 times its usual time.
#
# Usage: bench/instructions.sh [BASELINE]   (BASELINE: another crdlint build, e.g. the dist
#        build of the commit before a change)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus
[ -d "$corpus" ] || { echo "no $corpus: nothing to measure"; exit 0; }
command -v valgrind >/dev/null || { echo "no valgrind: nothing measured"; exit 0; }
cargo build --profile dist -q --bin crdlint --example parse_floor
target=${CARGO_TARGET_DIR:-target}
bin=$target/dist/crdlint
floor=$target/dist/examples/parse_floor
base=${1:-}
w=$corpus/bench/widgets
prom=prometheus-operator/monitoring.coreos.com_prometheuses.yaml

refs() { # (crdlint exits 1 when it finds errors)
  { valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null || true; } |
    sed -n 's/.*I *refs: *//p' | tr -d ,
}

row() { # name, floor arguments (empty: none), crdlint arguments...
  local name=$1 floor_args=$2; shift 2
  local mine theirs="" ratio="" against=""
  mine=$(refs "$bin" "$@")
  if [ -n "$floor_args" ]; then
    # shellcheck disable=SC2086
    theirs=$(refs "$floor" --once $floor_args)
    ratio=$(python3 -c "print(f'{$mine / $theirs:.2f}x')")
  fi
  if [ -n "$base" ]; then
    local b; b=$(refs "$base" "$@")
    against=$(python3 -c "print(f'{$b / 1e6:,.1f} M ({$mine / $b:.3f}x)')")
  fi
  NAME=$name MINE=$mine THEIRS=$theirs RATIO=$ratio AGAINST=$against python3 -c '
import os
name, mine, theirs = os.environ["NAME"], int(os.environ["MINE"]), os.environ["THEIRS"]
floor = "%s M | %s" % (format(int(theirs) / 1e6, ",.1f"), os.environ["RATIO"]) if theirs else " | "
print("| %s | %s M | %s | %s |" % (name, format(mine / 1e6, ",.1f"), floor, os.environ["AGAINST"]))'
}

echo "instructions executed (millions), crdlint $(git rev-parse --short HEAD)${base:+, baseline $base}:"
echo "| run | crdlint | parse floor | crdlint / floor | baseline (crdlint / baseline) |"
echo "|---|---|---|---|---|"
row "widgets \`crs/\`" "$w/crd.yaml $w/crs" check --format json --crds "$w/crd.yaml" "$w/crs"
row "widgets \`all.yaml\`" "$w/crd.yaml $w/all.yaml" check --format json --max-diagnostics-per-file 0 --crds "$w/crd.yaml" "$w/all.yaml"
row "corpus CRD lint" "$corpus/crds" check --format json "$corpus/crds"
row "editor case, one \`Prometheus\`" "" check --format json --crds "$corpus/crds" bench/editor/prometheus.yaml
row "the same, its CRD's file alone" "$corpus/crds/$prom" check --format json --crds "$corpus/crds/$prom" bench/editor/prometheus.yaml
