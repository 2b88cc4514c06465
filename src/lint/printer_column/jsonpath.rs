//! `printer-column/jsonpath`: a printer column whose `jsonPath` the server cannot parse. The
//! CRD is accepted (validation only checks the leading dot), but when the server builds the
//! table for `kubectl get` the parse fails and it falls back to the default NAME and AGE
//! columns for the whole version, silently.
//! Followed: apiextensions-apiserver `pkg/registry/customresource/tableconvertor/tableconvertor.go`
//! (`jsonpath.Parse("{" + jsonPath + "}")`) and client-go `util/jsonpath/parser.go`, whose
//! accept/reject decisions (not its tree) are ported here.

use crate::lint::walk::layout::{Layout, ptr, str_of};
use crate::lint::{Finding, Rule};
use crate::wording::go_quote;
use crate::yaml::Node;

const ID: &str = "printer-column/jsonpath";

pub const RULE: Rule = Rule {
    document: Some(check),
    ..Rule::new(ID)
};

struct Parser<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    /// The last node appended to the current list is a recursive descent (`..`).
    last_recursive: bool,
}

fn is_terminator(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => matches!(
            c,
            ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'
        ),
    }
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

/// Go's `%#U`: `U+0021 '!'`.
fn go_rune(c: char) -> String {
    format!("U+{:04X} '{c}'", c as u32)
}

/// Parse `{text}` as a sub-expression, as the Go parser's `parseAction` does.
fn parse_action(text: &str) -> Result<(), String> {
    Parser::parse(&format!("{{{text}}}"))
}

impl<'a> Parser<'a> {
    fn parse(input: &'a str) -> Result<(), String> {
        let mut p = Parser {
            input,
            pos: 0,
            start: 0,
            last_recursive: false,
        };
        p.text()
    }

    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn next(&mut self) -> Option<char> {
        let c = self.rest().chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn consume(&mut self) -> &'a str {
        let v = &self.input[self.start..self.pos];
        self.start = self.pos;
        v
    }

    /// Plain text up to the next `{`, then an action; until the end.
    fn text(&mut self) -> Result<(), String> {
        loop {
            if self.rest().starts_with('{') {
                self.pos += 1;
                self.consume();
                self.last_recursive = false;
                self.action()?;
                continue;
            }
            if self.next().is_none() {
                return Ok(());
            }
        }
    }

    /// Inside `{...}`: returns after the closing `}`.
    fn action(&mut self) -> Result<(), String> {
        loop {
            let rest = self.rest();
            if rest.starts_with('}') {
                self.pos += 1;
                self.consume();
                return Ok(());
            }
            if rest.starts_with("[?(") {
                self.filter()?;
                self.last_recursive = false;
                continue;
            }
            if rest.starts_with("..") {
                if self.last_recursive {
                    return Err("invalid multiple recursive descent".into());
                }
                self.pos += 2;
                self.consume();
                self.last_recursive = true;
                if self.peek().is_some_and(is_alphanumeric) {
                    self.field();
                    self.last_recursive = false;
                }
                continue;
            }
            match self.next() {
                None | Some('\r' | '\n') => return Err("unclosed action".into()),
                Some(' ' | '@' | '$') => {
                    self.consume();
                    continue;
                }
                Some('[') => self.array()?,
                Some(q @ ('"' | '\'')) => self.quote(q)?,
                Some('.') => self.field(),
                Some(c) if c == '+' || c == '-' || c.is_numeric() => {
                    self.pos -= c.len_utf8();
                    self.number()?;
                }
                Some(c) if is_alphanumeric(c) => {
                    while !is_terminator(self.peek()) {
                        self.next();
                    }
                    self.consume();
                }
                Some(c) => return Err(format!("unrecognized character in action: {}", go_rune(c))),
            }
            self.last_recursive = false;
        }
    }

    fn field(&mut self) {
        self.consume();
        loop {
            match self.peek() {
                Some('\\') => {
                    self.next();
                    self.next();
                }
                c if is_terminator(c) => break,
                _ => {
                    self.next();
                }
            }
        }
        self.consume();
    }

    fn number(&mut self) -> Result<(), String> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.next();
        }
        while self.peek().is_some_and(|c| c == '.' || c.is_numeric()) {
            self.next();
        }
        let value = self.consume();
        let digits = value.trim_start_matches(['+', '-']);
        let is_int = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        if is_int || value.parse::<f64>().is_ok_and(|_| !digits.is_empty()) {
            Ok(())
        } else {
            Err(format!("cannot parse number {value}"))
        }
    }

    fn array(&mut self) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".into()),
                Some(']') => break,
                _ => {}
            }
        }
        let text = self.consume();
        let mut text = &text[1..text.len() - 1];
        if text == "*" {
            text = ":";
        }
        let parts: Vec<&str> = text.split(',').collect();
        if parts.len() > 1 {
            for part in parts {
                parse_action(&format!("[{}]", part.trim_matches(' ')))?;
            }
            return Ok(());
        }
        if text.len() >= 2
            && text.starts_with('\'')
            && text.ends_with('\'')
            && !text[1..text.len() - 1].contains('\'')
        {
            return parse_action(&format!(".{}", &text[1..text.len() - 1]));
        }
        slice(text)
    }

    fn filter(&mut self) -> Result<(), String> {
        self.pos += 3;
        self.consume();
        let (mut begin, mut end) = (false, false);
        let mut pair = ' ';
        loop {
            let Some(c) = self.next() else {
                return Err("unterminated filter".into());
            };
            match c {
                '\n' => return Err("unterminated filter".into()),
                '"' | '\'' => {
                    if !begin {
                        begin = true;
                        pair = c;
                        continue;
                    }
                    let escaped =
                        self.input.as_bytes().get(self.pos.wrapping_sub(2)) == Some(&b'\\');
                    if !escaped && c == pair {
                        end = true;
                    }
                }
                ')' if begin == end => break,
                _ => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".into());
        }
        let text = self.consume();
        let text = &text[..text.len() - 2];
        // `^([^!<>=]+)([!<>=]+)(.+?)$`
        let op_start = text.find(['!', '<', '>', '=']);
        match op_start {
            Some(i) if i > 0 => {
                let after_op = text[i..]
                    .find(|c: char| !matches!(c, '!' | '<' | '>' | '='))
                    .map(|j| i + j);
                match after_op {
                    Some(j) if j < text.len() => {
                        parse_action(&text[..i])?;
                        parse_action(&text[j..])
                    }
                    _ => parse_action(text),
                }
            }
            _ => parse_action(text),
        }
    }

    fn quote(&mut self, end: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".into()),
                // A quote ends the string unless escaped.
                Some(c) if c == end && self.input.as_bytes()[self.pos - 2] != b'\\' => break,
                _ => {}
            }
        }
        let value = self.consume();
        unquote(value).map_err(|_| format!("unquote string {value} error invalid syntax"))
    }
}

/// `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$` with each present part a number.
fn slice(text: &str) -> Result<(), String> {
    let parts: Vec<&str> = text.split(':').collect();
    let shape_ok = parts.len() <= 3
        && parts.iter().all(|p| {
            let d = p.strip_prefix('-').unwrap_or(p);
            d.bytes().all(|b| b.is_ascii_digit())
        });
    if !shape_ok {
        return Err(format!("invalid array index {text}"));
    }
    // Each part given must be a number: a lone `-` is not.
    match parts.iter().find(|p| **p == "-") {
        Some(p) => Err(format!("array index {p} is not a number")),
        None => Ok(()),
    }
}

/// Go's `strconv.UnquoteChar` rules over a quoted string, single or double.
fn unquote(s: &str) -> Result<(), ()> {
    let quote = s.chars().next().ok_or(())?;
    let inner = &s[1..s.len() - 1];
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == quote {
            return Err(());
        }
        if c != '\\' {
            continue;
        }
        let hex = |chars: &mut std::str::Chars, n: usize| {
            (0..n).all(|_| chars.next().is_some_and(|c| c.is_ascii_hexdigit()))
        };
        let ok = match chars.next() {
            Some('a' | 'b' | 'f' | 'n' | 'r' | 't' | 'v' | '\\') => true,
            Some(c @ ('\'' | '"')) => c == quote,
            Some('x') => hex(&mut chars, 2),
            Some('u') => hex(&mut chars, 4),
            Some('U') => hex(&mut chars, 8),
            Some(c @ '0'..='7') => {
                let rest: String = chars.by_ref().take(2).collect();
                rest.len() == 2
                    && rest.chars().all(|d| ('0'..='7').contains(&d))
                    && u32::from_str_radix(&format!("{c}{rest}"), 8).is_ok_and(|v| v <= 255)
            }
            _ => false,
        };
        if !ok {
            return Err(());
        }
    }
    Ok(())
}

/// Why the server cannot parse a printer column's JSONPath, if it cannot.
pub fn parse_error(json_path: &str) -> Option<String> {
    Parser::parse(&format!("{{{json_path}}}")).err()
}

pub fn check(root: &Node, problems: &mut Vec<Finding>) {
    let Some(layout) = Layout::of(root) else {
        return;
    };
    for (column, c) in layout.printer_columns() {
        let path = str_of(c, "jsonPath");
        // A path without the leading dot is printer-column/invalid already.
        if !path.starts_with('.') {
            continue;
        }
        let Some(why) = parse_error(path) else {
            continue;
        };
        let at = format!("{column}.jsonPath");
        problems.push(Finding::new(
            ID,
            format!(
                "{at}: unrecognized column definition {}: {why}; kubectl get falls back to the default NAME and AGE columns",
                go_quote(path)
            ),
            ptr(c, "jsonPath").map_or(c.span, |n| n.span),
        )
        .with_help("printer column paths use kubectl's JSONPath syntax: `.status.replicas`, `.spec.containers[*].image`, `.status.conditions[?(@.type==\"Ready\")].status`"));
    }
}

#[cfg(test)]
mod tests {
    use super::parse_error;

    #[test]
    fn accepts_what_kubectl_accepts() {
        for ok in [
            ".status.replicas",
            ".spec.containers[*].image",
            ".status.conditions[?(@.type==\"Ready\")].status",
            ".status.conditions[?(@.type=='Ready')].status",
            ".metadata.labels['app\\.kubernetes\\.io/name']",
            ".spec.items[0]",
            ".spec.items[-1:]",
            ".spec.items[1:3:1]",
            ".spec.items[0,1]",
            "..name",
            ".status.phase}{.status.reason",
            ".spec.",
        ] {
            assert_eq!(parse_error(ok), None, "{ok}");
        }
    }

    #[test]
    fn rejects_what_the_server_cannot_parse() {
        for (bad, why) in [
            (".spec.items[0", "unterminated array"),
            (".spec.items[a]", "invalid array index a"),
            (".spec.items[-]", "array index - is not a number"),
            (
                ".status.conditions[?(@.type==\"Ready\"].status",
                "unterminated filter",
            ),
            (".spec \"y", "unterminated quoted string"),
            (".spec !x", "unrecognized character in action: U+0021 '!'"),
            (".a....b", "invalid multiple recursive descent"),
            (".spec\n.x", "unclosed action"),
            (".spec{.x", "unrecognized character in action: U+007B '{'"),
            (".spec.x 1.2.3", "cannot parse number 1.2.3"),
        ] {
            assert_eq!(parse_error(bad).as_deref(), Some(why), "{bad}");
        }
    }
}
