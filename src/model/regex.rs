//! `pattern` regexes with Go RE2 semantics. Rust's `regex` is RE2-like, but its Perl classes
//! (`\d`, `\w`, `\s`, `\b`) are Unicode-aware while Go's are ASCII-only; we rewrite them so that
//! `\d` matches what the API server matches and nothing more.

use regex::Regex;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// A pattern compiled with Go RE2 semantics. CRDs repeat their patterns (every version of a
/// CRD, every list of the same type: 883 patterns in the corpus CRDs, 138 distinct), so each
/// distinct pattern is compiled once per process; a clone of a `Regex` shares its program.
pub fn compile_go_regex(pattern: &str) -> Result<Regex, String> {
    static COMPILED: OnceLock<Mutex<HashMap<String, Result<Regex, String>>>> = OnceLock::new();
    let cache = COMPILED.get_or_init(Mutex::default);
    if let Some(hit) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(pattern) {
        return hit.clone();
    }
    let compiled = compile_uncached(pattern);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(pattern.to_string(), compiled.clone());
    compiled
}

fn compile_uncached(pattern: &str) -> Result<Regex, String> {
    let translated = translate(pattern);
    regex::RegexBuilder::new(&translated)
        .size_limit(16 << 20)
        .build()
        .map_err(|e| match e {
            regex::Error::Syntax(s) => s.lines().last().unwrap_or("").trim().to_string(),
            other => other.to_string(),
        })
}

/// A Go RE2 pattern written for Rust's regex syntax (the Perl classes made ASCII-only).
pub fn translate(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 8);
    let mut chars = p.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let class = match n {
                    'd' => Some(("0-9", "[0-9]", "[^0-9]", false)),
                    'D' => Some(("0-9", "[0-9]", "[^0-9]", true)),
                    'w' => Some(("0-9A-Za-z_", "[0-9A-Za-z_]", "[^0-9A-Za-z_]", false)),
                    'W' => Some(("0-9A-Za-z_", "[0-9A-Za-z_]", "[^0-9A-Za-z_]", true)),
                    's' => Some((
                        "\\t\\n\\f\\r ",
                        "[\\t\\n\\f\\r ]",
                        "[^\\t\\n\\f\\r ]",
                        false,
                    )),
                    'S' => Some(("\\t\\n\\f\\r ", "[\\t\\n\\f\\r ]", "[^\\t\\n\\f\\r ]", true)),
                    _ => None,
                };
                match class {
                    // A negated class inside a bracket cannot be spelled as a range: keep it.
                    Some((_, _, _, true)) if in_class => {
                        out.push('\\');
                        out.push(n);
                    }
                    Some((inner, _, _, false)) if in_class => out.push_str(inner),
                    Some((_, pos, _, false)) => out.push_str(pos),
                    Some((_, _, neg, true)) => out.push_str(neg),
                    None if n == 'b' && !in_class => out.push_str("(?-u:\\b)"),
                    None if n == 'B' && !in_class => out.push_str("(?-u:\\B)"),
                    None => {
                        out.push('\\');
                        out.push(n);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // A `]` or `^]` right after the opening bracket is a literal.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str("\\]");
                }
            }
            '[' if in_class && chars.peek() == Some(&':') => {
                // POSIX class `[:alpha:]` inside a bracket.
                out.push('[');
                for c2 in chars.by_ref() {
                    out.push(c2);
                    if c2 == ']' {
                        break;
                    }
                }
            }
            '[' => out.push_str("\\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perl_classes_are_ascii_like_go() {
        let r = compile_go_regex(r"^\d+$").unwrap();
        assert!(r.is_match("123"));
        assert!(!r.is_match("١٢٣")); // Arabic-Indic digits: Unicode \d, not Go's
        let r = compile_go_regex(r"^[\w.-]+$").unwrap();
        assert!(r.is_match("a_b.c-d"));
        assert!(!r.is_match("é"));
        let r = compile_go_regex(r"^(\S+\s+){4}\S+$").unwrap();
        assert!(r.is_match("* * * * *"));
    }

    #[test]
    fn invalid_patterns_are_errors() {
        assert!(compile_go_regex("a(b").is_err());
        assert!(compile_go_regex("[z-a]").is_err());
    }

    #[test]
    fn brackets_and_posix_classes_survive() {
        assert!(compile_go_regex(r"^[]a]+$").unwrap().is_match("]a"));
        assert!(compile_go_regex(r"^[[:alpha:]]+$").unwrap().is_match("abc"));
        assert!(compile_go_regex(r"^[^\d]+$").unwrap().is_match("abc"));
    }
}
