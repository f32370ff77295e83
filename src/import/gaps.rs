//! A file's gaps at the recording's rate, and the acquisition record that lists them
//! (`/raw/gaps`, counters) as a device recording's lost frames are listed.

use super::ImportError;
use crate::formats::{SequenceCounts, TimeGap};
use crate::recording::{Acquisition, Gap, Missing};

/// Gaps adding up to more than this are not filled: the file should be split there.
/// Filling them takes memory for data that does not exist (an hour of 32 channels at 2 kHz
/// is 0.9 GB).
pub const MAX_GAP_S: f64 = 3600.0;

/// Nor are gaps adding up to more rows than this, whatever the rate (2²⁷ rows of one
/// channel are 0.5 GB).
const MAX_FILLED_ROWS: usize = 1 << 27;

/// `gaps` as rows at `fs`, in order, each at most at `data_rows` (the end of the data).
pub(super) fn row_gaps(
    gaps: &[TimeGap],
    fs: f64,
    data_rows: usize,
    path: &str,
) -> Result<Vec<Missing>, ImportError> {
    let mut rows = Vec::with_capacity(gaps.len());
    let (mut total_s, mut total_rows) = (0.0, 0usize);
    for g in gaps {
        total_s += g.missing_s;
        let missing = (g.missing_s * fs).round();
        total_rows = total_rows.saturating_add(missing.max(0.0) as usize);
        if !(g.missing_s.is_finite() && g.at_s.is_finite())
            || total_s > MAX_GAP_S
            || total_rows > MAX_FILLED_ROWS
        {
            return Err(ImportError::GapTooLong {
                path: path.to_string(),
                at_s: g.at_s,
                missing_s: g.missing_s,
                limit_s: MAX_GAP_S,
            });
        }
        if missing >= 1.0 {
            rows.push(Missing {
                row: ((g.at_s * fs).round().max(0.0) as u64).min(data_rows as u64),
                count: missing as u64,
            });
        }
    }
    rows.sort_by_key(|g| g.row);
    Ok(rows)
}

/// The acquisition record of an imported file with a sequence counter or gaps: the
/// counter's counts when it has one (else the rows stored and filled), the gaps where
/// they ended up (`placed`). `None` for a file with neither.
pub(super) fn acquisition(
    format: &str,
    sequence: Option<SequenceCounts>,
    gaps: &[Missing],
    placed: Vec<Gap>,
    data_rows: usize,
) -> Option<Acquisition> {
    if sequence.is_none() && placed.is_empty() {
        return None;
    }
    let filled: u64 = gaps.iter().map(|g| g.count).sum();
    let counts = sequence.unwrap_or(SequenceCounts {
        frames_received: data_rows as u64,
        frames_missing: filled,
    });
    Some(Acquisition {
        protocol: format.to_string(),
        port: String::new(),
        frames_received: counts.frames_received,
        frames_missing: counts.frames_missing,
        gaps: placed,
        ..Acquisition::default()
    })
}
