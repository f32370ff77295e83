//! Reads what a table or a progress page needs of a format v1 file — its root attributes
//! (`subject`, `session`, `recorded_utc`), its montage and its `/summary` groups — without
//! the samples, feature rows and events, so hundreds of hour-long recordings can be
//! summarised quickly. The checks are those of [`super::read_file`].

use std::path::Path;

use super::attrs::{get_f64, get_text};
use super::error::{Context, StoreError};
use super::layout::{FEATURES, RAW, SAMPLES};
use super::reader::{check_format, open, read_montage, read_summary_groups};
use crate::montage::Montage;
use crate::results::SummaryGroup;

/// The parts of a file that describe its session and summarise its analysis.
#[derive(Debug, Clone)]
pub struct SummaryFile {
    /// Root attribute `subject`.
    pub subject: Option<String>,
    /// Root attribute `session`.
    pub session: Option<String>,
    /// Root attribute `recorded_utc`.
    pub recorded_utc: Option<String>,
    /// The montage, with the sample rate of `/raw/samples`.
    pub montage: Montage,
    /// The `/summary` groups in the file's order; empty when the file has none.
    pub summary: Vec<SummaryGroup>,
    /// Whether the file has `/features` (it was analysed).
    pub has_features: bool,
}

/// Reads the session's attributes, montage and summary of the file at `path`.
pub fn read_summary(path: &Path) -> Result<SummaryFile, StoreError> {
    let (file, _) = open(path)?;
    check_format(&file, path)?;
    if !file.link_exists(RAW) || !file.group(RAW).at(path, "/raw")?.link_exists(SAMPLES) {
        return Err(StoreError::Missing {
            path: path.to_path_buf(),
            object: "/raw/samples".to_string(),
        });
    }
    let samples = file
        .group(RAW)
        .at(path, "/raw")?
        .dataset(SAMPLES)
        .at(path, "/raw/samples")?;
    let rate = get_f64(&samples, path, "sample_rate_hz")?
        .filter(|r| r.is_finite() && *r > 0.0)
        .ok_or_else(|| StoreError::Missing {
            path: path.to_path_buf(),
            object: "/raw/samples attribute sample_rate_hz (a positive rate)".to_string(),
        })?;
    let columns = match samples.shape().as_slice() {
        [_, c] => *c,
        _ => 1,
    };
    Ok(SummaryFile {
        subject: get_text(&file, path, "subject")?,
        session: get_text(&file, path, "session")?,
        recorded_utc: get_text(&file, path, "recorded_utc")?,
        montage: read_montage(&file, &samples, path, rate, columns)?,
        summary: read_summary_groups(&file, path)?,
        has_features: file.link_exists(FEATURES),
    })
}
