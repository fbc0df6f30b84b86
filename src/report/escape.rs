//! The one escaper per output kind for untrusted text (every byte of a goal repository and
//! of its git metadata): Markdown text, Markdown ids, terminal text, GitHub workflow
//! command data and properties, and SARIF message text and artifact URIs. HTML escaping is minijinja's autoescape and XML escaping is
//! the site's `xml` filter; JSON is escaped by serde_json.
//!
//! Shared rule: control and format characters (Unicode Cc and Cf, and the line and paragraph
//! separators) are never passed through; they are written as visible escapes like `\u{202e}`.

use std::fmt::Write as _;

/// Unicode general category Cf (format characters: bidi controls, zero-width characters,
/// invisible operators, tags), as of Unicode 16. Kept here as a table because std has no
/// category lookup and these ranges change rarely.
const FORMAT: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// Whether `c` must never reach an output as itself: a control character (C0, DEL, C1), a
/// format character (bidi overrides, zero-width joiners, BOM, tags), or a line or
/// paragraph separator.
pub fn is_hidden(c: char) -> bool {
    let n = u32::from(c);
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}')
        || FORMAT.iter().any(|&(lo, hi)| (lo..=hi).contains(&n))
}

/// The visible escape of a hidden character: `\u{1b}`.
fn visible(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// Escapes the message part of a GitHub workflow command (`::error ...::message`): `%`, CR
/// and LF percent-encoded as the runner expects, other hidden characters made visible.
pub fn github_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if is_hidden(c) => visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value of a GitHub workflow command (`file=`, `title=`).
pub fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Escapes untrusted text for one line of terminal or CI-log output: hidden characters
/// (newlines and ESC included) become visible escapes, so the value can neither start a
/// line nor drive the terminal. A value that begins (after blanks) with `::` or `##` has
/// its first such character escaped, so that even at the start of a line it cannot be read
/// as a GitHub workflow command or log directive.
pub fn terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let lead = s.len() - s.trim_start_matches([' ', '\t']).len();
    let rest = &s[lead..];
    let guard = rest.starts_with("::") || rest.starts_with("##");
    for (i, c) in s.char_indices() {
        if is_hidden(c) || (guard && i == lead) {
            visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes a multi-line text of our own that may quote untrusted values (an error message):
/// each line is escaped as by [`terminal`], the line breaks themselves are kept.
pub fn terminal_lines(s: &str) -> String {
    s.split('\n')
        .map(|line| terminal(line.strip_suffix('\r').unwrap_or(line)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A zero-width space written as an entity: it breaks autolinks, mentions and references
/// in the rendered text, and keeps the Markdown source free of invisible characters.
const BREAK: &str = "&#8203;";

/// Escapes untrusted text for a Markdown document (a pull-request comment): the result is
/// plain inline text, with no link, autolink, image, raw HTML, mention, issue reference,
/// emphasis, table cell break or block structure, on one line.
pub fn markdown(s: &str) -> String {
    // Leading blanks could turn the value into an indented code block or a nested list.
    let chars: Vec<char> = s.trim_start().chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let before = |n: usize| -> String {
            chars[i.saturating_sub(n)..i]
                .iter()
                .collect::<String>()
                .to_ascii_lowercase()
        };
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // GitHub finds mentions and references in the rendered text, where a backslash
            // escape is gone: break them with a zero-width space. After `@` this also breaks
            // e-mail autolinks, after `:` the `scheme://` ones.
            '@' | '#' => {
                out.push(c);
                out.push_str(BREAK);
            }
            ':' if chars.get(i + 1) == Some(&'/') => {
                out.push(':');
                out.push_str(BREAK);
            }
            '-' if i >= 2 && before(2) == "gh" => {
                out.push('-');
                out.push_str(BREAK);
            }
            '.' if i >= 3 && before(3) == "www" => {
                out.push_str(BREAK);
                out.push_str("\\.");
            }
            // Inline syntax (and `$` math) everywhere.
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '!' | '|' | '~' | '$' | '^' => {
                out.push('\\');
                out.push(c);
            }
            // Block syntax (list items, setext underlines, ordered lists such as `1.`) can
            // only start at the start of the value, which may start a list item.
            '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' if chars[..i].iter().all(char::is_ascii_digit) => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_hidden(c) => {
                // `\\u{202e}`: the backslash itself escaped, so it shows as `\u{202e}`.
                out.push('\\');
                visible(&mut out, c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether `s` can sit in a Markdown code span as it is: the characters the id rules allow,
/// plus the separators of qualified ids and locations. No backtick, blank or line break.
fn code_safe(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/' | b'#' | b':')
        })
}

/// An id, revision or location in Markdown: a code span when [`code_safe`], else escaped
/// text, since an id that breaks the id rules (it is still reported, with an error) may
/// hold anything, a newline or a backtick included.
pub fn markdown_code(s: &str) -> String {
    if code_safe(s) {
        format!("`{s}`")
    } else {
        markdown(s)
    }
}

/// Escapes untrusted text for a SARIF `message.text`: hidden characters (line breaks
/// included) made visible, and `\`, `[` and `]` backslash-escaped, since SARIF readers
/// (GitHub code scanning among them) turn `[text](n)` into a link to a related location.
pub fn sarif_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c if is_hidden(c) => visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A repository-relative path as a SARIF `artifactLocation.uri` (a URI reference, RFC 3986):
/// every byte but the unreserved characters and `/` percent-encoded, so no file name can
/// add a scheme, a query, a fragment or a `..` that was not a path segment.
pub fn sarif_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // SARIF text cannot make embedded links or hide characters; URIs stay one relative path.
    #[test]
    fn sarif_escapes() {
        assert_eq!(
            sarif_text("see [x](1) \\ \u{202e}\n"),
            "see \\[x\\](1) \\\\ \\u{202e}\\u{a}"
        );
        assert_eq!(
            sarif_uri("goals/Q 1/a#b?c%.md"),
            "goals/Q%201/a%23b%3Fc%25.md"
        );
        assert_eq!(sarif_uri("é:x"), "%C3%A9%3Ax");
    }

    // Newlines and separators cannot break out of a workflow command.
    #[test]
    fn workflow_escapes() {
        assert_eq!(github_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(github_property("x,y:z"), "x%2Cy%3Az");
        assert_eq!(github_data("\u{1b}]0;x\u{7}"), "\\u{1b}]0;x\\u{7}");
    }

    // Links, HTML, mentions and line breaks are neutralised in Markdown.
    #[test]
    fn markdown_escapes() {
        let s = markdown("[x](javascript:alert(1)) <img src=x> @team\nhttps://evil.test");
        assert!(
            !s.contains("](") && !s.contains('<') && !s.contains('\n'),
            "{s}"
        );
        assert!(s.contains("@&#8203;team"), "{s}");
        assert!(!s.contains("https://"), "{s}");
        assert!(!markdown("www.x.com").contains("www."));
        assert!(!markdown("GH-1").contains("GH-1"));
        assert_eq!(markdown("a\u{202e}b"), "a\\\\u{202e}b");
    }

    // Ids that follow the id rules stay code spans; others cannot end the span.
    #[test]
    fn markdown_ids() {
        assert_eq!(markdown_code("2026-Q4/t/a#k"), "`2026-Q4/t/a#k`");
        let hostile = markdown_code("a`\n[x](y)");
        assert!(!hostile.contains('\n') && !hostile.contains("](") && !hostile.contains("a`"));
    }

    // Terminal text has no raw control or format character and cannot open a command line.
    #[test]
    fn terminal_escapes() {
        assert_eq!(
            terminal("a\nb\u{1b}[2J\u{202e}"),
            "a\\u{a}b\\u{1b}[2J\\u{202e}"
        );
        assert_eq!(terminal("::error::x"), "\\u{3a}:error::x");
        assert_eq!(terminal("  ##[error]"), "  \\u{23}#[error]");
        assert_eq!(terminal("a::b"), "a::b");
        assert_eq!(
            terminal_lines("x\n::add-mask::y\r\nz\u{7}"),
            "x\n\\u{3a}:add-mask::y\nz\\u{7}"
        );
    }
}
