//! `myobalance summarize FILES... [--out table.csv]`: the cohort table — one tidy CSV row
//! per numeric summary value of every processed file
//! (`file,subject,session,recorded_utc,group,name,measure,value,unit`, see
//! [`crate::sessions::table`] for the rows and units and [`crate::sessions::csv`] for
//! quoting and numbers), on stdout or into `--out`.
//!
//! Files are read in parallel; rows keep the order the files were given in. A file that
//! cannot be read or has no summary is listed on stderr with the reason and the exit code
//! is 1; the table still holds the other files.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;

use super::read_sessions::{is_an_input, read_all};
use super::{Outcome, UsageError};
use crate::sessions::csv::{header, write_rows};
use crate::sessions::rows;

/// Options of `myobalance summarize`.
#[derive(Debug, Args)]
pub struct SummarizeArgs {
    /// Processed myobalance HDF5 files (outputs of `process` or `record`).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Where to write the table (default: stdout).
    #[arg(long, value_name = "table.csv")]
    pub out: Option<PathBuf>,
}

/// Reads the files and writes the table.
pub fn run(args: SummarizeArgs) -> anyhow::Result<Outcome> {
    if let Some(out) = &args.out {
        if is_an_input(out, &args.files) {
            return Err(UsageError(format!(
                "--out {} is one of the inputs: choose another name",
                out.display()
            ))
            .into());
        }
    }
    let read = read_all(&args.files);
    let mut table = header().into_bytes();
    let mut count = 0;
    for s in &read.sessions {
        let r = rows(s);
        count += r.len();
        write_rows(&mut table, &r).context("cannot build the table")?;
    }
    match &args.out {
        Some(out) => {
            let text = String::from_utf8(table).context("the table is not UTF-8")?;
            super::outputs::write_atomically(out, &text)?;
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&table)
                .and_then(|()| stdout.flush())
                .context("cannot write the table to stdout")?;
        }
    }
    eprintln!(
        "summarize: {} rows from {} files{}, {} failed",
        count,
        read.sessions.len(),
        args.out
            .as_ref()
            .map(|o| format!(" into {}", o.display()))
            .unwrap_or_default(),
        read.failed.len()
    );
    Ok(if read.failed.is_empty() {
        Outcome::Success
    } else {
        Outcome::PartialFailure
    })
}
