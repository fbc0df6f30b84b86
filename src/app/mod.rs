//! The application layer: one module per use case. Each takes an options struct, does the
//! work through `load`, `history`, `check`, `model` and `site`, and returns a view-model
//! from `report` (or writes files, for `site`, `demo`, `init`, `new` and `checkin`).
//! The one working-tree reader ([`workspace`]) lives here too.
//!
//! May use every layer except `cli`; never prints and never parses command-line flags.

pub mod bench;
pub mod checkin;
pub mod demo;
pub mod new;
pub mod workspace;
