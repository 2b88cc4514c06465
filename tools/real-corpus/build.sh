#!/usr/bin/env bash
# Rebuild the real-repository corpus from local bare git mirrors (no network).
#
#   build.sh [MIRROR_ROOT] [OUT_DIR] [owner/repo ...]
#
# MIRROR_ROOT defaults to /work/.mirror (layout: MIRROR_ROOT/<owner>+<repo>/repo,
# a bare git dir as brought by the `fetch` tool); OUT_DIR defaults to
# /work/realcorpus. Repositories and commits come from repos.txt beside this
# script; naming some owner/repo arguments rebuilds only those.
#
# Per repository, OUT_DIR/<owner>__<repo>/ is removed and rebuilt with:
#   * every regular file (no symlinks, no submodules) at the listed commit whose
#     name ends in .yaml/.yml (any case), and every .json file whose top level
#     is a Kubernetes object or a list of them (apiVersion + kind), paths kept;
#   * except: anything under a .github/, vendor/, third_party/ or node_modules/
#     directory; files of 4 MiB or more (the mirrors lack them anyway) and blobs
#     missing from the mirror; files under a templates/ directory that contain
#     Go template syntax "{{" (Helm templates); paths matching an
#     `exclude owner/repo REGEX` line of repos.txt;
#   * the root-level LICENSE*/LICENCE*/COPYING*/NOTICE* files;
#   * SOURCE: repo, commit, and the number of files extracted.
# The output depends only on the commits and these rules (deterministic).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mirror_root=${1:-/work/.mirror}
out_root=${2:-/work/realcorpus}
shift $(( $# > 2 ? 2 : $# ))
only=("$@")
list=$here/repos.txt
max_size=$((4 * 1024 * 1024))

command -v git >/dev/null || { echo "git is needed" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed (JSON check)" >&2; exit 1; }

# Reads JSON on stdin; exit 0 when it is a Kubernetes object or a non-empty list of them.
is_k8s_json() {
  python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except Exception:
    sys.exit(1)
ds = d if isinstance(d, list) else [d]
ok = bool(ds) and all(isinstance(x, dict) and isinstance(x.get("apiVersion"), str) and isinstance(x.get("kind"), str) for x in ds)
sys.exit(0 if ok else 1)'
}

declare -A excludes=()
repos=()
commits=()
while read -r a b c || [[ -n $a ]]; do
  [[ -z $a || $a == \#* ]] && continue
  if [[ $a == exclude ]]; then
    excludes[$b]+="${excludes[$b]:+|}$c"
    continue
  fi
  repos+=("$a"); commits+=("$b")
done < "$list"

mkdir -p "$out_root"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
total=0
for i in "${!repos[@]}"; do
  repo=${repos[$i]} commit=${commits[$i]}
  if (( ${#only[@]} )); then
    want=0; for o in "${only[@]}"; do [[ $o == "$repo" ]] && want=1; done
    (( want )) || continue
  fi
  owner=${repo%%/*} name=${repo#*/}
  gd=$mirror_root/$owner+$name/repo
  [[ -d $gd ]] || gd=$mirror_root/$owner+$name
  if ! git --git-dir="$gd" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "MISSING: $repo $commit (no mirror at $mirror_root/$owner+$name, or commit absent); bring it with the fetch tool" >&2
    exit 1
  fi
  dest=$out_root/${owner}__$name
  rm -rf "$dest"; mkdir -p "$dest"
  ex=${excludes[$repo]:-}
  n=0
  # mode type sha size<TAB>path, NUL-terminated
  while IFS= read -r -d '' line; do
    meta=${line%%$'\t'*} path=${line#*$'\t'}
    read -r mode type sha size <<<"$meta"
    [[ $type == blob && ( $mode == 100644 || $mode == 100755 ) ]] || continue
    lower=${path,,}
    case $lower in
      *.yaml|*.yml) kind=yaml ;;
      *.json) kind=json ;;
      *) continue ;;
    esac
    [[ /$path =~ /(\.github|vendor|third_party|node_modules)/ ]] && continue
    [[ -n $ex && $path =~ $ex ]] && continue
    [[ $size =~ ^[0-9]+$ ]] || continue   # "-" or "BAD" (blob absent from the mirror)
    (( size < max_size )) || continue
    # read the blob whole into a scratch file first (a pipe into `grep -q`
    # would SIGPIPE git under pipefail and flip the test on large files);
    # a blob absent from the mirror is skipped
    git --git-dir="$gd" cat-file blob "$sha" > "$tmp" 2>/dev/null || continue
    if [[ /$path == */templates/* ]] && grep -qF '{{' "$tmp"; then
      continue
    fi
    if [[ $kind == json ]] && ! is_k8s_json < "$tmp"; then
      continue
    fi
    mkdir -p "$dest/$(dirname "$path")"
    cat "$tmp" > "$dest/$path"
    n=$((n + 1))
  done < <(git --git-dir="$gd" ls-tree -r -z --long "$commit")
  # licence files at the repository root
  while IFS= read -r -d '' line; do
    meta=${line%%$'\t'*} path=${line#*$'\t'}
    read -r mode type sha size <<<"$meta"
    [[ $type == blob && ( $mode == 100644 || $mode == 100755 ) ]] || continue
    case ${path^^} in LICENSE*|LICENCE*|COPYING*|NOTICE*) ;; *) continue ;; esac
    git --git-dir="$gd" cat-file blob "$sha" > "$dest/$path"
  done < <(git --git-dir="$gd" ls-tree -z --long "$commit")
  printf 'repo: %s\ncommit: %s\nfiles: %d\n' "$repo" "$commit" "$n" > "$dest/SOURCE"
  echo "$repo $commit: $n files"
  total=$((total + n))
done
echo "total: $total files"
