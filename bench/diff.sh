#!/usr/bin/env bash
# Wall time and peak memory of `crdlint diff` on the corpus CRDs: against themselves (no
# finding), and against a mutated copy (bench/mutate.py: a few findings in every CRD).
# Not a test: prints figures. Usage: bench/diff.sh [RUNS]   (needs ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/crds
runs=${1:-5}
[ -d "$corpus" ] || { echo "no $corpus: nothing to measure"; exit 0; }
cargo build --release -q
bin=${CARGO_TARGET_DIR:-target}/release/crdlint
mutated=$(mktemp -d)
trap 'rm -rf "$mutated"' EXIT
python3 bench/mutate.py "$corpus" "$mutated/crds"

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

count='import json,sys; print(len(json.load(sys.stdin)["diagnostics"]))'
echo "findings against itself: $("$bin" diff --no-config "$corpus" "$corpus" --format json | python3 -c "$count")"
echo "findings against the mutated copy: $("$bin" diff --no-config "$corpus" "$mutated/crds" --format json | python3 -c "$count")"
measure "diff crds/ against itself (103 CRDs, 18 MB)" "$bin" diff --no-config --format json "$corpus" "$corpus"
measure "diff crds/ against a mutated copy" "$bin" diff --no-config --format json "$corpus" "$mutated/crds"
measure "check crds/ (for reference: load, compile, lint)" "$bin" check --no-config --format json "$corpus"
