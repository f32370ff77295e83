//! `/raw/samples` read a block of rows at a time, so a recording longer than memory can be
//! analysed: the chunks a block covers are decoded in parallel when they are stored the
//! way this software writes them (shuffle, deflate, whole rows), else the library reads the
//! rows itself.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use hdf5::{Dataset, File};
use ndarray::{s, Array2};

use super::chunks::{copyable, decode_chunks, CopyableChunks};
use super::error::{Context, StoreError};

const OBJECT: &str = "/raw/samples";

/// The samples of a stored recording, read on demand.
pub struct SampleBlocks {
    /// Kept open for as long as the samples are read.
    _file: File,
    ds: Dataset,
    path: PathBuf,
    rows: usize,
    channels: usize,
    layout: Option<CopyableChunks>,
    /// The stored bytes of a batch of chunks being decoded, reused from block to block.
    stored: Mutex<Vec<u8>>,
}

/// Samples read a block of rows at a time: a stored file's ([`SampleBlocks`]) or an
/// imported one's.
pub trait RowBlocks: Sync {
    /// Rows of samples.
    fn rows(&self) -> usize;

    /// Samples per row.
    fn channels(&self) -> usize;

    /// Rows in each of the source's own blocks (a stored chunk decoded here, a data
    /// record): reads that start and end on them read each block once.
    fn block_rows(&self) -> Option<usize>;

    /// Rows `start..end` (cut to the recording) into `out`, row after row (its room is
    /// reused from one block to the next); returns how many.
    fn read_into(&self, start: usize, end: usize, out: &mut Vec<f32>) -> Result<usize, StoreError>;
}

impl RowBlocks for SampleBlocks {
    fn rows(&self) -> usize {
        self.rows
    }

    fn channels(&self) -> usize {
        self.channels
    }

    fn block_rows(&self) -> Option<usize> {
        self.chunk_rows()
    }

    fn read_into(&self, start: usize, end: usize, out: &mut Vec<f32>) -> Result<usize, StoreError> {
        SampleBlocks::read_into(self, start, end, out)
    }
}

impl SampleBlocks {
    /// The samples of `ds`, a dataset of `file` at `path`: samples × channels, or one
    /// channel.
    pub fn new(file: File, ds: Dataset, path: &Path) -> Result<SampleBlocks, StoreError> {
        let (rows, channels) = match ds.shape().as_slice() {
            [r, c] => (*r, *c),
            [r] => (*r, 1),
            _ => {
                return Err(StoreError::Invalid {
                    path: path.to_path_buf(),
                    object: OBJECT.to_string(),
                    problem: format!(
                        "has {} dimensions, expected 2 (samples × channels)",
                        ds.ndim()
                    ),
                })
            }
        };
        let layout = (ds.ndim() == 2)
            .then(|| copyable(&ds, rows, channels))
            .flatten();
        Ok(SampleBlocks {
            _file: file,
            ds,
            path: path.to_path_buf(),
            rows,
            channels,
            layout,
            stored: Mutex::default(),
        })
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn channels(&self) -> usize {
        self.channels
    }

    /// Rows per stored chunk when the chunks are decoded here: reading blocks of a
    /// multiple of it decodes every chunk once.
    pub fn chunk_rows(&self) -> Option<usize> {
        self.layout.as_ref().map(|l| l.chunk_rows)
    }

    /// Every sample.
    pub fn read_all(&self) -> Result<Array2<f32>, StoreError> {
        self.read(0, self.rows)
    }

    /// Rows `start..end` (cut to the recording).
    pub fn read(&self, start: usize, end: usize) -> Result<Array2<f32>, StoreError> {
        let mut flat = Vec::new();
        let rows = self.read_into(start, end, &mut flat)?;
        Array2::from_shape_vec((rows, self.channels), flat).map_err(|e| StoreError::Invalid {
            path: self.path.clone(),
            object: OBJECT.to_string(),
            problem: e.to_string(),
        })
    }

    /// Rows `start..end` (cut to the recording) into `out`, row after row (its room is
    /// reused from one block to the next); returns how many.
    pub fn read_into(
        &self,
        start: usize,
        end: usize,
        out: &mut Vec<f32>,
    ) -> Result<usize, StoreError> {
        let end = end.min(self.rows);
        let start = start.min(end);
        let rows = end - start;
        // Every value is written below: only room the buffer never had is zeroed.
        out.truncate(rows * self.channels);
        out.resize(rows * self.channels, 0.0);
        if rows == 0 {
            return Ok(0);
        }
        if let Some(layout) = &self.layout {
            let aligned = start % layout.chunk_rows == 0
                && (end % layout.chunk_rows == 0 || end == self.rows);
            if aligned {
                let mut stored = self.stored.lock().unwrap_or_else(|p| p.into_inner());
                let first = start / layout.chunk_rows;
                if decode_chunks(&self.ds, layout, first, out, &mut stored).is_some() {
                    return Ok(rows);
                }
            }
        }
        let read: Array2<f32> = if self.ds.ndim() == 1 {
            let column: ndarray::Array1<f32> = self
                .ds
                .read_slice_1d(s![start..end])
                .at(&self.path, OBJECT)?;
            column.insert_axis(ndarray::Axis(1))
        } else {
            self.ds
                .read_slice_2d(s![start..end, ..])
                .at(&self.path, OBJECT)?
        };
        for (o, v) in out.iter_mut().zip(read.iter()) {
            *o = *v;
        }
        Ok(rows)
    }
}
