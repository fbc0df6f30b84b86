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
}

fn item_in(h: &ItemHistory) -> Item {
    Item {
        points: h
            .points
            .iter()
            .map(|p| StoredPoint {
                commit: p.commit as u64,
                time: time_in(p.time),
                value: match p.value {
                    PointValue::Number(n) => Value::Number(n),
                    PointValue::Done(d) => Value::Done(d),
                },
                note: p.note.clone(),
                dated: p.dated,
            })
            .collect(),
        changes: h.changes.iter().cloned().map(entry_in).collect(),
    }
}

// Each big part of a history is encoded on its own (see `payload.rs`), so that it can be
// decoded on its own, when it is used.

/// One item's series and change log.
pub(super) fn encode_item(h: &ItemHistory) -> Option<Vec<u8>> {
    postcard::to_allocvec(&item_in(h)).ok()
}

/// One item's series and change log back; `None` when a commit index is not below `bound`.
pub(super) fn decode_item(bytes: &[u8], bound: usize) -> Option<ItemHistory> {
    Bounds(bound).item(postcard::from_bytes(bytes).ok()?)
}

/// Every version of one objective.
pub(super) fn encode_versions(list: &[Version]) -> Option<Vec<u8>> {
    let list: Vec<StoredVersion> = list
        .iter()
        .map(|v| StoredVersion {
            time: time_in(v.time),
            commit: v.commit.clone(),
            objective: v.objective.as_deref().cloned(),
            broken_since: v.broken_since.clone(),
        })
        .collect();
    postcard::to_allocvec(&list).ok()
}

pub(super) fn decode_versions(bytes: &[u8], _bound: usize) -> Option<Vec<Version>> {
    let list: Vec<StoredVersion> = postcard::from_bytes(bytes).ok()?;
    list.into_iter()
        .map(|v| {
            Some(Version {
                time: time_out(v.time)?,
                commit: v.commit,
                objective: v.objective.map(Rc::new),
                broken_since: v.broken_since,
            })
        })
        .collect()
}

/// The commits that changed goal files.
pub(super) fn encode_commits(list: &[CommitInfo]) -> Option<Vec<u8>> {
    let list: Vec<Commit> = list.iter().cloned().map(commit_in).collect();
    postcard::to_allocvec(&list).ok()
}

/// The commits back; `None` unless there are exactly `bound` of them (the number the
/// other parts' commit indices were checked against).
pub(super) fn decode_commits(bytes: &[u8], bound: usize) -> Option<Vec<CommitInfo>> {
    let list: Vec<Commit> = postcard::from_bytes(bytes).ok()?;
    if list.len() != bound {
        return None;
    }
    list.into_iter().map(commit_out).collect()
}

/// The small parts, stored decoded (a `status` needs them all).
#[derive(Serialize, Deserialize)]
pub(super) struct Small {
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

impl Small {
    /// The small parts of a finished history (its `partial` mark is not kept: it depends
    /// on the range a command asks for, and is decided after loading).
    pub fn new(h: &History, carry: &Carry) -> Small {
        Small {
            goals: h.goals.clone(),
            config: h.config.clone(),
            head: h.head.clone().map(commit_in),
            walked: h.walked as u64,
            truncated: h.truncated,
            oldest: h.oldest.map(time_in),
            config_changes: h.config_changes.iter().cloned().map(entry_in).collect(),
            origins: h
                .origins
                .iter()
                .map(|((i, id, field), c)| {
                    (*i as u64, id.clone(), field.clone(), commit_in(c.clone()))
                })
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

    /// A history holding the small parts (the caller adds the big ones) and the carried
    /// state, or `None` when anything is out of range of `bound` commits.
    pub fn into_parts(self, bound: usize) -> Option<(History, Carry)> {
        let bounds = Bounds(bound);
        let walk_config = match &self.walk_config {
            None => None,
            Some(bytes) => Some(git2::Oid::from_bytes(bytes).ok()?),
        };
        let carry = Carry {
            files: self
                .files
                .into_iter()
                .map(|(path, o, k)| (path, (o, k)))
                .collect(),
            broken: self.broken,
            walk_config,
        };
        let origins = self
            .origins
            .into_iter()
            .map(|(i, id, field, c)| Some(((bounds.index(i)?, id, field), commit_out(c)?)));
        let history = History {
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
            ..History::default()
        };
        Some((history, carry))
    }
}
