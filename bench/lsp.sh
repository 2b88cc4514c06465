#!/usr/bin/env bash
# Editor latency: `crdlint server` driven over stdio by examples/lsp_bench.rs, a 300-line
# resource with every CRD of ../shared/corpus/crds in scope; prints the median and the 95th
# percentile of the time from didChange to publishDiagnostics. Usage: bench/lsp.sh [CHANGES]
set -euo pipefail
cd "$(dirname "$0")/.."
crds=../shared/corpus/crds
if [ ! -d "$crds" ]; then
  echo "bench/lsp.sh: $crds is absent" >&2
  exit 1
fi
cargo build --release --quiet --bin crdlint --example lsp_bench
target=${CARGO_TARGET_DIR:-target}
"$target/release/examples/lsp_bench" --crdlint "$target/release/crdlint" --crds "$crds" --changes "${1:-300}"
