//! The picture the page shows, kept from the recorder's updates, and the JSON messages
//! that carry it.
//!
//! Every message is one JSON object with `kind`:
//!
//! - `"full"`: everything a viewer needs to start — `montage` (the recording's montage as
//!   its TOML has it: channels with names, kinds, units and sides; pairs; bilateral pairs;
//!   `analysis.target_pct_mvc`), `source`, `sample_rate_hz`, `bucket_s`, `window_s`, and
//!   every field of a delta with the traces of the whole window. A viewer's first message,
//!   and the next one after it lost messages.
//! - `"delta"`: `seq`, `snapshot` (the terminal live view's numbers: `activation`,
//!   `cocontraction`, `tremor`, `balance`, link counters; NaN as `null`), `activation_time_s`
//!   (the time of the activation row shown, as `/features/activation/time_s` has it),
//!   `status` (`elapsed_s`, `recorded_s`, `rows`, `frames_per_s`, `frames_received`,
//!   `frames_missing`, `frames_corrupt`, `ring_fill`, `markers`), `alarms` (the texts of
//!   the tremor alarms on), `traces` (`first` bucket and per channel `min`/`max` of the
//!   buckets completed since the last message), `notices` (the latest warnings),
//!   `replay` (whether a file is being replayed).
//! - `"end"`: the recording ended; `snapshot` and `status` as last seen.

use std::sync::Arc;

use serde::Serialize;

use super::traces::{TraceSpan, Traces, WINDOW_S};
use crate::live_view::{snapshot, Latest, Snapshot};
use crate::montage::Montage;
use crate::recorder::{Started, Status, Update};
use crate::results::TableId;

/// Warnings kept for viewers that connect later.
const NOTICES_KEPT: usize = 8;

/// The latest state of a recording as the page shows it.
#[derive(Default)]
pub struct Picture {
    started: Option<Arc<Started>>,
    latest: Latest,
    status: Status,
    traces: Option<Traces>,
    /// The first trace bucket no delta has carried yet.
    sent_bucket: u64,
    seq: u64,
    notices: Vec<String>,
    replay: bool,
}

#[derive(Serialize)]
struct StatusJson {
    elapsed_s: f64,
    recorded_s: f64,
    rows: u64,
    frames_per_s: f64,
    frames_received: u64,
    frames_missing: u64,
    frames_corrupt: u64,
    ring_fill: f64,
    markers: usize,
}

#[derive(Serialize)]
struct Message<'a> {
    kind: &'static str,
    seq: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    montage: Option<&'a Montage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sample_rate_hz: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bucket_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    window_s: Option<f64>,
    snapshot: Option<Snapshot>,
    activation_time_s: f64,
    status: StatusJson,
    alarms: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    traces: Option<TraceSpan>,
    notices: &'a [String],
    replay: bool,
}

impl Picture {
    /// A picture of a file being replayed (the page says so and has no marker button).
    pub fn replaying() -> Picture {
        Picture {
            replay: true,
            ..Picture::default()
        }
    }

    /// Takes one update.
    pub fn update(&mut self, update: &Update) {
        match update {
            Update::Started(s) => {
                self.latest = Latest::default();
                self.latest.alarms = s
                    .tremor_channels
                    .iter()
                    .map(|&i| (i, (false, f64::NAN)))
                    .collect();
                let fs = s.montage.sample_rate_hz.unwrap_or(1.0);
                self.traces = Some(Traces::new(s.montage.channels.len(), fs));
                self.sent_bucket = 0;
                self.started = Some(Arc::clone(s));
            }
            Update::Rows(group) => self.latest.take(group),
            Update::Raw(raw) => {
                if let Some(t) = &mut self.traces {
                    t.push(raw.first_row, raw.channels, &raw.frames);
                }
            }
            Update::Alarm(notice) => {
                self.latest.alarms.insert(
                    notice.index,
                    (notice.peak_hz.is_some(), notice.peak_hz.unwrap_or(f64::NAN)),
                );
            }
            Update::Status(status) => self.status = *status,
            Update::Notice(text) => {
                if self.notices.len() == NOTICES_KEPT {
                    self.notices.remove(0);
                }
                self.notices.push(text.clone());
            }
            Update::Event(_) => {}
        }
    }

    /// Whether the recording has started (there is something to show).
    pub fn started(&self) -> bool {
        self.started.is_some()
    }

    /// The message a viewer starts from: the whole window of traces and everything else.
    pub fn full(&self) -> String {
        self.message("full", true, 0)
    }

    /// The message with what changed since the last delta (the trace buckets completed
    /// since), numbered one more than the last.
    pub fn delta(&mut self) -> String {
        self.seq += 1;
        let text = self.message("delta", false, self.sent_bucket);
        if let Some(t) = &self.traces {
            self.sent_bucket = t.completed();
        }
        text
    }

    /// The last message: the recording ended.
    pub fn end(&mut self) -> String {
        self.seq += 1;
        self.message("end", false, u64::MAX)
    }

    fn message(&self, kind: &'static str, full: bool, from_bucket: u64) -> String {
        let started = self.started.as_deref();
        let fs = started.and_then(|s| s.montage.sample_rate_hz);
        let s = &self.status;
        let recorded_s = s.rows as f64 / s.sample_rate_hz.max(f64::MIN_POSITIVE);
        let alarms = started.map_or_else(Vec::new, |st| {
            let mut on: Vec<(usize, f64)> = self
                .latest
                .alarms
                .iter()
                .filter(|(_, (on, _))| *on)
                .map(|(&i, &(_, hz))| (i, hz))
                .collect();
            on.sort_by_key(|(i, _)| *i);
            on.into_iter()
                .map(|(i, hz)| format!("tremor in {} at {hz:.1} Hz", st.montage.channels[i].name))
                .collect()
        });
        let message = Message {
            kind,
            seq: self.seq,
            montage: started.filter(|_| full).map(|s| &s.montage),
            source: started.filter(|_| full).map(|s| s.description.as_str()),
            sample_rate_hz: fs.filter(|_| full),
            bucket_s: self
                .traces
                .as_ref()
                .zip(fs)
                .filter(|_| full)
                .map(|(t, fs)| t.bucket_s(fs)),
            window_s: full.then_some(WINDOW_S),
            snapshot: started.map(|st| snapshot(st, &self.latest, &self.status)),
            activation_time_s: self.latest.time_s(TableId::Rms),
            status: StatusJson {
                elapsed_s: s.elapsed_s,
                recorded_s,
                rows: s.rows,
                frames_per_s: s.frames_per_s,
                frames_received: s.stats.frames_received,
                frames_missing: s.stats.frames_missing,
                frames_corrupt: s.stats.frames_corrupt,
                ring_fill: s.ring_fill,
                markers: s.markers,
            },
            alarms,
            traces: self
                .traces
                .as_ref()
                .filter(|_| from_bucket != u64::MAX)
                .map(|t| t.since(from_bucket)),
            notices: &self.notices,
            replay: self.replay,
        };
        // Plain data of numbers and strings: serialising it cannot fail.
        serde_json::to_string(&message)
            .unwrap_or_else(|e| format!("{{\"kind\":\"error\",\"error\":\"{e}\"}}"))
    }
}
