//! `myobalance report FILE.h5 [--out FILE.html]`: reads a processed file, builds the page
//! with [`crate::report::render`] and writes it under a temporary name that is renamed into
//! place when complete, so a failed run leaves no page that looks finished.

use std::io::Write as _;
use std::path::{Path, PathBuf};

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

/// Writes `text` to `destination` through a temporary file beside it.
fn write_atomically(destination: &Path, text: &str) -> anyhow::Result<()> {
    let name = destination
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report.html".into());
    let temporary = destination.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&temporary)
        .and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&temporary, destination));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(e).with_context(|| format!("cannot write {}", destination.display()));
    }
    Ok(())
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
    write_atomically(&out, &page)?;
    println!("wrote {} ({} kB)", out.display(), page.len().div_ceil(1024));
    Ok(Outcome::Success)
}
