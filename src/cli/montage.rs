//! `myobalance montage INPUT [--out M.toml] [--rate HZ]`: the montage of a recording as a
//! TOML file to check and edit — guessed from the labels and units of a file in another
//! format or a CSV header, each guessed value with a comment saying what it was guessed
//! from; a myobalance file's own montage as stored. Printed, or written to `--out` (never
//! over an existing file: montages are edited by hand).

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;

use super::input::load;
use super::outputs::write_atomically;
use super::{Outcome, UsageError};

/// Options of `myobalance montage`.
#[derive(Debug, Args)]
pub struct MontageArgs {
    /// A recording in any format `process` reads.
    pub input: PathBuf,
    /// Write the montage here instead of printing it (refused if the file exists).
    #[arg(long, value_name = "M.toml")]
    pub out: Option<PathBuf>,
    /// The rate to analyse at (as `process --rate`).
    #[arg(long, value_name = "HZ")]
    pub rate: Option<f64>,
    /// Of an XDF file with several streams, the one to analyse (default: the first of type
    /// EMG); the other streams join it.
    #[arg(long, value_name = "NAME")]
    pub stream: Option<String>,
}

/// Prints or writes the montage.
pub fn run(args: MontageArgs) -> anyhow::Result<Outcome> {
    if let Some(out) = &args.out {
        if out.exists() {
            return Err(UsageError(format!(
                "--out {}: the file exists; remove it or choose another name (montages are edited by hand, so none is replaced)",
                out.display()
            ))
            .into());
        }
    }
    let shown = args.input.display().to_string();
    let input = load(&args.input, None, args.rate, args.stream.as_deref())
        .with_context(|| format!("cannot read the montage of {shown}"))?;
    let text = match &input.guess {
        Some(g) => g.to_toml(&shown),
        None => format!(
            "# The montage stored in {shown}.\n{}",
            input.recording.montage.to_toml_string()
        ),
    };
    for warning in &input.warnings {
        eprintln!("warning: {warning}");
    }
    match &args.out {
        Some(out) => {
            write_atomically(out, &text)?;
            eprintln!("wrote {}", out.display());
        }
        None => print!("{text}"),
    }
    Ok(Outcome::Success)
}
