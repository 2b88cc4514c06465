//! crdlint's previous YAML reader, kept here only to be measured beside the new one: documents
//! split as before, each parsed by saphyr-parser's event parser into the same spanned tree
//! (the builder of src/yaml/mod.rs before the go-yaml port, unchanged but for its paths).

use crdlint::source::Span;
use crdlint::yaml::resolve::{self, Resolved};
use crdlint::yaml::{
    Document, Entry, MAX_ALIAS_NODES, MAX_DEPTH, Node, Problem, ProblemKind, Value, split,
};
use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;

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
        index: Option<HashMap<crdlint::yaml::CompactString, usize>>,
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
                return Resolved::Value(Value::String(value.into()));
            }
        }
        match style {
            ScalarStyle::Plain => resolve::resolve_plain(value),
            _ => Resolved::Value(Value::String(value.into())),
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
                    Resolved::NotJson(s) => s.into(),
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
                    let mut ix: HashMap<crdlint::yaml::CompactString, usize> = entries
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
