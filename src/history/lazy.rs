//! [`Lazy`]: a part of a [`super::History`] read from the history index that is decoded
//! only when something looks at it. A warm `status` needs the series of one period's key
//! results, not the whole history: decoding (and then freeing) every series, version and
//! commit of a 100,000-commit history cost more than everything else the command does.
//!
//! A value made by the walk is held decoded. One read from the index keeps its encoded bytes
//! (a range of the index file, shared) until its first use; while it is unchanged, storing
//! the history again writes those bytes back without decoding them. The file's checksum was
//! checked before any part of it is handed out, so the bytes are the ones goalpost wrote; a
//! part that still fails to decode (a bug, never bad input) reads as empty, never a panic.

use std::cell::OnceCell;
use std::ops::{Deref, DerefMut};
use std::rc::Rc;

/// Decodes one part from its bytes; `bound` is the number of commits the history holds
/// (every commit index in the part must be below it).
pub(super) type Decode<T> = fn(&[u8], usize) -> Option<T>;

/// The encoded bytes of one part: a range of a shared buffer, and how to decode them.
pub(super) struct Raw<T> {
    buf: Rc<Vec<u8>>,
    start: usize,
    end: usize,
    bound: usize,
    decode: Decode<T>,
}

impl<T> Clone for Raw<T> {
    fn clone(&self) -> Self {
        Raw {
            buf: Rc::clone(&self.buf),
            start: self.start,
            end: self.end,
            bound: self.bound,
            decode: self.decode,
        }
    }
}

impl<T> Raw<T> {
    /// The part at `start..end` of `buf`, or `None` when the range is not inside it.
    pub fn new(
        buf: &Rc<Vec<u8>>,
        start: usize,
        end: usize,
        bound: usize,
        decode: Decode<T>,
    ) -> Option<Raw<T>> {
        buf.get(start..end)?;
        Some(Raw {
            buf: Rc::clone(buf),
            start,
            end,
            bound,
            decode,
        })
    }

    pub fn bytes(&self) -> &[u8] {
        self.buf.get(self.start..self.end).unwrap_or_default()
    }
}

/// A value decoded on first use (see the module header). Reads and writes go through
/// `Deref`/`DerefMut`, so code that walks or builds a history sees a plain value.
pub struct Lazy<T> {
    value: OnceCell<T>,
    /// The encoded form, while it still equals the value (dropped on the first write).
    raw: Option<Raw<T>>,
}

impl<T: Default> Lazy<T> {
    /// A value held decoded.
    pub fn new(value: T) -> Lazy<T> {
        Lazy {
            value: OnceCell::from(value),
            raw: None,
        }
    }

    /// A value still encoded.
    pub(super) fn from_raw(raw: Raw<T>) -> Lazy<T> {
        Lazy {
            value: OnceCell::new(),
            raw: Some(raw),
        }
    }

    /// The encoded bytes, when the value has not been changed since it was read.
    pub(super) fn raw_bytes(&self) -> Option<&[u8]> {
        self.raw.as_ref().map(Raw::bytes)
    }

    /// Whether the value was decoded or made (not read from the index and left unused).
    pub(super) fn is_decoded(&self) -> bool {
        self.value.get().is_some()
    }

    fn decode(&self) -> T {
        self.raw
            .as_ref()
            .and_then(|r| (r.decode)(r.bytes(), r.bound))
            .unwrap_or_default()
    }
}

impl<T: Default> Deref for Lazy<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value.get_or_init(|| self.decode())
    }
}

impl<T: Default> DerefMut for Lazy<T> {
    fn deref_mut(&mut self) -> &mut T {
        if self.value.get().is_none() {
            let value = self.decode();
            self.value = OnceCell::from(value);
        }
        // Written to: the stored bytes no longer say what the value is.
        self.raw = None;
        match self.value.get_mut() {
            Some(value) => value,
            // Unreachable: the cell was filled above.
            None => unreachable!("a lazy value is decoded before it is written"),
        }
    }
}

impl<T: Default> Default for Lazy<T> {
    fn default() -> Self {
        Lazy::new(T::default())
    }
}

impl<T: Default> From<T> for Lazy<T> {
    fn from(value: T) -> Self {
        Lazy::new(value)
    }
}

impl<T: Clone> Clone for Lazy<T> {
    fn clone(&self) -> Self {
        Lazy {
            value: self.value.clone(),
            raw: self.raw.clone(),
        }
    }
}

impl<T: Default + std::fmt::Debug> std::fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: Default + PartialEq> PartialEq for Lazy<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_len(bytes: &[u8], _: usize) -> Option<usize> {
        (bytes != b"bad").then_some(bytes.len())
    }

    // A part is decoded on first read, keeps its bytes until written, and a part that does
    // not decode reads as empty instead of panicking.
    #[test]
    fn decodes_on_use_and_forgets_bytes_on_write() {
        let buf = Rc::new(b"abcdbad".to_vec());
        let mut lazy = Lazy::from_raw(Raw::new(&buf, 0, 4, 0, decode_len).unwrap());
        assert!(!lazy.is_decoded());
        assert_eq!(*lazy, 4);
        assert!(lazy.is_decoded());
        assert_eq!(lazy.raw_bytes(), Some(&b"abcd"[..]));
        *lazy += 1;
        assert_eq!((*lazy, lazy.raw_bytes()), (5, None));
        let bad = Lazy::from_raw(Raw::new(&buf, 4, 7, 0, decode_len).unwrap());
        assert_eq!(*bad, 0);
        assert!(Raw::new(&buf, 4, 9, 0, decode_len).is_none());
    }
}
