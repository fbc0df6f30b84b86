//! Untrusted text stays inert in every output: Markdown rendered by a GFM renderer has no
//! link, image, raw HTML, mention or reference the tool did not write; terminal text has no
//! raw control character and no line that goal data starts; feed.xml stays well-formed.
//! The payloads come from the one shared corpus in `payloads.rs`.

use crate::payloads;
use crate::support::{Run, TestRepo};
use comrak::nodes::NodeValue;
use goalpost::report::escape::is_hidden;
use std::collections::BTreeMap;

/// What a Markdown document turns into under GitHub's renderer, in the terms that matter:
/// node kinds counted (links, images, raw HTML, headings...), and text outside code.
struct Rendered {
    kinds: BTreeMap<&'static str, usize>,
    text: String,
}

fn render_gfm(markdown: &str) -> Rendered {
    let mut options = comrak::Options::default();
    options.extension.autolink = true;
    options.extension.table = true;
    options.extension.strikethrough = true;
    #[allow(deprecated)] // GitHub applies it; comrak plans to move it.
    {
        options.extension.tagfilter = true;
    }
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, markdown, &options);
    let mut kinds = BTreeMap::new();
    let mut text = String::new();
    for node in root.descendants() {
        let value = &node.data().value;
        *kinds.entry(value.xml_node_name()).or_insert(0) += 1;
        if let NodeValue::Text(t) = value {
            text.push_str(t);
            text.push('\n');
        }
    }
    Rendered { kinds, text }
}

/// GitHub turns these into mentions, issue references and links after rendering, from
/// the rendered text.
fn live_references(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut found = Vec::new();
    let chars: Vec<char> = lower.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let window: String = chars[i..chars.len().min(i + 4)].iter().collect();
        if (*c == '@' && next.is_alphanumeric())
            || (*c == '#' && next.is_ascii_digit())
            || window.starts_with("gh-") && chars.get(i + 3).is_some_and(char::is_ascii_digit)
            || window == "www."
            || window.starts_with("://")
        {
            found.push(
                chars[i.saturating_sub(8)..chars.len().min(i + 8)]
                    .iter()
                    .collect(),
            );
        }
    }
    found
}

/// The hostile repository and a benign one of the same shape (plain words in every field).
fn repos() -> ((TestRepo, String), (TestRepo, String)) {
    let hostile = payloads::repo(
        &payloads::all(),
        &payloads::file_name(),
        &payloads::author(),
    );
    let benign = payloads::repo("plain words", "plain words", "Plain Author");
    (hostile, benign)
}

/// The four Markdown outputs of a repository.
fn markdown_outputs(repo: &TestRepo, base: &str) -> Vec<(&'static str, Run)> {
    vec![
        ("review", repo.goalpost(&["review", "--base", base])),
        (
            "diff",
            repo.goalpost(&["diff", base, "HEAD", "--format", "markdown"]),
        ),
        (
            "retro",
            repo.goalpost(&["retro", "--period", "2026-Q4", "--as-of", "2027-01-15"]),
        ),
        (
            "compare",
            repo.goalpost(&[
                "compare",
                "2026-Q3",
                "2026-Q4",
                "--format",
                "markdown",
                "--as-of",
                "2027-01-15",
            ]),
        ),
    ]
}

// Payloads in every field of review, diff, retro and compare Markdown render, with GFM,
// to no link, image, raw HTML, heading, mention or reference beyond the benign repo's.
#[test]
fn markdown_payloads_never_inject_links_html_or_mentions() {
    let ((hostile, hostile_base), (benign, benign_base)) = repos();
    let expected = markdown_outputs(&benign, &benign_base);
    for ((name, run), (_, plain)) in markdown_outputs(&hostile, &hostile_base)
        .into_iter()
        .zip(expected)
    {
        assert!(
            run.code == 0 || run.code == 1,
            "{name} failed: {}",
            run.stderr
        );
        assert!(
            run.stdout.contains("\\u{202e}"),
            "{name} lost the payload:\n{}",
            run.stdout
        );
        let raw_hidden: Vec<char> = run
            .stdout
            .chars()
            .filter(|c| *c != '\n' && is_hidden(*c))
            .collect();
        assert!(
            raw_hidden.is_empty(),
            "{name}: raw hidden characters {raw_hidden:?}"
        );
        let (got, want) = (render_gfm(&run.stdout), render_gfm(&plain.stdout));
        for kind in [
            "link",
            "image",
            "html_inline",
            "html_block",
            "heading",
            "block_quote",
            "code_block",
            "strikethrough",
            "emph",
            "strong",
            "table",
        ] {
            assert_eq!(
                got.kinds.get(kind),
                want.kinds.get(kind),
                "{name}: {kind} count differs from the benign render\n{:?}\n{:?}",
                got.kinds,
                want.kinds
            );
        }
        let live = live_references(&got.text);
        assert!(
            live.is_empty(),
            "{name}: live references {live:?}\n{}",
            run.stdout
        );
    }
}

/// The text outputs of a repository, stdout and stderr together.
fn text_outputs(repo: &TestRepo, base: &str) -> Vec<(String, String)> {
    let p = payloads::id_text(&payloads::all());
    let runs: Vec<(&str, Vec<String>)> = vec![
        (
            "status",
            vec![
                "status".into(),
                "--period".into(),
                "2026-Q4".into(),
                "--as-of".into(),
                "2026-11-01".into(),
            ],
        ),
        ("log", vec!["log".into()]),
        ("history", vec!["history".into(), format!("2026-Q4/t/{p}")]),
        (
            "history kr",
            vec!["history".into(), format!("2026-Q4/t/{p}#{p}")],
        ),
        ("history kpi", vec!["history".into(), p.clone()]),
        ("diff", vec!["diff".into(), base.into(), "HEAD".into()]),
        (
            "compare",
            vec!["compare".into(), "2026-Q3".into(), "2026-Q4".into()],
        ),
        ("check", vec!["check".into()]),
        (
            "retro",
            vec!["retro".into(), "--period".into(), "2026-Q4".into()],
        ),
        (
            "review",
            vec!["review".into(), "--base".into(), base.into()],
        ),
        (
            "review github",
            vec![
                "review".into(),
                "--base".into(),
                base.into(),
                "--format".into(),
                "github".into(),
            ],
        ),
        (
            "check github",
            vec!["check".into(), "--format".into(), "github".into()],
        ),
    ];
    runs.into_iter()
        .map(|(name, args)| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = repo.goalpost(&args);
            (name.to_string(), format!("{}{}", run.stdout, run.stderr))
        })
        .collect()
}

// Escape sequences, bidi overrides and newlines in goal data never reach a terminal or a
// CI log raw, and no line starts with goal data (no `::error`, `::add-mask::`, `##[`).
#[test]
fn terminal_output_never_carries_control_chars_or_workflow_commands() {
    let ((repo, base), _) = repos();
    for (name, out) in text_outputs(&repo, &base) {
        assert!(
            out.contains("rtl"),
            "{name} lost the payload:\n{}",
            short(&out)
        );
        let hidden: Vec<char> = out
            .chars()
            .filter(|c| *c != '\n' && is_hidden(*c))
            .collect();
        assert!(
            hidden.is_empty(),
            "{name}: raw hidden characters {hidden:?}\n{out}"
        );
        for line in out.lines() {
            let start = line.trim_start();
            let own_command = name.ends_with("github")
                && (start.starts_with("::error file=") || start.starts_with("::warning file="));
            assert!(
                own_command || !(start.starts_with("::") || start.starts_with("##[")),
                "{name}: goal data starts a line: {line:?}"
            );
        }
    }
}

// A control character in a title or an author name leaves feed.xml well-formed, and the
// HTML pages carry no payload element.
#[test]
fn feed_stays_well_formed_with_control_chars_in_titles_and_authors() {
    let ((repo, _), _) = repos();
    let out = repo.path().join("public");
    repo.goalpost(&["site", "--out", out.to_str().unwrap()])
        .expect_code(0);
    let feed = std::fs::read_to_string(out.join("feed.xml")).expect("feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap_or_else(|e| panic!("{e}\n{feed}"));
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        titles.iter().any(|t| t.contains("rtl\\u{202e}txt")),
        "{titles:?}"
    );
    assert!(feed.contains("\\u{1b}]0;pwned\\u{7}"), "{feed}");
    for entry in walk(&out) {
        if entry.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&entry).expect("page");
            for payload in ["<b>bold", "<img src=x", "<a href=\"https://evil"] {
                assert!(
                    !html.contains(payload),
                    "{} has {payload:?}",
                    entry.display()
                );
            }
        }
    }
}

/// The start of a long output, for failure messages.
fn short(s: &str) -> String {
    s.chars().take(1500).collect()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = e.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

// A commit dated 9999-12-31 is not shown as 1970: history commands name the commit and
// the date problem instead.
#[test]
fn commit_dated_9999_is_never_shown_as_1970() {
    let repo = TestRepo::new();
    repo.write("goals/2026-Q4/t/a.md", crate::support::objective("A", ""));
    repo.init_git();
    repo.commit_all("first", "2026-10-01T12:00:00Z");
    repo.write("goals/2026-Q4/t/a.md", crate::support::objective("A2", ""));
    // libgit2 writes commit times modulo 2^32: only the git binary can write this one.
    let far_future = "@253402214400 +0000";
    crate::support::git_at(repo.path(), &["add", "-A"], far_future);
    crate::support::git_at(repo.path(), &["commit", "-qm", "far future"], far_future);
    for args in [
        &["log"][..],
        &["status", "--period", "2026-Q4"],
        &["log", "--format", "json"],
    ] {
        let run = repo.goalpost(args);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(!all.contains("1970"), "{args:?}: {all}");
        assert_ne!(run.code, 0, "{args:?}: {all}");
        assert!(all.contains("committer date"), "{args:?}: {all}");
    }
}
