//! The streaming writer of `record`: a format v1 file that is valid while it grows and
//! after its writer is killed.
//!
//! The file uses the HDF5 1.10 format in single-writer/multiple-reader (SWMR) mode. Every
//! group, dataset and attribute is created before SWMR starts; afterwards the writer only
//! appends rows to chunked, extendible datasets and flushes. A reader can open the file
//! with `h5py.File(p, "r", swmr=True)` at any moment, and after a `kill -9` finds every row
//! flushed before it. Flushes happen whenever a chunk of rows is complete and at least
//! every [`LiveWriter::flush_interval`] otherwise.
//!
//! On a clean finish the file is closed, reopened normally, and completed with what only
//! the end of a recording knows: acquisition counters, events and the summary.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hdf5::{Dataset, File, Group};
use ndarray::{s, ArrayView2};

use super::attrs::{put_texts, put_value};
use super::chunks::{compress_chunk, write_chunk};
use super::error::{Context, StoreError};
use super::layout::{DEFLATE_LEVEL, FEATURES, GAPS, RAW, SAMPLES, TIMING};
use super::writer::{
    describe_samples, write_acquisition, write_events, write_metadata, write_root, write_summary,
    write_truth,
};
use crate::montage::Montage;
use crate::recording::{Acquisition, Gap, Metadata, Truth};
use crate::results::{AttrValue, Results};

/// Longest time rows may wait in memory before they are flushed to the file.
pub const MAX_FLUSH_INTERVAL: Duration = Duration::from_millis(500);

/// The columns of one live feature group, fixed when the file is created.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureLayout {
    pub group: String,
    /// Table names with their column names.
    pub tables: Vec<(String, Vec<String>)>,
    pub params: Vec<(String, AttrValue)>,
}

struct LiveGroup {
    time_s: Dataset,
    tables: Vec<(Dataset, usize)>,
    /// Rows in the file.
    rows: usize,
    /// Rows waiting for the next flush: times, and each table's values row after row.
    pending_time_s: Vec<f64>,
    pending: Vec<Vec<f32>>,
}

impl LiveGroup {
    /// Writes the waiting rows.
    fn write_pending(&mut self, path: &Path) -> Result<(), StoreError> {
        let n = self.pending_time_s.len();
        if n == 0 {
            return Ok(());
        }
        let (start, end) = (self.rows, self.rows + n);
        let object = "/features";
        self.time_s.resize(end).at(path, object)?;
        self.time_s
            .write_slice(&self.pending_time_s, s![start..end])
            .at(path, object)?;
        for ((ds, cols), values) in self.tables.iter().zip(&mut self.pending) {
            let block =
                ArrayView2::from_shape((n, *cols), values).map_err(|e| StoreError::Invalid {
                    path: path.to_path_buf(),
                    object: object.to_string(),
                    problem: e.to_string(),
                })?;
            ds.resize((end, *cols)).at(path, object)?;
            ds.write_slice(block, s![start..end, ..]).at(path, object)?;
            values.clear();
        }
        self.pending_time_s.clear();
        self.rows = end;
        Ok(())
    }
}

/// Appends samples (and live features) to a growing SWMR file.
pub struct LiveWriter {
    path: PathBuf,
    file: File,
    samples: Dataset,
    gaps: Dataset,
    timing: Dataset,
    groups: Vec<LiveGroup>,
    channels: usize,
    chunk_rows: usize,
    /// Rows that have reached the file (complete chunks, then what a flush wrote of the
    /// current one).
    rows_written: usize,
    /// First row of the current, incomplete chunk.
    chunk_start: usize,
    gaps_written: usize,
    timing_written: usize,
    /// The rows of the current chunk, kept until it is complete even when a flush has
    /// written them (the complete chunk then replaces the partial one).
    pending: Vec<f32>,
    pending_gaps: Vec<[i64; 2]>,
    pending_timing: Vec<[f64; 2]>,
    last_flush: Instant,
    flush_interval: Duration,
}

fn extendible<T: hdf5::H5Type>(
    group: &Group,
    path: &Path,
    name: &str,
    object: &str,
    cols: Option<usize>,
    chunk_rows: usize,
) -> Result<Dataset, StoreError> {
    match cols {
        Some(c) => group
            .new_dataset::<T>()
            .shape((0.., c))
            .chunk((chunk_rows, c.max(1)))
            .create(name),
        None => group
            .new_dataset::<T>()
            .shape(0..)
            .chunk(chunk_rows)
            .create(name),
    }
    .at(path, object)
}

/// Appends pending `(n, 2)` rows to an extendible dataset and clears them.
fn append_pairs<T: hdf5::H5Type + Copy>(
    ds: &Dataset,
    path: &Path,
    object: &str,
    pending: &mut Vec<[T; 2]>,
    written: &mut usize,
) -> Result<(), StoreError> {
    if pending.is_empty() {
        return Ok(());
    }
    let (start, end) = (*written, *written + pending.len());
    let block = ndarray::Array2::from_shape_fn((pending.len(), 2), |(r, c)| pending[r][c]);
    ds.resize((end, 2)).at(path, object)?;
    ds.write_slice(&block, s![start..end, ..])
        .at(path, object)?;
    *written = end;
    pending.clear();
    Ok(())
}

impl LiveWriter {
    /// Creates `path` (replacing any file there) for a recording of `montage`'s channels
    /// at its sample rate, with `/raw/samples` chunks of `chunk_rows` rows, and starts SWMR.
    pub fn create(
        path: &Path,
        montage: &Montage,
        source: &str,
        metadata: &Metadata,
        chunk_rows: usize,
        features: &[FeatureLayout],
    ) -> Result<LiveWriter, StoreError> {
        let channels = montage.channels.len();
        let chunk_rows = chunk_rows.max(1);
        let file = File::with_options()
            .with_fapl(|p| p.libver_v110())
            .create(path)
            .at(path, "file")?;
        write_root(&file, path, montage, source)?;
        write_metadata(&file, path, metadata)?;
        let raw = file.create_group(RAW).at(path, "/raw")?;
        let samples = raw
            .new_dataset::<f32>()
            .shape((0.., channels))
            .chunk((chunk_rows, channels.max(1)))
            .shuffle()
            .deflate(DEFLATE_LEVEL)
            .create(SAMPLES)
            .at(path, "/raw/samples")?;
        describe_samples(&samples, path, montage)?;
        let gaps = extendible::<i64>(&raw, path, GAPS, "/raw/gaps", Some(2), 64)?;
        let timing = extendible::<f64>(&raw, path, TIMING, "/raw/timing", Some(2), 256)?;
        let mut groups = Vec::new();
        if !features.is_empty() {
            let root = file.create_group(FEATURES).at(path, "/features")?;
            for layout in features {
                let object = format!("/features/{}", layout.group);
                let g = root.create_group(&layout.group).at(path, &object)?;
                let time_s = extendible::<f64>(&g, path, "time_s", &object, None, 64)?;
                let mut tables = Vec::new();
                for (name, columns) in &layout.tables {
                    let ds = extendible::<f32>(&g, path, name, &object, Some(columns.len()), 64)?;
                    put_texts(&ds, path, "columns", columns)?;
                    tables.push((ds, columns.len()));
                }
                for (name, value) in &layout.params {
                    put_value(&g, path, name, value)?;
                }
                let pending = vec![Vec::new(); tables.len()];
                groups.push(LiveGroup {
                    time_s,
                    tables,
                    rows: 0,
                    pending_time_s: Vec::new(),
                    pending,
                });
            }
        }
        file.start_swmr().at(path, "start SWMR")?;
        Ok(LiveWriter {
            path: path.to_path_buf(),
            file,
            samples,
            gaps,
            timing,
            groups,
            channels,
            chunk_rows,
            rows_written: 0,
            chunk_start: 0,
            gaps_written: 0,
            timing_written: 0,
            pending: Vec::with_capacity(chunk_rows * channels),
            pending_gaps: Vec::new(),
            pending_timing: Vec::new(),
            last_flush: Instant::now(),
            flush_interval: MAX_FLUSH_INTERVAL,
        })
    }

    /// Longest time rows wait before they reach the file.
    pub fn flush_interval(&self) -> Duration {
        self.flush_interval
    }

    /// Rows of `/raw/samples` so far, flushed or pending.
    pub fn rows(&self) -> usize {
        self.chunk_start + self.pending.len() / self.channels.max(1)
    }

    /// Rows that have reached the file.
    pub fn rows_flushed(&self) -> usize {
        self.rows_written
    }

    /// Appends interleaved frames (one row per frame). Complete chunks are written and
    /// flushed at once; the rest waits at most the flush interval.
    ///
    /// # Panics
    /// If `frames` is not a whole number of rows.
    pub fn append(&mut self, frames: &[f32]) -> Result<(), StoreError> {
        assert_eq!(
            frames.len() % self.channels.max(1),
            0,
            "not a whole number of rows"
        );
        let mut rest = frames;
        let chunk = self.chunk_rows * self.channels;
        while !rest.is_empty() {
            let take = (chunk - self.pending.len()).min(rest.len());
            self.pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.pending.len() == chunk {
                self.write_complete_chunk()?;
                self.flush()?;
            }
        }
        self.flush_if_due()
    }

    /// Shuffles and deflates the complete current chunk here and hands it to HDF5 as it
    /// is: several times faster than HDF5's own filters, which matters for the latency of
    /// everything the recorder does after a write.
    fn write_complete_chunk(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let end = self.chunk_start + self.chunk_rows;
        let view = ArrayView2::from_shape((self.chunk_rows, self.channels), &self.pending)
            .map_err(|e| StoreError::Invalid {
                path: path.clone(),
                object: "/raw/samples".to_string(),
                problem: e.to_string(),
            })?;
        let bytes = compress_chunk(view, 0, self.chunk_rows, DEFLATE_LEVEL);
        self.samples
            .resize((end, self.channels))
            .at(&path, "/raw/samples")?;
        write_chunk(&self.samples, &path, self.chunk_start, &bytes)?;
        self.chunk_start = end;
        self.rows_written = end;
        self.pending.clear();
        Ok(())
    }

    /// Records rows that were lost and interpolated.
    pub fn append_gap(&mut self, gap: Gap) {
        let stored = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        self.pending_gaps
            .push([stored(gap.first_row), stored(gap.rows)]);
    }

    /// Maps a sample index to the host's monotonic clock (seconds from the start).
    pub fn append_timing(&mut self, sample_index: f64, host_s: f64) {
        self.pending_timing.push([sample_index, host_s]);
    }

    /// Appends rows to live feature group `index` (in the order of the layouts given at
    /// creation): one time per row and one `(rows, columns)` view per table. The rows
    /// reach the file with the samples, at the next flush.
    pub fn append_features(&mut self, index: usize, time_s: &[f64], tables: &[ArrayView2<f64>]) {
        let group = &mut self.groups[index];
        for ((_, cols), (values, pending)) in group
            .tables
            .iter()
            .zip(tables.iter().zip(&mut group.pending))
        {
            assert_eq!(values.dim(), (time_s.len(), *cols), "feature table shape");
            pending.extend(values.iter().map(|v| *v as f32));
        }
        group.pending_time_s.extend_from_slice(time_s);
    }

    /// Flushes when the flush interval has passed since the last flush.
    pub fn flush_if_due(&mut self) -> Result<(), StoreError> {
        if self.last_flush.elapsed() >= self.flush_interval {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes every pending row and flushes the file, making the rows visible to SWMR
    /// readers and safe from a kill of this process.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let held = self.pending.len() / self.channels.max(1);
        let (start, end) = (self.rows_written, self.chunk_start + held);
        if end > start {
            let from = (start - self.chunk_start) * self.channels;
            let block = ArrayView2::from_shape((end - start, self.channels), &self.pending[from..])
                .map_err(|e| StoreError::Invalid {
                    path: path.clone(),
                    object: "/raw/samples".to_string(),
                    problem: e.to_string(),
                })?;
            self.samples
                .resize((end, self.channels))
                .at(&path, "/raw/samples")?;
            self.samples
                .write_slice(block, s![start..end, ..])
                .at(&path, "/raw/samples")?;
            self.rows_written = end;
        }
        append_pairs(
            &self.gaps,
            &path,
            "/raw/gaps",
            &mut self.pending_gaps,
            &mut self.gaps_written,
        )?;
        append_pairs(
            &self.timing,
            &path,
            "/raw/timing",
            &mut self.pending_timing,
            &mut self.timing_written,
        )?;
        for group in &mut self.groups {
            group.write_pending(&path)?;
        }
        self.file.flush().at(&path, "flush")?;
        self.last_flush = Instant::now();
        Ok(())
    }

    /// Flushes, closes the SWMR file, and completes it with the acquisition counters,
    /// events and summary of `results` (its feature groups were written live), and the
    /// ground truth of a simulated device.
    pub fn finish(
        mut self,
        acquisition: &Acquisition,
        results: &Results,
        truth: Option<&Truth>,
    ) -> Result<(), StoreError> {
        self.flush()?;
        let path = self.path.clone();
        let LiveWriter {
            file,
            samples,
            gaps,
            timing,
            groups,
            ..
        } = self;
        drop((samples, gaps, timing, groups));
        file.close().at(&path, "close")?;
        let file = File::open_rw(&path).at(&path, "reopen")?;
        let raw = file.group(RAW).at(&path, "/raw")?;
        write_acquisition(&raw, &path, acquisition, false)?;
        rewrite_params(&file, &path, results)?;
        write_events(&file, &path, &results.events)?;
        write_summary(&file, &path, results)?;
        if let Some(truth) = truth {
            write_truth(&file, &path, truth)?;
        }
        file.close().at(&path, "close")
    }
}

/// Writes each live feature group's parameters again: some are known only at the end (the
/// channels `notch = "auto"` chose), and attributes cannot change while SWMR runs.
fn rewrite_params(file: &File, path: &Path, results: &Results) -> Result<(), StoreError> {
    for g in &results.features {
        let object = format!("/features/{}", g.name);
        let Ok(group) = file.group(&object) else {
            continue;
        };
        for (name, value) in &g.params {
            if group.attr(name).is_ok() {
                group.delete_attr(name).at(path, &object)?;
            }
            put_value(&group, path, name, value)?;
        }
    }
    Ok(())
}
