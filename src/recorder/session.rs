//! The recorder's consumer side: each block from the ring goes to the streaming file writer
//! and to the causal engine; every feature row the engine completes is appended to the file
//! and handed to the sinks at once, with the tremor alarms it started or ended. Raw samples
//! are never held back for features, and nothing here waits on a sink.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::latency::Latencies;
use super::sink::Sinks;
use super::update::{AlarmNotice, RawRows, Update};
use crate::engine::assemble::transition_event;
use crate::engine::{KeptRows, RowCounts, StreamEngine};
use crate::features::alarm::AlarmChange;
use crate::recording::{Acquisition, Metadata, Truth};
use crate::results::{Event, EventKind, Results};
use crate::ring::Block;
use crate::store::live::{FeatureLayout, LiveWriter};
use crate::store::StoreError;

/// `/raw/samples` rows per chunk: about 0.25 s of samples, at least 64 rows.
pub fn chunk_rows(sample_rate_hz: f64) -> usize {
    ((sample_rate_hz * 0.25).round() as usize).max(64)
}

/// Consumer state of one recording.
pub struct Session {
    engine: StreamEngine,
    writer: LiveWriter,
    /// Rows of `/raw/samples` to keep (`--duration`), if limited.
    limit: Option<u64>,
    rows: u64,
    /// Rows filled by interpolation (lost frames) among `rows`.
    filled: u64,
    /// Alarm changes already told, per tremor channel.
    alarms_seen: Vec<usize>,
    /// Onsets and offsets already told, per montage channel.
    transitions_seen: Vec<usize>,
    markers: usize,
    /// Milliseconds from a block's arrival to each feature row it completed being out
    /// (handed to the sinks and to the file writer).
    latencies: Latencies,
    clock: Instant,
}

impl Session {
    /// Creates the file at `path` (SWMR, every live feature group laid out) for `engine`'s
    /// montage.
    pub fn create(
        path: &Path,
        engine: StreamEngine,
        source: &str,
        metadata: &Metadata,
        limit: Option<u64>,
        clock: Instant,
    ) -> Result<Session, StoreError> {
        // Rows handed on are in the file: the engine need not keep them.
        let engine = engine.keeping(KeptRows::NotHandedOut);
        // Before any sample every group is there with no rows: its layout.
        let layouts: Vec<FeatureLayout> = engine
            .features_since(RowCounts::default())
            .into_iter()
            .map(|g| FeatureLayout {
                tables: g
                    .tables
                    .iter()
                    .map(|t| (t.name.clone(), t.columns.clone()))
                    .collect(),
                group: g.name,
                params: g.params,
            })
            .collect();
        let plan = engine.plan();
        let writer = LiveWriter::create(
            path,
            &plan.montage,
            source,
            metadata,
            chunk_rows(plan.sample_rate_hz),
            &layouts,
        )?;
        let alarms = plan.tremor_channels.len();
        let channels = plan.montage.channels.len();
        Ok(Session {
            alarms_seen: vec![0; alarms],
            transitions_seen: vec![0; channels],
            engine,
            writer,
            limit,
            rows: 0,
            filled: 0,
            markers: 0,
            latencies: Latencies::default(),
            clock,
        })
    }

    /// Rows recorded so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Rows filled in for lost frames so far.
    pub fn filled(&self) -> u64 {
        self.filled
    }

    /// Markers added so far.
    pub fn markers(&self) -> usize {
        self.markers
    }

    /// Whether the duration limit has been reached.
    pub fn done(&self) -> bool {
        self.limit.is_some_and(|l| self.rows >= l)
    }

    /// The engine's sample rate.
    pub fn sample_rate_hz(&self) -> f64 {
        self.engine.plan().sample_rate_hz
    }

    /// Rows after which the next feature row completes.
    pub fn next_row_due(&self) -> u64 {
        self.engine.next_row_at(self.rows as usize) as u64
    }

    /// Feature-row latencies so far.
    pub fn latencies(&self) -> &Latencies {
        &self.latencies
    }

    /// Stores and analyses one block, made of `reads` (each read's first row and host time,
    /// in order); its new feature rows and alarm changes go to `sinks`.
    pub fn handle(
        &mut self,
        block: &mut Block,
        reads: &[(u64, f64)],
        sinks: &mut Sinks,
    ) -> Result<(), StoreError> {
        let n = self.engine.plan().montage.channels.len().max(1);
        // The first row this block completes is completed by the read holding frame
        // `due`; later rows in the block came with that read or later ones, so timing
        // them from it never understates their latency.
        let row_read_s = read_holding(reads, self.next_row_due()).unwrap_or(block.host_s);
        if let Some(limit) = self.limit {
            let keep = limit.saturating_sub(self.rows) as usize;
            block.frames.truncate(keep * n);
            block.gaps.retain(|g| g.first_row < limit);
            for g in &mut block.gaps {
                g.rows = g.rows.min(limit - g.first_row);
            }
        }
        let rows = block.frames.len() / n;
        if rows == 0 {
            return Ok(());
        }
        for &g in &block.gaps {
            self.writer.append_gap(g);
            self.filled += g.rows;
            self.engine.add_gap(g);
        }
        self.rows += rows as u64;
        self.writer.append_timing(
            (self.rows - 1) as f64,
            block.source_s.unwrap_or(block.host_s),
        );
        // Feature rows go out before the raw samples are handed to the writer: completing a
        // raw chunk means compressing it, which takes milliseconds, and chunk ends often
        // fall on window ends.
        self.engine.push(&block.frames);
        let new_rows = self.hand_on_rows(sinks);
        if sinks.wants_raw() {
            sinks.send(&Update::Raw(Arc::new(RawRows {
                first_row: self.rows - rows as u64,
                channels: n,
                frames: block.frames.clone(),
            })));
        }
        let now_ms = self.clock.elapsed().as_secs_f64() * 1e3;
        self.writer.append(&block.frames)?;
        self.latencies.add(now_ms - row_read_s * 1e3, new_rows);
        self.hand_on_alarms(sinks);
        self.hand_on_transitions(sinks);
        Ok(())
    }

    /// Tells the sinks the EMG onsets and offsets found since the last block.
    fn hand_on_transitions(&mut self, sinks: &mut Sinks) {
        let plan = self.engine.plan();
        let fs = plan.sample_rate_hz;
        let method = plan.onset.method;
        for (channel, found) in self.engine.transitions_by_channel() {
            let seen = &mut self.transitions_seen[channel];
            for t in &found[(*seen).min(found.len())..] {
                let name = plan.montage.channels[channel].name.clone();
                sinks.send(&Update::Event(transition_event(t, name, fs, method)));
            }
            *seen = found.len();
        }
    }

    /// Appends the rows the engine completed and tells the sinks; returns how many.
    fn hand_on_rows(&mut self, sinks: &mut Sinks) -> usize {
        let mut count = 0;
        for (index, g) in self.engine.new_rows().into_iter().enumerate() {
            if g.time_s.is_empty() {
                continue;
            }
            count += g.time_s.len();
            let views: Vec<_> = g.tables.iter().map(|t| t.values.view()).collect();
            self.writer.append_features(index, &g.time_s, &views);
            sinks.send(&Update::Rows(Arc::new(g)));
        }
        count
    }

    fn hand_on_alarms(&mut self, sinks: &mut Sinks) {
        let names = &self.engine.plan().montage.channels;
        for (k, (channel, changes)) in self.engine.alarm_changes().enumerate() {
            for (time_s, change) in &changes[self.alarms_seen[k]..] {
                let peak_hz = match change {
                    AlarmChange::Start { peak_hz } => Some(*peak_hz),
                    AlarmChange::End => None,
                };
                sinks.send(&Update::Alarm(AlarmNotice {
                    index: channel,
                    channel: names[channel].name.clone(),
                    time_s: *time_s,
                    peak_hz,
                }));
            }
            self.alarms_seen[k] = changes.len();
        }
    }

    /// Adds a `marker` event at the current end of the recording.
    pub fn mark(&mut self, sinks: &mut Sinks) {
        let event = Event {
            time_s: self.rows as f64 / self.sample_rate_hz(),
            kind: EventKind::Marker,
            channel: String::new(),
            value: f64::NAN,
            text: String::new(),
        };
        self.markers += 1;
        sinks.send(&Update::Event(event.clone()));
        self.engine.add_event(event);
    }

    /// Flushes when the writer's flush interval has passed.
    pub fn flush_if_due(&mut self) -> Result<(), StoreError> {
        self.writer.flush_if_due()
    }

    /// Ends the recording: the engine's held-back rows are appended (and told), and the
    /// file is completed with the acquisition counters, events and summary. The results
    /// returned hold those last rows only (every row is in the file).
    pub fn finish(
        self,
        acquisition: &Acquisition,
        truth: Option<&Truth>,
        sinks: &mut Sinks,
    ) -> Result<Results, StoreError> {
        let Session {
            engine, mut writer, ..
        } = self;
        // The engine keeps only rows it has not handed out: these are the last ones.
        let results = engine.finish();
        for (index, g) in results.features.iter().enumerate() {
            if !g.time_s.is_empty() {
                let views: Vec<_> = g.tables.iter().map(|t| t.values.view()).collect();
                writer.append_features(index, &g.time_s, &views);
                sinks.send(&Update::Rows(Arc::new(g.clone())));
            }
        }
        writer.finish(acquisition, &results, truth)?;
        Ok(results)
    }
}

/// The host time of the read in `reads` (first row, host time; in order) that brought the
/// frame completing a row once `due` frames are in: the last read starting before it.
fn read_holding(reads: &[(u64, f64)], due: u64) -> Option<f64> {
    reads
        .iter()
        .take_while(|&&(first, _)| first < due)
        .last()
        .map(|&(_, host_s)| host_s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rows_latency_runs_from_the_read_that_completed_it() {
        let reads = [(100, 1.0), (110, 2.0), (125, 3.0)];
        // A row due once 110 frames are in: frame 109 came with the first read.
        assert_eq!(read_holding(&reads, 110), Some(1.0));
        assert_eq!(read_holding(&reads, 111), Some(2.0));
        assert_eq!(read_holding(&reads, 125), Some(2.0));
        assert_eq!(read_holding(&reads, 126), Some(3.0));
        assert_eq!(read_holding(&reads, 100), None);
    }
}
