//! EDF, EDF+ (C and D), BDF and BDF+ (DESIGN.md, "Reading the recordings labs already
//! have"): a fixed-width ASCII header record, then data records each holding a fixed
//! number of samples of every signal — 16-bit little-endian for EDF, 24-bit for BDF.
//!
//! - `header` reads and checks the header record; `layout` knows where each field is.
//! - `records` decides how many complete data records to read (−1 means "count them").
//! - `samples` decodes and calibrates the ordinary signals, in parallel.
//! - `annotations` reads the `EDF Annotations` / `BDF Annotations` signals (TALs).
//! - `blocks` reads a file a block of data records at a time ([`open_blocks`]), so a
//!   recording longer than memory can be analysed.
//! - `gaps` turns EDF+D record onsets into [`TimeGap`](crate::formats::TimeGap)s; `start` and `subject` read
//!   the start time and the subject.
//!
//! Times: EDF+ annotation onsets count from the header's start time, and the first
//! record's time-keeping stamp says when the first sample was taken (usually 0, or the
//! sub-second part of the start). This reader subtracts that stamp, so an annotation's
//! `time_s` is seconds after the first sample, and adds it to the start time, so
//! [`Imported::recorded_utc`] is the first sample's local time. In an EDF+D file
//! annotation times stay on that clock, gaps included (a sample's time is its position
//! in the stored data plus the gaps before it).
//!
//! ```
//! use myobalance::formats::edf;
//!
//! assert!(edf::is_edf(b"0       X X X X"));
//! assert!(edf::is_bdf(b"\xFFBIOSEMI"));
//! assert!(edf::parse(b"0       ", "short.edf").is_err());
//! ```

mod annotations;
mod blocks;
mod gaps;
mod header;
mod layout;
mod records;
mod samples;
mod start;
mod subject;

use std::cmp::Ordering;

pub use blocks::{open_blocks, EdfBlocks};

use crate::formats::{Annotation, FormatError, Imported};
use annotations::Seconds;
use header::{Family, Header, Variant};
use layout::{FileField, SignalField};

/// The version field of an EDF file: "0" and seven spaces.
const EDF_MAGIC: &[u8; 8] = b"0       ";
/// The version field of a BDF file: byte 255 and "BIOSEMI".
const BDF_MAGIC: &[u8; 8] = b"\xFFBIOSEMI";

/// Whether `head` (the file's first bytes, at least 8) starts like an EDF or EDF+ file.
pub fn is_edf(head: &[u8]) -> bool {
    head.get(..8) == Some(&EDF_MAGIC[..])
}

/// Whether `head` (the file's first bytes, at least 8) starts like a BDF or BDF+ file.
pub fn is_bdf(head: &[u8]) -> bool {
    head.get(..8) == Some(&BDF_MAGIC[..])
}

/// Reads an EDF, EDF+, BDF or BDF+ file from its bytes; `file` names it in errors.
///
/// The ordinary signals come in file order in physical units; annotation signals become
/// [`Imported::annotations`], EDF+D record onsets [`Imported::gaps`]. A file shorter
/// than its header says keeps its complete data records and says so in
/// [`Imported::warnings`]. Errors name the header field, the signal (numbered from 1,
/// with its label) and the bytes.
pub fn parse(bytes: &[u8], file: &str) -> Result<Imported, FormatError> {
    let family = family_of(bytes, file)?;
    let cx = Context::new(file, family);
    let header = header::read(bytes, family, &cx)?;
    let records = records::count(&header, bytes.len());
    let data_len = records.count.saturating_mul(header.record_bytes);
    let data = bytes
        .get(header.header_bytes..header.header_bytes.saturating_add(data_len))
        .unwrap_or(&[]);
    let signals = samples::decode(&header, data, records.count);
    let timeline = annotations::collect(&header, data, records.count);
    Ok(imported(&header, records.warnings, signals, timeline))
}

/// EDF or BDF, from the version field at the start of `bytes`.
fn family_of(bytes: &[u8], file: &str) -> Result<Family, FormatError> {
    if is_bdf(bytes) {
        Ok(Family::Bdf)
    } else if is_edf(bytes) {
        Ok(Family::Edf)
    } else if bytes.len() < 8 {
        Err(Context::new(file, Family::Edf).whole(format!(
            "the file is {} bytes long, too short for any EDF or BDF file",
            bytes.len()
        )))
    } else {
        let head = header::printable(bytes.get(..8).unwrap_or(bytes));
        Err(Context::new(file, Family::Edf)
            .file_field(layout::VERSION)
            .problem(format!(
                "the file starts with \"{head}\", not with the version field of an EDF file \
                 (\"0\" and 7 spaces) or a BDF file (byte 255 and \"BIOSEMI\")"
            )))
    }
}

/// The file as [`Imported`]: its `signals` (decoded from every record, or from the first
/// ones when the rest is read in blocks) and what its header and annotation signals say.
fn imported(
    header: &Header,
    mut warnings: Vec<String>,
    signals: Vec<crate::formats::Signal>,
    timeline: annotations::Timeline,
) -> Imported {
    warnings.extend(timeline.warnings);

    let first_onset = match timeline.record_onsets.first() {
        Some(Some(onset)) => *onset,
        Some(None) => {
            warnings.push(
                "the first data record has no time-keeping annotation; the recording is \
                 taken to start at the header's start time"
                    .into(),
            );
            Seconds::default()
        }
        None => Seconds::default(),
    };
    let mut annotations: Vec<Annotation> = timeline
        .annotations
        .into_iter()
        .map(|noted| Annotation {
            time_s: noted.onset.since(first_onset),
            ..noted.annotation
        })
        .collect();
    // Stable: annotations at the same time keep their file order.
    annotations.sort_by(|a, b| a.time_s.partial_cmp(&b.time_s).unwrap_or(Ordering::Equal));

    let mut gaps = Vec::new();
    if header.variant == Variant::Discontinuous {
        let fastest_rate_hz = signals.iter().map(|s| s.rate_hz).fold(0.0, f64::max);
        if timeline.record_onsets.is_empty() && !signals.is_empty() {
            warnings.push(
                "the file is marked discontinuous but has no annotation signal to say when \
                 each data record starts; no gaps could be found"
                    .into(),
            );
        }
        let onsets: Vec<Option<f64>> = timeline
            .record_onsets
            .iter()
            .map(|o| o.map(|o| o.value))
            .collect();
        let found = gaps::find(&onsets, header.record_duration_s, fastest_rate_hz);
        gaps = found.gaps;
        warnings.extend(found.warnings);
    }

    let plus = header.variant != Variant::Plain;
    let recorded_utc = match start::recorded(
        &header.start_date,
        &header.start_time,
        &header.recording,
        plus,
        first_onset.value,
    ) {
        Ok((text, warning)) => {
            warnings.extend(warning);
            Some(text)
        }
        Err(warning) => {
            warnings.push(warning);
            None
        }
    };

    let family = header.family;
    let format = match header.variant {
        Variant::Plain => family.name().to_string(),
        Variant::Continuous => format!("{}+C", family.name()),
        Variant::Discontinuous => format!("{}+D", family.name()),
    };
    Imported {
        format,
        signals,
        recorded_utc,
        subject: subject::subject(&header.patient, plus),
        annotations,
        gaps,
        sequence: None,
        warnings,
    }
}

/// The file and format every error of one parse names.
struct Context<'a> {
    file: &'a str,
    format: &'static str,
}

impl<'a> Context<'a> {
    fn new(file: &'a str, family: Family) -> Context<'a> {
        Context {
            file,
            format: family.name(),
        }
    }

    /// An error about the whole file.
    fn whole(&self, problem: impl Into<String>) -> FormatError {
        FormatError::new(self.file, self.format).problem(problem)
    }

    /// An error at `location`; add the problem.
    fn located(&self, location: impl Into<String>) -> FormatError {
        FormatError::new(self.file, self.format).at(location)
    }

    /// An error in a field of the file part of the header.
    fn file_field(&self, f: FileField) -> FormatError {
        self.located(format!(
            "header field \"{}\", {}",
            f.name,
            layout::bytes_text(f.offset, f.offset + f.width)
        ))
    }

    /// An error in field `f` of signal `index` (0-based) of `signals`.
    fn signal_field(
        &self,
        f: SignalField,
        index: usize,
        signals: usize,
        label: &str,
    ) -> FormatError {
        let (start, end) = f.range(index, signals);
        self.located(format!(
            "header field \"{}\" of signal {} (\"{label}\"), {}",
            f.name(),
            index + 1,
            layout::bytes_text(start, end)
        ))
    }
}

#[cfg(test)]
mod tests;
