//! Raw object reading for the history walk: commit headers and tree entries parsed straight
//! from the object database's bytes, skipping libgit2's object parsing and allocations
//! (the walk reads one tree per commit and needs three of its entries).

use git2::Oid;

fn hex_oid(hex: &[u8]) -> Option<Oid> {
    std::str::from_utf8(hex)
        .ok()
        .and_then(|s| Oid::from_str(s).ok())
}

/// The tree and the first parent named in a commit's header.
pub fn commit_links(data: &[u8]) -> Option<(Oid, Option<Oid>)> {
    let tree = data.strip_prefix(b"tree ")?.get(..40).and_then(hex_oid)?;
    let rest = data.get(46..)?;
    let parent = rest
        .strip_prefix(b"parent ")
        .and_then(|p| p.get(..40))
        .and_then(hex_oid);
    Some((tree, parent))
}

/// Who made a commit, when, and its summary, parsed from the raw commit object.
pub fn commit_info(id: Oid, data: &[u8]) -> Result<super::CommitInfo, crate::error::Error> {
    let (header, message) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&data[..i], &data[i + 2..]),
        None => (data, &b""[..]),
    };
    let line = |key: &[u8]| {
        header
            .split(|b| *b == b'\n')
            .find(|l| l.starts_with(key))
            .map(|l| &l[key.len()..])
    };
    let author = line(b"author ").unwrap_or_default();
    let (name, email) = match (
        author.iter().position(|b| *b == b'<'),
        author.iter().position(|b| *b == b'>'),
    ) {
        (Some(lt), Some(gt)) if lt < gt => (author[..lt].trim_ascii(), &author[lt + 1..gt]),
        _ => (author, &b""[..]),
    };
    let committer = line(b"committer ").unwrap_or_default();
    let seconds = committer
        .iter()
        .rposition(|b| *b == b'>')
        .and_then(|gt| std::str::from_utf8(&committer[gt + 1..]).ok())
        .and_then(|rest| rest.split_whitespace().next()?.parse::<i64>().ok());
    let text = String::from_utf8_lossy(message);
    let summary: Vec<&str> = text
        .trim_start()
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let id = id.to_string();
    Ok(super::CommitInfo {
        time: super::commit_time(&id, seconds)?,
        id,
        author: String::from_utf8_lossy(name).into_owned(),
        email: String::from_utf8_lossy(email).into_owned(),
        summary: summary.join(" "),
        merged: header
            .split(|b| *b == b'\n')
            .filter_map(|l| l.strip_prefix(b"parent "))
            .skip(1)
            .map(|p| String::from_utf8_lossy(p).trim().to_string())
            .collect(),
    })
}

/// Git's order of tree entries: by name, with a tree's name compared as if it ended in `/`.
pub fn entry_order(a: &RawEntry, b: &RawEntry) -> std::cmp::Ordering {
    fn key<'e>(e: &'e RawEntry) -> impl Iterator<Item = u8> + 'e {
        e.name.iter().copied().chain(e.is_tree.then_some(b'/'))
    }
    key(a).cmp(key(b))
}

/// One entry of a tree object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawEntry<'a> {
    pub name: &'a [u8],
    pub id: Oid,
    pub is_tree: bool,
    pub is_blob: bool,
}

/// Iterates a tree object's entries: `<octal mode> <name>\0<20-byte id>` repeated.
pub fn entries(data: &[u8]) -> impl Iterator<Item = RawEntry<'_>> {
    let mut rest = data;
    std::iter::from_fn(move || {
        let space = rest.iter().position(|b| *b == b' ')?;
        let nul = space + rest[space..].iter().position(|b| *b == 0)?;
        let id_bytes = rest.get(nul + 1..nul + 21)?;
        let mode = &rest[..space];
        let entry = RawEntry {
            name: &rest[space + 1..nul],
            id: Oid::from_bytes(id_bytes).ok()?,
            is_tree: mode == b"40000",
            // Regular and executable files; symlinks (120000) and submodules are not goal files.
            is_blob: mode.starts_with(b"100"),
        };
        rest = &rest[nul + 21..];
        Some(entry)
    })
}

/// The entry called `name` in a tree object.
pub fn find<'a>(data: &'a [u8], name: &str) -> Option<RawEntry<'a>> {
    entries(data).find(|e| e.name == name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Tree entries and commit headers parse from raw bytes.
    #[test]
    fn parses_raw_objects() {
        let id = [7u8; 20];
        let mut tree = b"40000 goals\0".to_vec();
        tree.extend_from_slice(&id);
        tree.extend_from_slice(b"100644 goalpost.toml\0");
        tree.extend_from_slice(&id);
        let all: Vec<_> = entries(&tree).collect();
        assert_eq!(all.len(), 2);
        assert!(all[0].is_tree && !all[0].is_blob);
        assert_eq!(find(&tree, "goalpost.toml").map(|e| e.is_blob), Some(true));
        let hex = "0707070707070707070707070707070707070707";
        let commit = format!("tree {hex}\nparent {hex}\nauthor x <y> 1 +0000\n");
        let (t, p) = commit_links(commit.as_bytes()).unwrap();
        assert_eq!(
            (t.to_string(), p.map(|p| p.to_string())),
            (hex.to_string(), Some(hex.to_string()))
        );
        let full = format!("tree {hex}\nauthor Ann Lee <ann@x.test> 1700000000 +0100\ncommitter C <c@x.test> 1700000500 +0000\n\nFirst line\nsame paragraph\n\nbody\n");
        let info = commit_info(t, full.as_bytes()).unwrap();
        assert_eq!(
            (info.author.as_str(), info.email.as_str()),
            ("Ann Lee", "ann@x.test")
        );
        assert_eq!(info.time.as_second(), 1_700_000_500);
        assert_eq!(info.summary, "First line same paragraph");
    }
}
