//! The `goalpost` binary: parse arguments, run the command, report the error, exit.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args = goalpost::cli::parse();
    match goalpost::cli::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            goalpost::cli::out::eprint_line(&format!("goalpost: error: {e}"));
            ExitCode::from(e.exit_code())
        }
    }
}
