#!/usr/bin/env bash
# Byte-identical outputs: runs crdlint over the widget set, the corpus CRDs, the examples and a
# sample of the real-repository corpus, in several formats, and compares each output (and exit
# status) with a recorded reference. Not a test: a guard for performance work, which must not
# change a byte of output.
#
# Usage: bench/identical.sh record DIR [BIN]   write the references into DIR
#        bench/identical.sh check DIR [BIN]    compare with them (exit 1 on any difference)
# BIN defaults to $CARGO_TARGET_DIR/release/crdlint (or target/release/crdlint).
# Needs ../shared/corpus; REALCORPUS (default ../realcorpus) adds its repositories.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${1:?record or check}; dir=${2:?DIR}
bin=${3:-${CARGO_TARGET_DIR:-$root/target}/release/crdlint}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
corpus=$root/../shared/corpus
w=$corpus/bench/widgets
real=${REALCORPUS:-$root/../realcorpus}
mkdir -p "$dir"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

# name, working directory, arguments
cases=(
  "widgets-crs.json|$root|check --format json --crds $w/crd.yaml $w/crs"
  "widgets-crs.human|$root|check --color never --crds $w/crd.yaml $w/crs"
  "widgets-crs.sarif|$root|check --format sarif --crds $w/crd.yaml $w/crs"
  "widgets-all.json|$root|check --format json --max-diagnostics-per-file 0 --crds $w/crd.yaml $w/all.yaml"
  "widgets-all-capped.json|$root|check --format json --crds $w/crd.yaml $w/all.yaml"
  "widgets-all.junit|$root|check --format junit --crds $w/crd.yaml $w/all.yaml"
  "corpus-crds.json|$root|check --format json $corpus/crds"
  "corpus-crds.human|$root|check --color never $corpus/crds"
  "editor.json|$root|check --format json --crds $corpus/crds examples/operator/config/samples/demo_v1_widget.yaml"
  "operator.json|$root/examples/operator|check --format json ."
  "operator.human|$root/examples/operator|check --color never ."
  "operator.github|$root/examples/operator|check --format github ."
  "kubebuilder.json|$root/examples/kubebuilder|check --format json ."
  "kubebuilder.human|$root/examples/kubebuilder|check --color never ."
)
if [ -d "$real" ]; then
  for r in $(ls "$real" | grep __ | head -12); do
    cases+=("real-$r.json|$real/$r|check --format json .")
  done
  cases+=("real-karpenter.human|$real/kubernetes-sigs__karpenter|check --color never .")
fi

status=0
for c in "${cases[@]}"; do
  IFS='|' read -r name cwd args <<<"$c"
  (cd "$cwd" && COLUMNS=100 "$bin" $args >"$out/$name" 2>&1; echo "exit $?" >>"$out/$name")
  if [ "$mode" = record ]; then
    cp "$out/$name" "$dir/$name"
  elif cmp -s "$out/$name" "$dir/$name"; then
    echo "same       $name  $(sha256sum <"$out/$name" | cut -c1-16)"
  else
    echo "DIFFERENT  $name"; diff "$dir/$name" "$out/$name" | head -5; status=1
  fi
done
[ "$mode" = record ] && (cd "$dir" && sha256sum * >SHA256SUMS && wc -c * | tail -1)
exit $status
