//! Commit-graphs written by the real `git commit-graph write`, read back and compared with
//! what git says of every commit; corrupt and truncated files must be refused, not trusted.

use super::{Answer, CommitGraph, Key};
use crate::history::git_cli::git_in;
use git2::Oid;
use std::fmt::Write as _;
use std::path::Path;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_in(dir).args(args).output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Paths the fixture's commits touch: goal folders, deep ones, and names with bytes >= 0x80.
const POOL: &[&str] = &[
    "goalpost.toml",
    "goals/t/a.md",
    "goals/t/b.md",
    "goals/u/c.md",
    "kpis/x.toml",
    "okr/goals/t/a.md",
    "okr/goalpost.toml",
    "src/deep/er/f.rs",
    "docs/é/ü.md",
    "README",
];

/// A fast-import file change: `path` gets `content`.
fn put(path: &str, content: &str) -> String {
    format!(
        "M 100644 inline {path}\ndata {}\n{content}\n",
        content.len()
    )
}

/// A fast-import stream of `commits` commits on `branch` (continuing from `from` when
/// given), each changing a few pool paths, plus a merge and an octopus merge, an empty
/// commit and one that changes 600 files (more than git's 512 per filter).
fn stream(branch: &str, from: Option<&str>, commits: usize, seed: u64) -> String {
    let mut s = String::new();
    let mut rng = seed;
    let mut next = || {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (rng >> 33) as usize
    };
    let mut t = 1_700_000_000 + seed as usize * 10_000_000;
    let mut commit =
        |s: &mut String, refname: &str, mark: usize, parents: &[String], body: &str| {
            t += 60;
            let _ = write!(
                s,
                "commit {refname}\nmark :{mark}\ncommitter C <c@x.test> {t} +0000\ndata 3\nmsg\n"
            );
            for (i, p) in parents.iter().enumerate() {
                let _ = writeln!(s, "{} {p}", if i == 0 { "from" } else { "merge" });
            }
            s.push_str(body);
            s.push('\n');
        };
    let base = seed as usize * 100_000;
    let mut last = from.map(str::to_string);
    for i in 1..=commits {
        let mark = base + i;
        let mut body = String::new();
        match i % 17 {
            5 => {} // an empty commit
            9 => {
                for f in 0..600 {
                    body.push_str(&put(&format!("bulk/{f}.txt"), &i.to_string()));
                }
            }
            _ => {
                for _ in 0..1 + next() % 3 {
                    let path = POOL[next() % POOL.len()];
                    if next() % 7 == 0 {
                        let _ = writeln!(body, "D {path}");
                    } else {
                        body.push_str(&put(path, &format!("{:05}", next() % 99_999)));
                    }
                }
            }
        }
        let parents: Vec<String> = last.iter().cloned().collect();
        commit(
            &mut s,
            &format!("refs/heads/{branch}"),
            mark,
            &parents,
            &body,
        );
        last = Some(format!(":{mark}"));
        // Every 20 commits: two side branches from here, merged back (2 parents, then 3).
        if i % 20 == 0 {
            let here = format!(":{mark}");
            let sides: Vec<String> = (1..=2)
                .map(|k| {
                    let side = base + 50_000 + i * 10 + k;
                    let body = put(&format!("goals/side{k}.md"), &i.to_string());
                    commit(
                        &mut s,
                        &format!("refs/heads/side{seed}"),
                        side,
                        std::slice::from_ref(&here),
                        &body,
                    );
                    format!(":{side}")
                })
                .collect();
            let merge = base + 80_000 + i;
            let mut parents = vec![here.clone(), sides[0].clone()];
            if i % 40 == 0 {
                parents.push(sides[1].clone());
            }
            commit(&mut s, &format!("refs/heads/{branch}"), merge, &parents, "");
            last = Some(format!(":{merge}"));
        }
    }
    s
}

/// Imports a stream into the repository at `dir`.
fn import(dir: &Path, stream: &str) {
    use std::io::Write as _;
    let mut child = git_in(dir)
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("fast-import");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream.as_bytes())
        .expect("stream");
    assert!(child.wait().expect("wait").success());
}

/// A fixture repository of `commits` main-line commits.
fn fixture(commits: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    import(dir.path(), &stream("main", None, commits, 1));
    dir
}

/// Every commit: id, root tree, parents, as git reports them.
fn commits(dir: &Path) -> Vec<(Oid, Oid, Vec<Oid>)> {
    let oid = |s: &str| Oid::from_str(s).expect("oid");
    git(dir, &["log", "--all", "--format=%H %T %P"])
        .lines()
        .map(|l| {
            let mut it = l.split_whitespace();
            let (c, t) = (oid(it.next().expect("c")), oid(it.next().expect("t")));
            (c, t, it.map(oid).collect())
        })
        .collect()
}

/// The paths a commit changed against its first parent (against nothing for a root),
/// and all their leading folders: what git puts in the filter.
fn changed(dir: &Path, commit: Oid, parent: Option<Oid>) -> Vec<String> {
    let (c, p) = (commit.to_string(), parent.map(|p| p.to_string()));
    let mut args = vec![
        "diff-tree",
        "-r",
        "-z",
        "--no-renames",
        "--name-only",
        "--no-commit-id",
    ];
    match &p {
        Some(p) => args.extend([p.as_str(), c.as_str()]),
        None => args.extend(["--root", c.as_str()]),
    }
    let mut out: Vec<String> = Vec::new();
    for path in git(dir, &args).split('\0').filter(|p| !p.is_empty()) {
        let mut at = path;
        out.push(at.to_string());
        while let Some((head, _)) = at.rsplit_once('/') {
            out.push(head.to_string());
            at = head;
        }
    }
    out
}

/// Checks the graph against git for every commit: position, id, tree, parents, and no
/// false negative in any filter. Returns how many filters ruled out an untouched path.
fn check_against_git(dir: &Path, graph: &CommitGraph) -> usize {
    let mut ruled_out = 0;
    let all = commits(dir);
    assert!(all.len() > 50);
    for (commit, tree, parents) in &all {
        let pos = graph
            .position(*commit)
            .expect("every commit is in the graph");
        assert_eq!(graph.oid(pos), Some(*commit));
        let record = graph.commit(pos).expect("sound record");
        assert_eq!(record.tree, *tree);
        let graph_parents: Vec<Oid> = graph
            .parents(pos)
            .expect("parents")
            .into_iter()
            .map(|p| graph.oid(p).expect("parent id"))
            .collect();
        assert_eq!(&graph_parents, parents, "parents of {commit}");
        assert_eq!(
            record.parent.and_then(|p| graph.oid(p)),
            parents.first().copied()
        );
        for path in changed(dir, *commit, parents.first().copied()) {
            let answer = graph.changed(pos, &[Key::new(&path)]);
            assert_eq!(answer, Answer::Maybe, "{path} changed in {commit}");
        }
        if graph.changed(pos, &[Key::new("never/touched")]) == Answer::Unchanged {
            ruled_out += 1;
        }
    }
    assert_eq!(
        graph.position(Oid::from_bytes(&[0xab; 20]).expect("oid")),
        None
    );
    ruled_out
}

// A single commit-graph file from git, filters of hash version 1 and 2, agrees with git
// on every commit's tree and parents (octopus merges included), and no filter misses a
// changed path or folder; the filters do rule out untouched paths.
#[test]
fn git_written_graph_agrees_with_git() {
    let repo = fixture(120);
    for version in ["1", "2"] {
        let setting = format!("commitGraph.changedPathsVersion={version}");
        git(
            repo.path(),
            &[
                "-c",
                &setting,
                "commit-graph",
                "write",
                "--reachable",
                "--changed-paths",
            ],
        );
        let graph = CommitGraph::open(&repo.path().join(".git/objects")).expect("graph opens");
        assert!(graph.has_filters());
        let ruled_out = check_against_git(repo.path(), &graph);
        assert!(
            ruled_out > 100,
            "filters ruled out only {ruled_out} commits"
        );
    }
}

// A split chain of two layers (`--split=no-merge`) is read layer by layer, base first.
#[test]
fn split_chain_is_read() {
    let repo = fixture(60);
    let split = [
        "commit-graph",
        "write",
        "--reachable",
        "--changed-paths",
        "--split=no-merge",
    ];
    git(repo.path(), &split);
    import(
        repo.path(),
        &stream("main", Some("refs/heads/main^0"), 60, 2),
    );
    git(repo.path(), &split);
    let chain = repo
        .path()
        .join(".git/objects/info/commit-graphs/commit-graph-chain");
    assert_eq!(
        std::fs::read_to_string(&chain)
            .expect("chain")
            .lines()
            .count(),
        2
    );
    let graph = CommitGraph::open(&repo.path().join(".git/objects")).expect("chain opens");
    assert_eq!(graph.layers.len(), 2);
    check_against_git(repo.path(), &graph);
}

/// Rewrites the trailing checksum so that a change gets past it to the other checks.
fn rehash(data: &mut [u8]) {
    use sha1::{Digest, Sha1};
    let end = data.len() - 20;
    let digest = Sha1::digest(&data[..end]);
    data[end..].copy_from_slice(&digest);
}

/// Queries everything a walk would ask of a graph; must not panic whatever the file.
fn exercise(graph: &CommitGraph, ids: &[Oid]) {
    let keys = [Key::new("goals"), Key::new("goalpost.toml")];
    for id in ids {
        if let Some(pos) = graph.position(*id) {
            let _ = (graph.oid(pos), graph.commit(pos), graph.parents(pos));
            let _ = graph.changed(pos, &keys);
        }
    }
    for pos in (0..graph.len().saturating_add(3)).step_by(7) {
        let _ = (graph.oid(pos), graph.commit(pos), graph.changed(pos, &keys));
    }
}

// A truncated file, or one with any byte changed, is refused (checksum, sizes), and a
// file whose checksum was rewritten after a change never makes a query panic.
#[test]
fn corrupt_graphs_are_refused_without_panic() {
    let repo = fixture(40);
    git(
        repo.path(),
        &["commit-graph", "write", "--reachable", "--changed-paths"],
    );
    let objects = repo.path().join(".git/objects");
    let file = objects.join("info/commit-graph");
    let good = std::fs::read(&file).expect("graph");
    let ids: Vec<Oid> = commits(repo.path()).into_iter().map(|c| c.0).collect();
    let open = |bytes: &[u8]| {
        std::fs::write(&file, bytes).expect("write");
        CommitGraph::open(&objects)
    };
    for len in (0..good.len()).step_by(97) {
        assert!(open(&good[..len]).is_none(), "truncated to {len}");
    }
    let mut rng = 7u64;
    for _ in 0..400 {
        rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1);
        let at = (rng >> 33) as usize % (good.len() - 20);
        let mut bad = good.clone();
        bad[at] ^= 1 << ((rng >> 20) % 8);
        assert!(open(&bad).is_none(), "flipped a bit at {at}");
        // Past the checksum: header, chunk table and fanout are checked, the rest bounded.
        rehash(&mut bad);
        if let Some(graph) = open(&bad) {
            exercise(&graph, &ids);
        }
    }
}

// A chain whose top layer is damaged still gives its sound base layer; a chain file
// naming no layer, or garbage, gives no graph.
#[test]
fn damaged_chain_keeps_its_sound_base() {
    let repo = fixture(30);
    let split = [
        "commit-graph",
        "write",
        "--reachable",
        "--changed-paths",
        "--split=no-merge",
    ];
    git(repo.path(), &split);
    import(
        repo.path(),
        &stream("main", Some("refs/heads/main^0"), 30, 2),
    );
    git(repo.path(), &split);
    let objects = repo.path().join(".git/objects");
    let dir = objects.join("info/commit-graphs");
    let chain = std::fs::read_to_string(dir.join("commit-graph-chain")).expect("chain");
    let top = chain.lines().nth(1).expect("two layers");
    let top_file = dir.join(format!("graph-{top}.graph"));
    let mut bytes = std::fs::read(&top_file).expect("top");
    bytes[100] ^= 0xff;
    std::fs::write(&top_file, &bytes).expect("write");
    let graph = CommitGraph::open(&objects).expect("base layer");
    assert_eq!(graph.layers.len(), 1);
    exercise(
        &graph,
        &commits(repo.path())
            .into_iter()
            .map(|c| c.0)
            .collect::<Vec<_>>(),
    );
    std::fs::write(dir.join("commit-graph-chain"), "not a hash\n").expect("write");
    assert!(CommitGraph::open(&objects).is_none());
}

// Regression: a linear history whose graph holds every first-parent commit, with commits
// made after the graph was written, was taken for a cycle and the whole graph dropped (the
// walk then read every commit, as if there were no graph).
#[test]
fn commits_after_a_linear_graph_keep_it_in_use() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path();
    git(path, &["init", "-q", "-b", "main"]);
    let commit = |n: usize| {
        let date = format!("{} +0000", 1_700_000_000 + n * 60);
        let out = git_in(path)
            .args(["-c", "user.name=C", "-c", "user.email=c@x.test"])
            .args(["commit", "-q", "--allow-empty", "-m", &format!("c{n}")])
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .expect("git commit");
        assert!(out.status.success());
    };
    (0..5).for_each(commit);
    git(
        path,
        &["commit-graph", "write", "--reachable", "--changed-paths"],
    );
    (5..7).for_each(commit);
    let repo = git2::Repository::open(path).expect("open");
    let graph = CommitGraph::open(&path.join(".git/objects")).expect("graph");
    let head = repo.head().expect("head").target().expect("oid");
    let mut objects = crate::history::objects::Objects::open(repo.commondir()).expect("objects");
    let none = std::collections::HashSet::new();
    let links = crate::history::walk_graph::chain(&mut objects, &graph, head, &none)
        .expect("reads")
        .expect("the graph serves the chain");
    let from_graph = links.iter().filter(|l| l.pos.is_some()).count();
    assert_eq!((links.len(), from_graph), (7, 5));
}
