//! What a finished recording reports: why it ended, what it holds, what was lost, and how
//! fast its feature rows came out.

use super::latency::Latencies;
use super::stop::Stop;

/// The outcome of a recording.
#[derive(Debug, Clone)]
pub struct Report {
    pub stop: Stop,
    /// Rows of `/raw/samples`.
    pub rows: u64,
    pub sample_rate_hz: f64,
    /// Frames received among the rows (the rest were filled for lost frames).
    pub received: u64,
    /// Rows filled for lost frames, and in how many gaps.
    pub missing: u64,
    pub gaps: usize,
    pub corrupt: u64,
    pub bytes_skipped: u64,
    pub ring_overruns: u64,
    /// Frames read after the duration was reached, not kept.
    pub discarded: u64,
    pub markers: usize,
    /// The rate measured on the host clock, when the recording was long enough.
    pub measured_rate_hz: Option<f64>,
    /// Milliseconds from each feature row's last sample being read to the row being out.
    pub latencies: Latencies,
    /// Updates each queued sink dropped, by name.
    pub dropped: Vec<(String, u64)>,
}
