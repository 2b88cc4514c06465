#!/usr/bin/env python3
"""Write tricky YAML inputs (one case per file) into a directory, for `diff.py yaml`.

    python3 yaml_cases.py OUT_DIR

Each case is a small Kubernetes-shaped document (so crdlint reads it as a resource) or a bare
YAML edge case. The files are generated rather than checked in because some hold bytes that are
not UTF-8, BOMs, CR line ends or NULs.
"""

import os
import sys

HEAD = "apiVersion: demo.example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"


def cases():
    c = {}
    # --- the ones named in the brief
    c["flow_close_at_parent_indent"] = HEAD + "spec:\n  tags: [a, b,\n    c\n  ]\n  mode: Active\n"
    c["flow_close_col0"] = HEAD + "spec:\n  tags: [a, b,\n    c\n]\n"
    c["flow_item_below_parent"] = HEAD + "spec:\n  tags: [a, b,\n  c]\n"
    c["flow_map_close_at_parent"] = HEAD + "spec:\n  sel: {a: b,\n    c: d\n  }\n"
    c["escaped_slash_dq"] = HEAD + 'spec:\n  image: "a\\/b"\n'
    c["escaped_slash_sq"] = HEAD + "spec:\n  image: 'a\\/b'\n"
    c["yaml11_scalars"] = HEAD + ("spec:\n  a: yes\n  b: on\n  c: 0777\n  d: 1e3\n  e: 1_000\n  f: 0x1F\n"
                                 "  g: 0b101\n  h: 0o17\n  i: y\n  j: NO\n  k: Off\n  l: +12\n  m: 1:20\n"
                                 "  n: 12_3.4_5\n  o: -0x1F\n  p: 0.\n  q: .5\n  r: 2001-12-14\n"
                                 "  s: 9223372036854775808\n  t: -9223372036854775809\n  u: 1e+3\n  v: 1E3\n")
    c["float_inf"] = HEAD + "spec:\n  a: .inf\n"
    c["float_nan"] = HEAD + "spec:\n  a: .NaN\n"
    c["float_overflow"] = HEAD + "spec:\n  a: 1e400\n"
    c["dup_key_top"] = HEAD + "spec: {}\nspec: {}\n"
    c["dup_key_nested"] = HEAD + "spec:\n  a: 1\n  a: 2\n"
    c["dup_key_flow"] = HEAD + "spec: {a: 1, a: 2}\n"
    c["dup_key_quoted_vs_plain"] = HEAD + "spec:\n  a: 1\n  \"a\": 2\n"
    c["dup_key_int_vs_str"] = HEAD + "spec:\n  1: a\n  \"1\": b\n"
    c["dup_key_bool_forms"] = HEAD + "spec:\n  yes: a\n  true: b\n"
    c["merge_simple"] = "x: &b\n  p: 1\n" + HEAD + "spec:\n  <<: *b\n  q: 2\n"
    c["merge_override"] = "x: &b\n  p: 1\n" + HEAD + "spec:\n  <<: *b\n  p: 2\n"
    c["merge_override_before"] = "x: &b\n  p: 1\n" + HEAD + "spec:\n  p: 2\n  <<: *b\n"
    c["merge_list"] = "x: &b\n  p: 1\ny: &c\n  p: 3\n  r: 4\n" + HEAD + "spec:\n  <<: [*b, *c]\n"
    c["merge_inline"] = HEAD + "spec:\n  <<: {p: 1}\n  q: 2\n"
    c["merge_scalar"] = HEAD + "spec:\n  <<: 5\n"
    c["merge_twice"] = "x: &b\n  p: 1\ny: &c\n  r: 1\n" + HEAD + "spec:\n  <<: *b\n  <<: *c\n"
    c["merge_quoted_key"] = HEAD + "spec:\n  \"<<\": {p: 1}\n"
    c["tab_indent"] = HEAD + "spec:\n\timage: x\n"
    c["tab_after_colon"] = HEAD + "spec:\n  image:\tx\n"
    c["tab_after_value"] = HEAD + "spec:\n  image: x\t\n"
    c["tab_in_flow"] = HEAD + "spec: {a:\t1}\n"
    c["tab_before_comment"] = HEAD + "spec:\n  image: x\t# c\n"
    c["tab_in_dq"] = HEAD + 'spec:\n  image: "a\tb"\n'
    c["tab_after_dash"] = HEAD + "spec:\n  tags:\n  -\ta\n"
    c["tab_line_blank"] = HEAD + "spec:\n\t\n  image: x\n"
    lol = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for n in "bcdefghi":
        lol.append("%s: &%s [%s]" % (n, n, ",".join(["*" + prev] * 9)))
        prev = n
    c["alias_bomb"] = "\n".join(lol) + "\n"
    c["alias_undefined"] = HEAD + "spec: *nope\n"
    c["anchor_redefined"] = "x: &a 1\ny: &a 2\nz: *a\n" + HEAD
    c["alias_as_key"] = "x: &k image\n" + HEAD + "spec:\n  *k : x\n"
    # --- separators and documents
    c["sep_leading"] = "---\n" + HEAD
    c["sep_double"] = HEAD + "---\n---\n" + HEAD
    c["sep_with_comment"] = HEAD + "--- # c\n" + HEAD
    c["sep_no_space_comment"] = HEAD + "---# c\n" + HEAD
    c["sep_with_text"] = HEAD + "--- foo\n" + HEAD
    c["sep_four_dashes"] = HEAD + "----\n" + HEAD
    c["sep_tag"] = "--- !!map\n" + HEAD
    c["sep_block_scalar"] = "--- |\n  text\n"
    c["sep_trailing_space"] = HEAD + "--- \n" + HEAD
    c["doc_end_marker"] = HEAD + "...\n---\n" + HEAD
    c["doc_end_only"] = HEAD + "...\n"
    c["doc_end_then_content"] = HEAD + "...\nfoo: bar\n"
    c["directive_yaml"] = "%YAML 1.1\n---\n" + HEAD
    c["directive_tag"] = "%TAG !e! tag:example.com,2000:\n---\n" + HEAD
    c["directive_no_doc_start"] = "%YAML 1.2\n" + HEAD
    c["comment_only_docs"] = "# a\n---\n# b\n---\n" + HEAD
    c["dashes_in_block_scalar"] = HEAD + "spec:\n  text: |\n    a\n---\nfoo: 1\n"
    c["dashes_in_plain_multiline"] = "a: b\n  c\n---\n"
    c["empty_file"] = ""
    c["only_newlines"] = "\n\n\n"
    c["only_sep"] = "---\n"
    c["scalar_doc"] = "hello\n"
    c["list_doc"] = "- a\n- b\n"
    c["null_doc"] = "~\n"
    # --- encodings and bytes
    c["bom_utf8"] = b"\xef\xbb\xbf" + HEAD.encode()
    c["bom_second_doc"] = HEAD.encode() + b"---\n\xef\xbb\xbf" + HEAD.encode()
    c["utf16le_bom"] = b"\xff\xfe" + HEAD.encode("utf-16-le")
    c["crlf"] = HEAD.replace("\n", "\r\n").encode()
    c["cr_only"] = HEAD.replace("\n", "\r").encode()
    c["nonutf8_value"] = HEAD.encode() + b"spec:\n  image: \"\xff\"\n"
    c["nonutf8_comment"] = HEAD.encode() + b"# \xff\n"
    c["nul_byte"] = HEAD.encode() + b"spec:\n  image: \"a\x00b\"\n"
    c["control_char"] = HEAD.encode() + b"spec:\n  image: a\x07b\n"
    c["del_char"] = HEAD.encode() + b"spec:\n  image: a\x7fb\n"
    c["nel_line_break"] = HEAD.encode() + "spec:\n  image: a\u0085b\n".encode()
    c["ls_line_sep"] = HEAD.encode() + "spec:\n  image: a\u2028b\n".encode()
    c["astral"] = HEAD + "spec:\n  image: \"\U0001F600\"\n"
    c["surrogate_escape"] = HEAD + 'spec:\n  image: "\\ud800"\n'
    # --- escapes and quoting
    for name, esc in [("x", "\\x41"), ("u", "\\u0041"), ("U", "\\U00000041"), ("N", "\\N"), ("_", "\\_"),
                      ("L", "\\L"), ("P", "\\P"), ("e", "\\e"), ("space", "\\ "), ("tab", "\\\t"),
                      ("zero", "\\0"), ("bad", "\\q"), ("newline", "\\\n    x")]:
        c["escape_" + name] = HEAD + 'spec:\n  image: "a%sb"\n' % esc
    c["sq_escape"] = HEAD + "spec:\n  image: 'it''s'\n"
    c["dq_multiline"] = HEAD + 'spec:\n  image: "a\n    b\n\n    c"\n'
    c["dq_multiline_underindented"] = HEAD + 'spec:\n  image: "a\nb"\n'
    c["plain_multiline"] = HEAD + "spec:\n  image: a\n    b\n"
    c["plain_colon_no_space"] = HEAD + "spec:\n  image: a:b\n"
    c["key_no_space"] = HEAD + "spec:\n  image:x\n"
    c["hash_no_space"] = HEAD + "spec:\n  image: a#b\n"
    c["plain_starts_with_indicator"] = HEAD + "spec:\n  image: @x\n"
    c["plain_backtick"] = HEAD + "spec:\n  image: `x\n"
    c["plain_percent"] = HEAD + "spec:\n  image: %x\n"
    c["plain_dash_value"] = HEAD + "spec:\n  image: -x\n"
    c["plain_question"] = HEAD + "spec:\n  image: ?x\n"
    c["trailing_colon_value"] = HEAD + "spec:\n  image: x:\n"
    # --- block scalars
    c["literal_keep"] = HEAD + "spec:\n  image: |+\n    a\n\n"
    c["literal_strip"] = HEAD + "spec:\n  image: |-\n    a\n"
    c["literal_indent_indicator"] = HEAD + "spec:\n  image: |2\n     a\n"
    c["literal_indent_indicator_bad"] = HEAD + "spec:\n  image: |1\n  a\n"
    c["folded_more_indented"] = HEAD + "spec:\n  image: >\n    a\n      b\n    c\n"
    c["literal_leading_blank_more_indented"] = HEAD + "spec:\n  image: |\n\n      a\n    b\n"
    c["literal_tab_content"] = HEAD + "spec:\n  image: |\n    \ta\n"
    c["literal_empty"] = HEAD + "spec:\n  image: |\nstatus: {}\n"
    # --- tags
    c["tag_str_int"] = HEAD + "spec:\n  replicas: !!str 3\n"
    c["tag_int_str"] = HEAD + "spec:\n  replicas: !!int \"3\"\n"
    c["tag_int_bad"] = HEAD + "spec:\n  replicas: !!int x\n"
    c["tag_float_int"] = HEAD + "spec:\n  replicas: !!float 3\n"
    c["tag_binary"] = HEAD + "spec:\n  image: !!binary aGVsbG8=\n"
    c["tag_custom"] = HEAD + "spec:\n  image: !foo x\n"
    c["tag_verbatim"] = HEAD + "spec:\n  image: !<tag:yaml.org,2002:str> x\n"
    c["tag_timestamp"] = HEAD + "spec:\n  image: !!timestamp 2001-12-14\n"
    c["tag_set"] = HEAD + "spec:\n  image: !!set {a, b}\n"
    c["tag_omap"] = HEAD + "spec:\n  image: !!omap [a: 1, b: 2]\n"
    c["tag_null_on_map"] = HEAD + "spec: !!null\n"
    c["timestamp_plain"] = HEAD + "spec:\n  when: 2001-12-14t21:59:43.10-05:00\n"
    # --- keys
    c["complex_key"] = HEAD + "spec:\n  ? [a, b]\n  : 1\n"
    c["explicit_key"] = HEAD + "spec:\n  ? image\n  : x\n"
    c["null_key"] = HEAD + "spec:\n  ~: x\n"
    c["empty_key"] = HEAD + "spec:\n  : x\n"
    c["float_key"] = HEAD + "spec:\n  1.5: x\n  1.50: y\n"
    c["bool_key"] = HEAD + "spec:\n  on: x\n"
    c["long_implicit_key"] = HEAD + "spec:\n  " + "k" * 1100 + ": x\n"
    c["key_with_colon"] = HEAD + "spec:\n  a:b: x\n"
    c["map_in_seq_key"] = HEAD + "spec:\n  - a: 1\n    b: 2\n"
    # --- structure / indentation
    c["seq_same_indent"] = HEAD + "spec:\n  tags:\n  - a\n  - b\n"
    c["seq_nested_compact"] = HEAD + "spec:\n  m:\n  - - a\n    - b\n"
    c["seq_then_key_misaligned"] = HEAD + "spec:\n  tags:\n    - a\n   x: 1\n"
    c["mapping_dedent_odd"] = HEAD + "spec:\n    a: 1\n  b: 2\n"
    c["flow_trailing_comma"] = HEAD + "spec:\n  tags: [a, b,]\n"
    c["flow_empty_entry"] = HEAD + "spec:\n  tags: [a, , b]\n"
    c["flow_map_in_seq"] = HEAD + "spec:\n  tags: [a: 1, b]\n"
    c["flow_nested_multiline"] = HEAD + "spec:\n  x: {a: [1,\n 2], b: 3}\n"
    c["flow_plain_multiline"] = HEAD + "spec:\n  x: [a\n    b]\n"
    c["flow_comment_inside"] = HEAD + "spec:\n  x: [a, # c\n    b]\n"
    c["flow_key_json_like"] = HEAD + 'spec:\n  x: {"a":1}\n'
    c["flow_adjacent_value"] = HEAD + 'spec:\n  x: {"a":b}\n'
    c["flow_question_key"] = HEAD + "spec:\n  x: {? a: 1}\n"
    c["json_document"] = '{"apiVersion": "demo.example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}\n'
    c["json_tabs"] = '{\t"apiVersion":\t"v1",\n\t"kind": "ConfigMap"}\n'
    c["deep_nesting_200"] = HEAD + "spec:\n  x: " + "[" * 200 + "]" * 200 + "\n"
    c["deep_nesting_1000"] = HEAD + "spec:\n  x: " + "[" * 1000 + "]" * 1000 + "\n"
    c["deep_block_nesting_300"] = HEAD + "spec:\n" + "".join("  " * (i + 1) + "k:\n" for i in range(300)) + "  " * 301 + "v: 1\n"
    c["big_int_key_value"] = HEAD + "spec:\n  replicas: 0x7FFFFFFFFFFFFFFF\n"
    c["trailing_garbage_after_flow"] = HEAD + "spec:\n  tags: [a] b\n"
    c["comment_between_key_value"] = HEAD + "spec:\n  image:\n    # c\n    x\n"
    c["anchor_on_empty"] = HEAD + "spec:\n  a: &x\n  b: *x\n"
    c["reserved_indicator_at"] = HEAD + "spec:\n  image: x @y\n"
    return c


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = 0
    for name, body in sorted(cases().items()):
        ext = ".json" if name.startswith("json_") else ".yaml"
        with open(os.path.join(out, name + ext), "wb") as fh:
            fh.write(body if isinstance(body, bytes) else body.encode("utf-8"))
        n += 1
    print("wrote %d cases to %s" % (n, out))


if __name__ == "__main__":
    main()
