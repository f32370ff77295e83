//! A CSV file without a montage: the montage is guessed from the header's column names
//! (DESIGN.md, "Montage guess"); the rate comes from the `time_s` column, or from `--rate`
//! when there is none.

use std::path::Path;

use super::{mains, Import, ImportError};
use crate::montage::guess::{guess, Described};
use crate::montage::Kind;
use crate::store::csv::{read_csv, read_header, TIME_COLUMN};

/// Reads the CSV file at `path` with a montage guessed from its header.
pub fn read_guessing(path: &Path, rate_hz: Option<f64>) -> Result<Import, ImportError> {
    let shown = path.display().to_string();
    let header = read_header(path)?;
    let has_time = header.first().is_some_and(|c| c == TIME_COLUMN);
    if !has_time && rate_hz.is_none() {
        return Err(ImportError::Rate {
            path: shown,
            problem: "no time_s column to take the sample rate from: give --rate HZ, or a montage with sample_rate_hz (--montage M.toml)".into(),
        });
    }
    let described: Vec<Described> = header
        .iter()
        .skip(usize::from(has_time))
        .map(|label| Described {
            label: label.clone(),
            unit: String::new(),
            emg_counts: false,
        })
        .collect();
    if described.is_empty() {
        return Err(ImportError::NoSignals { path: shown });
    }
    // The first guess only reads the samples; the rate comes from time_s when not given,
    // and the analysis settings fitted to it come with the second guess below. Until then
    // the defaults stand (they fit every rate from about 45 Hz).
    let mut first = guess(&described, rate_hz.unwrap_or(1.0), 50, "").montage();
    if rate_hz.is_none() {
        first.analysis = crate::montage::Analysis::default();
    }
    first.sample_rate_hz = rate_hz;
    let read = read_csv(path, &first)?;
    let mut recording = read.recording;
    let fs = recording.sample_rate_hz();
    let kinds: Vec<Kind> = recording.montage.channels.iter().map(|c| c.kind).collect();
    let (mains_hz, mains_from) = mains::guess_from(&recording.samples, &kinds, fs);
    let g = guess(&described, fs, mains_hz, &mains_from);
    recording.montage = g
        .montage()
        .with_sample_rate(fs, &format!("the montage guessed for {shown}"))
        .map_err(|error| ImportError::Montage {
            path: shown.clone(),
            error,
        })?;
    Ok(Import {
        recording,
        guess: Some(g),
        warnings: read.warnings,
    })
}
