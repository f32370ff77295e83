//! Reading one input of `process` or `mvc` into a recording: a CSV file with the montage
//! from the command line, or a myobalance HDF5 file with its own montage or, when one is
//! given, the command line's (matched to the file's channels by name). What the samples
//! are analysed into is the caller's business.

use std::path::Path;

use anyhow::Context as _;

use crate::montage::Montage;
use crate::recording::Recording;
use crate::store::csv::read_csv;
use crate::store::read_file;

/// What an input file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// A CSV export: needs a montage from the command line.
    Csv,
    /// A myobalance HDF5 file (format v1): brings its montage.
    Hdf5,
}

impl InputFormat {
    /// By the file name: `.csv` (any case) is CSV, anything else is read as HDF5 (whose
    /// reader says clearly when a file is not one).
    pub fn of(path: &Path) -> InputFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("csv") => InputFormat::Csv,
            _ => InputFormat::Hdf5,
        }
    }
}

/// The montage given with `--montage`, with the name its errors use.
#[derive(Debug, Clone)]
pub struct MontageArg {
    /// The validated montage (its rate may still be unset).
    pub montage: Montage,
    /// The path as the user typed it.
    pub origin: String,
}

/// An input read into memory, with what the user should be told about it.
#[derive(Debug, Clone)]
pub struct Input {
    /// Samples in montage order, the montage carrying the input's rate.
    pub recording: Recording,
    /// Things ignored or replaced along the way, one sentence each, naming the file.
    pub warnings: Vec<String>,
}

/// Reads `path` with `montage` (required for CSV; for HDF5 it replaces the file's own).
pub fn load(path: &Path, montage: Option<&MontageArg>) -> anyhow::Result<Input> {
    let shown = path.display().to_string();
    match (InputFormat::of(path), montage) {
        (InputFormat::Csv, None) => anyhow::bail!("{shown}: a CSV input needs --montage M.toml"),
        (InputFormat::Csv, Some(m)) => {
            let read = read_csv(path, &m.montage)?;
            Ok(Input {
                recording: read.recording,
                warnings: read.warnings,
            })
        }
        (InputFormat::Hdf5, own) => {
            let stored = read_file(path)?;
            match own {
                None => Ok(Input {
                    recording: stored.recording,
                    warnings: Vec::new(),
                }),
                Some(m) => with_montage(stored.recording, m, &shown),
            }
        }
    }
}

/// `recording` with its columns rearranged to `arg`'s channels (matched by name) and that
/// montage at the recording's rate. Stored samples are physical units already, so each
/// channel keeps the file's `scale` and `offset`: they describe how the samples were made.
fn with_montage(recording: Recording, arg: &MontageArg, shown: &str) -> anyhow::Result<Input> {
    let own = &recording.montage;
    let found: Vec<Option<usize>> = arg
        .montage
        .channels
        .iter()
        .map(|c| own.channel_index(&c.name))
        .collect();
    let missing: Vec<String> = arg
        .montage
        .channels
        .iter()
        .zip(&found)
        .filter(|(_, f)| f.is_none())
        .map(|(c, _)| format!("\"{}\"", c.name))
        .collect();
    if !missing.is_empty() {
        let held: Vec<&str> = own.channels.iter().map(|c| c.name.as_str()).collect();
        anyhow::bail!(
            "{shown}: montage {} names channels the file does not hold: {} (the file holds: {})",
            arg.origin,
            missing.join(", "),
            held.join(", ")
        );
    }
    let columns: Vec<usize> = found.into_iter().flatten().collect();
    let mut warnings = Vec::new();
    let left_out: Vec<String> = own
        .channels
        .iter()
        .enumerate()
        .filter(|(i, _)| !columns.contains(i))
        .map(|(_, c)| format!("\"{}\"", c.name))
        .collect();
    if !left_out.is_empty() {
        warnings.push(format!(
            "{shown}: channel(s) {} not in montage {}: left out of the analysis and the output",
            left_out.join(", "),
            arg.origin
        ));
    }
    let mut montage = arg
        .montage
        .clone()
        .with_sample_rate(recording.sample_rate_hz(), &arg.origin)
        .with_context(|| format!("{shown}: montage {} does not fit this file", arg.origin))?;
    for (channel, &i) in montage.channels.iter_mut().zip(&columns) {
        channel.scale = own.channels[i].scale;
        channel.offset = own.channels[i].offset;
    }
    let samples = recording.samples.select(ndarray::Axis(1), &columns);
    Ok(Input {
        recording: Recording {
            montage,
            samples,
            ..recording
        },
        warnings,
    })
}
