//! The stored form of a [`History`] and of the state the walk and the builder carry past
//! its head ([`Carry`]): plain data that round-trips through any serde format.
//! The report-facing types serialise for JSON output (untagged values, skipped fields), so
//! they are mirrored here rather than reused. Loading checks every commit index, so that a
//! well-formed but wrong payload cannot make a later lookup panic.

use super::super::build::{Carry, History, ItemHistory, Logged, Point, PointValue, Version};
use super::super::CommitInfo;
use crate::model::changes::{Change, ChangeKind, FieldValue};
use crate::model::{Config, GoalSet, Objective};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::rc::Rc;

#[derive(Serialize, Deserialize)]
pub struct Stored {
    commits: Vec<Commit>,
    objectives: BTreeMap<String, Item>,
    key_results: BTreeMap<String, Item>,
    kpis: BTreeMap<String, Item>,
    versions: BTreeMap<String, Vec<StoredVersion>>,
    goals: GoalSet,
    config: Config,
    head: Option<Commit>,
    walked: u64,
    truncated: bool,
    oldest: Option<i128>,
    config_changes: Vec<Entry>,
    origins: Vec<(u64, String, Option<String>, Commit)>,
    files: Vec<(String, Option<String>, Option<String>)>,
    broken: BTreeMap<String, String>,
    walk_config: Option<Vec<u8>>,
}

#[derive(Serialize, Deserialize)]
struct Commit {
    id: String,
    time: i128,
    author: String,
    email: String,
    summary: String,
    merged: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct Item {
    points: Vec<StoredPoint>,
    changes: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct StoredPoint {
    commit: u64,
    time: i128,
    value: Value,
    note: Option<String>,
    dated: bool,
}

#[derive(Serialize, Deserialize)]
enum Value {
    Number(f64),
    Done(bool),
    Text(String),
}

#[derive(Serialize, Deserialize)]
struct Entry {
    commit: u64,
    kind: ChangeKind,
    id: String,
    field: Option<String>,
    from: Option<Value>,
    to: Option<Value>,
    goalpost_move: bool,
    easier: bool,
    effect: f64,
    period_effect: f64,
}

#[derive(Serialize, Deserialize)]
struct StoredVersion {
    time: i128,
    commit: String,
    objective: Option<Objective>,
    broken_since: Option<String>,
}

fn time_in(t: Timestamp) -> i128 {
    t.as_nanosecond()
}

fn time_out(n: i128) -> Option<Timestamp> {
    Timestamp::from_nanosecond(n).ok()
}

fn commit_in(c: CommitInfo) -> Commit {
    Commit {
        id: c.id,
        time: time_in(c.time),
        author: c.author,
        email: c.email,
        summary: c.summary,
        merged: c.merged,
    }
}

fn commit_out(c: Commit) -> Option<CommitInfo> {
    Some(CommitInfo {
        id: c.id,
        time: time_out(c.time)?,
        author: c.author,
        email: c.email,
        summary: c.summary,
        merged: c.merged,
    })
}

fn field_in(v: FieldValue) -> Value {
    match v {
        FieldValue::Number(n) => Value::Number(n),
        FieldValue::Bool(b) => Value::Done(b),
        FieldValue::Text(t) => Value::Text(t),
    }
}

fn field_out(v: Value) -> FieldValue {
    match v {
        Value::Number(n) => FieldValue::Number(n),
        Value::Done(b) => FieldValue::Bool(b),
        Value::Text(t) => FieldValue::Text(t),
    }
}

fn entry_in(l: Logged) -> Entry {
    let c = l.change;
    Entry {
        commit: l.commit as u64,
        kind: c.kind,
        id: c.id,
        field: c.field,
        from: c.from.map(field_in),
        to: c.to.map(field_in),
        goalpost_move: c.goalpost_move,
        easier: c.easier,
        effect: c.effect,
        period_effect: c.period_effect,
    }
}

/// Turns stored commit numbers back into indices, refusing any past the commit list.
struct Bounds(usize);

impl Bounds {
    fn index(&self, n: u64) -> Option<usize> {
        usize::try_from(n).ok().filter(|i| *i < self.0)
    }

    fn entry(&self, e: Entry) -> Option<Logged> {
        Some(Logged {
            commit: self.index(e.commit)?,
            change: Change {
                kind: e.kind,
                id: e.id,
                field: e.field,
                from: e.from.map(field_out),
                to: e.to.map(field_out),
                goalpost_move: e.goalpost_move,
                easier: e.easier,
                effect: e.effect,
                period_effect: e.period_effect,
            },
        })
    }

    fn item(&self, i: Item) -> Option<ItemHistory> {
        let points = i.points.into_iter().map(|p| {
            Some(Point {
                commit: self.index(p.commit)?,
                time: time_out(p.time)?,
                value: match p.value {
                    Value::Number(n) => PointValue::Number(n),
                    Value::Done(d) => PointValue::Done(d),
                    Value::Text(_) => return None,
                },
                note: p.note,
                dated: p.dated,
            })
        });
        Some(ItemHistory {
            points: points.collect::<Option<_>>()?,
            changes: i
                .changes
                .into_iter()
                .map(|e| self.entry(e))
                .collect::<Option<_>>()?,
        })
    }

    fn items(&self, m: BTreeMap<String, Item>) -> Option<BTreeMap<String, ItemHistory>> {
        m.into_iter()
            .map(|(k, v)| Some((k, self.item(v)?)))
            .collect()
    }
}

fn item_in(h: ItemHistory) -> Item {
    Item {
        points: h
            .points
            .into_iter()
            .map(|p| StoredPoint {
                commit: p.commit as u64,
                time: time_in(p.time),
                value: match p.value {
                    PointValue::Number(n) => Value::Number(n),
                    PointValue::Done(d) => Value::Done(d),
                },
                note: p.note,
                dated: p.dated,
            })
            .collect(),
        changes: h.changes.into_iter().map(entry_in).collect(),
    }
}

fn items_in(m: BTreeMap<String, ItemHistory>) -> BTreeMap<String, Item> {
    m.into_iter().map(|(k, v)| (k, item_in(v))).collect()
}

impl Stored {
    /// The stored form of a finished history (its `partial` mark is not kept: it depends
    /// on the range a command asks for, and is decided after loading).
    pub fn new(h: &History, carry: &Carry) -> Stored {
        let h = h.clone();
        let versions = h.versions.into_iter().map(|(id, list)| {
            let list = list.into_iter().map(|v| StoredVersion {
                time: time_in(v.time),
                commit: v.commit,
                objective: v
                    .objective
                    .map(|o| Rc::try_unwrap(o).unwrap_or_else(|rc| (*rc).clone())),
                broken_since: v.broken_since,
            });
            (id, list.collect())
        });
        Stored {
            commits: h.commits.into_iter().map(commit_in).collect(),
            objectives: items_in(h.objectives),
            key_results: items_in(h.key_results),
            kpis: items_in(h.kpis),
            versions: versions.collect(),
            goals: h.goals,
            config: h.config,
            head: h.head.map(commit_in),
            walked: h.walked as u64,
            truncated: h.truncated,
            oldest: h.oldest.map(time_in),
            config_changes: h.config_changes.into_iter().map(entry_in).collect(),
            origins: h
                .origins
                .into_iter()
                .map(|((i, id, field), c)| (i as u64, id, field, commit_in(c)))
                .collect(),
            files: carry
                .files
                .iter()
                .map(|(path, (o, k))| (path.clone(), o.clone(), k.clone()))
                .collect(),
            broken: carry.broken.clone(),
            walk_config: carry.walk_config.map(|id| id.as_bytes().to_vec()),
        }
    }

    /// The configuration blob the walk had parsed at the stored commit (`None` inside: no
    /// file), or `None` when the stored id is not one.
    pub fn walk_config(&self) -> Option<Option<git2::Oid>> {
        match &self.walk_config {
            None => Some(None),
            Some(bytes) => git2::Oid::from_bytes(bytes).ok().map(Some),
        }
    }

    /// The history and the carried state back, or `None` when anything is out of range.
    pub fn into_parts(mut self) -> Option<(History, Carry)> {
        let carry = Carry {
            files: std::mem::take(&mut self.files)
                .into_iter()
                .map(|(path, o, k)| (path, (o, k)))
                .collect(),
            broken: std::mem::take(&mut self.broken),
            walk_config: self.walk_config()?,
        };
        Some((self.into_history()?, carry))
    }

    /// The history back, or `None` when anything in it is out of range.
    fn into_history(self) -> Option<History> {
        let bounds = Bounds(self.commits.len());
        let commits = self
            .commits
            .into_iter()
            .map(commit_out)
            .collect::<Option<_>>()?;
        let versions = self.versions.into_iter().map(|(id, list)| {
            let list = list.into_iter().map(|v| {
                Some(Version {
                    time: time_out(v.time)?,
                    commit: v.commit,
                    objective: v.objective.map(Rc::new),
                    broken_since: v.broken_since,
                })
            });
            Some((id, list.collect::<Option<_>>()?))
        });
        let origins = self
            .origins
            .into_iter()
            .map(|(i, id, field, c)| Some(((bounds.index(i)?, id, field), commit_out(c)?)));
        Some(History {
            objectives: bounds.items(self.objectives)?,
            key_results: bounds.items(self.key_results)?,
            kpis: bounds.items(self.kpis)?,
            versions: versions.collect::<Option<_>>()?,
            goals: self.goals,
            config: self.config,
            head: match self.head {
                Some(c) => Some(commit_out(c)?),
                None => None,
            },
            partial: false,
            walked: usize::try_from(self.walked).ok()?,
            truncated: self.truncated,
            oldest: match self.oldest {
                Some(t) => Some(time_out(t)?),
                None => None,
            },
            config_changes: self
                .config_changes
                .into_iter()
                .map(|e| bounds.entry(e))
                .collect::<Option<_>>()?,
            origins: origins.collect::<Option<_>>()?,
            commits,
        })
    }
}
