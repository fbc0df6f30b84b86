//! goalpost: a git repository as the system of record for a team's goals.
//!
//! The pipeline runs one way: `load` (text to model) → `model` → `history` (git) → `diff` →
//! `report` → `site`, with `cli` a thin layer on top.

pub mod app;
pub mod check;
pub mod cli;
pub mod error;
pub mod history;
pub mod load;
pub mod model;
pub mod report;
pub mod safe_fs;
pub mod site;

pub use error::Error;
