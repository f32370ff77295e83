//! XDF files (Lab Streaming Layer's LabRecorder; XDF 1.0): several streams, each with its
//! header, samples with LSL timestamps, clock offsets and a footer, interleaved in chunks
//! ([`chunks`]).
//!
//! - Every stream is read ([`read_streams`]); its timestamps are put on the recording
//!   computer's clock with its clock offsets ([`clock`]).
//! - [`parse`] makes one recording of them (DESIGN.md, "Lab Streaming Layer"): the stream
//!   named by the caller, else the first of type EMG, else the first numeric stream with a
//!   rate, is the recording. Its channels are taken sample for sample; a timestamp step
//!   of more than 1.5 sample periods is a gap of round(step · rate) − 1 samples. Other
//!   numeric streams with a rate join as signals at their own rates, placed on the
//!   recording's time line by their timestamps (linear interpolation between their
//!   samples, held at their ends). Marker (string) streams become annotations. Irregular
//!   numeric streams are left out with a warning.
//! - An unknown chunk tag is skipped with a warning, as XDF readers do; a file that ends
//!   inside a chunk keeps the chunks before it, with a warning. A header that is not XML,
//!   samples that do not fit their chunk or a stream without a header are errors naming
//!   the chunk and where it starts.

pub mod chunks;
pub mod clock;
pub mod header;
pub mod samples;

use std::collections::BTreeMap;

use crate::formats::{Annotation, FormatError, Imported, Signal, TimeGap};
use crate::recording::missing_in_step;
use chunks::{stream_id, Tag};
pub use header::{ChannelInfo, StreamHeader, ValueFormat};
pub use samples::StreamData;

pub const FORMAT: &str = "XDF";

/// A stream joins the recording at most this many times its rate (a higher one is a
/// damaged header or a stream to record on its own).
const MAX_RATE_RATIO: f64 = 100.0;

/// One stream of an XDF file.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    pub id: u32,
    pub header: StreamHeader,
    /// Samples, their timestamps on the recording computer's clock.
    pub data: StreamData,
    /// `[collection time, offset]` pairs, as stored.
    pub offsets: Vec<[f64; 2]>,
}

/// Every stream of a file, in the order of their headers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Streams {
    pub streams: Vec<Stream>,
    /// The file header's `<datetime>`.
    pub datetime: Option<String>,
    pub warnings: Vec<String>,
}

/// Reads every stream of an XDF file.
pub fn read_streams(bytes: &[u8], file: &str) -> Result<Streams, FormatError> {
    let (chunks, cut) = chunks::chunks(bytes, file)?;
    let mut out = Streams::default();
    let mut by_id: BTreeMap<u32, usize> = BTreeMap::new();
    let mut unknown: BTreeMap<u16, (usize, usize)> = BTreeMap::new();
    for chunk in &chunks {
        let err = |problem: String| {
            FormatError::new(file, FORMAT)
                .at(chunk.place())
                .problem(problem)
        };
        match chunk.tag {
            Tag::FileHeader => {
                out.datetime = header::file_datetime(&String::from_utf8_lossy(chunk.content));
            }
            Tag::StreamHeader => {
                let (id, xml) = stream_id(chunk, file)?;
                let header = header::parse_header(&String::from_utf8_lossy(xml))
                    .map_err(|p| err(format!("the header of stream {id}: {p}")))?;
                if by_id.contains_key(&id) {
                    return Err(err(format!("a second header for stream {id}")));
                }
                by_id.insert(id, out.streams.len());
                out.streams.push(Stream {
                    id,
                    header,
                    data: StreamData::default(),
                    offsets: Vec::new(),
                });
            }
            Tag::Samples | Tag::ClockOffset => {
                let (id, rest) = stream_id(chunk, file)?;
                let stream = by_id
                    .get(&id)
                    .map(|&k| &mut out.streams[k])
                    .ok_or_else(|| err(format!("stream {id} has no header before this chunk")))?;
                if chunk.tag == Tag::Samples {
                    samples::read_samples(rest, &stream.header, &mut stream.data)
                        .map_err(|p| err(format!("samples of stream {id}: {p}")))?;
                } else {
                    let pair = rest.get(..16).ok_or_else(|| {
                        err(format!("clock offset of stream {id}: fewer than 16 bytes"))
                    })?;
                    let f = |b: &[u8]| f64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
                    stream.offsets.push([f(&pair[..8]), f(&pair[8..])]);
                }
            }
            Tag::Boundary | Tag::StreamFooter => {}
            Tag::Other(code) => {
                let seen = unknown.entry(code).or_insert((chunk.offset, 0));
                seen.1 += 1;
            }
        }
    }
    for (code, (first, count)) in unknown {
        out.warnings.push(format!(
            "{count} chunk(s) with tag {code}, which XDF 1.0 does not define, skipped (the \
             first at byte {first})"
        ));
    }
    if let Some(at) = cut {
        out.warnings.push(format!(
            "the file ends inside the chunk at byte {at}: the chunks before it are kept"
        ));
    }
    for s in &mut out.streams {
        clock::synchronize(&mut s.data.timestamps, &s.offsets);
    }
    Ok(out)
}

/// Whether a stream holds numbers at a fixed rate (a signal).
fn is_signal(s: &Stream) -> bool {
    s.header.format != ValueFormat::String && s.header.nominal_srate > 0.0
}

/// Reads an XDF file as one recording: the stream named `stream` (else the first of type
/// EMG, else the first signal stream) and the others joined to it (see the module docs).
pub fn parse(bytes: &[u8], file: &str, stream: Option<&str>) -> Result<Imported, FormatError> {
    let read = read_streams(bytes, file)?;
    let err = |problem: String| FormatError::new(file, FORMAT).problem(problem);
    let names = || {
        read.streams
            .iter()
            .map(|s| {
                format!(
                    "\"{}\" ({}, {} Hz)",
                    s.header.name, s.header.kind, s.header.nominal_srate
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let main = match stream {
        Some(name) => read
            .streams
            .iter()
            .position(|s| s.header.name == name)
            .ok_or_else(|| {
                err(format!(
                    "no stream named \"{name}\"; the file has {}",
                    names()
                ))
            })?,
        None => read
            .streams
            .iter()
            .position(|s| is_signal(s) && s.header.kind.eq_ignore_ascii_case("EMG"))
            .or_else(|| read.streams.iter().position(is_signal))
            .ok_or_else(|| {
                err(format!(
                    "no stream of numbers at a fixed rate to record; the file has {}",
                    if read.streams.is_empty() {
                        "no stream".into()
                    } else {
                        names()
                    }
                ))
            })?,
    };
    let first = &read.streams[main];
    if !is_signal(first) {
        return Err(err(format!(
            "stream \"{}\" is not a signal (its values are {:?} at {} Hz)",
            first.header.name, first.header.format, first.header.nominal_srate
        )));
    }
    let Some(&t0) = first.data.timestamps.first() else {
        return Err(err(format!(
            "stream \"{}\" has no sample",
            first.header.name
        )));
    };
    let fs = first.header.nominal_srate;
    let gaps = gaps_of(&first.data.timestamps, fs);
    let stored_s = first.data.timestamps.len() as f64 / fs;
    let total_s = stored_s + gaps.iter().map(|g| g.missing_s).sum::<f64>();
    let mut imported = Imported {
        format: FORMAT.to_string(),
        recorded_utc: read.datetime.clone(),
        warnings: read.warnings.clone(),
        gaps,
        ..Imported::default()
    };
    imported.signals.extend(signals(first, &first.data.values));
    let mut outside = 0usize;
    for (k, s) in read.streams.iter().enumerate() {
        if k == main {
            continue;
        }
        if s.header.format == ValueFormat::String {
            for (t, text) in s.data.timestamps.iter().zip(&s.data.texts) {
                let time_s = t - t0;
                if (0.0..=total_s).contains(&time_s) {
                    imported.annotations.push(Annotation {
                        time_s,
                        duration_s: f64::NAN,
                        text: text.clone(),
                    });
                } else {
                    outside += 1;
                }
            }
        } else if is_signal(s)
            && (s.header.nominal_srate > MAX_RATE_RATIO * fs
                || stored_s * s.header.nominal_srate * s.header.channel_count as f64
                    > MAX_RATE_RATIO * bytes.len() as f64)
        {
            imported.warnings.push(format!(
                "stream \"{}\" at {} Hz is over {MAX_RATE_RATIO} times the rate of \"{}\" \
                 ({fs} Hz): left out (name it with --stream to record it)",
                s.header.name, s.header.nominal_srate, first.header.name
            ));
        } else if is_signal(s) {
            let placed = on_time_line(s, t0, stored_s, &imported.gaps);
            imported.signals.extend(signals(s, &placed));
        } else {
            imported.warnings.push(format!(
                "stream \"{}\" ({} channels) has no fixed rate: left out",
                s.header.name, s.header.channel_count
            ));
        }
    }
    if outside > 0 {
        imported.warnings.push(format!(
            "{outside} marker(s) outside the recording's time span left out"
        ));
    }
    for signal in &mut imported.signals {
        let replaced = signal.interpolate_non_finite();
        if replaced > 0 {
            imported.warnings.push(format!(
                "channel \"{}\": {replaced} value(s) not a finite number (NaN, infinite, or \
                 a timestamp that is not), interpolated from their neighbours",
                signal.label
            ));
        }
    }
    imported
        .annotations
        .sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    Ok(imported)
}

/// The signals of stream `s` with `values` (interleaved, `channel_count` per sample).
fn signals(s: &Stream, values: &[f32]) -> Vec<Signal> {
    let n = s.header.channel_count;
    s.header
        .channels
        .iter()
        .enumerate()
        .map(|(c, info)| Signal {
            label: if info.label.is_empty() {
                format!("{} {}", s.header.name, c + 1)
            } else {
                info.label.clone()
            },
            unit: info.unit.clone(),
            rate_hz: s.header.nominal_srate,
            samples: values.iter().skip(c).step_by(n).copied().collect(),
            detail: [info.kind.as_str(), s.header.kind.as_str()]
                .iter()
                .filter(|t| !t.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
            emg_transfer: None,
        })
        .collect()
}

/// Gaps in a stream at `fs` Hz, by [`missing_in_step`] between consecutive timestamps.
fn gaps_of(timestamps: &[f64], fs: f64) -> Vec<TimeGap> {
    timestamps
        .windows(2)
        .enumerate()
        .filter_map(|(k, w)| {
            missing_in_step(w[1] - w[0], fs).map(|missing| TimeGap {
                at_s: (k + 1) as f64 / fs,
                missing_s: missing as f64 / fs,
            })
        })
        .collect()
}

/// Stream `s` sampled at its own rate over the recording's stored samples (`stored_s`
/// seconds, the gaps left out as the recording leaves them out until they are filled):
/// the value at each instant by linear interpolation between the stream's samples on
/// either side of its time, held before the first and after the last.
fn on_time_line(s: &Stream, t0: f64, stored_s: f64, gaps: &[TimeGap]) -> Vec<f32> {
    let n = s.header.channel_count;
    let rate = s.header.nominal_srate;
    let t = &s.data.timestamps;
    let count = (stored_s * rate).round().max(0.0) as usize;
    let mut out = Vec::with_capacity(count * n);
    let (mut j, mut passed, mut skipped) = (0usize, 0usize, 0.0);
    for k in 0..count {
        let stored = k as f64 / rate;
        while passed < gaps.len() && gaps[passed].at_s <= stored {
            skipped += gaps[passed].missing_s;
            passed += 1;
        }
        let when = t0 + stored + skipped;
        while j + 1 < t.len() && t[j + 1] <= when {
            j += 1;
        }
        let sample = |i: usize| &s.data.values[i * n..(i + 1) * n];
        if t.is_empty() {
            out.extend(std::iter::repeat_n(0.0, n));
        } else if when <= t[0] || j + 1 >= t.len() {
            let i = if when <= t[0] { 0 } else { t.len() - 1 };
            out.extend_from_slice(sample(i));
        } else {
            let span = t[j + 1] - t[j];
            let w = if span > 0.0 {
                (when - t[j]) / span
            } else {
                0.0
            };
            let (a, b) = (sample(j), sample(j + 1));
            out.extend(
                a.iter()
                    .zip(b)
                    .map(|(a, b)| (f64::from(*a) + (f64::from(*b) - f64::from(*a)) * w) as f32),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_over_one_and_a_half_periods_are_gaps() {
        let t = [0.0, 0.001, 0.002, 0.012, 0.013];
        let gaps = gaps_of(&t, 1000.0);
        assert_eq!(gaps.len(), 1);
        assert!((gaps[0].at_s - 0.003).abs() < 1e-12);
        assert!((gaps[0].missing_s - 0.009).abs() < 1e-12);
        // Jitter under 1.5 periods, steps back and damaged stamps are not gaps.
        assert!(gaps_of(&[0.0, 0.0014, 0.001, f64::NAN, 0.002], 1000.0).is_empty());
        assert!(gaps_of(&[0.0, 1e308], 1e10).is_empty());
    }
}
