//! A recording in memory: samples in physical units with their rate and montage, where
//! they came from, acquisition counters (for recordings made from a device), and the
//! simulator's ground truth (for simulated ones).

use ndarray::Array2;

use crate::montage::Montage;
use crate::results::Event;

/// Samples of every channel with everything needed to interpret them.
#[derive(Debug, Clone)]
pub struct Recording {
    /// Channels in the order of `samples`' columns; its `sample_rate_hz` is set.
    pub montage: Montage,
    /// `(n_samples, n_channels)`, physical units, one row per sample instant.
    pub samples: Array2<f32>,
    /// Device or input path.
    pub source: String,
    /// Acquisition counters, gaps and timing; `None` for data not read from a device.
    pub acquisition: Option<Acquisition>,
    /// Ground truth of a simulated scenario.
    pub truth: Option<Truth>,
    /// What the source said about the recording beyond its samples.
    pub metadata: Metadata,
}

impl Recording {
    /// Sample rate in Hz.
    ///
    /// # Panics
    /// If the montage carries no rate (a `Recording` is only built with one).
    pub fn sample_rate_hz(&self) -> f64 {
        self.montage
            .sample_rate_hz
            .expect("a recording's montage has its sample rate")
    }

    /// Length in seconds.
    pub fn duration_s(&self) -> f64 {
        self.samples.nrows() as f64 / self.sample_rate_hz()
    }
}

/// What a source says about a recording beyond its samples: when it started, whose it is,
/// the foreign format it came from and the notes it carried. Stored as root attributes,
/// a `/raw/samples` attribute and `annotation` rows of `/events`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    /// The start of the recording, ISO 8601: with `Z` when known in UTC, without a zone
    /// when the source gives local time only.
    pub recorded_utc: Option<String>,
    /// The subject (patient code or name).
    pub subject: Option<String>,
    /// The session's label ("week 3", "pre-op"), to tell a patient's sessions apart.
    pub session: Option<String>,
    /// The foreign format the samples were imported from ("EDF+D", "C3D"); `None` for
    /// myobalance's own files, CSV and recordings.
    pub source_format: Option<String>,
    /// The rate each channel had in the source file, in channel order, when imported.
    pub source_rates_hz: Option<Vec<f64>>,
    /// Notes that came with the recording, as events of kind
    /// [`Annotation`](crate::results::EventKind::Annotation), in time order. They belong to
    /// the recording, not to an analysis: writers take them from here.
    pub annotations: Vec<Event>,
}

/// What a device recording adds: `/raw` attributes, `/raw/gaps`, `/raw/timing`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Acquisition {
    pub protocol: String,
    pub port: String,
    pub frames_received: u64,
    pub frames_missing: u64,
    pub frames_corrupt: u64,
    pub bytes_skipped: u64,
    pub ring_overruns: u64,
    /// The device's frame rate measured on the host clock (recordings long enough to
    /// measure it).
    pub measured_rate_hz: Option<f64>,
    /// Rows filled for lost samples, in order.
    pub gaps: Vec<Gap>,
    /// `[sample_index, host_seconds]`, one row per received block.
    pub timing: Vec<[f64; 2]>,
}

/// Rows of a recording filled by linear interpolation because their samples were lost
/// (`/raw/gaps`, one `[first_row, rows]` row each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub first_row: u64,
    pub rows: u64,
}

impl Gap {
    /// Total rows filled by `gaps`.
    pub fn total_rows(gaps: &[Gap]) -> u64 {
        gaps.iter().map(|g| g.rows).sum()
    }
}

/// Sample instants missing from data as received (a decoder's output, a file's stored
/// samples): `count` instants belong before row `row` of that data. Filling them in
/// turns each into a [`Gap`] of the recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Missing {
    pub row: u64,
    pub count: u64,
}

/// Samples missing between two timestamps `step_s` apart in a stream at `rate_hz` with no
/// sequence numbers (LSL, XDF): a step of more than 1.5 sample periods is a gap of
/// round(step · rate) − 1 samples; `None` for no gap, and for a step too large to count
/// (damaged timestamps, not lost data).
///
/// ```
/// use myobalance::recording::missing_in_step;
/// assert_eq!(missing_in_step(0.0014, 1000.0), None);
/// assert_eq!(missing_in_step(0.010, 1000.0), Some(9));
/// assert_eq!(missing_in_step(1e308, 1e10), None);
/// ```
pub fn missing_in_step(step_s: f64, rate_hz: f64) -> Option<u64> {
    let missing = (step_s * rate_hz).round() - 1.0;
    (step_s > 1.5 / rate_hz && missing >= 1.0 && missing.is_finite()).then_some(missing as u64)
}

/// The simulator's ground truth: named values, each documented, stored under `/truth`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Truth {
    pub entries: Vec<TruthEntry>,
}

/// One ground-truth quantity, e.g. the tremor frequency per force channel.
#[derive(Debug, Clone, PartialEq)]
pub struct TruthEntry {
    /// Dataset name under `/truth`, `[a-z0-9_]+`.
    pub name: String,
    /// One value per label (or a single value when `labels` is empty).
    pub values: Vec<f64>,
    /// What each value belongs to: channel, pair or bilateral names.
    pub labels: Vec<String>,
    pub unit: String,
    /// What the features should find, in a sentence.
    pub description: String,
}

impl Truth {
    /// The entry called `name`.
    pub fn get(&self, name: &str) -> Option<&TruthEntry> {
        self.entries.iter().find(|e| e.name == name)
    }
}
