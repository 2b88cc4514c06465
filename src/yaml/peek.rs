//! A document's values at a few key paths, read from go-yaml's events without building its
//! tree, and only as far as the caller needs: a CRD source of ten large CRDs is read to the
//! kind of each (its first twenty lines), not whole, when only one of them is used.
//!
//! Stopping early must not change an answer, so a value read is settled only when no later key
//! can replace it. The tree keeps the last of duplicate keys, and merge keys, aliases and tags
//! can supply or change a key: within what was read, any of these on the paths makes the peek
//! give up. For the rest of the document, the parser is not run; instead every line is looked
//! at that could hold a later key of a mapping on the paths: in block style, each key of a
//! mapping starts its own line at the mapping's indentation, so a line indented no deeper than
//! the deepest open mapping on the paths that could begin one of the paths' keys (or a quoted,
//! aliased, tagged, complex or merge key, or any line go-yaml might break differently) makes
//! the peek give up. Giving up costs the caller a whole parse, never a wrong answer.

use super::goyaml::{EventKind, parser::Parser};

/// Whether `decide` answers `Some(true)` for the values of the scalars at `paths` (each a list
/// of keys from the document's root mapping), read only as far as it needs them and settled
/// (no later key can change them). False when it answers `Some(false)`, or when the document
/// would have to be read whole to know.
///
/// `decide` is asked after each value read, with the values read so far (None: not read yet),
/// and answers None to read on; its `Some(true)` must hold whatever the values not read yet
/// are (only the keys on the way to the values read are looked for in the rest). A value is the
/// scalar's text as go-yaml reads it (quotes and escapes decoded); the tree reads the same text,
/// as a string or as a value of another type (a plain `true`, `1`, `null`): `decide` compares
/// with strings a text only a string equals.
pub fn settled(
    text: &str,
    paths: &[&[&str]],
    mut decide: impl FnMut(&[Option<&str>]) -> Option<bool>,
) -> bool {
    let text = super::as_kubectl_reads(text);
    let text: &str = &text;
    let mut values: Vec<Option<String>> = vec![None; paths.len()];
    // The open mappings on the paths, outermost first: the root, then the value of each one's
    // key.
    let mut open: Vec<PathMapping> = Vec::new();
    // How deep inside a value off the paths the parser is (0: on them).
    let mut off = 0usize;
    let mut ask = |values: &[Option<String>]| {
        let read: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
        decide(&read)
    };
    let mut parser = Parser::new(text);
    while let Some(event) = parser.next_event() {
        let Ok(event) = event else {
            return false;
        };
        if off > 0 {
            match event.kind {
                EventKind::MappingStart { .. } | EventKind::SequenceStart { .. } => off += 1,
                EventKind::MappingEnd | EventKind::SequenceEnd => {
                    off -= 1;
                    if off == 0 {
                        finish_value(&mut open);
                    }
                }
                _ => {}
            }
            continue;
        }
        let Some(top) = open.last_mut() else {
            match event.kind {
                EventKind::StreamStart | EventKind::DocumentStart { .. } => continue,
                // The root: a block mapping, or the document is read whole.
                EventKind::MappingStart {
                    tag: None,
                    flow: false,
                    ..
                } => {
                    open.push(PathMapping::new(false));
                    continue;
                }
                _ => return false,
            }
        };
        if top.key.is_none() {
            match event.kind {
                EventKind::MappingEnd => {
                    open.pop();
                    if open.is_empty() {
                        return false;
                    }
                    finish_value(&mut open);
                    // A flow mapping on the paths closed: a yes given while it was open may stop
                    // here.
                    if ask(&values) == Some(true)
                        && let Some(answer) = stop(text, paths, &values, &open, event.end.pos)
                    {
                        return answer;
                    }
                }
                EventKind::Scalar {
                    value,
                    tag: None,
                    anchor: None,
                    ..
                } if value != "<<" => {
                    top.column.get_or_insert(event.start.column);
                    let depth = open.len();
                    let leads = paths.iter().any(|p| {
                        p.len() >= depth
                            && p[depth - 1] == value.as_ref()
                            && on(p, &open[..depth - 1])
                    });
                    let top = open.last_mut().expect("a mapping is open");
                    if leads {
                        if top.seen.iter().any(|s| *s == value) {
                            return false;
                        }
                        top.seen.push(value.to_string());
                    }
                    top.key = Some(value.into_owned());
                }
                // A tagged, anchored, aliased, complex or merge key.
                _ => return false,
            }
            continue;
        }
        let leaf = paths
            .iter()
            .position(|p| p.len() == open.len() && on(p, &open));
        let inner = paths.iter().any(|p| p.len() > open.len() && on(p, &open));
        match event.kind {
            EventKind::Scalar {
                value, tag: None, ..
            } if leaf.is_some() => {
                values[leaf.unwrap_or_default()] = Some(value.into_owned());
                finish_value(&mut open);
                match ask(&values) {
                    None => {}
                    Some(false) => return false,
                    Some(true) => {
                        if let Some(answer) = stop(text, paths, &values, &open, event.end.pos) {
                            return answer;
                        }
                    }
                }
            }
            EventKind::MappingStart {
                tag: None, flow, ..
            } if inner => open.push(PathMapping::new(flow)),
            // A value on the paths of another shape, or tagged: read whole.
            _ if leaf.is_some() || inner => return false,
            EventKind::MappingStart { .. } | EventKind::SequenceStart { .. } => off = 1,
            _ => finish_value(&mut open),
        }
    }
    false
}

/// A mapping on the paths being read.
struct PathMapping {
    /// The key whose value is being read (None: a key is next).
    key: Option<String>,
    /// The keys read that lead to the paths (a second one is a duplicate).
    seen: Vec<String>,
    /// The column of its keys.
    column: Option<usize>,
    flow: bool,
}

impl PathMapping {
    fn new(flow: bool) -> Self {
        PathMapping {
            key: None,
            seen: Vec::new(),
            column: None,
            flow,
        }
    }
}

/// Whether `path` begins with the keys being read in `open`.
fn on(path: &[&str], open: &[PathMapping]) -> bool {
    open.iter()
        .zip(path)
        .all(|(o, k)| o.key.as_deref() == Some(*k))
}

/// A value of the innermost open mapping on the paths ended: a key is next.
fn finish_value(open: &mut [PathMapping]) {
    if let Some(top) = open.last_mut() {
        top.key = None;
    }
}

/// Once `decide` said yes: the answer when it stands whatever follows `at` (true), or when
/// something might change it (false: read whole); None while a flow mapping on the paths is
/// open (its keys need not start lines: read on to its end).
fn stop(
    text: &str,
    paths: &[&[&str]],
    values: &[Option<String>],
    open: &[PathMapping],
    at: usize,
) -> Option<bool> {
    let mut deepest = 0;
    for o in open {
        match o {
            PathMapping {
                flow: false,
                column: Some(c),
                ..
            } => deepest = deepest.max(*c),
            PathMapping { flow: true, .. } => return None,
            PathMapping { column: None, .. } => return Some(false),
        }
    }
    // The keys on the way to the values read (`decide`'s yes holds whatever the others are).
    let keys: Vec<&str> = (paths.iter().zip(values))
        .filter(|(_, v)| v.is_some())
        .flat_map(|(p, _)| p.iter().copied())
        .collect();
    Some(no_later_key(text, at, deepest, &keys))
}

/// Whether no line of `text` after byte `at` can hold a key of a block mapping indented at
/// most `deepest` that is, or could be, a key of the paths — see the module's comment.
fn no_later_key(text: &str, at: usize, deepest: usize, keys: &[&str]) -> bool {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let rest = &bytes[at..];
    // go-yaml also breaks lines at a CR alone and at NEL, LS and PS (a CR before a line feed
    // is gone already, as kubectl drops it): lines not found by their line feeds.
    let odd_break = memchr::memchr3_iter(b'\r', 0xC2, 0xE2, rest).any(|i| match rest[i] {
        b'\r' => true,
        0xC2 => rest.get(i + 1) == Some(&0x85),
        _ => rest.get(i + 1) == Some(&0x80) && matches!(rest.get(i + 2), Some(0xA8 | 0xA9)),
    });
    if odd_break {
        return false;
    }
    // The line `at` stands in: what is left of it after the value read must be blank or a
    // comment, unless only indentation precedes `at` (a block scalar's end), when the whole
    // line is looked at.
    let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let first_line_end = memchr::memchr(b'\n', rest).map_or(bytes.len(), |i| at + i + 1);
    if bytes[line_start..at].iter().all(|&b| b == b' ') {
        if !line_may_not_hold_key(&bytes[line_start..], deepest, keys) {
            return false;
        }
    } else if !bytes[at..first_line_end]
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .is_none_or(|i| matches!(bytes[at + i], b'#' | b'\n'))
    {
        return false;
    }
    memchr::memchr_iter(b'\n', &bytes[first_line_end.saturating_sub(1)..])
        .all(|i| line_may_not_hold_key(&bytes[first_line_end + i..], deepest, keys))
}

/// Whether the line `line` starts (running on to the end of the text) cannot be a key of a
/// block mapping indented at most `deepest` that is one of `keys` or might be.
fn line_may_not_hold_key(line: &[u8], deepest: usize, keys: &[&str]) -> bool {
    let indent = line
        .iter()
        .take(deepest + 1)
        .take_while(|&&b| b == b' ')
        .count();
    if indent > deepest {
        return true;
    }
    let content = &line[indent..];
    match content.first() {
        // The end of the text, a blank line, a comment (or a quoted scalar's text: no key).
        None | Some(b'\n' | b'#') => true,
        // An entry of a block sequence (the value of a key): its content is no key of the
        // mappings looked at.
        Some(b'-') if matches!(content.get(1), None | Some(b' ' | b'\t' | b'\n')) => true,
        // A plain scalar: a key of the paths only when it is one of them, followed by a colon.
        Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'/') => {
            !keys.iter().any(|k| {
                content.strip_prefix(k.as_bytes()).is_some_and(|after| {
                    after
                        .iter()
                        .find(|&&b| b != b' ' && b != b'\t')
                        .is_some_and(|&b| b == b':')
                })
            })
        }
        // Quoted, aliased, anchored, tagged, complex or merge keys, flow collections, a tab,
        // a byte order mark...: might be.
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATHS: [&[&str]; 3] = [&["kind"], &["spec", "group"], &["spec", "names", "kind"]];

    /// Whether the peek settles that the document is not of group `a` and kind `A`, as the
    /// caller in `model::crd` asks.
    fn not_a(text: &str) -> bool {
        settled(text, &PATHS, |read| {
            let [_, group, kind] = read else {
                return None;
            };
            if (*group)? != "a" {
                return Some(true);
            }
            Some((*kind)? != "A")
        })
    }

    /// Decided by its last line.
    const HEAD: &str = "kind: CustomResourceDefinition\nspec:\n  group: a\n  names:\n    kind: B\n";

    #[test]
    fn stops_once_the_values_decide() {
        // What follows is not even YAML: it is not read.
        let text = format!("{HEAD}  scope: Namespaced\n  versions:\n  - name: v1\n      : : [\n");
        assert!(not_a(&text));
        // The values say no: the document is not passed over.
        assert!(!not_a(
            "spec:\n  group: a\n  names:\n    kind: A\n  scope: x\n"
        ));
        // They never decide.
        assert!(!not_a("spec:\n  group: a\n"));
    }

    #[test]
    fn lines_that_may_hold_a_later_key_make_it_give_up() {
        for later in [
            // A duplicate key of each mapping on the paths, the last of which the tree keeps.
            "spec:\n  group: a\n",
            "  group: a\n",
            "  names:\n    kind: A\n",
            "kind: X\n",
            // Keys that might be one.
            "  \"group\": a\n",
            "  'group': a\n",
            "  <<: {group: a}\n",
            "  *g : a\n",
            "  ? group\n  : a\n",
            "  !!str group: a\n",
            "  &x group: a\n",
            "  group : a\n",
            "\u{feff}spec: {}\n",
            "  \tgroup: a\n",
            // A line go-yaml breaks where a line feed does not.
            "  scope: x\rspec: {}\n",
            "  scope: x\u{2028}spec: {}\n",
        ] {
            let text = format!("{HEAD}  scope: Namespaced\n  versions:\n  - name: v1\n{later}");
            assert!(!not_a(&text), "{later:?}");
        }
        assert!(not_a(&format!(
            "{HEAD}  scope: Namespaced\n  versions:\n  - name: v1\n  foo: a\n"
        )));
    }

    #[test]
    fn deeper_lines_comments_and_sequences_are_no_keys_of_the_paths() {
        let text = format!(
            "{HEAD}  versions:\n  - name: v1\n    schema:\n      group: a\n# spec: x\n\n  # group: a\n  -  kind: A\nstatus:\n  group: a2\n"
        );
        assert!(
            !not_a(&text),
            "status.group is at the indentation of spec's keys"
        );
        let text = format!(
            "{HEAD}  versions:\n  - name: v1\n    schema:\n      group: a\n      names: x\n# spec: x\n\n  # group: a\n- kind: A\nstatus: {{}}\n"
        );
        assert!(not_a(&text));
    }

    #[test]
    fn a_stop_inside_names_looks_at_the_rest_of_names() {
        let text = format!("{HEAD}    listKind: BList\n    kind: A\n");
        assert!(!not_a(&text));
        let text = format!("{HEAD}    listKind: BList\n    plural: bs\n");
        assert!(not_a(&text));
    }

    #[test]
    fn duplicates_aliases_tags_and_merges_on_the_paths_read_so_far_give_up() {
        for text in [
            "spec:\n  group: b\n  group: b\n  names:\n    kind: B\n",
            "spec:\n  <<: {x: 1}\n  group: b\n  names:\n    kind: B\n",
            "spec:\n  group: !!str b\n  names:\n    kind: B\n",
            "spec:\n  group: *b\n  names:\n    kind: B\n",
            "spec: !!map\n  group: b\n  names:\n    kind: B\n",
            "spec:\n  group: [b]\n  names:\n    kind: B\n",
            "{spec: {group: b, names: {kind: B}}}\n",
        ] {
            assert!(!not_a(text), "{text:?}");
        }
        // Off the paths, they do not matter.
        assert!(not_a(
            "metadata: &m\n  <<: {x: 1}\n  name: !!str x\nspec:\n  group: b\n  names:\n    kind: B\n"
        ));
    }

    #[test]
    fn flow_mappings_on_the_paths_are_read_to_their_end() {
        assert!(not_a("spec: {group: b,\n names: {kind: B}}\nstatus: {}\n"));
        assert!(!not_a("spec: {group: b,\n names: {kind: B},\ngroup: a}\n"));
        assert!(!not_a("spec: {group: b, names: {kind: B}}\nspec: {}\n"));
    }

    #[test]
    fn what_follows_the_value_on_its_line_is_looked_at() {
        assert!(not_a(
            "spec:\n  names:\n    kind: B # c\n  group: b # c\nstatus: {}\n"
        ));
        // A block scalar ends at the next line's indentation: that line is looked at.
        assert!(!not_a(
            "spec:\n  names:\n    kind: B\n  group: |\n    b\n  group: a\n"
        ));
        assert!(not_a(
            "spec:\n  names:\n    kind: B\n  group: |\n    b\n  scope: x\n"
        ));
    }

    #[test]
    fn text_is_read_as_kubectl_reads_it() {
        let text = format!("{HEAD}  versions: []\n").replace('\n', "\r\n");
        assert!(not_a(&text));
        assert!(not_a("spec:\n  group: b\n  names:\n    kind: B"));
    }
}
