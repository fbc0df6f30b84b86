//! `compare`: one period against another: carried-over, new and dropped objectives, scores
//! side by side, hit rates per team, and calibration hints for the retrospective.

use super::escape::{markdown, terminal};
use super::pct;
use super::status::round4;
use super::status::Scores;
use crate::model::forecast::PeriodPhase;
use crate::model::period_score::achieved;
use crate::model::{objective_score, GoalSet, Objective, ObjectiveKind, PeriodScore};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveRow {
    pub id: String,
    pub title: String,
    pub team: String,
    pub kind: ObjectiveKind,
    pub score: f64,
    /// Committed: reached 1.0; aspirational: reached the success score.
    pub achieved: bool,
    /// The unrounded score, which the period figures are computed from.
    #[serde(skip)]
    pub exact_score: f64,
}

#[derive(Debug, Serialize)]
pub struct Carried {
    pub from: ObjectiveRow,
    pub to: ObjectiveRow,
    pub via: CarriedVia,
}

/// How an objective of the later period continues one of the earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CarriedVia {
    /// Its `carried_from` names the earlier objective.
    #[serde(rename = "carried_from")]
    CarriedFrom,
    /// It has the same id (team and slug) in the earlier period.
    #[serde(rename = "same id")]
    SameId,
}

impl CarriedVia {
    pub fn as_str(self) -> &'static str {
        match self {
            CarriedVia::CarriedFrom => "carried_from",
            CarriedVia::SameId => "same id",
        }
    }
}

/// The period score and hit rate of some objectives; both `null` without objectives (shown
/// as "—"). While the period runs the hit rate counts what already reached its goal.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TeamStats {
    pub objectives: usize,
    pub achieved: usize,
    pub hit_rate: Option<f64>,
    pub mean_score: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct TeamRow {
    pub team: String,
    pub a: Option<TeamStats>,
    pub b: Option<TeamStats>,
}

#[derive(Debug, Serialize)]
pub struct Hint {
    pub id: String,
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct CompareReport {
    pub a: String,
    pub b: String,
    /// Whether each period's figures are not final at the time compared (it has not ended):
    /// they are "so far".
    pub a_running: bool,
    pub b_running: bool,
    /// Where the time compared falls against each period: `not_started`, `running` or
    /// `ended` (a period not started yet has plans, no results).
    pub a_period_state: PeriodPhase,
    pub b_period_state: PeriodPhase,
    pub a_stats: TeamStats,
    pub b_stats: TeamStats,
    pub carried: Vec<Carried>,
    pub new: Vec<ObjectiveRow>,
    pub dropped: Vec<ObjectiveRow>,
    pub teams: Vec<TeamRow>,
    pub hints: Vec<Hint>,
}

/// An objective's row, scored as `status` scores it at the time compared (`scores`), or
/// from its file when the history does not know it then.
pub fn row(o: &Objective, scores: &Scores, success: f64) -> ObjectiveRow {
    let score = scores
        .get(&o.qualified_id())
        .copied()
        .unwrap_or_else(|| objective_score(&o.key_results));
    ObjectiveRow {
        id: o.qualified_id(),
        title: o.title.clone(),
        team: o.team.clone(),
        kind: o.kind,
        score: round4(score),
        achieved: achieved(score, o.kind, success),
        exact_score: score,
    }
}

/// The period score and hit rate of `rows` ([`PeriodScore`]); `None` for no rows.
pub fn stats(rows: &[&ObjectiveRow], success: f64) -> TeamStats {
    let s = PeriodScore::of(rows.iter().map(|r| (r.exact_score, r.kind)), success);
    TeamStats {
        objectives: s.objectives,
        achieved: s.achieved,
        hit_rate: s.hit_rate().map(round4),
        mean_score: s.score().map(round4),
    }
}

/// A score with two decimals, "—" when there is none.
pub fn score_or_dash(score: Option<f64>) -> String {
    score.map_or("—".into(), |s| format!("{s:.2}"))
}

/// A share as a percentage, "—" when there is none; "so far" while the period runs.
pub fn hit_rate_text(rate: Option<f64>, running: bool) -> String {
    match rate {
        None => "—".into(),
        Some(r) if running => format!("{} so far", pct(r)),
        Some(r) => pct(r),
    }
}

/// A team's figures in one period, the same in text and Markdown: hit rate ("so far"
/// while the period runs, like the period's own), achieved of all, and mean score.
fn team_cell(stats: &Option<TeamStats>, running: bool) -> String {
    stats.as_ref().map_or("—".to_string(), |s| {
        format!(
            "{} ({}/{}), mean {}",
            hit_rate_text(s.hit_rate, running),
            s.achieved,
            s.objectives,
            score_or_dash(s.mean_score)
        )
    })
}

/// Compares period `a` (earlier) with `b`, with the objectives' scores at the time
/// compared. `a_period_state`/`b_period_state`: where the time compared falls against each, so that
/// missed commitments are only called out once they are final.
pub fn build(
    goals: &GoalSet,
    scores: &Scores,
    (a, b): (&str, &str),
    success: f64,
    (a_period_state, b_period_state): (PeriodPhase, PeriodPhase),
) -> CompareReport {
    let in_period = |p: &str| -> Vec<&Objective> {
        goals.objectives.iter().filter(|o| o.period == p).collect()
    };
    let (objs_a, objs_b) = (in_period(a), in_period(b));
    let rows_a: BTreeMap<String, ObjectiveRow> = objs_a
        .iter()
        .map(|o| (o.qualified_id(), row(o, scores, success)))
        .collect();
    let rows_b: BTreeMap<String, ObjectiveRow> = objs_b
        .iter()
        .map(|o| (o.qualified_id(), row(o, scores, success)))
        .collect();
    let mut carried = Vec::new();
    let mut continued: BTreeSet<String> = BTreeSet::new();
    for o in &objs_b {
        let explicit = o
            .carried_from
            .as_ref()
            .filter(|f| rows_a.contains_key(*f))
            .map(|f| (f.clone(), CarriedVia::CarriedFrom));
        let same = Some(format!("{a}/{}", o.id))
            .filter(|f| rows_a.contains_key(f))
            .map(|f| (f, CarriedVia::SameId));
        if let Some((from, via)) = explicit.or(same) {
            continued.insert(from.clone());
            carried.push(Carried {
                from: rows_a[&from].clone(),
                to: rows_b[&o.qualified_id()].clone(),
                via,
            });
        }
    }
    let carried_to: BTreeSet<&String> = carried.iter().map(|c| &c.to.id).collect();
    let new = rows_b
        .values()
        .filter(|r| !carried_to.contains(&r.id))
        .cloned()
        .collect();
    let dropped = rows_a
        .values()
        .filter(|r| !continued.contains(&r.id))
        .cloned()
        .collect();
    let (a_over, b_over) = (
        a_period_state == PeriodPhase::Ended,
        b_period_state == PeriodPhase::Ended,
    );
    let teams = team_rows(&rows_a, &rows_b, success);
    let mut hints = Vec::new();
    calibration(&mut hints, goals, scores, &rows_a, success, a_over);
    calibration(&mut hints, goals, scores, &rows_b, success, b_over);
    team_hints(&mut hints, &teams, a, a_over);
    let all =
        |rows: &BTreeMap<String, ObjectiveRow>| stats(&rows.values().collect::<Vec<_>>(), success);
    CompareReport {
        a: a.into(),
        b: b.into(),
        a_running: a_period_state != PeriodPhase::Ended,
        b_running: b_period_state != PeriodPhase::Ended,
        a_period_state,
        b_period_state,
        a_stats: all(&rows_a),
        b_stats: all(&rows_b),
        carried,
        new,
        dropped,
        teams,
        hints,
    }
}

/// Calibration hints for one period on its own (for the retrospective).
pub fn hints_for(
    goals: &GoalSet,
    scores: &Scores,
    period: &str,
    success: f64,
    over: bool,
) -> Vec<Hint> {
    let rows: BTreeMap<String, ObjectiveRow> = goals
        .objectives
        .iter()
        .filter(|o| o.period == period)
        .map(|o| (o.qualified_id(), row(o, scores, success)))
        .collect();
    let mut hints = Vec::new();
    calibration(&mut hints, goals, scores, &rows, success, over);
    team_hints(
        &mut hints,
        &team_rows(&rows, &BTreeMap::new(), success),
        period,
        over,
    );
    hints
}

fn team_rows(
    a: &BTreeMap<String, ObjectiveRow>,
    b: &BTreeMap<String, ObjectiveRow>,
    success: f64,
) -> Vec<TeamRow> {
    let teams: BTreeSet<&String> = a.values().chain(b.values()).map(|r| &r.team).collect();
    let of = |rows: &BTreeMap<String, ObjectiveRow>, team: &str| {
        let mine: Vec<&ObjectiveRow> = rows.values().filter(|r| r.team == team).collect();
        (!mine.is_empty()).then(|| stats(&mine, success))
    };
    teams
        .into_iter()
        .map(|t| TeamRow {
            team: t.clone(),
            a: of(a, t),
            b: of(b, t),
        })
        .collect()
}

/// Sandbagging (aspirational at 1.0 twice running) and missed commitments.
fn calibration(
    hints: &mut Vec<Hint>,
    goals: &GoalSet,
    scores: &Scores,
    rows: &BTreeMap<String, ObjectiveRow>,
    success: f64,
    over: bool,
) {
    for r in rows.values() {
        let Some(o) = goals.objective(&r.id) else {
            continue;
        };
        let previous = o
            .carried_from
            .as_deref()
            .and_then(|p| goals.objective(p))
            .map(|p| row(p, scores, success));
        let aspirational_maxed = r.kind == ObjectiveKind::Aspirational && r.score >= 1.0;
        if aspirational_maxed
            && previous
                .as_ref()
                .is_some_and(|p| p.kind == ObjectiveKind::Aspirational && p.score >= 1.0)
        {
            hints.push(Hint {
                id: r.id.clone(),
                code: "sandbagged",
                message: format!("aspirational objective scored 1.0 again (as {} did): its targets look too safe; aim where about 0.7 is a good result", previous.map(|p| p.id).unwrap_or_default()),
            });
        }
        if over && r.kind == ObjectiveKind::Committed && r.score < 1.0 {
            hints.push(Hint {
                id: r.id.clone(),
                code: "committed-missed",
                message: format!("committed objective ended at {:.2}: a commitment below 1.0 needs a review of what blocked it", r.score),
            });
        }
    }
}

/// Teams whose aspirational objectives all hit 1.0, or all stayed far below the mark.
fn team_hints(hints: &mut Vec<Hint>, teams: &[TeamRow], period: &str, over: bool) {
    if !over {
        return;
    }
    for t in teams {
        let Some(s) = &t.a else { continue };
        let mean = s.mean_score.unwrap_or(0.0);
        if s.objectives >= 2 && mean >= 1.0 {
            hints.push(Hint {
                id: t.team.clone(),
                code: "team-too-easy",
                message: format!(
                    "every objective of team {} in {period} scored 1.0: set more ambitious targets",
                    t.team
                ),
            });
        } else if s.objectives >= 2 && mean < 0.3 {
            hints.push(Hint {
                id: t.team.clone(),
                code: "team-too-hard",
                message: format!(
                    "team {} averaged {:.2} in {period}: too many or too ambitious objectives?",
                    t.team, mean
                ),
            });
        }
    }
}

pub fn text(r: &CompareReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} → {}", terminal(&r.a), terminal(&r.b));
    let _ = writeln!(
        out,
        "  objectives {:>3} → {:<3}  mean score {} → {}  hit rate {} → {}",
        r.a_stats.objectives,
        r.b_stats.objectives,
        score_or_dash(r.a_stats.mean_score),
        score_or_dash(r.b_stats.mean_score),
        hit_rate_text(r.a_stats.hit_rate, r.a_running),
        hit_rate_text(r.b_stats.hit_rate, r.b_running)
    );
    for (name, phase) in [(&r.a, r.a_period_state), (&r.b, r.b_period_state)] {
        let note = match phase {
            PeriodPhase::Running => "is still running: its scores are not final",
            PeriodPhase::NotStarted => "has not started yet: its objectives are plans, not results",
            PeriodPhase::Ended => continue,
        };
        let _ = writeln!(out, "  {} {note}", terminal(name));
    }
    let _ = writeln!(out, "\nCarried over ({}):", r.carried.len());
    for c in &r.carried {
        let _ = writeln!(
            out,
            "  {:<40} {:.2} → {:.2}  {}  ({})",
            terminal(&c.to.id),
            c.from.score,
            c.to.score,
            terminal(&c.to.title),
            c.via.as_str()
        );
    }
    let _ = writeln!(out, "\nNew in {} ({}):", terminal(&r.b), r.new.len());
    for o in &r.new {
        let _ = writeln!(
            out,
            "  {:<40} {:.2}  {}",
            terminal(&o.id),
            o.score,
            terminal(&o.title)
        );
    }
    let _ = writeln!(
        out,
        "\nDropped after {} ({}):",
        terminal(&r.a),
        r.dropped.len()
    );
    for o in &r.dropped {
        let _ = writeln!(
            out,
            "  {:<40} {:.2}  {}",
            terminal(&o.id),
            o.score,
            terminal(&o.title)
        );
    }
    let _ = writeln!(out, "\nTeams (hit rate and mean score):");
    for t in &r.teams {
        let _ = writeln!(
            out,
            "  {:<24} {:<28} → {}",
            terminal(&t.team),
            team_cell(&t.a, r.a_running),
            team_cell(&t.b, r.b_running)
        );
    }
    if !r.hints.is_empty() {
        let _ = writeln!(out, "\nCalibration hints:");
        for h in &r.hints {
            let _ = writeln!(
                out,
                "  [{}] {}: {}",
                h.code,
                terminal(&h.id),
                terminal(&h.message)
            );
        }
    }
    out
}

pub fn markdown_report(r: &CompareReport) -> String {
    let mut out = format!("## {} → {}\n\n", markdown(&r.a), markdown(&r.b));
    let _ = writeln!(
        out,
        "| | {} | {} |\n|---|---|---|",
        markdown(&r.a),
        markdown(&r.b)
    );
    let _ = writeln!(
        out,
        "| objectives | {} | {} |",
        r.a_stats.objectives, r.b_stats.objectives
    );
    let _ = writeln!(
        out,
        "| mean score | {} | {} |",
        score_or_dash(r.a_stats.mean_score),
        score_or_dash(r.b_stats.mean_score)
    );
    let _ = writeln!(
        out,
        "| hit rate | {} | {} |\n",
        hit_rate_text(r.a_stats.hit_rate, r.a_running),
        hit_rate_text(r.b_stats.hit_rate, r.b_running)
    );
    let _ = writeln!(
        out,
        "### Carried over\n\n| objective | {} | {} |\n|---|---|---|",
        markdown(&r.a),
        markdown(&r.b)
    );
    for c in &r.carried {
        let _ = writeln!(
            out,
            "| {} | {:.2} | {:.2} |",
            markdown(&c.to.title),
            c.from.score,
            c.to.score
        );
    }
    for (title, rows) in [("New", &r.new), ("Dropped", &r.dropped)] {
        let _ = writeln!(out, "\n### {title}\n");
        for o in rows.iter() {
            let _ = writeln!(out, "- {} ({:.2})", markdown(&o.title), o.score);
        }
    }
    let _ = writeln!(
        out,
        "\n### Teams\n\n| team | {} | {} |\n|---|---|---|",
        markdown(&r.a),
        markdown(&r.b)
    );
    for t in &r.teams {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            markdown(&t.team),
            team_cell(&t.a, r.a_running),
            team_cell(&t.b, r.b_running)
        );
    }
    if !r.hints.is_empty() {
        out.push_str("\n### Calibration hints\n\n");
        for h in &r.hints {
            let _ = writeln!(out, "- **{}** {}", markdown(&h.id), markdown(&h.message));
        }
    }
    out
}

impl super::Render for CompareReport {
    fn text(&self, _style: super::Style) -> Option<String> {
        Some(text(self))
    }
    fn markdown(&self) -> Option<String> {
        Some(markdown_report(self))
    }
    super::serde_json_render!();
}
