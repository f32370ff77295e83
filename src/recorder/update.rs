//! What the recorder tells its sinks, as it happens: the recording starting, each feature
//! group's new rows, raw samples for sinks that draw them, tremor alarms starting and ending, events, the running status and
//! notices for the user.

use std::sync::Arc;

use crate::ingest::DecoderStats;
use crate::montage::Montage;
use crate::results::{Event, FeatureGroup};

/// What a recording is, told to every sink before anything else.
#[derive(Debug, Clone)]
pub struct Started {
    /// The recording's montage (its rate set).
    pub montage: Montage,
    /// Montage indices of the channels whose tremor is watched (alarms), in order.
    pub tremor_channels: Vec<usize>,
    /// The device or port, as `/` `source` names it.
    pub description: String,
}

/// The numbers of a recording as it runs.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Status {
    /// Seconds since the recording started (host clock).
    pub elapsed_s: f64,
    /// Frames per second received lately.
    pub frames_per_s: f64,
    /// The decoder's counters.
    pub stats: DecoderStats,
    /// How full the ring between reader and recorder is (0–1).
    pub ring_fill: f64,
    /// Rows of `/raw/samples` so far.
    pub rows: u64,
    pub sample_rate_hz: f64,
    /// Markers added so far.
    pub markers: usize,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "recording {}  {:.0} frames/s  recorded {:.1} s  lost {}  corrupt {}  ring {:.0}%",
            crate::live_view::clock(self.elapsed_s),
            self.frames_per_s,
            self.rows as f64 / self.sample_rate_hz.max(f64::MIN_POSITIVE),
            self.stats.frames_missing,
            self.stats.frames_corrupt,
            100.0 * self.ring_fill
        )
    }
}

/// A tremor alarm starting or ending.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmNotice {
    /// Montage index of the channel.
    pub index: usize,
    pub channel: String,
    pub time_s: f64,
    /// Peak frequency when the alarm started; `None` when it ended.
    pub peak_hz: Option<f64>,
}

impl std::fmt::Display for AlarmNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.peak_hz {
            Some(hz) => write!(
                f,
                "tremor in {} at {hz:.1} Hz: pause the set ({:.1} s)",
                self.channel, self.time_s
            ),
            None => write!(
                f,
                "tremor in {} has settled ({:.1} s)",
                self.channel, self.time_s
            ),
        }
    }
}

/// Raw samples as they were recorded, for sinks that draw traces (the web view). Sent
/// only when a sink asks for them ([`super::Sink::wants_raw`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RawRows {
    /// Row of `/raw/samples` of the first frame.
    pub first_row: u64,
    /// Channels per frame.
    pub channels: usize,
    /// Interleaved frames in physical units, lost frames filled as in the file.
    pub frames: Vec<f32>,
}

/// One thing a sink is told. Cheap to clone: the payloads that can be large are shared.
#[derive(Debug, Clone)]
pub enum Update {
    /// The recording started.
    Started(Arc<Started>),
    /// A feature group's rows completed since the last `Rows` of that group (its tables
    /// and parameters; only groups with new rows are sent).
    Rows(Arc<FeatureGroup>),
    /// New raw samples (only to recordings with a sink that wants them).
    Raw(Arc<RawRows>),
    /// A tremor alarm started or ended.
    Alarm(AlarmNotice),
    /// An event was added (a marker).
    Event(Event),
    /// The running numbers, about ten times a second.
    Status(Status),
    /// Something the user should read (a warning), once.
    Notice(String),
}
