#!/usr/bin/env python3
"""CEL cost at CRD install: crdlint's verdict against kubectl-validate's, expression by
expression.

Each expression becomes one CRD (a rule, or a messageExpression beside `self.size != 7`, on a
`spec` with integer, string, list and map fields of bounded size); a CRD is "refused" when the
oracle reports any cause for it, and when crdlint reports a `cel/*` error. The expressions are
generated: producers of strings and lists (schema fields, library results, literals) crossed
with what costs by size (concatenation, join, matches, iteration) and what does not (equality,
size). Only type-correct expressions are generated: crdlint has no CEL type checker, so a type
error the server refuses is not a disagreement this tool looks for.

Usage: python3 tools/differential/cel_cost.py [--crdlint BIN] [--oracle BIN] [--keep DIR]
       [EXPRESSIONS_FILE]
  EXPRESSIONS_FILE: one expression per line (`rule <expr>` for a rule, else a
  messageExpression); without it, the generated set (271 expressions).
Exit status 1 when a verdict differs. Needs the oracle (../shared/oracle/README.md).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

STRINGS = [
    "self.name", "self.opt", "self.m['k']", "self.m.k", "self.items[0]", "string(self.size)",
    "self.name.lowerAscii()", "self.name.substring(1)", "self.name.replace('a', 'b')",
    "self.name.trim()", "self.items.join(',')", "'%s'.format([self.name])", "self.name.charAt(0)",
    "self.?name.orValue('y')", "url(self.name).getHost()", "self.name.split(',')[0]",
    "strings.quote(self.name)", "(self.size > 1 ? self.name : 'x')",
    "self.items.map(i, i + 'y')[0]", "self.items.sort()[0]", "(self.name + self.opt)",
    "self.lm['k'][0]", "self.items.filter(i, i != '')[0]",
    "format.dns1123Label().validate(self.name).value()[0]", "self.name.upperAscii()",
]
LISTS = [
    "self.items", "self.items.map(i, i)", "self.items.filter(i, i != '')", "self.name.split(',')",
    "[self.name, 'a']", "self.items.sort()", "self.items.distinct()", "self.lm['k']", "self.lm.k",
    "self.m.map(k, k)", "(self.items + ['x'])", "self.?items.orValue([])",
    "self.items.slice(0, 1)", "self.items.slice(0, 0)", "self.items.slice(0, self.size)",
    "format.dns1123Label().validate(self.name).value()",
]


def generated():
    out = []
    for s in STRINGS:
        out += ["'x' + " + s] + ["rule " + s + op for op in [
            ".matches('^a')", ".contains('a')", " == 'a'", ".size() < 5", ".startsWith('a')",
            ".lowerAscii() == 'a'"]]
    for l in LISTS:
        out += [l + ".join(',')", "'x' + " + l + ".join('-')"] + ["rule " + l + op for op in [
            ".all(e, e.matches('^a'))", ".exists(e, e == 'a')", ".size() > 0",
            ".all(e, e + 'x' != '')"]]
    return out


CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: qs%(i)d.x.example.com}
spec:
  group: x.example.com
  scope: Namespaced
  names: {kind: Q%(i)d, plural: qs%(i)d, singular: q%(i)d, listKind: Q%(i)dList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-validations:
                - %(entry)s
              properties:
                size: {type: integer}
                name: {type: string, maxLength: 20}
                opt: {type: string, maxLength: 30}
                items: {type: array, maxItems: 5, items: {type: string, maxLength: 10}}
                m: {type: object, maxProperties: 4, additionalProperties: {type: string, maxLength: 8}}
                lm: {type: object, maxProperties: 4, additionalProperties: {type: array, maxItems: 3, items: {type: string, maxLength: 8}}}
"""


def entry(expr):
    if expr.startswith("rule "):
        return "rule: " + json.dumps(expr[5:])
    return "rule: self.size != 7\n                  messageExpression: " + json.dumps(expr)


def find(flag, env, *fallbacks):
    for c in [flag, os.environ.get(env), *fallbacks]:
        if c and (shutil.which(c) or os.path.exists(c)):
            return c
    sys.exit(f"no {env.lower()} binary: pass it with a flag or {env}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("expressions", nargs="?")
    ap.add_argument("--crdlint")
    ap.add_argument("--oracle")
    ap.add_argument("--keep", help="write the CRDs here and keep them")
    a = ap.parse_args()
    crdlint = find(a.crdlint, "CRDLINT", "target/release/crdlint")
    oracle = find(a.oracle, "KUBECTL_VALIDATE", "kubectl-validate", "/work/tools/bin/kubectl-validate")
    exprs = ([l.rstrip("\n") for l in open(a.expressions) if l.strip() and not l.startswith("#")]
             if a.expressions else generated())
    work = a.keep or tempfile.mkdtemp()
    os.makedirs(work, exist_ok=True)
    for i, e in enumerate(exprs):
        with open(os.path.join(work, "c%04d.yaml" % i), "w") as f:
            f.write(CRD % {"i": i, "entry": entry(e)})
    out = subprocess.run([crdlint, "check", "--format", "json", work], capture_output=True, text=True).stdout
    mine = set()
    for d in json.loads(out)["diagnostics"]:
        if d["rule"].startswith("cel/") and d["severity"] == "error":
            mine.add(int(os.path.basename(d["file"])[1:5]))
    env = {**os.environ, "KUBECONFIG": "/dev/null"}
    differ = 0
    for i, e in enumerate(exprs):
        r = subprocess.run([oracle, "--version", "1.35", "--output", "json",
                            os.path.join(work, "c%04d.yaml" % i)], capture_output=True, text=True, env=env)
        refused = any((s.get("details") or {}).get("causes") for v in json.loads(r.stdout).values() for s in v)
        if refused != (i in mine):
            differ += 1
            print(f"DIFF  {e}: oracle {'refuses' if refused else 'accepts'}, crdlint {'refuses' if i in mine else 'accepts'}")
    print(f"{len(exprs)} expressions, {differ} verdicts differ")
    if not a.keep:
        shutil.rmtree(work)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
