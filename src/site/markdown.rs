//! Narrative Markdown to safe HTML: pulldown-cmark renders, ammonia sanitises. Raw HTML,
//! scripts, event handlers and every URL scheme but http, https and mailto are removed;
//! relative links stay relative.

use std::collections::HashSet;
use std::sync::LazyLock;

/// The sanitiser, configured once (building one costs more than cleaning a narrative).
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer nofollow"));
    builder
});

pub fn to_safe_html(markdown: &str) -> String {
    let mut options = pulldown_cmark::Options::empty();
    options.insert(pulldown_cmark::Options::ENABLE_TABLES);
    options.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    let parser = pulldown_cmark::Parser::new_ext(markdown, options);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    CLEANER.clean(&html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Scripts, handlers and javascript: links are stripped; ordinary Markdown survives.
    #[test]
    fn sanitises() {
        let html = to_safe_html("## Why\n<script>alert(1)</script>\n[x](javascript:alert(1)) [ok](https://a.example) [rel](../x.html)\n<img src=x onerror=alert(1)>");
        assert!(html.contains("<h2>Why</h2>"), "{html}");
        assert!(
            !html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"),
            "{html}"
        );
        assert!(
            html.contains("href=\"https://a.example\"") && html.contains("href=\"../x.html\""),
            "{html}"
        );
    }
}
