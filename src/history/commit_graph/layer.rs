//! One commit-graph file, checked whole when it is read (see the parent module) so that
//! every later access is in bounds; accessors still never index unchecked.

use super::bloom::Settings;
use super::GraphCommit;
use git2::Oid;
use sha1::{Digest, Sha1};

const HASH: usize = 20;
const HEADER: usize = 8;
const TOC_ROW: usize = 12;
/// CDAT: root tree, two parent positions, generation and time.
const CDAT_ROW: usize = HASH + 16;
/// A parent position meaning "no parent".
const NO_PARENT: u32 = 0x7000_0000;
/// Set on the second parent position when the parents continue in the EDGE chunk.
#[cfg(test)]
const OCTOPUS: u32 = 0x8000_0000;
/// The BDAT header: hash version, number of hashes, bits per entry.
const BDAT_HEADER: usize = 12;

/// A checked commit-graph file.
pub struct Layer {
    data: Vec<u8>,
    /// Commits in the layers below this one: this file's first commit's global position.
    base: u32,
    commits: u32,
    oidf: usize,
    oidl: usize,
    cdat: usize,
    /// Offset and length of the EDGE chunk, when there is one.
    #[cfg_attr(not(test), allow(dead_code))]
    edge: Option<(usize, usize)>,
    bloom: Option<Bloom>,
}

/// Where a file's filters are.
struct Bloom {
    bidx: usize,
    /// Start of the filter bytes (after the BDAT header) and their length.
    data: usize,
    len: usize,
    settings: Settings,
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    let bytes = data.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes(bytes.try_into().ok()?))
}

fn be64(data: &[u8], at: usize) -> Option<u64> {
    let bytes = data.get(at..at.checked_add(8)?)?;
    Some(u64::from_be_bytes(bytes.try_into().ok()?))
}

/// The chunk table: (id, offset, length) of every chunk, checked to lie between the table
/// and the trailing hash, in order.
fn chunks(data: &[u8], count: usize) -> Option<Vec<([u8; 4], usize, usize)>> {
    let toc_end = HEADER.checked_add(count.checked_add(1)?.checked_mul(TOC_ROW)?)?;
    let body_end = data.len().checked_sub(HASH)?;
    if toc_end > body_end {
        return None;
    }
    let row = |i: usize| -> Option<([u8; 4], usize)> {
        let at = HEADER + i * TOC_ROW;
        let id: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
        let offset = usize::try_from(be64(data, at + 4)?).ok()?;
        Some((id, offset))
    };
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let ((id, start), (_, end)) = (row(i)?, row(i + 1)?);
        if id == [0; 4] || start < toc_end || end < start || end > body_end {
            return None;
        }
        out.push((id, start, end - start));
    }
    // The table ends with a zero id.
    (row(count)?.0 == [0; 4]).then_some(out)
}

impl Layer {
    /// Checks and indexes one file; `base` is the number of commits below it and
    /// `base_hashes` the checksums of the layers below (its BASE chunk must list them).
    pub fn parse(data: Vec<u8>, base: u32, base_hashes: &[Oid]) -> Option<Layer> {
        // Header: "CGPH", version 1, SHA-1, chunk count, base count.
        if data.get(..6)? != b"CGPH\x01\x01" || usize::from(data[7]) != base_hashes.len() {
            return None;
        }
        let body_end = data.len().checked_sub(HASH)?;
        if Sha1::digest(&data[..body_end]).as_slice() != &data[body_end..] {
            return None;
        }
        let table = chunks(&data, usize::from(data[6]))?;
        let find = |id: &[u8; 4]| table.iter().find(|c| &c.0 == id).map(|c| (c.1, c.2));
        let (oidf, oidf_len) = find(b"OIDF")?;
        let (oidl, oidl_len) = find(b"OIDL")?;
        let (cdat, cdat_len) = find(b"CDAT")?;
        if oidf_len != 256 * 4 {
            return None;
        }
        let commits = be32(&data, oidf + 255 * 4)?;
        let n = usize::try_from(commits).ok()?;
        if oidl_len != n.checked_mul(HASH)? || cdat_len != n.checked_mul(CDAT_ROW)? {
            return None;
        }
        base.checked_add(commits).filter(|end| *end < NO_PARENT)?;
        if !base_hashes.is_empty() {
            let (at, len) = find(b"BASE")?;
            let listed = data.get(at..at + len)?;
            let expected: Vec<u8> = base_hashes
                .iter()
                .flat_map(|h| h.as_bytes().to_vec())
                .collect();
            if listed != expected.as_slice() {
                return None;
            }
        }
        let mut layer = Layer {
            base,
            commits,
            oidf,
            oidl,
            cdat,
            edge: find(b"EDGE"),
            bloom: None,
            data,
        };
        layer.check_ids()?;
        layer.bloom = layer.check_bloom(find(b"BIDX"), find(b"BDAT"));
        Some(layer)
    }

    /// Ids strictly ascending, and the fanout counting exactly the ids up to each first byte
    /// (the binary search relies on both).
    fn check_ids(&self) -> Option<()> {
        let mut count = 0usize;
        let mut previous: Option<&[u8]> = None;
        for byte in 0..256usize {
            let fanout = usize::try_from(be32(&self.data, self.oidf + byte * 4)?).ok()?;
            while count < self.commits as usize {
                let id = self.data.get(self.oidl + count * HASH..)?.get(..HASH)?;
                if usize::from(id[0]) != byte {
                    break;
                }
                if previous.is_some_and(|p| p >= id) {
                    return None;
                }
                previous = Some(id);
                count += 1;
            }
            if fanout != count {
                return None;
            }
        }
        (count == self.commits as usize).then_some(())
    }

    /// The filters, when both chunks are there and sound: a known hash version, offsets
    /// never decreasing and within BDAT. Unsound filters are ignored, the rest still used.
    fn check_bloom(
        &self,
        bidx: Option<(usize, usize)>,
        bdat: Option<(usize, usize)>,
    ) -> Option<Bloom> {
        let ((bidx, bidx_len), (bdat, bdat_len)) = (bidx?, bdat?);
        if bidx_len != (self.commits as usize).checked_mul(4)? || bdat_len < BDAT_HEADER {
            return None;
        }
        let settings = Settings {
            version: be32(&self.data, bdat)?,
            num_hashes: be32(&self.data, bdat + 4)?,
        };
        if !matches!(settings.version, 1 | 2) || !(1..=64).contains(&settings.num_hashes) {
            return None;
        }
        let len = bdat_len - BDAT_HEADER;
        let mut previous = 0usize;
        for i in 0..self.commits as usize {
            let end = usize::try_from(be32(&self.data, bidx + 4 * i)?).ok()?;
            if end < previous || end > len {
                return None;
            }
            previous = end;
        }
        Some(Bloom {
            bidx,
            data: bdat + BDAT_HEADER,
            len,
            settings,
        })
    }

    /// The file's trailing checksum (a chain names each layer by it).
    pub fn checksum(&self) -> Oid {
        let at = self.data.len() - HASH;
        Oid::from_bytes(&self.data[at..]).unwrap_or(Oid::ZERO_SHA1)
    }

    pub fn base(&self) -> u32 {
        self.base
    }

    /// One past this layer's last global position.
    pub fn end(&self) -> u32 {
        self.base + self.commits
    }

    #[cfg(test)]
    pub fn has_filters(&self) -> bool {
        self.bloom.is_some()
    }

    fn local(&self, pos: u32) -> Option<usize> {
        let local = pos.checked_sub(self.base)?;
        (local < self.commits).then_some(local as usize)
    }

    pub fn oid(&self, pos: u32) -> Option<Oid> {
        let at = self.oidl + self.local(pos)? * HASH;
        Oid::from_bytes(self.data.get(at..at + HASH)?).ok()
    }

    /// The global position of `oid` in this layer: the fanout narrows the range, then a
    /// binary search over the sorted ids.
    pub fn position(&self, oid: Oid) -> Option<u32> {
        let id = oid.as_bytes();
        let first = usize::from(id[0]);
        let lo = match first {
            0 => 0,
            b => be32(&self.data, self.oidf + (b - 1) * 4)? as usize,
        };
        let hi = be32(&self.data, self.oidf + first * 4)? as usize;
        let ids = self
            .data
            .get(self.oidl + lo * HASH..self.oidl + hi * HASH)?;
        let mut range = 0..hi.checked_sub(lo)?;
        while !range.is_empty() {
            let mid = range.start + range.len() / 2;
            match ids[mid * HASH..(mid + 1) * HASH].cmp(id) {
                std::cmp::Ordering::Less => range.start = mid + 1,
                std::cmp::Ordering::Greater => range.end = mid,
                std::cmp::Ordering::Equal => return Some(self.base + (lo + mid) as u32),
            }
        }
        None
    }

    /// A parent position, checked to name a commit of this layer or one below it.
    fn parent_pos(&self, value: u32) -> Option<Option<u32>> {
        match value {
            NO_PARENT => Some(None),
            p if p < self.end() => Some(Some(p)),
            _ => None,
        }
    }

    pub fn commit(&self, pos: u32) -> Option<GraphCommit> {
        let at = self.cdat + self.local(pos)? * CDAT_ROW;
        let tree = Oid::from_bytes(self.data.get(at..at + HASH)?).ok()?;
        let parent = self.parent_pos(be32(&self.data, at + HASH)?)?;
        Some(GraphCommit { tree, parent })
    }

    #[cfg(test)]
    /// All parents, in order, following the EDGE chunk for octopus merges.
    pub fn parents(&self, pos: u32) -> Option<Vec<u32>> {
        let at = self.cdat + self.local(pos)? * CDAT_ROW + HASH;
        let mut out: Vec<u32> = self
            .parent_pos(be32(&self.data, at)?)?
            .into_iter()
            .collect();
        let second = be32(&self.data, at + 4)?;
        if second & OCTOPUS == 0 {
            out.extend(self.parent_pos(second)?);
            return Some(out);
        }
        let (edge, len) = self.edge?;
        let mut i = (second & !OCTOPUS) as usize;
        loop {
            let value = be32(&self.data, edge + 4 * i).filter(|_| 4 * i < len)?;
            out.push(self.parent_pos(value & !OCTOPUS)??);
            if value & OCTOPUS != 0 {
                return Some(out);
            }
            i += 1;
        }
    }

    /// The filter of the commit at `pos`: its bytes and the file's settings.
    pub fn filter(&self, pos: u32) -> Option<(&[u8], Settings)> {
        let bloom = self.bloom.as_ref()?;
        let local = self.local(pos)?;
        let end = be32(&self.data, bloom.bidx + 4 * local)? as usize;
        let start = match local {
            0 => 0,
            i => be32(&self.data, bloom.bidx + 4 * (i - 1))? as usize,
        };
        let bytes = self
            .data
            .get(bloom.data..bloom.data + bloom.len)?
            .get(start..end)?;
        Some((bytes, bloom.settings))
    }
}
