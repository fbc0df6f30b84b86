//! The `goalpost` binary: parse arguments, run the command, report the error, exit.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: the history walk hands every blob it reads to
/// the parsing thread, and glibc's malloc serialises such cross-thread frees behind an arena
/// lock (a fifth of the cold analysis's CPU time went to malloc, free and that lock).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = goalpost::cli::parse();
    match goalpost::cli::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // Messages quote ids and paths from the repository: escape them per line.
            let message = goalpost::report::escape::terminal_lines(&e.to_string());
            goalpost::cli::out::eprint_line(&format!("goalpost: error: {message}"));
            ExitCode::from(e.exit_code())
        }
    }
}
