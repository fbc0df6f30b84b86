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
use crate::report::status::ObjectiveStatus;
use minijinja::Value;
use pages::{ChangeRow, Link, SiteData};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One page to render: where it goes, its template, and what the template sees.
struct Page<'a> {
    path: String,
    template: &'static str,
    context: Context<'a>,
}

/// What a template sees: converted for the template engine already, or (the objective
/// pages, most of a large site) converted on the thread that renders it.
enum Context<'a> {
    Ready(Value),
    Later(Box<dyn FnOnce() -> (Value, Leftover<'a>) + Send + 'a>),
}

/// What a rendered page leaves behind that the planning thread allocated: it goes back to
/// that thread to be freed there. Freed on the render thread, it would contend for the
/// allocator's lock with the planning thread, which allocates all the while (measured: it
/// cost more than rendering while planning gained).
type Leftover<'a> = Box<dyn Send + 'a>;

/// What was built.
pub struct SiteSummary {
    pub out: PathBuf,
    pub pages: usize,
}

/// The relative path from a page back to the site root.
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn page<'a, T: Serialize>(path: String, template: &'static str, context: &T) -> Page<'a> {
    Page {
        path,
        template,
        context: Context::Ready(Value::from(minijinja::value::Serde(context))),
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

/// The objectives aligned to each objective (by qualified id), from every period: a yearly
/// objective lists the quarters' objectives aligned to it (or to one of its key results).
type ChildrenOf<'a> = std::collections::HashMap<&'a str, Vec<(&'a str, &'a ObjectiveStatus)>>;

fn children_of(data: &SiteData) -> ChildrenOf<'_> {
    let mut children: ChildrenOf = std::collections::HashMap::new();
    for (p, r) in &data.periods {
        for o in &r.objectives {
            if let Some(parent) = o.parent.as_deref() {
                let parent = crate::model::ids::split_parent(parent).0;
                children.entry(parent).or_default().push((&p.name, o));
            }
        }
    }
    children
}

/// Every page of the site, with its context, handed to `emit` one by one as it is built
/// (the render threads start on the first while the rest are being built).
fn plan<'a>(site: &'a Site<'a>, base_url: &str, emit: &mut dyn FnMut(Page<'a>)) {
    let (history, data, index, cards) = (site.history, site.data, &site.index, &site.cards);
    let info = &data.info;
    let as_of = info.as_of;
    let kpi_statuses = crate::report::status::kpi_statuses(history, as_of);
    let kpi_cards: Vec<pages::KpiCard> = kpi_statuses
        .iter()
        .zip(&history.goals.kpis)
        .map(|(s, k)| pages::kpi_card(s, k, history.kpis.get(&k.id).map(|h| &**h), as_of))
        .collect();
    let rollup = &site.rollup;
    // The largest pages first (the index pages, the change log, the feed): the render
    // thread works on them while this thread builds the many small ones.
    index_pages(index, data, rollup, cards, &kpi_cards)
        .into_iter()
        .for_each(&mut *emit);
    let all = index.newest(pages::MAX_CHANGES, |_| true);
    emit(page(
        "feed.xml".into(),
        "feed.xml",
        &feed::context(info, history, base_url, &all),
    ));
    emit(page(
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
    for ((period, report), card) in data.periods.iter().zip(cards) {
        period_pages(site, period, report, card, emit);
    }
    directory::team_pages(data, rollup, cards)
        .into_iter()
        .for_each(&mut *emit);
    directory::owner_pages(data, &kpi_cards)
        .into_iter()
        .for_each(&mut *emit);
    emit(directory::kpis_page(info, &kpi_cards));
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
            chart: pages::kpi_chart(
                history.kpis.get(&kpi.id).map(|h| &**h),
                kpi,
                (as_of, history.config.tz()),
            ),
            description: markdown::to_safe_html(&kpi.description),
            changes: index.changes_of(&kpi.id),
        };
        emit(page(url, "kpi.html", &ctx));
    }
}

/// What every page is built from, computed once per site.
struct Site<'a> {
    history: &'a History,
    index: lookup::SiteIndex<'a>,
    data: &'a SiteData,
    rollup: overview::Rollup,
    cards: Vec<pages::PeriodCard>,
    children: ChildrenOf<'a>,
}

impl<'a> Site<'a> {
    fn new(history: &'a History, data: &'a SiteData) -> Self {
        Site {
            history,
            index: lookup::SiteIndex::new(history),
            data,
            rollup: overview::Rollup::new(data),
            cards: data
                .periods
                .iter()
                .map(|(p, r)| pages::period_card(data, p, r))
                .collect(),
            children: children_of(data),
        }
    }
}

/// The period page and its objectives' pages.
fn period_pages<'a>(
    site: &'a Site<'a>,
    period: &crate::model::Period,
    report: &crate::report::status::StatusReport,
    card: &pages::PeriodCard,
    emit: &mut dyn FnMut(Page<'a>),
) {
    let data = site.data;
    let info = &data.info;
    let mut backdrops = krs::Backdrops::new();
    if let Some(url) = pages::period_url(&period.name) {
        let (teams, columns) = overview::team_rows(data, &site.rollup, Some(&period.name));
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
        emit(page(url, "period.html", &ctx));
    }
    for status in &report.objectives {
        let url = pages::objective_url(&period.name, &status.id);
        let objective = site.index.objectives.get(&status.qualified_id).copied();
        let (Some(url), Some(objective)) = (url, objective) else {
            continue;
        };
        let ctx = objective_context(
            site,
            (period, card),
            (status, objective),
            url.clone(),
            &mut backdrops,
        );
        emit(Page {
            path: url,
            template: "objective.html",
            context: Context::Later(Box::new(move || {
                let value = Value::from(minijinja::value::Serde(&ctx));
                (value, Box::new(ctx))
            })),
        });
    }
}

/// What an objective's page shows.
fn objective_context<'a>(
    site: &'a Site<'a>,
    (period, card): (&crate::model::Period, &pages::PeriodCard),
    (status, objective): (&ObjectiveStatus, &crate::model::Objective),
    url: String,
    backdrops: &mut krs::Backdrops,
) -> ObjectiveContext<'a> {
    let index = &site.index;
    let info = &site.data.info;
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
    let children = site
        .children
        .get(qid.as_str())
        .map(|c| {
            c.iter()
                .filter_map(|(p, c)| link(pages::objective_url(p, &c.id), c.title.clone()))
                .collect()
        })
        .unwrap_or_default();
    ObjectiveContext {
        site: info,
        root: root_of(&url),
        nav: "periods",
        here: url,
        obj: pages::obj_card(status, &period.name),
        period: card.clone(),
        parent: objective.parent.as_deref().and_then(link_to),
        children,
        carried_from: objective.carried_from.as_deref().and_then(link_to),
        narrative: pages::narrative(objective),
        key_results: krs::kr_cards(site.history, status, (period, info.as_of), backdrops),
        changes: index.changes_of(&qid),
    }
}

/// The index and the full "needs attention" list.
fn index_pages<'p>(
    index: &lookup::SiteIndex,
    data: &SiteData,
    rollup: &overview::Rollup,
    cards: &[pages::PeriodCard],
    kpis: &[pages::KpiCard],
) -> Vec<Page<'p>> {
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
    let site = Site::new(history, &data);
    let limits = templates::Limits::for_items(history_items(history));
    let env = templates::environment(overrides.clone(), limits, history.config.tz().clone());
    let staging = output::Staging::new(out)?;
    let result = render_all(&env, limits, |emit| plan(&site, base_url, emit), &staging);
    let result = result.and_then(|pages| {
        let css = templates::source(overrides.as_ref(), "style.css")?.unwrap_or_default();
        staging.write("style.css", css.as_bytes())?;
        let icon = templates::source(overrides.as_ref(), "favicon.svg")?.unwrap_or_default();
        staging.write("favicon.svg", icon.as_bytes())?;
        Ok(pages)
    });
    match result {
        Ok(pages) => Ok(SiteSummary {
            out: staging.finish()?,
            pages,
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

/// The most pages handed to a render thread at once.
const BATCH: usize = 64;

/// Renders and writes every page that `plan` hands out; returns how many. The pages go
/// through a queue: a render thread takes them as they come while this thread builds the
/// rest (the history is not shared between threads), then this thread renders too. The
/// first failure stops both threads.
fn render_all<'a>(
    env: &minijinja::Environment<'static>,
    limits: templates::Limits,
    plan: impl FnOnce(&mut dyn FnMut(Page<'a>)),
    staging: &output::Staging,
) -> Result<usize, Error> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let failed = AtomicBool::new(false);
    let (sender, receiver) = std::sync::mpsc::channel::<Vec<Page<'a>>>();
    let queue = std::sync::Mutex::new(receiver);
    let (give_back, given_back) = std::sync::mpsc::channel::<Leftover<'a>>();
    let render = || -> Result<(), Error> {
        loop {
            // The lock is held only to take one page; a poisoned lock means the other
            // thread panicked, which its join reports.
            let next = match queue.lock() {
                Ok(q) => q.recv(),
                Err(_) => return Ok(()),
            };
            let Ok(batch) = next else {
                return Ok(());
            };
            for p in batch {
                if failed.load(Ordering::Relaxed) {
                    return Ok(());
                }
                let (html, path, leftover) = render_page(env, limits, p);
                let result = html.and_then(|html| staging.write(&path, &html));
                // The receiver outlives both threads: giving back cannot fail.
                let _ = give_back.send(Box::new((path, leftover)));
                if result.is_err() {
                    failed.store(true, Ordering::Relaxed);
                    return result;
                }
            }
        }
    };
    std::thread::scope(|s| {
        let other = std::thread::Builder::new()
            .name("render".into())
            .stack_size(RENDER_STACK)
            .spawn_scoped(s, render)
            .map_err(|e| Error::Internal(format!("cannot start a render thread: {e}")))?;
        let mut pages = 0;
        // Pages go in batches of one folder: two threads creating files in one folder at
        // once contend for its lock in the file system (measured on ext4: most of the
        // time went to the kernel).
        let mut batch: Vec<Page> = Vec::new();
        let folder = |p: &str| p.rsplit_once('/').map_or("", |(f, _)| f).to_string();
        let mut batch_folder = String::new();
        plan(&mut |p| {
            if failed.load(Ordering::Relaxed) {
                return;
            }
            pages += 1;
            let f = folder(&p.path);
            if f != batch_folder || batch.len() >= BATCH {
                if !batch.is_empty() {
                    // The receiver lives until both threads are done: sending cannot fail.
                    let _ = sender.send(std::mem::take(&mut batch));
                }
                batch_folder = f;
            }
            batch.push(p);
            given_back.try_iter().for_each(drop);
        });
        let _ = sender.send(batch);
        drop(sender);
        let first = render();
        let second = other
            .join()
            .unwrap_or_else(|_| Err(Error::Internal("a render thread failed".into())));
        given_back.try_iter().for_each(drop);
        first.and(second).map(|()| pages)
    })
}

/// One page, under the template limits; errors name the template and the page. Also
/// returns the page's path and what is left of its context (see [`Leftover`]).
fn render_page<'a>(
    env: &minijinja::Environment<'static>,
    limits: templates::Limits,
    p: Page<'a>,
) -> (Result<Vec<u8>, Error>, String, Leftover<'a>) {
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
    let (context, leftover): (Value, Leftover) = match p.context {
        // The render's clone is freed here; the last reference goes back.
        Context::Ready(v) => (v.clone(), Box::new(v)),
        Context::Later(build) => build(),
    };
    let html = env
        .get_template(p.template)
        .and_then(|t| templates::render_capped(&t, context, limits.max_output))
        .map_err(failed);
    (html, p.path, leftover)
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
