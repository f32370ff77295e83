//! `myobalance simulate`: a recording of the built-in physiological scenario (elbow flexion
//! sets, weaker left side, co-contraction, fatigue, late tremor) with its ground truth, as
//! a format v1 file or as CSV with a montage file beside it.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Args;

use super::{Outcome, UsageError};
use crate::sim::{simulate, SimSettings};
use crate::store::{write_csv, write_file, WriteOptions};

/// Options of `myobalance simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Length in seconds.
    #[arg(long, default_value_t = 60.0, allow_negative_numbers = true)]
    pub seconds: f64,
    /// Sample rate in Hz (at least 500).
    #[arg(long, default_value_t = 2000.0, allow_negative_numbers = true)]
    pub rate: f64,
    /// Seed of the random generator: the same seed gives the same recording.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output: FILE.h5 (format v1, with /truth) or FILE.csv (also writes FILE.montage.toml).
    #[arg(long)]
    pub out: PathBuf,
}

enum Format {
    Hdf5,
    Csv,
}

fn format_of(path: &Path) -> Result<Format, UsageError> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("h5" | "hdf5") => Ok(Format::Hdf5),
        Some("csv") => Ok(Format::Csv),
        _ => Err(UsageError(format!(
            "--out {}: the name must end in .h5 (HDF5) or .csv",
            path.display()
        ))),
    }
}

/// The montage file written beside `x.csv`: `x.montage.toml`.
pub fn montage_path_for(csv: &Path) -> PathBuf {
    csv.with_extension("montage.toml")
}

/// Runs the simulator and writes its output.
pub fn run(args: SimulateArgs) -> anyhow::Result<Outcome> {
    let format = format_of(&args.out)?;
    let settings = SimSettings::new(args.seconds, args.rate, args.seed);
    settings
        .validate()
        .map_err(|e| UsageError(format!("{e} (check --seconds and --rate)")))?;
    let recording = simulate(&settings).context("the simulator failed")?;
    match format {
        Format::Hdf5 => write_file(&args.out, &recording, None, &WriteOptions::default())
            .with_context(|| format!("cannot write {}", args.out.display()))?,
        Format::Csv => {
            let montage = montage_path_for(&args.out);
            write_csv(&args.out, &recording)
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            // CSV holds physical units: the device scaling does not apply to it.
            let mut csv_montage = recording.montage.clone();
            for c in &mut csv_montage.channels {
                c.scale = 1.0;
                c.offset = 0.0;
            }
            let text = format!(
                "# Montage of the simulated recording {}.\n# Use: myobalance process {} --montage {}\n{}",
                args.out.display(),
                args.out.display(),
                montage.display(),
                csv_montage.to_toml_string()
            );
            std::fs::write(&montage, text)
                .with_context(|| format!("cannot write {}", montage.display()))?;
            eprintln!("wrote {}", montage.display());
        }
    }
    eprintln!(
        "wrote {}: {} channels × {} samples at {} Hz ({} s), seed {}",
        args.out.display(),
        recording.samples.ncols(),
        recording.samples.nrows(),
        recording.sample_rate_hz(),
        recording.duration_s(),
        args.seed
    );
    Ok(Outcome::Success)
}
