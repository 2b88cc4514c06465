#!/bin/sh
# Regenerates data/builtin/ (see README.md for how to bring the inputs).
# usage: tools/builtin-schemas/generate.sh KUBECTL_VALIDATE_SRC K8S_API_GIT APIEXTENSIONS_GIT KUBE_AGGREGATOR_GIT [SOURCE_NOTE]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -ge 4 ] || { sed -n '2,3p' "$0"; exit 2; }
cargo run --release --quiet --manifest-path "$here/Cargo.toml" -- \
  --kubectl-validate "$1" \
  --lifecycle-git "$2" --lifecycle-git "$3" --lifecycle-git "$4" \
  --extra "$here/lifecycle-extra.json" \
  --out "$root/data/builtin" \
  --source-note "${5:-}"
