//! YAML as Kubernetes reads it: documents split as apimachinery splits them, each parsed with
//! saphyr-parser's event parser into our spanned [`Node`] tree with go-yaml v2 scalar rules.
//! Aliases, nesting depth and size are bounded.

pub mod node;
pub mod resolve;
pub mod split;

pub use node::{Entry, Node, Value};

use crate::source::Span;
use resolve::Resolved;
use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;

/// Nesting deeper than this is refused (real manifests stay far below; it keeps every
/// recursive walk over the tree safe).
pub const MAX_DEPTH: usize = 1000;
/// Nodes that alias expansion may create in one document (a "billion laughs" guard).
pub const MAX_ALIAS_NODES: usize = 1_000_000;
/// Documents read from one file; the rest of a longer stream is reported, not read (the
/// largest stream in the benchmark corpus holds 2,000).
pub const MAX_DOCUMENTS: usize = 10_000;

#[derive(Debug, Clone, PartialEq)]
pub enum ProblemKind {
    Syntax,
    DuplicateKey {
        first: Span,
    },
    Limit,
    /// A plain scalar that YAML 1.1 (Kubernetes) and YAML 1.2 read differently.
    ImplicitType,
}

/// Something wrong with the YAML itself, found while reading a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub message: String,
    pub span: Span,
}

#[derive(Debug)]
pub struct Document {
    /// 0-based index of the document in its file.
    pub index: usize,
    /// None for an empty document (nothing but comments) or one that could not be read.
    pub root: Option<Node>,
    /// The document's text span.
    pub span: Span,
    pub problems: Vec<Problem>,
    /// True for the last entry of a stream cut at the document limit: it stands for the
    /// documents not read, and carries the limit problem.
    pub not_read: bool,
}

/// The documents of a file that were read (not the entry standing for those past the limit).
pub fn documents_read(docs: &[Document]) -> usize {
    docs.iter().filter(|d| !d.not_read).count()
}

/// Parse a whole file into its documents, at most [`MAX_DOCUMENTS`] of them.
pub fn parse_stream(text: &str) -> Vec<Document> {
    parse_stream_limited(text, MAX_DOCUMENTS)
}

/// Parse a whole file into its documents. After `max_documents` documents, the rest of the
/// file is not read: it becomes one last document without a root whose only problem is a
/// [`ProblemKind::Limit`] giving the number of documents in the file.
pub fn parse_stream_limited(text: &str, max_documents: usize) -> Vec<Document> {
    let mut docs = Vec::new();
    let chunks = split::split_documents(text);
    for (i, chunk) in chunks.iter().enumerate() {
        for (root, problems) in parse_chunk(chunk.text, chunk.start) {
            if docs.len() == max_documents {
                // Kubernetes reads a `---` chunk as one document: count the chunks not read
                // (this one included) rather than parse them.
                let total = docs.len() + (chunks.len() - i);
                docs.push(Document {
                    index: docs.len(),
                    root: None,
                    span: Span::new(chunk.start, text.len()),
                    problems: vec![Problem {
                        kind: ProblemKind::Limit,
                        message: format!(
                            "the file holds {total} documents, more than the limit of {max_documents}: the documents from here on are not read"
                        ),
                        // The line that starts the first document not read.
                        span: Span::new(
                            chunk.start,
                            chunk.start + chunk.text.find('\n').unwrap_or(chunk.text.len()),
                        ),
                    }],
                    not_read: true,
                });
                return docs;
            }
            docs.push(Document {
                index: docs.len(),
                root,
                span: Span::new(chunk.start, chunk.start + chunk.text.len()),
                problems,
                not_read: false,
            });
        }
    }
    docs
}

/// Converts saphyr's character indexes within a chunk into byte offsets within the file.
struct Offsets<'a> {
    text: &'a str,
    base: usize,
    ascii: bool,
    /// Byte offset of every 64th character, for non-ASCII text.
    checkpoints: Vec<usize>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str, base: usize) -> Self {
        let ascii = text.is_ascii();
        let checkpoints = if ascii {
            Vec::new()
        } else {
            text.char_indices().step_by(64).map(|(b, _)| b).collect()
        };
        Offsets {
            text,
            base,
            ascii,
            checkpoints,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            return self.base + char_index.min(self.text.len());
        }
        let slot = char_index / 64;
        let Some(&from) = self.checkpoints.get(slot) else {
            return self.base + self.text.len();
        };
        let rest = char_index % 64;
        let off = self.text[from..]
            .char_indices()
            .nth(rest)
            .map(|(b, _)| from + b)
            .unwrap_or(self.text.len());
        self.base + off
    }

    fn span(&self, s: saphyr_parser::Span) -> Span {
        Span::new(self.byte(s.start.index()), self.byte(s.end.index()))
    }
}

enum Frame {
    Seq {
        start: Span,
        items: Vec<Node>,
        anchor: usize,
    },
    Map {
        start: Span,
        entries: Vec<Entry>,
        /// A key read, waiting for its value.
        pending_key: Option<(Resolved, Span)>,
        merges: Vec<Node>,
        /// Key -> index in `entries`, built once a mapping grows large.
        index: Option<HashMap<String, usize>>,
        anchor: usize,
    },
}

struct Builder<'a> {
    offsets: Offsets<'a>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    alias_nodes: usize,
    problems: Vec<Problem>,
    root: Option<Node>,
    /// Set when the document cannot be read any further.
    fatal: bool,
}

fn count_nodes(n: &Node) -> usize {
    1 + match &n.value {
        Value::Seq(items) => items.iter().map(count_nodes).sum(),
        Value::Map(entries) => entries.iter().map(|e| count_nodes(&e.value)).sum(),
        _ => 0,
    }
}

impl<'a> Builder<'a> {
    fn fail(&mut self, kind: ProblemKind, message: String, span: Span) {
        self.problems.push(Problem {
            kind,
            message,
            span,
        });
        self.fatal = true;
    }

    /// Note plain scalars whose meaning differs between YAML 1.1 and 1.2 (not an error).
    fn note_implicit(
        &mut self,
        value: &str,
        style: ScalarStyle,
        tagged: bool,
        resolved: &Resolved,
        span: Span,
    ) {
        if style != ScalarStyle::Plain || tagged {
            return;
        }
        if let Resolved::Value(v) = resolved
            && let Some(note) = resolve::yaml12_difference(value, v)
        {
            self.problems.push(Problem {
                kind: ProblemKind::ImplicitType,
                message: note,
                span,
            });
        }
    }

    fn scalar(
        &self,
        value: &str,
        style: ScalarStyle,
        tag: Option<&saphyr_parser::Tag>,
    ) -> Resolved {
        if let Some(tag) = tag {
            let core = tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:";
            if core {
                if let Some(r) = resolve::resolve_tagged(&tag.suffix, value) {
                    return r;
                }
                return Resolved::Value(Value::String(value.to_string()));
            }
        }
        match style {
            ScalarStyle::Plain => resolve::resolve_plain(value),
            _ => Resolved::Value(Value::String(value.to_string())),
        }
    }

    /// A finished node: attach it to the open container, or make it the root.
    fn push_node(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            let size = count_nodes(&node);
            self.anchors.insert(anchor, (node.clone(), size));
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        match frame {
            Frame::Seq { items, .. } => items.push(node),
            Frame::Map { .. } => self.map_value_or_key(node, None),
        }
    }

    /// Inside a mapping, a node is either a key (when none is pending) or the pending key's value.
    fn map_value_or_key(&mut self, node: Node, resolved_key: Option<Resolved>) {
        let Some(Frame::Map {
            entries,
            pending_key,
            merges,
            index,
            ..
        }) = self.stack.last_mut()
        else {
            return;
        };
        match pending_key.take() {
            None => {
                let key = match resolved_key {
                    Some(r) => r,
                    None => match node.value {
                        Value::Seq(_) | Value::Map(_) => {
                            let span = node.span;
                            self.fail(
                                ProblemKind::Syntax,
                                "mapping keys must be scalars to convert to JSON".into(),
                                span,
                            );
                            return;
                        }
                        v => Resolved::Value(v),
                    },
                };
                *pending_key = Some((key, node.span));
            }
            Some((Resolved::Merge, _)) => merges.push(node),
            Some((key, key_span)) => {
                let key = match key {
                    Resolved::Value(v) => resolve::key_string(&v),
                    Resolved::NotJson(s) => s,
                    Resolved::Merge => unreachable!(),
                };
                let existing = match index {
                    Some(ix) => ix.get(&key).copied(),
                    None => entries.iter().position(|e| e.key == key),
                };
                if let Some(i) = existing {
                    let first = entries[i].key_span;
                    self.problems.push(Problem {
                        kind: ProblemKind::DuplicateKey { first },
                        message: format!("key {key:?} already set in map"),
                        span: key_span,
                    });
                    return;
                }
                if let Some(ix) = index {
                    ix.insert(key.clone(), entries.len());
                } else if entries.len() >= 16 {
                    let mut ix: HashMap<String, usize> = entries
                        .iter()
                        .enumerate()
                        .map(|(i, e)| (e.key.clone(), i))
                        .collect();
                    ix.insert(key.clone(), entries.len());
                    *index = Some(ix);
                }
                entries.push(Entry {
                    key,
                    key_span,
                    value: node,
                });
            }
        }
    }

    fn close_span(start: Span, last_child_end: Option<usize>, end: Span) -> Span {
        let mut stop = last_child_end.unwrap_or(start.end).max(start.end);
        // Flow collections end at their closing bracket; block ones at their last child.
        if !end.is_empty() {
            stop = stop.max(end.end);
        }
        Span::new(start.start, stop)
    }

    fn apply_merges(&mut self, entries: &mut Vec<Entry>, merges: Vec<Node>) {
        for m in merges {
            let sources: Vec<Node> = match m.value {
                Value::Map(_) => vec![m],
                Value::Seq(items) if items.iter().all(|n| matches!(n.value, Value::Map(_))) => {
                    items
                }
                _ => {
                    self.fail(
                        ProblemKind::Syntax,
                        "map merge requires map or sequence of maps as the value".into(),
                        m.span,
                    );
                    return;
                }
            };
            for src in sources {
                if let Value::Map(src_entries) = src.value {
                    for e in src_entries {
                        if !entries.iter().any(|x| x.key == e.key) {
                            entries.push(e);
                        }
                    }
                }
            }
        }
    }

    fn on_event(&mut self, ev: Event<'_>, span: saphyr_parser::Span) {
        let span = self.offsets.span(span);
        match ev {
            Event::Scalar(value, style, anchor, tag) => {
                let resolved = self.scalar(&value, style, tag.as_deref());
                self.note_implicit(&value, style, tag.is_some(), &resolved, span);
                let in_map_key_position = matches!(
                    self.stack.last(),
                    Some(Frame::Map {
                        pending_key: None,
                        ..
                    })
                );
                if in_map_key_position {
                    if anchor != 0
                        && let Resolved::Value(v) = &resolved
                    {
                        self.anchors.insert(anchor, (Node::new(v.clone(), span), 1));
                    }
                    self.map_value_or_key(Node::new(Value::Null, span), Some(resolved));
                    return;
                }
                let value = match resolved {
                    Resolved::Value(v) => v,
                    Resolved::Merge => Value::String("<<".into()),
                    Resolved::NotJson(s) => {
                        self.fail(
                            ProblemKind::Syntax,
                            format!("{s} cannot be converted to JSON (json: unsupported value)"),
                            span,
                        );
                        return;
                    }
                };
                self.push_node(Node::new(value, span), anchor);
            }
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id) else {
                    self.fail(ProblemKind::Syntax, "unknown anchor".into(), span);
                    return;
                };
                self.alias_nodes = self.alias_nodes.saturating_add(*size);
                if self.alias_nodes > MAX_ALIAS_NODES {
                    self.fail(
                        ProblemKind::Limit,
                        format!(
                            "document contains excessive aliasing: expanding aliases would create more than {MAX_ALIAS_NODES} nodes"
                        ),
                        span,
                    );
                    return;
                }
                let node = node.clone();
                self.push_node(node, 0);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.fail(
                        ProblemKind::Limit,
                        format!("nesting is deeper than {MAX_DEPTH} levels"),
                        span,
                    );
                    return;
                }
                let frame = if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq {
                        start: span,
                        items: Vec::new(),
                        anchor,
                    }
                } else {
                    Frame::Map {
                        start: span,
                        entries: Vec::new(),
                        pending_key: None,
                        merges: Vec::new(),
                        index: None,
                        anchor,
                    }
                };
                self.stack.push(frame);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return;
                };
                match frame {
                    Frame::Seq {
                        start,
                        items,
                        anchor,
                    } => {
                        let last = items.last().map(|n| n.span.end);
                        let node =
                            Node::new(Value::Seq(items), Self::close_span(start, last, span));
                        self.push_node(node, anchor);
                    }
                    Frame::Map {
                        start,
                        mut entries,
                        merges,
                        anchor,
                        ..
                    } => {
                        let last = entries.last().map(|e| e.value.span.end);
                        self.apply_merges(&mut entries, merges);
                        let node =
                            Node::new(Value::Map(entries), Self::close_span(start, last, span));
                        self.push_node(node, anchor);
                    }
                }
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => {}
        }
    }
}

/// Parse one chunk; usually one document, more if the chunk holds `...`-separated documents.
fn parse_chunk(text: &str, base: usize) -> Vec<(Option<Node>, Vec<Problem>)> {
    let offsets = Offsets::new(text, base);
    let mut out = Vec::new();
    let mut b = Builder {
        offsets,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        problems: Vec::new(),
        root: None,
        fatal: false,
    };
    let mut started = false;
    for ev in Parser::new_from_str(text) {
        match ev {
            Ok((Event::DocumentStart(_), _)) => {
                if started {
                    out.push((b.root.take(), std::mem::take(&mut b.problems)));
                    b.anchors.clear();
                    b.alias_nodes = 0;
                }
                started = true;
            }
            Ok((ev, span)) => {
                b.on_event(ev, span);
                if b.fatal {
                    b.root = None;
                    break;
                }
            }
            Err(e) => {
                let at = b.offsets.byte(e.marker().index());
                let end = (at + 1).min(base + text.len()).max(at);
                let end = if text.is_char_boundary(end - base) {
                    end
                } else {
                    at
                };
                // saphyr-parser refuses nesting deeper than its own bound (a few hundred levels).
                let limit = e.info().contains("recursion limit");
                b.problems.push(Problem {
                    kind: if limit {
                        ProblemKind::Limit
                    } else {
                        ProblemKind::Syntax
                    },
                    message: if limit {
                        format!("nesting is too deep: {}", e.info())
                    } else {
                        e.info().to_string()
                    },
                    span: Span::new(at, end),
                });
                b.root = None;
                break;
            }
        }
    }
    out.push((b.root.take(), b.problems));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Document {
        let mut docs = parse_stream(text);
        assert_eq!(docs.len(), 1, "{docs:?}");
        docs.remove(0)
    }

    #[test]
    fn spans_point_at_values_and_keys() {
        let text = "a: 1\nb:\n  c: 'x'\n";
        let d = one(text);
        let root = d.root.unwrap();
        let c = root.get("b").unwrap().entry("c").unwrap();
        assert_eq!(&text[c.key_span.start..c.key_span.end], "c");
        assert_eq!(&text[c.value.span.start..c.value.span.end], "'x'");
        assert_eq!(c.value.value, Value::String("x".into()));
    }

    #[test]
    fn non_ascii_spans_are_byte_offsets() {
        let text = "näme: wört\nx: 1\n";
        let root = one(text).root.unwrap();
        let x = root.entry("x").unwrap();
        assert_eq!(&text[x.key_span.start..x.key_span.end], "x");
    }

    #[test]
    fn duplicate_keys_are_problems() {
        let d = one("a: 1\nb: 2\na: 3\n");
        assert_eq!(d.problems.len(), 1);
        assert_eq!(d.problems[0].message, "key \"a\" already set in map");
        assert!(
            matches!(d.problems[0].kind, ProblemKind::DuplicateKey { first } if first.start == 0)
        );
    }

    #[test]
    fn merges_keep_explicit_keys() {
        let d = one("base: &b {x: 1, z: 2}\nm:\n  <<: *b\n  z: 3\n");
        let m = d.root.unwrap().get("m").unwrap().clone();
        assert_eq!(m.get("x").unwrap().value, Value::Int(1));
        assert_eq!(m.get("z").unwrap().value, Value::Int(3));
    }

    #[test]
    fn syntax_error_in_one_document_leaves_others() {
        let docs = parse_stream("a: 1\n---\nb: c: d\n---\ne: 2\n");
        assert_eq!(docs.len(), 3);
        assert!(docs[0].root.is_some());
        assert!(docs[1].root.is_none());
        assert_eq!(docs[1].problems[0].kind, ProblemKind::Syntax);
        assert!(docs[2].root.is_some());
        assert_eq!(docs[2].index, 2);
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..100 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let d = one(&text);
        assert!(d.root.is_none());
        assert_eq!(d.problems[0].kind, ProblemKind::Limit);
        assert!(d.problems[0].message.contains("excessive aliasing"));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let d = one(&text);
        assert!(d.root.is_none());
        assert_eq!(d.problems[0].kind, ProblemKind::Limit);
    }

    #[test]
    fn document_count_is_bounded() {
        let text = "a: 1\n---\n".repeat(5) + "b: 2\n";
        let docs = parse_stream_limited(&text, 3);
        assert_eq!(docs.len(), 4);
        assert!(docs[..3].iter().all(|d| d.root.is_some()));
        let last = &docs[3];
        assert!(last.root.is_none());
        assert_eq!(last.index, 3);
        assert_eq!(last.problems.len(), 1);
        assert_eq!(last.problems[0].kind, ProblemKind::Limit);
        assert_eq!(
            last.problems[0].message,
            "the file holds 6 documents, more than the limit of 3: the documents from here on are not read"
        );
        assert_eq!(
            &text[last.problems[0].span.start..last.problems[0].span.end],
            "a: 1"
        );
        assert_eq!(last.span.end, text.len());
        assert!(last.not_read);
        assert_eq!(documents_read(&docs), 3);
        // Exactly at the limit: nothing is left out.
        assert_eq!(parse_stream_limited(&text, 6).len(), 6);
    }

    #[test]
    fn comment_only_document_is_empty() {
        let d = one("# just a comment\n");
        assert!(d.root.is_none());
        assert!(d.problems.is_empty());
    }
}
