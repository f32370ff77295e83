//! A format v1 file written while its recording is analysed, so that neither the samples
//! nor the feature rows of a long recording are ever all in memory: the raw samples (the
//! input's chunks copied, or its blocks compressed anew; on a thread of their own if the
//! caller likes), each feature group's rows as they complete, into datasets made at their
//! final length when the group's first rows come, then the events and the summary. The file is written under a temporary name
//! and renamed when complete, as [`write_file`](super::write_file) does.

use std::path::{Path, PathBuf};

use hdf5::{Dataset, File};
use ndarray::s;

use super::atomic::{start_write_back, AtomicPath};
use super::attrs::{put_texts, put_value};
use super::blocks::RowBlocks;
use super::error::{Context, StoreError};
use super::layout::{FEATURES, RAW};
use super::writer::{
    with_annotations, write_acquisition, write_events, write_metadata, write_root, write_samples,
    write_summary, write_truth, Source, WriteOptions,
};
use crate::recording::Recording;
use crate::results::{FeatureGroup, Results};

/// A feature group in the file: its datasets and the rows written so far.
struct Group {
    name: String,
    total: usize,
    time_s: Dataset,
    tables: Vec<Dataset>,
    written: usize,
}

/// `/raw/samples` of a [`StreamedFile`], written apart from its features (the library
/// serialises the calls of both).
pub struct RawSamples {
    raw: hdf5::Group,
    path: PathBuf,
    /// The temporary file, when it is to replace another: its writing to disk starts
    /// once the samples are in.
    write_back: Option<PathBuf>,
}

impl RawSamples {
    /// Writes the samples of `samples`, described by `recording` (which holds none): the
    /// input's chunks copied when `options` names it and they can be, else compressed
    /// anew block by block. The samples are most of the file: when it is to replace
    /// another, they start on their way to disk now (see `store::atomic`).
    pub fn write(
        &self,
        recording: &Recording,
        samples: &dyn RowBlocks,
        options: &WriteOptions,
    ) -> Result<(), StoreError> {
        write_samples(
            &self.raw,
            &self.path,
            recording,
            Source::Blocks(samples),
            options,
        )?;
        if let Some(temporary) = &self.write_back {
            start_write_back(temporary);
        }
        Ok(())
    }
}

/// A file being written; see the module.
pub struct StreamedFile {
    file: File,
    target: AtomicPath,
    path: PathBuf,
    groups: Vec<Group>,
}

impl StreamedFile {
    /// Creates the file with `recording`'s description (it holds no rows); its samples
    /// are written by [`RawSamples::write`], which may run beside the analysis.
    pub fn create(path: &Path, recording: &Recording) -> Result<StreamedFile, StoreError> {
        let target = AtomicPath::new(path);
        let file = File::create(target.temporary()).at(path, "file")?;
        write_root(&file, path, &recording.montage, &recording.source)?;
        write_metadata(&file, path, &recording.metadata)?;
        let raw = file.create_group(RAW).at(path, "/raw")?;
        if let Some(acquisition) = &recording.acquisition {
            write_acquisition(&raw, path, acquisition, true)?;
        }
        if let Some(truth) = &recording.truth {
            write_truth(&file, path, truth)?;
        }
        file.create_group(FEATURES).at(path, "/features")?;
        Ok(StreamedFile {
            file,
            target,
            path: path.to_path_buf(),
            groups: Vec::new(),
        })
    }

    /// The handle that writes `/raw/samples`.
    pub fn raw_samples(&self) -> Result<RawSamples, StoreError> {
        Ok(RawSamples {
            raw: self.file.group(RAW).at(&self.path, "/raw")?,
            path: self.path.clone(),
            write_back: self
                .target
                .replaces()
                .then(|| self.target.temporary().to_path_buf()),
        })
    }

    /// Appends the rows of `groups` after those written (a group not seen before is made,
    /// `total(name)` rows long).
    pub fn append(
        &mut self,
        groups: &[FeatureGroup],
        total: &dyn Fn(&str) -> usize,
    ) -> Result<(), StoreError> {
        for g in groups {
            let k = match self.groups.iter().position(|w| w.name == g.name) {
                Some(k) => k,
                None => {
                    let made = self.make(g, total(&g.name))?;
                    self.groups.push(made);
                    self.groups.len() - 1
                }
            };
            self.write_rows(k, g)?;
        }
        Ok(())
    }

    /// Writes the rows `results` still holds, its events (with the recording's
    /// `annotations`) and summary, and puts the file in place.
    pub fn finish(
        mut self,
        results: &Results,
        annotations: &[crate::results::Event],
        total: &dyn Fn(&str) -> usize,
    ) -> Result<(), StoreError> {
        self.append(&results.features, total)?;
        for g in &self.groups {
            if g.written != g.total {
                return Err(StoreError::Invalid {
                    path: self.path.clone(),
                    object: format!("/features/{}", g.name),
                    problem: format!("{} rows written of {}", g.written, g.total),
                });
            }
        }
        write_events(
            &self.file,
            &self.path,
            &with_annotations(&results.events, annotations),
        )?;
        write_summary(&self.file, &self.path, results)?;
        self.file.close().at(&self.path, "file")?;
        self.target.commit()
    }

    /// `/features/<name>` at its final length, with its columns and parameters.
    fn make(&self, g: &FeatureGroup, total: usize) -> Result<Group, StoreError> {
        let path = &self.path;
        let object = format!("/features/{}", g.name);
        let group = self
            .file
            .group(FEATURES)
            .at(path, "/features")?
            .create_group(&g.name)
            .at(path, &object)?;
        let time_s = group
            .new_dataset::<f64>()
            .shape(total)
            .create("time_s")
            .at(path, &format!("{object}/time_s"))?;
        let mut tables = Vec::new();
        for t in &g.tables {
            let name = format!("{object}/{}", t.name);
            let ds = group
                .new_dataset::<f32>()
                .shape((total, t.columns.len()))
                .create(t.name.as_str())
                .at(path, &name)?;
            put_texts(&ds, path, "columns", &t.columns)?;
            tables.push(ds);
        }
        for (name, value) in &g.params {
            put_value(&group, path, name, value)?;
        }
        Ok(Group {
            name: g.name.clone(),
            total,
            time_s,
            tables,
            written: 0,
        })
    }

    fn write_rows(&mut self, k: usize, g: &FeatureGroup) -> Result<(), StoreError> {
        let path = self.path.clone();
        let w = &mut self.groups[k];
        let (from, n) = (w.written, g.time_s.len());
        if n == 0 {
            return Ok(());
        }
        let object = format!("/features/{}", g.name);
        if from + n > w.total || g.tables.len() != w.tables.len() {
            return Err(StoreError::Invalid {
                path,
                object,
                problem: format!("{} rows after {from} do not fit its {} rows", n, w.total),
            });
        }
        w.time_s
            .write_slice(&g.time_s, s![from..from + n])
            .at(&path, &object)?;
        for (ds, t) in w.tables.iter().zip(&g.tables) {
            let values = t.values.mapv(|v| v as f32);
            ds.write_slice(&values, s![from..from + n, ..])
                .at(&path, &format!("{object}/{}", t.name))?;
        }
        w.written += n;
        Ok(())
    }
}
