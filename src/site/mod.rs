//! The static status site: the only template-engine user. Builds view-models from history,
//! renders the built-in (or the repository's own) templates, and writes the pages into a
//! staging folder that replaces the target only when complete.

mod directory;
mod feed;
mod krs;
mod lookup;
mod markdown;
mod mix;
mod output;
mod overview;
pub mod pages;
mod svg;
pub mod templates;

use crate::error::Error;
use crate::history::History;
use minijinja::Value;
use pages::{ChangeRow, Link, SiteData};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One page to render: where it goes, its template, and what the template sees.
struct Page {
    path: String,
    template: &'static str,
    context: Value,
}

/// What was built.
pub struct SiteSummary {
    pub out: PathBuf,
    pub pages: usize,
}

/// The relative path from a page back to the site root.
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn page<T: Serialize>(path: String, template: &'static str, context: &T) -> Page {
    Page {
        path,
        template,
        context: Value::from(minijinja::value::Serde(context)),
    }
}

#[derive(Serialize)]
struct IndexContext<'a> {
    site: &'a pages::SiteInfo,
    root: String,
    nav: &'static str,
    periods: Vec<pages::PeriodCard>,
    headline: Option<overview::Headline>,
    teams: Vec<overview::TeamRow>,
    columns: Vec<mix::StatusCount>,
    attention: Vec<overview::Attention>,
    attention_total: usize,
    kpis: &'a [pages::KpiCard],
    recent: Vec<ChangeRow>,
}

#[derive(Serialize)]
struct AttentionContext<'a> {
    site: &'a pages::SiteInfo,
    root: String,
    nav: &'static str,
    period: Option<String>,
    attention: Vec<overview::Attention>,
}

#[derive(Serialize)]
struct PeriodContext<'a> {
    site: &'a pages::SiteInfo,
    root: String,
    nav: &'static str,
    period: pages::PeriodCard,
    mix: Vec<mix::StatusCount>,
    tree: Vec<pages::TreeNode>,
    teams: Vec<overview::TeamRow>,
    columns: Vec<mix::StatusCount>,
}

#[derive(Serialize)]
struct ObjectiveContext<'a> {
    site: &'a pages::SiteInfo,
    root: String,
    nav: &'static str,
    here: String,
    obj: pages::ObjCard,
    period: pages::PeriodCard,
    parent: Option<Link>,
    children: Vec<Link>,
    carried_from: Option<Link>,
    narrative: String,
    key_results: Vec<krs::KrCard>,
    changes: Vec<ChangeRow>,
}

#[derive(Serialize)]
struct KpiContext<'a> {
    site: &'a pages::SiteInfo,
    root: String,
    nav: &'static str,
    here: String,
    kpi: pages::KpiCard,
    chart: String,
    description: String,
    changes: Vec<ChangeRow>,
}

#[derive(Serialize)]
struct ChangesContext<'a> {
    site: &'a pages::SiteInfo,
    root: String,
    nav: &'static str,
    here: String,
    changes: Vec<ChangeRow>,
    limit: usize,
}

fn link(href: Option<String>, label: String) -> Option<Link> {
    href.map(|href| Link { href, label })
}

/// Every page of the site, with its context.
fn plan(history: &History, data: &SiteData, base_url: &str) -> Vec<Page> {
    let index = lookup::SiteIndex::new(history);
    let info = &data.info;
    let as_of = info.as_of;
    let cards: Vec<pages::PeriodCard> = data
        .periods
        .iter()
        .map(|(p, r)| pages::period_card(data, p, r))
        .collect();
    let kpi_statuses = crate::report::status::kpi_statuses(history, as_of);
    let kpi_cards: Vec<pages::KpiCard> = kpi_statuses
        .iter()
        .zip(&history.goals.kpis)
        .map(|(s, k)| pages::kpi_card(s, k, history.kpis.get(&k.id).map(|h| &**h), as_of))
        .collect();
    let rollup = overview::Rollup::new(data);
    let mut out = index_pages(&index, data, &rollup, &cards, &kpi_cards);
    for ((period, report), card) in data.periods.iter().zip(&cards) {
        let site = Site {
            history,
            index: &index,
            data,
            rollup: &rollup,
        };
        out.extend(period_pages(&site, period, report, card));
    }
    out.extend(directory::team_pages(data, &rollup, &cards));
    out.extend(directory::owner_pages(data, &kpi_cards));
    out.push(directory::kpis_page(info, &kpi_cards));
    for (card, kpi) in kpi_cards.iter().zip(&history.goals.kpis) {
        let Some(url) = pages::kpi_url(&kpi.id) else {
            continue;
        };
        let ctx = KpiContext {
            site: info,
            root: root_of(&url),
            nav: "kpis",
            here: url.clone(),
            kpi: card.clone(),
            chart: pages::kpi_chart(history.kpis.get(&kpi.id).map(|h| &**h), kpi, as_of),
            description: markdown::to_safe_html(&kpi.description),
            changes: index.changes_of(&kpi.id),
        };
        out.push(page(url, "kpi.html", &ctx));
    }
    let all = index.newest(pages::MAX_CHANGES, |_| true);
    out.push(page(
        "feed.xml".into(),
        "feed.xml",
        &feed::context(info, history, base_url, &all),
    ));
    out.push(page(
        "changes.html".into(),
        "changes.html",
        &ChangesContext {
            site: info,
            root: String::new(),
            nav: "changes",
            here: "changes.html".into(),
            changes: all,
            limit: pages::MAX_CHANGES,
        },
    ));
    out
}

/// What every page is built from.
struct Site<'a> {
    history: &'a History,
    index: &'a lookup::SiteIndex<'a>,
    data: &'a SiteData,
    rollup: &'a overview::Rollup,
}

/// The period page and its objectives' pages.
fn period_pages(
    site: &Site,
    period: &crate::model::Period,
    report: &crate::report::status::StatusReport,
    card: &pages::PeriodCard,
) -> Vec<Page> {
    let (history, index, data) = (site.history, site.index, site.data);
    let info = &data.info;
    let mut out = Vec::new();
    // Children from every period: a yearly objective lists the quarters' objectives
    // aligned to it (or to one of its key results).
    let mut children_of: std::collections::HashMap<
        &str,
        Vec<(&str, &crate::report::status::ObjectiveStatus)>,
    > = std::collections::HashMap::new();
    for (p, r) in &data.periods {
        for o in &r.objectives {
            if let Some(parent) = o.parent.as_deref() {
                let parent = crate::model::ids::split_parent(parent).0;
                children_of.entry(parent).or_default().push((&p.name, o));
            }
        }
    }
    if let Some(url) = pages::period_url(&period.name) {
        let (teams, columns) = overview::team_rows(data, site.rollup, Some(&period.name));
        let ctx = PeriodContext {
            site: info,
            root: root_of(&url),
            nav: "periods",
            period: card.clone(),
            mix: mix::mix(report.objectives.iter().map(|o| o.status)),
            tree: pages::tree(report),
            teams: teams.into_iter().filter(|t| t.objectives > 0).collect(),
            columns,
        };
        out.push(page(url, "period.html", &ctx));
    }
    for status in &report.objectives {
        let url = pages::objective_url(&period.name, &status.id);
        let objective = index.objectives.get(&status.qualified_id).copied();
        let (Some(url), Some(objective)) = (url, objective) else {
            continue;
        };
        let qid = objective.qualified_id();
        let link_to = |q: &str| {
            let (q, kr) = crate::model::ids::split_parent(q);
            let o = index.objectives.get(q)?;
            let label = match kr.and_then(|k| o.key_result(k)) {
                Some(k) => format!("{} › {}", o.title, k.title),
                None => o.title.clone(),
            };
            link(pages::objective_url(&o.period, &o.id), label)
        };
        let children = children_of
            .get(qid.as_str())
            .map(|c| {
                c.iter()
                    .filter_map(|(p, c)| link(pages::objective_url(p, &c.id), c.title.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let ctx = ObjectiveContext {
            site: info,
            root: root_of(&url),
            nav: "periods",
            here: url.clone(),
            obj: pages::obj_card(status, &period.name),
            period: card.clone(),
            parent: objective.parent.as_deref().and_then(link_to),
            children,
            carried_from: objective.carried_from.as_deref().and_then(link_to),
            narrative: pages::narrative(objective),
            key_results: krs::kr_cards(history, status, period, info.as_of),
            changes: index.changes_of(&qid),
        };
        out.push(page(url, "objective.html", &ctx));
    }
    out
}

/// The index and the full "needs attention" list.
fn index_pages(
    index: &lookup::SiteIndex,
    data: &SiteData,
    rollup: &overview::Rollup,
    cards: &[pages::PeriodCard],
    kpis: &[pages::KpiCard],
) -> Vec<Page> {
    let moves = index.newest(usize::MAX, |c| c.easier);
    let attention = overview::attention(data, &moves);
    let (teams, columns) = overview::team_rows(data, rollup, None);
    let mut periods = cards.to_vec();
    periods.reverse();
    let ctx = IndexContext {
        site: &data.info,
        root: String::new(),
        nav: "index",
        periods,
        headline: overview::headline(data, cards),
        teams: teams.into_iter().filter(|t| t.objectives > 0).collect(),
        columns,
        attention_total: attention.len(),
        attention: attention
            .iter()
            .take(overview::ATTENTION_ON_INDEX)
            .cloned()
            .collect(),
        kpis,
        recent: index.newest(10, |_| true),
    };
    vec![
        page("index.html".into(), "index.html", &ctx),
        page(
            "attention.html".into(),
            "attention.html",
            &AttentionContext {
                site: &data.info,
                root: String::new(),
                nav: "attention",
                period: data.current.clone(),
                attention,
            },
        ),
    ]
}

/// Builds the site of `history` into `out`. `overrides` are the repository's own
/// templates, as committed at the analysed revision.
pub fn build(
    history: &History,
    overrides: Option<templates::Overrides>,
    out: &Path,
    base_url: &str,
    as_of: jiff::Timestamp,
) -> Result<SiteSummary, Error> {
    let data = pages::collect(history, as_of);
    let pages = plan(history, &data, base_url);
    let limits = templates::Limits::for_items(history_items(history));
    let env = templates::environment(overrides.clone(), limits, history.config.tz().clone());
    let staging = output::Staging::new(out)?;
    let result = render_all(&env, limits, &pages, &staging).and_then(|()| {
        let css = templates::source(overrides.as_ref(), "style.css")?.unwrap_or_default();
        staging.write("style.css", css.as_bytes())?;
        let icon = templates::source(overrides.as_ref(), "favicon.svg")?.unwrap_or_default();
        staging.write("favicon.svg", icon.as_bytes())
    });
    match result {
        Ok(()) => Ok(SiteSummary {
            out: staging.finish()?,
            pages: pages.len(),
        }),
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}

/// Stack for each render thread: as much as a main thread gets, so the recursion limit
/// (not the stack) is what stops a deeply recursive template.
const RENDER_STACK: usize = 8 << 20;

/// Renders and writes every page, on two threads. The first failure stops both threads.
fn render_all(
    env: &minijinja::Environment<'static>,
    limits: templates::Limits,
    pages: &[Page],
    staging: &output::Staging,
) -> Result<(), Error> {
    let failed = std::sync::atomic::AtomicBool::new(false);
    let render = |chunk: &[Page]| -> Result<(), Error> {
        for p in chunk {
            if failed.load(std::sync::atomic::Ordering::Relaxed) {
                return Ok(());
            }
            let result = render_page(env, limits, p).and_then(|html| staging.write(&p.path, &html));
            if result.is_err() {
                failed.store(true, std::sync::atomic::Ordering::Relaxed);
                return result;
            }
        }
        Ok(())
    };
    let half = pages.len().div_ceil(2);
    let (a, b) = pages.split_at(half);
    std::thread::scope(|s| {
        let other = std::thread::Builder::new()
            .name("render".into())
            .stack_size(RENDER_STACK)
            .spawn_scoped(s, || render(b))
            .map_err(|e| Error::Internal(format!("cannot start a render thread: {e}")))?;
        let first = render(a);
        let second = other
            .join()
            .unwrap_or_else(|_| Err(Error::Internal("a render thread failed".into())));
        first.and(second)
    })
}

/// One page, under the template limits; errors name the template and the page.
fn render_page(
    env: &minijinja::Environment<'static>,
    limits: templates::Limits,
    p: &Page,
) -> Result<Vec<u8>, Error> {
    let failed = |e: minijinja::Error| {
        let why = match e.kind() {
            minijinja::ErrorKind::OutOfFuel => format!(
                "{e:#}\nhelp: the template does too much work (over {} units of fuel); look for nested loops or huge strings",
                limits.fuel
            ),
            _ => format!("{e:#}"),
        };
        Error::template(format!("template {} for {}: {why}", p.template, p.path))
    };
    let template = env.get_template(p.template).map_err(failed)?;
    templates::render_capped(&template, p.context.clone(), limits.max_output).map_err(failed)
}

/// The size of what the site renders, for the template limits: objectives, key results,
/// KPIs and recorded changes.
fn history_items(history: &History) -> usize {
    let goals = &history.goals;
    let key_results: usize = goals.objectives.iter().map(|o| o.key_results.len()).sum();
    let changes: usize = history
        .objectives
        .values()
        .chain(history.key_results.values())
        .chain(history.kpis.values())
        .map(|h| h.changes.len() + h.points.len())
        .sum();
    goals.objectives.len() + key_results + goals.kpis.len() + changes
}

/// Copies the built-in templates into the goal root's `templates/` folder, keeping any
/// that are already there. Returns the names written. Never writes through a symbolic
/// link or outside `root`: a link at the folder or at any file name is refused before
/// anything is written, and files are created with `create_new` (`O_EXCL`, which does
/// not follow a link that appears in between).
pub fn init_templates(root: &Path) -> Result<Vec<String>, Error> {
    let root = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let dir = root.join(crate::history::TEMPLATES_DIR);
    let refuse = |path: &Path, why: &str| {
        Error::Usage(format!(
            "refusing to write templates: {} {why}",
            path.display()
        ))
    };
    match std::fs::symlink_metadata(&dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(refuse(&dir, "is a symbolic link"))
        }
        Ok(meta) if !meta.is_dir() => return Err(refuse(&dir, "is not a folder")),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        Err(e) => return Err(Error::io(&dir, e)),
    }
    let real = std::fs::canonicalize(&dir).map_err(|e| Error::io(&dir, e))?;
    if !real.starts_with(&root) {
        return Err(refuse(&dir, "resolves outside the repository"));
    }
    let mut missing = Vec::new();
    for name in templates::builtin_names() {
        let path = real.join(name);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(refuse(&path, "is a symbolic link"))
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => missing.push((name, path)),
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    let mut written = Vec::new();
    for (name, path) in missing {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        let text = templates::builtin(name).unwrap_or_default();
        std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::io(&path, e))?;
        written.push(name.to_string());
    }
    Ok(written)
}
