//! Unit tests of the goalpost-move rule.

use super::*;
use crate::load::{load, SourceFile};

fn objective(text: &str) -> Objective {
    let files = vec![SourceFile {
        path: "goals/2026-Q4/t/a.md".into(),
        bytes: text.as_bytes().to_vec(),
    }];
    load(None, files).goals.objectives.remove(0)
}

fn kr(start: u32, target: u32, current: u32, extra: &str) -> String {
    format!("[[key_results]]\nid = \"k\"\ntitle = \"K\"\n{extra}start = {start}\ntarget = {target}\ncurrent = {current}\n")
}

fn file(krs: &str) -> String {
    format!("+++\ntitle = \"A\"\nowner = \"o\"\n{krs}+++\n")
}

fn ctx() -> MoveContext {
    MoveContext {
        period_start: Timestamp::UNIX_EPOCH,
        at: Timestamp::UNIX_EPOCH,
        success: 0.7,
        objectives_in_period: 2,
    }
}

fn moves(old: &str, new: &str) -> Vec<Change> {
    let (o, n) = (objective(old), objective(new));
    let mut changes = crate::model::changes::objective_changes(Some(&o), Some(&n));
    flag_objective_moves(&mut changes, &o, &n, &ctx());
    changes.into_iter().filter(|c| c.goalpost_move).collect()
}

// Lowering a baseline below the current value raises the score: easier, with its effect.
#[test]
fn lower_baseline_is_easier() {
    let m = moves(&file(&kr(30, 45, 35, "")), &file(&kr(20, 45, 35, "")));
    assert_eq!(m.len(), 1);
    assert!(m[0].easier);
    assert_eq!(m[0].effect, 0.2667);
    assert_eq!(m[0].period_effect, 0.1333);
    let m = moves(&file(&kr(30, 45, 35, "")), &file(&kr(32, 45, 35, "")));
    assert!(!m[0].easier && m[0].effect < 0.0);
}

// A key result renamed (same title, unit and start) keeps its identity: the rename and the
// relaxed target are two moves, not a removal and an addition.
#[test]
fn rename_is_one_identity() {
    let old = file(&kr(0, 100, 38, ""));
    let new = file(&kr(0, 54, 38, "").replace("id = \"k\"", "id = \"k2\""));
    let m = moves(&old, &new);
    let fields: Vec<_> = m.iter().map(|c| c.field.as_deref().unwrap_or("")).collect();
    assert_eq!(fields, ["id", "target"]);
    assert!(m[1].easier && m[1].effect > 0.3);
}

// Similarity pairs a moved objective with its old self, and only a unique best match.
#[test]
fn moved_objective_matches_by_similarity() {
    let a = objective(&file(&kr(0, 100, 38, "")));
    let b = objective(&file(&kr(0, 60, 38, "")));
    assert!(similarity(&a, &b) >= MOVE_SIMILARITY);
    assert_eq!(match_moves(&[&a], &[&b]), vec![(0, 0)]);
    assert!(match_moves(&[&a, &a], &[&b]).is_empty());
}

// A check-in landed after the period ended rewrites its result; one before does not, and a
// target change is a goalpost move, not a rewritten result.
#[test]
fn late_measured_values_rewrite_a_closed_result() {
    let end: Timestamp = "2026-10-01T00:00:00Z".parse().unwrap();
    let (before, after) = (
        "2026-09-30T12:00:00Z".parse().unwrap(),
        "2026-10-02T12:00:00Z".parse().unwrap(),
    );
    let value = |field: &str| {
        let n = Some(FieldValue::Number(1.0));
        Change::field("2026-Q3/t/a#k", field, n.clone(), n)
    };
    assert!(rewrites_closed_result(&value("current"), end, after));
    assert!(rewrites_closed_result(&value("done"), end, after));
    assert!(!rewrites_closed_result(&value("current"), end, before));
    // Confidence feeds no score; a target change is a goalpost move, flagged as one.
    assert!(!rewrites_closed_result(&value("confidence"), end, after));
    let mut moved = value("target");
    moved.goalpost_move = true;
    assert!(!rewrites_closed_result(&moved, end, after));
    let objective_field = Change::field("2026-Q3/t/a", "title", None, None);
    assert!(!rewrites_closed_result(&objective_field, end, after));
    // Deleting a missed objective of a closed period raises its hit rate.
    let removed = Change::new(ChangeKind::ObjectiveRemoved, "2026-Q3/t/a");
    assert!(rewrites_closed_result(&removed, end, after));
    assert!(!rewrites_closed_result(&removed, end, before));
}

// A pull request that moved `[site] timezone` west pushed every period's end later (and
// could slip a late check-in under it) without any flag: it is a config move now.
#[test]
fn timezone_change_is_a_config_move_easier_when_boundaries_move_later() {
    let utc = Config::default();
    let west = Config {
        timezone: Some("Etc/GMT+12".into()),
        ..Config::default()
    };
    let at: Timestamp = "2026-12-31T18:00:00Z".parse().unwrap();
    let mut changes = config_changes(&utc, &west);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].field.as_deref(), Some("site.timezone"));
    flag_config_moves(&mut changes, &utc, at, true);
    assert!(changes[0].goalpost_move && changes[0].easier);
    let mut back = config_changes(&west, &utc);
    flag_config_moves(&mut back, &west, at, true);
    assert!(back[0].goalpost_move && !back[0].easier);
    let mut before_any_period = config_changes(&utc, &west);
    flag_config_moves(&mut before_any_period, &utc, at, false);
    assert!(!before_any_period[0].goalpost_move);
}
