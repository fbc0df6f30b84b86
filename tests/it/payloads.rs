//! The one corpus of injection payloads, shared by the Markdown, terminal, HTML and feed
//! tests, and a hostile goal repository that carries them in every field.

use crate::support::TestRepo;

/// Payloads that would inject structure into some output if passed through unescaped.
pub const PAYLOADS: &[&str] = &[
    "line\nbreak",
    "cr\rreturn",
    "[x](https://evil.example/l)",
    "![x](https://evil.example/i.png)",
    "<b>bold</b><img src=x onerror=alert(1)>",
    "@user",
    "#1",
    "GH-1",
    "www.x.com",
    "https://x",
    "mail@evil.example",
    "a | b",
    "tick ` tick",
    "back\\slash",
    "rtl\u{202e}txt",
    "zw\u{200b}\u{200d}\u{2066}\u{feff}\u{ad}",
    "nul\0byte",
    "\u{1b}]0;pwned\u{7}",
    "\u{1b}[2J\u{1b}[31mred",
    "c1\u{85}\u{9b}del\u{7f}",
    "::error::x",
    "##[error]y",
    "&#64;entity &lt;",
];

/// Every payload in one string, each on its own line (a newline is itself a payload).
pub fn all() -> String {
    PAYLOADS.join("\n")
}

/// `s` as a TOML basic string, with control characters escaped (TOML forbids them raw).
pub fn toml(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A text usable as a file or folder name (no `/` or NUL, under 255 bytes).
pub fn file_name() -> String {
    "f\n[x](y) ![x](y) <b> @u #1 GH-1 www.x.com https:x | ` \\ \u{202e}\u{200b} \u{1b}]0;p\u{7} \u{85}\n::error::x"
        .to_string()
}

/// An author name git accepts: no `<`, `>` or newline.
pub fn author() -> String {
    all().replace(['<', '>', '\n', '\0'], " ")
}

/// The payload as an id: without NUL, which no command line can carry to name it.
pub fn id_text(p: &str) -> String {
    p.replace('\0', "")
}

/// An objective whose every text field is `p`, pinned to the id `t/<p>`, with two key
/// results (ids `p` and `k2`), a dated check-in whose note is `p`, and the given numbers.
pub fn objective(p: &str, pin: &str, current: i64, target: i64) -> String {
    let q = toml(p);
    let id = toml(&id_text(p));
    let pinned = toml(&format!("t/{}{pin}", id_text(p)));
    format!(
        "+++\ntitle = {q}\nowner = {q}\nkind = \"committed\"\nid = {pinned}\n\n[[key_results]]\nid = {id}\ntitle = {q}\nunit = {q}\nstart = 0\ntarget = {target}\ncurrent = {current}\n\n[[key_results.checkins]]\ndate = 2026-10-05\nvalue = 1\nnote = {q}\n\n[[key_results]]\nid = \"k2\"\ntitle = {q}\nstart = 0\ntarget = 10\ncurrent = {current}\n+++\n\n{p}\n"
    )
}

/// A KPI whose every text field is `p`, pinned to the id `p`.
pub fn kpi(p: &str, value: i64) -> String {
    let q = toml(p);
    let id = toml(&id_text(p));
    format!("id = {id}\ntitle = {q}\nowner = {q}\nunit = {q}\ndirection = \"up\"\nvalue = {value}\ngreen = 90\nred = 50\n")
}

/// The repository: `p` in the site title, every text field, every kind of id, a team folder,
/// file names, author names and commit subjects; history in 2026-Q3 and 2026-Q4, with a
/// goalpost move (an easier target) after 2026-Q4 began. Returns the repo and the base
/// commit (before the last two commits, for `review` and `diff`).
pub fn repo(p: &str, file: &str, author: &str) -> (TestRepo, String) {
    let repo = TestRepo::new();
    repo.write("goalpost.toml", format!("[site]\ntitle = {}\n", toml(p)));
    let team = format!("goals/2026-Q3/{file}");
    repo.write(&format!("{team}/{file}.md"), objective(p, "", 4, 10));
    repo.write(
        &format!("goals/2026-Q4/{file}/{file}.md"),
        objective(p, "", 1, 10),
    );
    repo.write("goals/2026-Q4/t/plain.md", objective(p, "plain", 2, 10));
    repo.write(&format!("kpis/{file}.toml"), kpi(p, 70));
    repo.init_git();
    let p_text = p.replace('\0', " ");
    let subject = format!("{p_text}\n\nbody {p_text}");
    let commit = |message: &str, date: &str| repo.commit_as(author, "a@b.example", message, date);
    commit(&subject, "2026-07-01T12:00:00Z");
    repo.write(
        &format!("goals/2026-Q3/{file}/{file}.md"),
        objective(p, "", 9, 10),
    );
    commit(&subject, "2026-09-01T12:00:00Z");
    let base = repo.rev("HEAD");
    // After 2026-Q4 began: progress, and an easier target (a goalpost move).
    repo.write(
        &format!("goals/2026-Q4/{file}/{file}.md"),
        objective(p, "", 3, 5),
    );
    repo.write(&format!("kpis/{file}.toml"), kpi(p, 40));
    commit(&subject, "2026-10-10T12:00:00Z");
    repo.write("goals/2026-Q4/t/plain.md", objective(p, "plain", 6, 8));
    repo.write(
        &format!("goals/2026-Q4/{file}/new {file}.md"),
        objective(p, "new", 1, 3),
    );
    commit(&subject, "2026-10-20T12:00:00Z");
    (repo, base)
}
