//! Git's changed-path Bloom filters (the BIDX/BDAT chunks of a commit-graph): the seeded
//! murmur3 hashes of git's `bloom.c` (version 1 and version 2) and the membership query.
//! Pure byte arithmetic; uses nothing else of the crate.

/// The settings in a BDAT chunk's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// 1 (git's original hash, which sign-extends bytes >= 0x80) or 2 (murmur3 as specified).
    pub version: u32,
    /// Bit positions per path (7 when git writes them).
    pub num_hashes: u32,
}

/// The two seeds of git's double hashing (`bloom_key_fill`).
const SEEDS: [u32; 2] = [0x293a_e76f, 0x7e64_6e2c];

/// murmur3 (32-bit) as git computes it. Version 1 reads each byte as a signed `char` (git's
/// bug on platforms where `char` is signed, such as x86-64), version 2 as unsigned.
pub fn murmur3(version: u32, seed: u32, data: &[u8]) -> u32 {
    const C1: u32 = 0xcc9e_2d51;
    const C2: u32 = 0x1b87_3593;
    // Version 1 widens a byte through a signed char: 0x80 becomes 0xffff_ff80.
    let byte = |b: u8| -> u32 {
        if version == 1 {
            b as i8 as i32 as u32
        } else {
            u32::from(b)
        }
    };
    let mut hash = seed;
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        let k = byte(c[0]) | byte(c[1]) << 8 | byte(c[2]) << 16 | byte(c[3]) << 24;
        let k = k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
        hash ^= k;
        hash = hash
            .rotate_left(13)
            .wrapping_mul(5)
            .wrapping_add(0xe654_6b64);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let mut k = 0u32;
        for (i, b) in tail.iter().enumerate().rev() {
            k ^= byte(*b) << (8 * i);
        }
        hash ^= k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
    }
    hash ^= data.len() as u32;
    hash ^= hash >> 16;
    hash = hash.wrapping_mul(0x85eb_ca6b);
    hash ^= hash >> 13;
    hash = hash.wrapping_mul(0xc2b2_ae35);
    hash ^= hash >> 16;
    hash
}

/// A path to look up, hashed for both hash versions.
#[derive(Debug, Clone)]
pub struct Key {
    /// (hash0, hash1) for version 1, or `None` when the path has a byte >= 0x80: version 1
    /// filters hash such bytes differently depending on the writer's platform, so they
    /// cannot be trusted for that path.
    v1: Option<(u32, u32)>,
    v2: (u32, u32),
}

impl Key {
    /// `path` as git stores it: `/`-separated, no leading or trailing `/`.
    pub fn new(path: &str) -> Key {
        let bytes = path.as_bytes();
        let pair = |v| (murmur3(v, SEEDS[0], bytes), murmur3(v, SEEDS[1], bytes));
        Key {
            v1: bytes.is_ascii().then(|| pair(1)),
            v2: pair(2),
        }
    }
}

/// What a filter says about a set of paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// None of the paths changed: certain.
    Unchanged,
    /// Some path may have changed (or the filter cannot tell).
    Maybe,
}

/// Whether any of `keys` may be in `filter` (git's `bloom_filter_contains`: bit
/// `h % (8 * len)` of the byte array, least significant bit first). An empty filter, an
/// unknown version or a key that the version cannot hash tells nothing.
pub fn query(filter: &[u8], settings: Settings, keys: &[Key]) -> Answer {
    let bits = 8 * filter.len() as u64;
    if bits == 0 {
        return Answer::Maybe;
    }
    for key in keys {
        let pair = match settings.version {
            1 => key.v1,
            2 => Some(key.v2),
            _ => None,
        };
        let Some((h0, h1)) = pair else {
            return Answer::Maybe;
        };
        let present = (0..settings.num_hashes).all(|i| {
            let bit = u64::from(h0.wrapping_add(i.wrapping_mul(h1))) % bits;
            filter[(bit / 8) as usize] & (1 << (bit % 8)) != 0
        });
        if present {
            return Answer::Maybe;
        }
    }
    Answer::Unchanged
}

#[cfg(test)]
mod tests {
    use super::*;

    // The hashes equal git's own test vectors (t/t0095-bloom.sh, `test-tool bloom`).
    #[test]
    fn murmur3_matches_git_test_vectors() {
        assert_eq!(murmur3(2, 0, b""), 0x0000_0000);
        assert_eq!(murmur3(2, 0, b"Hello world!"), 0x627b_0c2c);
        assert_eq!(
            murmur3(2, 0, b"The quick brown fox jumps over the lazy dog"),
            0x2e4f_f723
        );
        // Seven bytes >= 0x80: version 2 reads them unsigned; version 1 differs.
        let high = [0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff];
        assert_eq!(murmur3(2, 0, &high), 0xa183_ccfd);
        assert_ne!(murmur3(1, 0, &high), 0xa183_ccfd);
        assert_eq!(murmur3(1, 7, b"goals"), murmur3(2, 7, b"goals"));
        // `test-tool bloom generate_filter "Hello world!"`: the 7 hashes, and the 2-byte
        // filter 92|6c that they set.
        let key = Key::new("Hello world!");
        let (h0, h1) = key.v2;
        assert_eq!((h0, h1.wrapping_add(h0)), (0xb270_de9b, 0x1bb6_f26e));
        let mut filter = [0u8; 2];
        for i in 0..7u32 {
            let bit = h0.wrapping_add(i.wrapping_mul(h1)) % 16;
            filter[(bit / 8) as usize] |= 1 << (bit % 8);
        }
        assert_eq!(filter, [0x92, 0x6c]);
        let s = Settings {
            version: 2,
            num_hashes: 7,
        };
        assert_eq!(query(&filter, s, &[key]), Answer::Maybe);
    }

    // A filter with every bit set says maybe; an all-zero one says unchanged.
    #[test]
    fn full_and_empty_filters() {
        let keys = [Key::new("goals")];
        let s = Settings {
            version: 2,
            num_hashes: 7,
        };
        assert_eq!(query(&[0xff], s, &keys), Answer::Maybe);
        assert_eq!(query(&[0], s, &keys), Answer::Unchanged);
        assert_eq!(query(&[], s, &keys), Answer::Maybe);
        let v1 = Settings { version: 1, ..s };
        assert_eq!(query(&[0], v1, &[Key::new("gö")]), Answer::Maybe);
    }
}
