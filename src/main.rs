//! The `goalpost` binary: parse arguments, run the command, report the error, exit.

use std::process::ExitCode;

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
