"""Summarize a `crdlint diff --format json` report read from standard input: the count of
findings by rule and severity, then every error and warning (rule, file:line, message)."""
import collections
import json
import sys

report = json.load(sys.stdin)
count = collections.Counter((d["rule"], d["severity"]) for d in report["diagnostics"])
for (rule, severity), n in sorted(count.items()):
    print("   %4d %-8s %s" % (n, severity, rule))
for d in report["diagnostics"]:
    if d["severity"] != "info":
        where = "%s:%d" % (d["file"].split("/")[-1], d["line"])
        print("   - %s %s: %s" % (d["rule"], where, d["message"][:300]))
