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
