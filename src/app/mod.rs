//! The application layer: one module per use case. Each takes an options struct (plain
//! data, validated by `cli`), does the work through `load`, `history`, `check`, `model` and
//! `site`, and returns a view-model from `report` (or writes files: `site`, `demo`, `new`,
//! `checkin`). The one working-tree reader ([`workspace`]) lives here too.
//!
//! May use every layer except `cli`; never prints, never parses command-line flags.

pub mod bench;
pub mod cache;
pub mod check;
pub mod checkin;
pub mod codeowners;
pub mod common;
pub mod compare;
pub mod demo;
pub mod diff;
pub mod history;
pub mod log;
pub mod new;
pub mod remind;
pub mod retro;
pub mod review;
pub mod rollover;
pub mod schema;
pub mod site;
pub mod status;
pub mod workspace;
