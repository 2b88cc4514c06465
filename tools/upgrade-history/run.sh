#!/usr/bin/env bash
# `crdlint diff` over each pair of consecutive releases built by build.sh; prints, per pair,
# the count of findings by rule and severity, then every error and warning (summarize.py).
# Usage: tools/upgrade-history/run.sh [HISTORY] [CRDLINT]
set -euo pipefail
history=${1:-/work/history}
crdlint=${2:-crdlint}
for project in "$history"/*/; do
  project=${project%/}
  name=$(basename "$project")
  tags=$(ls "$project" | sort -V)
  prev=""
  for tag in $tags; do
    if [ -n "$prev" ]; then
      echo "== $name $prev -> $tag"
      "$crdlint" diff --no-config "$project/$prev" "$project/$tag" --format json |
        python3 "$(dirname "$0")/summarize.py" || true
    fi
    prev=$tag
  done
done
