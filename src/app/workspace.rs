//! Finding the goal root and reading its files from the working tree (sorted walks).
//! Symbolic links are never followed: a link where a goal file, a goal folder or
//! `goalpost.toml` would be is listed as refused, exactly as the git reader lists a
//! link committed there, so `check` and the history commands give the same verdict.

use crate::error::Error;
use crate::load::{goal_path_kind, GoalPathKind, NotRead, NotReadKind};
use crate::load::{Loaded, SourceFile, CONFIG_FILE};
use std::path::{Path, PathBuf};

/// The goal files of a working tree.
pub struct Workspace {
    pub root: PathBuf,
    pub config: Option<Vec<u8>>,
    pub files: Vec<SourceFile>,
    /// Entries seen but not read: symbolic links and look-alike files.
    pub not_read: Vec<NotRead>,
}

impl Workspace {
    /// Loads the files, with an error for every refused link.
    pub fn load(self) -> Loaded {
        crate::load::load_listing(self.config.as_deref(), self.files, self.not_read)
    }
}

/// Walks up from `start` to the folder holding `goalpost.toml`.
pub fn find_root(start: &Path) -> Result<PathBuf, Error> {
    let start = std::fs::canonicalize(start).map_err(|e| Error::io(start, e))?;
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
        .ok_or(Error::NoRoot(start))
}

/// What reading one path without following links found.
enum Read {
    File(Vec<u8>),
    Link,
    Missing,
}

/// Reads a regular file, refusing a symbolic link even if one appears after the walk
/// looked (`O_NOFOLLOW`); `O_NONBLOCK` keeps a FIFO swapped in from hanging the read.
fn read_no_follow(path: &Path) -> Result<Read, Error> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(
            (rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32,
        );
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => return Ok(Read::Link),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Read::Missing),
        Err(e) => return Err(Error::io(path, e)),
    }
    let mut file = match options.open(path) {
        Ok(file) => file,
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {
            return Ok(Read::Link)
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(Error::io(path, std::io::Error::other("not a regular file")));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::io::Read::read_to_end(&mut file, &mut bytes).map_err(|e| Error::io(path, e))?;
    Ok(Read::File(bytes))
}

/// Reads `goalpost.toml` and every goal file under the goal and KPI folders.
pub fn read_workspace(root: &Path) -> Result<Workspace, Error> {
    let mut not_read = Vec::new();
    let config = match read_no_follow(&root.join(CONFIG_FILE))? {
        Read::File(bytes) => Some(bytes),
        Read::Link => {
            not_read.push(link(CONFIG_FILE));
            None
        }
        Read::Missing => None,
    };
    let (parsed, _) =
        crate::load::parse_config(config.as_deref().and_then(|b| std::str::from_utf8(b).ok()));
    let mut files = Vec::new();
    for dir in [&parsed.goals_dir, &parsed.kpi_dir] {
        match linked_component(root, dir)? {
            Some(at) => not_read.push(link(&at)),
            None => read_dir_sorted(root, &root.join(dir), &mut files, &mut not_read)?,
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    not_read.sort_by(|a, b| a.path.cmp(&b.path));
    not_read.dedup();
    Ok(Workspace {
        root: root.to_path_buf(),
        config,
        files,
        not_read,
    })
}

/// Reads the file `rel` (`/`-separated, below `root`) if it is there, refusing a symbolic
/// link at any component with an error naming it (for repository files that are not goal
/// files, such as the `new` command's templates).
pub fn read_inside(root: &Path, rel: &str) -> Result<Option<Vec<u8>>, Error> {
    let refuse = |at: &str| {
        Error::Usage(format!(
            "{at} is a symbolic link: goalpost does not read repository files through links"
        ))
    };
    if let Some(at) = linked_component(root, rel)? {
        return Err(refuse(&at));
    }
    match read_no_follow(&root.join(rel))? {
        Read::File(bytes) => Ok(Some(bytes)),
        Read::Link => Err(refuse(rel)),
        Read::Missing => Ok(None),
    }
}

fn link(path: &str) -> NotRead {
    NotRead {
        path: path.to_string(),
        kind: NotReadKind::Symlink,
    }
}

/// The first component of the path `rel` (below `root`) that is a symbolic link.
pub(crate) fn linked_component(root: &Path, rel: &str) -> Result<Option<String>, Error> {
    let mut path = root.to_path_buf();
    let mut walked = Vec::new();
    for segment in rel.split('/') {
        path.push(segment);
        walked.push(segment);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => return Ok(Some(walked.join("/"))),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    Ok(None)
}

/// `path` relative to `root`, `/`-separated.
fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_dir_sorted(
    root: &Path,
    dir: &Path,
    out: &mut Vec<SourceFile>,
    not_read: &mut Vec<NotRead>,
) -> Result<(), Error> {
    if !dir.is_dir() {
        return Ok(());
    }
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| goal_path_kind(&relative(root, e.path())) != GoalPathKind::Hidden);
    for entry in walk {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(&path, std::io::Error::other(e))
        })?;
        let path = relative(root, entry.path());
        let kind = goal_path_kind(&path);
        let file_type = entry.file_type();
        if file_type.is_symlink() && crate::load::refuses_link(&path) {
            not_read.push(link(&path));
        } else if file_type.is_file() && kind == GoalPathKind::Lookalike {
            not_read.push(NotRead {
                path,
                kind: NotReadKind::Lookalike,
            });
        } else if file_type.is_file() && kind == GoalPathKind::Goal {
            match read_no_follow(entry.path())? {
                Read::File(bytes) => out.push(SourceFile { path, bytes }),
                Read::Link => not_read.push(link(&path)),
                Read::Missing => {}
            }
        }
    }
    Ok(())
}
