//! go-yaml v2's scanner (`scannerc.go`), ported to Rust; see the module doc of
//! [`super`] for what was ported from where. Function names follow the Go ones without their
//! `yaml_parser_` prefix.
//!
//! Copyright (c) 2006 Kirill Simonov (libyaml, MIT); Copyright 2011-2016 Canonical Ltd.
//! (go-yaml, Apache-2.0). See `LICENSE` in this folder.

use super::{ErrorKind, Mark, ScalarStyle, YamlError};
use std::borrow::Cow;
use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenType {
    StreamStart,
    StreamEnd,
    VersionDirective,
    TagDirective,
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias,
    Anchor,
    Tag,
    Scalar,
}

#[derive(Debug, Clone)]
pub struct Token<'a> {
    pub typ: TokenType,
    pub start_mark: Mark,
    pub end_mark: Mark,
    /// Scalar value, anchor or alias name, tag or %TAG handle.
    pub value: Cow<'a, str>,
    /// Tag suffix, or %TAG prefix.
    pub suffix: Cow<'a, str>,
    pub style: ScalarStyle,
    pub major: i8,
    pub minor: i8,
}

impl<'a> Token<'a> {
    fn new(typ: TokenType, start_mark: Mark, end_mark: Mark) -> Self {
        Token {
            typ,
            start_mark,
            end_mark,
            value: Cow::Borrowed(""),
            suffix: Cow::Borrowed(""),
            style: ScalarStyle::Plain,
            major: 0,
            minor: 0,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct SimpleKey {
    possible: bool,
    required: bool,
    token_number: usize,
    mark: Mark,
}

/// Scalar text being built: a slice of the input as long as it is one, else owned bytes.
struct Buf {
    start: usize,
    end: usize,
    owned: Option<Vec<u8>>,
}

impl Buf {
    fn new() -> Self {
        Buf {
            start: 0,
            end: 0,
            owned: None,
        }
    }

    fn is_empty(&self) -> bool {
        match &self.owned {
            Some(v) => v.is_empty(),
            None => self.start == self.end,
        }
    }

    /// Append the input bytes `from..to`.
    #[inline(always)]
    fn extend_input(&mut self, input: &[u8], from: usize, to: usize) {
        match &mut self.owned {
            Some(v) => v.extend_from_slice(&input[from..to]),
            None => {
                if self.start == self.end {
                    self.start = from;
                    self.end = to;
                } else if self.end == from {
                    self.end = to;
                } else {
                    let mut v = input[self.start..self.end].to_vec();
                    v.extend_from_slice(&input[from..to]);
                    self.owned = Some(v);
                }
            }
        }
    }

    fn owned_vec(&mut self, input: &[u8]) -> &mut Vec<u8> {
        if self.owned.is_none() {
            self.owned = Some(input[self.start..self.end].to_vec());
        }
        self.owned.as_mut().unwrap()
    }

    fn push_bytes(&mut self, input: &[u8], bytes: &[u8]) {
        self.owned_vec(input).extend_from_slice(bytes);
    }

    fn finish<'a>(self, input: &'a str) -> Cow<'a, str> {
        match self.owned {
            Some(v) => Cow::Owned(
                String::from_utf8(v)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into()),
            ),
            None => Cow::Borrowed(&input[self.start..self.end]),
        }
    }
}

/// Whitespace read inside a scalar: always a run of the input.
#[derive(Clone, Copy)]
struct Run {
    start: usize,
    end: usize,
}

impl Run {
    fn empty() -> Self {
        Run { start: 0, end: 0 }
    }
    fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

const MAX_FLOW_LEVEL: usize = 10000;
const MAX_INDENTS: usize = 10000;
const MAX_NUMBER_LENGTH: i8 = 2;
/// go-yaml's reader fills its raw buffer this many bytes at a time (`input_raw_buffer_size`).
const RAW_BUFFER_SIZE: usize = 512;

#[inline]
fn width(b: u8) -> usize {
    if b & 0x80 == 0x00 {
        1
    } else if b & 0xE0 == 0xC0 {
        2
    } else if b & 0xF0 == 0xE0 {
        3
    } else if b & 0xF8 == 0xF0 {
        4
    } else {
        0
    }
}

/// The first character go-yaml's reader refuses ("control characters are not allowed"), as
/// a byte range.
fn first_disallowed(text: &str) -> Option<(usize, usize)> {
    // In valid UTF-8 the refused characters are the C0 controls but tab, LF and CR, DEL, the
    // C1 controls but NEL (C2 80..9F), and U+FFFE / U+FFFF (EF BF BE / EF BF BF).
    let b = text.as_bytes();
    // Most text is printable ASCII, tabs and line breaks: skipped 32 bytes at a time (a fold
    // without early exit, which the compiler vectorises), each byte looked at only in a block
    // that holds something else.
    const BLOCK: usize = 32;
    let plain = |c: u8| c.wrapping_sub(0x20) < 0x5F || c == b'\n' || c == b'\t' || c == b'\r';
    let mut i = 0;
    while i < b.len() {
        if i % BLOCK == 0
            && let Some(block) = b.get(i..i + BLOCK)
            && block.iter().fold(true, |all, &c| all & plain(c))
        {
            i += BLOCK;
            continue;
        }
        let c = b[i];
        let bad = match c {
            0x09 | 0x0A | 0x0D | 0x20..=0x7E => false,
            0x00..=0x1F | 0x7F => true,
            0xC2 => matches!(b.get(i + 1), Some(&n) if (0x80..=0x9F).contains(&n) && n != 0x85),
            0xEF => b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)),
            _ => false,
        };
        if bad {
            let w = width(c).max(1);
            return Some((i, (i + w).min(b.len())));
        }
        i += 1;
    }
    None
}

pub struct Scanner<'a> {
    text: &'a str,
    input: &'a [u8],
    /// Byte offset of the next character.
    pos: usize,
    pub mark: Mark,

    /// Reader emulation (readerc.go's `yaml_parser_update_buffer`): the reader reads
    /// [`RAW_BUFFER_SIZE`] bytes at a time and decodes them only when the scanner asks for more
    /// characters than it holds (`unread`). Its refusal of a control character surfaces when
    /// that character is decoded, and its buffer's first bytes (the character at `buf0`, where
    /// the last refill moved the unread characters to) are what go-yaml's `is_bom` looks at.
    bad: Option<(usize, usize)>,
    unread: usize,
    decoded_end: usize,
    raw_end: usize,
    eof: bool,
    buf0: usize,

    pub stream_start_produced: bool,
    pub stream_end_produced: bool,
    flow_level: usize,
    pub tokens: VecDeque<Token<'a>>,
    pub tokens_parsed: usize,
    pub token_available: bool,
    indent: isize,
    indents: Vec<isize>,
    simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    /// go-yaml's `simple_keys_by_tok` map (token number -> index in `simple_keys`), kept as
    /// go-yaml keeps it, stale entries included: its quirks decide some documents (an empty
    /// flow collection as a key). Token numbers only grow, so it is a sorted queue whose
    /// entries behind the parsed tokens can be dropped.
    simple_keys_by_tok: VecDeque<(usize, usize)>,
    pub error: Option<YamlError>,
}

type R<T = ()> = Result<T, YamlError>;

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut s = Scanner {
            text,
            input: text.as_bytes(),
            pos: 0,
            mark: Mark::default(),
            bad: first_disallowed(text),
            unread: 0,
            decoded_end: 0,
            raw_end: 0,
            eof: false,
            buf0: 0,
            stream_start_produced: false,
            stream_end_produced: false,
            flow_level: 0,
            tokens: VecDeque::new(),
            tokens_parsed: 0,
            token_available: false,
            indent: 0,
            indents: Vec::new(),
            simple_key_allowed: false,
            simple_keys: Vec::new(),
            simple_keys_by_tok: VecDeque::new(),
            error: None,
        };
        // yaml_parser_determine_encoding: the first raw read, and a UTF-8 BOM dropped before
        // anything is decoded, without moving the mark.
        s.raw_end = RAW_BUFFER_SIZE.min(s.input.len());
        if s.input.starts_with(b"\xEF\xBB\xBF") {
            s.pos = 3;
            s.decoded_end = 3;
        }
        s.buf0 = s.pos;
        s
    }

    // ---- the buffer (readerc.go's view of it) ----

    #[inline]
    fn ch(&self, k: usize) -> u8 {
        match self.input.get(self.pos + k) {
            Some(&b) => b,
            None => 0,
        }
    }

    #[inline]
    fn is_z(&self, k: usize) -> bool {
        self.ch(k) == 0
    }
    #[inline]
    fn is_blank(&self, k: usize) -> bool {
        let c = self.ch(k);
        c == b' ' || c == b'\t'
    }
    #[inline]
    fn is_space(&self, k: usize) -> bool {
        self.ch(k) == b' '
    }
    #[inline]
    fn is_tab(&self, k: usize) -> bool {
        self.ch(k) == b'\t'
    }
    #[inline]
    fn is_break(&self, k: usize) -> bool {
        match self.ch(k) {
            b'\r' | b'\n' => true,
            0xC2 => self.ch(k + 1) == 0x85,
            0xE2 => self.ch(k + 1) == 0x80 && matches!(self.ch(k + 2), 0xA8 | 0xA9),
            _ => false,
        }
    }
    #[inline]
    fn is_crlf(&self, k: usize) -> bool {
        self.ch(k) == b'\r' && self.ch(k + 1) == b'\n'
    }
    #[inline]
    fn is_breakz(&self, k: usize) -> bool {
        self.is_break(k) || self.is_z(k)
    }
    #[inline]
    fn is_blankz(&self, k: usize) -> bool {
        self.is_blank(k) || self.is_breakz(k)
    }
    #[inline]
    fn is_alpha(&self, k: usize) -> bool {
        let c = self.ch(k);
        c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
    }
    #[inline]
    fn is_digit(&self, k: usize) -> bool {
        self.ch(k).is_ascii_digit()
    }
    #[inline]
    fn is_hex(&self, k: usize) -> bool {
        self.ch(k).is_ascii_hexdigit()
    }
    fn as_hex(&self, k: usize) -> u32 {
        (self.ch(k) as char).to_digit(16).unwrap_or(0)
    }
    /// go-yaml's `is_bom` ignores its position and looks at the start of the reader's buffer.
    fn is_bom(&self, _k: usize) -> bool {
        let b = |i: usize| self.input.get(self.buf0 + i).copied().unwrap_or(0);
        b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF
    }

    /// `cache`/`yaml_parser_update_buffer`: make `length` characters available.
    #[inline]
    fn cache(&mut self, length: usize) -> R {
        if self.unread >= length {
            return Ok(());
        }
        self.update_buffer(length)
    }

    #[cold]
    fn update_buffer(&mut self, length: usize) -> R {
        // The unread characters move to the start of the buffer.
        self.buf0 = self.pos;
        let mut first = true;
        while self.unread < length {
            if !first || self.decoded_end == self.raw_end {
                // yaml_parser_update_raw_buffer: keep the undecoded tail, fill up to the
                // buffer's size; a read with nothing left reports the end of the input.
                if self.raw_end < self.input.len() {
                    self.raw_end = (self.decoded_end + RAW_BUFFER_SIZE).min(self.input.len());
                } else {
                    self.eof = true;
                }
            }
            first = false;
            // Decode the complete characters read.
            let mut end = self.raw_end;
            if end < self.input.len() {
                while end > self.decoded_end && !self.text.is_char_boundary(end) {
                    end -= 1;
                }
            }
            if end > self.decoded_end {
                if let Some((bad_start, _)) = self.bad
                    && bad_start >= self.decoded_end
                    && bad_start < end
                {
                    return Err(YamlError {
                        kind: ErrorKind::Reader,
                        context: "",
                        context_mark: Mark::default(),
                        problem: Cow::Borrowed("control characters are not allowed"),
                        problem_mark: Mark::default(),
                    });
                }
                let chunk = &self.text[self.decoded_end..end];
                self.unread += if chunk.is_ascii() {
                    chunk.len()
                } else {
                    chunk.chars().count()
                };
                self.decoded_end = end;
            }
            if self.eof {
                // A NUL ends the characters.
                self.unread += 1;
                break;
            }
        }
        Ok(())
    }

    #[inline]
    fn skip(&mut self) {
        self.mark.index += 1;
        self.mark.column += 1;
        self.unread = self.unread.saturating_sub(1);
        self.pos += width(self.ch(0)).max(1);
    }

    fn skip_line(&mut self) {
        if self.is_crlf(0) {
            self.mark.index += 2;
            self.mark.column = 0;
            self.mark.line += 1;
            self.unread = self.unread.saturating_sub(2);
            self.pos += 2;
        } else if self.is_break(0) {
            self.mark.index += 1;
            self.mark.column = 0;
            self.mark.line += 1;
            self.unread = self.unread.saturating_sub(1);
            self.pos += width(self.ch(0));
        }
    }

    /// `read`: append the current character to `s`.
    #[inline]
    fn read(&mut self, s: &mut Buf) {
        let w = width(self.ch(0)).max(1);
        s.extend_input(self.input, self.pos, self.pos + w);
        self.pos += w;
        self.mark.index += 1;
        self.mark.column += 1;
        self.unread = self.unread.saturating_sub(1);
    }

    /// Read, as repeated `read`s would, the characters from here up to (not including) the
    /// first byte `stop` accepts, but never the last decoded character, so that the reader
    /// refills exactly where go-yaml's does (`cache` after each `read`). `keep` characters stay
    /// decoded for the caller's look-ahead. Returns whether anything was read.
    #[inline]
    fn read_while(&mut self, s: &mut Buf, keep: usize, stop: impl Fn(u8) -> bool) -> bool {
        let from = self.pos;
        let mut i = from;
        let mut chars = 0;
        let budget = self.unread.saturating_sub(keep);
        while chars < budget {
            let Some(&c) = self.input.get(i) else { break };
            if c >= 0x80 || stop(c) {
                break;
            }
            i += 1;
            chars += 1;
        }
        if chars == 0 {
            return false;
        }
        s.extend_input(self.input, from, i);
        self.pos = i;
        self.mark.index += chars;
        self.mark.column += chars;
        self.unread -= chars;
        true
    }

    #[inline]
    fn read_run(&mut self, r: &mut Run) {
        let w = width(self.ch(0)).max(1);
        if r.is_empty() {
            r.start = self.pos;
        }
        r.end = self.pos + w;
        self.pos += w;
        self.mark.index += 1;
        self.mark.column += 1;
        self.unread = self.unread.saturating_sub(1);
    }

    fn read_line(&mut self, s: &mut Vec<u8>) {
        let b0 = self.ch(0);
        let b1 = self.ch(1);
        if b0 == b'\r' && b1 == b'\n' {
            s.push(b'\n');
            self.pos += 2;
            self.mark.index += 1;
            self.unread = self.unread.saturating_sub(1);
        } else if b0 == b'\r' || b0 == b'\n' {
            s.push(b'\n');
            self.pos += 1;
        } else if b0 == 0xC2 && b1 == 0x85 {
            s.push(b'\n');
            self.pos += 2;
        } else if b0 == 0xE2 && b1 == 0x80 && matches!(self.ch(2), 0xA8 | 0xA9) {
            s.extend_from_slice(&self.input[self.pos..self.pos + 3]);
            self.pos += 3;
        } else {
            return;
        }
        self.mark.index += 1;
        self.mark.column = 0;
        self.mark.line += 1;
        self.unread = self.unread.saturating_sub(1);
    }

    fn mark_here(&self) -> Mark {
        Mark {
            pos: self.pos,
            ..self.mark
        }
    }

    fn scanner_error(
        &self,
        context: &'static str,
        context_mark: Mark,
        problem: &'static str,
    ) -> YamlError {
        YamlError {
            kind: ErrorKind::Scanner,
            context,
            context_mark,
            problem: Cow::Borrowed(problem),
            problem_mark: self.mark_here(),
        }
    }

    fn fail<T>(&mut self, e: YamlError) -> R<T> {
        self.error = Some(e.clone());
        Err(e)
    }

    fn set_scanner_error<T>(
        &mut self,
        context: &'static str,
        context_mark: Mark,
        problem: &'static str,
    ) -> R<T> {
        let e = self.scanner_error(context, context_mark, problem);
        self.fail(e)
    }

    fn set_scanner_tag_error<T>(
        &mut self,
        directive: bool,
        context_mark: Mark,
        problem: &'static str,
    ) -> R<T> {
        let context = if directive {
            "while parsing a %TAG directive"
        } else {
            "while parsing a tag"
        };
        self.set_scanner_error(context, context_mark, problem)
    }

    /// Any error from the reader is kept as the scanner's.
    fn c(&mut self, length: usize) -> R {
        match self.cache(length) {
            Ok(()) => Ok(()),
            Err(e) => self.fail(e),
        }
    }

    // ---- tokens ----

    fn insert_token(&mut self, pos: Option<usize>, token: Token<'a>) {
        match pos {
            None => self.tokens.push_back(token),
            Some(p) => self.tokens.insert(p.min(self.tokens.len()), token),
        }
    }

    /// `yaml_parser_fetch_more_tokens`.
    pub fn fetch_more_tokens(&mut self) -> R {
        loop {
            if !self.tokens.is_empty() {
                // Is the head token a possible simple key? Then the tokens after it decide.
                let head = self.tokens_parsed;
                while self
                    .simple_keys_by_tok
                    .front()
                    .is_some_and(|&(t, _)| t < head)
                {
                    self.simple_keys_by_tok.pop_front();
                }
                match self.simple_keys_by_tok.front() {
                    Some(&(t, i)) if t == head && i < self.simple_keys.len() => {
                        if !self.simple_key_is_valid(i)? {
                            break;
                        }
                    }
                    _ => break,
                }
            }
            self.fetch_next_token()?;
        }
        self.token_available = true;
        Ok(())
    }

    fn fetch_next_token(&mut self) -> R {
        self.c(1)?;
        if !self.stream_start_produced {
            return self.fetch_stream_start();
        }
        self.scan_to_next_token()?;
        self.unroll_indent(self.mark.column as isize);
        self.c(4)?;
        if self.is_z(0) {
            return self.fetch_stream_end();
        }
        let c = self.ch(0);
        if self.mark.column == 0 && c == b'%' {
            return self.fetch_directive();
        }
        if self.mark.column == 0
            && c == b'-'
            && self.ch(1) == b'-'
            && self.ch(2) == b'-'
            && self.is_blankz(3)
        {
            return self.fetch_document_indicator(TokenType::DocumentStart);
        }
        if self.mark.column == 0
            && c == b'.'
            && self.ch(1) == b'.'
            && self.ch(2) == b'.'
            && self.is_blankz(3)
        {
            return self.fetch_document_indicator(TokenType::DocumentEnd);
        }
        match c {
            b'[' => return self.fetch_flow_collection_start(TokenType::FlowSequenceStart),
            b'{' => return self.fetch_flow_collection_start(TokenType::FlowMappingStart),
            b']' => return self.fetch_flow_collection_end(TokenType::FlowSequenceEnd),
            b'}' => return self.fetch_flow_collection_end(TokenType::FlowMappingEnd),
            b',' => return self.fetch_flow_entry(),
            _ => {}
        }
        if c == b'-' && self.is_blankz(1) {
            return self.fetch_block_entry();
        }
        if c == b'?' && (self.flow_level > 0 || self.is_blankz(1)) {
            return self.fetch_key();
        }
        if c == b':' && (self.flow_level > 0 || self.is_blankz(1)) {
            return self.fetch_value();
        }
        match c {
            b'*' => return self.fetch_anchor(TokenType::Alias),
            b'&' => return self.fetch_anchor(TokenType::Anchor),
            b'!' => return self.fetch_tag(),
            b'|' if self.flow_level == 0 => return self.fetch_block_scalar(true),
            b'>' if self.flow_level == 0 => return self.fetch_block_scalar(false),
            b'\'' => return self.fetch_flow_scalar(true),
            b'"' => return self.fetch_flow_scalar(false),
            _ => {}
        }
        let indicator = matches!(
            c,
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        );
        if !(self.is_blankz(0) || indicator)
            || (c == b'-' && !self.is_blank(1))
            || (self.flow_level == 0 && (c == b'?' || c == b':') && !self.is_blankz(1))
        {
            return self.fetch_plain_scalar();
        }
        let m = self.mark_here();
        self.set_scanner_error(
            "while scanning for the next token",
            m,
            "found character that cannot start any token",
        )
    }

    fn by_tok_set(&mut self, token_number: usize, index: usize) {
        match self.simple_keys_by_tok.back_mut() {
            Some(last) if last.0 == token_number => last.1 = index,
            Some(last) if last.0 > token_number => {
                match self
                    .simple_keys_by_tok
                    .binary_search_by_key(&token_number, |&(t, _)| t)
                {
                    Ok(i) => self.simple_keys_by_tok[i].1 = index,
                    Err(i) => self.simple_keys_by_tok.insert(i, (token_number, index)),
                }
            }
            _ => self.simple_keys_by_tok.push_back((token_number, index)),
        }
    }

    fn by_tok_delete(&mut self, token_number: usize) {
        if let Ok(i) = self
            .simple_keys_by_tok
            .binary_search_by_key(&token_number, |&(t, _)| t)
        {
            self.simple_keys_by_tok.remove(i);
        }
    }

    /// `yaml_simple_key_is_valid` for `self.simple_keys[i]`.
    fn simple_key_is_valid(&mut self, i: usize) -> R<bool> {
        let key = self.simple_keys[i];
        if !key.possible {
            return Ok(false);
        }
        if key.mark.line < self.mark.line || key.mark.index + 1024 < self.mark.index {
            if key.required {
                return self.set_scanner_error(
                    "while scanning a simple key",
                    key.mark,
                    "could not find expected ':'",
                );
            }
            self.simple_keys[i].possible = false;
            return Ok(false);
        }
        Ok(true)
    }

    fn save_simple_key(&mut self) -> R {
        let required = self.flow_level == 0 && self.indent == self.mark.column as isize;
        if self.simple_key_allowed {
            let key = SimpleKey {
                possible: true,
                required,
                token_number: self.tokens_parsed + self.tokens.len(),
                mark: self.mark_here(),
            };
            self.remove_simple_key()?;
            let last = self.simple_keys.len() - 1;
            self.simple_keys[last] = key;
            self.by_tok_set(key.token_number, last);
        }
        Ok(())
    }

    fn remove_simple_key(&mut self) -> R {
        let i = self.simple_keys.len() - 1;
        if self.simple_keys[i].possible {
            if self.simple_keys[i].required {
                let m = self.simple_keys[i].mark;
                return self.set_scanner_error(
                    "while scanning a simple key",
                    m,
                    "could not find expected ':'",
                );
            }
            self.simple_keys[i].possible = false;
            let t = self.simple_keys[i].token_number;
            self.by_tok_delete(t);
        }
        Ok(())
    }

    fn increase_flow_level(&mut self) -> R {
        self.simple_keys.push(SimpleKey {
            possible: false,
            required: false,
            token_number: self.tokens_parsed + self.tokens.len(),
            mark: self.mark_here(),
        });
        self.flow_level += 1;
        if self.flow_level > MAX_FLOW_LEVEL {
            let m = self.simple_keys[self.simple_keys.len() - 1].mark;
            let e = YamlError {
                kind: ErrorKind::Scanner,
                context: "while increasing flow level",
                context_mark: m,
                problem: Cow::Owned(format!("exceeded max depth of {MAX_FLOW_LEVEL}")),
                problem_mark: self.mark_here(),
            };
            return self.fail(e);
        }
        Ok(())
    }

    fn decrease_flow_level(&mut self) {
        if self.flow_level > 0 {
            self.flow_level -= 1;
            if let Some(k) = self.simple_keys.pop() {
                self.by_tok_delete(k.token_number);
            }
        }
    }

    fn roll_indent(
        &mut self,
        column: isize,
        number: Option<usize>,
        typ: TokenType,
        mark: Mark,
    ) -> R {
        if self.flow_level > 0 {
            return Ok(());
        }
        if self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
            if self.indents.len() > MAX_INDENTS {
                let m = self.simple_keys[self.simple_keys.len() - 1].mark;
                let e = YamlError {
                    kind: ErrorKind::Scanner,
                    context: "while increasing indent level",
                    context_mark: m,
                    problem: Cow::Owned(format!("exceeded max depth of {MAX_INDENTS}")),
                    problem_mark: self.mark_here(),
                };
                return self.fail(e);
            }
            let token = Token::new(typ, mark, mark);
            // A position behind the parsed tokens appends, as in go-yaml.
            let pos = number.and_then(|n| n.checked_sub(self.tokens_parsed));
            self.insert_token(pos, token);
        }
        Ok(())
    }

    fn unroll_indent(&mut self, column: isize) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            let m = self.mark_here();
            self.insert_token(None, Token::new(TokenType::BlockEnd, m, m));
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    fn fetch_stream_start(&mut self) -> R {
        self.indent = -1;
        self.simple_keys.push(SimpleKey::default());
        self.simple_key_allowed = true;
        self.stream_start_produced = true;
        let m = self.mark_here();
        self.insert_token(None, Token::new(TokenType::StreamStart, m, m));
        Ok(())
    }

    fn fetch_stream_end(&mut self) -> R {
        if self.mark.column != 0 {
            self.mark.column = 0;
            self.mark.line += 1;
        }
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let m = self.mark_here();
        self.insert_token(None, Token::new(TokenType::StreamEnd, m, m));
        Ok(())
    }

    fn fetch_directive(&mut self) -> R {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_directive()?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_document_indicator(&mut self, typ: TokenType) -> R {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark_here();
        self.skip();
        self.skip();
        self.skip();
        let end = self.mark_here();
        self.insert_token(None, Token::new(typ, start, end));
        Ok(())
    }

    fn fetch_flow_collection_start(&mut self, typ: TokenType) -> R {
        self.save_simple_key()?;
        self.increase_flow_level()?;
        self.simple_key_allowed = true;
        let start = self.mark_here();
        self.skip();
        let end = self.mark_here();
        self.insert_token(None, Token::new(typ, start, end));
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, typ: TokenType) -> R {
        self.remove_simple_key()?;
        self.decrease_flow_level();
        self.simple_key_allowed = false;
        let start = self.mark_here();
        self.skip();
        let end = self.mark_here();
        self.insert_token(None, Token::new(typ, start, end));
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> R {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark_here();
        self.skip();
        let end = self.mark_here();
        self.insert_token(None, Token::new(TokenType::FlowEntry, start, end));
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> R {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                let m = self.mark_here();
                return self.set_scanner_error(
                    "",
                    m,
                    "block sequence entries are not allowed in this context",
                );
            }
            let m = self.mark_here();
            self.roll_indent(
                self.mark.column as isize,
                None,
                TokenType::BlockSequenceStart,
                m,
            )?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark_here();
        self.skip();
        let end = self.mark_here();
        self.insert_token(None, Token::new(TokenType::BlockEntry, start, end));
        Ok(())
    }

    fn fetch_key(&mut self) -> R {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                let m = self.mark_here();
                return self.set_scanner_error(
                    "",
                    m,
                    "mapping keys are not allowed in this context",
                );
            }
            let m = self.mark_here();
            self.roll_indent(
                self.mark.column as isize,
                None,
                TokenType::BlockMappingStart,
                m,
            )?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        let start = self.mark_here();
        self.skip();
        let end = self.mark_here();
        self.insert_token(None, Token::new(TokenType::Key, start, end));
        Ok(())
    }

    fn fetch_value(&mut self) -> R {
        let i = self.simple_keys.len() - 1;
        let valid = self.simple_key_is_valid(i)?;
        if valid {
            let key = self.simple_keys[i];
            // A position behind the parsed tokens appends, as in go-yaml.
            self.insert_token(
                key.token_number.checked_sub(self.tokens_parsed),
                Token::new(TokenType::Key, key.mark, key.mark),
            );
            self.roll_indent(
                key.mark.column as isize,
                Some(key.token_number),
                TokenType::BlockMappingStart,
                key.mark,
            )?;
            self.simple_keys[i].possible = false;
            self.by_tok_delete(key.token_number);
            self.simple_key_allowed = false;
        } else {
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    let m = self.mark_here();
                    return self.set_scanner_error(
                        "",
                        m,
                        "mapping values are not allowed in this context",
                    );
                }
                let m = self.mark_here();
                self.roll_indent(
                    self.mark.column as isize,
                    None,
                    TokenType::BlockMappingStart,
                    m,
                )?;
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        let start = self.mark_here();
        self.skip();
        let end = self.mark_here();
        self.insert_token(None, Token::new(TokenType::Value, start, end));
        Ok(())
    }

    fn fetch_anchor(&mut self, typ: TokenType) -> R {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_anchor(typ)?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_tag(&mut self) -> R {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_tag()?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_block_scalar(&mut self, literal: bool) -> R {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let token = self.scan_block_scalar(literal)?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> R {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_flow_scalar(single)?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_plain_scalar(&mut self) -> R {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_plain_scalar()?;
        self.insert_token(None, token);
        Ok(())
    }

    fn scan_to_next_token(&mut self) -> R {
        loop {
            self.c(1)?;
            if self.mark.column == 0 && self.is_bom(0) {
                self.skip();
            }
            self.c(1)?;
            while self.ch(0) == b' '
                || ((self.flow_level > 0 || !self.simple_key_allowed) && self.ch(0) == b'\t')
            {
                self.skip();
                self.c(1)?;
            }
            if self.ch(0) == b'#' {
                while !self.is_breakz(0) {
                    self.skip();
                    self.c(1)?;
                }
            }
            if self.is_break(0) {
                self.c(2)?;
                self.skip_line();
                if self.flow_level == 0 {
                    self.simple_key_allowed = true;
                }
            } else {
                break;
            }
        }
        Ok(())
    }

    fn scan_directive(&mut self) -> R<Token<'a>> {
        let start_mark = self.mark_here();
        self.skip();
        let name = self.scan_directive_name(start_mark)?;
        let mut token;
        if name == "YAML" {
            let (major, minor) = self.scan_version_directive_value(start_mark)?;
            token = Token::new(TokenType::VersionDirective, start_mark, self.mark_here());
            token.major = major;
            token.minor = minor;
        } else if name == "TAG" {
            let (handle, prefix) = self.scan_tag_directive_value(start_mark)?;
            token = Token::new(TokenType::TagDirective, start_mark, self.mark_here());
            token.value = handle;
            token.suffix = prefix;
        } else {
            return self.set_scanner_error(
                "while scanning a directive",
                start_mark,
                "found unknown directive name",
            );
        }
        self.c(1)?;
        while self.is_blank(0) {
            self.skip();
            self.c(1)?;
        }
        if self.ch(0) == b'#' {
            while !self.is_breakz(0) {
                self.skip();
                self.c(1)?;
            }
        }
        if !self.is_breakz(0) {
            return self.set_scanner_error(
                "while scanning a directive",
                start_mark,
                "did not find expected comment or line break",
            );
        }
        if self.is_break(0) {
            self.c(2)?;
            self.skip_line();
        }
        Ok(token)
    }

    fn scan_directive_name(&mut self, start_mark: Mark) -> R<&'a str> {
        self.c(1)?;
        let from = self.pos;
        while self.is_alpha(0) {
            self.skip();
            self.c(1)?;
        }
        if self.pos == from {
            return self.set_scanner_error(
                "while scanning a directive",
                start_mark,
                "could not find expected directive name",
            );
        }
        if !self.is_blankz(0) {
            return self.set_scanner_error(
                "while scanning a directive",
                start_mark,
                "found unexpected non-alphabetical character",
            );
        }
        Ok(&self.text[from..self.pos])
    }

    fn scan_version_directive_value(&mut self, start_mark: Mark) -> R<(i8, i8)> {
        self.c(1)?;
        while self.is_blank(0) {
            self.skip();
            self.c(1)?;
        }
        let major = self.scan_version_directive_number(start_mark)?;
        if self.ch(0) != b'.' {
            return self.set_scanner_error(
                "while scanning a %YAML directive",
                start_mark,
                "did not find expected digit or '.' character",
            );
        }
        self.skip();
        let minor = self.scan_version_directive_number(start_mark)?;
        Ok((major, minor))
    }

    fn scan_version_directive_number(&mut self, start_mark: Mark) -> R<i8> {
        self.c(1)?;
        let mut value: i8 = 0;
        let mut length: i8 = 0;
        while self.is_digit(0) {
            length += 1;
            if length > MAX_NUMBER_LENGTH {
                return self.set_scanner_error(
                    "while scanning a %YAML directive",
                    start_mark,
                    "found extremely long version number",
                );
            }
            value = value
                .wrapping_mul(10)
                .wrapping_add((self.ch(0) - b'0') as i8);
            self.skip();
            self.c(1)?;
        }
        if length == 0 {
            return self.set_scanner_error(
                "while scanning a %YAML directive",
                start_mark,
                "did not find expected version number",
            );
        }
        Ok(value)
    }

    fn scan_tag_directive_value(&mut self, start_mark: Mark) -> R<(Cow<'a, str>, Cow<'a, str>)> {
        self.c(1)?;
        while self.is_blank(0) {
            self.skip();
            self.c(1)?;
        }
        let handle = self.scan_tag_handle(true, start_mark)?;
        self.c(1)?;
        if !self.is_blank(0) {
            return self.set_scanner_error(
                "while scanning a %TAG directive",
                start_mark,
                "did not find expected whitespace",
            );
        }
        while self.is_blank(0) {
            self.skip();
            self.c(1)?;
        }
        let prefix = self.scan_tag_uri(true, "", start_mark)?;
        self.c(1)?;
        if !self.is_blankz(0) {
            return self.set_scanner_error(
                "while scanning a %TAG directive",
                start_mark,
                "did not find expected whitespace or line break",
            );
        }
        Ok((handle, prefix))
    }

    fn scan_anchor(&mut self, typ: TokenType) -> R<Token<'a>> {
        let start_mark = self.mark_here();
        self.skip();
        self.c(1)?;
        let from = self.pos;
        while self.is_alpha(0) {
            self.skip();
            self.c(1)?;
        }
        let end_mark = self.mark_here();
        let c = self.ch(0);
        if self.pos == from
            || !(self.is_blankz(0)
                || matches!(c, b'?' | b':' | b',' | b']' | b'}' | b'%' | b'@' | b'`'))
        {
            let context = if typ == TokenType::Anchor {
                "while scanning an anchor"
            } else {
                "while scanning an alias"
            };
            return self.set_scanner_error(
                context,
                start_mark,
                "did not find expected alphabetic or numeric character",
            );
        }
        let mut t = Token::new(typ, start_mark, end_mark);
        t.value = Cow::Borrowed(&self.text[from..self.pos]);
        Ok(t)
    }

    fn scan_tag(&mut self) -> R<Token<'a>> {
        let start_mark = self.mark_here();
        self.c(2)?;
        let handle: Cow<'a, str>;
        let suffix: Cow<'a, str>;
        if self.ch(1) == b'<' {
            self.skip();
            self.skip();
            suffix = self.scan_tag_uri(false, "", start_mark)?;
            if self.ch(0) != b'>' {
                return self.set_scanner_error(
                    "while scanning a tag",
                    start_mark,
                    "did not find the expected '>'",
                );
            }
            self.skip();
            handle = Cow::Borrowed("");
        } else {
            let h = self.scan_tag_handle(false, start_mark)?;
            if h.len() > 1 && h.starts_with('!') && h.ends_with('!') {
                handle = h;
                suffix = self.scan_tag_uri(false, "", start_mark)?;
            } else {
                let s = self.scan_tag_uri(false, &h, start_mark)?;
                if s.is_empty() {
                    // `!` alone: the handle becomes the suffix.
                    handle = Cow::Borrowed("");
                    suffix = Cow::Borrowed("!");
                } else {
                    handle = Cow::Borrowed("!");
                    suffix = s;
                }
            }
        }
        self.c(1)?;
        if !self.is_blankz(0) {
            return self.set_scanner_error(
                "while scanning a tag",
                start_mark,
                "did not find expected whitespace or line break",
            );
        }
        let mut t = Token::new(TokenType::Tag, start_mark, self.mark_here());
        t.value = handle;
        t.suffix = suffix;
        Ok(t)
    }

    fn scan_tag_handle(&mut self, directive: bool, start_mark: Mark) -> R<Cow<'a, str>> {
        self.c(1)?;
        if self.ch(0) != b'!' {
            return self.set_scanner_tag_error(directive, start_mark, "did not find expected '!'");
        }
        let from = self.pos;
        self.skip();
        self.c(1)?;
        while self.is_alpha(0) {
            self.skip();
            self.c(1)?;
        }
        if self.ch(0) == b'!' {
            self.skip();
        } else if directive && self.pos - from != 1 {
            return self.set_scanner_tag_error(directive, start_mark, "did not find expected '!'");
        }
        Ok(Cow::Borrowed(&self.text[from..self.pos]))
    }

    fn scan_tag_uri(&mut self, directive: bool, head: &str, start_mark: Mark) -> R<Cow<'a, str>> {
        let mut s: Vec<u8> = Vec::new();
        let mut has_tag = !head.is_empty();
        if head.len() > 1 {
            s.extend_from_slice(&head.as_bytes()[1..]);
        }
        self.c(1)?;
        loop {
            let c = self.ch(0);
            let ok = self.is_alpha(0)
                || matches!(
                    c,
                    b';' | b'/'
                        | b'?'
                        | b':'
                        | b'@'
                        | b'&'
                        | b'='
                        | b'+'
                        | b'$'
                        | b','
                        | b'.'
                        | b'!'
                        | b'~'
                        | b'*'
                        | b'\''
                        | b'('
                        | b')'
                        | b'['
                        | b']'
                        | b'%'
                );
            if !ok {
                break;
            }
            if c == b'%' {
                self.scan_uri_escapes(directive, start_mark, &mut s)?;
            } else {
                s.push(c);
                self.skip();
            }
            self.c(1)?;
            has_tag = true;
        }
        if !has_tag {
            return self.set_scanner_tag_error(
                directive,
                start_mark,
                "did not find expected tag URI",
            );
        }
        Ok(Cow::Owned(String::from_utf8(s).unwrap_or_else(|e| {
            String::from_utf8_lossy(e.as_bytes()).into()
        })))
    }

    fn scan_uri_escapes(&mut self, directive: bool, start_mark: Mark, s: &mut Vec<u8>) -> R {
        let mut w: usize = 1024;
        while w > 0 {
            self.c(3)?;
            if !(self.ch(0) == b'%' && self.is_hex(1) && self.is_hex(2)) {
                return self.set_scanner_tag_error(
                    directive,
                    start_mark,
                    "did not find URI escaped octet",
                );
            }
            let octet = ((self.as_hex(1) << 4) + self.as_hex(2)) as u8;
            if w == 1024 {
                w = width(octet);
                if w == 0 {
                    return self.set_scanner_tag_error(
                        directive,
                        start_mark,
                        "found an incorrect leading UTF-8 octet",
                    );
                }
            } else if octet & 0xC0 != 0x80 {
                return self.set_scanner_tag_error(
                    directive,
                    start_mark,
                    "found an incorrect trailing UTF-8 octet",
                );
            }
            s.push(octet);
            self.skip();
            self.skip();
            self.skip();
            w -= 1;
        }
        Ok(())
    }

    fn scan_block_scalar(&mut self, literal: bool) -> R<Token<'a>> {
        let start_mark = self.mark_here();
        self.skip();
        self.c(1)?;
        let mut chomping = 0i32;
        let mut increment = 0isize;
        if self.ch(0) == b'+' || self.ch(0) == b'-' {
            chomping = if self.ch(0) == b'+' { 1 } else { -1 };
            self.skip();
            self.c(1)?;
            if self.is_digit(0) {
                if self.ch(0) == b'0' {
                    return self.set_scanner_error(
                        "while scanning a block scalar",
                        start_mark,
                        "found an indentation indicator equal to 0",
                    );
                }
                increment = (self.ch(0) - b'0') as isize;
                self.skip();
            }
        } else if self.is_digit(0) {
            if self.ch(0) == b'0' {
                return self.set_scanner_error(
                    "while scanning a block scalar",
                    start_mark,
                    "found an indentation indicator equal to 0",
                );
            }
            increment = (self.ch(0) - b'0') as isize;
            self.skip();
            self.c(1)?;
            if self.ch(0) == b'+' || self.ch(0) == b'-' {
                chomping = if self.ch(0) == b'+' { 1 } else { -1 };
                self.skip();
            }
        }
        self.c(1)?;
        while self.is_blank(0) {
            self.skip();
            self.c(1)?;
        }
        if self.ch(0) == b'#' {
            while !self.is_breakz(0) {
                self.skip();
                self.c(1)?;
            }
        }
        if !self.is_breakz(0) {
            return self.set_scanner_error(
                "while scanning a block scalar",
                start_mark,
                "did not find expected comment or line break",
            );
        }
        if self.is_break(0) {
            self.c(2)?;
            self.skip_line();
        }
        let mut end_mark = self.mark_here();
        let mut indent: isize = 0;
        if increment > 0 {
            indent = if self.indent >= 0 {
                self.indent + increment
            } else {
                increment
            };
        }
        let mut s = Buf::new();
        let mut leading_break: Vec<u8> = Vec::new();
        let mut trailing_breaks: Vec<u8> = Vec::new();
        self.scan_block_scalar_breaks(
            &mut indent,
            &mut trailing_breaks,
            start_mark,
            &mut end_mark,
        )?;
        self.c(1)?;
        let mut leading_blank = false;
        while self.mark.column as isize == indent && !self.is_z(0) {
            let trailing_blank = self.is_blank(0);
            if !literal
                && !leading_blank
                && !trailing_blank
                && leading_break.first() == Some(&b'\n')
            {
                if trailing_breaks.is_empty() {
                    s.push_bytes(self.input, b" ");
                }
            } else if !leading_break.is_empty() {
                s.push_bytes(self.input, &leading_break);
            }
            leading_break.clear();
            if !trailing_breaks.is_empty() {
                s.push_bytes(self.input, &trailing_breaks);
            }
            trailing_breaks.clear();
            leading_blank = self.is_blank(0);
            while !self.is_breakz(0) {
                // Runs of plain ASCII at once (what `read` and `cache(1)` would do).
                if self.read_while(&mut s, 1, |c| c == b'\n' || c == b'\r') {
                    continue;
                }
                self.read(&mut s);
                self.c(1)?;
            }
            self.c(2)?;
            self.read_line(&mut leading_break);
            self.scan_block_scalar_breaks(
                &mut indent,
                &mut trailing_breaks,
                start_mark,
                &mut end_mark,
            )?;
        }
        if chomping != -1 && !leading_break.is_empty() {
            s.push_bytes(self.input, &leading_break);
        }
        if chomping == 1 && !trailing_breaks.is_empty() {
            s.push_bytes(self.input, &trailing_breaks);
        }
        let mut t = Token::new(TokenType::Scalar, start_mark, end_mark);
        t.value = s.finish(self.text);
        t.style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        Ok(t)
    }

    fn scan_block_scalar_breaks(
        &mut self,
        indent: &mut isize,
        breaks: &mut Vec<u8>,
        start_mark: Mark,
        end_mark: &mut Mark,
    ) -> R {
        *end_mark = self.mark_here();
        let mut max_indent: isize = 0;
        loop {
            self.c(1)?;
            while (*indent == 0 || (self.mark.column as isize) < *indent) && self.is_space(0) {
                self.skip();
                self.c(1)?;
            }
            if self.mark.column as isize > max_indent {
                max_indent = self.mark.column as isize;
            }
            if (*indent == 0 || (self.mark.column as isize) < *indent) && self.is_tab(0) {
                return self.set_scanner_error(
                    "while scanning a block scalar",
                    start_mark,
                    "found a tab character where an indentation space is expected",
                );
            }
            if !self.is_break(0) {
                break;
            }
            self.c(2)?;
            self.read_line(breaks);
            *end_mark = self.mark_here();
        }
        if *indent == 0 {
            *indent = max_indent;
            if *indent < self.indent + 1 {
                *indent = self.indent + 1;
            }
            if *indent < 1 {
                *indent = 1;
            }
        }
        Ok(())
    }

    fn scan_flow_scalar(&mut self, single: bool) -> R<Token<'a>> {
        let start_mark = self.mark_here();
        self.skip();
        let mut s = Buf::new();
        let mut leading_break: Vec<u8> = Vec::new();
        let mut trailing_breaks: Vec<u8> = Vec::new();
        let mut whitespaces = Run::empty();
        loop {
            self.c(4)?;
            if self.mark.column == 0
                && ((self.ch(0) == b'-' && self.ch(1) == b'-' && self.ch(2) == b'-')
                    || (self.ch(0) == b'.' && self.ch(1) == b'.' && self.ch(2) == b'.'))
                && self.is_blankz(3)
            {
                return self.set_scanner_error(
                    "while scanning a quoted scalar",
                    start_mark,
                    "found unexpected document indicator",
                );
            }
            if self.is_z(0) {
                return self.set_scanner_error(
                    "while scanning a quoted scalar",
                    start_mark,
                    "found unexpected end of stream",
                );
            }
            let mut leading_blanks = false;
            while !self.is_blankz(0) {
                let c = self.ch(0);
                if single && c == b'\'' && self.ch(1) == b'\'' {
                    s.push_bytes(self.input, b"'");
                    self.skip();
                    self.skip();
                } else if (single && c == b'\'') || (!single && c == b'"') {
                    break;
                } else if !single && c == b'\\' && self.is_break(1) {
                    self.c(3)?;
                    self.skip();
                    self.skip_line();
                    leading_blanks = true;
                    break;
                } else if !single && c == b'\\' {
                    let mut code_length = 0usize;
                    let e: &[u8] = match self.ch(1) {
                        b'0' => b"\0",
                        b'a' => b"\x07",
                        b'b' => b"\x08",
                        b't' | b'\t' => b"\x09",
                        b'n' => b"\x0A",
                        b'v' => b"\x0B",
                        b'f' => b"\x0C",
                        b'r' => b"\x0D",
                        b'e' => b"\x1B",
                        b' ' => b" ",
                        b'"' => b"\"",
                        b'\'' => b"'",
                        b'\\' => b"\\",
                        b'N' => b"\xC2\x85",
                        b'_' => b"\xC2\xA0",
                        b'L' => b"\xE2\x80\xA8",
                        b'P' => b"\xE2\x80\xA9",
                        b'x' => {
                            code_length = 2;
                            b""
                        }
                        b'u' => {
                            code_length = 4;
                            b""
                        }
                        b'U' => {
                            code_length = 8;
                            b""
                        }
                        _ => {
                            return self.set_scanner_error(
                                "while parsing a quoted scalar",
                                start_mark,
                                "found unknown escape character",
                            );
                        }
                    };
                    if !e.is_empty() {
                        s.push_bytes(self.input, e);
                    }
                    self.skip();
                    self.skip();
                    if code_length > 0 {
                        self.c(code_length)?;
                        let mut value: u32 = 0;
                        for k in 0..code_length {
                            if !self.is_hex(k) {
                                return self.set_scanner_error(
                                    "while parsing a quoted scalar",
                                    start_mark,
                                    "did not find expected hexdecimal number",
                                );
                            }
                            value = (value << 4) + self.as_hex(k);
                        }
                        match char::from_u32(value) {
                            Some(ch) => {
                                let mut b = [0u8; 4];
                                s.push_bytes(self.input, ch.encode_utf8(&mut b).as_bytes());
                            }
                            None => {
                                return self.set_scanner_error(
                                    "while parsing a quoted scalar",
                                    start_mark,
                                    "found invalid Unicode character escape code",
                                );
                            }
                        }
                        for _ in 0..code_length {
                            self.skip();
                        }
                    }
                } else {
                    self.read(&mut s);
                }
                self.c(2)?;
            }
            self.c(1)?;
            let quote = if single { b'\'' } else { b'"' };
            if self.ch(0) == quote {
                break;
            }
            while self.is_blank(0) || self.is_break(0) {
                if self.is_blank(0) {
                    if !leading_blanks {
                        self.read_run(&mut whitespaces);
                    } else {
                        self.skip();
                    }
                } else {
                    self.c(2)?;
                    if !leading_blanks {
                        whitespaces = Run::empty();
                        self.read_line(&mut leading_break);
                        leading_blanks = true;
                    } else {
                        self.read_line(&mut trailing_breaks);
                    }
                }
                self.c(1)?;
            }
            if leading_blanks {
                if leading_break.first() == Some(&b'\n') {
                    if trailing_breaks.is_empty() {
                        s.push_bytes(self.input, b" ");
                    } else {
                        s.push_bytes(self.input, &trailing_breaks);
                    }
                } else {
                    if !leading_break.is_empty() {
                        s.push_bytes(self.input, &leading_break);
                    }
                    if !trailing_breaks.is_empty() {
                        s.push_bytes(self.input, &trailing_breaks);
                    }
                }
                trailing_breaks.clear();
                leading_break.clear();
            } else if !whitespaces.is_empty() {
                s.extend_input(self.input, whitespaces.start, whitespaces.end);
                whitespaces = Run::empty();
            }
        }
        self.skip();
        let end_mark = self.mark_here();
        let mut t = Token::new(TokenType::Scalar, start_mark, end_mark);
        // An empty quoted scalar may never have set its slice start.
        t.value = if s.is_empty() {
            Cow::Borrowed("")
        } else {
            s.finish(self.text)
        };
        t.style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        Ok(t)
    }

    fn scan_plain_scalar(&mut self) -> R<Token<'a>> {
        let mut s = Buf::new();
        let mut leading_break: Vec<u8> = Vec::new();
        let mut trailing_breaks: Vec<u8> = Vec::new();
        let mut whitespaces = Run::empty();
        let mut leading_blanks = false;
        let indent = self.indent + 1;
        let start_mark = self.mark_here();
        let mut end_mark = self.mark_here();
        loop {
            self.c(4)?;
            if self.mark.column == 0
                && ((self.ch(0) == b'-' && self.ch(1) == b'-' && self.ch(2) == b'-')
                    || (self.ch(0) == b'.' && self.ch(1) == b'.' && self.ch(2) == b'.'))
                && self.is_blankz(3)
            {
                break;
            }
            if self.ch(0) == b'#' {
                break;
            }
            while !self.is_blankz(0) {
                let c = self.ch(0);
                if (c == b':' && self.is_blankz(1))
                    || (self.flow_level > 0 && matches!(c, b',' | b'?' | b'[' | b']' | b'{' | b'}'))
                {
                    break;
                }
                if !leading_blanks && whitespaces.is_empty() {
                    // Runs of ASCII that cannot end the scalar, at once (as `read` and
                    // `cache(2)` would: never past what leaves two characters decoded).
                    let flow = self.flow_level > 0;
                    if self.read_while(&mut s, 2, |c| {
                        matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b':' | 0)
                            || (flow && matches!(c, b',' | b'?' | b'[' | b']' | b'{' | b'}'))
                    }) {
                        end_mark = self.mark_here();
                        continue;
                    }
                }
                if leading_blanks || !whitespaces.is_empty() {
                    if leading_blanks {
                        if leading_break.first() == Some(&b'\n') {
                            if trailing_breaks.is_empty() {
                                s.push_bytes(self.input, b" ");
                            } else {
                                s.push_bytes(self.input, &trailing_breaks);
                            }
                        } else {
                            if !leading_break.is_empty() {
                                s.push_bytes(self.input, &leading_break);
                            }
                            if !trailing_breaks.is_empty() {
                                s.push_bytes(self.input, &trailing_breaks);
                            }
                        }
                        trailing_breaks.clear();
                        leading_break.clear();
                        leading_blanks = false;
                    } else {
                        s.extend_input(self.input, whitespaces.start, whitespaces.end);
                        whitespaces = Run::empty();
                    }
                }
                self.read(&mut s);
                end_mark = self.mark_here();
                self.c(2)?;
            }
            if !(self.is_blank(0) || self.is_break(0)) {
                break;
            }
            self.c(1)?;
            while self.is_blank(0) || self.is_break(0) {
                if self.is_blank(0) {
                    if leading_blanks && (self.mark.column as isize) < indent && self.is_tab(0) {
                        return self.set_scanner_error(
                            "while scanning a plain scalar",
                            start_mark,
                            "found a tab character that violates indentation",
                        );
                    }
                    if !leading_blanks {
                        self.read_run(&mut whitespaces);
                    } else {
                        self.skip();
                    }
                } else {
                    self.c(2)?;
                    if !leading_blanks {
                        whitespaces = Run::empty();
                        self.read_line(&mut leading_break);
                        leading_blanks = true;
                    } else {
                        self.read_line(&mut trailing_breaks);
                    }
                }
                self.c(1)?;
            }
            if self.flow_level == 0 && (self.mark.column as isize) < indent {
                break;
            }
        }
        let mut t = Token::new(TokenType::Scalar, start_mark, end_mark);
        t.value = s.finish(self.text);
        t.style = ScalarStyle::Plain;
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::first_disallowed;

    /// The refused character is found wherever it falls against the 32-byte blocks the scan
    /// skips, in ASCII and in text with multi-byte characters before it.
    #[test]
    fn a_refused_character_is_found_at_any_offset() {
        for prefix in ["", "é", "日本"] {
            for at in 0..100 {
                for bad in ["\u{1}", "\u{7f}", "\u{85}\u{90}", "\u{fffe}"] {
                    let lead = format!("{prefix}{}", "a: b\n".repeat(at).get(..at).unwrap());
                    let text = format!("{lead}{bad}{}", "x".repeat(70));
                    let start = lead.len() + if bad == "\u{85}\u{90}" { 2 } else { 0 };
                    let (from, to) = first_disallowed(&text).unwrap_or_else(|| panic!("{text:?}"));
                    assert_eq!(from, start, "{text:?}");
                    assert_eq!(to - from, bad.len() - (start - lead.len()), "{text:?}");
                }
            }
        }
        assert_eq!(first_disallowed(&"a: b\n\tc\r\n".repeat(40)), None);
        assert_eq!(first_disallowed("\u{85} next line is allowed"), None);
    }
}
