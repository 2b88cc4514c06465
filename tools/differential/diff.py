#!/usr/bin/env python3
"""Differential testing of crdlint against kubectl-validate (the API server's own code).

Modes (see README.md beside this file):
  validate  per-document verdict, field paths and messages: crdlint vs kubectl-validate
  yaml      per-document YAML accept/reject: crdlint vs yamloracle (kubectl-validate's YAML path)
  record    write kubectl-validate's Status per document into fixtures (comment blocks + index),
            or with --check compare existing fixtures with a fresh oracle run

Python 3.8+, standard library only.
"""

import argparse
import collections
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

MANIFEST_EXTS = (".yaml", ".yml", ".json")
NOT_VALIDATED_RULES = {"resource/missing-crd", "resource/builtin-skipped"}
DEFAULT_COMPANIONS = "cel/skipped"
CEL_SKIPPED_TEXT = "some validation rules were not checked"

# ---------------------------------------------------------------------------------------------
# small helpers


def norm_key(path):
    """Key under which a file is matched between tools: absolute, normalised, and with bytes
    that are not UTF-8 replaced by U+FFFD (Go's encoding/json and serde do the same)."""
    p = os.path.normpath(os.path.abspath(path))
    return os.fsencode(p).decode("utf-8", "replace")


def find_binary(explicit, env, names, fallbacks):
    for cand in [explicit, os.environ.get(env)] + [shutil.which(n) for n in names] + fallbacks:
        if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
            return os.path.abspath(cand)
    return None


def collect_files(paths, exts=MANIFEST_EXTS):
    """Files named on the command line (any extension), files under directories (recursive,
    extension filter, case-insensitive like kubectl-validate), and @LIST files (one path per
    line). Returns (existing regular files, missing paths), both de-duplicated and sorted."""
    out, missing, seen = [], [], set()

    def add(p):
        k = norm_key(p)
        if k not in seen:
            seen.add(k)
            out.append(os.path.normpath(os.path.abspath(p)))

    for p in paths:
        if p.startswith("@"):
            with open(p[1:], "rb") as fh:
                sub = [os.fsdecode(l.rstrip(b"\r\n")) for l in fh if l.strip()]
            f, m = collect_files(sub, exts)
            for x in f:
                add(x)
            missing.extend(m)
        elif os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for n in sorted(files):
                    if n.lower().endswith(exts):
                        fp = os.path.join(root, n)
                        if os.path.isfile(fp):
                            add(fp)
        elif os.path.isfile(p):
            add(p)
        else:
            missing.append(p)
    out.sort()
    return out, missing


def batches(files, max_bytes):
    cur, size = [], 0
    for f in files:
        n = len(os.fsencode(f)) + 1
        if cur and size + n > max_bytes:
            yield cur
            cur, size = [], 0
        cur.append(f)
        size += n
    if cur:
        yield cur


class ToolFailure(Exception):
    pass


def run_bisect(run_one, files, max_bytes, log):
    """run_one(batch) -> dict of results or raises ToolFailure. A failing batch is split in
    halves until the failing single files are isolated; those map to ToolFailure instances."""
    results = {}
    failures = [0]
    max_failures = 8  # isolated single-file failures before giving up on bisection

    def go(batch):
        if failures[0] >= max_failures:
            for f in batch:
                results[norm_key(f)] = ToolFailure("not run: %s failed on %d single files already"
                                                   % (run_one.__name__, max_failures))
            return
        try:
            results.update(run_one(batch))
        except ToolFailure as e:
            if len(batch) == 1:
                log("  %s failed on %s: %s" % (run_one.__name__, batch[0], e))
                results[norm_key(batch[0])] = e
                failures[0] += 1
            else:
                log("  %s failed on a batch of %d files (%s); bisecting"
                    % (run_one.__name__, len(batch), str(e)[:200]))
                mid = len(batch) // 2
                go(batch[:mid])
                go(batch[mid:])

    for b in batches(files, max_bytes):
        go(b)
    return results


def last_line(b):
    t = b.decode("utf-8", "replace").strip().split("\n")
    return t[-1] if t else ""


def go_trim_space(s):
    # strings.TrimSpace: unicode.IsSpace = \t \n \v \f \r space U+0085 U+00A0 and Z* categories
    import unicodedata

    def sp(c):
        return c in "\t\n\v\f\r \x85\xa0" or unicodedata.category(c) in ("Zs", "Zl", "Zp")

    i, j = 0, len(s)
    while i < j and sp(s[i]):
        i += 1
    while j > i and sp(s[j - 1]):
        j -= 1
    return s[i:j]


def kv_split_lines(data):
    """Python replica of k8s.io/apimachinery/pkg/util/yaml.YAMLReader as kubectl-validate's
    SplitYamlDocuments uses it. Returns (lines, docs, stop): lines is the file split on '\\n'
    (each ReadLine line, '\\r' of '\\r\\n' kept in the raw line), docs is a list of lists of line
    indices, stop is None or (line_index, message) when an invalid separator line ended the
    split (kubectl-validate then silently ignores that document and everything after it)."""
    raw = data.split(b"\n")
    if raw and raw[-1] == b"":
        raw.pop()  # the EOF read
    docs, buf = [], []
    for i, line in enumerate(raw):
        c = line[:-1] if line.endswith(b"\r") else line
        if c.startswith(b"---"):
            trimmed = go_trim_space(c[3:].decode("utf-8", "surrogateescape"))
            if trimmed and trimmed[0] != "#":
                return raw, docs, (i, "invalid Yaml document separator: %s" % trimmed)
            if buf:
                docs.append(buf)
                buf = []
                continue
        buf.append(i)
    if buf:
        docs.append(buf)
    return raw, docs, None


def is_empty_doc(raw, idxs):
    """utils.IsEmptyYamlDocument: only blank lines, '#' comments and '---' lines."""
    for i in idxs:
        line = raw[i]
        if line.endswith(b"\r"):
            line = line[:-1]
        t = go_trim_space(line.decode("utf-8", "surrogateescape"))
        if t and not t.startswith("#") and t != "---":
            return False
    return True


def is_yaml_name(path):
    return path.lower().endswith((".yaml", ".yml"))


# ---------------------------------------------------------------------------------------------
# running the tools


def run_kubectl_validate(args, files, crd_dir, log):
    env = dict(os.environ, KUBECONFIG="/dev/null")
    base = [args.kv, "--version", args.kube_version, "--output", "json"]
    if crd_dir:
        base += ["--local-crds", crd_dir]
    base += args.kv_arg or []

    def kubectl_validate(batch):
        try:
            p = subprocess.run(base + batch, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=args.timeout, env=env, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ToolFailure("timeout after %ss" % args.timeout)
        if p.returncode not in (0, 1):
            raise ToolFailure("exit %d: %s" % (p.returncode, last_line(p.stderr) or last_line(p.stdout)))
        try:
            out = json.loads(p.stdout.decode("utf-8", "replace"))
        except ValueError as e:
            raise ToolFailure("unparseable JSON output (%s): %s" % (e, last_line(p.stderr)))
        res = {norm_key(k): v for k, v in out.items()}
        for f in batch:  # files kubectl-validate printed nothing for: zero documents
            res.setdefault(norm_key(f), [])
        return res

    return run_bisect(kubectl_validate, files, args.max_arg_bytes, log)


def run_crdlint(args, files, crd_dirs, log):
    base = [args.crdlint, "check", "--format", "json", "--max-diagnostics-per-file", "0"]
    if not args.use_config:
        base.append("--no-config")
    for d in crd_dirs:
        base += ["--crds", d]
    base += args.crdlint_arg or []

    def crdlint(batch):
        try:
            p = subprocess.run(base + batch, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=args.timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ToolFailure("timeout after %ss" % args.timeout)
        try:
            out = json.loads(p.stdout.decode("utf-8", "replace"))
            diags = out["diagnostics"]
        except (ValueError, KeyError, TypeError) as e:
            raise ToolFailure("exit %d, no JSON report (%s): %s" % (p.returncode, e, last_line(p.stderr)))
        res = {norm_key(f): [] for f in batch}
        for d in diags:
            k = norm_key(d.get("file") or "")
            if k not in res:
                # a name crdlint spelled differently (e.g. lossy non-UTF-8); keep it visible
                res.setdefault(k, [])
            res[k].append(d)
        if p.returncode == 2:
            for f in batch:
                if not res[norm_key(f)]:
                    log("  crdlint exit 2; %s has no diagnostics" % f)
        return res

    return run_bisect(crdlint, files, args.max_arg_bytes, log)


def run_yamloracle(args, files, log):
    def yamloracle(batch):
        # names holding a newline cannot travel on the stdin list: pass those as arguments
        argv = [f for f in batch if "\n" in f or "\r" in f]
        listed = [f for f in batch if f not in argv]
        inp = ("\n".join(listed) + "\n").encode("utf-8", "surrogateescape") if listed else b""
        try:
            p = subprocess.run([args.yamloracle, "--stdin"] + argv, input=inp, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            raise ToolFailure("timeout after %ss" % args.timeout)
        if p.returncode != 0:
            raise ToolFailure("exit %d: %s" % (p.returncode, last_line(p.stderr)))
        res = {}
        for line in p.stdout.decode("utf-8", "replace").split("\n"):
            if line.strip():
                try:
                    o = json.loads(line)
                except (ValueError, RecursionError) as e:
                    raise ToolFailure("unparseable output line (%s): %s" % (e, line[:200]))
                res[norm_key(o["file"])] = o
        for f in batch:
            if norm_key(f) not in res:
                raise ToolFailure("no output for %s" % f)
        return res

    # stdin carries the list, so batches can be large
    return run_bisect(yamloracle, files, 50_000_000, log)


def prepare_crd_dir(crds, log):
    """kubectl-validate's --local-crds reads only the top level of a directory; crdlint's --crds
    walks it. When CRDs are a file, several paths or a nested tree, copy every *.yaml/*.yml/*.json
    into one flat temporary directory and give that to both tools."""
    if not crds:
        return None, None
    if len(crds) == 1 and os.path.isdir(crds[0]):
        nested = any(
            n.lower().endswith(MANIFEST_EXTS)
            for root, _, fs in os.walk(crds[0]) if root != crds[0] for n in fs)
        if not nested:
            return os.path.abspath(crds[0]), None
    tmp = tempfile.mkdtemp(prefix="crdlint-diff-crds-")
    files, missing = collect_files(crds)
    if missing:
        raise SystemExit("CRD path(s) not found: %s" % ", ".join(missing))
    for i, f in enumerate(files):
        shutil.copyfile(f, os.path.join(tmp, "%04d-%s" % (i, os.path.basename(f))))
    log("CRDs: %d files copied into flat directory %s" % (len(files), tmp))
    return tmp, tmp


def check_kv_crds(args, crd_dir):
    """Load the CRDs once with no manifest; a CRD set kubectl-validate refuses fails every run."""
    with tempfile.TemporaryDirectory() as d:
        empty = os.path.join(d, "empty.yaml")
        open(empty, "w").close()
        env = dict(os.environ, KUBECONFIG="/dev/null")
        cmd = [args.kv, "--version", args.kube_version, "--output", "json"]
        if crd_dir:
            cmd += ["--local-crds", crd_dir]
        cmd += (args.kv_arg or []) + [empty]
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=args.timeout, env=env)
        except subprocess.TimeoutExpired:
            raise SystemExit("kubectl-validate timed out loading the CRDs")
        if p.returncode != 0:
            raise SystemExit("kubectl-validate refuses the CRD set (exit %d): %s"
                             % (p.returncode, p.stderr.decode("utf-8", "replace").strip()))


# ---------------------------------------------------------------------------------------------
# interpreting kubectl-validate's Status


YAML500 = re.compile(r"^(Internal error occurred: )?failed to parse yaml: "
                     r"(error converting YAML to JSON: )?(yaml: )?(line \d+: )?")
LINE_PREFIX = re.compile(r"^line \d+: ")


class Finding:
    """One error on either side, comparable across tools."""

    __slots__ = ("field", "reason", "message", "label", "raw")

    def __init__(self, field, reason, message, label, raw):
        self.field, self.reason, self.message, self.label, self.raw = field, reason, message, label, raw

    def key(self):
        return (self.field, self.reason, self.message)

    def show(self):
        return {"label": self.label, "field": self.field, "reason": self.reason, "message": self.message}


def kv_interpret(st):
    """-> (state, findings, note). state: valid | invalid | not-validated."""
    if st.get("status") == "Success":
        return "valid", [], None
    code = st.get("code")
    reason = st.get("reason")
    causes = (st.get("details") or {}).get("causes") or []
    msg0 = causes[0].get("message", "") if causes else (st.get("message") or "")
    if code == 500:
        if msg0 == "GVK cannot be empty":
            return "not-validated", [], "oracle: no apiVersion/kind (GVK cannot be empty)"
        if msg0.startswith("failed to retrieve validator"):
            short = re.sub(r" in \S+ groupversion$", "", msg0)
            return "not-validated", [], "oracle: no schema (%s)" % short.split(": ", 1)[-1]
        if "generateName" in msg0 or "name or generateName is required" in msg0:
            return "invalid", [Finding(None, None, msg0, "500:generateName-quirk", msg0)], None
        m = YAML500.match(msg0)
        if m and "failed to parse yaml" in msg0:
            stripped = msg0[m.end():]
            label = "500:yaml" if "error converting YAML" in msg0 else "500:typemeta"
            return "invalid", [Finding(None, None, stripped, label, msg0)], None
        return "invalid", [Finding(None, None, msg0, "500:" + (reason or "InternalError"), msg0)], None
    out = []
    for c in causes:
        f = c.get("field")
        m = c.get("message", "")
        if f:
            full = "%s: %s" % (f, m)
        else:
            full = LINE_PREFIX.sub("", m)
        if CEL_SKIPPED_TEXT in m:
            label = "cel-skipped"
        elif code == 400:
            label = "400:yaml-strict"
        else:
            label = c.get("reason") or "no-reason"
        out.append(Finding(f or None, c.get("reason") or None, full, label, c))
    if not out:
        out.append(Finding(None, None, st.get("message") or "", "%s:%s" % (code, reason), st))
    return "invalid", out, None


def crdlint_finding(d):
    return Finding(d.get("field"), d.get("reason"), d.get("message") or "", d.get("rule"), d)


def shape(field):
    return re.sub(r"\[\d+\]", "[*]", field) if field else "-"


# ---------------------------------------------------------------------------------------------
# mode: validate

CATEGORIES = [
    ("agree-valid", "agree: both valid"),
    ("agree-invalid", "agree: both invalid, same paths and messages"),
    ("diff-paths", "both invalid, different field paths"),
    ("diff-messages", "both invalid, same paths, different messages/reasons"),
    ("crdlint-only", "crdlint-only invalid"),
    ("oracle-only", "oracle-only invalid"),
    ("crdlint-not-validated", "crdlint did not validate (missing CRD / built-in)"),
    ("oracle-not-validated", "oracle did not validate (no GVK / no schema / no document / failure)"),
]
AGREE = {"agree-valid", "agree-invalid"}


def compare_doc(kvst, cl_diags, companions):
    """Classify one document. kvst: Status dict, None (no such document in the oracle's output)
    or a ToolFailure. Returns (category, class, record)."""
    errors = [d for d in cl_diags if d.get("severity") == "error"]
    nv = sorted({d["rule"] for d in cl_diags if d.get("rule") in NOT_VALIDATED_RULES})
    others = sorted({"%s(%s)" % (d["rule"], d["severity"]) for d in cl_diags
                     if d.get("severity") != "error" and d.get("rule") not in NOT_VALIDATED_RULES})
    if isinstance(kvst, ToolFailure):
        kstate, kfind, knote = "not-validated", [], "oracle: failed (%s)" % str(kvst)[:120]
    elif kvst is None:
        kstate, kfind, knote = "not-validated", [], "oracle: no such document"
    else:
        kstate, kfind, knote = kv_interpret(kvst)
    cl_invalid = bool(errors)
    cfind = [crdlint_finding(d) for d in errors]
    if cl_invalid:
        cfind += [crdlint_finding(d) for d in cl_diags
                  if d.get("severity") != "error" and d.get("rule") in companions]
    kv_desc = kstate if kstate != "not-validated" else knote
    record = {
        "oracle": {"state": kstate, "note": knote,
                   "status": None if isinstance(kvst, ToolFailure) else kvst,
                   "findings": [f.show() for f in kfind]},
        "crdlint": {"state": "invalid" if cl_invalid else ("not-validated" if nv else "valid"),
                    "diagnostics": [{k: d.get(k) for k in ("line", "severity", "rule", "field", "reason", "message")}
                                    for d in cl_diags]},
    }
    if nv and not cl_invalid:
        cls = "%s | oracle: %s" % ("+".join(nv), kv_label_summary(kstate, kfind, knote))
        return "crdlint-not-validated", cls, record
    if kstate == "not-validated":
        if cl_invalid and not isinstance(kvst, ToolFailure):
            return "crdlint-only", "crdlint[%s] vs %s" % (rules_of(cfind), knote), record
        return "oracle-not-validated", "%s | crdlint: %s" % (
            knote, "+".join(nv) or ("invalid" if cl_invalid else "valid")), record
    if not cl_invalid and kstate == "valid":
        return "agree-valid", "", record
    if cl_invalid and kstate == "valid":
        return "crdlint-only", "crdlint[%s] vs oracle[Success]" % rules_of(cfind), record
    if not cl_invalid:
        extra = ("; crdlint non-errors: " + ",".join(others)) if others else ""
        return "oracle-only", "oracle[%s] vs crdlint[valid%s]" % (labels_of(kfind), extra), record
    # both invalid
    kp = {f.field for f in kfind}
    cp = {f.field for f in cfind}
    if kp != cp:
        c_extra = [f for f in cfind if f.field not in kp]
        k_extra = [f for f in kfind if f.field not in cp]
        record["paths"] = {"crdlint_only": sorted(shape_keep(f.field) for f in c_extra),
                           "oracle_only": sorted(shape_keep(f.field) for f in k_extra)}
        cls = "crdlint-only paths[%s] | oracle-only paths[%s]" % (
            ",".join(sorted({"%s@%s" % (f.label, shape(f.field)) for f in c_extra})) or "-",
            ",".join(sorted({"%s@%s" % (f.label, shape(f.field)) for f in k_extra})) or "-")
        return "diff-paths", cls, record
    kc = collections.Counter(f.key() for f in kfind)
    cc = collections.Counter(f.key() for f in cfind)
    if kc != cc:
        c_un = [f for f in cfind if cc[f.key()] > kc.get(f.key(), 0)]
        k_un = [f for f in kfind if kc[f.key()] > cc.get(f.key(), 0)]
        record["messages"] = {"crdlint_unmatched": [f.show() for f in c_un],
                              "oracle_unmatched": [f.show() for f in k_un]}
        cls = "crdlint[%s] vs oracle[%s]" % (
            ",".join(sorted({"%s/%s" % (f.label, f.reason) for f in c_un})) or "-",
            ",".join(sorted({f.label for f in k_un})) or "-")
        return "diff-messages", cls, record
    return "agree-invalid", "", record


def shape_keep(f):
    return f if f is not None else "(none)"


def rules_of(findings):
    return ",".join(sorted({f.label for f in findings if f.label}))


def labels_of(findings):
    return ",".join(sorted({f.label for f in findings}))


def kv_label_summary(state, findings, note):
    if state == "valid":
        return "Success"
    if state == "not-validated":
        return note.replace("oracle: ", "")
    return labels_of(findings)


def load_labels(path):
    if not path:
        return {}
    with open(path) as fh:
        m = json.load(fh)
    if isinstance(m, list):
        m = {x["file"]: x.get("category") or x.get("label") for x in m}
    return m


def label_for(labels, path):
    if not labels:
        return None
    if path in labels:
        return labels[path]
    b = os.path.basename(path)
    if b in labels:
        return labels[b]
    for k, v in labels.items():
        if path.endswith("/" + k):
            return v
    return None


def numbering_check(yo, cl_diags):
    """crdlint's diagnostic lines must fall inside the oracle's document of the same index."""
    bad = []
    docs = yo.get("documents") or []
    for d in cl_diags:
        i, line = d.get("document"), d.get("line")
        if i is None or line is None or (line == 1 and d.get("column") == 1 and d.get("end_line") == 1
                                         and d.get("rule", "").startswith("input/")):
            continue
        if i >= len(docs):
            bad.append((i, line, "no oracle document %d" % i))
            continue
        s = docs[i]["start_line"]
        e = s + max(docs[i]["lines"], 1) + 1  # +1: the terminating '---' is reported in some cases
        if not (s - 1 <= line <= e):
            bad.append((i, line, "oracle document %d spans lines %d-%d" % (i, s, e - 2)))
    return bad


def mode_validate(args):
    log = make_log(args)
    files, missing = collect_files(args.paths)
    if not files:
        raise SystemExit("no manifest files found in %s" % args.paths)
    crd_dir, tmp = prepare_crd_dir(args.crds, log)
    try:
        check_kv_crds(args, crd_dir)
        log("kubectl-validate on %d files ..." % len(files))
        t0 = now()
        kv = run_kubectl_validate(args, files, crd_dir, log)
        t1 = now()
        log("  %.1fs; crdlint ..." % (t1 - t0))
        cl = run_crdlint(args, files, [crd_dir] if crd_dir else [], log)
        t2 = now()
        log("  %.1fs" % (t2 - t1))
        yo = {}
        if args.yamloracle:
            yo = {k: v for k, v in run_yamloracle(args, files, log).items()
                  if not isinstance(v, ToolFailure)}
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    labels = load_labels(args.labels)
    companions = set(x for x in (args.companions or "").split(",") if x)

    counts = collections.Counter()
    by_label = collections.defaultdict(collections.Counter)
    classes = collections.defaultdict(list)
    numbering = []
    ndocs = 0
    for f in files:
        k = norm_key(f)
        kres = kv.get(k)
        cres = cl.get(k)
        lab = label_for(labels, f)
        if isinstance(cres, ToolFailure):
            cat, cls = "crdlint-not-validated", "crdlint failed: %s" % str(cres)[:120]
            counts[cat] += 1
            classes[(cat, cls)].append({"file": f, "document": None, "label": lab})
            continue
        cdiags = cres or []
        per_doc = collections.defaultdict(list)
        file_level = []
        for d in cdiags:
            (file_level if d.get("document") is None else per_doc[d["document"]]).append(d)
        if isinstance(kres, ToolFailure):
            kdocs = None
            n_kv = 1
        else:
            kdocs = kres or []
            n_kv = len(kdocs)
        n = max([n_kv] + [i + 1 for i in per_doc]
                + ([1] if file_level else [])
                + ([len(yo[k]["documents"])] if k in yo else []))
        if yo.get(k):
            for b in numbering_check(yo[k], cdiags):
                numbering.append({"file": f, "document": b[0], "line": b[1], "problem": b[2]})
        for i in range(n):
            ndocs += 1
            kvst = kres if kdocs is None else (kdocs[i] if i < len(kdocs) else None)
            cat, cls, rec = compare_doc(kvst, file_level + per_doc.get(i, []), companions)
            counts[cat] += 1
            if lab is not None:
                by_label[lab][cat] += 1
            if k in yo and i < len(yo[k]["documents"]):
                rec["yaml_start_line"] = yo[k]["documents"][i]["start_line"]
            if cat not in AGREE or args.keep_agree:
                rec.update({"file": f, "document": i, "label": lab})
                classes[(cat, cls)].append(rec)

    summary = {"files": len(files), "missing_paths": missing, "documents": ndocs,
               "categories": {c: counts.get(c, 0) for c, _ in CATEGORIES},
               "kubectl_validate_seconds": round(t1 - t0, 2), "crdlint_seconds": round(t2 - t1, 2)}
    report = {
        "mode": "validate",
        "tools": {"crdlint": args.crdlint, "kubectl-validate": args.kv, "kube_version": args.kube_version,
                  "crds": args.crds, "companions": sorted(companions)},
        "summary": summary,
        "by_label": {k: dict(v) for k, v in sorted(by_label.items())},
        "numbering_mismatches": numbering,
        "classes": [
            {"category": cat, "class": cls, "count": len(items), "items": items}
            for (cat, cls), items in sorted(classes.items(), key=lambda kv_: (cat_order(kv_[0][0]), -len(kv_[1]), kv_[0][1]))
        ],
    }
    print_validate(report, args)
    write_json(report, args.json_out)
    bad = sum(v for c, v in counts.items() if c in ("diff-paths", "diff-messages", "crdlint-only", "oracle-only"))
    return 1 if bad else 0


def cat_order(c):
    return [x for x, _ in CATEGORIES].index(c) if c in [x for x, _ in CATEGORIES] else 99


def print_validate(report, args):
    s = report["summary"]
    out = sys.stdout
    out.write("crdlint vs kubectl-validate: %d files, %d documents (kubectl-validate %.1fs, crdlint %.1fs)\n\n"
              % (s["files"], s["documents"], s["kubectl_validate_seconds"], s["crdlint_seconds"]))
    w = max(len(t) for _, t in CATEGORIES)
    for c, title in CATEGORIES:
        out.write("  %-*s %7d\n" % (w, title, s["categories"][c]))
    if s["missing_paths"]:
        out.write("  paths not found: %s\n" % ", ".join(s["missing_paths"]))
    if report["numbering_mismatches"]:
        out.write("\n  document-numbering mismatches (crdlint line outside the oracle's document): %d\n"
                  % len(report["numbering_mismatches"]))
        for m in report["numbering_mismatches"][:5]:
            out.write("    %s doc %s line %s: %s\n" % (m["file"], m["document"], m["line"], m["problem"]))
    if report["by_label"]:
        cats = [c for c, _ in CATEGORIES if any(v.get(c) for v in report["by_label"].values())]
        out.write("\nBy label:\n  %-24s %s\n" % ("label", " ".join("%14s" % c[:14] for c in cats)))
        for lab, v in report["by_label"].items():
            out.write("  %-24s %s\n" % (str(lab)[:24], " ".join("%14d" % v.get(c, 0) for c in cats)))
    out.write("\nDisagreement classes (count, class; up to %d examples):\n" % args.examples)
    for c in report["classes"]:
        if c["category"] in AGREE:
            continue
        out.write("\n[%s] x%d  %s\n" % (c["category"], c["count"], c["class"]))
        for it in c["items"][: args.examples]:
            out.write("   - %s #%s%s\n" % (it["file"], it["document"],
                                          (" (%s)" % it["label"]) if it.get("label") is not None else ""))
            if "oracle" not in it:
                continue
            o = it["oracle"]
            if o["state"] == "not-validated":
                out.write("       oracle : %s\n" % o["note"])
            elif not o["findings"]:
                out.write("       oracle : Success\n")
            for fnd in o["findings"]:
                out.write("       oracle : %s\n" % trunc(fnd["message"], args.width))
            ds = it["crdlint"]["diagnostics"]
            if not ds:
                out.write("       crdlint: (no diagnostics)\n")
            for d in ds:
                out.write("       crdlint: %s %s: %s\n" % (d["severity"][0].upper(), d["rule"], trunc(d["message"], args.width)))


def trunc(s, n):
    s = (s or "").replace("\n", "\\n")
    return s if len(s) <= n else s[: n - 3] + "..."


# ---------------------------------------------------------------------------------------------
# mode: yaml

YAML_CATS = [
    ("agree-accept", "agree: both accept"),
    ("agree-reject", "agree: both reject"),
    ("crdlint-only", "crdlint-only reject"),
    ("oracle-only", "oracle-only reject"),
]


def norm_msg(s):
    s = re.sub(r"^yaml: ", "", s or "")
    s = re.sub(r"line \d+", "line N", s)
    s = re.sub(r'"[^"]*"', '"…"', s)
    s = re.sub(r"\b\d+\b", "N", s)
    return s.split("\n")[0] if not s.startswith("unmarshal errors") else s.replace("\n", " ")


def mode_yaml(args):
    log = make_log(args)
    files, missing = collect_files(args.paths)
    if not files:
        raise SystemExit("no files found in %s" % args.paths)
    log("yamloracle on %d files ..." % len(files))
    yo = run_yamloracle(args, files, log)
    log("crdlint ...")
    cl = run_crdlint(args, files, [], log)
    counts = collections.Counter()
    classes = collections.defaultdict(list)
    ndocs = 0
    for f in files:
        k = norm_key(f)
        o = yo.get(k)
        c = cl.get(k)
        if isinstance(o, ToolFailure) or isinstance(c, ToolFailure):
            counts["tool-failure"] += 1
            classes[("tool-failure", "oracle" if isinstance(o, ToolFailure) else "crdlint")].append(
                {"file": f, "error": str(o if isinstance(o, ToolFailure) else c)})
            continue
        odocs = o.get("documents") or []
        cdiags = [d for d in (c or []) if d.get("severity") == "error"
                  and (d.get("rule", "").startswith("yaml/") or d.get("rule") in ("input/encoding",))]
        per_doc = collections.defaultdict(list)
        file_level = []
        for d in cdiags:
            (file_level if d.get("document") is None else per_doc[d["document"]]).append(d)
        stop = o.get("file_error")
        n = max([len(odocs), 1 if (file_level or not odocs) else 0] + [i + 1 for i in per_doc])
        split_note = None
        if o.get("split_stop"):
            split_note = o["split_stop"]
            if is_yaml_name(f):
                try:
                    with open(f, "rb") as fh:
                        _, pdocs, pstop = kv_split_lines(fh.read())
                    if pstop:
                        split_note = "line %d: %s" % (pstop[0] + 1, pstop[1])
                except OSError:
                    pass
        for i in range(n):
            od = odocs[i] if i < len(odocs) else None
            ds = file_level + per_doc.get(i, [])
            if od is None:
                if not odocs and not ds:
                    # empty file (or everything dropped) and crdlint agrees: nothing to compare
                    if split_note:
                        counts["agree-accept"] += 1
                    continue
                o_rej, o_msg = False, ("oracle: no document %d (%s)" % (i, split_note or stop or "file has fewer documents"))
            else:
                o_rej = od.get("error") is not None
                o_msg = od.get("error")
            c_rej = bool(ds)
            ndocs += 1
            if o_rej and c_rej:
                cat = "agree-reject"
            elif not o_rej and not c_rej:
                cat = "agree-accept"
            elif c_rej:
                cat = "crdlint-only"
            else:
                cat = "oracle-only"
            counts[cat] += 1
            if cat == "crdlint-only":
                cls = "%s: %s%s" % (ds[0]["rule"], norm_msg(ds[0]["message"]),
                                    " | oracle dropped the document (invalid separator)" if od is None and split_note else "")
            elif cat == "oracle-only":
                cls = "%s: %s" % (od.get("stage"), norm_msg(o_msg))
            elif cat == "agree-reject":
                cls = "%s | %s" % (ds[0]["rule"], od.get("stage"))
            else:
                cls = ""
            if cat in ("crdlint-only", "oracle-only") or (args.keep_agree and cat == "agree-reject"):
                classes[(cat, cls)].append({
                    "file": f, "document": i,
                    "start_line": od["start_line"] if od else None,
                    "oracle": {"error": o_msg, "stage": od.get("stage") if od else None,
                               "json": od.get("json") if od else None},
                    "crdlint": [{k2: d.get(k2) for k2 in ("line", "column", "rule", "message")} for d in ds],
                })
    report = {
        "mode": "yaml",
        "tools": {"crdlint": args.crdlint, "yamloracle": args.yamloracle},
        "summary": {"files": len(files), "missing_paths": missing, "documents": ndocs,
                    "categories": {c: counts.get(c, 0) for c, _ in YAML_CATS},
                    "tool_failures": counts.get("tool-failure", 0)},
        "classes": [{"category": cat, "class": cls, "count": len(items), "items": items}
                    for (cat, cls), items in sorted(classes.items(), key=lambda x: (x[0][0], -len(x[1]), x[0][1]))],
    }
    out = sys.stdout
    s = report["summary"]
    out.write("YAML accept/reject, crdlint vs yamloracle: %d files, %d documents\n\n" % (s["files"], s["documents"]))
    for c, t in YAML_CATS:
        out.write("  %-24s %7d\n" % (t, s["categories"][c]))
    if s["tool_failures"]:
        out.write("  %-24s %7d\n" % ("tool failures", s["tool_failures"]))
    out.write("\nDisagreement classes:\n")
    for c in report["classes"]:
        if c["category"].startswith("agree"):
            continue
        out.write("\n[%s] x%d  %s\n" % (c["category"], c["count"], c["class"]))
        for it in c["items"][: args.examples]:
            if "oracle" not in it:
                out.write("   - %s: %s\n" % (it["file"], it.get("error")))
                continue
            out.write("   - %s #%d%s\n" % (it["file"], it["document"],
                                            " (document starts at line %s)" % it["start_line"] if it["start_line"] else ""))
            out.write("       oracle : %s\n" % trunc(it["oracle"]["error"] or ("accepts: " + str(it["oracle"]["json"])), args.width))
            if not it["crdlint"]:
                out.write("       crdlint: accepts\n")
            for d in it["crdlint"]:
                out.write("       crdlint: line %s %s: %s\n" % (d.get("line"), d["rule"], trunc(d["message"], args.width)))
    write_json(report, args.json_out)
    return 1 if counts.get("crdlint-only") or counts.get("oracle-only") else 0


# ---------------------------------------------------------------------------------------------
# mode: record


def parse_expectation(raw, idxs):
    """The leading comment block of a document (FORMAT.md, extended: leading '---' lines are
    skipped like blank lines). Returns (first_idx, end_idx, text) or None."""
    j = 0
    while j < len(idxs):
        line = raw[idxs[j]].rstrip(b"\r")
        if line.strip() == b"" or (line.startswith(b"---") and go_trim_space(line[3:].decode("utf-8", "replace")) == ""):
            j += 1
            continue
        break
    start = j
    parts = []
    while j < len(idxs) and raw[idxs[j]].startswith(b"#"):
        parts.append(raw[idxs[j]].rstrip(b"\r")[1:].decode("utf-8", "replace"))
        j += 1
    if not parts:
        return None
    return start, j, "\n".join(parts)


def status_equal(a, b):
    """Statuses compared as metav1.Status unmarshalling does (empty fields ignored), with the
    causes as a multiset: kubectl-validate's order of causes (and of the message that lists
    them) follows Go's map iteration in places (labels, objectmeta coercion), so it can change
    from run to run."""
    def clean(v):
        if isinstance(v, dict):
            r = {k: clean(x) for k, x in v.items()}
            return {k: x for k, x in r.items() if x not in ("", None, {}, [], 0)}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v

    def unordered(st):
        st = clean(st)
        causes = (st.get("details") or {}).get("causes")
        if isinstance(causes, list) and causes:
            st = dict(st, details=dict(st["details"], causes=sorted(causes, key=lambda c: json.dumps(c, sort_keys=True))))
            st.pop("message", None)
        return st
    return unordered(a) == unordered(b)


def parse_json_text(t):
    if not isinstance(t, str):
        return None
    try:
        return json.loads(t)
    except (ValueError, RecursionError):
        return None


def doc_type(raw, idxs, yo_doc):
    j = parse_json_text((yo_doc or {}).get("json"))
    if isinstance(j, dict):
        av, kd = j.get("apiVersion"), j.get("kind")
        return (av if isinstance(av, str) else None), (kd if isinstance(kd, str) else None)
    av = kd = None
    for i in idxs:
        m = re.match(rb"^(apiVersion|kind):\s*['\"]?([^'\"#\s]+)", raw[i])
        if m:
            v = m.group(2).decode("utf-8", "replace")
            if m.group(1) == b"apiVersion":
                av = av or v
            else:
                kd = kd or v
    return av, kd


def mode_record(args):
    log = make_log(args)
    roots = [os.path.abspath(p) for p in args.paths]
    files, missing = collect_files(args.paths)
    if missing:
        raise SystemExit("not found: %s" % ", ".join(missing))
    files = [f for f in files if os.path.basename(f) not in ("expected_index.json", "ORACLE.json")]
    crd_dir, tmp = prepare_crd_dir(args.crds, log)
    try:
        check_kv_crds(args, crd_dir)
        kv = run_kubectl_validate(args, files, crd_dir, log)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    yo = run_yamloracle(args, files, log) if args.yamloracle else {}

    def rel(f):
        for r in roots:
            if os.path.isdir(r) and (f + "/").startswith(r.rstrip("/") + "/"):
                return os.path.relpath(f, os.path.dirname(r) if len(roots) > 1 else r)
        return os.path.basename(f)

    index, problems, written = [], [], 0
    for f in files:
        k = norm_key(f)
        res = kv.get(k)
        if isinstance(res, ToolFailure):
            problems.append("%s: oracle failed: %s" % (f, res))
            continue
        statuses = res or []
        with open(f, "rb") as fh:
            data = fh.read()
        entry = {"file": rel(f), "active": True, "documents": [],
                 "expect_failure": any(s.get("status") != "Success" for s in statuses)}
        yodocs = (yo.get(k) or {}).get("documents") or []
        if not is_yaml_name(f):
            st = statuses[0] if statuses else None
            entry["documents"].append({"index": 0, "expected": st})
            index.append(entry)
            if not args.check:
                written += write_copy(args, rel(f), data)
            continue
        raw, docs, stop = kv_split_lines(data)
        if stop:
            entry["oracle_note"] = ("kubectl-validate stops splitting at line %d (%s): that document "
                                    "and the rest of the file are not validated" % (stop[0] + 1, stop[1]))
        if len(docs) != len(statuses):
            problems.append("%s: %d documents here, %d statuses from kubectl-validate" % (f, len(docs), len(statuses)))
        inserts = {}  # line index -> (replace_until_idx or None, block lines)
        for i, idxs in enumerate(docs):
            st = statuses[i] if i < len(statuses) else None
            empty = is_empty_doc(raw, idxs)
            d = {"index": i}
            if empty:
                d["empty"] = True
            else:
                av, kd = doc_type(raw, idxs, yodocs[i] if i < len(yodocs) else None)
                d["apiVersion"], d["kind"] = av, kd
            d["expected"] = st
            entry["documents"].append(d)
            if empty or st is None:
                continue
            cur = parse_expectation(raw, idxs)
            cur_status = None
            if cur:
                try:
                    cur_status = json.loads(cur[2])
                except ValueError:
                    cur_status = None
            if args.check:
                if cur_status is None:
                    problems.append("%s #%d: no expectation block" % (f, i))
                elif not status_equal(cur_status, st):
                    problems.append("%s #%d: recorded %s, oracle now says %s"
                                    % (f, i, json.dumps(cur_status)[:300], json.dumps(st)[:300]))
                continue
            eol = b"\r" if sum(raw[x].endswith(b"\r") for x in idxs) * 2 > len(idxs) else b""
            block = [("# " + l).rstrip().encode("utf-8") + eol for l in
                     json.dumps(st, indent=4, ensure_ascii=False).split("\n")]
            if cur and isinstance(cur_status, dict):
                inserts[idxs[cur[0]]] = (idxs[cur[1] - 1], block)  # replace the old block
            else:
                # before the first line that is neither blank nor '---'
                j = 0
                while j < len(idxs) and (raw[idxs[j]].strip() == b"" or raw[idxs[j]].rstrip(b"\r") == b"---"):
                    j += 1
                at = idxs[j] if j < len(idxs) else idxs[-1]
                extra = [eol] if (j < len(idxs) and raw[at].startswith(b"#")) else []
                inserts[at] = (None, block + extra)
        index.append(entry)
        if args.check:
            continue
        out_lines, skip_until = [], -1
        for li, line in enumerate(raw):
            if li <= skip_until:
                continue
            if li in inserts:
                until, block = inserts[li]
                out_lines.extend(block)
                if until is not None:
                    skip_until = until
                    continue
            out_lines.append(line)
        new = b"\n".join(out_lines) + (b"\n" if data.endswith(b"\n") or not data else b"")
        written += write_copy(args, rel(f), new)
        # the annotated file must split exactly as the original did
        _, ndocs, _ = kv_split_lines(new)
        if len(ndocs) != len(docs):
            problems.append("%s: annotation changed the document count (%d -> %d)" % (f, len(docs), len(ndocs)))

    if not args.check:
        meta = {
            "recorded_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "oracle": "kubectl-validate", "binary": args.kv, "kube_version": args.kube_version,
            "crds": args.crds, "extra_args": args.kv_arg or [],
            "oracle_commit": args.oracle_commit,
        }
        os.makedirs(args.out, exist_ok=True)
        write_json(index, os.path.join(args.out, "expected_index.json"))
        write_json(meta, os.path.join(args.out, "ORACLE.json"))
        print("recorded %d files (%d documents) into %s" % (len(index), sum(len(e["documents"]) for e in index), args.out))
    else:
        print("checked %d files (%d documents)" % (len(index), sum(len(e["documents"]) for e in index)))
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


def write_copy(args, relpath, data):
    dst = os.path.join(args.out, relpath)
    if os.path.abspath(dst) in [os.path.abspath(p) for p in args.paths] or \
            any(os.path.abspath(dst).startswith(os.path.abspath(p) + "/") for p in args.paths if os.path.isdir(p)):
        if not args.in_place:
            raise SystemExit("refusing to overwrite %s (inside the cases; pass --in-place)" % dst)
    os.makedirs(os.path.dirname(dst) or ".", exist_ok=True)
    with open(dst, "wb") as fh:
        fh.write(data)
    return 1


# ---------------------------------------------------------------------------------------------


def now():
    import time
    return time.monotonic()


def make_log(args):
    def log(msg):
        if not args.quiet:
            sys.stderr.write(msg + "\n")
            sys.stderr.flush()
    return log


def write_json(obj, path):
    if not path:
        return
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, indent=1, ensure_ascii=False)
        fh.write("\n")


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="mode", required=True)

    def common(p, kv=True, crdlint=True, yo=True):
        p.add_argument("paths", nargs="+", help="manifest files, directories (recursive) or @LIST files")
        if crdlint:
            p.add_argument("--crdlint", help="crdlint binary (env CRDLINT; default target/release/crdlint)")
            p.add_argument("--crdlint-arg", action="append", help="extra argument for crdlint check (repeatable)")
            p.add_argument("--use-config", action="store_true", help="let crdlint read crdlint.toml (default: --no-config)")
        if kv:
            p.add_argument("--kv", help="kubectl-validate binary (env KUBECTL_VALIDATE)")
            p.add_argument("--crds", action="append", help="CRD directory or file (repeatable)")
            p.add_argument("--kube-version", default="1.35", help="kubectl-validate --version (default 1.35)")
            p.add_argument("--kv-arg", action="append", help="extra argument for kubectl-validate (repeatable), "
                                                            "e.g. --kv-arg=--schema-patches=DIR")
        p.add_argument("--yamloracle", help="yamloracle binary (env YAMLORACLE)%s" % ("" if yo else ""))
        p.add_argument("--timeout", type=float, default=900, help="seconds per tool run (default 900)")
        p.add_argument("--max-arg-bytes", type=int, default=1_000_000,
                       help="split file lists longer than this over several runs (default 1e6)")
        p.add_argument("--json-out", help="write the full report as JSON to this file")
        p.add_argument("--examples", type=int, default=2, help="examples printed per class (default 2)")
        p.add_argument("--width", type=int, default=220, help="truncate printed messages (default 220)")
        p.add_argument("--keep-agree", action="store_true", help="also list agreeing documents in the JSON")
        p.add_argument("-q", "--quiet", action="store_true")

    pv = sub.add_parser("validate", help="verdicts, paths and messages vs kubectl-validate")
    common(pv)
    pv.add_argument("--labels", help="JSON {file name or path: label} (e.g. widgets manifest.json)")
    pv.add_argument("--companions", default=DEFAULT_COMPANIONS,
                    help="non-error crdlint rules compared as findings when crdlint says invalid "
                         "(default %s; '' for none)" % DEFAULT_COMPANIONS)
    py = sub.add_parser("yaml", help="YAML accept/reject vs yamloracle")
    common(py, kv=False)
    pr = sub.add_parser("record", help="record kubectl-validate verdicts into fixtures")
    common(pr, crdlint=False)
    pr.add_argument("--out", help="output directory (annotated copies + expected_index.json + ORACLE.json)")
    pr.add_argument("--in-place", action="store_true", help="allow --out to overwrite the cases themselves")
    pr.add_argument("--check", action="store_true", help="compare existing expectation blocks with the oracle, write nothing")
    pr.add_argument("--oracle-commit", default=None, help="kubectl-validate commit, stored in ORACLE.json")

    args = ap.parse_args(argv)
    if hasattr(args, "crdlint"):
        args.crdlint = find_binary(args.crdlint, "CRDLINT", ["crdlint"],
                                   [os.path.join(repo, "target/release/crdlint")])
        if not args.crdlint:
            ap.error("crdlint binary not found (--crdlint or $CRDLINT)")
    if hasattr(args, "kv"):
        args.kv = find_binary(args.kv, "KUBECTL_VALIDATE", ["kubectl-validate"], ["/work/tools/bin/kubectl-validate"])
        if not args.kv:
            ap.error("kubectl-validate binary not found (--kv or $KUBECTL_VALIDATE)")
    args.yamloracle = find_binary(args.yamloracle, "YAMLORACLE", ["yamloracle"], ["/work/tools/bin/yamloracle"])
    if args.mode == "yaml" and not args.yamloracle:
        ap.error("yamloracle binary not found (--yamloracle or $YAMLORACLE)")
    if args.mode == "record" and not args.check and not args.out:
        ap.error("record needs --out DIR (or --check)")
    if args.mode == "validate":
        return mode_validate(args)
    if args.mode == "yaml":
        return mode_yaml(args)
    return mode_record(args)


if __name__ == "__main__":
    sys.exit(main())
