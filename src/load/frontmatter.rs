//! Splits a Markdown file into its `+++` TOML front matter and body, keeping byte offsets.

use crate::model::Span;

pub struct FrontMatter<'a> {
    pub toml: &'a str,
    /// Byte offset of `toml` in the file.
    pub base: usize,
    pub body: &'a str,
}

/// Why the front matter could not be found.
pub struct SplitError {
    pub code: &'static str,
    pub span: Span,
    pub message: &'static str,
    pub help: &'static str,
}

/// Byte ranges of the lines of `text`, each without its line ending.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str, usize)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        (start, line, offset)
    })
}

pub fn split(text: &str) -> Result<FrontMatter<'_>, SplitError> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut it = lines(&text[bom..]).map(|(s, l, e)| (s + bom, l, e + bom));
    let opening = it.next().filter(|(_, line, _)| line.trim_end() == "+++");
    let Some((open_start, open_line, toml_start)) = opening else {
        return Err(SplitError {
            code: "missing-front-matter",
            span: bom..bom + text[bom..].find(['\r', '\n']).unwrap_or(text.len() - bom),
            message: "expected `+++` on the first line to open the TOML front matter",
            help: "an objective file starts with a `+++` line, then TOML keys, then a closing `+++` line",
        });
    };
    for (start, line, end) in it {
        if line.trim_end() == "+++" {
            return Ok(FrontMatter {
                toml: &text[toml_start..start],
                base: toml_start,
                body: &text[end..],
            });
        }
    }
    Err(SplitError {
        code: "unterminated-front-matter",
        span: open_start..open_start + open_line.len(),
        message: "front matter opened here is never closed",
        help: "did you forget the closing `+++`?",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Offsets survive CRLF line endings and a byte-order mark.
    #[test]
    fn splits_with_offsets() {
        let text = "\u{feff}+++\r\ntitle = \"x\"\r\n+++\r\nbody\r\n";
        let fm = split(text).ok().unwrap();
        assert_eq!(fm.toml, "title = \"x\"\r\n");
        assert_eq!(&text[fm.base..fm.base + 5], "title");
        assert_eq!(fm.body, "body\r\n");
    }

    // An unclosed block is reported at the opening line.
    #[test]
    fn unterminated() {
        let err = split("+++\ntitle = 1\n").err().unwrap();
        assert_eq!(err.code, "unterminated-front-matter");
        assert_eq!(err.span, 0..3);
        assert!(split("title = 1").is_err());
    }
}
