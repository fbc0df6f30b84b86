//! History: the only git2 user. Reads goal files at any revision and walks first-parent
//! history; `writer` makes commits (for the demo and authoring commands).

pub mod writer;
