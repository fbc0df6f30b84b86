//! Authoring: init, new, checkin (format-preserving, atomic, committed alone), retro,
//! completions and the man page.

use crate::support::TestRepo;

// init creates a valid goal repository with hooks and schemas, and keeps existing files.
#[test]
fn init_creates_a_valid_repository() {
    let dir = TestRepo::empty();
    dir.write("goals-here/.pre-commit-config.yaml", "# mine\n");
    let run = dir.goalpost(&[
        "init",
        "goals-here",
        "--team",
        "platform",
        "--owner",
        "carol",
    ]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("kept     .pre-commit-config.yaml"),
        "{}",
        run.stdout
    );
    assert_eq!(dir.read("goals-here/.pre-commit-config.yaml"), "# mine\n");
    let root = dir.path().join("goals-here");
    for f in [
        "goalpost.toml",
        "CODEOWNERS",
        ".taplo.toml",
        "schemas/objective.json",
        "schemas/kpi.json",
        "schemas/goalpost.json",
        ".git/HEAD",
    ] {
        assert!(root.join(f).exists(), "{f}");
    }
    assert!(dir
        .read("goals-here/CODEOWNERS")
        .contains("/goals/*/platform/"));
    assert!(dir
        .read("goals-here/.taplo.toml")
        .contains("schemas/objective.json"));
    crate::support::run_in(&root, &["check"]).expect_code(0);
    let again = crate::support::run_in(&root, &["init"]);
    again.expect_code(2);
    assert!(
        again.stderr.contains("already has a goalpost.toml"),
        "{}",
        again.stderr
    );
}

// new objective / new kpi write files that pass check at once, never overwrite, and use a
// repository's own template when it has one.
#[test]
fn new_files_are_valid_and_never_overwrite() {
    let repo = TestRepo::new();
    repo.goalpost(&[
        "new",
        "objective",
        "platform/identity/sso",
        "--period",
        "2026-Q4",
        "--owner",
        "frank",
    ])
    .expect_code(0);
    repo.goalpost(&["new", "kpi", "uptime", "--owner", "bob"])
        .expect_code(0);
    let check = repo.goalpost(&["check"]);
    check.expect_code(0);
    assert!(check.stdout.contains("0 warnings"), "{}", check.stdout);
    let again = repo.goalpost(&[
        "new",
        "objective",
        "platform/identity/sso",
        "--period",
        "2026-Q4",
    ]);
    again.expect_code(2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    repo.write("templates/new/kpi.toml", "title = {{ title | toml }}\nowner = {{ owner | toml }}\ndirection = \"down\"\nvalue = 9\ngreen = 1\n# ours\n");
    repo.goalpost(&[
        "new",
        "kpi",
        "latency",
        "--owner",
        "o\"q",
        "--title",
        "Latency \\ p99",
    ])
    .expect_code(0);
    let text = repo.read("kpis/latency.toml");
    assert!(
        text.contains("# ours") && text.contains("owner = \"o\\\"q\""),
        "{text}"
    );
    repo.goalpost(&["check"]).expect_code(0);
    repo.goalpost(&["new", "objective", "../escape", "--period", "2026-Q4"])
        .expect_code(2);
    repo.goalpost(&["new", "objective", "t/x", "--period", "2026-Q9"])
        .expect_code(2);
}

const CRLF_OBJECTIVE: &str = "+++\r\ntitle = \"Fast\"   # keep me\r\nowner = \"ann\"\r\n\r\n[[key_results]]\r\nid      = \"p99\"\r\ntitle   = \"p99 from 450 to 200 ms\"\r\nstart   = 450\r\ntarget  = 200\r\ncurrent = 450     # last measured\r\n\r\n[[key_results]]\r\nid = \"runbooks\"\r\ntitle = \"Runbooks tested\"\r\ndone = false\r\n+++\r\n\r\nBody.\r\n";

// A check-in changes exactly the value's bytes: comments, alignment and CRLF survive.
#[test]
fn checkin_changes_only_the_value() {
    let repo = TestRepo::new();
    repo.write("goals/2026-Q4/t/fast.md", CRLF_OBJECTIVE);
    repo.goalpost(&["checkin", "t/fast#p99", "310.5"])
        .expect_code(0);
    assert_eq!(
        repo.read("goals/2026-Q4/t/fast.md"),
        CRLF_OBJECTIVE.replace("current = 450 ", "current = 310.5 ")
    );
    repo.goalpost(&["checkin", "2026-Q4/t/fast#runbooks", "done"])
        .expect_code(0);
    assert!(repo
        .read("goals/2026-Q4/t/fast.md")
        .contains("done = true\r\n"));
    let bad = repo.goalpost(&["checkin", "t/fast#p99", "fast"]);
    bad.expect_code(2);
    assert!(
        bad.stderr.contains("must be a number, not `fast`"),
        "{}",
        bad.stderr
    );
    let bad = repo.goalpost(&["checkin", "t/fast#runbooks", "7"]);
    bad.expect_code(2);
    assert!(bad.stderr.contains("milestone"), "{}", bad.stderr);
    repo.goalpost(&["checkin", "t/fast#nope", "1"])
        .expect_code(2);
    let leftovers: Vec<_> = std::fs::read_dir(repo.path().join("goals/2026-Q4/t"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");
}

// A dated check-in is appended to its key result, in the file's line endings, and becomes
// a point at its own date; --confidence adds the key.
#[test]
fn dated_checkin_and_confidence() {
    let repo = TestRepo::new();
    repo.write("goals/2026-Q4/t/fast.md", CRLF_OBJECTIVE);
    repo.goalpost(&[
        "checkin",
        "t/fast#p99",
        "400",
        "--date",
        "2026-10-20",
        "--note",
        "cache \"warm\"",
        "--confidence",
        "0.6",
    ])
    .expect_code(0);
    let text = repo.read("goals/2026-Q4/t/fast.md");
    assert!(
        text.contains("current = 450     # last measured\r\nconfidence = 0.6\r\n"),
        "{text}"
    );
    assert!(text.contains("\r\n[[key_results.checkins]]\r\ndate = 2026-10-20\r\nvalue = 400\r\nnote = \"cache \\\"warm\\\"\"\r\n\r\n[[key_results]]\r\nid = \"runbooks\""), "{text}");
    let json = repo.goalpost(&["check", "--format", "json"]).json();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 0, "{json}");
}

// --commit commits only the edited file, with a conventional message, and leaves the
// user's other staged changes staged.
#[test]
fn checkin_commit_takes_only_its_file() {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write("goals/2026-Q4/t/fast.md", CRLF_OBJECTIVE);
    repo.commit_all("plan", "2026-10-01T09:00:00Z");
    repo.write("notes.txt", "staged work in progress\n");
    repo.git(&["add", "notes.txt"]);
    repo.git(&["config", "user.name", "Ann Example"]);
    repo.git(&["config", "user.email", "ann@example.test"]);
    repo.goalpost(&[
        "checkin",
        "t/fast#p99",
        "300",
        "--note",
        "cache rollout",
        "--commit",
    ])
    .expect_code(0);
    let log = repo.git(&["log", "-1", "--format=%an|%s|%b", "--name-only"]);
    assert!(
        log.starts_with(
            // git's own precedence: the test's GIT_AUTHOR_NAME wins over user.name.
            "Test Author|chore(goals): check in 2026-Q4/t/fast#p99 = 300|cache rollout"
        ),
        "{log}"
    );
    assert!(
        log.contains("goals/2026-Q4/t/fast.md") && !log.contains("notes.txt"),
        "{log}"
    );
    let status = repo.git(&["status", "--porcelain"]);
    assert_eq!(status, "A  notes.txt\n");
}

// retro: scores, committed vs aspirational, the goalpost move, cadence and hints.
#[test]
fn retro_report() {
    let repo = TestRepo::new();
    repo.init_git();
    let obj = |target: u32, current: u32| {
        format!("+++\ntitle = \"Ship\"\nowner = \"ann\"\nkind = \"committed\"\n[[key_results]]\nid = \"k\"\ntitle = \"K\"\nstart = 0\ntarget = {target}\ncurrent = {current}\n+++\n")
    };
    repo.write("goals/2026-Q3/t/a.md", obj(10, 0));
    repo.commit_all("plan", "2026-06-28T09:00:00Z");
    repo.write("goals/2026-Q3/t/a.md", obj(10, 4));
    repo.commit_all("checkin", "2026-07-20T09:00:00Z");
    repo.write("goals/2026-Q3/t/a.md", obj(8, 6));
    repo.commit_all("relax", "2026-08-20T09:00:00Z");
    let run = repo.goalpost(&["retro", "--period", "2026-Q3", "--as-of", "2026-10-02"]);
    run.expect_code(0);
    let md = &run.stdout;
    assert!(md.starts_with("# Retrospective: 2026-Q3"), "{md}");
    assert!(md.contains("| committed | 1 | 0 | 0.75 | 1.0 |"), "{md}");
    assert!(
        md.contains("| `2026-Q3/t/a#k` | target 10 → 8 | **easier** | 2026-08-20 |"),
        "{md}"
    );
    assert!(md.contains("| t | 1 | 2 |"), "two check-ins: {md}");
    assert!(md.contains("**committed-missed**"), "{md}");
}

// Shell completions and the man page are generated from the command definitions.
#[test]
fn completions_and_man() {
    let dir = TestRepo::empty();
    let bash = dir.goalpost(&["completions", "bash"]);
    bash.expect_code(0);
    assert!(
        bash.stdout.contains("checkin") && bash.stdout.contains("_goalpost"),
        "bash"
    );
    dir.goalpost(&["completions", "zsh"]).expect_code(0);
    let man = dir.goalpost(&["man"]);
    man.expect_code(0);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH goalpost"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
}

// The weekly check-in of a rolled-over objective names it without its period: the one in
// the period containing today is meant. Without that, the owner had to pass --period every
// week; with it, an old quarter's file must still never be picked by accident.
#[test]
fn weekly_checkin_of_rolled_over_kr_lands_in_current_period_not_an_old_one() {
    let repo = TestRepo::new();
    repo.write(
        "goalpost.toml",
        "[[periods]]\nname = \"old\"\nstart = 2001-01-01\nend = 2001-12-31\n\n\
         [[periods]]\nname = \"older\"\nstart = 2000-01-01\nend = 2000-12-31\n\n\
         [[periods]]\nname = \"now\"\nstart = 2002-01-01\nend = 2999-12-31\n",
    );
    for period in ["old", "now"] {
        repo.write(&format!("goals/{period}/t/fast.md"), CRLF_OBJECTIVE);
    }
    repo.goalpost(&["checkin", "t/fast#p99", "300"])
        .expect_code(0);
    assert!(repo.read("goals/now/t/fast.md").contains("current = 300 "));
    assert_eq!(repo.read("goals/old/t/fast.md"), CRLF_OBJECTIVE);

    // Two periods, neither current: still ambiguous, and nothing is written.
    std::fs::rename(
        repo.path().join("goals/now"),
        repo.path().join("goals/older"),
    )
    .unwrap();
    let run = repo.goalpost(&["checkin", "t/fast#p99", "290"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("exists in several periods"),
        "{}",
        run.stderr
    );
    assert!(!repo.read("goals/older/t/fast.md").contains("290"));
}

// A value beyond ±1e15 is a number: the error says the bound, not "must be a number".
#[test]
fn out_of_range_checkin_names_the_bound_instead_of_calling_it_not_a_number() {
    let repo = TestRepo::new();
    repo.write("goals/2026-Q4/t/fast.md", CRLF_OBJECTIVE);
    let run = repo.goalpost(&["checkin", "t/fast#p99", "2e15"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("between -1e15 and 1e15, not `2e15`"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.read("goals/2026-Q4/t/fast.md"), CRLF_OBJECTIVE);
}

// A late measurement for last quarter, dated in last quarter, went into this quarter's
// file: the dated check-in's own date decides which period an unqualified id means.
#[test]
fn dated_checkin_of_rolled_over_kr_lands_in_the_period_of_its_date() {
    let repo = TestRepo::new();
    repo.write(
        "goalpost.toml",
        "[[periods]]\nname = \"old\"\nstart = 2001-01-01\nend = 2001-12-31\n\n\
         [[periods]]\nname = \"now\"\nstart = 2002-01-01\nend = 2999-12-31\n",
    );
    for period in ["old", "now"] {
        repo.write(&format!("goals/{period}/t/fast.md"), CRLF_OBJECTIVE);
    }
    repo.goalpost(&["checkin", "t/fast#p99", "300", "--date", "2001-12-30"])
        .expect_code(0);
    assert!(repo.read("goals/old/t/fast.md").contains("2001-12-30"));
    assert_eq!(repo.read("goals/now/t/fast.md"), CRLF_OBJECTIVE);
}
