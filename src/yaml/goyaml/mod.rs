//! YAML events exactly as kubectl's YAML reader produces them: a Rust port of go-yaml v2's
//! scanner and parser (go.yaml.in/yaml/v2, the library under sigs.k8s.io/yaml), which are
//! themselves ports of libyaml.
//!
//! Ported, function by function and in the same order, from go-yaml v2 as vendored by
//! kubectl-validate (v2.4.x):
//! - `scanner.rs` from `scannerc.go` (tokens, simple keys, indentation, scalars), with the
//!   character checks of `readerc.go` (the input is already UTF-8, so decoding is not ported;
//!   what is kept is where the reader refuses control characters) and the helpers of
//!   `yamlprivateh.go`;
//! - `parser.rs` from `parserc.go` (the event state machine, directives, tag handles).
//!
//! Differences from the Go code are in representation only: marks carry a byte offset beside
//! go-yaml's character index, line and column; scalar values borrow from the input when they
//! are a plain slice of it; errors are values rather than fields of the parser.
//! [`YamlError::go_message`] words an error as `(*parser).fail` in go-yaml's `decode.go` does.
//!
//! License: libyaml is MIT (Copyright (c) 2006 Kirill Simonov), go-yaml v2 is Apache-2.0
//! (Copyright 2011-2016 Canonical Ltd.); both texts are in `LICENSE` beside this file.

pub mod parser;
pub mod scanner;

use std::borrow::Cow;

/// A position in the input: go-yaml's character `index`, 0-based `line` and `column`, and the
/// byte offset `pos` in the text given to the scanner.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mark {
    pub index: usize,
    pub line: usize,
    pub column: usize,
    pub pos: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Reader,
    Scanner,
    Parser,
}

/// A reader, scanner or parser error with go-yaml's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub kind: ErrorKind,
    pub context: &'static str,
    pub context_mark: Mark,
    pub problem: Cow<'static, str>,
    pub problem_mark: Mark,
}

impl YamlError {
    /// The error as go-yaml's `(*parser).fail` words it (and as kubectl prints it after
    /// `error converting YAML to JSON: `): `yaml: line N: <problem>`. As in go-yaml, N is the
    /// problem mark's 0-based line for parser errors (so often the line before), its 1-based
    /// line for scanner errors, else the context mark's 0-based line; no line when it is 0.
    pub fn go_message(&self) -> String {
        let mut line = 0;
        if self.problem_mark.line != 0 {
            line = self.problem_mark.line;
            if self.kind == ErrorKind::Scanner {
                line += 1;
            }
        } else if self.context_mark.line != 0 {
            line = self.context_mark.line;
        }
        let problem: &str = if self.problem.is_empty() {
            "unknown problem parsing YAML content"
        } else {
            &self.problem
        };
        if line != 0 {
            format!("yaml: line {line}: {problem}")
        } else {
            format!("yaml: {problem}")
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventKind<'a> {
    StreamStart,
    StreamEnd,
    DocumentStart {
        implicit: bool,
    },
    DocumentEnd {
        implicit: bool,
    },
    Alias {
        anchor: Cow<'a, str>,
    },
    Scalar {
        anchor: Option<Cow<'a, str>>,
        /// The resolved tag (`tag:yaml.org,2002:str`, `!local`, `!` ...), None when untagged.
        tag: Option<String>,
        value: Cow<'a, str>,
        /// go-yaml's `implicit`: a plain scalar without a tag, or one tagged `!`.
        plain_implicit: bool,
        quoted_implicit: bool,
        style: ScalarStyle,
    },
    SequenceStart {
        anchor: Option<Cow<'a, str>>,
        tag: Option<String>,
        implicit: bool,
        flow: bool,
        /// A block sequence whose `-` stand at its key's indentation (no BLOCK-SEQUENCE-START
        /// token; go-yaml's indentless sequence).
        indentless: bool,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<Cow<'a, str>>,
        tag: Option<String>,
        implicit: bool,
        flow: bool,
    },
    MappingEnd,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event<'a> {
    pub kind: EventKind<'a>,
    pub start: Mark,
    pub end: Mark,
}
