#!/usr/bin/env python3
"""Random structural CRDs and custom resources for `diff.py validate` (crdlint vs the oracle).

    python3 gen_cases.py --seed 1 --crds 60 --crs-per-crd 40 OUT_DIR
    python3 diff.py validate --crds OUT_DIR/crds OUT_DIR/crs

Writes OUT_DIR/crds/NNN.yaml (one CRD each) and OUT_DIR/crs/NNN-MMM.yaml (one custom resource
each, one document). Everything is deterministic from --seed.

CRDs: random structural schemas using every type, nested objects, arrays and maps
(additionalProperties), required, enum, pattern, min/max Length/Items/Properties,
minimum/maximum/exclusive*, multipleOf (also fractional), format, nullable, valid defaults,
x-kubernetes-int-or-string (bare and with its anyOf pattern), x-kubernetes-preserve-unknown-fields,
x-kubernetes-embedded-resource, x-kubernetes-list-type atomic/set/map with list-map-keys,
x-kubernetes-map-type, allOf/anyOf/oneOf/not value validations, and simple
x-kubernetes-validations CEL rules (comparisons, has(), size(), matches(), all(), a transition
rule, messageExpression, reason, fieldPath).

Unless --no-oracle, every CRD is first validated as an object by kubectl-validate (the API
server's CRD strategy); the CRDs it refuses are dropped (with their reasons in
OUT_DIR/dropped.json) and no resource is written for them, so the remaining set loads.

Custom resources: values near and across each constraint: nulls everywhere, YAML 1.1 scalars
(yes/no/on/off/0777/0x1F/1_000/1e3/.inf/~), quoted vs plain, integers beyond int64, fractions in
integer fields, unicode, empty strings/maps/lists, missing required fields, duplicate set items and
list-map keys, embedded resources with and without apiVersion/kind/metadata, metadata names,
labels, annotations, generateName and namespace. Unknown fields only in a minority of resources
(--unknown-rate), since kubectl-validate then reports only those. `status` is written only when
the CRD has no status subresource.

Python 3.8+, standard library only.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import random as _random

# ---------------------------------------------------------------------------------------------
# YAML emission


class Plain(str):
    """A scalar written verbatim, unquoted (YAML 1.1 traps: yes, 0x1F, 1_000, .inf, ~ ...)."""


YAML11_SPECIAL = re.compile(
    r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|"
    r"null|Null|NULL|~|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|<<)$")
NUMBERISH = re.compile(r"^[-+]?(\.?[0-9]|0[xXoObB])")
SAFE_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./-]*$")


def plain_ok(s):
    return bool(SAFE_PLAIN.match(s)) and not YAML11_SPECIAL.match(s) and not NUMBERISH.match(s) \
        and not s.endswith(":") and "-" != s[-1:] and len(s) < 120


def dq(s):
    out = []
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x20 or o == 0x7F or o in (0x85, 0x2028, 0x2029) or 0xD800 <= o <= 0xDFFF or o == 0xFEFF:
            out.append("\\u%04x" % o if o <= 0xFFFF else "\\U%08x" % o)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def sq(s):
    return "'" + s.replace("'", "''") + "'"


class Emitter:
    def __init__(self, rng, style=True):
        self.rng = rng
        self.style = style  # vary quoting and flow style

    def scalar(self, v, key=False):
        if isinstance(v, Plain):
            return str(v)
        if v is None:
            if key:
                return '""'
            return self.rng.choice(["null", "null", "~", "Null", "NULL"]) if self.style else "null"
        if v is True:
            return "true"
        if v is False:
            return "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, float):
            r = repr(v)
            if r in ("inf", "-inf", "nan"):
                return {"inf": ".inf", "-inf": "-.inf", "nan": ".nan"}[r]
            return r
        s = str(v)
        simple = "\n" not in s and all(0x20 <= ord(c) != 0x7F for c in s) and not any(
            0xD800 <= ord(c) <= 0xDFFF or ord(c) in (0x85, 0x2028, 0x2029, 0xFEFF) for c in s)
        if plain_ok(s) and (not self.style or self.rng.random() < (0.9 if key else 0.7)):
            return s
        if simple and self.style and self.rng.random() < 0.3:
            return sq(s)
        return dq(s)

    def flowable(self, v, depth=0):
        if depth > 2:
            return False
        if isinstance(v, dict):
            return len(v) <= 3 and all(self.flowable(x, depth + 1) for x in v.values())
        if isinstance(v, list):
            return len(v) <= 4 and all(self.flowable(x, depth + 1) for x in v)
        return not (isinstance(v, str) and "\n" in v)

    def flow(self, v):
        if isinstance(v, dict):
            return "{" + ", ".join("%s: %s" % (self.scalar(k, True), self.flow(x)) for k, x in v.items()) + "}"
        if isinstance(v, list):
            return "[" + ", ".join(self.flow(x) for x in v) + "]"
        s = self.scalar(v)
        if isinstance(v, Plain) and any(c in s for c in ",[]{}#"):
            return dq(s)
        return s

    def block(self, v, indent):
        """Lines for a mapping or sequence at `indent`."""
        pad = " " * indent
        lines = []
        if isinstance(v, dict):
            for k, x in v.items():
                ks = self.scalar(k, True)
                if isinstance(x, (dict, list)) and x:
                    if self.style and self.rng.random() < 0.12 and self.flowable(x):
                        lines.append("%s%s: %s" % (pad, ks, self.flow(x)))
                    else:
                        lines.append("%s%s:" % (pad, ks))
                        lines.extend(self.block(x, indent + 2))
                elif isinstance(x, dict):
                    lines.append("%s%s: {}" % (pad, ks))
                elif isinstance(x, list):
                    lines.append("%s%s: []" % (pad, ks))
                elif x is None and self.style and self.rng.random() < 0.25:
                    lines.append("%s%s:" % (pad, ks))  # an empty value is null too
                else:
                    lines.append("%s%s: %s" % (pad, ks, self.scalar(x)))
        else:
            for x in v:
                if isinstance(x, (dict, list)) and x:
                    sub = self.block(x, indent + 2)
                    sub[0] = pad + "- " + sub[0][indent + 2:]
                    lines.extend(sub)
                elif isinstance(x, dict):
                    lines.append(pad + "- {}")
                elif isinstance(x, list):
                    lines.append(pad + "- []")
                else:
                    lines.append(pad + "- " + self.scalar(x))
        return lines

    def document(self, v):
        return "\n".join(self.block(v, 0)) + "\n"


def strip_private(s):
    """A schema without the generator's bookkeeping keys (those starting with '_')."""
    if isinstance(s, dict):
        return {k: strip_private(v) for k, v in s.items() if not k.startswith("_")}
    if isinstance(s, list):
        return [strip_private(v) for v in s]
    return s


# ---------------------------------------------------------------------------------------------
# tables: patterns and formats with examples on both sides

PATTERNS = [
    # (Go regexp, matching examples, non-matching examples)
    (r"^[a-z]+$", ["abc", "z", "hello"], ["ABC", "a1", "a\n", "ab c"]),
    (r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", ["my-name", "a1", "x"], ["-a", "A", "a_b", "a-"]),
    (r"^\d+(\.\d+)?$", ["10", "3.14", "0"], ["1.", "x", "١٢"]),
    (r"^(Always|Never|IfNotPresent)$", ["Always", "Never"], ["always", "Sometimes"]),
    (r"^\p{L}+$", ["héllo", "日本", "Ωmega"], ["a1", "a b", "😀"]),
    (r"^.{2,5}$", ["ab", "😀😀", "ééé"], ["a", "abcdef", "😀"]),
    (r"[[:upper:]]", ["aBc", "X"], ["abc", "éé"]),
    (r"^\S+$", ["x", "a-b"], ["a b", "\tx"]),
    (r"^[^/]+/[^/]+$", ["a/b", "team/app"], ["a", "a/b/c", "/b"]),
    (r"(?i)^abc$", ["ABC", "abc", "aBc"], ["abd", "abcc"]),
    (r"^\w+@\w+\.com$", ["me@host.com"], ["me@host.org", "é@host.com"]),
    (r"é", ["café", "é"], ["cafe", "e\u0301"]),
    (r"^[a-z]+\z", ["abc"], ["abc\n", "Abc"]),
    (r"^(\d+|\d+%)$", ["10", "50%"], ["10.5", "%"]),
    (r"^$|^v\d+$", ["", "v1", "v10"], ["1", "v"]),
]

FORMATS = {
    "date-time": (["2023-01-02T03:04:05Z", "2023-01-02T03:04:05.123+02:00", "2024-02-29T23:59:59.999999999Z"],
                  ["2023-01-02", "2023-13-02T00:00:00Z", "yesterday", "2023-01-02T25:00:00Z", "2023-01-02t03:04:05z",
                   "2023-01-02 03:04:05Z"]),
    "date": (["2024-02-29", "1999-12-31"], ["2023-02-29", "2024-1-5", "20240101", "2024-01-01T00:00:00Z"]),
    "byte": (["aGVsbG8=", "", "YWJj"], ["hello!", "aGVsbG8", "a"]),
    "uuid": (["123e4567-e89b-12d3-a456-426614174000", "123E4567E89B12D3A456426614174000"],
             ["123e4567-e89b-12d3-a456-42661417400", "xyz", "123e4567-e89b-12d3-a456-4266141740000"]),
    "uuid4": (["123e4567-e89b-42d3-a456-426614174000"], ["123e4567-e89b-12d3-a456-426614174000"]),
    "email": (["a@b.co", "Jane <jane@example.com>", "x.y+z@example.org"], ["a@", "@b", "a b@c", "plain"]),
    "hostname": (["example.com", "a", "my-host.local"], ["-a.com", "a_b", "a..b", "x" * 64 + ".com", "é.com"]),
    "ipv4": (["10.0.0.1", "255.255.255.255", "::ffff:1.2.3.4", "010.0.0.1"], ["256.1.1.1", "10.0.0", "::1", "a.b.c.d"]),
    "ipv6": (["::1", "2001:db8::1", "::ffff:10.0.0.1"], ["gggg::", "1:2:3:4:5:6:7:8:9", "2001:db8::/32"]),
    "cidr": (["10.0.0.0/8", "2001:db8::/32", "10.1.2.3/24"], ["10.0.0.0/33", "10.0.0.0", "x/8"]),
    "mac": (["01:23:45:67:89:ab", "01-23-45-67-89-AB", "0123.4567.89ab"], ["01:23:45:67:89", "zz:23:45:67:89:ab"]),
    "duration": (["1h", "30s", "1h30m", "22 ns", "3 days", "1.5h", "-5m"], ["1x", "h1", "", "5 parsecs"]),
    "uri": (["https://example.com/x", "/relative/path", "mailto:me@example.com"], ["example.com", "http://[::1", "", "x y"]),
    "hexcolor": (["#FFFFFF", "#abc", "fff"], ["#GGGGGG", "#ff", "red"]),
    "rgbcolor": (["rgb(255,255,255)", "rgb(0, 0, 0)"], ["rgb(256,0,0)", "rgba(0,0,0,1)"]),
    "isbn10": (["0321751043"], ["0321751044", "123"]),
    "ssn": (["123-45-6789", "123456789"], ["123-456-789", "12-345-6789"]),
    "bsonobjectid": (["507f1f77bcf86cd799439011"], ["507f1f77bcf86cd79943901", "zzzf1f77bcf86cd799439011"]),
    "password": (["anything", ""], []),
    "k8s-short-name": (["my-name", "a"], ["My-name", "a.b", "-a", "x" * 64]),
    "k8s-long-name": (["my.name", "a-b.c"], ["My.name", "a..b", "a_b"]),
    "hostname-unknown": (["whatever"], []),  # written as format "hostnamex": an unknown format, ignored
}
INT_FORMATS = ["int32", "int64"]
NUM_FORMATS = ["float", "double"]

WORDS = ["alpha", "beta", "gamma", "delta", "foo", "bar", "baz", "qux", "zeta", "omega", "web", "db",
         "north", "south", "blue", "green", "x", "app", "main", "edge"]
UNICODE = ["é", "ü", "日本", "😀", "ß", "Ω", "ﬀ", "e\u0301", "中文字", "ñ", "Å", "🇫🇷", "\u00a0", "ä"]
PROP_NAMES = ["name", "size", "count", "mode", "enabled", "ratio", "tags", "labels", "items", "config",
              "ref", "port", "host", "when", "id", "data", "extra", "nested", "limit", "level", "kind2",
              "target", "weight", "owner", "policy", "rules", "entries", "dash-key", "in", "namespace",
              "dot.key", "x_y", "uid2", "image", "selector"]
CEL_SAFE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
CEL_RESERVED = {"in", "as", "break", "const", "continue", "else", "for", "function", "if", "import",
                "let", "loop", "package", "namespace", "return", "var", "void", "while", "true",
                "false", "null"}
YAML11_SCALARS = ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "Off", "~", "null", "0777", "0x1F",
                  "1_000", "1e3", ".inf", "-.inf", ".nan", "0o17", "0b101", "+12", ".5", "-0", "1.",
                  "2001-12-14", "2001-12-14T21:59:43.10-05:00", "12:30", "1e400", "true", "False",
                  "9223372036854775808", "0.1e1", "1E3", "-0x1F", "12_3.4_5", "0b1_0"]
BIG_INTS = [9223372036854775807, 9223372036854775808, -9223372036854775808, -9223372036854775809,
            18446744073709551615, 18446744073709551616, 10 ** 30, 2147483647, 2147483648, -2147483649,
            4294967296, 9007199254740993]


def cel_name(p):
    """A property name as CEL reaches it (the server's escaping), or None when it cannot."""
    if p in CEL_RESERVED:
        return "__%s__" % p
    if CEL_SAFE.match(p):
        return p
    if re.match(r"^[A-Za-z_][A-Za-z0-9_.\-/]*$", p):
        return p.replace("__", "__underscores__").replace(".", "__dot__").replace("-", "__dash__") \
            .replace("/", "__slash__")
    return None


# formats that give a CEL value another type than string (bytes, timestamp, duration)
CEL_TYPED_FORMATS = ("byte", "date-time", "date", "duration")


def field_path(p):
    """A rule's fieldPath to property p (the server's JSON-path subset)."""
    return "." + p if CEL_SAFE.match(p) else "['%s']" % p


def go_len(s):
    return len(s)  # code points, as kube-openapi counts (utf8.RuneCountInString)


# ---------------------------------------------------------------------------------------------
# schemas


class SchemaGen:
    def __init__(self, rng):
        self.rng = rng

    def chance(self, p):
        return self.rng.random() < p

    def inherit(self, ctx, *extra):
        """The flags a child keeps from its parent's context, plus extra ones."""
        return {f for f in ctx if f in ("unbounded", "inlist")} | set(extra)

    def node(self, depth, ctx=None):
        """A random schema node. ctx: set of restrictions ('scalar', 'noobj', 'set', 'key', 'cel',
        and the inherited 'unbounded' (under a list or map without a bound) and 'inlist' (under
        the items of a list that is not a map list: no transition rules there))."""
        ctx = ctx or set()
        r = self.rng
        kinds = [("string", 26), ("integer", 13), ("number", 6), ("boolean", 6)]
        if "scalar" not in ctx:
            kinds += [("ios", 5)]
            if depth < 4 and "noobj" not in ctx:
                kinds += [("object", 16), ("map", 8), ("array", 13), ("preserve", 3), ("embedded", 3)]
        total = sum(w for _, w in kinds)
        x = r.uniform(0, total)
        for k, w in kinds:
            x -= w
            if x <= 0:
                break
        self.ctx = ctx
        s = getattr(self, "n_" + k)(depth, ctx)
        if "key" not in ctx and "set" not in ctx and self.chance(0.13) and "x-kubernetes-int-or-string" not in s:
            s["nullable"] = True
        return s

    # --- leaves

    def n_string(self, depth, ctx):
        r = self.rng
        s = {"type": "string", "_kind": "string"}
        x = r.random()
        if x < 0.18:
            vals = r.sample(WORDS, r.randint(1, 4))
            if self.chance(0.2):
                vals.append(r.choice(["on", "yes", "1", "", "é", "null", "Ω-x"]))
            s["enum"] = vals
        elif x < 0.38:
            f = r.choice(sorted(FORMATS))
            s["format"] = "hostnamex" if f == "hostname-unknown" else f
            s["_fmt"] = f
        elif x < 0.55:
            s["_pat"] = r.randrange(len(PATTERNS))
            s["pattern"] = PATTERNS[s["_pat"]][0]
        if "enum" not in s and self.chance(0.35):
            lo = r.choice([0, 1, 2, 3])
            if self.chance(0.6):
                s["minLength"] = lo
            if self.chance(0.7):
                s["maxLength"] = lo + r.randint(0, 12)
        if "cel" in ctx and "maxLength" not in s and "enum" not in s:
            s["maxLength"] = r.randint(8, 40)
        self.junctor_leaf(s)
        self.cel_leaf(s, ctx)
        self.maybe_default(s)
        return s

    def n_integer(self, depth, ctx):
        r = self.rng
        s = {"type": "integer", "_kind": "integer"}
        if self.chance(0.25):
            s["format"] = r.choice(INT_FORMATS)
        x = r.random()
        if x < 0.12:
            s["enum"] = sorted(set(r.sample([0, 1, 2, 3, 5, 8, 13, -1, 100, 65535], r.randint(1, 4))))
        else:
            if self.chance(0.5):
                s["minimum"] = r.choice([0, 1, -10, 5, -2147483648, 0])
                if self.chance(0.3):
                    s["exclusiveMinimum"] = True
            if self.chance(0.5):
                lo = s.get("minimum", 0)
                s["maximum"] = max(lo, 0) + r.choice([1, 10, 100, 65535, 2147483647])
                if self.chance(0.3):
                    s["exclusiveMaximum"] = True
            if self.chance(0.25):
                s["multipleOf"] = r.choice([2, 3, 5, 10, 7])
        self.junctor_leaf(s)
        self.cel_leaf(s, ctx)
        self.maybe_default(s)
        return s

    def n_number(self, depth, ctx):
        r = self.rng
        s = {"type": "number", "_kind": "number"}
        if self.chance(0.2):
            s["format"] = r.choice(NUM_FORMATS)
        if self.chance(0.1):
            s["enum"] = r.sample([0.5, 1.5, 2, 3.25, -1, 0], r.randint(1, 3))
        else:
            if self.chance(0.5):
                s["minimum"] = r.choice([0, 0.5, -1.5, 1, 0.1])
                if self.chance(0.3):
                    s["exclusiveMinimum"] = True
            if self.chance(0.5):
                s["maximum"] = max(s.get("minimum", 0), 0) + r.choice([1, 10.5, 100, 0.25, 1e6])
                if self.chance(0.3):
                    s["exclusiveMaximum"] = True
            if self.chance(0.35):
                s["multipleOf"] = r.choice([0.5, 0.25, 0.1, 1.5, 0.01, 2, 0.3])
        self.junctor_leaf(s)
        self.cel_leaf(s, ctx)
        self.maybe_default(s)
        return s

    def n_boolean(self, depth, ctx):
        s = {"type": "boolean", "_kind": "boolean"}
        if self.chance(0.08):
            s["enum"] = [True]
        self.cel_leaf(s, ctx)
        self.maybe_default(s)
        return s

    def n_ios(self, depth, ctx):
        r = self.rng
        s = {"x-kubernetes-int-or-string": True, "_kind": "ios"}
        x = r.random()
        if x < 0.55:
            s["anyOf"] = [{"type": "integer"}, {"type": "string"}]
        elif x < 0.65:
            s["allOf"] = [{"anyOf": [{"type": "integer"}, {"type": "string"}]}]
        if self.chance(0.3):
            s["pattern"] = r"^(\d+|\d+%)$"
        if self.chance(0.2):
            s["maxLength"] = r.randint(1, 4)
        if self.chance(0.2):
            s["minimum"] = 0
        if self.chance(0.15):
            s["maximum"] = 100
        if self.chance(0.1):
            s["x-kubernetes-validations"] = [
                {"rule": "type(self) == int ? self < 1000 : self.endsWith('%')", "message": "ints below 1000 or a percentage"}]
            s["_cel"] = [lambda v: (v < 1000) if isinstance(v, int) and not isinstance(v, bool)
                         else (isinstance(v, str) and v.endswith("%"))]
        self.maybe_default(s)
        return s

    # --- collections

    def props(self, n, exclude=()):
        names = [p for p in PROP_NAMES if p not in exclude]
        return self.rng.sample(names, min(n, len(names)))

    def n_object(self, depth, ctx):
        r = self.rng
        s = {"type": "object", "_kind": "object", "properties": {}}
        for p in self.props(r.randint(1, 5)):
            s["properties"][p] = self.node(depth + 1, self.inherit(ctx, "cel") if self.chance(0.3) else self.inherit(ctx))
        names = list(s["properties"])
        if self.chance(0.55):
            req = r.sample(names, r.randint(1, len(names)))
            s["required"] = sorted(req)
        if self.chance(0.12):
            s["minProperties"] = r.randint(1, 2)
        if self.chance(0.12):
            s["maxProperties"] = r.randint(1, max(1, len(names) - 1))
        if self.chance(0.1):
            s["x-kubernetes-map-type"] = r.choice(["atomic", "granular"])
        if self.chance(0.12) and len(names) >= 2:
            a, b = r.sample(names, 2)
            j = r.choice(["anyOf", "oneOf", "not", "allOf"])
            if j == "not":
                s["not"] = {"required": [a, b]}
                s["_junct"] = [lambda v, a=a, b=b: not (isinstance(v, dict) and a in v and b in v)]
            elif j == "allOf":
                s["allOf"] = [{"required": [a]}]
                s["_junct"] = [lambda v, a=a: isinstance(v, dict) and a in v]
            else:
                s[j] = [{"required": [a]}, {"required": [b]}]
                if j == "anyOf":
                    s["_junct"] = [lambda v, a=a, b=b: isinstance(v, dict) and (a in v or b in v)]
                else:
                    s["_junct"] = [lambda v, a=a, b=b: isinstance(v, dict) and ((a in v) != (b in v))]
        self.cel_object(s, ctx)
        if self.chance(0.05) and not s.get("required") and not s.get("_junct") and not s.get("_cel") \
                and not s.get("minProperties") and not self.subtree_checks(s):
            s["default"] = {}
        return s

    def subtree_checks(self, s):
        """Whether a subtree holds CEL rules or junctors (defaults there are left out)."""
        if not isinstance(s, dict):
            return False
        if s.get("_cel") or s.get("_junct") or "x-kubernetes-validations" in s:
            return True
        for k in ("properties",):
            if any(self.subtree_checks(v) for v in (s.get(k) or {}).values()):
                return True
        for k in ("items", "additionalProperties"):
            if isinstance(s.get(k), dict) and self.subtree_checks(s[k]):
                return True
        return False

    def n_map(self, depth, ctx):
        r = self.rng
        s = {"type": "object", "_kind": "map"}
        if self.chance(0.2):
            s["minProperties"] = r.randint(0, 2)
        if self.chance(0.4):
            s["maxProperties"] = r.randint(max(1, s.get("minProperties", 0)), 4)
        sub = self.inherit(ctx) | (set() if "maxProperties" in s else {"unbounded"})
        if depth >= 2:
            sub.add("noobj")
        s["additionalProperties"] = self.node(depth + 1, sub)
        if self.chance(0.08):
            s["x-kubernetes-map-type"] = r.choice(["atomic", "granular"])
        if self.chance(0.2) and "unbounded" not in ctx:
            if "maxProperties" not in s:
                s["maxProperties"] = r.randint(2, 6)
            rules = [
                ("self.all(k, k.size() <= 8)", "keys are at most 8 characters", lambda v: all(len(k) <= 8 for k in v)),
                ("!('forbidden' in self)", "the key forbidden is not allowed", lambda v: "forbidden" not in v),
                ("self.size() != 3", None, lambda v: len(v) != 3),
            ]
            rule, msg, pred = r.choice(rules)
            rd = {"rule": rule}
            if msg:
                rd["message"] = msg
            s["x-kubernetes-validations"] = [rd]
            s["_cel"] = [lambda v, pred=pred: not isinstance(v, dict) or pred(v)]
        return s

    def n_array(self, depth, ctx):
        r = self.rng
        lt = r.choice([None, None, "atomic", "set", "set", "map", "map"])
        s = {"type": "array", "_kind": "array"}
        if self.chance(0.25):
            s["minItems"] = r.randint(0, 2)
        if self.chance(0.45):
            s["maxItems"] = s.get("minItems", 0) + r.randint(1, 4)
        sub = self.inherit(ctx) | (set() if "maxItems" in s else {"unbounded"})
        if lt != "map":
            sub.add("inlist")
        if lt == "set":
            it = self.node(depth + 1, sub | {"scalar", "set"})
            it.pop("default", None)
            s["items"] = it
            s["x-kubernetes-list-type"] = "set"
        elif lt == "map":
            it = {"type": "object", "_kind": "object", "properties": {}}
            nkeys = 1 if self.chance(0.7) else 2
            keys = self.props(nkeys, exclude=("dash-key", "dot.key", "in", "namespace"))
            for k in keys:
                ks = self.node(depth + 2, sub | {"scalar", "key"})
                if ks.get("_kind") == "number":
                    ks = self.n_string(depth + 2, sub | {"key"})
                ks.pop("nullable", None)
                it["properties"][k] = ks
            for p in self.props(r.randint(0, 3), exclude=keys):
                it["properties"][p] = self.node(depth + 2, set(sub))
            req = [k for k in keys if "default" not in it["properties"][k] or self.chance(0.5)]
            for k in keys:
                if k not in req and "default" not in it["properties"][k]:
                    req.append(k)
            others = [p for p in it["properties"] if p not in keys]
            if others and self.chance(0.3):
                req.append(r.choice(others))
            if req:
                it["required"] = sorted(set(req))
            s["items"] = it
            s["x-kubernetes-list-type"] = "map"
            s["x-kubernetes-list-map-keys"] = keys
        else:
            s["items"] = self.node(depth + 1, sub)
            if lt:
                s["x-kubernetes-list-type"] = lt
        self.cel_array(s, ctx)
        return s

    def n_preserve(self, depth, ctx):
        s = {"type": "object", "_kind": "preserve", "x-kubernetes-preserve-unknown-fields": True}
        if self.chance(0.5):
            s["properties"] = {p: self.node(depth + 1, self.inherit(ctx, "noobj")) for p in self.props(self.rng.randint(1, 2))}
        return s

    def n_embedded(self, depth, ctx):
        s = {"type": "object", "_kind": "embedded", "x-kubernetes-embedded-resource": True}
        if self.chance(0.6):
            s["x-kubernetes-preserve-unknown-fields"] = True
        else:
            s["properties"] = {
                "apiVersion": {"type": "string", "_kind": "string"},
                "kind": {"type": "string", "_kind": "string"},
                "metadata": {"type": "object", "_kind": "meta"},
                "spec": {"type": "object", "_kind": "preserve", "x-kubernetes-preserve-unknown-fields": True},
            }
            if self.chance(0.3):
                s["properties"]["data"] = {"type": "object", "_kind": "map",
                                           "additionalProperties": {"type": "string", "_kind": "string"}}
        return s

    # --- value validations in junctors

    def junctor_leaf(self, s):
        r = self.rng
        if not self.chance(0.14) or "enum" in s:
            return
        k = s["_kind"]
        preds = s.setdefault("_junct", [])
        if k == "string":
            c = r.choice(["anyOf", "allOf", "oneOf", "not"])
            if c == "anyOf":
                s["anyOf"] = [{"maxLength": 3}, {"pattern": "^[a-z]+$"}]
                preds.append(lambda v: not isinstance(v, str) or len(v) <= 3 or re.match(r"^[a-z]+\Z", v) is not None)
            elif c == "allOf":
                s["allOf"] = [{"minLength": 1}, {"not": {"enum": ["none"]}}]
                preds.append(lambda v: not isinstance(v, str) or (len(v) >= 1 and v != "none"))
            elif c == "oneOf":
                s["oneOf"] = [{"pattern": "^a"}, {"pattern": "b$"}]
                preds.append(lambda v: not isinstance(v, str) or (v.startswith("a") != v.endswith("b")))
            else:
                s["not"] = {"pattern": "^x"}
                preds.append(lambda v: not isinstance(v, str) or not v.startswith("x"))
        elif k in ("integer", "number"):
            c = r.choice(["anyOf", "oneOf", "not", "allOf"])
            if c == "anyOf":
                s["anyOf"] = [{"maximum": 10}, {"minimum": 100}]
                preds.append(lambda v: not isnum(v) or v <= 10 or v >= 100)
            elif c == "oneOf":
                s["oneOf"] = [{"multipleOf": 2}, {"multipleOf": 3}]
                preds.append(lambda v: not isnum(v) or ((v % 2 == 0) != (v % 3 == 0)))
            elif c == "allOf":
                s["allOf"] = [{"minimum": -100}, {"maximum": 1000}]
                preds.append(lambda v: not isnum(v) or (-100 <= v <= 1000))
            else:
                s["not"] = {"enum": [0]}
                preds.append(lambda v: not isnum(v) or v != 0)

    # --- CEL

    def cel_leaf(self, s, ctx):
        r = self.rng
        if not self.chance(0.16 if "unbounded" not in ctx else 0.04):
            return
        k = s["_kind"]
        cands = []
        fmt = s.get("format")
        if fmt in CEL_TYPED_FORMATS:
            # the value is a timestamp, duration or bytes in CEL
            typed = {
                "date-time": ("self > timestamp('2000-01-01T00:00:00Z')", "must be after 2000", lambda v: True),
                "date": ("self >= timestamp('1999-01-01T00:00:00Z')", None, lambda v: True),
                "duration": ("self >= duration('0s')", "must not be negative",
                             lambda v: not v.strip().startswith("-")),
                "byte": ("size(self) <= 16", "at most 16 bytes", lambda v: True),
            }[fmt]
            rule, msg, pred = typed
            rd = {"rule": rule}
            if msg:
                rd["message"] = msg
            s["x-kubernetes-validations"] = [rd]
            s["_cel"] = [lambda v, pred=pred: not isinstance(v, str) or pred(v)]
            return
        if k == "string":
            if "maxLength" not in s and "enum" not in s:
                s["maxLength"] = r.randint(8, 40)
            cands = [
                ("self.size() >= 2", "must have at least 2 characters", lambda v: len(v) >= 2),
                ("!self.startsWith('x')", "must not start with x", lambda v: not v.startswith("x")),
                ("self.matches('^[a-z0-9-]*$')", None, lambda v: re.match(r"^[a-z0-9-]*\Z", v) is not None),
                ("self != 'forbidden'", "forbidden is forbidden", lambda v: v != "forbidden"),
                ("self.lowerAscii() == self", "lowercase only", lambda v: v == "".join(
                    c.lower() if "A" <= c <= "Z" else c for c in v)),
            ]
        elif k == "integer":
            cands = [
                ("self % 2 == 0", "must be even", lambda v: v % 2 == 0),
                ("self != 13", None, lambda v: v != 13),
                ("self >= -5", "must be at least -5", lambda v: v >= -5),
            ]
        elif k == "number":
            cands = [
                ("self >= 0.0", "must not be negative", lambda v: v >= 0),
                ("self != 1.5", None, lambda v: v != 1.5),
            ]
        elif k == "boolean":
            cands = [("self == true", "must be true", lambda v: v is True)]
        if not cands:
            return
        rule, msg, pred = r.choice(cands)
        rd = {"rule": rule}
        if msg and self.chance(0.8):
            rd["message"] = msg
        if self.chance(0.12):
            # string concatenation in a messageExpression is estimated far over the budget
            # (v1.35): the expression is the value itself, or a constant
            rd["messageExpression"] = r.choice(["string(self)", "'rejected by a rule'"])
        if self.chance(0.1):
            rd["reason"] = r.choice(["FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate", "FieldValueInvalid"])
        rules = [rd]
        if self.chance(0.05) and "inlist" not in ctx:
            rules.append({"rule": "self == oldSelf", "message": "immutable"})
        elif self.chance(0.04) and "inlist" not in ctx:
            # evaluated on create with oldSelf = optional.none()
            rules.append({"rule": "!oldSelf.hasValue() || self == oldSelf.value()",
                          "message": "immutable once set", "optionalOldSelf": True})
        s["x-kubernetes-validations"] = rules
        typ = {"string": str, "integer": int, "number": (int, float), "boolean": bool}[k]
        s["_cel"] = [lambda v, pred=pred, typ=typ: not isinstance(v, typ) or (isinstance(v, bool) and typ is not bool)
                     or pred(v)]

    def cel_object(self, s, ctx):
        r = self.rng
        if not self.chance(0.25 if "unbounded" not in ctx else 0.06):
            return
        props = s["properties"]
        cands = []
        names = [p for p in props if cel_name(p)]
        ints = [p for p in names if props[p].get("_kind") == "integer"]
        strs = [p for p in names if props[p].get("_kind") == "string" and props[p].get("format") not in CEL_TYPED_FORMATS]
        req = set(s.get("required") or [])
        for p in names:
            cp = cel_name(p)
            cands.append(("has(self.%s)" % cp, "%s is required by a rule" % p, lambda v, p=p: p in v, field_path(p) if self.chance(0.3) else None))
        if len(ints) >= 2:
            a, b = r.sample(ints, 2)
            ca, cb = cel_name(a), cel_name(b)
            cands.append(("!has(self.%s) || !has(self.%s) || self.%s <= self.%s" % (ca, cb, ca, cb),
                          "%s must not exceed %s" % (a, b),
                          lambda v, a=a, b=b: not (isint(v.get(a)) and isint(v.get(b))) or v[a] <= v[b], None))
        for p in strs:
            sp = props[p]
            if "maxLength" not in sp and "enum" not in sp:
                continue
            cp = cel_name(p)
            cands.append(("!has(self.%s) || self.%s.size() > 0" % (cp, cp), "%s must not be empty" % p,
                          lambda v, p=p: not isinstance(v.get(p), str) or len(v[p]) > 0, field_path(p)))
        for p in ints:
            if p in req:
                cp = cel_name(p)
                cands.append(("self.%s != 7" % cp, None, lambda v, p=p: not isint(v.get(p)) or v[p] != 7, None))
        if not cands:
            return
        rule, msg, pred, fp = r.choice(cands)
        rd = {"rule": rule}
        if msg:
            rd["message"] = msg
        if fp:
            rd["fieldPath"] = fp
        if self.chance(0.1):
            rd["reason"] = r.choice(["FieldValueForbidden", "FieldValueRequired", "FieldValueInvalid"])
        s["x-kubernetes-validations"] = [rd]
        s["_cel"] = [lambda v, pred=pred: not isinstance(v, dict) or pred(v)]

    def cel_array(self, s, ctx):
        r = self.rng
        if not self.chance(0.18) or "unbounded" in ctx:
            return
        it = s["items"]
        if "maxItems" not in s:
            s["maxItems"] = r.randint(2, 6)
        cands = [("self.size() <= 3", "at most 3 items", lambda v: len(v) <= 3)]
        if it.get("_kind") == "string" and it.get("format") not in CEL_TYPED_FORMATS:
            if "maxLength" not in it and "enum" not in it:
                it["maxLength"] = r.randint(8, 32)
            cands.append(("self.all(x, x != 'bad')", "bad is not allowed", lambda v: all(x != "bad" for x in v)))
            cands.append(("self.exists(x, x.startsWith('a'))", "one item must start with a",
                          lambda v: any(isinstance(x, str) and x.startswith("a") for x in v)))
        if it.get("_kind") == "integer":
            cands.append(("self.all(x, x >= 0)", "items must not be negative", lambda v: all(not isint(x) or x >= 0 for x in v)))
        rule, msg, pred = r.choice(cands)
        rd = {"rule": rule, "message": msg}
        if self.chance(0.1) and "unbounded" not in ctx:
            rd.pop("message")
            rd["messageExpression"] = "'the list is rejected by its rule'"
        s["x-kubernetes-validations"] = [rd]
        s["_cel"] = [lambda v, pred=pred: not isinstance(v, list) or pred(v)]

    def maybe_default(self, s):
        if not self.chance(0.14) or s.get("_cel") or s.get("_junct") or "x-kubernetes-validations" in s:
            return
        vg = ValueGen(self.rng, mut_rate=0)
        for _ in range(10):
            v = vg.valid(s, depth=3)
            if "_fmt" in s and v not in FORMATS[s["_fmt"]][0]:
                continue
            if "_pat" in s and v not in PATTERNS[s["_pat"]][1]:
                continue
            if v is not ABSENT and vg.check(s, v):
                s["default"] = v
                return

    # --- the CRD

    def crd(self, idx, group, prefix):
        r = self.rng
        kind = "%s%d" % (prefix, idx)
        plural = kind.lower() + "s"
        scope = "Namespaced" if self.chance(0.75) else "Cluster"
        status_sub = self.chance(0.4)
        spec = self.n_object(0, set())
        spec.pop("default", None)
        root = {"type": "object", "_kind": "object", "properties": {"spec": spec}}
        if self.chance(0.3):
            root["required"] = ["spec"]
        if self.chance(0.5):
            root["properties"]["status"] = self.n_object(1, set())
            root["properties"]["status"].pop("default", None)
        if self.chance(0.07):
            md = {"type": "object", "properties": {"name": {"type": "string"}}}
            if self.chance(0.5):
                md["properties"]["name"]["maxLength"] = r.randint(5, 20)
            else:
                md["properties"]["name"]["pattern"] = "^[a-z]+(-[a-z]+)*$"
            root["properties"]["metadata"] = md
        if self.chance(0.12):
            rules = [
                ("self.metadata.name.size() <= 30", "the name is at most 30 characters",
                 lambda v: len(((v.get("metadata") or {}).get("name")) or "") <= 30),
                ("self.apiVersion.startsWith('gen')", None, lambda v: True),
            ]
            rule, msg, pred = r.choice(rules)
            rd = {"rule": rule}
            if msg:
                rd["message"] = msg
            root["x-kubernetes-validations"] = [rd]
            root["_cel"] = [pred]
        versions = [{"name": "v1", "served": True, "storage": True,
                     "schema": {"openAPIV3Schema": root}}]
        if status_sub:
            versions[0]["subresources"] = {"status": {}}
        if self.chance(0.15):
            versions.append({"name": "v1beta1", "served": True, "storage": False,
                             "schema": {"openAPIV3Schema": root}})
            if status_sub:
                versions[1]["subresources"] = {"status": {}}
        crd = {
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": "%s.%s" % (plural, group)},
            "spec": {
                "group": group,
                "names": {"kind": kind, "listKind": kind + "List", "plural": plural, "singular": kind.lower()},
                "scope": scope,
                "versions": versions,
            },
        }
        info = {"kind": kind, "group": group, "scope": scope, "status_sub": status_sub,
                "versions": [v["name"] for v in versions], "root": root}
        return crd, info


def isint(v):
    return isinstance(v, int) and not isinstance(v, bool)


def isnum(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


# ---------------------------------------------------------------------------------------------
# values

ABSENT = object()


class ValueGen:
    def __init__(self, rng, mut_rate=0.08, unknown=False):
        self.rng = rng
        self.mut_rate = mut_rate
        self.unknown = unknown
        self.mutations = []

    def chance(self, p):
        return self.rng.random() < p

    # --- checks (what the valid generator aims at; approximate for patterns/formats)

    def check(self, s, v):
        for p in (s.get("_junct") or []) + (s.get("_cel") or []):
            try:
                if not p(v):
                    return False
            except Exception:
                return False
        return True

    # --- valid values

    def valid(self, s, depth=0):
        for _ in range(12):
            v = self._valid(s, depth)
            if v is ABSENT or self.check(s, v):
                return v
        return v

    def _valid(self, s, depth):
        k = s.get("_kind")
        r = self.rng
        if "enum" in s:
            return r.choice(s["enum"])
        if k == "string":
            return self.valid_string(s)
        if k == "integer":
            return self.valid_int(s)
        if k == "number":
            return self.valid_number(s)
        if k == "boolean":
            return r.choice([True, False])
        if k == "ios":
            return self.valid_ios(s)
        if k == "object":
            return self.valid_object(s, depth)
        if k == "map":
            return self.valid_map(s, depth)
        if k == "array":
            return self.valid_array(s, depth)
        if k == "preserve":
            v = self.junk(2)
            for p, ps in (s.get("properties") or {}).items():
                if self.chance(0.6):
                    v[p] = self.valid(ps, depth + 1)
            return v
        if k == "embedded":
            return self.valid_embedded(s)
        if k == "meta":
            return {"name": "x"}
        return "x"

    def rand_string(self, lo=0, hi=12):
        r = self.rng
        n = r.randint(lo, max(lo, hi))
        if self.chance(0.25):
            parts = [r.choice(UNICODE + list("abcxyz")) for _ in range(n)]
            out = ""
            for p in parts:
                if go_len(out + p) > n:
                    break
                out += p
            while go_len(out) < lo:
                out += "a"
            return out
        base = r.choice(WORDS)
        while len(base) < n:
            base += "-" + r.choice(WORDS)
        return base[:n] if n else ""

    def fits_len(self, s, v):
        return s.get("minLength", 0) <= go_len(v) <= s.get("maxLength", 10 ** 9)

    def valid_string(self, s):
        r = self.rng
        if "_fmt" in s:
            good = [g for g in FORMATS[s["_fmt"]][0] if self.fits_len(s, g) and self.pat_ok(s, g)]
            if good:
                return r.choice(good)
        if "_pat" in s:
            good = [g for g in PATTERNS[s["_pat"]][1] if self.fits_len(s, g)]
            if good:
                return r.choice(good)
        lo, hi = s.get("minLength", 0), s.get("maxLength", 14)
        for _ in range(20):
            v = self.rand_string(lo, min(hi, lo + 14))
            if self.fits_len(s, v) and self.pat_ok(s, v):
                return v
        return v

    def pat_ok(self, s, v):
        if "_pat" in s:
            return v in PATTERNS[s["_pat"]][1]
        return True

    def int_range(self, s):
        lo = s.get("minimum", -1000)
        hi = s.get("maximum", 1000)
        lo = int(lo) + (1 if s.get("exclusiveMinimum") else 0)
        hi = int(hi) - (1 if s.get("exclusiveMaximum") else 0)
        if "format" in s and s["format"] == "int32":
            lo, hi = max(lo, -2 ** 31), min(hi, 2 ** 31 - 1)
        return lo, hi

    def valid_int(self, s):
        r = self.rng
        lo, hi = self.int_range(s)
        if lo > hi:
            return lo
        m = s.get("multipleOf")
        for _ in range(20):
            if self.chance(0.4):
                v = r.choice([lo, hi, 0, 1, lo + 1, hi - 1])
                v = min(max(v, lo), hi)
            else:
                v = r.randint(max(lo, -1000), min(hi, 1000)) if max(lo, -1000) <= min(hi, 1000) else lo
            if m:
                v = v - (v % m)
                if v < lo:
                    v += m
            if lo <= v <= hi:
                return v
        return v

    def valid_number(self, s):
        r = self.rng
        lo = s.get("minimum", -1000.0)
        hi = s.get("maximum", 1000.0)
        m = s.get("multipleOf")
        for _ in range(20):
            if m:
                k = r.randint(int(lo / m) - 1, int(hi / m) + 1)
                v = float("%.10g" % (k * m))
            else:
                v = r.choice([lo, hi, round(r.uniform(lo, hi), r.choice([0, 1, 2, 3])), 0.5, 1])
            if self.chance(0.3) and float(v).is_integer() and abs(v) < 1e15:
                v = int(v)
            ok = (v > lo if s.get("exclusiveMinimum") else v >= lo) and (v < hi if s.get("exclusiveMaximum") else v <= hi)
            if ok:
                return v
        return v

    def valid_ios(self, s):
        r = self.rng
        for _ in range(10):
            if self.chance(0.5):
                v = r.choice([0, 1, 5, 80, 99, 100, 8080])
            else:
                v = r.choice(["10%", "50%", "1", "http", "0", "100%", "abc"])
            if isinstance(v, str):
                if s.get("pattern") and not re.match(r"^(\d+|\d+%)\Z", v):
                    continue
                if "maxLength" in s and len(v) > s["maxLength"]:
                    continue
            else:
                if "minimum" in s and v < s["minimum"]:
                    continue
                if "maximum" in s and v > s["maximum"]:
                    continue
            if self.check(s, v):
                return v
        return 1

    def valid_object(self, s, depth):
        r = self.rng
        props = s.get("properties") or {}
        req = set(s.get("required") or [])
        v = {}
        for p, ps in props.items():
            if p in req or (self.chance(0.65) and depth < 6):
                x = self.valid(ps, depth + 1)
                if x is not ABSENT:
                    v[p] = x
        if "maxProperties" in s:
            while len(v) > s["maxProperties"]:
                cands = [p for p in v if p not in req] or list(v)
                v.pop(r.choice(cands))
        if "minProperties" in s:
            for p, ps in props.items():
                if len(v) >= s["minProperties"]:
                    break
                if p not in v:
                    v[p] = self.valid(ps, depth + 1)
        return v

    def map_key(self):
        r = self.rng
        x = r.random()
        if x < 0.6:
            return r.choice(WORDS) + r.choice(["", "", "-1", ".a", "_b"])
        if x < 0.8:
            return r.choice(UNICODE) + r.choice(WORDS)
        return r.choice(["a/b", "with space", "UPPER", "k8s.io/x", "123", "ünï"])

    def valid_map(self, s, depth):
        r = self.rng
        lo = s.get("minProperties", 0)
        hi = s.get("maxProperties", 4)
        n = r.randint(lo, max(lo, min(hi, lo + 3)))
        v = {}
        tries = 0
        while len(v) < n and tries < 20:
            tries += 1
            v[self.map_key()] = self.valid(s["additionalProperties"], depth + 1)
        return v

    def valid_array(self, s, depth):
        r = self.rng
        lo = s.get("minItems", 0)
        hi = s.get("maxItems", 4)
        n = r.randint(lo, max(lo, min(hi, lo + 3)))
        it = s["items"]
        out = []
        lt = s.get("x-kubernetes-list-type")
        keys = s.get("x-kubernetes-list-map-keys") or []
        seen = set()
        tries = 0
        while len(out) < n and tries < 30:
            tries += 1
            x = self.valid(it, depth + 1)
            if x is ABSENT:
                continue
            if lt == "set":
                kx = json.dumps(x, sort_keys=True)
                if kx in seen:
                    continue
                seen.add(kx)
            elif lt == "map":
                if not isinstance(x, dict):
                    continue
                kx = json.dumps([x.get(k, (it["properties"][k] or {}).get("default")) for k in keys], sort_keys=True)
                if kx in seen:
                    continue
                seen.add(kx)
            out.append(x)
        return out

    def valid_embedded(self, s):
        r = self.rng
        kind, av = r.choice([("ConfigMap", "v1"), ("Deployment", "apps/v1"), ("Widget", "example.com/v1alpha1")])
        v = {"apiVersion": av, "kind": kind, "metadata": {"name": r.choice(["cm", "my-thing", "a.b"])}}
        if self.chance(0.4):
            v["metadata"]["labels"] = {"app": r.choice(WORDS)}
        if s.get("x-kubernetes-preserve-unknown-fields"):
            if self.chance(0.6):
                v["data"] = {"k": "v"}
        else:
            if self.chance(0.5):
                v["spec"] = self.junk(1)
            if "data" in s.get("properties", {}) and self.chance(0.5):
                v["data"] = {"k": "v"}
        return v

    def junk(self, depth):
        r = self.rng
        v = {}
        for _ in range(r.randint(0, 3)):
            k = r.choice(WORDS + ["x-y", "é"])
            x = r.random()
            if x < 0.3 or depth <= 0:
                v[k] = r.choice([1, "s", True, None, 1.5, [], {}, Plain("yes")])
            elif x < 0.6:
                v[k] = [r.choice([1, "a", None, {"a": 1}]) for _ in range(r.randint(0, 3))]
            else:
                v[k] = self.junk(depth - 1)
        return v

    # --- mutations: values near and across each constraint

    def value(self, s, depth=0, path="", required=False):
        """A value for schema s: valid, or (with probability mut_rate) an edge case."""
        if self.chance(self.mut_rate):
            m = self.mutate(s, depth)
            if m is not None:
                name, v = m
                self.mutations.append("%s:%s" % (path or "<root>", name))
                return v
        k = s.get("_kind")
        if k == "object":
            return self.value_object(s, depth, path)
        if k == "map":
            v = self.valid_map(s, depth)
            return {key: self.value(s["additionalProperties"], depth + 1, path + "[" + key + "]") for key in v}
        if k == "array":
            v = self.valid_array(s, depth)
            return [self.value(s["items"], depth + 1, "%s[%d]" % (path, i)) if not self.chance(0.5) else x
                    for i, x in enumerate(v)]
        if k == "preserve":
            v = self.junk(2)
            for p, ps in (s.get("properties") or {}).items():
                if self.chance(0.6):
                    x = self.value(ps, depth + 1, path + "." + p)
                    if x is not ABSENT:
                        v[p] = x
            return v
        return self.valid(s, depth)

    def value_object(self, s, depth, path):
        r = self.rng
        props = s.get("properties") or {}
        req = set(s.get("required") or [])
        v = {}
        for p, ps in props.items():
            if p in req or (self.chance(0.65) and depth < 6):
                if p in req and self.chance(self.mut_rate / 2):
                    self.mutations.append("%s.%s:missing-required" % (path, p))
                    continue
                x = self.value(ps, depth + 1, path + "." + p)
                if x is not ABSENT:
                    v[p] = x
        if "maxProperties" in s and not self.chance(self.mut_rate):
            while len(v) > s["maxProperties"]:
                cands = [p for p in v if p not in req] or list(v)
                v.pop(r.choice(cands))
        if "minProperties" in s and not self.chance(self.mut_rate):
            for p, ps in props.items():
                if len(v) >= s["minProperties"]:
                    break
                if p not in v:
                    v[p] = self.valid(ps, depth + 1)
        if self.unknown and self.chance(0.15) and not s.get("x-kubernetes-preserve-unknown-fields"):
            v[r.choice(["unknownField", "extra2", "Name", "spec"])] = r.choice([1, "x", {"a": 1}, None])
            self.mutations.append("%s:unknown-field" % path)
        return v

    def mutate(self, s, depth):
        """(name, value) of an edge case for s, or None."""
        r = self.rng
        k = s.get("_kind")
        opts = [("null", lambda: None)]
        if k in ("string", "integer", "number", "boolean", "ios"):
            opts += [("yaml11", lambda: Plain(r.choice(YAML11_SCALARS)))]
        if k == "string":
            opts += [
                ("wrong-type-int", lambda: r.choice([5, 0, -1, 1.5])),
                ("wrong-type-bool", lambda: r.choice([True, False])),
                ("empty", lambda: ""),
                ("unicode", lambda: "".join(r.choice(UNICODE) for _ in range(r.randint(1, 6)))),
                ("object", lambda: {"a": "b"}),
                ("list", lambda: ["a"]),
                ("quoted-number", lambda: r.choice(["123", "1e3", "0x1F", "yes", "null", "~"])),
            ]
            if "enum" in s:
                opts += [("enum-miss", lambda: r.choice(["other", str(s["enum"][0]).upper(), str(s["enum"][0]) + " "]))]
                opts += [("enum-miss", lambda: r.choice(["other", str(s["enum"][0]).upper()]))]
            if "_pat" in s:
                opts += [("pattern-miss", lambda: r.choice(PATTERNS[s["_pat"]][2]))] * 3
            if "_fmt" in s and FORMATS[s["_fmt"]][1]:
                opts += [("format-miss", lambda: r.choice(FORMATS[s["_fmt"]][1]))] * 3
            if "minLength" in s and s["minLength"] > 0:
                opts += [("too-short", lambda: "é" * (s["minLength"] - 1))] * 2
            if "maxLength" in s:
                opts += [("too-long", lambda: r.choice(["a", "é", "😀", "ab"]) * (s["maxLength"] + 1))] * 2
                opts += [("at-max", lambda: "😀" * s["maxLength"])]
            if s.get("_cel") or s.get("_junct"):
                opts += [("cel-junct-miss", lambda: r.choice(["x", "forbidden", "X", "xyz", "none", "ab", "", "Bad"]))] * 3
        elif k in ("integer", "number"):
            lo, hi = s.get("minimum"), s.get("maximum")
            opts += [
                ("string", lambda: r.choice(["5", "abc", ""])),
                ("bool", lambda: True),
                ("big", lambda: r.choice(BIG_INTS)),
                ("fraction", lambda: r.choice([1.5, 0.5, -2.25, 2.0, 1e3, 1e20, 3.0000001])),
                ("object", lambda: {}),
            ]
            if lo is not None:
                opts += [("below-min", lambda: lo - r.choice([1, 0.5] if k == "number" else [1])),
                         ("at-min", lambda: lo)] * 2
            if hi is not None:
                opts += [("above-max", lambda: hi + r.choice([1, 0.5] if k == "number" else [1])),
                         ("at-max", lambda: hi)] * 2
            if s.get("multipleOf"):
                m = s["multipleOf"]
                opts += [("not-multiple", lambda: r.choice([m * 3 + (1 if isint(m) else m / 3), 7, 0.3, 0.7, 1.1, 2.2]))] * 3
                opts += [("multiple", lambda: float("%.12g" % (m * r.randint(-5, 30))))] * 2
            if "enum" in s:
                opts += [("enum-miss", lambda: r.choice([4, 42, -7, 2.5]))] * 2
            if s.get("format") == "int32":
                opts += [("int32-overflow", lambda: r.choice([2147483648, -2147483649]))] * 2
            if s.get("_cel") or s.get("_junct"):
                opts += [("cel-junct-miss", lambda: r.choice([13, 7, -7, 0, 50, 1.5, -0.5, 3, 6, 2000]))] * 3
        elif k == "boolean":
            opts += [("string", lambda: r.choice(["true", "yes", ""])), ("int", lambda: r.choice([1, 0]))]
            if "enum" in s or s.get("_cel"):
                opts += [("false", lambda: False)] * 3
        elif k == "ios":
            opts += [
                ("float", lambda: r.choice([1.5, 2.0, -0.5])),
                ("bool", lambda: r.choice([True, False])),
                ("object", lambda: {"a": 1}),
                ("string", lambda: r.choice(["", "abc", "10%", "1000%", "-5", "12345"])),
                ("int", lambda: r.choice([-1, 0, 101, 1000, 2 ** 40])),
            ]
        elif k == "object":
            opts += [("list", lambda: [1]), ("string", lambda: "x"), ("empty", lambda: {})]
            if s.get("required"):
                opts += [("drop-required", lambda: self.drop_required(s, depth))] * 2
            if "maxProperties" in s:
                opts += [("too-many-props", lambda: self.fill_props(s, depth, s["maxProperties"] + 1))] * 2
            if s.get("_cel") or s.get("_junct"):
                opts += [("cel-junct-miss", lambda: self.fill_props(s, depth, r.randint(0, len(s["properties"]))))] * 3
        elif k == "map":
            opts += [("list", lambda: []), ("string", lambda: "x"), ("empty", lambda: {})]
            opts += [("null-value", lambda: {"a": None, "b": self.valid(s["additionalProperties"], depth + 1)})]
            opts += [("odd-keys", lambda: {r.choice(["", " ", "é", "a.b/c", Plain("yes"), Plain("1"), Plain("~"), "true"]):
                                           self.valid(s["additionalProperties"], depth + 1)})]
            if "maxProperties" in s:
                opts += [("too-many-props", lambda: {"k%d" % i: self.valid(s["additionalProperties"], depth + 1)
                                                     for i in range(s["maxProperties"] + 1)})] * 2
            if s.get("minProperties"):
                opts += [("too-few-props", lambda: {})] * 2
            if s.get("_cel"):
                opts += [("cel-miss", lambda: {"forbidden": self.valid(s["additionalProperties"], depth + 1),
                                               "longlonglongkey": self.valid(s["additionalProperties"], depth + 1),
                                               "c": self.valid(s["additionalProperties"], depth + 1)})] * 3
        elif k == "array":
            it = s["items"]
            opts += [("object", lambda: {}), ("string", lambda: "x"), ("empty", lambda: [])]
            opts += [("null-item", lambda: [None] + self.valid_array(s, depth)[:1])]
            if "maxItems" in s:
                opts += [("too-many", lambda: [self.valid(it, depth + 1) for _ in range(s["maxItems"] + 1)])] * 2
            if s.get("minItems"):
                opts += [("too-few", lambda: [])] * 2
            if s.get("x-kubernetes-list-type") in ("set", "map"):
                opts += [("duplicate", lambda: self.dup_list(s, depth))] * 4
            if s.get("_cel"):
                opts += [("cel-miss", lambda: [self.valid(it, depth + 1) for _ in range(4)] + (["bad"] if it.get("_kind") == "string" else [-1]))] * 2
        elif k == "embedded":
            opts += [
                ("no-apiversion", lambda: self.embedded_without(s, "apiVersion")),
                ("no-kind", lambda: self.embedded_without(s, "kind")),
                ("no-metadata", lambda: self.embedded_without(s, "metadata")),
                ("bad-meta-name", lambda: self.embedded_meta(s, {"name": r.choice(["Bad_Name", "-x", "a" * 254, ""])})),
                ("bad-meta-labels", lambda: self.embedded_meta(s, {"name": "ok", "labels": {"bad key!": "v"}})),
                ("meta-generatename", lambda: self.embedded_meta(s, {"generateName": "gen-"})),
                ("meta-namespace", lambda: self.embedded_meta(s, {"name": "ok", "namespace": r.choice(["ns", "Bad_NS"])})),
                ("meta-unknown", lambda: self.embedded_meta(s, {"name": "ok", "foo": "bar"})),
                ("meta-null", lambda: self.embedded_meta(s, None)),
                ("apiversion-int", lambda: dict(self.valid_embedded(s), apiVersion=1)),
                ("kind-empty", lambda: dict(self.valid_embedded(s), kind="")),
                ("empty", lambda: {}),
                ("string", lambda: "x"),
            ]
        elif k == "preserve":
            opts += [("deep-junk", lambda: self.junk(4)), ("list", lambda: [1, 2])]
        name, f = r.choice(opts)
        if name == "null" and s.get("nullable"):
            name = "null-nullable"
        return name, f()

    def drop_required(self, s, depth):
        v = self.valid_object(s, depth)
        for p in s.get("required") or []:
            if self.chance(0.7):
                v.pop(p, None)
        return v

    def fill_props(self, s, depth, n):
        v = {}
        for p, ps in list(s["properties"].items())[:n]:
            v[p] = self.valid(ps, depth + 1)
        return v

    def dup_list(self, s, depth):
        v = self.valid_array(s, depth)
        it = s["items"]
        if not v:
            v = [self.valid(it, depth + 1)]
        x = self.rng.choice(v)
        if isinstance(x, dict):
            y = self.valid(it, depth + 1)
            if isinstance(y, dict):
                for k in s.get("x-kubernetes-list-map-keys") or []:
                    if k in x:
                        y[k] = x[k]
                    else:
                        y.pop(k, None)
                x = y
        v.append(x)
        if self.chance(0.3):
            v.append(x)
        return v

    def embedded_without(self, s, key):
        v = self.valid_embedded(s)
        v.pop(key, None)
        return v

    def embedded_meta(self, s, md):
        v = self.valid_embedded(s)
        v["metadata"] = md
        return v


# ---------------------------------------------------------------------------------------------
# resources

VALID_NAMES = ["w", "my-widget", "a.b.c", "x1", "web-01", "a" * 63, "db.example.com"]
INVALID_NAMES = ["My-Widget", "bad_name", "-x", "x-", "a..b", "a" * 254, "é", "with space", "a/b", "..", ".", ""]
VALID_NS = ["default", "team-a", "kube-system", "a" * 63]
INVALID_NS = ["Team", "team.a", "a" * 64, "-ns", "ns_1"]
LABEL_KEYS_OK = ["app", "app.kubernetes.io/name", "example.com/tier", "a-b_c.d", "x" * 63]
LABEL_KEYS_BAD = ["bad key", "-app", "example.com/", "/x", "a/b/c", "x" * 64, "Example.com/x", "é", "a" * 254 + "/x"]
LABEL_VALUES_OK = ["web", "", "v1.2_3", "x" * 63, "A-b"]
LABEL_VALUES_BAD = ["with space", "-x", "x" * 64, "é", "a/b", "x."]
ANNOT_KEYS_BAD = ["bad key", "a/b/c", "-x", "Example.com/x"]


class ResourceGen:
    def __init__(self, rng, info, unknown_rate):
        self.rng = rng
        self.info = info
        self.unknown_rate = unknown_rate

    def chance(self, p):
        return self.rng.random() < p

    def metadata(self, muts, md_schema):
        r = self.rng
        md = {}
        x = r.random()
        if x < 0.82:
            md["name"] = r.choice(VALID_NAMES) if not md_schema else r.choice(["w", "my-widget", "abcdef", "a-b-c"])
        elif x < 0.95:
            md["name"] = r.choice(INVALID_NAMES)
            muts.append("metadata.name:invalid")
        elif x < 0.98:
            md["name"] = "w"
            md["generateName"] = r.choice(["w-", "Bad_", "x" * 260])
            muts.append("metadata.generateName")
        else:
            md["generateName"] = "gen-"
            muts.append("metadata.generateName-only")
        if md_schema and self.chance(0.3):
            md["name"] = r.choice(["a" * 25, "my--name", "abc-", "ok-name"])
            muts.append("metadata.name:schema")
        if self.info["scope"] == "Namespaced":
            if self.chance(0.3):
                md["namespace"] = r.choice(VALID_NS)
            elif self.chance(0.05):
                md["namespace"] = r.choice(INVALID_NS)
                muts.append("metadata.namespace:invalid")
        elif self.chance(0.1):
            md["namespace"] = r.choice(VALID_NS + INVALID_NS[:1])
            muts.append("metadata.namespace:cluster")
        if self.chance(0.3):
            labels = {}
            for _ in range(r.randint(1, 3)):
                if self.chance(0.15):
                    labels[r.choice(LABEL_KEYS_BAD)] = r.choice(LABEL_VALUES_OK)
                    muts.append("metadata.labels:key")
                elif self.chance(0.15):
                    labels[r.choice(LABEL_KEYS_OK)] = r.choice(LABEL_VALUES_BAD)
                    muts.append("metadata.labels:value")
                else:
                    labels[r.choice(LABEL_KEYS_OK)] = r.choice(LABEL_VALUES_OK)
            if self.chance(0.05):
                labels["n"] = r.choice([1, True, None])
                muts.append("metadata.labels:nonstring")
            md["labels"] = labels
        if self.chance(0.2):
            ann = {}
            for _ in range(r.randint(1, 2)):
                if self.chance(0.15):
                    ann[r.choice(ANNOT_KEYS_BAD)] = "v"
                    muts.append("metadata.annotations:key")
                else:
                    ann[r.choice(["note", "example.com/x", "a.b/c-d"])] = r.choice(["", "free text é", "multi\nline", "x" * 300])
            md["annotations"] = ann
        if self.chance(0.05):
            md["finalizers"] = r.choice([["example.com/cleanup"], ["example.com/a", "example.com/a"], ["bad finalizer"],
                                         ["kubernetes"], ["foo"]])
            muts.append("metadata.finalizers")
        if self.chance(0.02):
            md = r.choice([None, {}])
            muts.append("metadata:null-or-empty")
        return md

    def resource(self):
        r = self.rng
        info = self.info
        unknown = self.chance(self.unknown_rate)
        x = r.random()
        mut_rate = 0.0 if x < 0.25 else (0.04 if x < 0.55 else (0.1 if x < 0.85 else 0.2))
        vg = ValueGen(r, mut_rate=mut_rate, unknown=unknown)
        root = info["root"]
        version = r.choice(info["versions"])
        muts = vg.mutations
        md_schema = "metadata" in root["properties"]
        doc = {"apiVersion": "%s/%s" % (info["group"], version), "kind": info["kind"]}
        md = self.metadata(muts, md_schema)
        if md is not None or self.chance(0.5):
            doc["metadata"] = md
        spec_s = root["properties"]["spec"]
        if self.chance(0.04):
            doc["spec"] = r.choice([None, {}, [], "x"])
            muts.append("spec:" + repr(doc["spec"]))
        elif "spec" in (root.get("required") or []) or self.chance(0.95):
            doc["spec"] = vg.value(spec_s, 1, "spec")
        else:
            muts.append("spec:absent")
        if "status" in root["properties"] and not info["status_sub"] and self.chance(0.5):
            doc["status"] = vg.value(root["properties"]["status"], 1, "status")
        if unknown and self.chance(0.3):
            doc[r.choice(["extra", "Spec", "specs"])] = {"a": 1}
            muts.append("<root>:unknown-field")
        if unknown and isinstance(doc.get("metadata"), dict) and self.chance(0.15):
            doc["metadata"]["unknownMeta"] = "x"
            muts.append("metadata:unknown-field")
        return doc, {"unknown": unknown, "mut_rate": mut_rate, "mutations": list(muts)}


# ---------------------------------------------------------------------------------------------
# the oracle's verdict on the CRDs


def oracle_check_crds(kv, version, files):
    """{file: None (accepted) or list of messages} from one kubectl-validate run over CRD files."""
    env = dict(os.environ, KUBECONFIG="/dev/null")
    p = subprocess.run([kv, "--version", version, "--output", "json"] + files, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env, stdin=subprocess.DEVNULL, timeout=1800)
    if p.returncode not in (0, 1):
        raise SystemExit("kubectl-validate failed on the CRDs (exit %d): %s" % (p.returncode, p.stderr[-2000:]))
    out = json.loads(p.stdout.decode("utf-8", "replace"))
    res = {}
    for f in files:
        sts = out.get(os.path.abspath(f)) or out.get(f) or []
        bad = [st for st in sts if st.get("status") != "Success"]
        if not sts:
            res[f] = ["no status"]
        elif bad:
            msgs = []
            for st in bad:
                causes = (st.get("details") or {}).get("causes") or []
                msgs += ["%s: %s" % (c.get("field"), c.get("message")) for c in causes] or [st.get("message")]
            res[f] = msgs
        else:
            res[f] = None
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="output directory (crds/, crs/, cases.json, dropped.json)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--crds", type=int, default=50, help="CRDs generated (before the oracle drops any)")
    ap.add_argument("--crs-per-crd", type=int, default=40)
    ap.add_argument("--unknown-rate", type=float, default=0.08, help="share of resources that may hold unknown fields")
    ap.add_argument("--oracle", default="/work/tools/bin/kubectl-validate", help="kubectl-validate binary")
    ap.add_argument("--kube-version", default="1.35")
    ap.add_argument("--no-oracle", action="store_true", help="do not drop the CRDs the oracle refuses")
    ap.add_argument("--force", action="store_true", help="replace an existing output directory")
    args = ap.parse_args(argv)

    if os.path.exists(args.out):
        if not args.force:
            raise SystemExit("%s exists (--force replaces it)" % args.out)
        shutil.rmtree(args.out)
    crd_dir = os.path.join(args.out, "crds")
    cr_dir = os.path.join(args.out, "crs")
    os.makedirs(crd_dir)
    os.makedirs(cr_dir)

    rng = _random.Random(args.seed)
    group = "gen%d.example.com" % args.seed
    infos = {}
    for i in range(args.crds):
        srng = _random.Random(rng.getrandbits(64))
        crd, info = SchemaGen(srng).crd(i, group, "Gen")
        info["rng_seed"] = rng.getrandbits(64)
        f = os.path.join(crd_dir, "%03d.yaml" % i)
        with open(f, "w", encoding="utf-8") as fh:
            fh.write(Emitter(srng, style=False).document(strip_private(crd)))
        infos[f] = info

    dropped = {}
    if not args.no_oracle:
        verdicts = oracle_check_crds(args.oracle, args.kube_version, sorted(infos))
        for f, msgs in sorted(verdicts.items()):
            if msgs:
                dropped[os.path.basename(f)] = msgs
                os.rename(f, os.path.join(args.out, "dropped-" + os.path.basename(f)))
                del infos[f]
    cases = {}
    for f, info in sorted(infos.items()):
        crng = _random.Random(info["rng_seed"])
        i = int(os.path.basename(f)[:3])
        rg = ResourceGen(crng, info, args.unknown_rate)
        for j in range(args.crs_per_crd):
            doc, meta = rg.resource()
            name = "%03d-%03d.yaml" % (i, j)
            with open(os.path.join(cr_dir, name), "w", encoding="utf-8") as fh:
                fh.write(Emitter(crng).document(doc))
            cases[name] = dict(meta, crd="%03d.yaml" % i)
    with open(os.path.join(args.out, "cases.json"), "w", encoding="utf-8") as fh:
        json.dump(cases, fh, indent=1, ensure_ascii=False, sort_keys=True)
    with open(os.path.join(args.out, "dropped.json"), "w", encoding="utf-8") as fh:
        json.dump(dropped, fh, indent=1, ensure_ascii=False, sort_keys=True)
    print("seed %d: %d CRDs written, %d refused by the oracle (dropped.json), %d resources"
          % (args.seed, args.crds, len(dropped), len(cases)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
