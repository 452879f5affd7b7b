//! A file read from disk as text: UTF-8 checked, BOM dropped, line endings
//! unified, NFC; and diagnostics that point into the file as written.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::diagnostics::{Diagnostic, Problem};
use crate::vietnamese::nfc;

/// `a/b/../c` as `a/c`, without asking the file system: the same path for
/// a file as found on disk and as an article names it.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

pub struct SourceFile {
    /// The path shown to people: relative to the site root.
    pub path: PathBuf,
    /// The text as written (BOM dropped), for showing lines in diagnostics.
    original: String,
    /// NFC text with `\n` line endings: what everything else reads.
    pub text: String,
}

impl SourceFile {
    /// Decodes `bytes`; invalid UTF-8 is a diagnostic naming the byte offset.
    pub fn decode(path: PathBuf, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        let original = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let before = &error.as_bytes()[..offset];
                let line = before.iter().filter(|b| **b == b'\n').count() + 1;
                let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
                let col = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
                return Err(Diagnostic {
                    line,
                    col,
                    len: 1,
                    source_line: None,
                    ..Diagnostic::file(path, Problem::InvalidUtf8 { offset })
                });
            }
        };
        let original = match original.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => original,
        };
        let unified = if original.contains('\r') { original.replace("\r\n", "\n") } else { original.clone() };
        // Control characters (Word's line break pasted in) would make feeds invalid XML.
        let text = nfc(&crate::html::without_forbidden(&unified)).into_owned();
        Ok(SourceFile { path, original, text })
    }

    pub fn read(root: &Path, path: &Path) -> anyhow::Result<Result<Self, Diagnostic>> {
        use crate::failure::{Failing, Step};
        let bytes = std::fs::read(path).failed(Step::Reading, path)?;
        let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        Ok(Self::decode(shown, bytes))
    }

    /// A diagnostic at `line`:`col` of the NFC text (1-based, characters),
    /// `len` characters long, moved to the same place in the file as written.
    pub fn diagnostic(&self, line: usize, col: usize, len: usize, problem: Problem) -> Diagnostic {
        let written = self.original.lines().nth(line.saturating_sub(1)).unwrap_or("");
        let written = written.strip_suffix('\r').unwrap_or(written);
        let col = written_column(written, col);
        Diagnostic {
            file: self.path.clone(),
            line,
            col,
            len,
            source_line: Some(written.to_string()),
            problem,
        }
    }
}

impl SourceFile {
    /// A diagnostic over `span`, bytes of the NFC text, underlined up to the
    /// end of its first line.
    pub fn diagnostic_over(&self, span: Range<usize>, problem: Problem) -> Diagnostic {
        let before = &self.text[..span.start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        let line_end = self.text[span.start..].find('\n').map_or(self.text.len(), |e| span.start + e);
        let len = self.text[span.start..span.end.min(line_end)].chars().count();
        self.diagnostic(line, col, len.max(1), problem)
    }
}

/// The column in `written` (possibly NFD) of the character at `nfc_col` of
/// its NFC form: the shortest prefix whose NFC form reaches that column.
fn written_column(written: &str, nfc_col: usize) -> usize {
    if written.is_ascii() {
        return nfc_col;
    }
    let target = nfc_col.saturating_sub(1);
    let mut prefix = String::new();
    for (i, c) in written.chars().enumerate() {
        if prefix.nfc().count() >= target {
            return i + 1;
        }
        prefix.push(c);
    }
    written.chars().count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_decomposed_lines_point_at_the_written_character() {
        let nfd: String = "organ: Huyện ủy x".nfd().collect();
        let file = SourceFile::decode("a.md".into(), nfd.clone().into_bytes()).unwrap();
        // `x` is column 17 of the NFC line.
        let d = file.diagnostic(1, 17, 1, Problem::EmptySlug);
        assert_eq!(nfd.chars().nth(d.col - 1), Some('x'));
    }

    #[test]
    fn spans_are_placed_by_characters_not_bytes() {
        let file = SourceFile::decode("a.md".into(), "ab\nHội [x](y)\nz".as_bytes().to_vec()).unwrap();
        let start = 3 + "Hội ".len();
        let d = file.diagnostic_over(start..file.text.len(), Problem::EmptySlug);
        assert_eq!((d.line, d.col, d.len), (2, 5, 6));
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let error = SourceFile::decode("a.md".into(), b"---\ntitle: \xff\n".to_vec()).err();
        let error = error.unwrap();
        assert_eq!(error.problem, Problem::InvalidUtf8 { offset: 11 });
        assert_eq!((error.line, error.col), (2, 8));
    }
}
