//! Reads format v1 files: any file with the root attributes and `/raw/samples` (from
//! myobalance, h5py or MATLAB), a recording still being written, or one whose recorder was
//! killed (opened in SWMR read mode). Anything else is refused with an error that says
//! what is wrong.

use std::io::Read;
use std::path::Path;

use hdf5::file::OpenMode;
use hdf5::{Dataset, File, Group};
use ndarray::{Array2, Ix1};

use super::attrs::{get_f64, get_f64s, get_text, get_text_dataset, get_texts, get_values};
use super::blocks::SampleBlocks;
use super::error::{Context, StoreError};
use super::layout::{
    EVENTS, FEATURES, FORMAT, GAPS, RAW, SAMPLES, SUMMARY, TIMING, TRUTH, VERSION,
};
use crate::montage::{Channel, Kind, Montage, Side};
use crate::recording::{Acquisition, Gap, Metadata, Recording, Truth, TruthEntry};
use crate::results::{
    Event, EventKind, FeatureGroup, FeatureTable, Results, SummaryGroup, SummaryValues,
};

/// A file as read: the recording, and the analysis results when the file has them.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub recording: Recording,
    pub results: Option<Results>,
    /// Root attributes `software` and `created_utc`, as found.
    pub software: Option<String>,
    pub created_utc: Option<String>,
    /// The file had to be opened in SWMR read mode: it is being written, or its writer
    /// stopped without closing it.
    pub opened_swmr: bool,
}

const SIGNATURE: [u8; 8] = [0x89, b'H', b'D', b'F', b'\r', b'\n', 0x1a, b'\n'];

/// HDF5 files start with the signature at 0, 512, 1024, 2048, … bytes.
pub fn looks_like_hdf5(path: &Path) -> Result<bool, StoreError> {
    let io = |cause| StoreError::Io {
        path: path.to_path_buf(),
        cause,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut offset = 0u64;
    let mut buf = [0u8; 8];
    while offset + 8 <= len {
        use std::io::Seek;
        file.seek(std::io::SeekFrom::Start(offset)).map_err(io)?;
        file.read_exact(&mut buf).map_err(io)?;
        if buf == SIGNATURE {
            return Ok(true);
        }
        offset = if offset == 0 { 512 } else { offset * 2 };
    }
    Ok(false)
}

/// Opens the file for reading, in SWMR mode when a writer has (or had) it open.
pub fn open(path: &Path) -> Result<(File, bool), StoreError> {
    if !looks_like_hdf5(path)? {
        return Err(StoreError::NotHdf5 {
            path: path.to_path_buf(),
        });
    }
    match File::open(path) {
        Ok(f) => Ok((f, false)),
        Err(first) => File::open_as(path, OpenMode::ReadSWMR)
            .map(|f| (f, true))
            .map_err(|_| StoreError::Hdf5 {
                path: path.to_path_buf(),
                object: "file".to_string(),
                cause: first,
            }),
    }
}

/// Checks the root attributes `format` and `format_version`.
pub(super) fn check_format(file: &File, path: &Path) -> Result<(), StoreError> {
    match get_text(file, path, "format")? {
        Some(f) if f == FORMAT => {}
        Some(f) => {
            return Err(StoreError::NotMyobalance {
                path: path.to_path_buf(),
                found: format!("{f:?}"),
            })
        }
        None => {
            return Err(StoreError::NotMyobalance {
                path: path.to_path_buf(),
                found: "absent".to_string(),
            })
        }
    }
    match get_f64(file, path, "format_version")? {
        Some(v) if v == VERSION as f64 => Ok(()),
        Some(v) => Err(StoreError::WrongVersion {
            path: path.to_path_buf(),
            version: v as i64,
        }),
        None => Err(StoreError::Missing {
            path: path.to_path_buf(),
            object: "root attribute format_version".to_string(),
        }),
    }
}

fn invalid(path: &Path, object: &str, problem: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        path: path.to_path_buf(),
        object: object.to_string(),
        problem: problem.into(),
    }
}

/// Reads the whole file.
pub fn read_file(path: &Path) -> Result<StoredFile, StoreError> {
    let (mut stored, samples) = read_header(path)?;
    stored.recording.samples = samples.read_all()?;
    Ok(stored)
}

/// Reads everything but the samples: the recording comes with no rows, and its samples
/// are read from the [`SampleBlocks`] as they are wanted.
pub fn read_header(path: &Path) -> Result<(StoredFile, SampleBlocks), StoreError> {
    let (file, opened_swmr) = open(path)?;
    check_format(&file, path)?;
    if !file.link_exists(RAW) || !file.group(RAW).at(path, "/raw")?.link_exists(SAMPLES) {
        return Err(StoreError::Missing {
            path: path.to_path_buf(),
            object: "/raw/samples".to_string(),
        });
    }
    let raw = file.group(RAW).at(path, "/raw")?;
    let samples_ds = raw.dataset(SAMPLES).at(path, "/raw/samples")?;
    let rate =
        get_f64(&samples_ds, path, "sample_rate_hz")?.ok_or_else(|| StoreError::Missing {
            path: path.to_path_buf(),
            object: "/raw/samples attribute sample_rate_hz".to_string(),
        })?;
    if !(rate.is_finite() && rate > 0.0) {
        return Err(invalid(
            path,
            "/raw/samples attribute sample_rate_hz",
            format!("{rate} is not a positive rate"),
        ));
    }
    let samples = SampleBlocks::new(file.clone(), samples_ds.clone(), path)?;
    let montage = read_montage(&file, &samples_ds, path, rate, samples.channels())?;
    let source = get_text(&file, path, "source")?.unwrap_or_else(|| path.display().to_string());
    let acquisition = read_acquisition(&raw, path)?;
    let results = read_results(&file, path)?;
    let truth = if file.link_exists(TRUTH) {
        Some(read_truth(&file.group(TRUTH).at(path, "/truth")?, path)?)
    } else {
        None
    };
    let source_rates_hz = get_f64s(&samples_ds, path, "source_rates_hz")?;
    if let Some(rates) = &source_rates_hz {
        if rates.len() != samples.channels() {
            return Err(invalid(
                path,
                "/raw/samples attribute source_rates_hz",
                format!("{} rates for {} channels", rates.len(), samples.channels()),
            ));
        }
    }
    let metadata = Metadata {
        recorded_utc: get_text(&file, path, "recorded_utc")?,
        subject: get_text(&file, path, "subject")?,
        session: get_text(&file, path, "session")?,
        source_format: get_text(&file, path, "source_format")?,
        source_rates_hz,
        annotations: results
            .iter()
            .flat_map(|r| &r.events)
            .filter(|e| e.kind == EventKind::Annotation)
            .cloned()
            .collect(),
    };
    let stored = StoredFile {
        recording: Recording {
            montage,
            samples: Array2::zeros((0, samples.channels())),
            source,
            acquisition,
            truth,
            metadata,
        },
        results,
        software: get_text(&file, path, "software")?,
        created_utc: get_text(&file, path, "created_utc")?,
        opened_swmr,
    };
    Ok((stored, samples))
}

/// The montage stored in the root attribute, or one rebuilt from the column attributes
/// of `/raw/samples` for files written by other tools.
pub(super) fn read_montage(
    file: &File,
    samples: &Dataset,
    path: &Path,
    rate: f64,
    columns: usize,
) -> Result<Montage, StoreError> {
    let mut montage = match get_text(file, path, "montage")? {
        Some(text) => {
            let origin = format!("{} (root attribute montage)", path.display());
            Montage::from_toml_str(&text, &origin)
                .and_then(|m| m.with_sample_rate(rate, &origin))
                .map_err(|e| invalid(path, "root attribute montage", e.to_string()))?
        }
        None => {
            let names = get_texts(samples, path, "channel_names")?
                .unwrap_or_else(|| (0..columns).map(|i| format!("ch{i}")).collect());
            let units = get_texts(samples, path, "units")?.unwrap_or_default();
            let kinds = get_texts(samples, path, "kinds")?.unwrap_or_default();
            let mains = get_f64(file, path, "mains_hz")?.ok_or_else(|| StoreError::Missing {
                path: path.to_path_buf(),
                object: "root attribute mains_hz".to_string(),
            })?;
            Montage {
                sample_rate_hz: None,
                mains_hz: mains as u32,
                channels: names
                    .into_iter()
                    .enumerate()
                    .map(|(i, name)| Channel {
                        label: None,
                        name,
                        kind: kinds
                            .get(i)
                            .and_then(|k| Kind::parse(k))
                            .unwrap_or(Kind::Other),
                        unit: units.get(i).cloned().unwrap_or_default(),
                        side: Side::None,
                        scale: 1.0,
                        offset: 0.0,
                        mvc: None,
                    })
                    .collect(),
                pairs: Vec::new(),
                bilateral: Vec::new(),
                analysis: Default::default(),
            }
            .with_sample_rate(
                rate,
                &format!("{} (/raw/samples attributes)", path.display()),
            )
            .map_err(|e| invalid(path, "/raw/samples", e.to_string()))?
        }
    };
    if montage.channels.len() != columns {
        return Err(invalid(
            path,
            "/raw/samples",
            format!(
                "has {columns} columns but the montage names {} channels",
                montage.channels.len()
            ),
        ));
    }
    montage.sample_rate_hz = Some(rate);
    Ok(montage)
}

fn read_acquisition(raw: &Group, path: &Path) -> Result<Option<Acquisition>, StoreError> {
    let protocol = get_text(raw, path, "protocol")?;
    if protocol.is_none() && !raw.link_exists(GAPS) {
        return Ok(None);
    }
    let count = |name: &str| -> Result<u64, StoreError> {
        Ok(get_f64(raw, path, name)?
            .map(|v| v.max(0.0) as u64)
            .unwrap_or(0))
    };
    let mut a = Acquisition {
        protocol: protocol.unwrap_or_default(),
        port: get_text(raw, path, "port")?.unwrap_or_default(),
        frames_received: count("frames_received")?,
        frames_missing: count("frames_missing")?,
        frames_corrupt: count("frames_corrupt")?,
        bytes_skipped: count("bytes_skipped")?,
        ring_overruns: count("ring_overruns")?,
        measured_rate_hz: get_f64(raw, path, "measured_rate_hz")?,
        gaps: Vec::new(),
        timing: Vec::new(),
    };
    if raw.link_exists(GAPS) {
        let object = "/raw/gaps";
        let pairs = read_pairs::<i64>(&raw.dataset(GAPS).at(path, object)?, path, object)?;
        a.gaps = pairs
            .into_iter()
            .enumerate()
            .map(
                |(row, [first, rows])| match (u64::try_from(first), u64::try_from(rows)) {
                    (Ok(first_row), Ok(rows)) => Ok(Gap { first_row, rows }),
                    _ => Err(invalid(
                        path,
                        object,
                        format!(
                            "row {row} is [{first}, {rows}]: rows and counts are never negative"
                        ),
                    )),
                },
            )
            .collect::<Result<_, _>>()?;
    }
    if raw.link_exists(TIMING) {
        a.timing = read_pairs::<f64>(
            &raw.dataset(TIMING).at(path, "/raw/timing")?,
            path,
            "/raw/timing",
        )?;
    }
    Ok(Some(a))
}

fn read_pairs<T: hdf5::H5Type + Copy>(
    ds: &Dataset,
    path: &Path,
    object: &str,
) -> Result<Vec<[T; 2]>, StoreError> {
    let a = ds.read_2d::<T>().at(path, object)?;
    if a.ncols() != 2 && a.nrows() > 0 {
        return Err(invalid(
            path,
            object,
            format!("has {} columns, expected 2", a.ncols()),
        ));
    }
    Ok(a.rows().into_iter().map(|r| [r[0], r[1]]).collect())
}

fn read_f64s(group: &Group, path: &Path, name: &str, object: &str) -> Result<Vec<f64>, StoreError> {
    Ok(group
        .dataset(name)
        .at(path, object)?
        .read::<f64, Ix1>()
        .at(path, object)?
        .to_vec())
}

fn read_results(file: &File, path: &Path) -> Result<Option<Results>, StoreError> {
    if !file.link_exists(FEATURES) && !file.link_exists(EVENTS) && !file.link_exists(SUMMARY) {
        return Ok(None);
    }
    let mut results = Results::default();
    if file.link_exists(FEATURES) {
        let features = file.group(FEATURES).at(path, "/features")?;
        for name in features.member_names().at(path, "/features")? {
            let object = format!("/features/{name}");
            let g = features.group(&name).at(path, &object)?;
            let time_s = read_f64s(&g, path, "time_s", &format!("{object}/time_s"))?;
            let mut tables = Vec::new();
            for table in g.member_names().at(path, &object)? {
                if table == "time_s" {
                    continue;
                }
                let object = format!("{object}/{table}");
                let ds = g.dataset(&table).at(path, &object)?;
                let values = ds.read_2d::<f64>().at(path, &object)?;
                if values.nrows() != time_s.len() {
                    return Err(invalid(
                        path,
                        &object,
                        format!(
                            "has {} rows but time_s has {}",
                            values.nrows(),
                            time_s.len()
                        ),
                    ));
                }
                let columns = get_texts(&ds, path, "columns")?.unwrap_or_default();
                tables.push(FeatureTable {
                    name: table,
                    columns,
                    values,
                });
            }
            results.features.push(FeatureGroup {
                name,
                time_s,
                tables,
                params: get_values(&g, path)?,
            });
        }
    }
    if file.link_exists(EVENTS) {
        results.events = read_events(&file.group(EVENTS).at(path, "/events")?, path)?;
    }
    results.summary = read_summary_groups(file, path)?;
    Ok(Some(results))
}

/// The groups under `/summary` (none when the file has no `/summary`).
pub(super) fn read_summary_groups(
    file: &File,
    path: &Path,
) -> Result<Vec<SummaryGroup>, StoreError> {
    let mut groups = Vec::new();
    if !file.link_exists(SUMMARY) {
        return Ok(groups);
    }
    let summary = file.group(SUMMARY).at(path, "/summary")?;
    for name in summary.member_names().at(path, "/summary")? {
        let object = format!("/summary/{name}");
        let g = summary.group(&name).at(path, &object)?;
        let names = get_text_dataset(
            &g.dataset("names").at(path, &object)?,
            path,
            &format!("{object}/names"),
        )?;
        let mut columns = Vec::new();
        for column in g.member_names().at(path, &object)? {
            if column == "names" {
                continue;
            }
            let object = format!("{object}/{column}");
            let ds = g.dataset(&column).at(path, &object)?;
            let values = match ds.read_raw::<f64>() {
                Ok(v) => SummaryValues::Numbers(v),
                Err(_) => SummaryValues::Texts(get_text_dataset(&ds, path, &object)?),
            };
            columns.push((column, values));
        }
        groups.push(SummaryGroup {
            name,
            names,
            columns,
        });
    }
    Ok(groups)
}

fn read_events(g: &Group, path: &Path) -> Result<Vec<Event>, StoreError> {
    let time = read_f64s(g, path, "time_s", "/events/time_s")?;
    let kinds = get_text_dataset(
        &g.dataset("kind").at(path, "/events/kind")?,
        path,
        "/events/kind",
    )?;
    let channels = get_text_dataset(
        &g.dataset("channel").at(path, "/events/channel")?,
        path,
        "/events/channel",
    )?;
    let values = read_f64s(g, path, "value", "/events/value")?;
    // `text` came with Part 2 (annotations); files without it have no annotations.
    let texts = if g.link_exists("text") {
        get_text_dataset(
            &g.dataset("text").at(path, "/events/text")?,
            path,
            "/events/text",
        )?
    } else {
        vec![String::new(); time.len()]
    };
    if kinds.len() != time.len()
        || channels.len() != time.len()
        || values.len() != time.len()
        || texts.len() != time.len()
    {
        return Err(invalid(
            path,
            "/events",
            "time_s, kind, channel, value and text differ in length",
        ));
    }
    time.into_iter()
        .zip(kinds)
        .zip(channels)
        .zip(values)
        .zip(texts)
        .enumerate()
        .map(|(i, ((((time_s, kind), channel), value), text))| {
            let kind = EventKind::parse(&kind).ok_or_else(|| {
                invalid(
                    path,
                    "/events/kind",
                    format!("row {i}: unknown event kind {kind:?}"),
                )
            })?;
            Ok(Event {
                time_s,
                kind,
                channel,
                value,
                text,
            })
        })
        .collect()
}

fn read_truth(g: &Group, path: &Path) -> Result<Truth, StoreError> {
    let mut truth = Truth::default();
    for name in g.member_names().at(path, "/truth")? {
        let object = format!("/truth/{name}");
        let ds = g.dataset(&name).at(path, &object)?;
        truth.entries.push(TruthEntry {
            values: ds.read_raw::<f64>().at(path, &object)?,
            labels: get_texts(&ds, path, "names")?.unwrap_or_default(),
            unit: get_text(&ds, path, "unit")?.unwrap_or_default(),
            description: get_text(&ds, path, "description")?.unwrap_or_default(),
            name,
        });
    }
    Ok(truth)
}
