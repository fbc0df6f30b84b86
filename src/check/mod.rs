//! `check`: the loader's findings plus cross-file rules (duplicate ids, alignment) and
//! OKR-practice lints, over one loaded revision.

mod lints;
mod refs;

use crate::load::diagnostic;
use crate::load::Loaded;

/// Adds cross-file errors and practice warnings to `loaded.diagnostics`.
pub fn run(loaded: &mut Loaded) {
    let mut diags = Vec::new();
    refs::check(loaded, &mut diags);
    lints::check(loaded, &mut diags);
    loaded.diagnostics.extend(diags);
    diagnostic::normalize(&mut loaded.diagnostics);
}
