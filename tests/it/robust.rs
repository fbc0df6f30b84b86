//! Robustness: no input makes the loader or the checks panic.

use goalpost::load::{self, SourceFile};
use proptest::prelude::*;

/// Fragments that make up goal files, so random files get past the first parser step often.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("+++\n".to_string()),
        Just("title = \"t\"\n".to_string()),
        Just("owner = \"o\"\n".to_string()),
        Just("parent = \"2026-Q4/t/b\"\n".to_string()),
        Just("parent = \"t/a\"\n".to_string()),
        Just("id = \"t/a\"\n".to_string()),
        Just("[[key_results]]\n".to_string()),
        Just("[[key_results.checkins]]\ndate = 2026-10-01\nvalue = 3\n".to_string()),
        Just("id = \"k\"\n".to_string()),
        Just("start = 1\ntarget = 1\ncurrent = 1e400\n".to_string()),
        Just("done = true\n".to_string()),
        Just("weight = -1\nconfidence = nan\n".to_string()),
        Just("é\u{0}\r\n".to_string()),
        Just("\"".to_string()),
        Just("[".to_string()),
        "[ -~]{0,12}".prop_map(|s| s),
    ]
}

fn file() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..24).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    // Random objective, KPI and configuration files load and check without panicking.
    #[test]
    fn loading_never_panics(a in file(), b in file(), kpi in file(), config in file(), cut in 0usize..64) {
        let mut bytes = b.clone().into_bytes();
        bytes.truncate(bytes.len().saturating_sub(cut)); // cut inside a multi-byte character too
        let files = vec![
            SourceFile { path: "goals/2026-Q4/t/a.md".into(), bytes: a.into_bytes() },
            SourceFile { path: "goals/2026-Q4/t/b.md".into(), bytes },
            SourceFile { path: "goals/2026-Q4/t/c.toml".into(), bytes: b.into_bytes() },
            SourceFile { path: "kpis/k.toml".into(), bytes: kpi.into_bytes() },
        ];
        let mut loaded = load::load(Some(config.as_bytes()), files);
        goalpost::check::run(&mut loaded);
        let _ = goalpost::report::diagnostics::text(&loaded.diagnostics, &loaded.sources, true);
        for d in &loaded.diagnostics {
            prop_assert!(d.line >= 1 && d.column >= 1);
        }
    }
}

/// One key result's lines, with random spacing, comments and number formats.
fn kr_block(id: usize, pad: usize, comment: bool, current: i64, eol: &'static str) -> String {
    let sp = " ".repeat(pad);
    let note = if comment { "  # measured weekly" } else { "" };
    format!("[[key_results]]{eol}id{sp} = \"k{id}\"{eol}title = \"K{id} from 0 to 1000\"{eol}start{sp}= 0{eol}target = 1_000{eol}current{sp} = {current}{note}{eol}{eol}")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    // A check-in changes exactly one line, and the file re-parses to the same objective but
    // for the one value.
    #[test]
    fn checkin_changes_exactly_one_line(
        blocks in prop::collection::vec((0usize..4, any::<bool>(), -5000i64..5000), 1..5),
        crlf in any::<bool>(),
        pick in 0usize..5,
        value in -1.0e6f64..1.0e6,
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("+++{eol}title = \"T\"  # title{eol}owner = \"o\"{eol}{eol}");
        for (i, (pad, comment, current)) in blocks.iter().enumerate() {
            text.push_str(&kr_block(i, *pad, *comment, *current, eol));
        }
        text.push_str(&format!("+++{eol}{eol}Body{eol}"));
        let path = "goals/2026-Q4/t/o.md";
        let loaded = load::load(None, vec![SourceFile { path: path.into(), bytes: text.clone().into_bytes() }]);
        prop_assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let target = pick % blocks.len();
        let value = (value * 100.0).round() / 100.0;
        let req = goalpost::app::checkin::CheckinRequest { id: format!("t/o#k{target}"), value: Some(value.to_string()), ..Default::default() };
        let today = jiff::civil::date(2026, 11, 1);
        let edit = goalpost::app::checkin::plan(&loaded, &[(0, req)], today).expect("plan").remove(0);
        let (old_lines, new_lines): (Vec<&str>, Vec<&str>) = (text.split('\n').collect(), edit.new.split('\n').collect());
        prop_assert_eq!(old_lines.len(), new_lines.len());
        let changed: Vec<usize> = (0..old_lines.len()).filter(|i| old_lines[*i] != new_lines[*i]).collect();
        prop_assert_eq!(changed.len(), 1);
        let reloaded = load::load(None, vec![SourceFile { path: path.into(), bytes: edit.new.into_bytes() }]);
        let (before, after) = (&loaded.goals.objectives[0], &reloaded.goals.objectives[0]);
        prop_assert_eq!(&before.title, &after.title);
        for (b, a) in before.key_results.iter().zip(&after.key_results) {
            match (&b.measure, &a.measure) {
                (goalpost::model::Measure::Metric { start: s1, target: t1, current: c1 }, goalpost::model::Measure::Metric { start: s2, target: t2, current: c2 }) => {
                    prop_assert_eq!((s1, t1), (s2, t2));
                    if a.id == format!("k{target}") {
                        prop_assert_eq!(*c2, value);
                    } else {
                        prop_assert_eq!(c1, c2);
                    }
                }
                _ => prop_assert!(false, "measure kind changed"),
            }
        }
    }
}

/// Numbers at and beyond every edge: the loader's bound, f64's range, zero, subnormals,
/// and the non-finite literals TOML allows.
fn hostile_number() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1e308".to_string()),
        Just("-1e308".to_string()),
        Just("1.7976931348623157e308".to_string()),
        Just("1e15".to_string()),
        Just("-1e15".to_string()),
        Just("1e16".to_string()),
        Just("0".to_string()),
        Just("-0.0".to_string()),
        Just("5e-324".to_string()),
        Just("1e-300".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("nan".to_string()),
        Just("9223372036854775807".to_string()),
        (-1.0e6f64..1.0e6).prop_map(|f| format!("{f:?}")),
    ]
}

fn hostile_date() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("0001-01-01"),
        Just("9999-12-31"),
        Just("1970-01-01"),
        Just("2026-10-05"),
        Just("2026-02-29"),
    ]
}

/// `inf`, `NaN` and friends as whole words (not inside words such as "info").
fn non_finite_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| matches!(w.to_ascii_lowercase().as_str(), "inf" | "nan" | "infinity"))
        .map(str::to_string)
        .collect()
}

/// Every figure key of a JSON report holds a number: serde_json writes a non-finite one as
/// `null`, which would hide it.
fn null_figures(v: &serde_json::Value, found: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, x) in map {
                let figure = matches!(
                    k.as_str(),
                    "score" | "progress" | "expected" | "forecast" | "value" | "elapsed" | "weight"
                );
                if figure && x.is_null() && k != "value" {
                    found.push(k.clone());
                }
                null_figures(x, found);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|x| null_figures(x, found)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    // Hostile but valid TOML (numbers at ±1e308, 0, subnormals, inf, nan; odd dates) never
    // panics a command and never puts `inf` or `NaN` in JSON, text, Markdown or SVG.
    #[test]
    fn hostile_numbers_never_reach_any_output_as_inf_or_nan(
        n in prop::collection::vec(hostile_number(), 7),
        date in hostile_date(),
    ) {
        let repo = crate::support::TestRepo::new();
        let objective = format!(
            "+++\ntitle = \"T\"\nowner = \"o\"\n[[key_results]]\nid = \"k\"\ntitle = \"K\"\nstart = {}\ntarget = {}\ncurrent = {}\n[[key_results.checkins]]\ndate = {date}\nvalue = {}\n+++\n",
            n[0], n[1], n[2], n[3]
        );
        let kpi = format!("title = \"K\"\ndirection = \"up\"\nvalue = {}\ngreen = {}\nred = {}\n", n[4], n[5], n[6]);
        repo.write("goals/2026-Q4/t/a.md", &objective);
        repo.write("goals/2026-Q3/t/a.md", &objective);
        repo.write("kpis/k.toml", &kpi);
        repo.init_git();
        repo.commit_all("first", "2026-10-02T12:00:00Z");
        repo.write("kpis/k.toml", kpi.replace("value =", "value = 1\nunit = \"u\"\n#"));
        repo.commit_all("second", "2026-10-20T12:00:00Z");
        let site = repo.path().join("public");
        let runs: Vec<Vec<&str>> = vec![
            vec!["check", "--format", "json"],
            vec!["check"],
            vec!["status", "--period", "2026-Q4", "--as-of", "2026-11-01"],
            vec!["status", "--period", "2026-Q4", "--as-of", "2026-11-01", "--format", "json"],
            vec!["log", "--format", "json"],
            vec!["history", "2026-Q4/t/a#k"],
            vec!["history", "k", "--format", "json"],
            vec!["compare", "2026-Q3", "2026-Q4", "--format", "markdown"],
            vec!["compare", "2026-Q3", "2026-Q4", "--format", "json"],
            vec!["retro", "--period", "2026-Q4"],
            vec!["review", "--base", "HEAD~1"],
            vec!["site", "--out", site.to_str().unwrap()],
        ];
        for args in runs {
            let run = repo.goalpost(&args);
            prop_assert!(run.code <= 2, "{args:?} crashed: {}", run.stderr);
            prop_assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
            // `check` quotes the file's own lines, literals such as `inf` included.
            let words = if args[0] == "check" { Vec::new() } else { non_finite_words(&format!("{}{}", run.stdout, run.stderr)) };
            prop_assert!(words.is_empty(), "{args:?}: {words:?}\n{}", run.stdout);
            if args.contains(&"json") && run.code == 0 {
                let mut nulls = Vec::new();
                null_figures(&run.json(), &mut nulls);
                prop_assert!(nulls.is_empty(), "{args:?}: null figures {nulls:?}");
            }
        }
        for page in ["index.html", "periods/2026-Q4.html", "kpis/k.html"] {
            if let Ok(html) = std::fs::read_to_string(site.join(page)) {
                let words = non_finite_words(&html);
                prop_assert!(words.is_empty(), "{page}: {words:?}");
            }
        }
    }
}
