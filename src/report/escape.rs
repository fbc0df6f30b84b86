//! Escaping for the places report text goes: GitHub workflow commands and JSON.

/// Escapes the message part of a GitHub workflow command (`::error ...::message`).
pub fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a GitHub workflow command (`file=`, `title=`).
pub fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Escapes untrusted text (titles, names) for a Markdown comment: no links, images, HTML,
/// mentions, emphasis or tables can be injected, and line breaks become spaces.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A zero-width space after `@` and `#` defeats mentions and issue references.
            '@' => out.push_str("@\u{200b}"),
            '#' => out.push_str("#\u{200b}"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '!' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    // Bare URLs are auto-linked by GitHub: break the scheme separator.
    out.replace("://", ":\u{200b}//")
}

#[cfg(test)]
mod tests {
    use super::*;

    // Newlines and separators cannot break out of a workflow command.
    #[test]
    fn workflow_escapes() {
        assert_eq!(github_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(github_property("x,y:z"), "x%2Cy%3Az");
    }

    // Links, HTML, mentions and line breaks are neutralised in Markdown.
    #[test]
    fn markdown_escapes() {
        let s = markdown("[x](javascript:alert(1)) <img src=x> @team\nhttps://evil.test");
        assert!(
            !s.contains("](") && !s.contains('<') && !s.contains('\n'),
            "{s}"
        );
        assert!(s.contains("@\u{200b}team"), "{s}");
        assert!(!s.contains("https://"), "{s}");
    }
}
