//! What the recorder tells the user on stderr: a status line while recording and a report
//! at the end.

use crate::ingest::DecoderStats;
use crate::live_view::clock;

/// The numbers the status line shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Status {
    pub elapsed_s: f64,
    pub frames_per_s: f64,
    pub stats: DecoderStats,
    pub ring_fill: f64,
    pub rows: u64,
    pub sample_rate_hz: f64,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "recording {}  {:.0} frames/s  recorded {:.1} s  lost {}  corrupt {}  ring {:.0}%",
            clock(self.elapsed_s),
            self.frames_per_s,
            self.rows as f64 / self.sample_rate_hz.max(f64::MIN_POSITIVE),
            self.stats.frames_missing,
            self.stats.frames_corrupt,
            100.0 * self.ring_fill
        )
    }
}

/// Frames per second over a sliding stretch of the recording.
#[derive(Debug, Clone, Default)]
pub struct Rate {
    last: Option<(f64, u64)>,
    value: f64,
}

impl Rate {
    /// Updates with `frames` received by `time_s`, at most once per `min_step_s`.
    pub fn update(&mut self, time_s: f64, frames: u64, min_step_s: f64) -> f64 {
        match self.last {
            Some((t, n)) if time_s - t >= min_step_s => {
                self.value = (frames - n.min(frames)) as f64 / (time_s - t);
                self.last = Some((time_s, frames));
            }
            None => self.last = Some((time_s, frames)),
            Some(_) => {}
        }
        self.value
    }
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

    #[test]
    fn rate_counts_frames_per_second_between_updates() {
        let mut r = Rate::default();
        assert_eq!(r.update(0.0, 0, 0.5), 0.0);
        assert_eq!(r.update(0.2, 400, 0.5), 0.0, "too soon to update");
        assert_eq!(r.update(1.0, 2000, 0.5), 2000.0);
        assert_eq!(r.update(2.0, 3000, 0.5), 1000.0);
    }
}
