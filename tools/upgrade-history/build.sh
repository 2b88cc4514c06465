#!/usr/bin/env bash
# Rebuild the real CRD history `crdlint diff` is tried on: consecutive releases of the CRDs of
# four projects, extracted from their git mirrors (bare repositories with tags), one directory
# per release: $OUT/<project>/<tag>/<path in the repository>.
# Usage: tools/upgrade-history/build.sh [OUT]   (default /work/history)
# MIRRORS (default /work/.mirror) holds <owner>+<name>/repo, as the project's mirror tool
# fetches them; a project whose mirror is missing is skipped with a note.
set -euo pipefail
out=${1:-/work/history}
mirrors=${MIRRORS:-/work/.mirror}

# project | mirror | directory of CRDs | consecutive release tags
projects=(
  "cert-manager|cert-manager+cert-manager|deploy/crds|v1.5.0 v1.6.0 v1.7.0 v1.8.0"
  "cluster-api|kubernetes-sigs+cluster-api|config/crd|v1.9.0 v1.10.0 v1.11.0"
  "kyverno|kyverno+kyverno|config/crds|v1.10.0 v1.11.0 v1.12.0 v1.13.0"
  "prometheus-operator|prometheus-operator+prometheus-operator|example/prometheus-operator-crd|v0.80.0 v0.81.0 v0.82.0 v0.83.0"
)

for p in "${projects[@]}"; do
  IFS='|' read -r name mirror dir tags <<<"$p"
  git_dir=$mirrors/$mirror/repo
  if [ ! -d "$git_dir" ]; then
    echo "skip $name: no mirror at $git_dir" >&2
    continue
  fi
  for tag in $tags; do
    dest=$out/$name/$tag
    rm -rf "$dest"
    mkdir -p "$dest"
    # File by file (not `git archive`): a mirror may lack blobs outside the CRD directory.
    git --git-dir="$git_dir" ls-tree -r --name-only "$tag" -- "$dir" | while read -r f; do
      case $f in *.yaml | *.yml | *.json) ;; *) continue ;; esac
      mkdir -p "$dest/$(dirname "$f")"
      git --git-dir="$git_dir" show "$tag:$f" >"$dest/$f"
    done
    echo "$name $tag: $(find "$dest" -name '*.yaml' | wc -l) files"
  done
done
