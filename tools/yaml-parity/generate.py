#!/usr/bin/env python3
"""Generate small tricky YAML documents, one per file, for the parity comparison.

Three sources, all deterministic for a given seed:
  1. hand-written cases (CASES below): the corners go-yaml v2 and YAML 1.2 parsers disagree on;
  2. templates filled with random pieces (flow collections closed at odd indentation,
     multi-line quoted and plain scalars, block scalars with indicators, anchors, merges,
     tags, directives, markers, long keys, numbers as keys and values ...);
  3. random mutations of both (a character deleted, inserted or doubled, a line's
     indentation changed, a tab put in), which mostly make near-miss syntax errors.
With --noise, short random strings over YAML's indicators and a few tokens instead (fuzzing).

Usage: generate.py OUTDIR [--count N] [--seed S] [--noise]
"""
import argparse
import os
import random

CASES = [
    # The two known defects.
    "args: [\n  --a,\n  --b\n]\n",
    "spec:\n  args: [\n    x,\n    y\n  ]\n",
    "spec:\n  args: [\n    x,\n    y\n]\n",
    'a: "x\\/y"\n',
    'a: "line one\n  line two"\n',
    'spec:\n  msg: "one\n  two"\n',
    'spec:\n  msg: "one\ntwo"\n',
    "spec:\n  msg: 'one\ntwo'\n",
    "spec:\n  m: {a: 1,\nb: 2}\n",
    "- [a,\nb]\n",
    "a: [\n]\n",
    "a: {\n}\n",
    "a: [b, c,]\n",
    "a: [b,, c]\n",
    "a: {b: 1,}\n",
    "a: [b: 1, c: 2]\n",
    "a: [? b : 1]\n",
    "a: {b}\n",
    "a: {b, c: 1}\n",
    "a: {? b}\n",
    "[a, b]: c\n",
    "? [a, b]\n: c\n",
    "? {a: 1}\n: c\n",
    "? a\n: b\n",
    "? a\n",
    "?\n: b\n",
    ": a\n",
    "a:\n",
    "a:\nb:\n",
    "- \n- a\n",
    "-\n-\n",
    "a: b: c\n",
    "a:\n  b\n  c: d\n",
    "a: 'b\n",
    'a: "b\n',
    "a: [b\n",
    "a: {b: c\n",
    "a: b]\n",
    "a: b}\n",
    "a:\n\t- b\n",
    "a:\t1\n",
    "a: 1\t# c\n",
    "a:\n  b: 1\n\tc: 2\n",
    "\ta: 1\n",
    "a: |\n\tb\n",
    "a: |\n  b\n\tc\n",
    "a: >\n  b\n  \tc\n",
    "a: b\n\tc\n",
    "a:\n  b\n\tc\n",
    "key: &a [1, 2]\nother: *a\n",
    "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n",
    "base: &b {x: 1, y: 2}\nm:\n  y: 3\n  <<: *b\n",
    "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nm:\n  <<: [*a, *b]\n",
    "m:\n  <<: {x: 1}\n",
    "m:\n  <<: 1\n",
    "m:\n  <<: [1]\n",
    "m:\n  <<:\n",
    "s: &s [1]\nm:\n  <<: *s\n",
    "s: &s [{a: 1}]\nm:\n  <<: *s\n",
    "m:\n  <<: [{a: 1}, {a: 2, b: 2}]\n",
    "m:\n  '<<': {a: 1}\n",
    "m:\n  !!merge <<: {a: 1}\n",
    "m:\n  ! <<: {a: 1}\n",
    "a: &a [*a]\n",
    "a: &a {b: *a}\n",
    "a: *unknown\n",
    "a: &x 1\nb: &x 2\nc: *x\n",
    "&a a: b\n*a : c\n",
    "a: &a b\n*a : c\n",
    "&a [a, b]: c\n",
    "a: &a\nb: *a\n",
    "a: !!str 123\n",
    "a: !!int '123'\n",
    "a: !!int abc\n",
    "a: !!float 1\n",
    "a: !!float abc\n",
    "a: !!bool yes\n",
    "a: !!bool 1\n",
    "a: !!null ~\n",
    "a: !!null x\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!binary aGVsbG8\n",
    "a: !!binary |\n  aGVs\n  bG8=\n",
    "a: !!binary /w==\n",
    "a: !!timestamp 2001-12-14\n",
    "a: !!timestamp 2001-12-14t21:59:43.10-05:00\n",
    "a: !!timestamp nope\n",
    "a: !!map {b: 1}\n",
    "a: !!seq [1]\n",
    "a: !!seq x\n",
    "a: !foo bar\n",
    "a: !foo {b: 1}\n",
    "a: !<tag:yaml.org,2002:str> 12\n",
    "a: !<!bar> x\n",
    "a: !e!foo x\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!foo x\n",
    "%TAG !e! tag:yaml.org,2002:\n---\na: !e!int 12\n",
    "%YAML 1.1\n---\na: 1\n",
    "%YAML 1.2\n---\na: 1\n",
    "%YAML 2.0\n---\na: 1\n",
    "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
    "%FOO bar\n---\na: 1\n",
    "%YAML 1.1\na: 1\n",
    "a: ! 12\n",
    "a: !\n",
    "a: !!\n",
    "a: ! x\n",
    "--- a\n",
    "--- |\n  text\n",
    "--- >-\n  folded\n  text\n",
    "--- [a, b]\n",
    "a: 1\n...\n",
    "a: 1\n...\nb: 2\n",
    "a: 1\n... # c\n",
    "a: 1\n...x\n",
    "a: '\n---\n'\n",
    "a: '\n...\n'\n",
    '"a": b\n',
    "\ufeffa: 1\n",
    "\ufeff\ufeffa: 1\n",
    "a: \ufeffb\n",
    "a: b\r\nc: d\r\n",
    "a: b\rc: d\r",
    "a: |\r\n  x\r\n  y\r\n",
    "a: \"x\r\n y\"\r\n",
    "a: \"x\r\r\n y\"\r\n",
    "a: 'x\r\r\n\r\n y'\r\n",
    "a: |+\r\n  x\r\r\n",
    "a: |+\n  x",
    "a: 'x\n\n",
    "#" + "p" * 600 + "\na: [\n\x01\n",
    "#" + "p" * 100 + "\na: [\n\x01\n",
    "a: b\x01\n",
    "a: \x7f\n",
    "a: b\u0085c\n",
    "a: b\u2028c\n",
    "a: \"\\u263A \\U0001F600 \\x41\"\n",
    "a: \"\\ud800\"\n",
    "a: \"\\x4\"\n",
    "a: \"\\q\"\n",
    "a: \"\\N\\_\\L\\P\\e\\0\\a\\b\\v\\f\"\n",
    "a: \"\\\t\"\n",
    "a: \"tab\there\"\n",
    "a: 'it''s'\n",
    "a: 'x\n\n  y'\n",
    "a: \"x\n\n  y\"\n",
    "a: \"x \\\n  y\"\n",
    "a: x\n  y\n\n  z\n",
    "a: x # c\n  y\n",
    "a: x#y\n",
    "a: x #y\n",
    "a: :x\n",
    "a: x:\n",
    "a: x: y\n",
    "a: - x\n",
    "a: -x\n",
    "- - a\n  - b\n- c\n",
    "- a: 1\n  b: 2\n- c\n",
    "a:\n- b\n- c\nd: e\n",
    "a:\n  - b\n - c\n",
    "a: |\n  x\n y\n",
    "a: |2\n   x\n  y\n",
    "a: |1\n  x\n",
    "a: |0\n  x\n",
    "a: |10\n  x\n",
    "a: |+\n  x\n\n\n",
    "a: |-\n  x\n\n",
    "a: >\n  x\n  y\n\n  z\n",
    "a: >\n  x\n\n    indented\n  y\n",
    "a: |+-\n  x\n",
    "a: | # comment\n  x\n",
    "a: |x\n  y\n",
    "a: |\n\n  x\n",
    "a: |\n  \n  x\n",
    "a: |\n    x\n  y\n",
    "a: >\n",
    "a: |\nb: 1\n",
    "- |\n  x\n- >\n  y\n",
    "a: 010\n",
    "a: 0o10\n",
    "a: 0x1F\n",
    "a: 0b101\n",
    "a: -0b101\n",
    "a: 0b-1\n",
    "a: 1_000\n",
    "a: 9223372036854775808\n",
    "a: 18446744073709551615\n",
    "a: 18446744073709551616\n",
    "a: -9223372036854775809\n",
    "a: 1e3\n",
    "a: 1.5e300\n",
    "a: 1e400\n",
    "a: .5\n",
    "a: ._5\n",
    "a: 5.\n",
    "a: +.5\n",
    "a: .inf\n",
    "a: -.Inf\n",
    "a: .NaN\n",
    "a: [.nan]\n",
    ".nan: 1\n",
    ".inf: 1\n",
    "1e6: a\n",
    "1.5: a\n",
    "0.1: a\n",
    "3.14159265358979: a\n",
    "1e21: a\n",
    "1: a\n",
    "010: a\n",
    "true: a\n",
    "yes: a\n",
    "~: a\n",
    "null: a\n",
    ": a\n",
    "18446744073709551615: a\n",
    "2001-01-01: a\n",
    "a: 2001-01-01\n",
    "a: 2001-01-01 10:00:00\n",
    "a: y\nb: n\nc: on\nd: off\ne: yes\nf: NO\n",
    "a: 1\na: 2\n",
    "a: 1\nb:\n  c: 1\n  c: 2\n",
    "1: a\n'1': b\n",
    "a:\n  b: 1\n b: 2\n",
    "a:\n  b: 1\n   c: 2\n",
    "  a: 1\nb: 2\n",
    "a: 1\n  b: 2\n",
    "# only a comment\n",
    "\n\n",
    "a: 1 # c\n# c\nb: 2 # c\n",
    "a: # c\n  b: 1\n",
    "a: [ # c\n  b, # c\n  c # c\n] # c\n",
    "a: { # c\n  b: 1 # c\n}\n",
    "a: &anchor # c\n  b: 1\n",
    "a: !!str # c\n  x\n",
    "- &a\n- *a\n",
    "&a\n",
    "*a\n",
    "a: *\n",
    "a: &\n",
    "a: &a, b\n",
    "a: [&a b, *a]\n",
    "a: {&a b: c, d: *a}\n",
    "a: @x\n",
    "a: `x\n",
    "@a: 1\n",
    "%a: 1\n",
    "a: %x\n",
    "a: x%\n",
    "- a\nb: c\n",
    "a: b\n- c\n",
    "a:\n  - b\n  c: d\n",
    "[a, b\n",
    "{a: b\n",
    "]\n",
    "}\n",
    ",\n",
    "a, b\n",
    "a: [b]c\n",
    'a: "b"c\n',
    "a: 'b'c\n",
    "a: \"b\" # c\n",
    "a: [\"b\"\n, c]\n",
    "a: [b\n, c]\n",
    "a: [b\n,c]\n",
    "{a: [b, {c: d}], e: f}\n",
    "[[[[]]]]\n",
    "[{}, [], '', \"\", ~]\n",
    "a: {b: [c, {d: e}]}\n",
    "a: [b, [c, [d]]]\n",
    "? |\n  block key\n: v\n",
    "? - a\n  - b\n: c\n",
    "? a\n? b\n",
    "? a\n: b\n? a\n: c\n",
    "a:\n  ? b\n  : c\n",
    "- ? a\n  : b\n",
    "[? a, ? b : c]\n",
    "{? a, ? b : c}\n",
    "{a: b, a: c}\n",
    "[a, b]: c\n",
    "{a: 1}: b\n",
    "a: b\n---\nc: d\n",
    "---\n---\n",
    "--- \n",
    "--- # c\na: 1\n",
    "a: 1\n---x\n",
    "a: 1\n --- \n",
]


def long_key(n, ch="k"):
    return ch * n


def rnd_scalar(r):
    return r.choice(
        [
            "x", "y z", "1", "-1", "0x10", "010", "1_0", "1.5", "1e3", ".5", "yes", "No",
            "on", "~", "null", "true", "'q'", '"dq"', "''", '""', "'it''s'", '"a\\tb"',
            '"\\u00e9"', "2001-01-01", "a:b", "a#b", "-a", "?a", ":a", "<<", "!!str 1",
            "!foo x", "&a1 v", "*a1", "[a, b]", "{a: 1}", "[]", "{}", "9223372036854775808",
            ".inf", ".nan", "-.inf", "0b11", "+1", "0o7", "1.0", "100.0", "1e21",
        ]
    )


def indent_block(text, n):
    return "\n".join((" " * n + l) if l else l for l in text.split("\n"))


def template(r):
    ind = r.choice([0, 1, 2, 3, 4, 6])
    sub = ind + r.choice([0, 1, 2, 4])
    close = r.choice([0, ind, sub, max(0, ind - 1), ind + 1])
    k = r.choice(["a", "args", "spec", "command", "x"])
    items = [rnd_scalar(r) for _ in range(r.randint(0, 4))]
    t = r.randrange(22)
    if t == 0:  # flow sequence over lines, closed at an odd column
        body = (",\n" + " " * sub).join(items)
        inner = f"{k}: [\n{' ' * sub}{body}\n{' ' * close}]"
        return f"root:\n{indent_block(inner, ind)}\n" if ind else inner + "\n"
    if t == 1:  # flow mapping over lines
        body = (",\n" + " " * sub).join(f"k{i}: {v}" for i, v in enumerate(items))
        inner = f"{k}: {{\n{' ' * sub}{body}\n{' ' * close}}}"
        return f"root:\n{indent_block(inner, ind)}\n" if ind else inner + "\n"
    if t == 2:  # multi-line quoted scalar with continuation at odd indentation
        q = r.choice(['"', "'"])
        lines = [r.choice(["one", "two words", "x\\ty", "a # b", "c: d", "- e", "", "\\/"]) for _ in range(r.randint(1, 4))]
        cont = r.choice([0, ind, sub, ind + 1])
        body = ("\n" + " " * cont).join(lines)
        inner = f"{k}: {q}{body}{q}"
        return f"root:\n{indent_block(inner, ind)}\n" if ind else inner + "\n"
    if t == 3:  # block scalar with indicators
        ind_ind = r.choice(["", "1", "2", "3", "9"])
        chomp = r.choice(["", "-", "+"])
        header = r.choice([ind_ind + chomp, chomp + ind_ind])
        style = r.choice(["|", ">"])
        lines = [r.choice(["text", "  more", "", "\ttab", "  ", "x: y", "# not a comment", "---", "- item"]) for _ in range(r.randint(0, 5))]
        body_ind = r.choice([sub, ind + 1, ind + 2, ind])
        body = "\n".join((" " * body_ind + l) if l else "" for l in lines)
        tail = r.choice(["", "\n", "\n\n", f"\n{' ' * ind}next: 1"])
        inner = f"{k}: {style}{header}{r.choice(['', ' # c'])}\n{body}{tail}"
        return inner + "\n"
    if t == 4:  # plain multi-line
        lines = [r.choice(["word", "two words", "a: b", "a:b", "# c", "x #c", "- y", "z:"]) for _ in range(r.randint(1, 4))]
        cont = r.choice([0, 1, 2, 4])
        return f"{k}: " + ("\n" + " " * cont).join(lines) + "\n"
    if t == 5:  # anchors and merges
        a = f"base: &b {{x: 1, y: {rnd_scalar(r)}}}\n"
        other = r.choice(["", "other: &o {z: 3}\n", "list: &l [1, 2]\n", "sc: &s 1\n"])
        merge = r.choice(["*b", "[*b]", "[*b, *o]", "*o", "*l", "*s", "{q: 1}", "[{q: 1}, *b]", "~", "[*l]"])
        order = r.choice([0, 1])
        m = f"  <<: {merge}\n  y: own\n" if order else f"  y: own\n  <<: {merge}\n"
        return a + other + "m:\n" + m
    if t == 6:  # tags
        tag = r.choice(["!!str", "!!int", "!!float", "!!bool", "!!null", "!!binary", "!!timestamp", "!!map", "!!seq", "!local", "!", "!<tag:yaml.org,2002:int>", "!!merge", "!e!x", "!!foo"])
        return f"{k}: {tag} {rnd_scalar(r)}\n"
    if t == 7:  # long keys around the 1024-character simple-key limit
        n = r.choice([1020, 1022, 1023, 1024, 1025, 1030, 2000])
        form = r.choice(["{key}: v\n", "{{{key}: v}}\n", "[{key}: v]\n", '"{key}": v\n', "- {key}: v\n", "a:\n  {key}: v\n"])
        return form.format(key=long_key(n))
    if t == 8:  # document markers and directives
        pre = r.choice(["", "%YAML 1.1\n", "%YAML 1.2\n", "%TAG !e! tag:e.com:\n", "%YAML 1.1 # c\n", "%YAML 1.1x\n"])
        start = r.choice(["---\n", "--- ", "", "--- # c\n"])
        end = r.choice(["", "...\n", "... # c\n"])
        return f"{pre}{start}{k}: {rnd_scalar(r)}\n{end}"
    if t == 9:  # numbers and odd scalars as keys
        return f"{rnd_scalar(r)}: {rnd_scalar(r)}\n{rnd_scalar(r)}: v\n"
    if t == 10:  # comments everywhere
        c = " # c"
        return f"# head\n{k}:{c}\n  - a{c}\n  # mid\n  - [b, c]{c}\n  -{c}\n    d: e{c}\n# tail\n"
    if t == 11:  # tabs
        return r.choice([f"{k}:\t{rnd_scalar(r)}\n", f"{k}:\n\t- x\n", f"{k}: x\t\n", f"{k}:\n  - x\n  -\ty\n", f"{k}: [\tx,\ty]\n", f"{k}: {{\tq: 1}}\n", f"{k}:\n  x\n\ty\n"])
    if t == 12:  # complex keys
        return r.choice(["? a\n: b\n", "? [a]\n: b\n", "? |\n  k\n: v\n", "? a\n", f"{k}:\n  ? b\n  : c\n  ? d\n", "? a: b\n: c\n"])
    if t == 13:  # BOM and line endings
        body = f"{k}: {rnd_scalar(r)}\nb: 2\n"
        if r.random() < 0.5:
            body = body.replace("\n", r.choice(["\r\n", "\r", "\u0085", "\u2028"]))
        return r.choice(["\ufeff", ""]) + body
    if t == 14:  # nested block structure with an indentation slip
        lines = [f"{k}:", "  b:", "    c: 1", "    d:", "    - e", "    - f", "  g: h"]
        i = r.randrange(len(lines))
        lines[i] = " " * r.choice([0, 1, 3, 5]) + lines[i].lstrip()
        return "\n".join(lines) + "\n"
    if t == 15:  # flow inside block sequences
        return f"- [{', '.join(items)}\n{' ' * close}]\n- {{a: [\n{' ' * sub}1]}}\n"
    if t == 16:  # escapes
        esc = r.choice(["\\x41", "\\u263a", "\\U0001F600", "\\/", "\\q", "\\N", "\\_", "\\L", "\\P", "\\0", "\\e", "\\ ", "\\\"", "\\'", "\\x4g", "\\uD800", "\\U00110000", "\\\\", "\\t", "\\\t"])
        return f'{k}: "pre{esc}post"\n'
    if t == 17:  # empty values and keys without values
        return r.choice([f"{k}:\n", f"{k}:\nb:\n", f"- {k}:\n- \n", f"{{{k}, b: }}\n", f"[{k}: ]\n", f"{k}: {{b: }}\n", f"{k}: []\nb: {{}}\n"])
    if t == 18:  # duplicate keys
        return f"{k}: 1\nb: 2\n{k}: 3\n" if r.random() < 0.5 else f"m:\n  x: 1\n  x: 2\n"
    if t == 19:  # aliases and anchors in odd places
        return r.choice(["&a a: 1\nb: *a\n", "a: &a\n  - 1\nb: *a\n", "a: [&x 1, *x, *x]\n", "a: *a\n", "a: &a [1, *a]\n", "- &a x\n- *a\n- *b\n", "&a : 1\n", "a: &a &b x\n", "a: !!str &a x\nb: *a\n", "a: &a !!str x\nb: *a\n"])
    if t == 20:  # control characters and unusual unicode
        ch = r.choice(["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x80", "\x9f", "\u00a0", "\ufffe", "\uffff", "\U0001F600", "\ufeff"])
        return f"{k}: a{ch}b\n"
    # t == 21: a control character after 512+ bytes, behind a syntax error.
    pad = "#" + "p" * r.choice([100, 500, 600, 1100])
    return f"{k}: [\n{pad}\n: x\n" + r.choice(["\x01\n", "ok\n"])


def mutate(r, text):
    if not text:
        return text
    i = r.randrange(len(text))
    op = r.randrange(6)
    if op == 0:
        return text[:i] + text[i + 1 :]
    if op == 1:
        return text[:i] + r.choice(list(":-?[]{},#&*!|>'\"%@` \t\n")) + text[i:]
    if op == 2:
        return text[:i] + text[i] + text[i:]
    lines = text.split("\n")
    j = r.randrange(len(lines))
    if op == 3:
        lines[j] = " " + lines[j]
    elif op == 4 and lines[j].startswith(" "):
        lines[j] = lines[j][1:]
    else:
        lines[j] = "\t" + lines[j]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=12000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--noise", action="store_true")
    a = ap.parse_args()
    r = random.Random(a.seed)
    os.makedirs(a.outdir, exist_ok=True)
    if a.noise:
        alpha = list(":-?[]{},#&*!|>'\"%@` \t\n\r\\abcxyz019.~<=+") + [
            "\ufeff", "\u2028", "\u0085", "\u00e9", "---", "...", "\n  ", "\n- ", "<<", ": ",
            "!!int ", "&a ", "*a ", "|2-", '"\\u', "'",
        ]
        for i in range(a.count):
            d = "".join(r.choice(alpha) for _ in range(r.randint(1, 40)))
            with open(os.path.join(a.outdir, f"n{i:05d}.yaml"), "w", encoding="utf-8", newline="") as fh:
                fh.write(d)
        print(f"{a.count} random documents in {a.outdir}")
        return
    docs = list(CASES)
    docs += [mutate(r, c) for c in CASES for _ in range(2)]
    while len(docs) < a.count:
        t = template(r)
        docs.append(mutate(r, t) if r.random() < 0.3 else t)
    for i, d in enumerate(docs[: a.count]):
        with open(os.path.join(a.outdir, f"g{i:05d}.yaml"), "w", encoding="utf-8", newline="") as fh:
            fh.write(d)
    print(f"{min(len(docs), a.count)} documents in {a.outdir}")


if __name__ == "__main__":
    main()
