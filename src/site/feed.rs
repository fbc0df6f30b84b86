//! The Atom feed's view-model: a feed id that never changes for a repository (the site's
//! `[site] url`, else a `tag:` URI from the first commit that touched the goals), entry ids
//! that are `tag:` URIs unique per change, human titles, and `rel="self"` when the site's
//! address is known (RFC 4287; tag URIs are RFC 4151).

use super::pages::{ChangeRow, SiteInfo};
use crate::history::History;
use serde::Serialize;

/// Entries in the feed: the newest changes.
pub const FEED_ENTRIES: usize = 50;

/// The tagging authority of goalpost's ids. `.invalid` is reserved (RFC 2606): it can
/// never clash with a real authority's tags.
const AUTHORITY: &str = "goalpost.invalid";

#[derive(Serialize)]
pub struct FeedContext<'a> {
    site: &'a SiteInfo,
    id: String,
    /// The feed's own absolute address, when `[site] url` is set.
    self_url: Option<String>,
    base_url: String,
    updated: jiff::Timestamp,
    entries: Vec<FeedEntry>,
}

#[derive(Serialize)]
struct FeedEntry {
    id: String,
    title: String,
    time: jiff::Timestamp,
    author: String,
    /// The item's page, or the change log for an item that is gone.
    url: String,
    summary: String,
}

/// `s` with every byte but letters, digits, `-._~` and `/` percent-encoded, so any goal id
/// is a valid URI path.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `tag:` prefix fixed for this repository: its first commit that touched the goals
/// (oldest first in the history) and that commit's day. A shallow clone that cuts that
/// commit off would see another; set `[site] url` for an id that depends on nothing.
fn repository_tag(history: &History) -> String {
    match history.commits.first() {
        Some(c) => format!(
            "tag:{AUTHORITY},{}:goals/{}",
            c.time.strftime("%Y-%m-%d"),
            c.id
        ),
        None => format!("tag:{AUTHORITY},2000-01-01:goals/empty"),
    }
}

pub fn context<'a>(
    info: &'a SiteInfo,
    history: &History,
    base_url: &str,
    changes: &[ChangeRow],
) -> FeedContext<'a> {
    let tag = repository_tag(history);
    let mut seen = std::collections::HashMap::<String, usize>::new();
    let entries = changes
        .iter()
        .take(FEED_ENTRIES)
        .map(|c| {
            let base = format!(
                "{tag}/change/{}/{}/{}",
                c.commit,
                encode(&c.id),
                encode(c.field.as_deref().unwrap_or("item"))
            );
            // Two changes of one field in one commit keep distinct ids, numbered in order.
            let n = seen.entry(base.clone()).or_default();
            *n += 1;
            let id = if *n == 1 { base } else { format!("{base}/{n}") };
            FeedEntry {
                id,
                title: format!("{}: {}", c.item, c.description),
                time: c.time,
                author: c.author.clone(),
                // Atom wants a link (or content) in every entry: a change of an item
                // that is gone links to the change log, which lists it.
                url: c.url.clone().unwrap_or_else(|| "changes.html".into()),
                summary: format!(
                    "{}{} (commit {} by {})",
                    c.summary,
                    c.move_badge
                        .as_deref()
                        .map(|b| format!(" · {b}"))
                        .unwrap_or_default(),
                    c.short,
                    c.author
                ),
            }
        })
        .collect();
    let known = !base_url.is_empty();
    FeedContext {
        site: info,
        id: if known {
            format!("{base_url}feed.xml")
        } else {
            tag
        },
        self_url: known.then(|| format!("{base_url}feed.xml")),
        base_url: base_url.to_string(),
        updated: changes.first().map_or(info.as_of, |c| c.time),
        entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Ids with `#`, spaces and non-ASCII become valid URI characters.
    #[test]
    fn ids_are_encoded() {
        assert_eq!(encode("2026-Q4/t/x#k 1é"), "2026-Q4/t/x%23k%201%C3%A9");
    }
}
