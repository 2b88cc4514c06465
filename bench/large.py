#!/usr/bin/env python3
"""A large repository for benchmarks: N one-document files replicated, in rotation, from a pool
of custom resources (the widget set, valid and invalid) and built-in manifests (the examples of
this project, and, when given, every one-document built-in manifest of the real-repository
corpus), under OUT/<N>/, with OUT/crd.yaml beside them.

Usage: large.py OUT N [N...] [--realcorpus DIR]
"""
import os, pathlib, shutil, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILTIN_PREFIXES = ("apiVersion: v1\n", "apiVersion: apps/", "apiVersion: rbac.", "apiVersion: batch/",
                    "apiVersion: networking.k8s.io/", "apiVersion: policy/", "apiVersion: admissionregistration.")


def pool(realcorpus):
    widgets = ROOT.parent / "shared/corpus/bench/widgets"
    files = sorted((widgets / "crs").glob("*.yaml"))
    out = [f.read_text() for f in files]
    sources = list((ROOT / "examples").rglob("*.yaml"))
    if realcorpus:
        sources += sorted(pathlib.Path(realcorpus).rglob("*.yaml"))
    builtins = []
    for f in sources:
        try:
            t = f.read_text()
        except (UnicodeDecodeError, OSError):
            continue
        # One document, a built-in kind, no template syntax.
        if "\n---" in t.strip() or "{{" in t:
            continue
        body = "\n".join(l for l in t.splitlines() if not l.startswith("#")) + "\n"
        if body.startswith(BUILTIN_PREFIXES):
            builtins.append(t)
    # Half custom resources, half built-ins, as in an operator repository.
    mixed = []
    for i in range(max(len(out), len(builtins))):
        if out:
            mixed.append(out[i % len(out)])
        if builtins:
            mixed.append(builtins[i % len(builtins)])
    return mixed, widgets / "crd.yaml"


def main():
    args = sys.argv[1:]
    realcorpus = None
    if "--realcorpus" in args:
        i = args.index("--realcorpus")
        realcorpus = args[i + 1]
        del args[i:i + 2]
    out = pathlib.Path(args[0])
    docs, crd = pool(realcorpus)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(crd, out / "crd.yaml")
    for n in map(int, args[1:]):
        d = out / str(n)
        if d.is_dir() and len(list(d.iterdir())) == n:
            continue
        shutil.rmtree(d, ignore_errors=True)
        # 1,000 files a folder, as a repository spreads them.
        for i in range(n):
            sub = d / f"part{i // 1000:03d}"
            if i % 1000 == 0:
                sub.mkdir(parents=True)
            (sub / f"r{i:06d}.yaml").write_text(docs[i % len(docs)])
    print(f"{len(docs)} distinct documents in the pool")


if __name__ == "__main__":
    main()
