//! The commit-graph changes nothing but speed: history output is byte-identical with no
//! graph, a single graph (Bloom hash versions 1 and 2), a split chain, a graph older than
//! HEAD, and a corrupt graph; with merges, a moved goal folder and a goal-root prefix.

use crate::support::{objective, TestRepo};

/// Builds a history below the goal root `prefix` ("" or "okr/"): check-ins, unrelated
/// commits, a merged feature branch that changes goals, a config change that moves the goal
/// folder, and (below a prefix) the goal root removed and brought back.
pub(crate) fn history(repo: &TestRepo, prefix: &str) {
    let at = |rel: &str| format!("{prefix}{rel}");
    let mut day = 0;
    let mut commit = |message: &str| {
        day += 1;
        repo.commit_all(message, &format!("2026-10-{:02}T09:00:00Z", day.min(28)));
    };
    repo.write(&at("goalpost.toml"), "[site]\ntitle = \"G\"\n");
    repo.write(&at("goals/2026-Q4/t/a.md"), objective("A", ""));
    repo.write(
        &at("kpis/up.toml"),
        "title = \"Up\"\nunit = \"%\"\nvalue = 1\n",
    );
    commit("plan");
    for i in 0..6 {
        repo.write(&format!("src/file{i}.rs"), format!("// {i}\n"));
        commit("code");
        let text = objective("A", "").replace("current = 4", &format!("current = {}", 5 + i));
        repo.write(&at("goals/2026-Q4/t/a.md"), text);
        commit("check in a");
    }
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(&at("goals/2026-Q4/t/b.md"), objective("B", ""));
    commit("add b on a branch");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/main.rs", "fn main() {}\n");
    commit("code on main");
    crate::support::git_at(
        repo.path(),
        &["merge", "-q", "--no-ff", "-m", "merge feature", "feature"],
        "2026-10-20T09:00:00Z",
    );
    repo.write(
        &at("kpis/up.toml"),
        "title = \"Up\"\nunit = \"%\"\nvalue = 2\n",
    );
    commit("kpi");
    // Move the goal folder: the config says so in the same commit.
    repo.git(&["mv", &at("goals"), &at("objectives")]);
    repo.write(
        &at("goalpost.toml"),
        "[site]\ntitle = \"G\"\n[goals]\ndir = \"objectives\"\n",
    );
    commit("move goals");
    repo.write(&at("objectives/2026-Q4/t/b.md"), objective("B2", ""));
    commit("edit b");
    repo.write("README", "readme\n");
    commit("docs");
    if !prefix.is_empty() {
        repo.git(&["rm", "-rq", prefix.trim_end_matches('/')]);
        commit("remove the goal root");
        repo.git(&[
            "checkout",
            "-q",
            "HEAD~1",
            "--",
            prefix.trim_end_matches('/'),
        ]);
        commit("restore the goal root");
    }
}

/// The outputs that carry history, run in the goal root. `--no-cache`: each run walks the
/// history (read from the history index, they could not tell one walk from another).
pub(crate) fn outputs(repo: &TestRepo, prefix: &str) -> Vec<String> {
    let root = repo.path().join(prefix);
    [
        &["log", "--format", "json", "--no-cache"][..],
        &[
            "status",
            "--format",
            "json",
            "--as-of",
            "2026-12-31",
            "--no-cache",
        ],
        &["history", "t/b", "--format", "json", "--no-cache"],
    ]
    .iter()
    .map(|args| {
        let run = crate::support::run_in(&root, args);
        run.expect_code(0);
        run.stdout
    })
    .collect()
}

fn write_graph(repo: &TestRepo, extra: &[&str]) {
    let mut args = vec!["commit-graph", "write", "--reachable", "--changed-paths"];
    args.extend_from_slice(extra);
    repo.git(&args);
}

fn remove_graphs(repo: &TestRepo) {
    let info = repo.path().join(".git/objects/info");
    let _ = std::fs::remove_file(info.join("commit-graph"));
    let _ = std::fs::remove_dir_all(info.join("commit-graphs"));
}

fn check_identical(prefix: &str) {
    let repo = TestRepo::empty();
    repo.init_git();
    history(&repo, prefix);
    let plain = outputs(&repo, prefix);
    assert!(plain[0].contains("add b on a branch"), "{}", plain[0]);
    let same = |what: &str| assert_eq!(outputs(&repo, prefix), plain, "{what}");
    write_graph(&repo, &[]);
    same("graph with version 1 filters");
    repo.git(&[
        "-c",
        "commitGraph.changedPathsVersion=2",
        "commit-graph",
        "write",
        "--reachable",
        "--changed-paths",
    ]);
    same("graph with version 2 filters");
    remove_graphs(&repo);
    write_graph(&repo, &["--split=no-merge"]);
    same("split chain");
    // A graph older than HEAD: the new commits are read the old way.
    remove_graphs(&repo);
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["branch", "-q", "-D", "feature"]);
    repo.git(&["reset", "-q", "--hard", "HEAD~3"]);
    write_graph(&repo, &[]);
    repo.git(&["reset", "-q", "--hard", head.trim()]);
    same("graph of an older commit");
    // Corrupt: one byte flipped in the middle; the graph is refused and history read the old way.
    let file = repo.path().join(".git/objects/info/commit-graph");
    let mut bytes = std::fs::read(&file).expect("graph");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&file, &bytes).expect("write");
    same("corrupt graph");
    bytes.truncate(middle);
    std::fs::write(&file, &bytes).expect("write");
    same("truncated graph");
}

// History at the top of the work tree is the same with and without a commit-graph.
#[test]
fn commit_graph_changes_no_output() {
    check_identical("");
}

// Below a goal-root prefix too, including the goal root removed and restored.
#[test]
fn commit_graph_changes_no_output_below_a_prefix() {
    check_identical("okr/");
}
