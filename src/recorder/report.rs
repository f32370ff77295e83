//! What a finished recording reports: why it ended, what it holds, what was lost, and how
//! fast its feature rows came out.

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
    pub latencies_ms: Vec<f64>,
    /// Updates each queued sink dropped, by name.
    pub dropped: Vec<(String, u64)>,
}

/// The `p`-th percentile (0–100) of `values` by the nearest-rank rule; NaN when empty.
pub fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(percentile(&v, 100.0), 100.0);
        assert_eq!(percentile(&[3.0], 99.0), 3.0);
        assert!(percentile(&[], 50.0).is_nan());
    }
}
