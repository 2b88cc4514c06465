//! One input file: its display name, its text and a line index.
//!
//! Implements miette's `SourceCode` through the line index, because miette's default
//! implementation for `str` scans from offset 0 for every span (O(diagnostics x file size)).

use miette::{MietteError, SourceCode, SourceSpan, SpanContents};
use std::sync::Arc;

/// A byte range in a source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

#[derive(Debug)]
pub struct SourceFile {
    /// The name shown in diagnostics (a path, or the `--stdin-filename`).
    pub name: String,
    /// Empty once let go by [`SourceFile::without_text`].
    pub text: String,
    /// Byte offset of the first character of every line: made when first asked for (most
    /// files of a run have no diagnostic, and a large CRD has hundreds of thousands of lines).
    line_starts: std::sync::OnceLock<LineStarts>,
    /// Once the text is let go ([`SourceFile::without_text`]): the line and column of each
    /// offset the file's diagnostics point at, by offset.
    positions: Box<[(usize, LineCol)]>,
    /// The text's length in bytes (kept when the text is let go).
    len: usize,
}

/// Byte offset of the first character of every line, as `u32` when the text is shorter than
/// 4 GiB (always, in practice): a long run keeps the index of every file with diagnostics to
/// its end, and half the width is half that memory.
#[derive(Debug)]
enum LineStarts {
    Narrow(Box<[u32]>),
    Wide(Box<[usize]>),
}

impl LineStarts {
    fn of(text: &[u8]) -> Self {
        let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', text).map(|i| i + 1));
        match u32::try_from(text.len()) {
            Ok(_) => LineStarts::Narrow(starts.map(|s| s as u32).collect()),
            Err(_) => LineStarts::Wide(starts.collect()),
        }
    }

    fn len(&self) -> usize {
        match self {
            LineStarts::Narrow(s) => s.len(),
            LineStarts::Wide(s) => s.len(),
        }
    }

    fn get(&self, line: usize) -> Option<usize> {
        match self {
            LineStarts::Narrow(s) => s.get(line).map(|&x| x as usize),
            LineStarts::Wide(s) => s.get(line).copied(),
        }
    }

    /// 0-based index of the line holding `offset` (at most the text's length).
    fn line_of(&self, offset: usize) -> usize {
        let found = match self {
            // A narrow index is of a text shorter than 4 GiB, and offsets are clamped to it.
            LineStarts::Narrow(s) => s.binary_search(&(offset.min(u32::MAX as usize) as u32)),
            LineStarts::Wide(s) => s.binary_search(&offset),
        };
        match found {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }
}

/// A 1-based line and a 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: String) -> Arc<Self> {
        let len = text.len();
        Arc::new(SourceFile {
            name: name.into(),
            text,
            line_starts: std::sync::OnceLock::new(),
            positions: Box::default(),
            len,
        })
    }

    fn line_starts(&self) -> &LineStarts {
        self.line_starts
            .get_or_init(|| LineStarts::of(self.text.as_bytes()))
    }

    /// The same file without its text, for reports that need only the lines and columns of
    /// the diagnostics' spans (every format but the human one, which shows code frames): it
    /// keeps the line and column of each of `offsets` (the spans' starts and ends), found in
    /// one pass over the text, and [`SourceFile::line_col`] answers for those offsets alone. A
    /// run over many files then keeps per file with diagnostics a few positions, not its text
    /// or line index; a large CRD's line index is never made. A text already let go, or empty,
    /// is returned as it is.
    pub fn without_text(self: &Arc<Self>, offsets: impl IntoIterator<Item = usize>) -> Arc<Self> {
        if self.text.is_empty() {
            return Arc::clone(self);
        }
        let mut offsets: Vec<usize> = offsets.into_iter().map(|o| o.min(self.len)).collect();
        offsets.sort_unstable();
        offsets.dedup();
        Arc::new(SourceFile {
            name: self.name.clone(),
            text: String::new(),
            line_starts: std::sync::OnceLock::new(),
            positions: positions(&self.text, &offsets).into(),
            len: self.len,
        })
    }

    /// Line and column (both 1-based, column in characters) of a byte offset. Once the text is
    /// let go, only of an offset given to [`SourceFile::without_text`]; of another, the nearest
    /// one before it (or the file's start).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.len);
        if self.text.len() < self.len {
            let i = self.positions.partition_point(|(o, _)| *o <= offset);
            return i
                .checked_sub(1)
                .map_or(LineCol { line: 1, column: 1 }, |i| self.positions[i].1);
        }
        let line = self.line_of(offset);
        let start = self.line_starts().get(line).unwrap_or(0);
        LineCol {
            line: line + 1,
            column: column(&self.text, start, offset),
        }
    }

    /// 0-based index of the line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts().line_of(offset)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// Byte offset of the start of 0-based line `line`.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts().get(line).unwrap_or(self.text.len())
    }

    /// Byte offset just past the end of 0-based line `line`, without its line break.
    pub fn line_end(&self, line: usize) -> usize {
        let end = self
            .line_starts()
            .get(line + 1)
            .map(|s| s - 1)
            .unwrap_or(self.text.len());
        if end > 0 && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        }
    }
}

/// The line and column [`SourceFile::line_col`] gives each of `offsets` (ascending, at most
/// the text's length), in one pass: lines counted from one offset to the next.
fn positions(text: &str, offsets: &[usize]) -> Vec<(usize, LineCol)> {
    let (mut from, mut line, mut line_start) = (0, 0, 0);
    offsets
        .iter()
        .map(|&offset| {
            for nl in memchr::memchr_iter(b'\n', &text.as_bytes()[from..offset]) {
                line += 1;
                line_start = from + nl + 1;
            }
            from = offset;
            let column = column(text, line_start, offset);
            (
                offset,
                LineCol {
                    line: line + 1,
                    column,
                },
            )
        })
        .collect()
}

/// The 1-based column, in characters, of `offset` on the line starting at `line_start`.
fn column(text: &str, line_start: usize, offset: usize) -> usize {
    text[line_start..floor_char_boundary(text, offset)]
        .chars()
        .count()
        + 1
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A span's contents as miette wants them: the span widened to whole lines, plus context lines.
struct Contents<'a> {
    data: &'a [u8],
    span: SourceSpan,
    line: usize,
    column: usize,
    line_count: usize,
    name: &'a str,
}

impl<'a> SpanContents<'a> for Contents<'a> {
    fn data(&self) -> &'a [u8] {
        self.data
    }
    fn span(&self) -> &SourceSpan {
        &self.span
    }
    fn line(&self) -> usize {
        self.line
    }
    fn column(&self) -> usize {
        self.column
    }
    fn line_count(&self) -> usize {
        self.line_count
    }
    fn name(&self) -> Option<&str> {
        Some(self.name)
    }
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start + span.len();
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.line_of(start).saturating_sub(context_lines_before);
        let last_of_span = self.line_of(if end > start { end - 1 } else { end });
        let last = (last_of_span + context_lines_after).min(self.line_count() - 1);
        let from = self.line_start(first);
        let to = self.line_starts().get(last + 1).unwrap_or(self.text.len());
        Ok(Box::new(Contents {
            data: &self.text.as_bytes()[from..to],
            span: SourceSpan::new(from.into(), to - from),
            line: first,
            column: 0,
            line_count: last - first + 1,
            name: &self.name,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_and_wide_line_indexes_agree() {
        for text in [
            "",
            "a",
            "\n",
            "a\n",
            "a\nbb\n\nccc",
            "\n\n\n",
            "x: 1\r\ny: 2\r\n",
        ] {
            let narrow = LineStarts::of(text.as_bytes());
            assert!(matches!(narrow, LineStarts::Narrow(_)), "{text:?}");
            let LineStarts::Narrow(starts) = &narrow else {
                unreachable!()
            };
            let wide = LineStarts::Wide(starts.iter().map(|&s| s as usize).collect());
            assert_eq!(narrow.len(), wide.len(), "{text:?}");
            assert_eq!(narrow.len(), text.matches('\n').count() + 1, "{text:?}");
            for line in 0..=narrow.len() {
                assert_eq!(narrow.get(line), wide.get(line), "{text:?} line {line}");
            }
            // Past the end too: the last line holds it.
            for offset in 0..=text.len() + 2 {
                let line = narrow.line_of(offset);
                assert_eq!(line, wide.line_of(offset), "{text:?} offset {offset}");
                let start = narrow.get(line).unwrap();
                assert!(start <= offset, "{text:?} offset {offset}");
                assert!(narrow.get(line + 1).is_none_or(|next| offset < next));
            }
        }
    }

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new("t.yaml", "a: 1\nnäme: x\n".to_string());
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        let x = f.text.find('x').unwrap();
        // "näme: " is 6 characters but 7 bytes.
        assert_eq!(f.line_col(x), LineCol { line: 2, column: 7 });
        assert_eq!(f.line_col(f.text.len()), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn without_text_keeps_the_lines_and_columns_of_the_offsets_given() {
        let texts = [
            "a: 1\nname: x\n\n",
            "näme: x\n  ü: \"日本\"\r\nb:\n",
            "\n\n",
            "x",
            "a: 1\r\n\r\nb: 2",
        ];
        for text in texts {
            let full = SourceFile::new("a.yaml", text.to_string());
            let every: Vec<usize> = (0..=text.len() + 2).collect();
            let bare = full.without_text(every.iter().copied());
            assert!(bare.text.is_empty(), "{text:?}");
            for &offset in &every {
                assert_eq!(
                    bare.line_col(offset),
                    full.line_col(offset),
                    "{text:?} offset {offset}"
                );
            }
            // Some offsets only, given in any order and repeated: each answers as in the text.
            let some = [text.len(), 1, text.len() / 2, 1];
            let bare = full.without_text(some);
            for offset in some {
                assert_eq!(bare.line_col(offset), full.line_col(offset), "{text:?}");
            }
        }
        // An empty text has nothing to let go.
        let empty = SourceFile::new("e.yaml", String::new());
        assert!(Arc::ptr_eq(&empty.without_text([0]), &empty));
    }

    #[test]
    fn read_span_returns_whole_lines_with_context() {
        let f = SourceFile::new("t.yaml", "a\nbb\nccc\ndddd\n".to_string());
        let start = f.text.find("ccc").unwrap();
        let c = f
            .read_span(&SourceSpan::new(start.into(), 3), 1, 1)
            .unwrap();
        assert_eq!(std::str::from_utf8(c.data()).unwrap(), "bb\nccc\ndddd\n");
        assert_eq!(c.line(), 1);
    }
}
