//! Real headless Chromium (Debian's `chromium`): load a page from disk, return its DOM after
//! load and the console messages it logged.

use std::path::Path;
use std::process::Command;

/// The browser binary, or `None` when the developer opted out with GOALPOST_SKIP_BROWSER=1.
/// Without either, the test fails: CI installs chromium, and a silent skip would hide a gap.
pub fn chromium() -> Option<&'static str> {
    if std::env::var_os("GOALPOST_SKIP_BROWSER").is_some() {
        eprintln!("GOALPOST_SKIP_BROWSER is set: browser checks skipped");
        return None;
    }
    let found = Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "headless Chromium is needed (apt-get install chromium), or set GOALPOST_SKIP_BROWSER=1"
    );
    Some("chromium")
}

/// What a page showed.
pub struct Loaded {
    pub dom: String,
    pub console: Vec<String>,
}

/// Loads `page` in a fresh profile; console messages are read from Chromium's log.
pub fn load(browser: &str, page: &Path) -> Loaded {
    let profile = tempfile::tempdir().expect("profile dir");
    let url = format!("file://{}", page.display());
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", &url])
        .output()
        .expect("chromium runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    Loaded {
        dom: String::from_utf8_lossy(&out.stdout).into_owned(),
        console,
    }
}

/// Loads every page on two threads; returns (page, what it showed).
pub fn load_all(
    browser: &'static str,
    pages: Vec<std::path::PathBuf>,
) -> Vec<(std::path::PathBuf, Loaded)> {
    let half = pages.len().div_ceil(2);
    let (a, b) = pages.split_at(half);
    let run = |chunk: &[std::path::PathBuf]| {
        chunk
            .iter()
            .map(|p| (p.clone(), load(browser, p)))
            .collect::<Vec<_>>()
    };
    std::thread::scope(|s| {
        let other = s.spawn(|| run(b));
        let mut all = run(a);
        all.extend(other.join().expect("browser thread"));
        all
    })
}
