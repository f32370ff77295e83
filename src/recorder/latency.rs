//! Feature-row latencies of a recording in constant memory: a histogram of 10 µs bins up
//! to one second (longer ones share the last bin), with the exact maximum. Percentiles
//! follow the nearest-rank rule and are exact to the bin.

/// Bins per millisecond.
const BINS_PER_MS: f64 = 100.0;
/// Bins: 0 to 1000 ms.
const BINS: usize = 100_000;

#[derive(Debug, Clone)]
pub struct Latencies {
    counts: Vec<u32>,
    n: u64,
    max_ms: f64,
}

impl Default for Latencies {
    fn default() -> Latencies {
        Latencies {
            counts: vec![0; BINS],
            n: 0,
            max_ms: f64::NAN,
        }
    }
}

impl Latencies {
    /// Adds `times` rows that came out `ms` milliseconds after their last sample was read.
    pub fn add(&mut self, ms: f64, times: usize) {
        if times == 0 || ms.is_nan() {
            return;
        }
        let bin = ((ms * BINS_PER_MS).ceil().max(0.0) as usize).min(BINS - 1);
        self.counts[bin] = self.counts[bin].saturating_add(times as u32);
        self.n += times as u64;
        self.max_ms = self.max_ms.max(ms);
    }

    /// Rows counted.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// The `p`-th percentile (0–100), as the upper edge of its bin (the maximum for 100);
    /// NaN when empty.
    pub fn percentile(&self, p: f64) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        let rank = (((p / 100.0) * self.n as f64).ceil() as u64).clamp(1, self.n);
        let mut seen = 0u64;
        for (bin, &c) in self.counts.iter().enumerate() {
            seen += u64::from(c);
            if seen >= rank && bin < BINS - 1 {
                return (bin as f64 / BINS_PER_MS).min(self.max_ms);
            }
        }
        self.max_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles_to_the_bin() {
        let mut l = Latencies::default();
        (1..=100).rev().for_each(|v| l.add(f64::from(v) * 0.1, 1));
        assert!((l.percentile(50.0) - 5.0).abs() < 1e-9);
        assert!((l.percentile(99.0) - 9.9).abs() < 1e-9);
        assert_eq!(l.percentile(100.0), 10.0);
        assert_eq!(l.count(), 100);
        let mut one = Latencies::default();
        one.add(3.004, 2);
        assert!((one.percentile(99.0) - 3.004).abs() < 1e-12);
        assert!(Latencies::default().percentile(50.0).is_nan());
        let mut long = Latencies::default();
        long.add(5000.0, 1);
        assert_eq!(long.percentile(50.0), 5000.0);
    }
}
