//! The index page's view-models: the current period at a glance (status counts, the
//! headline's status, teams with their roll-up and trend, KPI tiles) and "needs attention"
//! sorted by severity. Figures come from the model (`PeriodScore`, `period_status`); this
//! file only groups, sorts and formats them.

use super::mix::{self, StatusCount};
use super::pages::{self, ChangeRow, PeriodCard, SiteData};
use super::svg;
use crate::model::PeriodScore;
use crate::report::plural;
use crate::report::status::ObjectiveStatus;
use serde::Serialize;
use std::collections::HashMap;

/// Items of "needs attention" on the index; the attention page lists all.
pub const ATTENTION_ON_INDEX: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct Attention {
    pub kind: &'static str,
    /// The badge's text and CSS class.
    pub badge: String,
    pub badge_class: String,
    /// 3 (worst) to 1.
    pub severity: u8,
    pub label: String,
    pub detail: String,
    pub url: String,
}

/// A team in the teams table: its own objectives and those of every team nested under it.
#[derive(Debug, Clone, Serialize)]
pub struct TeamRow {
    pub team: String,
    pub url: String,
    /// Nesting depth (`eng/platform` is 1).
    pub depth: usize,
    /// Objectives of the team and its sub-teams in the period.
    pub objectives: usize,
    pub own: usize,
    pub score: Option<f64>,
    pub mix: Vec<StatusCount>,
    /// Count per column of the table's status columns.
    pub cells: Vec<usize>,
    /// Hit rate by period (rolled up), oldest first, as a trend line.
    pub spark: String,
}

/// Every team name with objectives in any period, and every team enclosing one, sorted so
/// that a team comes right before its sub-teams.
pub fn all_teams(data: &SiteData) -> Vec<String> {
    let mut teams = std::collections::BTreeSet::new();
    for o in data.periods.iter().flat_map(|(_, r)| &r.objectives) {
        let parts: Vec<&str> = o.team.split('/').collect();
        for n in 1..=parts.len() {
            teams.insert(parts[..n].join("/"));
        }
    }
    let mut teams: Vec<String> = teams.into_iter().collect();
    // `a/b` sorts after `a` and before `a-c`: compare by segments.
    teams.sort_by(|a, b| a.split('/').cmp(b.split('/')));
    teams
}

/// Each team's objectives per period, its own and its sub-teams', and its hit-rate trend:
/// computed once per site, since the index, the teams page, every period page and every
/// team page show them (a per-page filter over every objective was quadratic).
pub struct Rollup {
    pub teams: Vec<String>,
    /// Per period, in `SiteData::periods` order: team → positions in that report's
    /// objectives.
    by_period: Vec<HashMap<String, Vec<usize>>>,
    sparks: HashMap<String, String>,
}

impl Rollup {
    pub fn new(data: &SiteData) -> Self {
        let by_period: Vec<HashMap<String, Vec<usize>>> = data
            .periods
            .iter()
            .map(|(_, r)| {
                let mut map: HashMap<String, Vec<usize>> = HashMap::new();
                for (i, o) in r.objectives.iter().enumerate() {
                    // The team itself and every team enclosing it.
                    let mut end = Some(o.team.len());
                    while let Some(e) = end {
                        map.entry(o.team[..e].to_string()).or_default().push(i);
                        end = o.team[..e].rfind('/');
                    }
                }
                map
            })
            .collect();
        let teams = all_teams(data);
        let mut rollup = Rollup {
            teams,
            by_period,
            sparks: HashMap::new(),
        };
        for team in &rollup.teams {
            // Ended periods only: a running period's hit rate is only "so far".
            let trend: Vec<f64> = (0..data.periods.len())
                .filter(|p| !data.periods[*p].1.running)
                .filter_map(|p| rollup.figures(data, p, team).hit_rate())
                .collect();
            let label = if trend.is_empty() {
                format!("Hit rate of {team}: no ended period yet")
            } else {
                format!(
                    "Hit rate of {team} over {}: {}",
                    plural(trend.len(), "ended period"),
                    trend
                        .iter()
                        .map(|v| format!("{:.0}%", v * 100.0))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let spark = svg::spark(&label, &trend);
            rollup.sparks.insert(team.clone(), spark);
        }
        rollup
    }

    /// The objectives of `team` and its sub-teams in the `period`-th period.
    pub fn of<'d>(
        &self,
        data: &'d SiteData,
        period: usize,
        team: &str,
    ) -> Vec<&'d ObjectiveStatus> {
        let (Some(map), Some((_, report))) = (self.by_period.get(period), data.periods.get(period))
        else {
            return Vec::new();
        };
        map.get(team)
            .map(|ix| {
                ix.iter()
                    .filter_map(|i| report.objectives.get(*i))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The period figures of those objectives (the model's `PeriodScore`).
    pub fn figures(&self, data: &SiteData, period: usize, team: &str) -> PeriodScore {
        PeriodScore::of(
            self.of(data, period, team)
                .iter()
                .map(|o| (o.exact_score, o.kind)),
            data.success,
        )
    }
}

/// The rows of the teams table for one period (`None`: the current one), with status columns.
pub fn team_rows(
    data: &SiteData,
    rollup: &Rollup,
    period: Option<&str>,
) -> (Vec<TeamRow>, Vec<StatusCount>) {
    let wanted = period.or(data.current.as_deref());
    let at = data
        .periods
        .iter()
        .position(|(p, _)| Some(p.name.as_str()) == wanted);
    let mut rows: Vec<TeamRow> = rollup
        .teams
        .iter()
        .map(|team| {
            let rolled = at.map(|p| rollup.of(data, p, team)).unwrap_or_default();
            let figures =
                PeriodScore::of(rolled.iter().map(|o| (o.exact_score, o.kind)), data.success);
            TeamRow {
                url: pages::team_url(team).unwrap_or_default(),
                depth: team.matches('/').count(),
                objectives: rolled.len(),
                own: rolled.iter().filter(|o| o.team == *team).count(),
                score: figures.score(),
                mix: mix::mix(rolled.iter().map(|o| o.status)),
                cells: Vec::new(),
                spark: rollup.sparks.get(team).cloned().unwrap_or_default(),
                team: team.clone(),
            }
        })
        .collect();
    let columns = mix::columns(&rows.iter().map(|r| r.mix.as_slice()).collect::<Vec<_>>());
    for row in &mut rows {
        row.cells = columns
            .iter()
            .map(|c| {
                row.mix
                    .iter()
                    .find(|m| m.status == c.status)
                    .map_or(0, |m| m.count)
            })
            .collect();
    }
    (rows, columns)
}

/// What needs attention in the current period, worst first: objectives off track or at
/// risk, easier goalpost moves, stale key results.
pub fn attention(data: &SiteData, moves: &[ChangeRow]) -> Vec<Attention> {
    let mut out = Vec::new();
    let Some((period, report)) = data
        .periods
        .iter()
        .find(|(p, _)| Some(&p.name) == data.current.as_ref())
    else {
        return out;
    };
    for o in &report.objectives {
        let url = pages::objective_url(&period.name, &o.id).unwrap_or_default();
        let key = mix::key(o.status);
        let severity = mix::severity(&key);
        if severity >= 2 {
            out.push(Attention {
                kind: "status",
                badge: o.status.label().to_string(),
                badge_class: format!("s-{key}"),
                severity,
                label: o.title.clone(),
                detail: format!(
                    "{} · owner {} · score {:.2}, expected {:.2}, forecast {:.2}",
                    o.id, o.owner, o.score, o.expected, o.forecast
                ),
                url: url.clone(),
            });
        }
        for k in o.key_results.iter().filter(|k| k.stale) {
            out.push(Attention {
                kind: "stale",
                badge: "stale".into(),
                badge_class: "stale".into(),
                severity: 1,
                label: k.title.clone(),
                detail: format!(
                    "{} · no check-in for {}",
                    k.id,
                    plural(k.days_since_update.unwrap_or_default(), "day")
                ),
                url: url.clone(),
            });
        }
    }
    let prefix = format!("{}/", period.name);
    for c in moves
        .iter()
        .filter(|c| c.easier && c.id.starts_with(&prefix))
    {
        out.push(Attention {
            kind: "moved",
            badge: "goalpost moved".into(),
            badge_class: "s-off_track".into(),
            severity: 3,
            label: c.item.clone(),
            detail: format!("{} by {} in {}", c.description, c.author, c.short),
            url: c.url.clone().unwrap_or_default(),
        });
    }
    // Worst first; within a severity, moves before statuses before stale, then by name.
    let order = |k: &str| ["moved", "status", "stale"].iter().position(|x| *x == k);
    out.sort_by(|a, b| {
        (b.severity, order(a.kind), &a.label, &a.detail).cmp(&(
            a.severity,
            order(b.kind),
            &b.label,
            &b.detail,
        ))
    });
    out
}

/// The current period's card with its status counts and the headline's status.
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub period: PeriodCard,
    pub mix: Vec<StatusCount>,
    /// The status of the period score (colours the headline bar).
    pub status: String,
    pub status_label: &'static str,
}

pub fn headline(data: &SiteData, cards: &[PeriodCard]) -> Option<Headline> {
    let card = cards.iter().find(|c| c.current)?;
    let report = data
        .periods
        .iter()
        .find(|(p, _)| p.name == card.name)
        .map(|(_, r)| r)?;
    let status = crate::model::headline::period_status(card.score, card.elapsed, data.success);
    Some(Headline {
        period: card.clone(),
        mix: mix::mix(report.objectives.iter().map(|o| o.status)),
        status: mix::key(status),
        status_label: status.label(),
    })
}
