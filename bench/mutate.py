"""Write a mutated copy of a directory of CRD files, for bench/diff.sh: in every YAML file, the
first of each of these lines is changed by plain text edits (no YAML library), so that
`crdlint diff` has findings of several kinds to report in every CRD:
  maxLength: N                                -> N // 2            (upgrade/bounds-tightened)
  minimum: N                                  -> N + 1             (upgrade/bounds-tightened)
  the last item of the first block `enum:`    -> removed           (upgrade/enum-value-removed)
  type: string (after the first 200 lines)    -> type: integer     (upgrade/type-changed)
  x-kubernetes-preserve-unknown-fields: true  -> false             (upgrade/preserve-unknown-fields-removed)
Usage: python3 bench/mutate.py SOURCE_DIR TARGET_DIR"""
import os
import re
import shutil
import sys


def mutate(lines):
    done = set()
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        key = line.strip().split(":")[0]
        m = re.match(r"^(\s*)(maxLength|minimum): (\d+)\s*$", line)
        if m and m.group(2) not in done:
            done.add(m.group(2))
            n = int(m.group(3))
            n = max(1, n // 2) if m.group(2) == "maxLength" else n + 1
            out.append("%s%s: %d\n" % (m.group(1), m.group(2), n))
            i += 1
            continue
        if key == "enum" and line.rstrip().endswith("enum:") and "enum" not in done:
            indent = len(line) - len(line.lstrip())
            items = []
            j = i + 1
            while j < len(lines) and lines[j].strip().startswith("- ") and len(lines[j]) - len(lines[j].lstrip()) >= indent:
                items.append(lines[j])
                j += 1
            if len(items) >= 2:
                done.add("enum")
                out.append(line)
                out.extend(items[:-1])
                i = j
                continue
        if line.strip() == "type: string" and i > 200 and "type" not in done:
            done.add("type")
            out.append(line.replace("type: string", "type: integer"))
            i += 1
            continue
        if line.strip() == "x-kubernetes-preserve-unknown-fields: true" and "preserve" not in done:
            done.add("preserve")
            out.append(line.replace("true", "false"))
            i += 1
            continue
        out.append(line)
        i += 1
    return out


def main(source, target):
    if os.path.exists(target):
        shutil.rmtree(target)
    for root, _, files in os.walk(source):
        for name in files:
            src = os.path.join(root, name)
            dst = os.path.join(target, os.path.relpath(src, source))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            if not name.endswith((".yaml", ".yml")):
                shutil.copyfile(src, dst)
                continue
            with open(src, encoding="utf-8") as f:
                lines = f.readlines()
            with open(dst, "w", encoding="utf-8") as f:
                f.writelines(mutate(lines))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
