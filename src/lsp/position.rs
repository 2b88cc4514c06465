//! LSP positions: 0-based lines and UTF-16 code units within the line.

use crate::source::SourceFile;

pub fn to_lsp(source: &SourceFile, offset: usize) -> (u32, u32) {
    let offset = offset.min(source.text.len());
    let line = source.line_of(offset);
    let start = source.line_start(line);
    let mut end = offset;
    while !source.text.is_char_boundary(end) {
        end -= 1;
    }
    let character = source.text[start..end].encode_utf16().count();
    (line as u32, character as u32)
}

/// Byte offset of an LSP position (clamped to the line's end).
pub fn from_lsp(source: &SourceFile, line: u32, character: u32) -> usize {
    let line = line as usize;
    if line >= source.line_count() {
        return source.text.len();
    }
    let start = source.line_start(line);
    let end = source.line_end(line);
    let mut units = 0u32;
    for (i, c) in source.text[start..end].char_indices() {
        if units >= character {
            return start + i;
        }
        units += c.len_utf16() as u32;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns() {
        let f = SourceFile::new("t", "name: \"😀é\" x\nb: 1\n".to_string());
        let x = f.text.find('x').unwrap();
        // 6 ASCII + quote + surrogate pair (2) + é (1) + quote + space = 12 code units.
        assert_eq!(to_lsp(&f, x), (0, 12));
        assert_eq!(from_lsp(&f, 0, 12), x);
        let b = f.text.find('b').unwrap();
        assert_eq!(to_lsp(&f, b), (1, 0));
    }
}
