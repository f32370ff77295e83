//! Writes a recording as CSV: a `time_s` column, then one column per channel in physical
//! units, in the form the CSV reader takes back (DESIGN.md, "CSV input"). Written under a
//! temporary name and renamed when complete.

use std::io::{BufWriter, Write};
use std::path::Path;

use super::atomic::AtomicPath;
use super::error::StoreError;
use crate::recording::Recording;

/// Writes `recording` to `path` as CSV. Values use the shortest text that reads back to
/// the same f32, so nothing is lost.
pub fn write_csv(path: &Path, recording: &Recording) -> Result<(), StoreError> {
    let target = AtomicPath::new(path);
    let io = |cause| StoreError::Io {
        path: path.to_path_buf(),
        cause,
    };
    let file = std::fs::File::create(target.temporary()).map_err(io)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let fs = recording.sample_rate_hz();
    let mut line = String::from(super::csv::TIME_COLUMN);
    for c in &recording.montage.channels {
        line.push(',');
        line.push_str(&c.name);
    }
    line.push('\n');
    out.write_all(line.as_bytes()).map_err(io)?;
    for (i, row) in recording.samples.rows().into_iter().enumerate() {
        line.clear();
        line.push_str(&(i as f64 / fs).to_string());
        for v in row {
            line.push(',');
            line.push_str(&v.to_string());
        }
        line.push('\n');
        out.write_all(line.as_bytes()).map_err(io)?;
    }
    out.into_inner()
        .map_err(|e| io(e.into_error()))?
        .sync_all()
        .map_err(io)?;
    target.commit()
}
