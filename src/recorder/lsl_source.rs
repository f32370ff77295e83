//! A Lab Streaming Layer inlet as a recording's source (DESIGN.md, "Lab Streaming Layer"):
//! `record --lsl QUERY` records any regular-rate numeric stream that answers the query
//! (an LSL predicate such as `type='EMG'` or `name='OpenBCI_EMG'`).
//!
//! - Channel labels, units and types come from the stream's `desc/channels/channel`
//!   (fetched with the full stream description). Without a montage one is guessed from
//!   them; with one, its channels are matched to the stream's by label.
//! - Values are taken in the stream's units and stored in myobalance's (µV, N, …), times
//!   the montage channel's `scale` plus its `offset`.
//! - LSL has no sequence numbers: a step between timestamps of more than 1.5 sample
//!   periods is a gap of round(step · rate) − 1 rows, filled and listed as lost serial
//!   frames are. `/raw/timing` maps rows to LSL time plus the inlet's time correction.
//! - A stream that goes away ends the recording as an unplugged port does; an irregular
//!   or text stream is refused when opened.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use labstream::{Chunk, Format, Inlet, Query, StreamInfo};

use super::source::{Feed, Source, SourceInfo, MAX_GAP_S};
use crate::import::matching::match_channels;
use crate::ingest::acquire::{send, Assembler, ReaderEnd};
use crate::ingest::{Decoded, DecoderStats};
use crate::montage::guess::{guess, Described};
use crate::montage::Montage;
use crate::recording::missing_in_step;
use crate::units::stored_as;

/// Samples taken from the inlet at most per read.
const CHUNK_SAMPLES: usize = 4096;
/// How long a read waits for samples before checking for a stop.
const READ_WAIT: Duration = Duration::from_millis(50);
/// A stream silent for this long has gone away.
const SILENCE: Duration = Duration::from_secs(1);

/// Why an LSL stream cannot be recorded.
#[derive(Debug, thiserror::Error)]
pub enum LslError {
    #[error(
        "no LSL stream answers {query} within {timeout_s} s (is the program that sends it \
         running, on this network?)"
    )]
    NotFound { query: String, timeout_s: f64 },
    #[error(
        "LSL stream \"{name}\" has no fixed rate (nominal_srate 0): myobalance records \
         streams with a fixed rate"
    )]
    Irregular { name: String },
    #[error("LSL stream \"{name}\" carries text: myobalance records numeric streams")]
    Text { name: String },
    #[error("LSL stream \"{name}\": {problem}")]
    Montage { name: String, problem: String },
    #[error("LSL: {0}")]
    Lsl(#[from] labstream::Error),
}

/// An open LSL inlet.
pub struct LslSource {
    inlet: Inlet,
    chunk: Chunk<f32>,
    decoded: Decoded,
    assembler: Assembler,
    /// For each montage channel, its channel in the stream.
    columns: Vec<usize>,
    fs: f64,
    /// The last sample's timestamp on the sender's clock.
    last_stamp: Option<f64>,
    stats: DecoderStats,
    info: SourceInfo,
}

impl LslSource {
    /// Finds the stream answering `query` within `timeout` and opens an inlet on it, with
    /// `montage` (matched by label) or a montage guessed from the stream's description.
    pub fn open(
        query: &str,
        timeout: Duration,
        montage: Option<&Montage>,
    ) -> Result<LslSource, LslError> {
        let found =
            labstream::resolve_first(&Query::predicate(query), timeout)?.ok_or_else(|| {
                LslError::NotFound {
                    query: query.to_string(),
                    timeout_s: timeout.as_secs_f64(),
                }
            })?;
        let name = found.name().to_string();
        if found.format() == Format::String {
            return Err(LslError::Text { name });
        }
        if !found.is_regular() {
            return Err(LslError::Irregular { name });
        }
        // The resolved description has no channels; the full one has.
        let full = found.fetch(timeout)?;
        let fs = found.rate();
        let (montage, columns, notes) = montage_for(&full, fs, montage)?;
        let (scale, offset) = scaling(&full, &montage, &columns);
        let inlet = Inlet::builder(&found)
            .buffer(labstream::Buffer::Seconds(30.0))
            .recover(false)
            .open(timeout)?;
        let description = format!(
            "LSL stream \"{name}\" ({}, {} channels at {fs} Hz, source {}, host {})",
            found.stream_type(),
            found.channel_count(),
            found.source_id(),
            found.hostname()
        );
        Ok(LslSource {
            chunk: Chunk::new(found.channel_count(), CHUNK_SAMPLES),
            inlet,
            decoded: Decoded::default(),
            assembler: Assembler::new(scale, offset, (MAX_GAP_S * fs).ceil() as u64),
            columns,
            fs,
            last_stamp: None,
            stats: DecoderStats::default(),
            info: SourceInfo {
                montage,
                description,
                protocol: "lsl".into(),
                port: format!(
                    "{name} (source {}, host {})",
                    found.source_id(),
                    found.hostname()
                ),
                scenario: None,
                notes,
            },
        })
    }

    /// Moves the samples of the chunk into `decoded`, in montage order, with the gaps
    /// their timestamps show; returns the last timestamp.
    fn take_chunk(&mut self) -> Option<f64> {
        for (k, &t) in self.chunk.timestamps().iter().enumerate() {
            if let Some(missing) = self
                .last_stamp
                .and_then(|prev| missing_in_step(t - prev, self.fs))
            {
                let row = self.stats.frames_received;
                self.decoded.push_gap(row, missing);
                self.stats.frames_missing += missing;
            }
            self.last_stamp = Some(t);
            let sample = self.chunk.sample(k);
            self.decoded
                .samples
                .extend(self.columns.iter().map(|&c| f64::from(sample[c])));
            self.decoded.frames += 1;
            self.stats.frames_received += 1;
        }
        self.last_stamp
    }
}

/// The montage (given and matched by label, or guessed), the stream channel of each
/// montage channel, and what to tell the user.
fn montage_for(
    full: &StreamInfo,
    fs: f64,
    given: Option<&Montage>,
) -> Result<(Montage, Vec<usize>, Vec<String>), LslError> {
    let channels = full.channels();
    let labels: Vec<String> = channels.iter().map(|c| c.label.clone()).collect();
    let problem = |problem: String| LslError::Montage {
        name: full.name().to_string(),
        problem,
    };
    match given {
        Some(m) => {
            let mut montage = m.clone();
            if let Some(rate) = montage.sample_rate_hz.filter(|r| (r - fs).abs() > 1e-9) {
                return Err(problem(format!(
                    "the montage says {rate} Hz but the stream runs at {fs} Hz"
                )));
            }
            montage.sample_rate_hz = Some(fs);
            let columns = match_channels(&montage, &labels).map_err(|missing| {
                problem(format!(
                    "no channel labelled {} (the stream's labels: {})",
                    missing.join(", "),
                    labels.join(", ")
                ))
            })?;
            Ok((montage, columns, Vec::new()))
        }
        None => {
            let described: Vec<Described> = channels
                .iter()
                .map(|c| Described {
                    label: if c.kind.is_empty() {
                        c.label.clone()
                    } else {
                        format!("{} {}", c.label, c.kind)
                    },
                    unit: c.unit.clone(),
                    emg_counts: false,
                })
                .collect();
            let g = guess(
                &described,
                fs,
                50,
                "not known before the recording; 50 Hz assumed",
            );
            let mut montage = g.montage();
            // Each channel keeps its stream label, when the labels tell channels apart.
            let unique: std::collections::HashSet<&String> = labels.iter().collect();
            if unique.len() == labels.len() && labels.iter().all(|l| !l.is_empty()) {
                for (ch, label) in montage.channels.iter_mut().zip(&labels) {
                    ch.label = Some(label.clone());
                }
            }
            montage
                .validate("the guessed montage")
                .map_err(|e| problem(format!("the guessed montage is not valid: {e}")))?;
            let note = format!(
                "no --montage: guessed from the stream's labels and units ({} channels); \
                 the notch is decided from the first seconds",
                montage.channels.len()
            );
            Ok((montage, (0..labels.len()).collect(), vec![note]))
        }
    }
}

/// Per montage channel: (stream unit → stored unit factor) · scale, and offset.
fn scaling(full: &StreamInfo, montage: &Montage, columns: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let channels = full.channels();
    montage
        .channels
        .iter()
        .zip(columns)
        .map(|(ch, &c)| {
            let unit = channels.get(c).map(|x| x.unit.as_str()).unwrap_or_default();
            let (_, factor) = stored_as(ch.kind, unit);
            (factor * ch.scale, ch.offset)
        })
        .unzip()
}

impl Source for LslSource {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn read(&mut self, feed: Feed<'_>) -> ReaderEnd {
        let mut heard = Instant::now();
        loop {
            if feed.stop.load(Ordering::Relaxed) {
                return ReaderEnd::Stopped;
            }
            self.chunk.clear();
            let got = match self.inlet.pull_chunk(&mut self.chunk, READ_WAIT) {
                Ok(n) => n,
                Err(labstream::Error::Timeout) => 0,
                Err(labstream::Error::Lost) => {
                    return ReaderEnd::Unplugged(format!("{} went away", self.info.description))
                }
                Err(e) => return ReaderEnd::Unplugged(format!("{}: {e}", self.info.description)),
            };
            if got == 0 {
                if self.inlet.is_finished() || heard.elapsed() > SILENCE {
                    return ReaderEnd::Unplugged(format!(
                        "{} sent nothing for {} s: it went away",
                        self.info.description,
                        SILENCE.as_secs()
                    ));
                }
                continue;
            }
            heard = Instant::now();
            let last = self.take_chunk();
            let host_s = feed.clock.elapsed().as_secs_f64();
            let block = self
                .assembler
                .assemble(&self.decoded, host_s, feed.ring.spare());
            self.decoded.clear();
            let mut block = match block {
                Ok(b) => b,
                Err(e) => return ReaderEnd::Refused(e.to_string()),
            };
            let correction = self.inlet.time_correction().unwrap_or(0.0);
            block.source_s = last.map(|t| t + correction);
            feed.stats.publish(self.stats);
            if let Some(end) = send(feed.ring, block) {
                return end;
            }
            (feed.wake)();
        }
    }
}
