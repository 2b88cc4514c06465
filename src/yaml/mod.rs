//! YAML as Kubernetes reads it: documents split as apimachinery splits them, each read by a
//! Rust port of go-yaml v2's scanner and parser ([`goyaml`]) into our spanned [`Node`] tree,
//! with go-yaml v2's decoding rules (scalar resolution, merge keys, anchors and aliases,
//! excessive aliasing) and sigs.k8s.io/yaml's conversion to JSON (map keys made strings,
//! values JSON cannot hold refused). Errors are worded as kubectl words them. Aliases,
//! nesting depth and size are also bounded by crdlint's own limits.

pub mod goyaml;
pub mod node;
pub mod peek;
pub mod resolve;
pub mod split;

pub use compact_str::CompactString;
pub use node::{Entry, Node, Value};

use crate::source::Span;
use goyaml::{EventKind, Mark, ScalarStyle, YamlError};
use resolve::GoScalar;
use std::collections::HashMap;
use std::rc::Rc;

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
    parse_stream_passing_over(text, max_documents, |_| false)
}

/// [`parse_stream_limited`], passing over (not parsing: no root, no problems) the documents
/// whose text `pass_over` answers true for.
pub fn parse_stream_passing_over(
    text: &str,
    max_documents: usize,
    pass_over: impl Fn(&str) -> bool + Sync,
) -> Vec<Document> {
    // Which chunks are documents to parse is decided first, in order (a limit or a bad
    // separator ends the stream); the documents are then parsed independently, in parallel
    // when there are several (a long stream is one file, read by one thread otherwise).
    let mut docs = Vec::new();
    let mut to_parse: Vec<&str> = Vec::new();
    let chunks = split::split_documents(text);
    for (i, chunk) in chunks.iter().enumerate() {
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
            break;
        }
        let line_end = chunk.start + chunk.text.find('\n').unwrap_or(chunk.text.len());
        if let Some(rest) = chunk
            .text
            .strip_prefix("---")
            .map(|rest| &rest[..rest.find('\n').unwrap_or(rest.len())])
            .filter(|rest| {
                let t = rest.trim();
                !t.is_empty() && !t.starts_with('#')
            })
        {
            // apimachinery's YAMLReader refuses a `---` line with more than a comment after
            // it, and reads no further (kubectl fails on the file; kubectl-validate stops).
            // The document that this line ends is lost with it.
            let mut start = chunk.start;
            if docs
                .last()
                .is_some_and(|d: &Document| d.span.end == chunk.start)
            {
                start = docs.pop().map_or(start, |d| d.span.start);
                to_parse.truncate(docs.len());
            }
            docs.push(Document {
                index: docs.len(),
                root: None,
                span: Span::new(start, text.len()),
                problems: vec![Problem {
                    kind: ProblemKind::Syntax,
                    message: format!("invalid Yaml document separator: {}", rest.trim()),
                    span: Span::new(chunk.start, line_end),
                }],
                not_read: false,
            });
            break;
        }
        to_parse.push(chunk.text);
        docs.push(Document {
            index: docs.len(),
            root: None,
            span: Span::new(chunk.start, chunk.start + chunk.text.len()),
            problems: Vec::new(),
            not_read: false,
        });
    }
    let parse = |(doc, text): (&mut Document, &&str)| {
        if !is_empty_document(text) && !pass_over(text) {
            (doc.root, doc.problems) = parse_chunk(text, doc.span.start);
        }
    };
    if to_parse.len() > 1 {
        use rayon::prelude::*;
        docs.par_iter_mut().zip(to_parse.par_iter()).for_each(parse);
    } else {
        docs.iter_mut().zip(to_parse.iter()).for_each(parse);
    }
    docs
}

/// kubectl-validate's `IsEmptyYamlDocument`: only blank lines, comments and `---` lines. Such
/// a document is not parsed (so a tab before a comment there is no error).
fn is_empty_document(text: &str) -> bool {
    text.split('\n').all(|line| {
        let t = line.trim();
        t.is_empty() || t.starts_with('#') || t == "---"
    })
}

/// A finished node on its way to its parent, with what go-yaml's decoder knows of it.
struct Done {
    node: Node,
    /// The Go value of a scalar (for map keys and merge checks); None for collections.
    go: Option<GoScalar>,
    /// The merge key `<<` (a plain or `!!merge`-tagged scalar, not an alias).
    merge: bool,
    /// Reached through an alias (a merge value must then be a mapping).
    alias: bool,
    /// go-yaml decode operations to decode this node (for the excessive-aliasing check).
    cost: u64,
    /// Nodes in the tree (for crdlint's own alias-expansion bound).
    size: usize,
    /// An empty plain scalar (a key without a value): as a mapping value, it is placed at the
    /// end of its key (go-yaml places it after the `:`, or at the next token in a flow mapping).
    empty: bool,
}

struct Anchored {
    node: Node,
    go: Option<GoScalar>,
    cost: u64,
    size: usize,
}

enum Slot {
    /// The anchored collection is still being read (an alias to it makes it contain itself).
    Open(u64),
    Done(Rc<Anchored>),
}

enum KeyState {
    /// The next node is a key.
    Key,
    /// The next node is the value of this key (or of the key that JSON cannot take).
    Value {
        key: Result<CompactString, (&'static str, String)>,
        span: Span,
    },
    /// The next node is the value of a merge key.
    Merge,
}

/// An open collection. Its children are kept on the builder's stacks (`items`, `entries`),
/// from `start` up, and moved into a vector of their exact length when it closes: no vector
/// grown by doubling stays in the tree, and one allocation is made per collection.
enum Body {
    Seq {
        start: usize,
    },
    Map {
        start: usize,
        /// Key -> index in the mapping's entries, built once a mapping grows large.
        index: Option<HashMap<CompactString, usize>>,
        state: KeyState,
    },
}

struct Frame {
    start: Span,
    body: Body,
    anchor: Option<(String, u64)>,
    /// This sequence is the value of a merge key: go-yaml decodes its items, not itself.
    merge_list: bool,
    /// An indentless block sequence: its span starts at its first item (as crdlint's spans
    /// always did), not at the first `-`.
    start_at_first_item: bool,
    cost: u64,
    size: usize,
}

/// Go's `%#v` of a decoded value, as go-yaml's "invalid map key" and sigs.k8s.io/yaml's
/// "unsupported map key" errors print it.
fn go_sharp_v(v: &Value, nested: bool) -> String {
    match v {
        Value::Null if nested => "interface {}(nil)".into(),
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => resolve::format_go_g64(*f),
        Value::String(s) => resolve::go_quote(s),
        Value::Seq(items) => format!(
            "[]interface {{}}{{{}}}",
            items
                .iter()
                .map(|n| go_sharp_v(&n.value, true))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Map(entries) => {
            let mut parts: Vec<(String, String)> = entries
                .iter()
                .map(|e| (e.key.to_string(), go_sharp_v(&e.value.value, true)))
                .collect();
            parts.sort();
            format!(
                "map[interface {{}}]interface {{}}{{{}}}",
                parts
                    .iter()
                    .map(|(k, v)| format!("{}:{v}", resolve::go_quote(k)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}

/// The first NaN or infinity Go's JSON encoder meets (object keys in sorted order).
fn first_non_finite(n: &Node) -> Option<&Node> {
    match &n.value {
        Value::Float(f) if !f.is_finite() => Some(n),
        Value::Seq(items) => items.iter().find_map(first_non_finite),
        Value::Map(entries) => {
            let mut sorted: Vec<&Entry> = entries.iter().collect();
            sorted.sort_by(|a, b| a.key.cmp(&b.key));
            sorted.into_iter().find_map(|e| first_non_finite(&e.value))
        }
        _ => None,
    }
}

/// go-yaml's `allowedAliasRatio`.
fn allowed_alias_ratio(decode_count: u64) -> f64 {
    const LOW: u64 = 400_000;
    const HIGH: u64 = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

struct Builder {
    base: usize,
    len: usize,
    /// Positions (in the text parsed) where the YAMLReader dropped a CR before a line feed.
    cr: Vec<usize>,
    stack: Vec<Frame>,
    /// The items of the open sequences, innermost last (see [`Body`]).
    items: Vec<Node>,
    /// The entries of the open mappings, innermost last, and whether each entry's key was
    /// written in its mapping (not merged in).
    entries: Vec<Entry>,
    explicit: Vec<bool>,
    anchors: HashMap<String, Slot>,
    next_open: u64,
    /// go-yaml's decodeCount and aliasCount.
    decode_count: u64,
    alias_count: u64,
    /// Nodes created by alias expansion (crdlint's bound).
    alias_nodes: usize,
    problems: Vec<Problem>,
    root: Option<Node>,
    /// The first error of each stage, in the order go-yaml and sigs.k8s.io/yaml report them:
    /// parsing (syntax, unknown anchors), decoding, conversion to JSON, JSON encoding.
    parse_error: Option<Problem>,
    decode_error: Option<Problem>,
    convert_error: Option<Problem>,
    /// A NaN or infinite value was read (JSON encoding fails if it is in the final tree).
    non_finite: bool,
    /// Set once the tree can no longer be built (a decode error): events are still read for
    /// the parse errors that would take precedence.
    building: bool,
    /// Set when reading must stop (a parse error or one of crdlint's limits).
    stop: bool,
}

impl Builder {
    fn new(base: usize, len: usize, cr: Vec<usize>) -> Self {
        Builder {
            base,
            len,
            cr,
            stack: Vec::new(),
            items: Vec::new(),
            entries: Vec::new(),
            explicit: Vec::new(),
            anchors: HashMap::new(),
            next_open: 0,
            // The document node.
            decode_count: 1,
            alias_count: 0,
            alias_nodes: 0,
            problems: Vec::new(),
            root: None,
            parse_error: None,
            decode_error: None,
            convert_error: None,
            non_finite: false,
            building: true,
            stop: false,
        }
    }

    /// A position in the text parsed, as a position in the document's text: a line feed
    /// whose CR was dropped maps to itself as a start, to its CR as an end.
    fn original(&self, pos: usize, end: bool) -> usize {
        let dropped = if self.cr.is_empty() {
            0
        } else if end {
            self.cr.partition_point(|&q| q < pos)
        } else {
            self.cr.partition_point(|&q| q <= pos)
        };
        (pos + dropped).min(self.len)
    }

    fn span(&self, start: Mark, end: Mark) -> Span {
        let start = self.original(start.pos, false);
        Span::new(
            self.base + start,
            self.base + self.original(end.pos, true).max(start),
        )
    }

    fn problem(kind: ProblemKind, message: String, span: Span) -> Problem {
        Problem {
            kind,
            message,
            span,
        }
    }

    fn limit(&mut self, message: String, span: Span) {
        self.parse_error = Some(Self::problem(ProblemKind::Limit, message, span));
        self.stop = true;
    }

    fn decode_fail(&mut self, kind: ProblemKind, message: String, span: Span) {
        if self.decode_error.is_none() {
            self.decode_error = Some(Self::problem(kind, message, span));
        }
        self.building = false;
        self.stack.clear();
    }

    fn syntax(&mut self, e: YamlError, text: &str) {
        let at = self.original(e.problem_mark.pos, false);
        let mut end = (at + 1).min(text.len());
        while end < text.len() && !text.is_char_boundary(end) {
            end += 1;
        }
        self.parse_error = Some(Self::problem(
            ProblemKind::Syntax,
            e.go_message(),
            Span::new(self.base + at, self.base + end),
        ));
        self.stop = true;
    }

    /// go-yaml's excessive-aliasing check, after decode operations were counted.
    fn check_alias_ratio(&mut self, span: Span) {
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            self.decode_fail(
                ProblemKind::Limit,
                "yaml: document contains excessive aliasing".into(),
                span,
            );
        }
    }

    /// Note plain scalars whose meaning differs between YAML 1.1 and 1.2 (not an error).
    fn note_implicit(&mut self, text: &str, value: &Value, span: Span) {
        if let Some(note) = resolve::yaml12_difference(text, value) {
            self.problems.push(Problem {
                kind: ProblemKind::ImplicitType,
                message: note,
                span,
            });
        }
    }

    /// Is the innermost open collection a mapping waiting for a merge value?
    fn awaiting_merge(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                body: Body::Map {
                    state: KeyState::Merge,
                    ..
                },
                ..
            })
        )
    }

    fn in_key_position(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                body: Body::Map {
                    state: KeyState::Key,
                    ..
                },
                ..
            })
        )
    }

    fn on_event(&mut self, ev: goyaml::Event<'_>) {
        let span = self.span(ev.start, ev.end);
        let is_seq = matches!(ev.kind, EventKind::SequenceStart { .. });
        let indentless = matches!(
            ev.kind,
            EventKind::SequenceStart {
                indentless: true,
                ..
            }
        );
        match ev.kind {
            EventKind::Scalar {
                anchor,
                tag,
                mut value,
                plain_implicit,
                style,
                ..
            } => {
                let key_position = self.in_key_position();
                // go-yaml's isMerge.
                let merge = key_position
                    && value == "<<"
                    && (plain_implicit || tag.as_deref() == Some("tag:yaml.org,2002:merge"));
                let empty = value.is_empty()
                    && style == ScalarStyle::Plain
                    && tag.is_none()
                    && span.is_empty();
                let resolved =
                    if tag.is_none() && resolve::untagged_is_string(&value, plain_implicit) {
                        // A string: the scanner's text (owned when it was unescaped or folded) is
                        // moved into it, not copied.
                        Ok((
                            GoScalar::Str(CompactString::from(std::mem::take(&mut value))),
                            false,
                        ))
                    } else {
                        resolve::resolve_go(tag.as_deref(), &value, plain_implicit)
                    };
                if !merge {
                    self.decode_count += 1;
                }
                if !self.building {
                    if let Some(name) = anchor {
                        self.anchors.insert(
                            name.into_owned(),
                            Slot::Done(Rc::new(Anchored {
                                node: Node::new(Value::Null, span),
                                go: None,
                                cost: 1,
                                size: 1,
                            })),
                        );
                    }
                    return;
                }
                let go = match resolved {
                    Ok((go, _)) => go,
                    Err(message) => {
                        self.decode_fail(ProblemKind::Syntax, format!("yaml: {message}"), span);
                        return;
                    }
                };
                if let GoScalar::Float(f) = go
                    && !f.is_finite()
                {
                    // A key is made a string (".nan", ".inf"); a value fails to encode only if
                    // it is still in the tree at the end.
                    self.non_finite |= !key_position;
                }
                if style == ScalarStyle::Plain
                    && tag.is_none()
                    && matches!(go, GoScalar::Bool(_) | GoScalar::Int(_))
                {
                    let v = go.to_value().unwrap_or(Value::Null);
                    self.note_implicit(&value, &v, span);
                }
                // The Go value is kept for a key (made a JSON key when its value comes) and an
                // anchor (an alias may be a key); a key's node is only its span.
                let (node, go) = if key_position {
                    (Node::new(Value::Null, span), Some(go))
                } else if anchor.is_some() || matches!(go, GoScalar::Uint(_)) {
                    // (A uint64 value prints as Go prints it in a key conversion error.)
                    (Node::new(go.clone().into_value(), span), Some(go))
                } else {
                    (Node::new(go.into_value(), span), None)
                };
                if let Some(name) = anchor {
                    let node = match (&go, key_position) {
                        (Some(go), true) => Node::new(go.clone().into_value(), span),
                        _ => node.clone(),
                    };
                    self.anchors.insert(
                        name.into_owned(),
                        Slot::Done(Rc::new(Anchored {
                            node,
                            go: go.clone(),
                            cost: 1,
                            size: 1,
                        })),
                    );
                }
                self.attach(Done {
                    node,
                    go,
                    merge,
                    alias: false,
                    cost: if merge { 0 } else { 1 },
                    size: 1,
                    empty,
                });
            }
            EventKind::Alias { anchor } => {
                self.decode_count += 1;
                let target = match self.anchors.get(anchor.as_ref()) {
                    None => {
                        self.parse_error = Some(Self::problem(
                            ProblemKind::Syntax,
                            format!("yaml: unknown anchor '{anchor}' referenced"),
                            span,
                        ));
                        self.stop = true;
                        return;
                    }
                    Some(Slot::Open(_)) => {
                        if self.building {
                            self.decode_fail(
                                ProblemKind::Syntax,
                                format!("yaml: anchor '{anchor}' value contains itself"),
                                span,
                            );
                        }
                        return;
                    }
                    Some(Slot::Done(a)) => a.clone(),
                };
                if !self.building {
                    return;
                }
                self.decode_count = self.decode_count.saturating_add(target.cost);
                self.alias_count = self.alias_count.saturating_add(target.cost);
                self.alias_nodes = self.alias_nodes.saturating_add(target.size);
                if self.alias_nodes > MAX_ALIAS_NODES {
                    self.limit(
                        format!(
                            "document contains excessive aliasing: expanding aliases would create more than {MAX_ALIAS_NODES} nodes"
                        ),
                        span,
                    );
                    return;
                }
                self.check_alias_ratio(span);
                if !self.building {
                    return;
                }
                // The copy keeps the anchored node's spans.
                let node = target.node.clone();
                self.attach(Done {
                    node,
                    go: target.go.clone(),
                    merge: false,
                    alias: true,
                    cost: target.cost.saturating_add(1),
                    size: target.size,
                    empty: false,
                });
            }
            EventKind::SequenceStart { anchor, .. } | EventKind::MappingStart { anchor, .. } => {
                if self.stack.len() >= MAX_DEPTH {
                    self.limit(format!("nesting is deeper than {MAX_DEPTH} levels"), span);
                    return;
                }
                let merge_list = is_seq && self.awaiting_merge();
                if !merge_list {
                    self.decode_count += 1;
                }
                let anchor = anchor.map(|name| {
                    self.next_open += 1;
                    let id = self.next_open;
                    self.anchors.insert(name.to_string(), Slot::Open(id));
                    (name.into_owned(), id)
                });
                if !self.building {
                    // Track nothing but the anchor names.
                    if let Some((name, _)) = anchor {
                        self.anchors.insert(
                            name,
                            Slot::Done(Rc::new(Anchored {
                                node: Node::new(Value::Null, span),
                                go: None,
                                cost: 1,
                                size: 1,
                            })),
                        );
                    }
                    return;
                }
                let body = if is_seq {
                    Body::Seq {
                        start: self.items.len(),
                    }
                } else {
                    Body::Map {
                        start: self.entries.len(),
                        index: None,
                        state: KeyState::Key,
                    }
                };
                self.stack.push(Frame {
                    start: span,
                    body,
                    anchor,
                    merge_list,
                    start_at_first_item: indentless,
                    cost: if merge_list { 0 } else { 1 },
                    size: 1,
                });
            }
            EventKind::SequenceEnd | EventKind::MappingEnd => {
                if !self.building {
                    return;
                }
                let Some(frame) = self.stack.pop() else {
                    return;
                };
                let (value, last) = match frame.body {
                    Body::Seq { start } => {
                        let items: Vec<Node> = self.items.drain(start..).collect();
                        let last = items.last().map(|n| n.span.end);
                        (Value::Seq(items), last)
                    }
                    Body::Map { start, .. } => {
                        let entries: Vec<Entry> = self.entries.drain(start..).collect();
                        self.explicit.truncate(start);
                        let last = entries
                            .iter()
                            .map(|e| e.value.span.end.max(e.key_span.end))
                            .max();
                        (Value::Map(entries), last)
                    }
                };
                let node = Node::new(value, Self::close_span(frame.start, last, span));
                if let Some((name, id)) = frame.anchor {
                    // Unless redefined inside, the anchor now names the finished node.
                    if matches!(self.anchors.get(&name), Some(Slot::Open(open)) if *open == id) {
                        self.anchors.insert(
                            name,
                            Slot::Done(Rc::new(Anchored {
                                node: node.clone(),
                                go: None,
                                cost: frame.cost,
                                size: frame.size,
                            })),
                        );
                    }
                }
                self.attach(Done {
                    node,
                    go: None,
                    merge: false,
                    alias: false,
                    cost: frame.cost,
                    size: frame.size,
                    empty: false,
                });
            }
            EventKind::StreamStart
            | EventKind::StreamEnd
            | EventKind::DocumentStart { .. }
            | EventKind::DocumentEnd { .. } => {}
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

    /// A finished node: attach it to the open collection, or make it the root.
    fn attach(&mut self, done: Done) {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(done.node);
            return;
        };
        frame.cost = frame.cost.saturating_add(done.cost);
        frame.size = frame.size.saturating_add(done.size);
        let merge_list = frame.merge_list;
        match &mut frame.body {
            Body::Seq { start } => {
                if self.items.len() == *start && frame.start_at_first_item {
                    frame.start = Span::new(done.node.span.start, done.node.span.start);
                }
                if merge_list && !matches!(done.node.value, Value::Map(_)) {
                    self.decode_fail(
                        ProblemKind::Syntax,
                        "yaml: map merge requires map or sequence of maps as the value".into(),
                        done.node.span,
                    );
                    return;
                }
                self.items.push(done.node);
            }
            Body::Map { state, .. } => match std::mem::replace(state, KeyState::Key) {
                KeyState::Key => {
                    if done.merge {
                        *state = KeyState::Merge;
                        return;
                    }
                    let span = done.node.span;
                    let key = match (done.go, &done.node.value) {
                        (Some(go), _) => {
                            let repr = match go {
                                GoScalar::Null | GoScalar::Uint(_) => go.go_sharp_v(),
                                _ => String::new(),
                            };
                            go.into_key().map_err(|t| (t, repr))
                        }
                        (None, v @ (Value::Seq(_) | Value::Map(_))) => {
                            let message =
                                format!("yaml: invalid map key: {}", go_sharp_v(v, false));
                            self.decode_fail(ProblemKind::Syntax, message, span);
                            return;
                        }
                        (None, v) => Ok(resolve::key_string(v)),
                    };
                    *state = KeyState::Value { key, span };
                }
                KeyState::Value { key, span } => match key {
                    Ok(key) => {
                        let mut node = done.node;
                        if done.empty {
                            node.span = Span::new(span.end, span.end);
                        }
                        self.set_entry(key, span, node, true)
                    }
                    Err((type_name, key_text)) => {
                        let head = format!(
                            "unsupported map key of type: {type_name}, key: {key_text}, value: "
                        );
                        // The same key again replaces its value, as in the Go map.
                        if self
                            .convert_error
                            .as_ref()
                            .is_none_or(|p| p.message.starts_with(&head))
                        {
                            let value = match &done.go {
                                Some(go) => go.go_sharp_v(),
                                None => go_sharp_v(&done.node.value, false),
                            };
                            self.convert_error = Some(Self::problem(
                                ProblemKind::Syntax,
                                format!("{head}{value}"),
                                span,
                            ));
                        }
                    }
                },
                KeyState::Merge => {
                    let ok = match &done.node.value {
                        Value::Map(_) => true,
                        Value::Seq(_) => !done.alias,
                        _ => false,
                    };
                    if !ok {
                        self.decode_fail(
                            ProblemKind::Syntax,
                            "yaml: map merge requires map or sequence of maps as the value".into(),
                            done.node.span,
                        );
                        return;
                    }
                    match done.node.value {
                        Value::Map(src) => {
                            for e in src {
                                self.set_entry(e.key, e.key_span, e.value, false);
                            }
                        }
                        Value::Seq(items) => {
                            // Earlier maps take precedence: go-yaml merges them last.
                            for item in items.into_iter().rev() {
                                if let Value::Map(src) = item.value {
                                    for e in src {
                                        self.set_entry(e.key, e.key_span, e.value, false);
                                    }
                                }
                            }
                        }
                        _ => {}
                    }
                }
            },
        }
    }

    /// Set a key of the innermost mapping; a later write wins, as in go-yaml.
    fn set_entry(&mut self, key: CompactString, key_span: Span, value: Node, is_explicit: bool) {
        let Some(Frame {
            body: Body::Map { start, index, .. },
            ..
        }) = self.stack.last_mut()
        else {
            return;
        };
        let entries = &mut self.entries[*start..];
        let explicit = &mut self.explicit[*start..];
        let existing = match index {
            Some(ix) => ix.get(&key).copied(),
            None => entries.iter().position(|e| e.key == key),
        };
        if let Some(i) = existing {
            if is_explicit && explicit[i] {
                let first = entries[i].key_span;
                self.problems.push(Problem {
                    kind: ProblemKind::DuplicateKey { first },
                    message: format!("key {key:?} already set in map"),
                    span: key_span,
                });
            }
            explicit[i] |= is_explicit;
            if is_explicit {
                entries[i].key_span = key_span;
            }
            entries[i].value = value;
            return;
        }
        if let Some(ix) = index {
            ix.insert(key.clone(), entries.len());
        } else if entries.len() >= 16 {
            let mut ix: HashMap<CompactString, usize> = entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key.clone(), i))
                .collect();
            ix.insert(key.clone(), entries.len());
            *index = Some(ix);
        }
        self.entries.push(Entry {
            key,
            key_span,
            value,
        });
        self.explicit.push(is_explicit);
    }

    fn finish(mut self) -> (Option<Node>, Vec<Problem>) {
        let marshal_error = match &self.root {
            Some(root) if self.non_finite => first_non_finite(root).map(|n| {
                let Value::Float(f) = n.value else {
                    unreachable!()
                };
                Self::problem(
                    ProblemKind::Syntax,
                    format!("json: unsupported value: {}", node::format_go_float(f)),
                    n.span,
                )
            }),
            _ => None,
        };
        let error = self
            .parse_error
            .take()
            .or(self.decode_error.take())
            .or(self.convert_error.take())
            .or(marshal_error);
        match error {
            Some(p) => {
                self.problems.push(p);
                (None, self.problems)
            }
            None => (self.root, self.problems),
        }
    }
}

/// A block scalar's span starts at its content (go-yaml's starts at the indicator).
fn block_scalar_content(text: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let end = end.min(bytes.len());
    let Some(nl) = bytes[start..end]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
    else {
        return (start, end);
    };
    let mut from = start + nl;
    while from < end && matches!(bytes[from], b' ' | b'\t' | b'\r' | b'\n') {
        from += 1;
    }
    if from >= end {
        // No content: the indicator and its line.
        return (start, end);
    }
    // go-yaml ends it at the start of the line that ends it; crdlint (as before) after that
    // line's indentation.
    let mut to = end;
    while to < bytes.len() && bytes[to] == b' ' {
        to += 1;
    }
    (from, to)
}

/// Parse one chunk as sigs.k8s.io/yaml does: its first document only (go-yaml's `Unmarshal`
/// reads no further).
fn parse_chunk(original: &str, base: usize) -> (Option<Node>, Vec<Problem>) {
    let (text, cr) = kubectl_text(original);
    let text: &str = &text;
    let mut parser = goyaml::parser::Parser::new(text);
    let mut b = Builder::new(base, original.len(), cr);
    while let Some(ev) = parser.next_event() {
        match ev {
            Err(e) => {
                b.syntax(e, original);
                break;
            }
            Ok(mut ev) => match ev.kind {
                EventKind::StreamStart | EventKind::DocumentStart { .. } => {}
                EventKind::StreamEnd | EventKind::DocumentEnd { .. } => break,
                _ => {
                    if let EventKind::Scalar {
                        style: ScalarStyle::Literal | ScalarStyle::Folded,
                        ..
                    } = ev.kind
                    {
                        (ev.start.pos, ev.end.pos) =
                            block_scalar_content(text, ev.start.pos, ev.end.pos);
                    }
                    b.on_event(ev);
                    if b.stop {
                        break;
                    }
                }
            },
        }
    }
    b.finish()
}

/// A document's text as go-yaml reads it from kubectl: apimachinery's YAMLReader reads lines
/// with bufio's ReadLine, which drops a CR before a line feed, and ends every line it keeps with
/// a line feed.
pub fn as_kubectl_reads(original: &str) -> std::borrow::Cow<'_, str> {
    kubectl_text(original).0
}

/// [`as_kubectl_reads`], and where CRs were dropped (as positions in the text read), to map
/// spans back.
fn kubectl_text(original: &str) -> (std::borrow::Cow<'_, str>, Vec<usize>) {
    let mut cr = Vec::new();
    if original.ends_with('\n') && memchr::memmem::find(original.as_bytes(), b"\r\n").is_none() {
        return (std::borrow::Cow::Borrowed(original), cr);
    }
    let mut t = String::with_capacity(original.len() + 1);
    let mut from = 0;
    for i in memchr::memmem::find_iter(original.as_bytes(), b"\r\n") {
        t.push_str(&original[from..i]);
        cr.push(t.len());
        from = i + 1;
    }
    t.push_str(&original[from..]);
    if !t.ends_with('\n') {
        t.push('\n');
    }
    (std::borrow::Cow::Owned(t), cr)
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

    /// The one Syntax or Limit problem of a document that kubectl refuses.
    fn refused(text: &str) -> Problem {
        let d = one(text);
        assert!(d.root.is_none(), "{text:?} was read: {:?}", d.root);
        d.problems
            .into_iter()
            .find(|p| matches!(p.kind, ProblemKind::Syntax | ProblemKind::Limit))
            .unwrap_or_else(|| panic!("{text:?}: no error"))
    }

    fn json(text: &str) -> String {
        let d = one(text);
        assert!(
            !d.problems
                .iter()
                .any(|p| matches!(p.kind, ProblemKind::Syntax | ProblemKind::Limit)),
            "{text:?}: {:?}",
            d.problems
        );
        d.root.map(|r| r.to_json()).unwrap_or_else(|| "null".into())
    }

    #[test]
    fn flow_collection_closed_at_the_parent_indentation_is_read() {
        // kubectl reads these (go-yaml does not check indentation inside flow collections);
        // a YAML 1.2 parser refuses them.
        assert_eq!(
            json("args: [\n  --a,\n  --b\n]\n"),
            r#"{"args":["--a","--b"]}"#
        );
        assert_eq!(
            json("spec:\n  args: [\n    p,\n    q\n  ]\n"),
            r#"{"spec":{"args":["p","q"]}}"#
        );
        assert_eq!(
            json("spec:\n  m: {a: 1,\nb: 2}\n"),
            r#"{"spec":{"m":{"a":1,"b":2}}}"#
        );
    }

    #[test]
    fn multi_line_quoted_scalar_at_the_parent_indentation_is_read() {
        assert_eq!(
            json("spec:\n  msg: \"one\n  two\"\n"),
            r#"{"spec":{"msg":"one two"}}"#
        );
        assert_eq!(
            json("spec:\n  msg: 'one\ntwo'\n"),
            r#"{"spec":{"msg":"one two"}}"#
        );
    }

    #[test]
    fn unknown_escape_is_refused_as_kubectl_words_it() {
        let text = "a: \"x\\/y\"\n";
        let p = refused(text);
        assert_eq!(p.kind, ProblemKind::Syntax);
        assert_eq!(p.message, "yaml: found unknown escape character");
        assert_eq!(&text[p.span.start..p.span.end], "\\");
    }

    #[test]
    fn syntax_errors_are_worded_as_kubectl_words_them() {
        for (text, message) in [
            (
                "a: 1\nb: [\n",
                "yaml: line 2: did not find expected node content",
            ),
            (
                "a: {b: 1\nc: 2\n",
                "yaml: line 1: did not find expected ',' or '}'",
            ),
            (
                "a: b: c\n",
                "yaml: mapping values are not allowed in this context",
            ),
            (
                "a:\n  b: 1\n c: 2\n",
                "yaml: line 2: did not find expected key",
            ),
            // The separator the YAMLReader keeps counts as a line.
            (
                "---\na: [\n",
                "yaml: line 2: did not find expected node content",
            ),
            ("a: \x01\n", "yaml: control characters are not allowed"),
        ] {
            assert_eq!(refused(text).message, message, "{text:?}");
        }
    }

    #[test]
    fn merge_values_and_order_are_go_yamls() {
        assert_eq!(
            refused("m:\n  <<: 1\n").message,
            "yaml: map merge requires map or sequence of maps as the value"
        );
        assert_eq!(
            refused("s: &s [{a: 1}]\nm:\n  <<: *s\n").message,
            "yaml: map merge requires map or sequence of maps as the value"
        );
        // A merge written after a key overrides it; earlier maps of a list win.
        assert_eq!(
            json("b: &b {p: 1, q: 2}\nm:\n  q: 3\n  <<: *b\n"),
            r#"{"b":{"p":1,"q":2},"m":{"p":1,"q":2}}"#
        );
        assert_eq!(
            json("m:\n  <<: [{a: 1}, {a: 2, b: 2}]\n"),
            r#"{"m":{"a":1,"b":2}}"#
        );
    }

    #[test]
    fn anchors_and_aliases_fail_as_in_go_yaml() {
        assert_eq!(
            refused("a: &a [*a]\n").message,
            "yaml: anchor 'a' value contains itself"
        );
        assert_eq!(
            refused("a: *nope\n").message,
            "yaml: unknown anchor 'nope' referenced"
        );
        // go-yaml's own ratio check, below crdlint's bound on alias-created nodes.
        let text = format!(
            "a: &a [{}]\nb: [{}]\n",
            vec!["x"; 2000].join(", "),
            vec!["*a"; 200].join(", ")
        );
        let p = refused(&text);
        assert_eq!(p.kind, ProblemKind::Limit);
        assert_eq!(p.message, "yaml: document contains excessive aliasing");
    }

    #[test]
    fn tags_and_json_conversion_fail_as_in_kubectl() {
        assert_eq!(
            refused("a: !!int abc\n").message,
            "yaml: cannot decode !!str `abc` as a !!int"
        );
        assert_eq!(
            refused("~: 1\n").message,
            "unsupported map key of type: %!s(<nil>), key: <nil>, value: 1"
        );
        assert_eq!(refused("a: .nan\n").message, "json: unsupported value: NaN");
        assert_eq!(json(".nan: 1\n"), r#"{".nan":1}"#);
        assert_eq!(json("a: !!binary aGVsbG8=\n"), r#"{"a":"hello"}"#);
        assert_eq!(json("1e6: a\n1.5: b\n"), r#"{"1.5":"b","1e+06":"a"}"#);
        assert_eq!(json("a: 1e400\n"), r#"{"a":"1e400"}"#);
    }

    #[test]
    fn only_the_first_document_of_a_chunk_is_read() {
        assert_eq!(json("a: 1\n...\nb: 2\n"), r#"{"a":1}"#);
    }

    #[test]
    fn separator_with_content_ends_the_file() {
        let docs = parse_stream("a: 1\n---\nb: 2\n--- c\nd: 3\n");
        assert_eq!(docs.len(), 2);
        assert!(docs[0].root.is_some());
        assert!(docs[1].root.is_none());
        assert_eq!(
            docs[1].problems[0].message,
            "invalid Yaml document separator: c"
        );
    }

    #[test]
    fn go_yaml_quirks_are_kept() {
        // An empty flow collection loses its simple key (go-yaml's simple_keys_by_tok).
        assert_eq!(json("[]: v\n"), "[]");
        assert_eq!(
            refused("a: 1\n[]: v\n").message,
            "yaml: line 1: did not find expected key"
        );
        // A BOM after the start of the stream is content.
        assert_eq!(json("x: 1\n\u{feff}a: 1\n"), "{\"x\":1,\"\u{feff}a\":1}");
        // A comment-only document is not parsed (a tab before it is no error).
        assert!(one("\t# c\n").problems.is_empty());
    }

    #[test]
    fn lines_are_read_as_the_yaml_reader_reads_them() {
        // bufio's ReadLine drops the CR of a CRLF: "x\r\r\n y" is one break, not two.
        assert_eq!(json("a: \"x\r\r\n y\"\r\n"), r#"{"a":"x y"}"#);
        // Spans still point into the file as it is.
        let text = "a: 1\r\nb: xy\r\n";
        let root = one(text).root.unwrap();
        let b = root.entry("b").unwrap();
        assert_eq!(&text[b.value.span.start..b.value.span.end], "xy");
        assert_eq!(&text[b.key_span.start..b.key_span.end], "b");
        // A last line without a line break is read with one.
        assert_eq!(json("a: |+\n  x"), r#"{"a":"x\n"}"#);
    }

    #[test]
    fn comment_only_document_is_empty() {
        let d = one("# just a comment\n");
        assert!(d.root.is_none());
        assert!(d.problems.is_empty());
    }
}
