//! Reading the goal files of one commit. Symbolic links (tree entries of mode 120000) are
//! never read: where a goal file, a goal folder or `goalpost.toml` would be, they are
//! listed as refused, as the working-tree reader does.

use crate::error::Error;
use crate::load::{self, goal_path_kind, GoalPathKind, Loaded, NotRead, NotReadKind};
use crate::load::{SourceFile, CONFIG_FILE};
use crate::model::Config;
use git2::{ObjectType, Oid, Repository, Tree, TreeEntry};

/// Git's file mode of a symbolic link.
pub const SYMLINK_MODE: i32 = 0o120000;

pub fn is_symlink(entry: &TreeEntry) -> bool {
    entry.filemode() == SYMLINK_MODE
}

/// What sits at a path of a tree.
enum At {
    Tree(Oid),
    Blob(Oid),
    /// A link at this path (a prefix of the asked path, or the path itself).
    Link(String),
    Nothing,
}

/// The entry at `path` below `tree`; a link at any component of the path is [`At::Link`].
/// Paths are a handful of components, so looking each prefix up is cheap.
fn entry_at(tree: &Tree, path: &str) -> At {
    if path.is_empty() {
        return At::Tree(tree.id());
    }
    let mut walked = String::new();
    for segment in path.split('/') {
        if !walked.is_empty() {
            walked.push('/');
        }
        walked.push_str(segment);
        match tree.get_path(std::path::Path::new(&walked)) {
            Ok(e) if is_symlink(&e) => return At::Link(walked),
            Ok(_) => {}
            Err(_) => return At::Nothing,
        }
    }
    match tree.get_path(std::path::Path::new(path)) {
        Ok(e) => match e.kind() {
            Some(ObjectType::Tree) => At::Tree(e.id()),
            Some(ObjectType::Blob) => At::Blob(e.id()),
            _ => At::Nothing,
        },
        Err(_) => At::Nothing,
    }
}

/// The goal files of one commit, and the entries that were not read.
#[derive(Default)]
pub struct GoalFiles {
    pub files: Vec<SourceFile>,
    pub not_read: Vec<NotRead>,
}

/// Every goal file below the tree `id` (paths prefixed by `base/`), by the one goal-path
/// rule: hidden entries are skipped, links and look-alikes listed in `not_read`.
fn list_blobs(
    repo: &Repository,
    id: Oid,
    base: &str,
    out: &mut Vec<(String, Oid)>,
    not_read: &mut Vec<NotRead>,
) -> Result<(), Error> {
    let tree = repo.find_tree(id)?;
    for entry in tree.iter() {
        let name = String::from_utf8_lossy(entry.name_bytes());
        let path = format!("{base}/{name}");
        let kind = goal_path_kind(&path);
        if kind == GoalPathKind::Hidden {
            continue;
        }
        let refused = |kind| NotRead {
            path: path.clone(),
            kind,
        };
        match entry.kind() {
            Some(ObjectType::Tree) => list_blobs(repo, entry.id(), &path, out, not_read)?,
            // A link is never read; one where a goal file or a folder would be is refused by
            // name (`load::refuses_link`, the rule `check` uses too).
            Some(ObjectType::Blob) if is_symlink(&entry) && crate::load::refuses_link(&path) => {
                not_read.push(refused(NotReadKind::Symlink));
            }
            Some(ObjectType::Blob) if is_symlink(&entry) => {}
            Some(ObjectType::Blob) if kind == GoalPathKind::Goal => out.push((path, entry.id())),
            Some(ObjectType::Blob) if kind == GoalPathKind::Lookalike => {
                not_read.push(refused(NotReadKind::Lookalike));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The configuration text at a commit (below the goal root `prefix`); a link there is
/// refused (pushed to `not_read`) and read as no configuration.
pub fn config_at(
    repo: &Repository,
    root: &Tree,
    prefix: &str,
    not_read: &mut Vec<NotRead>,
) -> Result<Option<Vec<u8>>, Error> {
    match entry_at(root, &format!("{prefix}{CONFIG_FILE}")) {
        At::Blob(id) => Ok(Some(repo.find_blob(id)?.content().to_vec())),
        At::Link(_) => {
            not_read.push(NotRead {
                path: CONFIG_FILE.into(),
                kind: NotReadKind::Symlink,
            });
            Ok(None)
        }
        At::Tree(_) | At::Nothing => Ok(None),
    }
}

/// All goal and KPI files at a commit, sorted by path (relative to the goal root).
pub fn goal_files(
    repo: &Repository,
    root: &Tree,
    prefix: &str,
    config: &Config,
) -> Result<GoalFiles, Error> {
    let mut blobs = Vec::new();
    let mut not_read = Vec::new();
    for dir in [&config.goals_dir, &config.kpi_dir] {
        match entry_at(root, &format!("{prefix}{dir}")) {
            At::Tree(id) => list_blobs(repo, id, dir, &mut blobs, &mut not_read)?,
            At::Link(at) => not_read.push(NotRead {
                path: at.strip_prefix(prefix).unwrap_or(&at).to_string(),
                kind: NotReadKind::Symlink,
            }),
            At::Blob(_) | At::Nothing => {}
        }
    }
    blobs.sort();
    blobs.dedup();
    not_read.sort_by(|a, b| a.path.cmp(&b.path));
    not_read.dedup();
    let files = blobs
        .into_iter()
        .map(|(path, id)| {
            Ok(SourceFile {
                path,
                bytes: repo.find_blob(id)?.content().to_vec(),
            })
        })
        .collect::<Result<_, Error>>()?;
    Ok(GoalFiles { files, not_read })
}

pub fn load_at(repo: &Repository, prefix: &str, oid: Oid) -> Result<Loaded, Error> {
    let tree = repo.find_commit(oid)?.tree()?;
    let mut not_read = Vec::new();
    let config_bytes = config_at(repo, &tree, prefix, &mut not_read)?;
    let (config, _) = load::parse_config(
        config_bytes
            .as_deref()
            .and_then(|b| std::str::from_utf8(b).ok()),
    );
    let listing = goal_files(repo, &tree, prefix, &config)?;
    not_read.extend(listing.not_read);
    Ok(load::load_listing(
        config_bytes.as_deref(),
        listing.files,
        not_read,
    ))
}

/// The folder of a goal root that holds the repository's own templates.
pub const TEMPLATES_DIR: &str = "templates";

/// Every file below `templates/` (of the goal root `prefix`) at commit `oid`, by path
/// relative to that folder. A symbolic link anywhere in it, or at `templates` itself, is
/// an error naming it: a link could publish any file of the machine that builds the site.
pub fn templates_at(
    repo: &Repository,
    prefix: &str,
    oid: Oid,
) -> Result<std::collections::BTreeMap<String, Vec<u8>>, Error> {
    let tree = repo.find_commit(oid)?.tree()?;
    let mut out = std::collections::BTreeMap::new();
    match entry_at(&tree, &format!("{prefix}{TEMPLATES_DIR}")) {
        At::Tree(id) => template_blobs(repo, id, "", &mut out)?,
        At::Link(at) => return Err(link_error(at.strip_prefix(prefix).unwrap_or(&at))),
        At::Blob(_) | At::Nothing => {}
    }
    Ok(out)
}

fn link_error(path: &str) -> Error {
    Error::Usage(format!(
        "{path} is a symbolic link: goalpost does not read templates through links\nhelp: commit the file itself instead of a link"
    ))
}

fn template_blobs(
    repo: &Repository,
    id: Oid,
    base: &str,
    out: &mut std::collections::BTreeMap<String, Vec<u8>>,
) -> Result<(), Error> {
    let tree = repo.find_tree(id)?;
    for entry in tree.iter() {
        let name = String::from_utf8_lossy(entry.name_bytes());
        let rel = if base.is_empty() {
            name.into_owned()
        } else {
            format!("{base}/{name}")
        };
        if is_symlink(&entry) {
            return Err(link_error(&format!("{TEMPLATES_DIR}/{rel}")));
        }
        match entry.kind() {
            Some(ObjectType::Tree) => template_blobs(repo, entry.id(), &rel, out)?,
            Some(ObjectType::Blob) => {
                out.insert(rel, repo.find_blob(entry.id())?.content().to_vec());
            }
            // Submodules (commits) hold nothing readable here.
            _ => {}
        }
    }
    Ok(())
}
