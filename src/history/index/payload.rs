//! The payload of an index file: the small parts of a history decoded at once, and each big
//! part (the commit list, every item's series and change log, every objective's versions)
//! as its own length-prefixed byte string, handed to the history as a [`Lazy`] range of the
//! file and decoded only when used. A part read and not changed is written back as the same
//! bytes, so a resumed walk that stores its result re-encodes only what it touched.
//!
//! postcard encodes a byte string as its length and the bytes, so a part's bytes can be
//! borrowed straight from the file when decoding.

use super::super::build::{Carry, History, ItemHistory};
use super::super::lazy::{Decode, Lazy, Raw};
use super::super::Commits;
use super::dto::{self, Small};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::rc::Rc;

/// One encoded part, borrowed from the file when read.
struct Blob<'a>(Cow<'a, [u8]>);

impl Serialize for Blob<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Blob<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'de [u8]>::deserialize(d).map(|b| Blob(Cow::Borrowed(b)))
    }
}

#[derive(Serialize, Deserialize)]
struct Payload<'a> {
    /// The number of commits: every commit index in every part is below it.
    commit_count: u64,
    #[serde(borrow)]
    commits: Blob<'a>,
    #[serde(borrow)]
    objectives: Vec<(String, Blob<'a>)>,
    #[serde(borrow)]
    key_results: Vec<(String, Blob<'a>)>,
    #[serde(borrow)]
    kpis: Vec<(String, Blob<'a>)>,
    #[serde(borrow)]
    versions: Vec<(String, Blob<'a>)>,
    small: Small,
}

/// A part's stored bytes: the ones it was read from while unchanged, else encoded afresh.
fn blob<'h, T: Default>(
    part: &'h Lazy<T>,
    encode: impl Fn(&T) -> Option<Vec<u8>>,
) -> Option<Blob<'h>> {
    Some(Blob(match part.raw_bytes() {
        Some(bytes) => Cow::Borrowed(bytes),
        None => Cow::Owned(encode(part)?),
    }))
}

fn blobs<'h, T: Default>(
    map: &'h BTreeMap<String, Lazy<T>>,
    encode: impl Fn(&T) -> Option<Vec<u8>>,
) -> Option<Vec<(String, Blob<'h>)>> {
    map.iter()
        .map(|(k, v)| Some((k.clone(), blob(v, &encode)?)))
        .collect()
}

/// The payload of a finished history and the state carried past its head.
pub(super) fn encode(h: &History, carry: &Carry) -> Option<Vec<u8>> {
    let items = |map| blobs(map, |i: &ItemHistory| dto::encode_item(i));
    let payload = Payload {
        commit_count: h.commits.len() as u64,
        commits: match h.commits.stored_part() {
            (stored, true) => blob(stored, |c: &Vec<_>| dto::encode_commits(c))?,
            (_, false) => Blob(Cow::Owned(dto::encode_commits(&h.commits.to_vec())?)),
        },
        objectives: items(&h.objectives)?,
        key_results: items(&h.key_results)?,
        kpis: items(&h.kpis)?,
        versions: blobs(&h.versions, |v: &Vec<_>| dto::encode_versions(v))?,
        small: Small::new(h, carry),
    };
    postcard::to_allocvec(&payload).ok()
}

/// The part `b`, a slice of `buf`, left encoded.
fn part<T: Default>(
    buf: &Rc<Vec<u8>>,
    b: &Blob,
    bound: usize,
    decode: Decode<T>,
) -> Option<Lazy<T>> {
    let at = (b.0.as_ptr() as usize).checked_sub(buf.as_ptr() as usize)?;
    Raw::new(buf, at, at + b.0.len(), bound, decode).map(Lazy::from_raw)
}

fn parts<T: Default>(
    buf: &Rc<Vec<u8>>,
    list: Vec<(String, Blob)>,
    bound: usize,
    decode: Decode<T>,
) -> Option<BTreeMap<String, Lazy<T>>> {
    list.into_iter()
        .map(|(k, b)| Some((k, part(buf, &b, bound, decode)?)))
        .collect()
}

/// The history and carried state in `buf[start..]`, its big parts left encoded; `None`
/// when the payload does not decode or a part is not inside it.
pub(super) fn decode(buf: &Rc<Vec<u8>>, start: usize) -> Option<(History, Carry)> {
    let payload: Payload = postcard::from_bytes(buf.get(start..)?).ok()?;
    let bound = usize::try_from(payload.commit_count).ok()?;
    let (mut history, carry) = payload.small.into_parts(bound)?;
    let commits = part(buf, &payload.commits, bound, dto::decode_commits)?;
    history.commits = Commits::stored(commits, bound);
    history.objectives = parts(buf, payload.objectives, bound, dto::decode_item)?;
    history.key_results = parts(buf, payload.key_results, bound, dto::decode_item)?;
    history.kpis = parts(buf, payload.kpis, bound, dto::decode_item)?;
    history.versions = parts(buf, payload.versions, bound, dto::decode_versions)?;
    Some((history, carry))
}
