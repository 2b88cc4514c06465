//! go-yaml v2's parser (`parserc.go`), ported to Rust: the state machine that turns the
//! scanner's tokens into events. See the module doc of [`super`] for what was ported from
//! where. Function names follow the Go ones without their `yaml_parser_` prefix.
//!
//! Copyright (c) 2006 Kirill Simonov (libyaml, MIT); Copyright 2011-2016 Canonical Ltd.
//! (go-yaml, Apache-2.0). See `LICENSE` in this folder.

use super::scanner::{Scanner, Token, TokenType};
use super::{ErrorKind, Event, EventKind, Mark, ScalarStyle, YamlError};
use std::borrow::Cow;

// As in go-yaml, two states exist that no transition enters.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockNodeOrIndentlessSequence,
    FlowNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

/// What the parser looks at of the head token (the token itself stays queued).
#[derive(Clone, Copy)]
struct Head {
    typ: TokenType,
    start_mark: Mark,
    end_mark: Mark,
}

pub struct Parser<'a> {
    scanner: Scanner<'a>,
    state: State,
    states: Vec<State>,
    marks: Vec<Mark>,
    tag_directives: Vec<(String, String)>,
    error: Option<YamlError>,
    done: bool,
}

type R<T = ()> = Result<T, YamlError>;

const DEFAULT_TAG_DIRECTIVES: [(&str, &str); 2] = [("!", "!"), ("!!", "tag:yaml.org,2002:")];

impl<'a> Parser<'a> {
    pub fn new(text: &'a str) -> Self {
        Parser {
            scanner: Scanner::new(text),
            state: State::StreamStart,
            states: Vec::new(),
            marks: Vec::new(),
            tag_directives: Vec::new(),
            error: None,
            done: false,
        }
    }

    /// The next event; None after the stream end (or after an error, which is returned once).
    pub fn next_event(&mut self) -> Option<Result<Event<'a>, YamlError>> {
        if self.done || self.error.is_some() || self.state == State::End {
            return None;
        }
        match self.state_machine() {
            Ok(ev) => {
                if matches!(ev.kind, EventKind::StreamEnd) {
                    self.done = true;
                }
                Some(Ok(ev))
            }
            Err(e) => {
                self.error = Some(e.clone());
                Some(Err(e))
            }
        }
    }

    fn peek(&mut self) -> R<Head> {
        if !self.scanner.token_available {
            self.scanner.fetch_more_tokens()?;
        }
        let t = self
            .scanner
            .tokens
            .front()
            .expect("the scanner always queues a token");
        Ok(Head {
            typ: t.typ,
            start_mark: t.start_mark,
            end_mark: t.end_mark,
        })
    }

    fn skip_token(&mut self) -> Token<'a> {
        self.scanner.token_available = false;
        self.scanner.tokens_parsed += 1;
        let t = self.scanner.tokens.pop_front().expect("a peeked token");
        self.scanner.stream_end_produced = t.typ == TokenType::StreamEnd;
        t
    }

    fn parser_error<T>(&self, problem: &'static str, problem_mark: Mark) -> R<T> {
        Err(YamlError {
            kind: ErrorKind::Parser,
            context: "",
            context_mark: Mark::default(),
            problem: Cow::Borrowed(problem),
            problem_mark,
        })
    }

    fn parser_error_context<T>(
        &self,
        context: &'static str,
        context_mark: Mark,
        problem: &'static str,
        problem_mark: Mark,
    ) -> R<T> {
        Err(YamlError {
            kind: ErrorKind::Parser,
            context,
            context_mark,
            problem: Cow::Borrowed(problem),
            problem_mark,
        })
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    fn state_machine(&mut self) -> R<Event<'a>> {
        match self.state {
            State::StreamStart => self.parse_stream_start(),
            State::ImplicitDocumentStart => self.parse_document_start(true),
            State::DocumentStart => self.parse_document_start(false),
            State::DocumentContent => self.parse_document_content(),
            State::DocumentEnd => self.parse_document_end(),
            State::BlockNode => self.parse_node(true, false),
            State::BlockNodeOrIndentlessSequence => self.parse_node(true, true),
            State::FlowNode => self.parse_node(false, false),
            State::BlockSequenceFirstEntry => self.parse_block_sequence_entry(true),
            State::BlockSequenceEntry => self.parse_block_sequence_entry(false),
            State::IndentlessSequenceEntry => self.parse_indentless_sequence_entry(),
            State::BlockMappingFirstKey => self.parse_block_mapping_key(true),
            State::BlockMappingKey => self.parse_block_mapping_key(false),
            State::BlockMappingValue => self.parse_block_mapping_value(),
            State::FlowSequenceFirstEntry => self.parse_flow_sequence_entry(true),
            State::FlowSequenceEntry => self.parse_flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => self.parse_flow_sequence_entry_mapping_key(),
            State::FlowSequenceEntryMappingValue => self.parse_flow_sequence_entry_mapping_value(),
            State::FlowSequenceEntryMappingEnd => self.parse_flow_sequence_entry_mapping_end(),
            State::FlowMappingFirstKey => self.parse_flow_mapping_key(true),
            State::FlowMappingKey => self.parse_flow_mapping_key(false),
            State::FlowMappingValue => self.parse_flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.parse_flow_mapping_value(true),
            State::End => unreachable!("no event after the end"),
        }
    }

    fn event(kind: EventKind<'a>, start: Mark, end: Mark) -> Event<'a> {
        Event { kind, start, end }
    }

    fn parse_stream_start(&mut self) -> R<Event<'a>> {
        let t = self.peek()?;
        if t.typ != TokenType::StreamStart {
            return self.parser_error("did not find expected <stream-start>", t.start_mark);
        }
        self.state = State::ImplicitDocumentStart;
        self.skip_token();
        Ok(Self::event(
            EventKind::StreamStart,
            t.start_mark,
            t.end_mark,
        ))
    }

    fn parse_document_start(&mut self, implicit: bool) -> R<Event<'a>> {
        let mut t = self.peek()?;
        if !implicit {
            while t.typ == TokenType::DocumentEnd {
                self.skip_token();
                t = self.peek()?;
            }
        }
        if implicit
            && !matches!(
                t.typ,
                TokenType::VersionDirective
                    | TokenType::TagDirective
                    | TokenType::DocumentStart
                    | TokenType::StreamEnd
            )
        {
            self.process_directives()?;
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            Ok(Self::event(
                EventKind::DocumentStart { implicit: true },
                t.start_mark,
                t.end_mark,
            ))
        } else if t.typ != TokenType::StreamEnd {
            let start_mark = t.start_mark;
            self.process_directives()?;
            let t = self.peek()?;
            if t.typ != TokenType::DocumentStart {
                return self.parser_error("did not find expected <document start>", t.start_mark);
            }
            self.states.push(State::DocumentEnd);
            self.state = State::DocumentContent;
            self.skip_token();
            Ok(Self::event(
                EventKind::DocumentStart { implicit: false },
                start_mark,
                t.end_mark,
            ))
        } else {
            self.state = State::End;
            self.skip_token();
            Ok(Self::event(EventKind::StreamEnd, t.start_mark, t.end_mark))
        }
    }

    fn parse_document_content(&mut self) -> R<Event<'a>> {
        let t = self.peek()?;
        if matches!(
            t.typ,
            TokenType::VersionDirective
                | TokenType::TagDirective
                | TokenType::DocumentStart
                | TokenType::DocumentEnd
                | TokenType::StreamEnd
        ) {
            self.pop_state();
            return Ok(Self::empty_scalar(t.start_mark));
        }
        self.parse_node(true, false)
    }

    fn parse_document_end(&mut self) -> R<Event<'a>> {
        let t = self.peek()?;
        let start_mark = t.start_mark;
        let mut end_mark = t.start_mark;
        let mut implicit = true;
        if t.typ == TokenType::DocumentEnd {
            end_mark = t.end_mark;
            self.skip_token();
            implicit = false;
        }
        self.tag_directives.clear();
        self.state = State::DocumentStart;
        Ok(Self::event(
            EventKind::DocumentEnd { implicit },
            start_mark,
            end_mark,
        ))
    }

    fn parse_node(&mut self, block: bool, indentless_sequence: bool) -> R<Event<'a>> {
        let mut t = self.peek()?;
        if t.typ == TokenType::Alias {
            self.pop_state();
            let tok = self.skip_token();
            return Ok(Self::event(
                EventKind::Alias { anchor: tok.value },
                t.start_mark,
                t.end_mark,
            ));
        }
        let mut start_mark = t.start_mark;
        let mut end_mark = t.start_mark;
        let mut tag_token = false;
        let mut tag_handle: Cow<'a, str> = Cow::Borrowed("");
        let mut tag_suffix: Cow<'a, str> = Cow::Borrowed("");
        let mut anchor: Option<Cow<'a, str>> = None;
        let mut tag_mark = Mark::default();
        if t.typ == TokenType::Anchor {
            start_mark = t.start_mark;
            end_mark = t.end_mark;
            anchor = Some(self.skip_token().value);
            t = self.peek()?;
            if t.typ == TokenType::Tag {
                tag_token = true;
                tag_mark = t.start_mark;
                end_mark = t.end_mark;
                let tok = self.skip_token();
                tag_handle = tok.value;
                tag_suffix = tok.suffix;
                t = self.peek()?;
            }
        } else if t.typ == TokenType::Tag {
            tag_token = true;
            start_mark = t.start_mark;
            tag_mark = t.start_mark;
            end_mark = t.end_mark;
            let tok = self.skip_token();
            tag_handle = tok.value;
            tag_suffix = tok.suffix;
            t = self.peek()?;
            if t.typ == TokenType::Anchor {
                end_mark = t.end_mark;
                anchor = Some(self.skip_token().value);
                t = self.peek()?;
            }
        }
        let mut tag: Option<String> = None;
        if tag_token {
            if tag_handle.is_empty() {
                tag = Some(tag_suffix.into_owned());
            } else {
                let found = self
                    .tag_directives
                    .iter()
                    .find(|(h, _)| *h == tag_handle)
                    .map(|(_, prefix)| format!("{prefix}{tag_suffix}"));
                match found {
                    Some(full) if !full.is_empty() => tag = Some(full),
                    _ => {
                        return self.parser_error_context(
                            "while parsing a node",
                            start_mark,
                            "found undefined tag handle",
                            tag_mark,
                        );
                    }
                }
            }
        }
        // go-yaml compares lengths: an empty tag counts as none.
        if tag.as_deref() == Some("") {
            tag = None;
        }
        let implicit = tag.is_none();
        if indentless_sequence && t.typ == TokenType::BlockEntry {
            end_mark = t.end_mark;
            self.state = State::IndentlessSequenceEntry;
            return Ok(Self::event(
                EventKind::SequenceStart {
                    anchor,
                    tag,
                    implicit,
                    flow: false,
                    indentless: true,
                },
                start_mark,
                end_mark,
            ));
        }
        if t.typ == TokenType::Scalar {
            end_mark = t.end_mark;
            self.pop_state();
            let tok = self.skip_token();
            let mut plain_implicit = false;
            let mut quoted_implicit = false;
            if (tag.is_none() && tok.style == ScalarStyle::Plain) || tag.as_deref() == Some("!") {
                plain_implicit = true;
            } else if tag.is_none() {
                quoted_implicit = true;
            }
            return Ok(Self::event(
                EventKind::Scalar {
                    anchor,
                    tag,
                    value: tok.value,
                    plain_implicit,
                    quoted_implicit,
                    style: tok.style,
                },
                start_mark,
                end_mark,
            ));
        }
        if t.typ == TokenType::FlowSequenceStart {
            end_mark = t.end_mark;
            self.state = State::FlowSequenceFirstEntry;
            return Ok(Self::event(
                EventKind::SequenceStart {
                    anchor,
                    tag,
                    implicit,
                    flow: true,
                    indentless: false,
                },
                start_mark,
                end_mark,
            ));
        }
        if t.typ == TokenType::FlowMappingStart {
            end_mark = t.end_mark;
            self.state = State::FlowMappingFirstKey;
            return Ok(Self::event(
                EventKind::MappingStart {
                    anchor,
                    tag,
                    implicit,
                    flow: true,
                },
                start_mark,
                end_mark,
            ));
        }
        if block && t.typ == TokenType::BlockSequenceStart {
            end_mark = t.end_mark;
            self.state = State::BlockSequenceFirstEntry;
            return Ok(Self::event(
                EventKind::SequenceStart {
                    anchor,
                    tag,
                    implicit,
                    flow: false,
                    indentless: false,
                },
                start_mark,
                end_mark,
            ));
        }
        if block && t.typ == TokenType::BlockMappingStart {
            end_mark = t.end_mark;
            self.state = State::BlockMappingFirstKey;
            return Ok(Self::event(
                EventKind::MappingStart {
                    anchor,
                    tag,
                    implicit,
                    flow: false,
                },
                start_mark,
                end_mark,
            ));
        }
        if anchor.is_some() || tag.is_some() {
            self.pop_state();
            return Ok(Self::event(
                EventKind::Scalar {
                    anchor,
                    tag,
                    value: Cow::Borrowed(""),
                    plain_implicit: implicit,
                    quoted_implicit: false,
                    style: ScalarStyle::Plain,
                },
                start_mark,
                end_mark,
            ));
        }
        let context = if block {
            "while parsing a block node"
        } else {
            "while parsing a flow node"
        };
        self.parser_error_context(
            context,
            start_mark,
            "did not find expected node content",
            t.start_mark,
        )
    }

    fn parse_block_sequence_entry(&mut self, first: bool) -> R<Event<'a>> {
        if first {
            let t = self.peek()?;
            self.marks.push(t.start_mark);
            self.skip_token();
        }
        let t = self.peek()?;
        if t.typ == TokenType::BlockEntry {
            let mark = t.end_mark;
            self.skip_token();
            let t = self.peek()?;
            if t.typ != TokenType::BlockEntry && t.typ != TokenType::BlockEnd {
                self.states.push(State::BlockSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::BlockSequenceEntry;
            return Ok(Self::empty_scalar(mark));
        }
        if t.typ == TokenType::BlockEnd {
            self.pop_state();
            self.marks.pop();
            self.skip_token();
            return Ok(Self::event(
                EventKind::SequenceEnd,
                t.start_mark,
                t.end_mark,
            ));
        }
        let context_mark = self.marks.pop().unwrap_or_default();
        self.parser_error_context(
            "while parsing a block collection",
            context_mark,
            "did not find expected '-' indicator",
            t.start_mark,
        )
    }

    fn parse_indentless_sequence_entry(&mut self) -> R<Event<'a>> {
        let t = self.peek()?;
        if t.typ == TokenType::BlockEntry {
            let mark = t.end_mark;
            self.skip_token();
            let t = self.peek()?;
            if !matches!(
                t.typ,
                TokenType::BlockEntry | TokenType::Key | TokenType::Value | TokenType::BlockEnd
            ) {
                self.states.push(State::IndentlessSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::IndentlessSequenceEntry;
            return Ok(Self::empty_scalar(mark));
        }
        self.pop_state();
        Ok(Self::event(
            EventKind::SequenceEnd,
            t.start_mark,
            t.start_mark,
        ))
    }

    fn parse_block_mapping_key(&mut self, first: bool) -> R<Event<'a>> {
        if first {
            let t = self.peek()?;
            self.marks.push(t.start_mark);
            self.skip_token();
        }
        let t = self.peek()?;
        if t.typ == TokenType::Key {
            let mark = t.end_mark;
            self.skip_token();
            let t = self.peek()?;
            if !matches!(
                t.typ,
                TokenType::Key | TokenType::Value | TokenType::BlockEnd
            ) {
                self.states.push(State::BlockMappingValue);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingValue;
            return Ok(Self::empty_scalar(mark));
        } else if t.typ == TokenType::BlockEnd {
            self.pop_state();
            self.marks.pop();
            self.skip_token();
            return Ok(Self::event(EventKind::MappingEnd, t.start_mark, t.end_mark));
        }
        let context_mark = self.marks.pop().unwrap_or_default();
        self.parser_error_context(
            "while parsing a block mapping",
            context_mark,
            "did not find expected key",
            t.start_mark,
        )
    }

    fn parse_block_mapping_value(&mut self) -> R<Event<'a>> {
        let t = self.peek()?;
        if t.typ == TokenType::Value {
            let mark = t.end_mark;
            self.skip_token();
            let t = self.peek()?;
            if !matches!(
                t.typ,
                TokenType::Key | TokenType::Value | TokenType::BlockEnd
            ) {
                self.states.push(State::BlockMappingKey);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingKey;
            return Ok(Self::empty_scalar(mark));
        }
        self.state = State::BlockMappingKey;
        Ok(Self::empty_scalar(t.start_mark))
    }

    fn parse_flow_sequence_entry(&mut self, first: bool) -> R<Event<'a>> {
        if first {
            let t = self.peek()?;
            self.marks.push(t.start_mark);
            self.skip_token();
        }
        let mut t = self.peek()?;
        if t.typ != TokenType::FlowSequenceEnd {
            if !first {
                if t.typ == TokenType::FlowEntry {
                    self.skip_token();
                    t = self.peek()?;
                } else {
                    let context_mark = self.marks.pop().unwrap_or_default();
                    return self.parser_error_context(
                        "while parsing a flow sequence",
                        context_mark,
                        "did not find expected ',' or ']'",
                        t.start_mark,
                    );
                }
            }
            if t.typ == TokenType::Key {
                self.state = State::FlowSequenceEntryMappingKey;
                self.skip_token();
                return Ok(Self::event(
                    EventKind::MappingStart {
                        anchor: None,
                        tag: None,
                        implicit: true,
                        flow: true,
                    },
                    t.start_mark,
                    t.end_mark,
                ));
            } else if t.typ != TokenType::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        self.skip_token();
        Ok(Self::event(
            EventKind::SequenceEnd,
            t.start_mark,
            t.end_mark,
        ))
    }

    fn parse_flow_sequence_entry_mapping_key(&mut self) -> R<Event<'a>> {
        let t = self.peek()?;
        if !matches!(
            t.typ,
            TokenType::Value | TokenType::FlowEntry | TokenType::FlowSequenceEnd
        ) {
            self.states.push(State::FlowSequenceEntryMappingValue);
            return self.parse_node(false, false);
        }
        let mark = t.end_mark;
        self.skip_token();
        self.state = State::FlowSequenceEntryMappingValue;
        Ok(Self::empty_scalar(mark))
    }

    fn parse_flow_sequence_entry_mapping_value(&mut self) -> R<Event<'a>> {
        let t = self.peek()?;
        if t.typ == TokenType::Value {
            self.skip_token();
            let t2 = self.peek()?;
            if t2.typ != TokenType::FlowEntry && t2.typ != TokenType::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntryMappingEnd);
                return self.parse_node(false, false);
            }
        }
        self.state = State::FlowSequenceEntryMappingEnd;
        // As in go-yaml: the mark of the token first peeked (the ':' when there was one).
        Ok(Self::empty_scalar(t.start_mark))
    }

    fn parse_flow_sequence_entry_mapping_end(&mut self) -> R<Event<'a>> {
        let t = self.peek()?;
        self.state = State::FlowSequenceEntry;
        Ok(Self::event(
            EventKind::MappingEnd,
            t.start_mark,
            t.start_mark,
        ))
    }

    fn parse_flow_mapping_key(&mut self, first: bool) -> R<Event<'a>> {
        if first {
            let t = self.peek()?;
            self.marks.push(t.start_mark);
            self.skip_token();
        }
        let mut t = self.peek()?;
        if t.typ != TokenType::FlowMappingEnd {
            if !first {
                if t.typ == TokenType::FlowEntry {
                    self.skip_token();
                    t = self.peek()?;
                } else {
                    let context_mark = self.marks.pop().unwrap_or_default();
                    return self.parser_error_context(
                        "while parsing a flow mapping",
                        context_mark,
                        "did not find expected ',' or '}'",
                        t.start_mark,
                    );
                }
            }
            if t.typ == TokenType::Key {
                self.skip_token();
                t = self.peek()?;
                if !matches!(
                    t.typ,
                    TokenType::Value | TokenType::FlowEntry | TokenType::FlowMappingEnd
                ) {
                    self.states.push(State::FlowMappingValue);
                    return self.parse_node(false, false);
                }
                self.state = State::FlowMappingValue;
                return Ok(Self::empty_scalar(t.start_mark));
            } else if t.typ != TokenType::FlowMappingEnd {
                self.states.push(State::FlowMappingEmptyValue);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        self.skip_token();
        Ok(Self::event(EventKind::MappingEnd, t.start_mark, t.end_mark))
    }

    fn parse_flow_mapping_value(&mut self, empty: bool) -> R<Event<'a>> {
        let mut t = self.peek()?;
        if empty {
            self.state = State::FlowMappingKey;
            return Ok(Self::empty_scalar(t.start_mark));
        }
        if t.typ == TokenType::Value {
            self.skip_token();
            t = self.peek()?;
            if t.typ != TokenType::FlowEntry && t.typ != TokenType::FlowMappingEnd {
                self.states.push(State::FlowMappingKey);
                return self.parse_node(false, false);
            }
        }
        self.state = State::FlowMappingKey;
        Ok(Self::empty_scalar(t.start_mark))
    }

    fn empty_scalar(mark: Mark) -> Event<'a> {
        Self::event(
            EventKind::Scalar {
                anchor: None,
                tag: None,
                value: Cow::Borrowed(""),
                plain_implicit: true,
                quoted_implicit: false,
                style: ScalarStyle::Plain,
            },
            mark,
            mark,
        )
    }

    fn process_directives(&mut self) -> R {
        let mut version_seen = false;
        let mut t = self.peek()?;
        while t.typ == TokenType::VersionDirective || t.typ == TokenType::TagDirective {
            let front = self.scanner.tokens.front().expect("a peeked token");
            if t.typ == TokenType::VersionDirective {
                if version_seen {
                    return self.parser_error("found duplicate %YAML directive", t.start_mark);
                }
                if front.major != 1 || front.minor != 1 {
                    return self.parser_error("found incompatible YAML document", t.start_mark);
                }
                version_seen = true;
            } else {
                let handle = front.value.to_string();
                let prefix = front.suffix.to_string();
                self.append_tag_directive(handle, prefix, false, t.start_mark)?;
            }
            self.skip_token();
            t = self.peek()?;
        }
        for (h, p) in DEFAULT_TAG_DIRECTIVES {
            self.append_tag_directive(h.to_string(), p.to_string(), true, t.start_mark)?;
        }
        Ok(())
    }

    fn append_tag_directive(
        &mut self,
        handle: String,
        prefix: String,
        allow_duplicates: bool,
        mark: Mark,
    ) -> R {
        if self.tag_directives.iter().any(|(h, _)| *h == handle) {
            if allow_duplicates {
                return Ok(());
            }
            return self.parser_error("found duplicate %TAG directive", mark);
        }
        self.tag_directives.push((handle, prefix));
        Ok(())
    }
}

impl<'a> Iterator for Parser<'a> {
    type Item = Result<Event<'a>, YamlError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_event()
    }
}
