//! The static site: snapshots, determinism, safety (XSS, paths, folders it did not make),
//! template overrides, and every page of the demo loaded in real headless Chromium.

use crate::browser;
use crate::support::{Objective, TestRepo};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// An objective with a metric key result `k` (0 → 10 ms) and a milestone `m`.
fn objective(title: &str, extra: &str, current: u32, body: &str) -> String {
    Objective::new(title)
        .extra(extra)
        .metric_in("k", "K from 0 to 10", "ms", 0.0, 10.0, current.into())
        .milestone("m", "Runbook tested", false)
        .body(body)
        .to_string()
}

/// A small repository with alignment, history, a goalpost move and a KPI.
fn small_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(
        "goals/2026-Q4/company/growth.md",
        objective("Grow", "", 2, "## Why\nBecause."),
    );
    repo.write(
        "goals/2026-Q4/team/fast.md",
        objective(
            "Be fast",
            "parent = \"company/growth\"",
            0,
            "Latency *matters*.",
        ),
    );
    repo.write("kpis/uptime.toml", "title = \"Uptime\"\nowner = \"bo\"\nunit = \"%\"\ndirection = \"up\"\nvalue = 99.5\ngreen = 99.9\nred = 99.0\n");
    repo.commit_all("plan", "2026-09-28T09:00:00Z");
    repo.write(
        "goals/2026-Q4/team/fast.md",
        objective(
            "Be fast",
            "parent = \"company/growth\"",
            4,
            "Latency *matters*.",
        ),
    );
    repo.write("kpis/uptime.toml", "title = \"Uptime\"\nowner = \"bo\"\nunit = \"%\"\ndirection = \"up\"\nvalue = 99.95\ngreen = 99.9\nred = 99.0\n");
    repo.commit_all("checkin", "2026-10-20T09:00:00Z");
    repo.write(
        "goals/2026-Q4/team/fast.md",
        objective(
            "Be fast",
            "parent = \"company/growth\"",
            4,
            "Latency *matters*.",
        )
        .replace("target = 10", "target = 8"),
    );
    repo.commit_all("relax", "2026-11-02T09:00:00Z");
    repo
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir(dir)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    walkdir(dir)
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn html_pages(dir: &Path) -> Vec<PathBuf> {
    walkdir(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

/// The page's `<main>` element: what the page says, without the base template around it
/// (header, navigation, footer), so a change to the base template rewrites no snapshot.
fn main_element(page: &str, html: &str) -> String {
    let start = html
        .find("<main")
        .unwrap_or_else(|| panic!("{page} has no <main>"));
    let end = html
        .rfind("</main>")
        .unwrap_or_else(|| panic!("{page} has no </main>"));
    html[start..end + "</main>".len()].to_string()
}

// What each kind of page says, as snapshots of its `<main>` (a change to them is a reviewed
// change), and the whole feed, which has no base template.
#[test]
fn page_main_snapshots() {
    let repo = small_repo();
    repo.goalpost(&["site", "--out", "site"]).expect_code(0);
    for page in [
        "index.html",
        "periods/2026-Q4.html",
        "objectives/2026-Q4/team/fast.html",
        "kpis/uptime.html",
    ] {
        let main = main_element(page, &repo.read(&format!("site/{page}")));
        insta::assert_snapshot!(page.replace('/', "__"), main);
    }
    insta::assert_snapshot!("feed.xml", repo.read("site/feed.xml"));
}

// Two builds of the same commit are byte for byte identical, and the run says where it wrote.
#[test]
fn builds_are_byte_identical() {
    let repo = small_repo();
    let run = repo.goalpost(&["site", "--out", "a"]);
    run.expect_code(0);
    assert!(run.stdout.contains("index.html"), "{}", run.stdout);
    repo.goalpost(&["site", "--out", "b"]).expect_code(0);
    let (a, b) = (files(&repo.path().join("a")), files(&repo.path().join("b")));
    assert!(a.len() > 8, "{} files", a.len());
    assert_eq!(a, b);
    // A rebuild replaces its own earlier output.
    repo.goalpost(&["site", "--out", "a"]).expect_code(0);
    assert_eq!(files(&repo.path().join("a")), b);
}

// A folder goalpost did not make is never replaced, and a failed build leaves nothing behind.
#[test]
fn site_never_replaces_foreign_folder_or_leaves_partial_build() {
    let repo = small_repo();
    repo.write("mine/keep.txt", "precious");
    let run = repo.goalpost(&["site", "--out", "mine"]);
    run.expect_code(2);
    assert!(run.stderr.contains("refusing to replace"), "{}", run.stderr);
    assert_eq!(repo.read("mine/keep.txt"), "precious");
    repo.write(
        "templates/objective.html",
        "{% extends \"base.html\" %}{% block main %}{{ no_such_value }}{% endblock %}",
    );
    repo.commit_all("broken template", "2026-09-29T09:00:00Z");
    let broken = repo.goalpost(&["site", "--out", "out"]);
    broken.expect_code(2);
    assert!(
        broken.stderr.contains("objective.html"),
        "{}",
        broken.stderr
    );
    let names: Vec<String> = std::fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("partial") || n == "out"),
        "{names:?}"
    );
}

// A repository's own template replaces the built-in one by name; --init-templates copies
// the built-ins without overwriting.
#[test]
fn template_overrides() {
    let repo = small_repo();
    repo.write(
        "templates/kpi.html",
        "<!DOCTYPE html><title>{{ kpi.title }}</title><p>OURS {{ kpi.value }}</p>",
    );
    repo.commit_all("own template", "2026-09-29T09:00:00Z");
    repo.goalpost(&["site", "--out", "site"]).expect_code(0);
    assert!(repo
        .read("site/kpis/uptime.html")
        .contains("<p>OURS 99.95</p>"));
    let run = repo.goalpost(&["site", "--init-templates"]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("created objective.html") && !run.stdout.contains("created kpi.html"),
        "{}",
        run.stdout
    );
    assert!(repo.read("templates/kpi.html").contains("OURS"));
    assert!(repo
        .read("templates/style.css")
        .contains("prefers-color-scheme: dark"));
}

/// A script that ran would set `data-pwned` (spelled in two halves so that the payload's
/// own text, shown escaped, never contains the marker).
const PAYLOAD: &str = "\\\"><script>document.documentElement.setAttribute('data-'+'pwned','1');alert(1)</script><img src=x onerror=alert(1)>";

// A repository full of XSS payloads: the HTML escapes them all, and in a real browser
// no script runs (the trap attribute stays unset) and nothing is logged to the console.
#[test]
fn xss_payloads_stay_inert_in_the_browser() {
    let repo = TestRepo::new();
    repo.init_git();
    let body = "[click](javascript:alert(1)) <script>alert(2)</script> <img src=x onerror=\"alert(3)\"> <a href=\"data:text/html,x\">d</a> {{ 7 * 7 }}";
    repo.write(
        "goals/2026-Q4/t/x.md",
        objective(PAYLOAD, "kind = \"committed\"\n", 3, body).replace(
            "title = \"K from 0 to 10\"",
            &format!("title = \"{PAYLOAD}\""),
        ),
    );
    repo.write("kpis/x.toml", format!("title = \"{PAYLOAD}\"\nowner = \"{PAYLOAD}\"\nunit = \"{PAYLOAD}\"\ndirection = \"up\"\nvalue = 1\ngreen = 2\n\"description\" = \"{PAYLOAD}\"\n"));
    repo.commit_all("plan", "2026-10-01T09:00:00Z");
    repo.write(
        "goals/2026-Q4/t/x.md",
        repo.read("goals/2026-Q4/t/x.md")
            .replace("current = 3", "current = 4"),
    );
    // Git refuses < and > in names: an attribute break-out is what a name can try.
    repo.commit_as(
        "Eve\" onmouseover=\"alert(7)",
        "eve@x.test",
        "<script>alert(6)</script>",
        "2026-10-05T09:00:00Z",
    );
    repo.goalpost(&["site", "--out", "site"]).expect_code(0);
    let site = repo.path().join("site");
    for (name, text) in files(&site) {
        let text = String::from_utf8_lossy(&text);
        // Escaped payloads remain as visible text; what must not appear is live markup.
        for bad in [
            "<script",
            "<img src=x",
            "href=\"javascript:",
            "href=\"data:",
            " onerror=\"",
            " onmouseover=\"",
        ] {
            assert!(!text.contains(bad), "{name} contains {bad}");
        }
        assert!(
            !text.contains(">49<"),
            "{name}: template syntax in data was evaluated"
        );
    }
    let Some(chrome) = browser::chromium() else {
        return;
    };
    for (page, shown) in browser::load_all(chrome, html_pages(&site)) {
        assert!(
            shown.console.is_empty(),
            "{}: console {:?}",
            page.display(),
            shown.console
        );
        assert!(
            shown.dom.contains("</html>"),
            "{}: page did not load",
            page.display()
        );
        assert!(
            !shown.dom.contains("data-pwned"),
            "{}: a script ran",
            page.display()
        );
    }
}

// Ids that would escape the output folder never become paths: the site builds without them.
#[test]
fn ids_never_escape_the_output_folder() {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write("goals/2026-Q4/t/ok.md", objective("OK", "", 1, ""));
    repo.write(
        "goals/2026-Q4/t/evil.md",
        objective("Evil", "id = \"../../../../escaped/x\"", 1, ""),
    );
    repo.commit_all("plan", "2026-10-01T09:00:00Z");
    repo.goalpost(&["site", "--out", "deep/site"])
        .expect_code(0);
    let all: Vec<PathBuf> = walkdir(repo.path())
        .into_iter()
        .filter(|p| !p.starts_with(repo.path().join(".git")))
        .collect();
    assert!(
        all.iter().all(|p| !p.to_string_lossy().contains("escaped")),
        "{all:?}"
    );
    assert!(repo
        .path()
        .join("deep/site/objectives/2026-Q4/t/ok.html")
        .exists());
}

/// Every relative href and src in the site's HTML points at a file that exists.
fn broken_links(site: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for page in html_pages(site) {
        let text = std::fs::read_to_string(&page).unwrap();
        for attr in ["href=\"", "src=\""] {
            for rest in text.split(attr).skip(1) {
                let target = rest.split('"').next().unwrap_or_default();
                if target.starts_with("http")
                    || target.starts_with('#')
                    || target.starts_with("mailto:")
                    || target.is_empty()
                {
                    continue;
                }
                let resolved = page
                    .parent()
                    .unwrap()
                    .join(target.split('#').next().unwrap());
                if !resolved.exists() {
                    broken.push(format!("{} -> {target}", page.display()));
                }
            }
        }
    }
    broken
}

// The demo's site: every link resolves, and every page loads in Chromium without console errors.
#[test]
fn demo_site_loads_cleanly_in_the_browser() {
    let dir = TestRepo::empty();
    let run = dir.goalpost(&["demo", "--out", "demo"]);
    run.expect_code(0);
    let site = dir.path().join("demo/site");
    assert!(
        run.stdout
            .contains(&site.join("index.html").display().to_string()),
        "{}",
        run.stdout
    );
    assert_eq!(broken_links(&site), Vec::<String>::new());
    let pages = html_pages(&site);
    assert!(pages.len() >= 25, "{} pages", pages.len());
    let status = crate::support::git(&dir.path().join("demo"), &["status", "--porcelain"]);
    assert!(status.is_empty(), "the site stays out of git status");
    let Some(chrome) = browser::chromium() else {
        return;
    };
    for (page, shown) in browser::load_all(chrome, pages) {
        assert!(
            shown.console.is_empty(),
            "{}: {:?}",
            page.display(),
            shown.console
        );
        assert!(
            shown.dom.contains("<footer>"),
            "{}: did not render",
            page.display()
        );
    }
}

// A repository with KPIs and no objectives yet still gets its KPI pages and index.
#[test]
fn kpi_pages_built_without_any_objectives() {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(
        "kpis/nps.toml",
        "title = \"NPS\"\nowner = \"o\"\ndirection = \"up\"\nvalue = 30\ngreen = 40\nred = 20\n",
    );
    repo.commit_all("kpi", "2026-10-01T09:00:00Z");
    repo.goalpost(&["site", "--out", "site"]).expect_code(0);
    assert!(repo.read("site/index.html").contains("kpis/nps.html"));
    assert!(repo.read("site/kpis/nps.html").contains("NPS"));
    assert_eq!(
        broken_links(&repo.path().join("site")),
        Vec::<String>::new()
    );
}

// Counts of one take the singular: the pages said "over 1 ended periods", "1 objectives
// by status" and "1 days before the build" (every count goes through one helper now).
#[test]
fn site_counts_of_one_are_singular() {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write("goals/2026-Q3/team/old.md", objective("Old", "", 2, "Why."));
    repo.commit_all("plan Q3", "2026-07-01T09:00:00Z");
    repo.write("goals/2026-Q4/team/new.md", objective("New", "", 2, "Why."));
    repo.commit_all("plan Q4", "2026-10-01T09:00:00Z");
    repo.write("goals/2026-Q4/team/new.md", objective("New", "", 3, "Why."));
    repo.commit_all("check in", "2026-10-02T09:00:00Z");
    repo.write("notes.txt", "unrelated\n");
    repo.commit_all("notes", "2026-10-03T09:00:00Z");
    repo.goalpost(&["site", "--out", "site"]).expect_code(0);
    let index = repo.read("site/index.html");
    let teams = repo.read("site/teams.html");
    let page = repo.read("site/objectives/2026-Q4/team/new.html");
    assert!(teams.contains("over 1 ended period:"), "{teams}");
    assert!(index.contains("1 objective by status"), "{index}");
    assert!(page.contains("(1 day before the build)"), "{page}");
    for html in [&index, &teams, &page] {
        for wrong in ["1 ended periods", "1 objectives", "1 days", "1 values"] {
            assert!(!html.contains(&format!(" {wrong}")), "`{wrong}` in\n{html}");
        }
    }
}
