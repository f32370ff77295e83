//! The `myobalance` command: parses arguments, runs the subcommand, maps errors to exit
//! codes (0 success, 1 some inputs failed, 2 bad usage or configuration).

use std::process::ExitCode;

use clap::Parser;

/// Large blocks on huge pages: see `huge_pages`.
#[global_allocator]
static ALLOCATOR: myobalance::huge_pages::HugePages = myobalance::huge_pages::HugePages;

fn main() -> ExitCode {
    let cli = myobalance::cli::Cli::parse();
    match myobalance::cli::run(cli) {
        Ok(code) => code.into(),
        Err(err) => {
            eprintln!("myobalance: error: {err:#}");
            myobalance::cli::exit_code_for(&err)
        }
    }
}
