//! Writes a whole recording, with its results and ground truth, as a format v1 file. The
//! file is written under a temporary name and renamed when complete.

use std::path::Path;

use hdf5::{File, Group};
use ndarray::Array2;

use super::atomic::AtomicPath;
use super::attrs::{
    put_f64, put_f64_dataset, put_i64, put_text, put_text_dataset, put_texts, put_value,
};
use super::blocks::RowBlocks;
use super::chunks::{copy_chunks, copyable, write_shuffled_deflated};
use super::error::{Context, StoreError};
use super::layout::{
    BATCH_CHUNK_ROWS, DEFLATE_LEVEL, EVENTS, FEATURES, FORMAT, GAPS, RAW, SAMPLES, SOFTWARE,
    SUMMARY, TIMING, TRUTH, VERSION,
};
use super::timestamp::utc_now;
use crate::montage::Montage;
use crate::recording::{Acquisition, Metadata, Recording, Truth};
use crate::results::{AttrValue, Event, EventKind, Results, SummaryValues};

/// Choices a caller may make about how a file is written.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteOptions {
    /// Rows per chunk of `/raw/samples`.
    pub chunk_rows: usize,
    /// zlib level of `/raw/samples` (0 = no deflate filter).
    pub deflate_level: u8,
    /// A format v1 file whose `/raw/samples` holds exactly the recording's samples: its
    /// compressed chunks are copied as they are (no decoding and re-encoding) when they are
    /// stored the way this writer stores them; otherwise the samples are compressed anew.
    pub raw_chunks_from: Option<std::path::PathBuf>,
}

impl Default for WriteOptions {
    fn default() -> WriteOptions {
        WriteOptions {
            chunk_rows: BATCH_CHUNK_ROWS,
            deflate_level: DEFLATE_LEVEL,
            raw_chunks_from: None,
        }
    }
}

/// Where the samples written come from.
#[derive(Clone, Copy)]
pub(crate) enum Source<'a> {
    /// The recording's own.
    Memory,
    /// A file's, read a block at a time (the recording holds none).
    Blocks(&'a dyn RowBlocks),
}

/// Writes `recording` (and `results`, when given) to `path`, atomically.
pub fn write_file(
    path: &Path,
    recording: &Recording,
    results: Option<&Results>,
    options: &WriteOptions,
) -> Result<(), StoreError> {
    write_from(path, recording, Source::Memory, results, options)
}

fn write_from(
    path: &Path,
    recording: &Recording,
    source: Source,
    results: Option<&Results>,
    options: &WriteOptions,
) -> Result<(), StoreError> {
    let target = AtomicPath::new(path);
    {
        let file = File::create(target.temporary()).at(path, "file")?;
        write_root(&file, path, &recording.montage, &recording.source)?;
        write_metadata(&file, path, &recording.metadata)?;
        let raw = file.create_group(RAW).at(path, "/raw")?;
        write_samples(&raw, path, recording, source, options)?;
        if let Some(acquisition) = &recording.acquisition {
            write_acquisition(&raw, path, acquisition, true)?;
        }
        if let Some(results) = results {
            write_results(&file, path, results, &recording.metadata.annotations)?;
        }
        if let Some(truth) = &recording.truth {
            write_truth(&file, path, truth)?;
        }
        file.close().at(path, "file")?;
    }
    target.commit()
}

/// Root attributes.
pub(crate) fn write_root(
    file: &File,
    path: &Path,
    montage: &Montage,
    source: &str,
) -> Result<(), StoreError> {
    put_text(file, path, "format", FORMAT)?;
    put_i64(file, path, "format_version", VERSION)?;
    put_text(file, path, "software", SOFTWARE)?;
    put_text(file, path, "created_utc", &utc_now())?;
    put_text(file, path, "source", source)?;
    put_text(file, path, "montage", &montage.to_toml_string())?;
    put_i64(file, path, "mains_hz", i64::from(montage.mains_hz))
}

/// Root attributes `recorded_utc`, `subject`, `session` and `source_format`, each when
/// known.
pub(crate) fn write_metadata(file: &File, path: &Path, m: &Metadata) -> Result<(), StoreError> {
    for (name, value) in [
        ("recorded_utc", &m.recorded_utc),
        ("subject", &m.subject),
        ("session", &m.session),
        ("source_format", &m.source_format),
    ] {
        if let Some(value) = value {
            put_text(file, path, name, value)?;
        }
    }
    Ok(())
}

/// The attributes of `/raw/samples` that describe its columns.
pub(crate) fn describe_samples(
    ds: &hdf5::Dataset,
    path: &Path,
    montage: &Montage,
) -> Result<(), StoreError> {
    let rate = montage.sample_rate_hz.ok_or_else(|| StoreError::Invalid {
        path: path.to_path_buf(),
        object: "/raw/samples".to_string(),
        problem: "the montage has no sample rate".to_string(),
    })?;
    put_f64(ds, path, "sample_rate_hz", rate)?;
    let names: Vec<String> = montage.channels.iter().map(|c| c.name.clone()).collect();
    let units: Vec<String> = montage.channels.iter().map(|c| c.unit.clone()).collect();
    let kinds: Vec<String> = montage
        .channels
        .iter()
        .map(|c| c.kind.as_str().to_string())
        .collect();
    put_texts(ds, path, "channel_names", &names)?;
    put_texts(ds, path, "units", &units)?;
    put_texts(ds, path, "kinds", &kinds)
}

/// Rows compressed at a time when the samples are read in blocks.
const BLOCK_CHUNKS: usize = 64;

pub(crate) fn write_samples(
    raw: &Group,
    path: &Path,
    recording: &Recording,
    source: Source,
    options: &WriteOptions,
) -> Result<(), StoreError> {
    let (rows, channels) = match source {
        Source::Memory => recording.samples.dim(),
        Source::Blocks(b) => (b.rows(), b.channels()),
    };
    let describe = |ds: &hdf5::Dataset| -> Result<(), StoreError> {
        describe_samples(ds, path, &recording.montage)?;
        match &recording.metadata.source_rates_hz {
            Some(rates) => put_value(
                ds,
                path,
                "source_rates_hz",
                &AttrValue::Floats(rates.clone()),
            ),
            None => Ok(()),
        }
    };
    if let Some(source) = &options.raw_chunks_from {
        if let Some(ds) = copy_samples(raw, path, source, rows, channels)? {
            return describe(&ds);
        }
    }
    let chunk_rows = options.chunk_rows.clamp(1, rows.max(1));
    let mut builder = raw
        .new_dataset::<f32>()
        .shape((rows, channels))
        .chunk((chunk_rows, channels.max(1)));
    if options.deflate_level > 0 {
        builder = builder.shuffle().deflate(options.deflate_level);
    }
    let ds = builder.create(SAMPLES).at(path, "/raw/samples")?;
    if rows == 0 || channels == 0 {
        return describe(&ds);
    }
    let write = |first: usize, data: ndarray::ArrayView2<f32>| -> Result<(), StoreError> {
        if options.deflate_level > 0 {
            let level = options.deflate_level;
            write_shuffled_deflated(&ds, path, data, first, chunk_rows, level)
        } else {
            let end = first + data.nrows();
            ds.write_slice(data, ndarray::s![first..end, ..])
                .at(path, "/raw/samples")
        }
    };
    match source {
        Source::Memory => write(0, recording.samples.view())?,
        Source::Blocks(blocks) => {
            let step = chunk_rows * BLOCK_CHUNKS;
            let mut block = Vec::new();
            for first in (0..rows).step_by(step) {
                let n = blocks.read_into(first, first + step, &mut block)?;
                let view = ndarray::ArrayView2::from_shape((n, channels), &block[..n * channels])
                    .map_err(|e| StoreError::Invalid {
                    path: path.to_path_buf(),
                    object: "/raw/samples".to_string(),
                    problem: format!("a block of samples has the wrong shape ({e})"),
                })?;
                write(first, view)?;
            }
        }
    }
    describe(&ds)
}

/// `/raw/samples` made from the source file's stored chunks, when they can be copied.
fn copy_samples(
    raw: &Group,
    path: &Path,
    source: &Path,
    rows: usize,
    channels: usize,
) -> Result<Option<hdf5::Dataset>, StoreError> {
    let Ok((file, _)) = super::reader::open(source) else {
        return Ok(None);
    };
    let Ok(src) = file.dataset("raw/samples") else {
        return Ok(None);
    };
    let Some(layout) = copyable(&src, rows, channels) else {
        return Ok(None);
    };
    let ds = raw
        .new_dataset::<f32>()
        .shape((rows, channels))
        .chunk((layout.chunk_rows, channels))
        .shuffle()
        .deflate(layout.deflate_level)
        .create(SAMPLES)
        .at(path, "/raw/samples")?;
    copy_chunks(&src, &ds, &layout, path)?;
    Ok(Some(ds))
}

/// `/raw` counters, and (when `with_tables`) `/raw/gaps` and `/raw/timing`.
pub(crate) fn write_acquisition(
    raw: &Group,
    path: &Path,
    a: &Acquisition,
    with_tables: bool,
) -> Result<(), StoreError> {
    put_text(raw, path, "protocol", &a.protocol)?;
    put_text(raw, path, "port", &a.port)?;
    for (name, value) in [
        ("frames_received", a.frames_received),
        ("frames_missing", a.frames_missing),
        ("frames_corrupt", a.frames_corrupt),
        ("bytes_skipped", a.bytes_skipped),
        ("ring_overruns", a.ring_overruns),
    ] {
        put_i64(raw, path, name, i64::try_from(value).unwrap_or(i64::MAX))?;
    }
    if let Some(hz) = a.measured_rate_hz {
        put_f64(raw, path, "measured_rate_hz", hz)?;
    }
    if with_tables {
        let gaps = Array2::from_shape_fn((a.gaps.len(), 2), |(r, c)| {
            let g = a.gaps[r];
            i64::try_from(if c == 0 { g.first_row } else { g.rows }).unwrap_or(i64::MAX)
        });
        raw.new_dataset_builder()
            .with_data(&gaps)
            .create(GAPS)
            .at(path, "/raw/gaps")?;
        let timing = Array2::from_shape_fn((a.timing.len(), 2), |(r, c)| a.timing[r][c]);
        raw.new_dataset_builder()
            .with_data(&timing)
            .create(TIMING)
            .at(path, "/raw/timing")?;
    }
    Ok(())
}

/// `/features`, `/events` (the analysis' events with the recording's `annotations`),
/// `/summary`.
pub(crate) fn write_results(
    file: &File,
    path: &Path,
    results: &Results,
    annotations: &[Event],
) -> Result<(), StoreError> {
    let features = file.create_group(FEATURES).at(path, "/features")?;
    for group in &results.features {
        let object = format!("/features/{}", group.name);
        let g = features.create_group(&group.name).at(path, &object)?;
        put_f64_dataset(&g, path, "time_s", &group.time_s)?;
        for table in &group.tables {
            let object = format!("{object}/{}", table.name);
            let values = table.values.mapv(|v| v as f32);
            let ds = g
                .new_dataset_builder()
                .with_data(&values)
                .create(table.name.as_str())
                .at(path, &object)?;
            put_texts(&ds, path, "columns", &table.columns)?;
        }
        for (name, value) in &group.params {
            put_value(&g, path, name, value)?;
        }
    }
    write_events(file, path, &with_annotations(&results.events, annotations))?;
    write_summary(file, path, results)
}

/// The analysis' events and the recording's annotations in one list, in time order.
/// Annotations are the recording's own: any among `events` (read back from a file) are
/// left out so that they are not written twice.
pub(crate) fn with_annotations(events: &[Event], annotations: &[Event]) -> Vec<Event> {
    let mut all: Vec<Event> = events
        .iter()
        .filter(|e| e.kind != EventKind::Annotation)
        .chain(annotations)
        .cloned()
        .collect();
    // Stable: events at the same time keep the analysis' order, annotations after them.
    all.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    all
}

/// `/summary/<group>/{names, columns…}`.
pub(crate) fn write_summary(file: &File, path: &Path, results: &Results) -> Result<(), StoreError> {
    let summary = file.create_group(SUMMARY).at(path, "/summary")?;
    for group in &results.summary {
        let object = format!("/summary/{}", group.name);
        let g = summary.create_group(&group.name).at(path, &object)?;
        put_text_dataset(&g, path, "names", &group.names)?;
        for (name, values) in &group.columns {
            match values {
                SummaryValues::Numbers(v) => put_f64_dataset(&g, path, name, v)?,
                SummaryValues::Texts(t) => put_text_dataset(&g, path, name, t)?,
            };
        }
    }
    Ok(())
}

/// `/events/{time_s, kind, channel, value, text}`.
pub(crate) fn write_events(file: &File, path: &Path, events: &[Event]) -> Result<(), StoreError> {
    let group = file.create_group(EVENTS).at(path, "/events")?;
    let time: Vec<f64> = events.iter().map(|e| e.time_s).collect();
    let kind: Vec<String> = events.iter().map(|e| e.kind.as_str().to_string()).collect();
    let channel: Vec<String> = events.iter().map(|e| e.channel.clone()).collect();
    let value: Vec<f64> = events.iter().map(|e| e.value).collect();
    let text: Vec<String> = events.iter().map(|e| e.text.clone()).collect();
    put_f64_dataset(&group, path, "time_s", &time)?;
    put_text_dataset(&group, path, "kind", &kind)?;
    put_text_dataset(&group, path, "channel", &channel)?;
    put_f64_dataset(&group, path, "value", &value)?;
    put_text_dataset(&group, path, "text", &text)?;
    Ok(())
}

/// `/truth/<name>`: the values, with `names`, `unit` and `description` attributes.
pub(crate) fn write_truth(file: &File, path: &Path, truth: &Truth) -> Result<(), StoreError> {
    let group = file.create_group(TRUTH).at(path, "/truth")?;
    for entry in &truth.entries {
        let ds = put_f64_dataset(&group, path, &entry.name, &entry.values)?;
        put_texts(&ds, path, "names", &entry.labels)?;
        put_text(&ds, path, "unit", &entry.unit)?;
        put_text(&ds, path, "description", &entry.description)?;
    }
    Ok(())
}
