//! Turns the walk's deltas into history: for every objective, key result and KPI, its
//! points (values over time) and its field changes, commit by commit. Each changed blob is
//! parsed once; the walk runs on a second thread so reading git and parsing overlap.

mod identity;

use super::index::Index;
use super::objects::Objects;
use super::walk::{walk, Delta};
use super::{CommitInfo, Commits, Lazy, Repo, WalkOptions};
use crate::error::Error;
use crate::load;
use crate::model::changes::{kpi_changes, Change, ChangeKind};
use crate::model::{objective_score, CheckinValue, Config, GoalSet, Kpi, Measure, Objective};
use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc::channel;

/// A value at a point in time.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum PointValue {
    Number(f64),
    Done(bool),
}

impl PointValue {
    pub fn as_f64(self) -> f64 {
        match self {
            PointValue::Number(n) => n,
            PointValue::Done(d) => f64::from(u8::from(d)),
        }
    }
}

/// One point of a series: the value from a commit, or from a dated check-in in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Index into [`History::commits`]: the commit that recorded the value.
    pub commit: usize,
    pub time: Timestamp,
    pub value: PointValue,
    /// Set for dated check-ins.
    pub note: Option<String>,
    pub dated: bool,
}

/// One version of an objective: as it was after a commit that changed it (or its file).
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub time: Timestamp,
    /// The commit's full id.
    pub commit: String,
    /// `None` once the objective is gone (file deleted or no longer defining it).
    pub objective: Option<Rc<Objective>>,
    /// Set while the objective's file has errors: the commit since which the file does not
    /// parse; `objective` is then the last good version.
    pub broken_since: Option<String>,
}

/// A change, with the commit that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Logged {
    pub commit: usize,
    pub change: Change,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemHistory {
    /// Sorted by time.
    pub points: Vec<Point>,
    /// In commit order.
    pub changes: Vec<Logged>,
}

/// The history of a goal root up to one revision.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Commits that changed goal files, oldest first.
    /// The big parts are [`Lazy`]: read from the index, each is decoded on first use.
    pub commits: Commits,
    /// By qualified objective id; points are the objective's score.
    pub objectives: BTreeMap<String, Lazy<ItemHistory>>,
    /// By `<qualified objective id>#<kr id>`; points are `current` (or `done`).
    pub key_results: BTreeMap<String, Lazy<ItemHistory>>,
    /// By KPI id; points are `value`.
    pub kpis: BTreeMap<String, Lazy<ItemHistory>>,
    /// By qualified objective id: every version of the objective, in commit order (time
    /// travel: the start, target, weight and confidence in force at a time; see `at.rs`).
    pub versions: BTreeMap<String, Lazy<Vec<Version>>>,
    /// The goals at the analysed revision.
    pub goals: GoalSet,
    pub config: Config,
    /// The analysed revision.
    pub head: Option<CommitInfo>,
    /// Set when a shallow clone cut the history and `allow_shallow` accepted it.
    pub partial: bool,
    /// First-parent commits walked in all.
    pub walked: usize,
    /// The walk stopped at a shallow clone's boundary.
    pub truncated: bool,
    /// Committer time of the oldest commit reached.
    pub oldest: Option<Timestamp>,
    /// Changes of `goalpost.toml` that feed scores (`config_changed`).
    pub config_changes: Vec<Logged>,
    /// Who made a change that landed through a merge: by (landing commit, change id,
    /// field), the commit on the merged branch that made it (see `authors.rs`).
    pub origins: BTreeMap<(usize, String, Option<String>), CommitInfo>,
}

/// A logged change with the commit that made it and the first-parent commit that landed
/// it (the same commit unless it came through a merge).
#[derive(Debug, Clone, Copy)]
pub struct Entry<'h> {
    pub origin: &'h CommitInfo,
    pub landed: &'h CommitInfo,
    pub change: &'h Change,
}

impl History {
    /// Every logged change, oldest first, with the first-parent commit that landed it.
    pub fn all_changes(&self) -> Vec<(&CommitInfo, &Change)> {
        let mut all: Vec<(usize, &Change)> = self
            .objectives
            .values()
            .chain(self.kpis.values())
            .flat_map(|h| h.changes.iter().map(|l| (l.commit, &l.change)))
            .chain(self.config_changes.iter().map(|l| (l.commit, &l.change)))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
        all.into_iter()
            .map(|(i, c)| (&self.commits[i], c))
            .collect()
    }
}

/// The goal set being rebuilt commit by commit.
#[derive(Default)]
struct State {
    config: Config,
    /// What each file defines: path -> (qualified objective id or KPI id).
    files: BTreeMap<String, (Option<String>, Option<String>)>,
    /// Shared, so that the versions a commit replaces are kept for comparison by a
    /// reference count instead of a deep copy of every touched objective.
    objectives: BTreeMap<String, Rc<Objective>>,
    kpis: BTreeMap<String, Rc<Kpi>>,
    /// Objective files that stopped parsing: path -> the commit since when. Their last good
    /// objective stays in `objectives`, so that nothing vanishes or is logged as removed.
    broken: BTreeMap<String, String>,
}

impl State {
    fn remove_file(&mut self, path: &str) {
        if let Some((objective, kpi)) = self.files.remove(path) {
            if let Some(id) = objective {
                if self.objectives.get(&id).is_some_and(|o| o.file == path) {
                    self.objectives.remove(&id);
                }
            }
            if let Some(id) = kpi {
                if self.kpis.get(&id).is_some_and(|k| k.file == path) {
                    self.kpis.remove(&id);
                }
            }
        }
    }

    /// Adds what `path` defines. For an objective file with errors nothing is added, and
    /// the result is `Some` with what it parsed to, if anything (the caller keeps the last
    /// good version instead).
    fn add_file(&mut self, path: &str, bytes: &[u8]) -> Option<Option<Objective>> {
        let Some(Ok(kind)) = load::classify(path, &self.config) else {
            return None;
        };
        let parsed = load::parse_file(path, &kind, bytes, &self.config);
        // Any error makes the file broken, not only one that stops it parsing: a value that
        // fails `check` (`kind = "comitted"`, read as the default) is not the objective's
        // new state, and must not show as a change or a goalpost move.
        let has_errors = parsed.diagnostics.iter().any(|d| d.is_error());
        if matches!(kind, load::FileKind::Objective { .. })
            && (parsed.objective.is_none() || has_errors)
        {
            self.files.insert(path.to_string(), (None, None));
            return Some(parsed.objective);
        }
        let objective = parsed.objective.map(|o| {
            let id = o.qualified_id();
            self.objectives.insert(id.clone(), Rc::new(o));
            id
        });
        let kpi = parsed.kpi.map(|k| {
            let id = k.id.clone();
            self.kpis.insert(id.clone(), Rc::new(k));
            id
        });
        self.files.insert(path.to_string(), (objective, kpi));
        None
    }

    /// The objective `path` defines now.
    fn objective_of(&self, path: &str) -> Option<Rc<Objective>> {
        let id = self.files.get(path)?.0.as_ref()?;
        self.objectives.get(id).filter(|o| o.file == path).cloned()
    }

    /// Replaces what `path` defines with its new bytes (`None`: deleted).
    fn update_file(&mut self, path: &str, bytes: Option<&[u8]>, commit: &str) {
        let last_good = self.objective_of(path);
        let since = self.broken.remove(path);
        self.remove_file(path);
        if let Some(erroneous) = bytes.and_then(|b| self.add_file(path, b)) {
            // Never good before: show what it parses to, marked, rather than hide it.
            let shown = last_good.or_else(|| erroneous.map(Rc::new));
            self.keep_last_good(path, shown, since.unwrap_or_else(|| commit.into()));
        }
    }

    /// A file that stopped parsing keeps its last good objective, marked broken since
    /// `since`, unless another file defines that objective now.
    fn keep_last_good(&mut self, path: &str, last_good: Option<Rc<Objective>>, since: String) {
        let Some(o) = last_good else { return };
        let id = o.qualified_id();
        if self.objectives.contains_key(&id) {
            return;
        }
        self.objectives.insert(id.clone(), o);
        self.files.insert(path.to_string(), (Some(id), None));
        self.broken.insert(path.to_string(), since);
    }
}

/// What the walk and the builder carry past a commit besides its history: kept in the
/// history index, so that a later walk can resume after that commit.
#[derive(Debug, Clone, Default)]
pub struct Carry {
    /// What each file defines (the builder's `State::files`).
    pub files: BTreeMap<String, (Option<String>, Option<String>)>,
    /// Objective files that do not parse, and since which commit.
    pub broken: BTreeMap<String, String>,
    /// The configuration blob the walk parsed last.
    pub walk_config: Option<Oid>,
}

/// A walk resumed from the index stores its result only when it walked at least this many
/// commits: an entry holds the whole history, so writing one after every new commit would
/// cost more than walking a few commits again (a walk of up to this many commits after an
/// entry parses only the goal files they changed).
const STORE_AFTER: usize = 64;

/// Walks the history of `head` into a [`History`]. With an `index`, the walk resumes after
/// the newest indexed first-parent ancestor, and the result is stored in the index (after
/// a resumed walk, once it covered [`STORE_AFTER`] commits).
pub fn build(
    repo: &Repo,
    head: Oid,
    options: &WalkOptions,
    index: Option<&Index>,
) -> Result<History, Error> {
    // A head whose own entry is there but unsound gets it rewritten, however short the walk.
    let replace = index.is_some_and(|i| i.has(head));
    let git_dir = repo.git_dir();
    let prefix = repo.prefix.clone();
    let progress = options.progress;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Delta>>(8);
    let (start_tx, start_rx) = channel::<Option<Oid>>();
    let (reply_tx, reply_rx) = channel::<Option<Option<Oid>>>();
    let walk_index = index.cloned();
    let mut objects = Objects::open(repo.repo.commondir())?;
    let walk_objects = objects.clone();
    let walker = std::thread::spawn(move || {
        let handshake = (start_tx, reply_rx);
        let at = (git_dir.as_path(), prefix.as_str(), walk_objects);
        walk(at, head, progress, tx, walk_index, handshake)
    });
    // The indexed ancestor the walk stopped at, loaded here (not on the walker's thread,
    // so that the memory is allocated and freed by one thread).
    let parts = match (start_rx.recv().ok().flatten(), index) {
        (Some(base), Some(index)) => index.load(base),
        _ => None,
    };
    let _ = reply_tx.send(parts.as_ref().map(|(_, carry)| carry.walk_config));
    let resumed = parts.is_some();
    let mut builder = match parts {
        Some((history, carry)) => Builder::resume(history, carry),
        None => Builder::default(),
    };
    let from = builder.history.commits.len();
    for mut delta in rx.into_iter().flatten() {
        let files = std::mem::take(&mut delta.files)
            .into_iter()
            .map(|(path, blob)| Ok((path, blob.map(|id| objects.read_owned(id)).transpose()?)))
            .collect::<Result<Vec<_>, Error>>()?;
        builder.apply(delta, files);
    }
    let summary = walker
        .join()
        .map_err(|_| Error::git("the history walk stopped unexpectedly"))??;
    let carry = Carry {
        files: builder.state.files.clone(),
        broken: builder.state.broken.clone(),
        walk_config: summary.config_blob,
    };
    let mut history = builder.finish();
    if resumed && summary.resumed {
        history.walked += summary.commits;
    } else {
        history.walked = summary.commits;
        history.truncated = summary.truncated;
        history.oldest = summary.oldest;
    }
    history.head = Some(repo.commit_info(super::RevId(head))?);
    super::authors::attribute(repo, &mut history, from)?;
    if !resumed || replace || summary.commits >= STORE_AFTER {
        if let Some(index) = index {
            index.store(head, &history, &carry);
        }
    }
    Ok(history)
}

impl History {
    /// Checks that a shallow clone's history reaches back to `needed`; with `allow_shallow`
    /// a cut history is accepted and marked partial.
    pub fn require_since(&mut self, needed: Timestamp, allow_shallow: bool) -> Result<(), Error> {
        let cut_inside = self.truncated && self.oldest.is_none_or(|oldest| oldest > needed);
        if cut_inside && !allow_shallow {
            return Err(shallow_error());
        }
        self.partial |= cut_inside;
        Ok(())
    }
}

use git2::Oid;
use std::rc::Rc;

/// The one error for a shallow clone that cuts the history a command needs.
pub fn shallow_error() -> Error {
    Error::Usage(
        "this is a shallow clone and its history is cut inside the range goalpost needs\nhelp: fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout), or pass --allow-shallow to accept partial results".into(),
    )
}

/// The value behind the last reference (no copy), or a copy if one is still shared.
fn unshare<T: Clone>(shared: Rc<T>) -> T {
    Rc::try_unwrap(shared).unwrap_or_else(|rc| (*rc).clone())
}

#[derive(Default)]
struct Builder {
    state: State,
    history: History,
    /// Objectives moved in the commit being applied: new id -> old id.
    moved_from: BTreeMap<String, String>,
}

impl Builder {
    /// A builder that goes on from an indexed history and the state carried with it.
    fn resume(mut history: History, carry: Carry) -> Builder {
        let goals = std::mem::take(&mut history.goals);
        let state = State {
            config: history.config.clone(),
            files: carry.files,
            objectives: goals
                .objectives
                .into_iter()
                .map(|o| (o.qualified_id(), Rc::new(o)))
                .collect(),
            kpis: goals
                .kpis
                .into_iter()
                .map(|k| (k.id.clone(), Rc::new(k)))
                .collect(),
            broken: carry.broken,
        };
        Builder {
            state,
            history,
            moved_from: BTreeMap::new(),
        }
    }

    /// Applies one commit's delta, with the new bytes of the files it changed.
    fn apply(&mut self, delta: Delta, files: Vec<(String, Option<Vec<u8>>)>) {
        let touched: Vec<String> = match &delta.full {
            Some(_) => self.state.files.keys().cloned().collect(),
            None => files.iter().map(|(p, _)| p.clone()).collect(),
        };
        let (mut objective_ids, mut kpi_ids) = self.ids_of(&touched);
        let old_objectives: BTreeMap<String, Rc<Objective>> = objective_ids
            .iter()
            .filter_map(|id| {
                self.state
                    .objectives
                    .get(id)
                    .map(|o| (id.clone(), Rc::clone(o)))
            })
            .collect();
        let old_kpis: BTreeMap<String, Rc<Kpi>> = kpi_ids
            .iter()
            .filter_map(|id| self.state.kpis.get(id).map(|k| (id.clone(), Rc::clone(k))))
            .collect();
        let config_before = self.config_before(delta.full.is_some(), delta.commit.time);
        let touched_after: Vec<String> = match delta.full {
            Some((config, files)) => {
                let text = config.as_deref().and_then(|b| std::str::from_utf8(b).ok());
                let old = std::mem::replace(
                    &mut self.state,
                    State {
                        config: load::parse_config(text).0,
                        ..State::default()
                    },
                );
                for f in &files {
                    if let Some(erroneous) = self.state.add_file(&f.path, &f.bytes) {
                        let since = old.broken.get(&f.path).cloned();
                        let since = since.unwrap_or_else(|| delta.commit.id.clone());
                        let shown = old.objective_of(&f.path).or_else(|| erroneous.map(Rc::new));
                        self.state.keep_last_good(&f.path, shown, since);
                    }
                }
                files.into_iter().map(|f| f.path).collect()
            }
            None => {
                for (path, bytes) in &files {
                    self.state
                        .update_file(path, bytes.as_deref(), &delta.commit.id);
                }
                touched
            }
        };
        let (new_objectives, new_kpis) = self.ids_of(&touched_after);
        objective_ids.extend(new_objectives);
        kpi_ids.extend(new_kpis);
        let commit = self.history.commits.len();
        let time = delta.commit.time;
        self.record_versions(&objective_ids, time, &delta.commit.id);
        self.history.commits.push(delta.commit);
        let mut any = self.record_config(commit, time, config_before);
        self.moved_from = self.detect_moves(&objective_ids, &old_objectives);
        for id in &objective_ids {
            if self.moved_from.values().any(|old| old == id) {
                continue; // recorded under its new id
            }
            let old_id = self.moved_from.get(id).unwrap_or(id);
            let old = old_objectives.get(old_id).map(|o| &**o);
            any |= self.record_objective(commit, time, old, id);
        }
        for id in &kpi_ids {
            any |= self.record_kpi(commit, time, old_kpis.get(id).map(|k| &**k), id);
        }
        if !any {
            self.history.commits.pop();
        }
    }

    /// A new version of each objective in `ids` whose definition or broken state changed.
    fn record_versions(&mut self, ids: &BTreeSet<String>, time: Timestamp, commit: &str) {
        for id in ids {
            let objective = self.state.objectives.get(id).cloned();
            let broken_since = objective
                .as_ref()
                .and_then(|o| self.state.broken.get(&o.file).cloned());
            let versions = self.history.versions.entry(id.clone()).or_default();
            let same = versions.last().is_some_and(|v| {
                v.broken_since == broken_since
                    && match (&v.objective, &objective) {
                        (Some(a), Some(b)) => Rc::ptr_eq(a, b) || a == b,
                        (None, None) => true,
                        _ => false,
                    }
            });
            if !same {
                versions.push(Version {
                    time,
                    commit: commit.to_string(),
                    objective,
                    broken_since,
                });
            }
        }
    }

    /// Objective and KPI ids the given files define in the current state.
    fn ids_of(&self, paths: &[String]) -> (BTreeSet<String>, BTreeSet<String>) {
        let mut objectives = BTreeSet::new();
        let mut kpis = BTreeSet::new();
        for path in paths {
            if let Some((o, k)) = self.state.files.get(path) {
                objectives.extend(o.clone());
                kpis.extend(k.clone());
            }
        }
        (objectives, kpis)
    }

    fn record_objective(
        &mut self,
        commit: usize,
        time: Timestamp,
        old: Option<&Objective>,
        id: &str,
    ) -> bool {
        // Identity (moves, renames) and goalpost moves: see `identity.rs`.
        let changes = self.identity_changes(time, old, id);
        if changes.is_empty() {
            return false;
        }
        let new = self.state.objectives.get(id).map(|o| &**o);
        let entry = self.history.objectives.entry(id.to_string()).or_default();
        if let Some(n) = new {
            entry.points.push(Point {
                commit,
                time,
                value: PointValue::Number(objective_score(&n.key_results)),
                note: None,
                dated: false,
            });
            for kr in &n.key_results {
                let old_kr = old.and_then(|o| o.key_result(&kr.id));
                let kr_id = format!("{id}#{}", kr.id);
                let kr_history = self.history.key_results.entry(kr_id.clone()).or_default();
                kr_points(kr_history, commit, time, old_kr, kr, self.state.config.tz());
            }
        }
        if let (None, Some(n)) = (old, new) {
            // A new objective brings its key results: each one's history starts here.
            for kr in &n.key_results {
                let kr_id = format!("{id}#{}", kr.id);
                let change = Change::new(ChangeKind::KrAdded, &kr_id);
                self.history
                    .key_results
                    .entry(kr_id)
                    .or_default()
                    .changes
                    .push(Logged { commit, change });
            }
        }
        for change in changes {
            let logged = Logged { commit, change };
            if let Some((_, _)) = logged.change.id.split_once('#') {
                let kr_history = self
                    .history
                    .key_results
                    .entry(logged.change.id.clone())
                    .or_default();
                kr_history.changes.push(logged.clone());
            }
            entry.changes.push(logged);
        }
        true
    }

    fn record_kpi(&mut self, commit: usize, time: Timestamp, old: Option<&Kpi>, id: &str) -> bool {
        let new = self.state.kpis.get(id).map(|k| &**k);
        let changes = kpi_changes(old, new);
        if changes.is_empty() {
            return false;
        }
        let entry = self.history.kpis.entry(id.to_string()).or_default();
        if let Some(n) = new {
            let dated = dated_points(
                entry,
                commit,
                old.map_or(&[][..], |o| &o.checkins),
                &n.checkins,
                self.state.config.tz(),
            );
            // A dated check-in that also set `value` is one measurement, at its own date.
            let value_is_dated = dated.contains(&PointValue::Number(n.value));
            if old.is_none_or(|o| o.value != n.value) && !value_is_dated {
                entry.points.push(Point {
                    commit,
                    time,
                    value: PointValue::Number(n.value),
                    note: None,
                    dated: false,
                });
            }
        }
        entry
            .changes
            .extend(changes.into_iter().map(|change| Logged { commit, change }));
        true
    }

    fn finish(mut self) -> History {
        for h in self
            .history
            .key_results
            .values_mut()
            .chain(self.history.objectives.values_mut())
            .chain(self.history.kpis.values_mut())
        {
            // A series left encoded was stored sorted, and nothing added to it since.
            let order = |a: &Point, b: &Point| a.time.cmp(&b.time).then(a.commit.cmp(&b.commit));
            if h.is_decoded() && !h.points.is_sorted_by(|a, b| order(a, b).is_le()) {
                h.points.sort_by(order);
            }
        }
        self.history.goals = GoalSet {
            objectives: self.state.objectives.into_values().map(unshare).collect(),
            kpis: self.state.kpis.into_values().map(unshare).collect(),
        };
        self.history.config = self.state.config;
        self.history
    }
}

/// Adds the points a new version of a key result records: its value when it changed (or
/// first appeared), and dated check-ins that were not there before.
fn kr_points(
    h: &mut ItemHistory,
    commit: usize,
    time: Timestamp,
    old: Option<&crate::model::KeyResult>,
    new: &crate::model::KeyResult,
    tz: &jiff::tz::TimeZone,
) {
    let value = |m: &Measure| match *m {
        Measure::Metric { current, .. } => PointValue::Number(current),
        Measure::Milestone { done } => PointValue::Done(done),
    };
    let new_value = value(&new.measure);
    if old.is_none_or(|o| value(&o.measure) != new_value) {
        h.points.push(Point {
            commit,
            time,
            value: new_value,
            note: None,
            dated: false,
        });
    }
    dated_points(
        h,
        commit,
        old.map_or(&[][..], |o| &o.checkins),
        &new.checkins,
        tz,
    );
}

/// Adds a point for each dated check-in in `new` that was not in `old`, at the start of
/// its day in the repository's time zone; returns their values.
fn dated_points(
    h: &mut ItemHistory,
    commit: usize,
    old: &[crate::model::Checkin],
    new: &[crate::model::Checkin],
    tz: &jiff::tz::TimeZone,
) -> Vec<PointValue> {
    let mut added = Vec::new();
    for c in new {
        let seen = old
            .iter()
            .any(|oc| oc.date == c.date && oc.value == c.value);
        if seen {
            continue;
        }
        let Ok(at) = c.date.to_zoned_datetime(tz.clone()).map(|z| z.timestamp()) else {
            continue;
        };
        let value = match c.value {
            CheckinValue::Number(n) => PointValue::Number(n),
            CheckinValue::Done(d) => PointValue::Done(d),
        };
        added.push(value);
        h.points.push(Point {
            commit,
            time: at,
            value,
            note: c.note.clone(),
            dated: true,
        });
    }
    added
}
