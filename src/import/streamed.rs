//! An imported file read a block of rows at a time, so that a recording longer than memory
//! can be analysed: EDF and BDF files whose chosen signals share the recording's rate and
//! have no gaps. With [`open`] and [`super::open`], the edge where import meets the disk.
//! Every row holds the values the file read whole gives ([`super::to_recording`]): the
//! same decoding, the same conversion to the stored unit, the same length.

use std::path::{Path, PathBuf};

use super::columns::Conversion;
use super::open::Detected;
use super::{mains, to_streamed, Import, ImportError, Settings};
use crate::formats::edf::{open_blocks, EdfBlocks};
use crate::store::{RowBlocks, StoreError};

/// The rows of an imported file, read from it as they are wanted.
pub struct ImportedBlocks {
    edf: EdfBlocks,
    /// Per channel: the file's signal and how its values become the stored unit.
    columns: Vec<(usize, Conversion)>,
    /// The file's signal labels, for errors.
    labels: Vec<String>,
    rows: usize,
    /// Samples of each chosen signal in a data record (they share one rate).
    per_record: usize,
    path: PathBuf,
}

/// `path` (of the format `detected`) opened for reading in blocks: its recording with no
/// rows, and its rows. `None` for a file that is not read this way (a format other than
/// EDF or BDF, signals to resample, gaps to fill): read it whole.
pub fn open(
    path: &Path,
    detected: &Detected,
    settings: &Settings,
) -> Result<Option<(Import, ImportedBlocks)>, ImportError> {
    if !matches!(detected, Detected::Edf | Detected::Bdf) {
        return Ok(None);
    }
    let shown = path.display().to_string();
    let (head, edf) = open_blocks(path, &shown, mains::GUESS_S)?;
    let lengths: Vec<usize> = (0..head.signals.len()).map(|i| edf.signal_len(i)).collect();
    let labels = head.signals.iter().map(|s| s.label.clone()).collect();
    let Some(streamed) = to_streamed(head, &lengths, &shown, settings)? else {
        return Ok(None);
    };
    let per_record = streamed
        .columns
        .first()
        .map_or(1, |(i, _)| edf.samples_per_record(*i))
        .max(1);
    let blocks = ImportedBlocks {
        edf,
        columns: streamed.columns,
        labels,
        rows: streamed.rows,
        per_record,
        path: path.to_path_buf(),
    };
    Ok(Some((streamed.import, blocks)))
}

impl RowBlocks for ImportedBlocks {
    fn rows(&self) -> usize {
        self.rows
    }

    fn channels(&self) -> usize {
        self.columns.len()
    }

    fn block_rows(&self) -> Option<usize> {
        Some(self.per_record)
    }

    fn read_into(&self, start: usize, end: usize, out: &mut Vec<f32>) -> Result<usize, StoreError> {
        let end = end.min(self.rows);
        let start = start.min(end);
        let (n, width) = (end - start, self.columns.len());
        out.clear();
        out.resize(n * width, 0.0);
        if n == 0 {
            return Ok(0);
        }
        let first = start / self.per_record;
        let records = end.div_ceil(self.per_record) - first;
        let which: Vec<usize> = self.columns.iter().map(|(i, _)| *i).collect();
        let mut signals =
            self.edf
                .read(first, records, &which)
                .map_err(|cause| StoreError::Io {
                    path: self.path.clone(),
                    cause,
                })?;
        let skip = start - first * self.per_record;
        for (c, ((signal, conversion), values)) in
            self.columns.iter().zip(signals.iter_mut()).enumerate()
        {
            let Some(part) = values.get_mut(skip..skip + n) else {
                return Err(StoreError::Invalid {
                    path: self.path.clone(),
                    object: format!("data records {} to {}", first + 1, first + records),
                    problem: "they hold fewer samples than the header says".to_string(),
                });
            };
            if !conversion.apply(part) {
                let label = self.labels.get(*signal).map_or("?", String::as_str);
                return Err(StoreError::Invalid {
                    path: self.path.clone(),
                    object: format!("signal \"{label}\""),
                    problem: format!(
                        "it holds values that, in {}, are beyond ±3.4·10³⁸ (what myobalance \
                         stores): its unit or calibration is wrong",
                        conversion.stored
                    ),
                });
            }
            for (row, v) in part.iter().enumerate() {
                out[row * width + c] = *v;
            }
        }
        Ok(n)
    }
}
