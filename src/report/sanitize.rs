//! Text that comes from inputs (a CEL rule's `message` written in a CRD, values quoted in
//! messages, keys in field paths, file names, the source lines of a code frame) may hold
//! control characters: an escape sequence that recolours or rewrites the terminal, a carriage
//! return that hides what came before it, a bidirectional override that reorders what is
//! shown. Every format that is displayed as text writes them as visible escapes (`\x1b`,
//! `\u{202e}`); JSON escapes them by construction.

use std::borrow::Cow;

/// Characters never written as they are: C0 controls but tab and line feed, DEL, C1 controls,
/// and the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn escape(c: char, out: &mut String) {
    use std::fmt::Write as _;
    if (c as u32) < 0x80 {
        let _ = write!(out, "\\x{:02x}", c as u32);
    } else {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    }
}

fn replace(s: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text that may span lines (a message, a help): line feeds and tabs are kept.
pub fn text(s: &str) -> Cow<'_, str> {
    replace(s, is_unsafe)
}

/// Text that must stay on one line (a file name, a label): line feeds and tabs are escaped too.
pub fn line(s: &str) -> Cow<'_, str> {
    replace(s, |c| is_unsafe(c) || c == '\n' || c == '\t')
}

/// Source text for a code frame: every byte of an unsafe character becomes `?`, so the text
/// keeps its length and every span into it stays valid. The `\r` of a `\r\n` line break is kept.
pub fn source(s: &str) -> Cow<'_, str> {
    let bytes = s.as_bytes();
    let keep_cr = |i: usize| bytes.get(i + 1) == Some(&b'\n');
    if !s
        .char_indices()
        .any(|(i, c)| is_unsafe(c) && !(c == '\r' && keep_cr(i)))
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if is_unsafe(c) && !(c == '\r' && keep_cr(i)) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_escapes() {
        assert_eq!(text("plain\ttext\n"), "plain\ttext\n");
        assert!(matches!(text("plain"), Cow::Borrowed(_)));
        assert_eq!(text("\u{1b}[31mred\r"), "\\x1b[31mred\\x0d");
        assert_eq!(text("a\u{9b}b\u{202e}c\u{7f}"), "a\\u{9b}b\\u{202e}c\\x7f");
        assert_eq!(line("a\nb\tc"), "a\\x0ab\\x09c");
    }

    #[test]
    fn source_text_keeps_its_length() {
        let s = "a: \"\u{1b}[2J\u{202e}\"\r\nb: 1\r\n";
        let clean = source(s);
        assert_eq!(clean.len(), s.len());
        assert_eq!(clean, "a: \"?[2J???\"\r\nb: 1\r\n");
        assert_eq!(source("a\rb\n"), "a?b\n");
    }
}
