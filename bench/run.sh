#!/usr/bin/env bash
# Speed and memory of crdlint, side by side with the floor and kubeconform, in paired rounds
# (bench/compare.py: medians of wall time and peak RSS, ratios to crdlint). Not a test. Ends
# with every figure of the run in one table, with ratios and issue 15's targets (bench/table.py).
#
# Usage: bench/run.sh [RUNS]
#   needs ../shared/corpus; optional:
#   KUBECONFORM=path/to/kubeconform KUBECONFORM_SCHEMAS=dir  (dir holds widget_v1.json, made from
#     the widget CRD by kubeconform's openapi2jsonschema.py as ../shared/oracle/README.md says)
#   REALCORPUS=dir  (the real-repository corpus, tools/real-corpus: more built-in manifests for
#     the large-repository run)
#   LARGE="5000 10000 25000 50000"  (sizes of the large-repository run; empty to skip it)
#   BASELINE=path/to/another/crdlint  (timed beside this one in the same rounds, e.g. the dist build of
#     the commit before a change; the table then shows both)
#   KUBECONFORM defaults to ../tools/bin/kubeconform and KUBECONFORM_SCHEMAS to /tmp/kcschemas
#   when those exist.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus
runs=${1:-7}
[ -d "$corpus" ] || { echo "no $corpus: nothing to measure"; exit 0; }
# crdlint and the floor as they are installed: the `dist` profile (Cargo.toml).
cargo build --profile dist -q --bin crdlint --example parse_floor
target=${CARGO_TARGET_DIR:-target}
bin=$target/dist/crdlint
floor=$target/dist/examples/parse_floor
w=$corpus/bench/widgets
records=$(mktemp --suffix=.jsonl)
section=
cmp() { python3 bench/compare.py --runs "$runs" --record "$records" --section "$section" "$@"; }
if [ -z "${KUBECONFORM:-}" ] && [ -x ../tools/bin/kubeconform ]; then KUBECONFORM=../tools/bin/kubeconform; fi
if [ -z "${KUBECONFORM_SCHEMAS:-}" ] && [ -f /tmp/kcschemas/widget_v1.json ]; then KUBECONFORM_SCHEMAS=/tmp/kcschemas; fi
if [ -z "${REALCORPUS:-}" ] && [ -d ../realcorpus ]; then REALCORPUS=../realcorpus; fi
base=()
if [ -n "${BASELINE:-}" ]; then base=("$BASELINE"); fi
kc=()
if [ -n "${KUBECONFORM:-}" ] && [ -n "${KUBECONFORM_SCHEMAS:-}" ]; then
  kc=("$KUBECONFORM" -strict -summary -output json -ignore-missing-schemas
      -schema-location "$KUBECONFORM_SCHEMAS/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json")
fi
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $runs paired rounds, medians"

echo "widgets crs/ (2,000 files) against crd.yaml:"
section=widgets-crs
cmp --name crdlint -- $bin check --format json --crds $w/crd.yaml $w/crs \
    ${base:+--name baseline -- "${base[@]}" check --format json --crds $w/crd.yaml $w/crs} \
    --name floor -- $floor --once $w/crd.yaml $w/crs \
    ${kc:+--name kubeconform -- "${kc[@]}" $w/crs}

# The same without CEL: the widget CRD with its x-kubernetes-validations blocks cut out.
nocel=$(mktemp --suffix=.yaml)
trap 'rm -f "$nocel" "$records"' EXIT
awk '{ ind = match($0, /[^ ]/) - 1 }
     skip >= 0 && (ind > skip || $0 ~ /^ *$/) { next }
     { skip = -1 }
     /^ *x-kubernetes-validations:/ { skip = ind; next }
     { print }' skip=-1 "$w/crd.yaml" > "$nocel"
echo "widgets crs/, the CRD without its CEL rules:"
section=widgets-crs-nocel
cmp --name crdlint -- $bin check --format json --crds "$nocel" $w/crs \
    ${base:+--name baseline -- "${base[@]}" check --format json --crds "$nocel" $w/crs} \
    --name floor -- $floor --once "$nocel" $w/crs

echo "widgets all.yaml (the 2,000 documents in one file; every diagnostic rendered):"
section=widgets-all
cmp --name crdlint -- $bin check --format json --max-diagnostics-per-file 0 --crds $w/crd.yaml $w/all.yaml \
    ${base:+--name baseline -- "${base[@]}" check --format json --max-diagnostics-per-file 0 --crds $w/crd.yaml $w/all.yaml} \
    --name floor -- $floor --once $w/crd.yaml $w/all.yaml \
    ${kc:+--name kubeconform -- "${kc[@]}" $w/all.yaml}

echo "all 103 CRDs in crds/ (18 MB): read, compile, lint:"
section=corpus-lint
cmp --name crdlint -- $bin check --format json $corpus/crds \
    ${base:+--name baseline -- "${base[@]}" check --format json $corpus/crds} \
    --name floor -- $floor --once $corpus/crds

echo "the editor case: one resource, all corpus CRDs in scope (none defines its kind):"
section=editor
cmp --name crdlint -- $bin check --format json --crds $corpus/crds examples/operator/config/samples/demo_v1_widget.yaml \
    ${base:+--name baseline -- "${base[@]}" check --format json --crds $corpus/crds examples/operator/config/samples/demo_v1_widget.yaml}

# The same with the resource's CRD among the sources: a Certificate (6 cert-manager files mention
# its group and kind) and a Prometheus (10 prometheus-operator files do, 5.3 MB; its own 0.8 MB).
# Beside each, the same check with only its own CRD's file as the source: what the other 102
# CRDs in scope cost.
for kind in certificate:cert-manager/cert-manager.io_certificates.yaml \
            prometheus:prometheus-operator/monitoring.coreos.com_prometheuses.yaml; do
  own=$corpus/crds/${kind#*:}; kind=${kind%%:*}
  echo "the editor case: one $kind, its CRD among the corpus CRDs in scope:"
  section=editor-$kind
  cmp --name crdlint -- $bin check --format json --crds $corpus/crds bench/editor/$kind.yaml \
      ${base:+--name baseline -- "${base[@]}" check --format json --crds $corpus/crds bench/editor/$kind.yaml} \
      --name own -- $bin check --format json --crds $own bench/editor/$kind.yaml
done

sizes=${LARGE-"5000 10000 25000 50000"}
if [ -n "$sizes" ]; then
  large=${TMPDIR:-/tmp}/crdlint-large
  python3 bench/large.py "$large" $sizes ${REALCORPUS:+--realcorpus "$REALCORPUS"}
  for n in $sizes; do
    echo "large repository: $n files (half widgets, half built-in manifests):"
    section=large-$n
    cmp --name crdlint -- $bin check --format json --crds $large/crd.yaml $large/$n \
        ${base:+--name baseline -- "${base[@]}" check --format json --crds $large/crd.yaml $large/$n} \
        ${kc:+--name kubeconform -- "${kc[@]}" $large/$n}
  done
fi

# The YAML reader against the floor, inside one process (paired rounds, medians).
echo "YAML reader, widgets crs/:"; $floor --runs "$((runs * 2 + 1))" $w/crs
echo "YAML reader, crds/:"; $floor --runs "$((runs * 2 + 1))" $corpus/crds
# CEL cost estimation (cel/cost) alone: all rules of the corpus CRDs, single-threaded (a release
# build: compared with nothing else, it need not wait for an LTO link).
cargo build --release -q --example cel_cost
$target/release/examples/cel_cost --runs "$runs" $corpus/crds

echo
echo "All figures of this run ($(nproc) cores; medians of $runs paired rounds):"
python3 bench/table.py "$records"
