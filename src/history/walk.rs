//! The first-parent walk: finds the commits that changed the goal files and what they
//! changed, with an own tree diff limited to the goal folders (libgit2's path-filtered diff
//! is many times slower), and reads the changed blobs. Runs on its own thread, sending
//! deltas to the thread that parses them.

use super::snapshot::{config_at, entry_id, goal_files};
use super::CommitInfo;
use crate::error::Error;
use crate::load::{self, SourceFile, CONFIG_FILE};
use crate::model::Config;
use git2::{ObjectType, Oid, Repository, Sort};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::mpsc::SyncSender;

/// What one commit changed below the goal root.
pub struct Delta {
    pub commit: CommitInfo,
    /// Set when the configuration changed (or first appeared): the complete file set,
    /// to be loaded afresh with the new configuration.
    pub full: Option<(Option<Vec<u8>>, Vec<SourceFile>)>,
    /// Otherwise the changed files: new bytes, or `None` when deleted.
    pub files: Vec<(String, Option<Vec<u8>>)>,
}

/// What the walk saw, besides the deltas.
pub struct WalkSummary {
    pub commits: usize,
    /// The walk hit the boundary of a shallow clone.
    pub truncated: bool,
    /// Committer time of the oldest commit reached.
    pub oldest: Option<jiff::Timestamp>,
}

/// Ids of what the goal root holds at one commit; equal ids mean nothing changed.
#[derive(Default, Clone, PartialEq, Eq)]
struct Roots {
    base: Option<Oid>,
    config: Option<Oid>,
    goals: Option<Oid>,
    kpis: Option<Oid>,
}

fn tree_id(found: Option<(Oid, Option<ObjectType>)>) -> Option<Oid> {
    found
        .filter(|(_, k)| *k == Some(ObjectType::Tree))
        .map(|(id, _)| id)
}

/// Commits listed in `.git/shallow`: their parents are missing.
fn shallow_boundary(git_dir: &Path) -> HashSet<Oid> {
    std::fs::read_to_string(git_dir.join("shallow"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| Oid::from_str(l.trim()).ok())
        .collect()
}

pub fn first_parent_commits(repo: &Repository, head: Oid) -> Result<Vec<Oid>, Error> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::NONE)?;
    walk.push(head)?;
    walk.simplify_first_parent()?;
    let mut oids = walk.collect::<Result<Vec<_>, _>>()?;
    oids.reverse();
    Ok(oids)
}

fn progress_bar(len: usize, wanted: bool) -> indicatif::ProgressBar {
    if !wanted || len < 5_000 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("walking history {bar:40} {pos}/{len} commits")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// Walks `head`'s first-parent history oldest first, sending a delta for every commit that
/// changed the configuration, the goal folder or the KPI folder.
pub fn walk(
    git_dir: &Path,
    prefix: &str,
    head: Oid,
    progress: bool,
    tx: SyncSender<Delta>,
) -> Result<WalkSummary, Error> {
    let repo = Repository::open(git_dir)?;
    let oids = first_parent_commits(&repo, head)?;
    let shallow = shallow_boundary(git_dir);
    let bar = progress_bar(oids.len(), progress);
    let base_path = prefix.trim_end_matches('/');
    let mut config = Config::default();
    let mut prev = Roots::default();
    let mut summary = WalkSummary {
        commits: oids.len(),
        truncated: false,
        oldest: None,
    };
    for (i, oid) in oids.iter().enumerate() {
        if i % 1024 == 0 {
            bar.set_position(i as u64);
        }
        let commit = repo.find_commit(*oid)?;
        if i == 0 {
            summary.truncated = shallow.contains(oid);
            summary.oldest = jiff::Timestamp::from_second(commit.committer().when().seconds()).ok();
        }
        let tree = commit.tree()?;
        let base = tree_id(entry_id(&tree, base_path));
        if base == prev.base && i > 0 {
            continue;
        }
        let Some(base_id) = base else {
            // The goal root disappeared: everything in it is removed.
            prev = Roots::default();
            let info = CommitInfo::from_commit(&commit);
            let delta = Delta {
                commit: info,
                full: Some((None, Vec::new())),
                files: Vec::new(),
            };
            if tx.send(delta).is_err() {
                break;
            }
            continue;
        };
        let base_tree = repo.find_tree(base_id)?;
        let config_id = entry_id(&base_tree, CONFIG_FILE).map(|(id, _)| id);
        let config_changed = config_id != prev.config;
        if config_changed {
            let bytes = config_at(&repo, &base_tree, "")?;
            config =
                load::parse_config(bytes.as_deref().and_then(|b| std::str::from_utf8(b).ok())).0;
        }
        let roots = Roots {
            base,
            config: config_id,
            goals: tree_id(entry_id(&base_tree, &config.goals_dir)),
            kpis: tree_id(entry_id(&base_tree, &config.kpi_dir)),
        };
        if roots.config == prev.config && roots.goals == prev.goals && roots.kpis == prev.kpis {
            prev = roots;
            continue;
        }
        let info = CommitInfo::from_commit(&commit);
        let delta = if config_changed {
            let bytes = config_at(&repo, &base_tree, "")?;
            let files = goal_files(&repo, &base_tree, "", &config)?;
            Delta {
                commit: info,
                full: Some((bytes, files)),
                files: Vec::new(),
            }
        } else {
            let mut changed = Vec::new();
            diff_trees(
                &repo,
                prev.goals,
                roots.goals,
                &config.goals_dir,
                &mut changed,
            )?;
            diff_trees(&repo, prev.kpis, roots.kpis, &config.kpi_dir, &mut changed)?;
            let files = changed
                .into_iter()
                .map(|(path, id)| {
                    Ok((
                        path,
                        id.map(|id| repo.find_blob(id).map(|b| b.content().to_vec()))
                            .transpose()?,
                    ))
                })
                .collect::<Result<Vec<_>, Error>>()?;
            Delta {
                commit: info,
                full: None,
                files,
            }
        };
        prev = roots;
        if tx.send(delta).is_err() {
            break; // the receiver stopped (it failed): its error is reported
        }
    }
    bar.finish_and_clear();
    Ok(summary)
}

type Entry = (Oid, Option<ObjectType>);

fn entries(repo: &Repository, id: Option<Oid>) -> Result<BTreeMap<String, Entry>, Error> {
    let mut map = BTreeMap::new();
    if let Some(id) = id {
        for e in repo.find_tree(id)?.iter() {
            if let Ok(name) = e.name() {
                map.insert(name.to_string(), (e.id(), e.kind()));
            }
        }
    }
    Ok(map)
}

/// Blobs that differ between two trees (either may be absent), as (path, new blob id);
/// a `None` id means the file was deleted. Identical subtrees are skipped by id.
pub fn diff_trees(
    repo: &Repository,
    old: Option<Oid>,
    new: Option<Oid>,
    base: &str,
    out: &mut Vec<(String, Option<Oid>)>,
) -> Result<(), Error> {
    if old == new {
        return Ok(());
    }
    let (old_entries, new_entries) = (entries(repo, old)?, entries(repo, new)?);
    let mut names: Vec<&String> = old_entries.keys().chain(new_entries.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let (o, n) = (old_entries.get(name), new_entries.get(name));
        if o == n {
            continue;
        }
        let path = format!("{base}/{name}");
        let as_tree = |e: Option<&Entry>| {
            e.filter(|(_, k)| *k == Some(ObjectType::Tree))
                .map(|(id, _)| *id)
        };
        let as_blob = |e: Option<&Entry>| {
            e.filter(|(_, k)| *k == Some(ObjectType::Blob))
                .map(|(id, _)| *id)
        };
        let (old_tree, new_tree) = (as_tree(o), as_tree(n));
        if old_tree.is_some() || new_tree.is_some() {
            diff_trees(repo, old_tree, new_tree, &path, out)?;
        }
        let (old_blob, new_blob) = (as_blob(o), as_blob(n));
        if old_blob != new_blob {
            out.push((path, new_blob));
        }
    }
    Ok(())
}
