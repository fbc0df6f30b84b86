//! The directory pages: the teams index (nested roll-up), each team's page, the KPIs
//! index, and the owners' index and pages (everything one person owns: objectives, key
//! results with their own owner, KPIs). Groups and sorts view-models; no figures.

use super::mix::StatusCount;
use super::overview::{self, TeamRow};
use super::pages::{self, KpiCard, ObjCard, PeriodCard, SiteData, SiteInfo};
use super::{page, root_of, svg, Page};
use crate::model::PeriodScore;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct TeamsContext<'a> {
    site: &'a SiteInfo,
    root: String,
    nav: &'static str,
    period: Option<String>,
    rows: Vec<TeamRow>,
    columns: Vec<StatusCount>,
}

#[derive(Serialize)]
struct TeamPeriod {
    period: PeriodCard,
    objectives: Vec<ObjCard>,
    hit_rate: Option<f64>,
    mean: Option<f64>,
    /// The period still runs: its hit rate is "so far".
    running: bool,
}

#[derive(Serialize)]
struct TeamContext<'a> {
    site: &'a SiteInfo,
    root: String,
    nav: &'static str,
    team: String,
    parent: Option<pages::Link>,
    subteams: Vec<pages::Link>,
    periods: Vec<TeamPeriod>,
    chart: String,
}

#[derive(Serialize)]
struct KpisContext<'a> {
    site: &'a SiteInfo,
    root: String,
    nav: &'static str,
    kpis: &'a [KpiCard],
}

/// A key result whose own owner is the page's person.
#[derive(Debug, Clone, Serialize)]
pub struct OwnedKr {
    pub title: String,
    pub objective: String,
    pub period: String,
    pub url: String,
    pub score: f64,
    pub status: crate::model::forecast::Status,
    pub status_label: &'static str,
}

#[derive(Default, Serialize)]
struct Owned {
    objectives: Vec<ObjCard>,
    key_results: Vec<OwnedKr>,
    kpis: Vec<KpiCard>,
}

#[derive(Serialize)]
struct OwnerContext<'a> {
    site: &'a SiteInfo,
    root: String,
    nav: &'static str,
    owner: String,
    owned: Owned,
}

#[derive(Serialize)]
struct OwnerLink {
    href: String,
    label: String,
    objectives: usize,
    key_results: usize,
    kpis: usize,
}

#[derive(Serialize)]
struct OwnersContext<'a> {
    site: &'a SiteInfo,
    root: String,
    nav: &'static str,
    owners: Vec<OwnerLink>,
}

/// The teams index and one page per team.
pub fn team_pages<'p>(
    data: &SiteData,
    rollup: &overview::Rollup,
    cards: &[PeriodCard],
) -> Vec<Page<'p>> {
    let (rows, columns) = overview::team_rows(data, rollup, None);
    let mut out = vec![page(
        "teams.html".into(),
        "teams.html",
        &TeamsContext {
            site: &data.info,
            root: String::new(),
            nav: "teams",
            period: data.current.clone(),
            rows,
            columns,
        },
    )];
    let teams = &rollup.teams;
    for team in teams {
        let Some(url) = pages::team_url(team) else {
            continue;
        };
        let mut periods = Vec::new();
        let mut bars: Vec<(String, Option<f64>)> = Vec::new();
        for (i, ((period, report), card)) in data.periods.iter().zip(cards).enumerate() {
            let rolled = rollup.of(data, i, team);
            if rolled.is_empty() {
                continue;
            }
            let figures =
                PeriodScore::of(rolled.iter().map(|o| (o.exact_score, o.kind)), data.success);
            periods.push(TeamPeriod {
                period: card.clone(),
                objectives: rolled
                    .iter()
                    .map(|o| pages::obj_card(o, &period.name))
                    .collect(),
                hit_rate: figures.hit_rate(),
                mean: figures.score(),
                running: report.running,
            });
            // A running period's hit rate is only "so far": listed, never charted.
            if !report.running {
                bars.push((period.name.clone(), figures.hit_rate()));
            }
        }
        let chart = svg::bars(
            "trend",
            &format!("Hit rate of team {team} by ended period"),
            &bars,
        );
        periods.reverse();
        let parent = team.rsplit_once('/').and_then(|(p, _)| {
            Some(pages::Link {
                href: pages::team_url(p)?,
                label: p.to_string(),
            })
        });
        let prefix = format!("{team}/");
        let subteams = teams
            .iter()
            .filter(|t| {
                t.strip_prefix(&prefix)
                    .is_some_and(|rest| !rest.contains('/'))
            })
            .filter_map(|t| {
                Some(pages::Link {
                    href: pages::team_url(t)?,
                    label: t.clone(),
                })
            })
            .collect();
        out.push(page(
            url.clone(),
            "team.html",
            &TeamContext {
                site: &data.info,
                root: root_of(&url),
                nav: "teams",
                team: team.clone(),
                parent,
                subteams,
                periods,
                chart,
            },
        ));
    }
    out
}

pub fn kpis_page<'p>(info: &SiteInfo, kpis: &[KpiCard]) -> Page<'p> {
    page(
        "kpis.html".into(),
        "kpis.html",
        &KpisContext {
            site: info,
            root: String::new(),
            nav: "kpis",
            kpis,
        },
    )
}

/// The owner of a key result when it has its own (`owner` of the key result, else it is its
/// objective owner's and listed under the objective).
fn kr_owner(kr: &crate::report::status::KrStatus) -> Option<&str> {
    Some(kr.owner.as_str()).filter(|o| !o.is_empty())
}

/// The owners' index and one page per owner, newest period first.
pub fn owner_pages<'p>(data: &SiteData, kpis: &[KpiCard]) -> Vec<Page<'p>> {
    let mut by_owner: BTreeMap<String, Owned> = BTreeMap::new();
    for (period, report) in data.periods.iter().rev() {
        for o in &report.objectives {
            if !o.owner.is_empty() {
                by_owner
                    .entry(o.owner.clone())
                    .or_default()
                    .objectives
                    .push(pages::obj_card(o, &period.name));
            }
            for k in &o.key_results {
                let Some(owner) = kr_owner(k).filter(|w| *w != o.owner) else {
                    continue;
                };
                by_owner
                    .entry(owner.to_string())
                    .or_default()
                    .key_results
                    .push(OwnedKr {
                        title: k.title.clone(),
                        objective: o.title.clone(),
                        period: period.name.clone(),
                        url: pages::objective_url(&period.name, &o.id).unwrap_or_default(),
                        score: k.score,
                        status: k.status,
                        status_label: k.status.label(),
                    });
            }
        }
    }
    for k in kpis {
        if let Some(owner) = k.owner.as_ref().filter(|o| !o.is_empty()) {
            by_owner
                .entry(owner.clone())
                .or_default()
                .kpis
                .push(k.clone());
        }
    }
    let mut index = Vec::new();
    let mut out = Vec::new();
    for (owner, owned) in by_owner {
        let Some(url) = pages::owner_url(&owner) else {
            continue;
        };
        index.push(OwnerLink {
            href: url.clone(),
            label: owner.clone(),
            objectives: owned.objectives.len(),
            key_results: owned.key_results.len(),
            kpis: owned.kpis.len(),
        });
        out.push(page(
            url.clone(),
            "owner.html",
            &OwnerContext {
                site: &data.info,
                root: root_of(&url),
                nav: "owners",
                owner,
                owned,
            },
        ));
    }
    out.push(page(
        "owners.html".into(),
        "owners.html",
        &OwnersContext {
            site: &data.info,
            root: String::new(),
            nav: "owners",
            owners: index,
        },
    ));
    out
}
