//! Splitting a stream into documents the way Kubernetes does before it parses them
//! (apimachinery `yaml.YAMLReader`): a line that starts with `---` and has nothing after it but
//! blanks or a comment ends a document that has lines, and is dropped; met when no line was read
//! yet, it is kept as the document's first line (so the YAML parser sees `---`, and its line
//! numbers count it). Empty buffers are not documents. Parsing each piece on
//! its own also means a syntax error in one document leaves the others readable.

/// One document's text: `start` is its byte offset in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk<'a> {
    pub start: usize,
    pub text: &'a str,
}

pub fn split_documents(text: &str) -> Vec<Chunk<'_>> {
    let mut chunks = Vec::new();
    let mut doc_start = 0;
    // Only lines that start with `---` matter: found with a substring search rather than
    // line by line (a CRD file has tens of thousands of lines and a few separators).
    let bytes = text.as_bytes();
    let marker_lines = (text.starts_with("---").then_some(0))
        .into_iter()
        .chain(memchr::memmem::find_iter(bytes, b"\n---").map(|i| i + 1));
    for pos in marker_lines {
        let line_end = memchr::memchr(b'\n', &bytes[pos..])
            .map(|i| pos + i + 1)
            .unwrap_or(text.len());
        let rest = text[pos + 3..line_end].trim();
        if rest.is_empty() || rest.starts_with('#') {
            // A separator ends a document that has lines; one met with nothing read yet
            // (at the start of the file, or right after the separator that ended the
            // previous document) is kept as the first line of the next document.
            if pos > doc_start {
                chunks.push(Chunk {
                    start: doc_start,
                    text: &text[doc_start..pos],
                });
                doc_start = line_end;
            }
        } else if pos > doc_start {
            // `--- value` starts a document with content on the marker line: the marker
            // line belongs to the new document (the YAML parser reads it).
            chunks.push(Chunk {
                start: doc_start,
                text: &text[doc_start..pos],
            });
            doc_start = pos;
        }
    }
    if text.len() > doc_start {
        chunks.push(Chunk {
            start: doc_start,
            text: &text[doc_start..],
        });
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        split_documents(s).into_iter().map(|c| c.text).collect()
    }

    #[test]
    fn splits_on_marker_lines_only() {
        assert_eq!(texts("a: 1\n---\nb: 2\n"), vec!["a: 1\n", "b: 2\n"]);
        // The YAMLReader keeps a separator met with an empty buffer.
        assert_eq!(texts("---\na: 1\n"), vec!["---\na: 1\n"]);
        assert_eq!(texts("a\n---\n---\nb\n"), vec!["a\n", "---\nb\n"]);
        assert_eq!(texts("a: |\n  ---\n"), vec!["a: |\n  ---\n"]);
        assert_eq!(texts("a: 1\n--- # c\nb: 2"), vec!["a: 1\n", "b: 2"]);
    }

    #[test]
    fn empty_buffers_are_not_documents_but_comments_are() {
        assert_eq!(texts(""), Vec::<&str>::new());
        // The first separator is kept, the second ends that (empty) document.
        assert_eq!(texts("---\n---\n"), vec!["---\n"]);
        assert_eq!(texts("# c\n---\n"), vec!["# c\n"]);
    }

    /// The YAMLReader's loop as first written here, line by line: the reference the search
    /// for marker lines must agree with.
    fn split_line_by_line(text: &str) -> Vec<Chunk<'_>> {
        let mut chunks = Vec::new();
        let (mut doc_start, mut pos) = (0, 0);
        while pos < text.len() {
            let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
            if let Some(rest) = text[pos..line_end].strip_prefix("---") {
                let rest = rest.trim();
                if (rest.is_empty() || rest.starts_with('#')) && pos > doc_start {
                    chunks.push(Chunk {
                        start: doc_start,
                        text: &text[doc_start..pos],
                    });
                    doc_start = line_end;
                } else if !(rest.is_empty() || rest.starts_with('#')) && pos > doc_start {
                    chunks.push(Chunk {
                        start: doc_start,
                        text: &text[doc_start..pos],
                    });
                    doc_start = pos;
                }
            }
            pos = line_end;
        }
        if text.len() > doc_start {
            chunks.push(Chunk {
                start: doc_start,
                text: &text[doc_start..],
            });
        }
        chunks
    }

    #[test]
    fn agrees_with_reading_line_by_line() {
        // Every sequence of up to five of these lines, with and without a final line feed.
        let lines = [
            "---", "--- # c", "--- x", "----", " ---", "a: 1", "", "---\r", "#---", "--- \t",
        ];
        let mut cases = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = (last.iter())
                .flat_map(|c| lines.iter().map(move |l| format!("{c}{l}\n")))
                .collect();
            cases.extend(last.iter().cloned());
        }
        let mut checked = 0;
        for c in &cases {
            for text in [c.as_str(), c.strip_suffix('\n').unwrap_or(c)] {
                assert_eq!(split_documents(text), split_line_by_line(text), "{text:?}");
                checked += 1;
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    #[test]
    fn marker_with_content_opens_the_next_document() {
        let c = split_documents("a: 1\n--- b: 2\n");
        assert_eq!(
            c[1],
            Chunk {
                start: 5,
                text: "--- b: 2\n"
            }
        );
    }
}
