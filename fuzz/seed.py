#!/usr/bin/env python3
"""Write the seed corpora of the fuzz targets into fuzz/corpus/<target>/ from the project's
own manifests: fixtures/, examples/ and the YAML examples of rules/*.md."""
import hashlib
import pathlib
import re

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "fuzz" / "corpus"


def save(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def manifests():
    for base in ("fixtures", "examples"):
        for p in sorted((root / base).rglob("*")):
            if p.suffix in (".yaml", ".yml", ".json") and p.is_file():
                yield p.read_text()
    for p in sorted((root / "rules").rglob("*.md")):
        for block in re.findall(r"```yaml\n(.*?)```", p.read_text(), re.S):
            yield block


def schemas(text):
    """Every openAPIV3Schema block, dedented."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "openAPIV3Schema:":
            ind = len(line) - len(line.lstrip())
            body = []
            for l in lines[i + 1:]:
                if l.strip() and len(l) - len(l.lstrip()) <= ind:
                    break
                body.append(l)
            pad = min((len(l) - len(l.lstrip()) for l in body if l.strip()), default=0)
            yield "\n".join(l[pad:] for l in body) + "\n"


def scalars(text, key):
    for m in re.finditer(r"^\s*-?\s*" + key + r""":\s*(?:'((?:[^']|'')*)'|"((?:[^"\\]|\\.)*)"|(\S.*))$""", text, re.M):
        single, double, plain = m.groups()
        if single is not None:
            yield single.replace("''", "'")
        elif double is not None:
            yield double.encode().decode("unicode_escape")
        else:
            yield plain


texts = list(manifests())
for t in texts:
    save("yaml", t)
    save("check", t)
    for s in schemas(t):
        save("crd", b"\x00" + s.encode())
    for p in scalars(t, "pattern"):
        for sample in ("abc", "a-b.c", "0123", "é"):
            save("crd", b"\x01" + f"{p}\n===\n{sample}".encode())
    for r in scalars(t, "rule"):
        save("crd", b"\x02" + r.encode())
    for r in scalars(t, "messageExpression"):
        save("crd", b"\x02" + f"self.size > 1\n===\n{r}".encode())

for p in (r"^\d+$", r"^[\w.-]+$", r"^[]a]+$", r"^[[:alpha:]]+$", r"\bx\B", r"(?i)a{2,3}|[^\s\S]"):
    save("crd", b"\x01" + f"{p}\n===\nxx".encode())
for r in ("self.tags.all(t, t.size() < 10)", "self.ports.exists(p, p.port == 443)",
          "self.labels.all(k, self.labels[k].startsWith('y'))", "quantity('1Gi').isGreaterThan(quantity('1Mi'))",
          "self.name.matches('^a') && url('https://x').getHost() == 'x'", "[1,2,3].map(x, x * 2).size() == 3"):
    save("crd", b"\x02" + r.encode())
for d in ("{a: 1}", "[1, 2]", "x", "42", "null", "{b: [{c: d}]}"):
    save("crd", b"\x03" + f"{d}\n===\nsize: 1\nextra: {{}}".encode())
print({d.name: len(list(d.iterdir())) for d in out.iterdir()})
