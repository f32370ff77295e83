//! Why an imported file could not become a recording. Each message names the file.

use thiserror::Error;

use crate::formats::FormatError;
use crate::montage::MontageError;

/// An import that failed after (or while) the file was parsed.
#[derive(Debug, Error)]
pub enum ImportError {
    /// The file does not parse as its format.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// A CSV file that does not read.
    #[error(transparent)]
    Csv(#[from] crate::store::csv::CsvError),
    /// An HDF5 file that does not read.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("{path}: cannot read the file: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("{path}: {problem}")]
    Unrecognised { path: String, problem: String },
    #[error("{path}: the file holds no signal with samples")]
    NoSignals { path: String },
    #[error(
        "{path}: montage {montage} names channels the file does not hold: {missing} (the file's \
         labels: {labels})"
    )]
    MissingChannels {
        path: String,
        montage: String,
        missing: String,
        labels: String,
    },
    #[error("{path}: {problem}")]
    Rate { path: String, problem: String },
    #[error(
        "{path}: the data stops for {missing_s:.1} s at {at_s:.3} s; gaps adding up to more \
         than {limit_s:.0} s are not filled: split the file at the gap"
    )]
    GapTooLong {
        path: String,
        at_s: f64,
        missing_s: f64,
        limit_s: f64,
    },
    #[error("{path}: cannot resample {label} from {from_hz} Hz to {to_hz} Hz: {problem}")]
    Resample {
        path: String,
        label: String,
        from_hz: f64,
        to_hz: f64,
        problem: String,
    },
    #[error(
        "{path}: {label} holds values that, in {unit}, are beyond ±3.4·10³⁸ (what myobalance \
         stores): its unit or calibration is wrong"
    )]
    Range {
        path: String,
        label: String,
        unit: String,
    },
    /// The montage does not fit the file (its windows at the file's rate, its rate).
    #[error("{path}: {error}")]
    Montage { path: String, error: MontageError },
}
