//! Test support: the one test-repository builder (in-process, through the library's
//! `RepoWriter`, with fixed signatures and dates), the one objective-file builder, the one
//! isolated `git` runner for the tests that need the real binary, and the runner for the
//! goalpost binary. Nothing here reads the developer's git configuration or this
//! repository's history.

use goalpost::history::writer::{Person, RepoWriter};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The author and committer of every commit the builder makes, unless a test names another.
pub const AUTHOR: (&str, &str) = ("Test Author", "author@example.test");

/// Environment that isolates git (the binary, or goalpost's git2) from the machine's global
/// and system configuration, the caller's repository and the wall clock's time zone.
fn isolate(cmd: &mut Command, home: &Path) {
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR",
        "GIT_CEILING_DIRECTORIES",
        "GIT_NAMESPACE",
        "GIT_CONFIG",
        "GIT_CONFIG_PARAMETERS",
        "GIT_CONFIG_COUNT",
        "GIT_AUTHOR_DATE",
        "GIT_COMMITTER_DATE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", AUTHOR.0)
        .env("GIT_AUTHOR_EMAIL", AUTHOR.1)
        .env("GIT_COMMITTER_NAME", "Test Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.test")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("NO_COLOR", "1")
        .env("TZ", "UTC");
}

/// Runs the real `git` binary in `dir`, isolated (see `isolate`), with author and committer
/// dates fixed to `date` (RFC 3339, or git's `@<seconds> +0000`); panics on failure and
/// returns stdout. Only for what the in-process builder cannot do: clones, worktrees,
/// SHA-256 repositories, hooks, and checking what `git commit` itself made.
pub fn git_at(dir: &Path, args: &[&str], date: &str) -> String {
    let mut cmd = Command::new("git");
    cmd.args(args).current_dir(dir).stdin(Stdio::null());
    isolate(&mut cmd, dir);
    cmd.env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date);
    let out = cmd.output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `git_at` at the builder's default time.
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_at(dir, args, "2026-10-01T12:00:00Z")
}

/// Seconds since the epoch of an RFC 3339 time such as `2026-10-01T09:00:00Z`.
fn seconds(date: &str) -> i64 {
    date.parse::<jiff::Timestamp>()
        .unwrap_or_else(|e| panic!("test date {date:?}: {e}"))
        .as_second()
}

/// A goal repository in a temporary folder (removed on drop), or in a folder of another
/// test's (`at`).
pub struct TestRepo {
    root: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

impl TestRepo {
    /// An empty folder (no git, no goalpost.toml).
    pub fn empty() -> Self {
        let temp = tempfile::tempdir().expect("tempdir");
        TestRepo {
            root: temp.path().to_path_buf(),
            _temp: Some(temp),
        }
    }

    /// A builder for the existing folder `dir`, which it does not remove.
    pub fn at(dir: &Path) -> Self {
        TestRepo {
            root: dir.to_path_buf(),
            _temp: None,
        }
    }

    /// A goal root with a default goalpost.toml, not yet a git repository.
    pub fn new() -> Self {
        let repo = Self::empty();
        repo.write("goalpost.toml", "[site]\ntitle = \"Test goals\"\n");
        repo
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, content).expect("write");
        path
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).expect("read")
    }

    /// Moves a file or folder in the work tree; the next commit records the move.
    pub fn rename(&self, from: &str, to: &str) {
        let to = self.root.join(to);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::rename(self.root.join(from), to).expect("rename");
    }

    /// Makes the folder a git repository whose branch is `main` (in-process).
    pub fn init_git(&self) {
        RepoWriter::init(self.path()).expect("init repository");
    }

    fn writer(&self) -> RepoWriter {
        RepoWriter::open(self.path()).expect("open repository")
    }

    /// Commits the whole work tree (as `git add -A`) at `date` (RFC 3339) as `AUTHOR`.
    pub fn commit_all(&self, message: &str, date: &str) {
        self.commit_as(AUTHOR.0, AUTHOR.1, message, date);
    }

    /// Commits the whole work tree at `date` with `name <email>` as author and committer.
    pub fn commit_as(&self, name: &str, email: &str, message: &str, date: &str) {
        let person = Person {
            name: name.into(),
            email: email.into(),
        };
        self.writer()
            .commit_work_tree(&person, seconds(date), message)
            .expect("commit");
    }

    /// Makes branch `name` current (created at HEAD if new) and checks it out.
    pub fn switch(&self, name: &str) {
        self.writer().switch_branch(name).expect("switch branch");
    }

    /// Merges branch `name` into the current branch with a merge commit at `date`.
    pub fn merge(&self, name: &str, message: &str, date: &str) {
        self.merge_as(name, AUTHOR, message, date);
    }

    /// [`TestRepo::merge`] with `who` (name, email) as the merge commit's author.
    pub fn merge_as(&self, name: &str, who: (&str, &str), message: &str, date: &str) {
        let person = Person {
            name: who.0.into(),
            email: who.1.into(),
        };
        self.writer()
            .merge_branch(name, &person, seconds(date), message)
            .expect("merge");
    }

    /// Runs the real git binary here, isolated (see `git_at`).
    pub fn git(&self, args: &[&str]) -> String {
        git(self.path(), args)
    }

    /// The full id of a revision (read with the isolated git binary).
    pub fn rev(&self, spec: &str) -> String {
        self.git(&["rev-parse", spec]).trim().to_string()
    }

    /// Runs goalpost with `-C <repo>`.
    pub fn goalpost(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }
}

/// Runs the goalpost binary with `-C dir`, isolated from the user's git configuration.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = goalpost_command(dir, args);
    let out = cmd.output().expect("goalpost runs");
    Run::from(out)
}

pub fn goalpost_command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_goalpost"));
    cmd.arg("-C").arg(dir).args(args).stdin(Stdio::null());
    isolate(&mut cmd, dir);
    cmd
}

/// What a run printed and how it exited.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Self {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Asserts the exit code, showing the output when it differs.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// The one builder of objective files: front matter with the given key results, then an
/// optional body. Titles and values go in as TOML basic-string content, unescaped, so a test
/// can plant payloads.
pub struct Objective {
    title: String,
    owner: String,
    extra: String,
    key_results: Vec<String>,
    body: String,
}

impl Objective {
    /// An objective owned by `ann`, with no key results yet and no body.
    pub fn new(title: &str) -> Self {
        Objective {
            title: title.into(),
            owner: "ann".into(),
            extra: String::new(),
            key_results: Vec::new(),
            body: String::new(),
        }
    }

    pub fn owner(mut self, owner: &str) -> Self {
        self.owner = owner.into();
        self
    }

    /// More front-matter lines after `owner` (e.g. `parent = "t/x"`), as written.
    pub fn extra(mut self, lines: &str) -> Self {
        self.extra = lines.into();
        self
    }

    /// A metric key result from `start` to `target`, now at `current`.
    pub fn metric(self, id: &str, title: &str, start: f64, target: f64, current: f64) -> Self {
        self.metric_in(id, title, "", start, target, current)
    }

    /// A metric key result with a unit (none when `unit` is empty).
    pub fn metric_in(
        mut self,
        id: &str,
        title: &str,
        unit: &str,
        start: f64,
        target: f64,
        current: f64,
    ) -> Self {
        let unit = match unit {
            "" => String::new(),
            u => format!("unit = \"{u}\"\n"),
        };
        self.key_results.push(format!(
            "[[key_results]]\nid = \"{id}\"\ntitle = \"{title}\"\n{unit}start = {start}\ntarget = {target}\ncurrent = {current}\n"
        ));
        self
    }

    /// A milestone key result.
    pub fn milestone(mut self, id: &str, title: &str, done: bool) -> Self {
        self.key_results.push(format!(
            "[[key_results]]\nid = \"{id}\"\ntitle = \"{title}\"\ndone = {done}\n"
        ));
        self
    }

    /// Markdown after the front matter.
    pub fn body(mut self, body: &str) -> Self {
        self.body = body.into();
        self
    }
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "+++\ntitle = \"{}\"\nowner = \"{}\"\n{}\n{}+++\n",
            self.title,
            self.owner,
            self.extra,
            self.key_results.join("\n")
        )?;
        if !self.body.is_empty() {
            write!(f, "\n{}\n", self.body)?;
        }
        Ok(())
    }
}

/// A valid objective file owned by `alice` with two metric key results (`a` rising, `b`
/// falling) and a body.
pub fn objective(title: &str, extra: &str) -> String {
    Objective::new(title)
        .owner("alice")
        .extra(extra)
        .metric("a", "A from 0 to 10", 0.0, 10.0, 4.0)
        .metric("b", "B from 10 to 0", 10.0, 0.0, 10.0)
        .body("Why it matters.")
        .to_string()
}
