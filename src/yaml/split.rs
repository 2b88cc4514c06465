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
    let mut pos = 0;
    while pos < text.len() {
        let line_end = text[pos..]
            .find('\n')
            .map(|i| pos + i + 1)
            .unwrap_or(text.len());
        let line = &text[pos..line_end];
        if let Some(rest) = line.strip_prefix("---") {
            let rest = rest.trim();
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
