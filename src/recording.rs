//! A recording in memory: samples in physical units with their rate and montage, where
//! they came from, acquisition counters (for recordings made from a device), and the
//! simulator's ground truth (for simulated ones).

use ndarray::Array2;

use crate::montage::Montage;

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
    /// `[first_missing_row, missing_count]`.
    pub gaps: Vec<[i64; 2]>,
    /// `[sample_index, host_seconds]`, one row per received block.
    pub timing: Vec<[f64; 2]>,
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
