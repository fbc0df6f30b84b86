//! Test support: hermetic git repositories with fixed signatures and dates, and a runner
//! for the goalpost binary that ignores the developer's own git configuration.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Environment that isolates git from the machine's global and system configuration.
fn isolate(cmd: &mut Command, home: &Path) {
    cmd.env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.test")
        .env("GIT_COMMITTER_NAME", "Test Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.test")
        .env("NO_COLOR", "1")
        .env("TZ", "UTC");
}

/// A goal repository in a temporary folder.
pub struct TestRepo {
    dir: tempfile::TempDir,
}

impl TestRepo {
    /// An empty folder (no git, no goalpost.toml).
    pub fn empty() -> Self {
        TestRepo {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// A goal root with a default goalpost.toml, not yet a git repository.
    pub fn new() -> Self {
        let repo = Self::empty();
        repo.write("goalpost.toml", "[site]\ntitle = \"Test goals\"\n");
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, content).expect("write");
        path
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).expect("read")
    }

    /// Runs git in the repository with fixed identities; panics on failure.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_at(args, "2026-10-01T12:00:00Z")
    }

    /// Runs git with author and committer dates set to `date` (RFC 3339).
    pub fn git_at(&self, args: &[&str], date: &str) -> String {
        let mut cmd = Command::new("git");
        cmd.args(args).current_dir(self.path());
        isolate(&mut cmd, self.path());
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

    /// `git init` with `main` as the default branch.
    pub fn init_git(&self) {
        self.git(&["init", "-q", "-b", "main"]);
    }

    /// Stages everything and commits at `date`.
    pub fn commit_all(&self, message: &str, date: &str) {
        self.git_at(&["add", "-A"], date);
        self.git_at(&["commit", "-q", "-m", message], date);
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

/// A valid objective file with two metric key results.
pub fn objective(title: &str, extra: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nowner = \"alice\"\n{extra}\n[[key_results]]\nid = \"a\"\ntitle = \"A from 0 to 10\"\nstart = 0\ntarget = 10\ncurrent = 4\n\n[[key_results]]\nid = \"b\"\ntitle = \"B from 10 to 0\"\nstart = 10\ntarget = 0\ncurrent = 10\n+++\n\nWhy it matters.\n"
    )
}
