//! `retro`: the end-of-period retrospective in Markdown: scores, achieved and missed,
//! committed against aspirational, goalpost moves, check-in cadence per team, and
//! calibration hints.

use super::compare::{hints_for, hit_rate_text, row, score_or_dash, stats, ObjectiveRow};
use super::escape::{markdown, markdown_code};
use crate::history::History;
use crate::model::clock::local_date;
use crate::model::forecast::{period_bounds, PeriodPhase};
use crate::model::{Objective, ObjectiveKind, Period};
use jiff::Timestamp;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Check-in habits of one team over the period.
#[derive(Debug, Default)]
struct Cadence {
    key_results: usize,
    checkins: usize,
    longest_gap_days: i64,
    last: Option<Timestamp>,
}

fn days(a: Timestamp, b: Timestamp) -> i64 {
    (b.as_second() - a.as_second()).div_euclid(86_400)
}

/// Per team: check-ins (value changes after planning) within the period, and the longest
/// stretch without one.
fn cadence(history: &History, period: &Period, until: Timestamp) -> BTreeMap<String, Cadence> {
    let (start, end) = period_bounds(period);
    let stop = until.min(end);
    let mut teams: BTreeMap<String, Cadence> = BTreeMap::new();
    for o in history
        .goals
        .objectives
        .iter()
        .filter(|o| o.period == period.name)
    {
        let team = teams.entry(o.team.clone()).or_default();
        for kr in &o.key_results {
            team.key_results += 1;
            let id = format!("{}#{}", o.qualified_id(), kr.id);
            let times: Vec<Timestamp> = history
                .key_results
                .get(&id)
                .map(|h| {
                    h.points
                        .iter()
                        .skip(1)
                        .map(|p| p.time)
                        .filter(|t| *t >= start && *t <= stop)
                        .collect()
                })
                .unwrap_or_default();
            team.checkins += times.len();
            let mut previous = start;
            for t in times.iter().copied().chain(std::iter::once(stop)) {
                team.longest_gap_days = team.longest_gap_days.max(days(previous, t));
                previous = t;
            }
            team.last = team.last.max(times.last().copied());
        }
    }
    teams
}

/// The retrospective of one period: its history, read up to `as_of`.
pub struct RetroReport {
    pub history: History,
    pub period: Period,
    pub as_of: Timestamp,
}

impl super::Render for RetroReport {
    fn markdown(&self) -> Option<String> {
        Some(markdown_retro(&self.history, &self.period, self.as_of))
    }
}

/// The retrospective of `period` as of `as_of`: of a period that has not started, only its
/// plan (it has no results yet); of a running one, the figures so far.
pub fn markdown_retro(history: &History, period: &Period, as_of: Timestamp) -> String {
    let mut out = format!(
        "# Retrospective: {} ({} to {})\n\n",
        markdown(&period.name),
        period.start,
        period.end
    );
    let phase = PeriodPhase::of(period, as_of);
    if phase == PeriodPhase::NotStarted {
        planned(&mut out, history, period, as_of);
        return out;
    }
    let success = history.config.success;
    let over = phase == PeriodPhase::Ended;
    let scores = super::status::scores_at(history, period, as_of);
    let rows: Vec<ObjectiveRow> = history
        .goals
        .objectives
        .iter()
        .filter(|o| o.period == period.name)
        .map(|o| row(o, &scores, success))
        .collect();
    let all = stats(&rows.iter().collect::<Vec<_>>(), success);
    if !over {
        let _ = writeln!(
            out,
            "> The period is still running (as of {}): scores are not final.\n",
            local_date(as_of, history.config.tz())
        );
    }
    let _ = writeln!(
        out,
        "{} · mean score {} · {} of {} achieved ({})\n",
        super::plural(all.objectives, "objective"),
        score_or_dash(all.mean_score),
        all.achieved,
        all.objectives,
        hit_rate_text(all.hit_rate, !over)
    );
    out.push_str(
        "## Scores\n\n| objective | kind | owner | score | result |\n|---|---|---|---|---|\n",
    );
    for (r, o) in rows.iter().zip(
        history
            .goals
            .objectives
            .iter()
            .filter(|o| o.period == period.name),
    ) {
        // A running objective is never called missed: its result is not known yet.
        let result = match (r.achieved, over) {
            (true, _) => "achieved",
            (false, true) => "missed",
            (false, false) => "running",
        };
        let _ = writeln!(
            out,
            "| {} {} | {} | {} | {:.2} | {result} |",
            markdown_code(&r.id),
            markdown(&r.title),
            r.kind.as_str(),
            markdown(&o.owner),
            r.score
        );
    }
    out.push_str("\n## Committed and aspirational\n\n| kind | objectives | achieved | mean score | expected |\n|---|---|---|---|---|\n");
    for (kind, expected) in [
        (ObjectiveKind::Committed, "1.0"),
        (ObjectiveKind::Aspirational, "about 0.7"),
    ] {
        let of_kind: Vec<&ObjectiveRow> = rows.iter().filter(|r| r.kind == kind).collect();
        let s = stats(&of_kind, success);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {expected} |",
            kind.as_str(),
            s.objectives,
            s.achieved,
            score_or_dash(s.mean_score)
        );
    }
    moves(&mut out, history, &period.name);
    out.push_str("\n## Check-in cadence\n\n| team | key results | check-ins | per key result per week | longest gap | last check-in |\n|---|---|---|---|---|---|\n");
    let (start, end) = period_bounds(period);
    let weeks = (days(start, as_of.min(end)).max(1) as f64 / 7.0).max(1.0 / 7.0);
    for (team, c) in cadence(history, period, as_of) {
        let rate = c.checkins as f64 / (c.key_results.max(1) as f64 * weeks);
        let last = c.last.map_or("never".into(), |t| {
            local_date(t, history.config.tz()).to_string()
        });
        let _ = writeln!(
            out,
            "| {} | {} | {} | {rate:.2} | {} | {last} |",
            markdown(&team),
            c.key_results,
            c.checkins,
            super::plural(c.longest_gap_days, "day")
        );
    }
    let hints = hints_for(&history.goals, &scores, &period.name, success, over);
    out.push_str("\n## Calibration hints\n\n");
    if hints.is_empty() {
        out.push_str("None: targets look calibrated.\n");
    }
    for h in hints {
        let _ = writeln!(
            out,
            "- **{}** {}: {}",
            h.code,
            markdown_code(&h.id),
            markdown(&h.message)
        );
    }
    out
}

/// A period that has not started: no scores, results or cadence to show (they would read as
/// results), only the objectives planned for it.
fn planned(out: &mut String, history: &History, period: &Period, as_of: Timestamp) {
    let _ = writeln!(
        out,
        "> The period has not started yet (it begins on {}; as of {}): there are no results to look back on.\n",
        period.start,
        local_date(as_of, history.config.tz())
    );
    let planned: Vec<&Objective> = history
        .goals
        .objectives
        .iter()
        .filter(|o| o.period == period.name)
        .collect();
    if planned.is_empty() {
        out.push_str("No objectives are planned for it yet.\n");
        return;
    }
    let _ = writeln!(out, "## Planned objectives ({})\n", planned.len());
    out.push_str("| objective | kind | owner | key results |\n|---|---|---|---|\n");
    for o in planned {
        let _ = writeln!(
            out,
            "| {} {} | {} | {} | {} |",
            markdown_code(&o.qualified_id()),
            markdown(&o.title),
            o.kind.as_str(),
            markdown(&o.owner),
            o.key_results.len()
        );
    }
}

fn moves(out: &mut String, history: &History, period: &str) {
    let prefix = format!("{period}/");
    let moves: Vec<_> = history
        .entries()
        .into_iter()
        .filter(|e| e.change.goalpost_move && e.change.id.starts_with(&prefix))
        .map(|e| (e.origin, e.change))
        .collect();
    let _ = writeln!(out, "\n## Goalpost moves ({})\n", moves.len());
    if moves.is_empty() {
        out.push_str("No start or target changed after the period began.\n");
        return;
    }
    out.push_str("| key result | change | | when | by | commit |\n|---|---|---|---|---|---|\n");
    for (commit, c) in moves {
        let show = super::diff::show;
        let verdict = if c.easier { "**easier**" } else { "harder" };
        let _ = writeln!(
            out,
            "| {} | {} {} → {} | {verdict} | {} | {} | {} |",
            markdown_code(&c.id),
            markdown(c.field.as_deref().unwrap_or("")),
            markdown(&show(&c.from)),
            markdown(&show(&c.to)),
            local_date(commit.time, history.config.tz()),
            markdown(&commit.author),
            markdown_code(commit.short())
        );
    }
}
