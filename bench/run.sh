#!/usr/bin/env bash
# Wall time and peak memory of crdlint on the shared corpus. Not a test: prints figures.
# Usage: bench/run.sh [RUNS]   (needs ../shared/corpus; uses /usr/bin/time when present)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus
runs=${1:-5}
[ -d "$corpus" ] || { echo "no $corpus: nothing to measure"; exit 0; }
cargo build --release -q
bin=target/release/crdlint

measure() { # label, then the command
  local label=$1; shift
  local best=999999 rss=0
  for _ in $(seq "$runs"); do
    local start end ms
    start=$(date +%s%N)
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -f '%M' -o /tmp/crdlint-bench-rss "$@" >/dev/null 2>&1 || true
      rss=$(tail -n 1 /tmp/crdlint-bench-rss)
    else
      "$@" >/dev/null 2>&1 || true
    fi
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    [ "$ms" -lt "$best" ] && best=$ms
  done
  printf '%-52s best of %s: %6d ms   peak RSS %s KiB\n' "$label" "$runs" "$best" "$rss"
}

w=$corpus/bench/widgets
measure "widgets crs/ (2,000 files) vs crd.yaml" $bin check --format json --crds $w/crd.yaml $w/crs
# The same run without CEL: the widget CRD with its x-kubernetes-validations blocks cut out.
nocel=$(mktemp --suffix=.yaml)
trap 'rm -f "$nocel"' EXIT
awk '{ ind = match($0, /[^ ]/) - 1 }
     skip >= 0 && (ind > skip || $0 ~ /^ *$/) { next }
     { skip = -1 }
     /^ *x-kubernetes-validations:/ { skip = ind; next }
     { print }' skip=-1 "$w/crd.yaml" > "$nocel"
measure "widgets crs/ without CEL rules" $bin check --format json --crds "$nocel" $w/crs
# Every diagnostic rendered, as before the per-file cap (all.yaml has 1,350 of them).
measure "widgets all.yaml (2,000 documents, one file)" $bin check --format json --max-diagnostics-per-file 0 --crds $w/crd.yaml $w/all.yaml
measure "load + check all CRDs in crds/ (103 CRDs, 18 MB)" $bin check --format json $corpus/crds
measure "one resource with all corpus CRDs in scope" $bin check --format json --crds $corpus/crds examples/operator/config/samples/demo_v1_widget.yaml

# The YAML reader against the floor, in paired rounds (medians): saphyr-parser's events (the
# previous reader), the go-yaml port's events (the floor) and crdlint's whole reader.
cargo build --release -q --example parse_floor
floor=target/release/examples/parse_floor
echo "YAML reader, widgets crs/:"; $floor --runs "$((runs * 2 + 1))" $w/crs
echo "YAML reader, widgets all.yaml:"; $floor --runs "$((runs * 2 + 1))" $w/all.yaml
echo "YAML reader, crds/:"; $floor --runs "$((runs * 2 + 1))" $corpus/crds

# CEL cost estimation (cel/cost) alone: all rules of the corpus CRDs, single-threaded.
cargo build --release -q --example cel_cost
target/release/examples/cel_cost --runs "$runs" $corpus/crds
