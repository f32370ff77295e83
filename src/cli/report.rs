//! `myobalance report FILE.h5 [--out FILE.html]`: reads a processed file, builds the page
//! with [`crate::report::render`] and writes it under a temporary name that is renamed into
//! place when complete, so a failed run leaves no page that looks finished.

use std::path::PathBuf;

use anyhow::Context as _;

use super::Outcome;
use crate::store::read_file;

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// A myobalance HDF5 file with features.
    pub input: std::path::PathBuf,
    /// Where to write the page (default: the input with `.html`).
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
}

/// The page's path: `--out`, or the input with the extension `.html`.
pub fn output_path(args: &ReportArgs) -> PathBuf {
    args.out
        .clone()
        .unwrap_or_else(|| args.input.with_extension("html"))
}

/// Builds and writes the report; prints where the page went.
pub fn run(args: ReportArgs) -> anyhow::Result<Outcome> {
    let out = output_path(&args);
    if out == args.input {
        return Err(super::UsageError(format!(
            "the page would replace its input {}: choose another --out",
            args.input.display()
        ))
        .into());
    }
    let stored = read_file(&args.input)
        .with_context(|| format!("cannot report {}", args.input.display()))?;
    let page = crate::report::render(&args.input.display().to_string(), &stored)?;
    super::outputs::write_atomically(&out, &page)?;
    println!("wrote {} ({} kB)", out.display(), page.len().div_ceil(1024));
    let findings = crate::report::glance::findings_of(&stored);
    if !findings.is_empty() {
        println!("At a glance (! outside its reference):");
        for f in findings {
            let mark = if f.flagged { "!" } else { "-" };
            println!("  {mark} {}", f.text);
        }
    }
    Ok(Outcome::Success)
}
