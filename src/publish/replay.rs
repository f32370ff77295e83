//! A stored file played back as a recording's updates (`myobalance view FILE.h5`): its raw
//! samples, its feature rows, its tremor alarms and markers are handed to sinks in the
//! order and at the times they happened, so the live views — the browser's and the
//! terminal's — show a past session as they showed it live. Nothing is recomputed: the
//! rows are the file's.
//!
//! The caller sets the pace: [`Replay::advance_to`] hands on everything up to a time of the
//! file, and `view` calls it from a clock running `--speed` times real time.

use std::sync::Arc;

use ndarray::s;

use crate::engine::{Filtering, Plan};
use crate::ingest::DecoderStats;
use crate::recorder::{AlarmNotice, RawRows, Started, Status, Update};
use crate::recording::Recording;
use crate::results::{EventKind, FeatureGroup, FeatureTable, Results};

/// Why a file cannot be replayed.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("{path}: the montage cannot be analysed ({why})")]
    Montage { path: String, why: String },
    #[error("{path}: no features to show (process it first: myobalance process {path} --out …)")]
    NoFeatures { path: String },
}

/// A file being played back.
pub struct Replay {
    recording: Recording,
    results: Results,
    fs: f64,
    /// Rows of raw samples handed on so far.
    rows_sent: usize,
    /// Per feature group, rows handed on so far.
    feature_rows_sent: Vec<usize>,
    /// Events handed on so far (events are in time order).
    events_sent: usize,
    markers: usize,
    started: bool,
    description: String,
}

impl Replay {
    /// Prepares the playback of a file's `recording` and `results` (`path` names it in
    /// messages).
    pub fn new(
        path: &str,
        recording: Recording,
        results: Option<Results>,
    ) -> Result<Replay, ReplayError> {
        let results = results.ok_or_else(|| ReplayError::NoFeatures {
            path: path.to_string(),
        })?;
        let fs = recording.montage.sample_rate_hz.unwrap_or(f64::NAN);
        let mut results = results;
        results.events.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
        Ok(Replay {
            feature_rows_sent: vec![0; results.features.len()],
            description: format!("replay of {path}"),
            recording,
            results,
            fs,
            rows_sent: 0,
            events_sent: 0,
            markers: 0,
            started: false,
        })
    }

    /// Seconds of samples in the file.
    pub fn duration_s(&self) -> f64 {
        self.recording.samples.nrows() as f64 / self.fs
    }

    /// Whether everything has been handed on.
    pub fn done(&self) -> bool {
        self.rows_sent >= self.recording.samples.nrows()
    }

    /// Hands `tell` everything of the file up to `time_s` not handed on yet: at the first
    /// call the start, then raw samples, feature rows, alarms and markers, and the status.
    pub fn advance_to(
        &mut self,
        time_s: f64,
        tell: &mut dyn FnMut(&Update),
    ) -> Result<(), ReplayError> {
        if !self.started {
            let plan = Plan::new(&self.recording.montage, Filtering::Causal).map_err(|e| {
                ReplayError::Montage {
                    path: self.description.clone(),
                    why: e.to_string(),
                }
            })?;
            tell(&Update::Started(Arc::new(Started {
                montage: self.recording.montage.clone(),
                tremor_channels: plan.tremor_channels,
                description: self.description.clone(),
            })));
            self.started = true;
        }
        let n = self.recording.samples.nrows();
        let upto = ((time_s * self.fs).floor().max(0.0) as usize).min(n);
        if upto > self.rows_sent {
            let block = self.recording.samples.slice(s![self.rows_sent..upto, ..]);
            tell(&Update::Raw(Arc::new(RawRows {
                first_row: self.rows_sent as u64,
                channels: block.ncols(),
                frames: block.iter().copied().collect(),
            })));
            self.rows_sent = upto;
        }
        let now_s = upto as f64 / self.fs;
        for (g, sent) in self
            .results
            .features
            .iter()
            .zip(&mut self.feature_rows_sent)
        {
            let end = g.time_s.partition_point(|&t| t <= now_s);
            if end > *sent {
                tell(&Update::Rows(Arc::new(rows(g, *sent, end))));
                *sent = end;
            }
        }
        let montage = &self.recording.montage;
        while let Some(e) = self.results.events.get(self.events_sent) {
            if e.time_s > now_s {
                break;
            }
            self.events_sent += 1;
            let index = montage.channel_index(&e.channel);
            match (e.kind, index) {
                (EventKind::TremorAlarmStart | EventKind::TremorAlarmEnd, Some(index)) => {
                    tell(&Update::Alarm(AlarmNotice {
                        index,
                        channel: e.channel.clone(),
                        time_s: e.time_s,
                        peak_hz: (e.kind == EventKind::TremorAlarmStart).then_some(e.value),
                    }))
                }
                (EventKind::Marker, _) => {
                    self.markers += 1;
                    tell(&Update::Event(e.clone()));
                }
                _ => tell(&Update::Event(e.clone())),
            }
        }
        tell(&Update::Status(Status {
            elapsed_s: now_s,
            frames_per_s: self.fs,
            stats: DecoderStats {
                frames_received: upto as u64,
                ..DecoderStats::default()
            },
            ring_fill: 0.0,
            rows: upto as u64,
            sample_rate_hz: self.fs,
            markers: self.markers,
        }));
        Ok(())
    }
}

/// Rows `from..to` of a feature group (its parameters left out: the views do not use them).
fn rows(g: &FeatureGroup, from: usize, to: usize) -> FeatureGroup {
    FeatureGroup {
        name: g.name.clone(),
        time_s: g.time_s[from..to].to_vec(),
        tables: g
            .tables
            .iter()
            .map(|t| FeatureTable {
                name: t.name.clone(),
                columns: t.columns.clone(),
                values: t.values.slice(s![from..to, ..]).to_owned(),
            })
            .collect(),
        params: Vec::new(),
    }
}
