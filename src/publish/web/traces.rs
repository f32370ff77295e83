//! The raw traces the page draws: the last [`WINDOW_S`] seconds of every channel, reduced
//! to the minimum and maximum of each bucket of about [`BUCKET_S`] (a bucket is a whole
//! number of samples). The page reduces buckets further to one min/max per pixel column,
//! so a spike of one sample still shows however narrow the canvas.
//!
//! Buckets are numbered from the start of the recording (bucket `b` holds rows
//! `b·n … b·n + n − 1`); each message carries the buckets completed since the last one,
//! and the page files them by number, so a bucket sent twice does no harm. Rows that never
//! arrived (updates dropped on the way) leave buckets of NaN: a gap in the trace.

/// Seconds of trace kept and drawn.
pub const WINDOW_S: f64 = 10.0;
/// The length of a bucket aimed at: 1000 buckets over the window, about one per pixel
/// column of a wide trace.
pub const BUCKET_S: f64 = 0.01;

/// Min/max buckets of every channel over the window.
#[derive(Debug, Clone)]
pub struct Traces {
    channels: usize,
    /// Samples per bucket.
    per_bucket: u64,
    /// Buckets kept (the window).
    capacity: usize,
    /// Ring of completed buckets, `capacity × channels`, bucket `b` at `b % capacity`.
    min: Vec<f32>,
    max: Vec<f32>,
    /// The bucket being filled; every bucket before it is complete.
    current: u64,
    current_min: Vec<f32>,
    current_max: Vec<f32>,
}

/// Buckets `first …` of every channel: `min[channel][k]` is bucket `first + k`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TraceSpan {
    pub first: u64,
    pub min: Vec<Vec<f32>>,
    pub max: Vec<Vec<f32>>,
}

impl Traces {
    /// Traces of `channels` channels sampled at `sample_rate_hz`.
    pub fn new(channels: usize, sample_rate_hz: f64) -> Traces {
        let per_bucket = (sample_rate_hz * BUCKET_S).round().max(1.0) as u64;
        let bucket_s = per_bucket as f64 / sample_rate_hz;
        let capacity = (WINDOW_S / bucket_s).ceil().max(1.0) as usize;
        Traces {
            channels,
            per_bucket,
            capacity,
            min: vec![f32::NAN; capacity * channels],
            max: vec![f32::NAN; capacity * channels],
            current: 0,
            current_min: vec![f32::INFINITY; channels],
            current_max: vec![f32::NEG_INFINITY; channels],
        }
    }

    /// Seconds per bucket.
    pub fn bucket_s(&self, sample_rate_hz: f64) -> f64 {
        self.per_bucket as f64 / sample_rate_hz
    }

    /// Buckets kept.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The first bucket not complete yet.
    pub fn completed(&self) -> u64 {
        self.current
    }

    /// Takes interleaved `frames` whose first row is `first_row`. Frames of another
    /// channel count are ignored (a misuse).
    pub fn push(&mut self, first_row: u64, channels: usize, frames: &[f32]) {
        if channels != self.channels || channels == 0 {
            return;
        }
        for (k, frame) in frames.chunks_exact(channels).enumerate() {
            let bucket = (first_row + k as u64) / self.per_bucket;
            if bucket != self.current {
                self.close_until(bucket);
            }
            for (c, &v) in frame.iter().enumerate() {
                self.current_min[c] = self.current_min[c].min(v);
                self.current_max[c] = self.current_max[c].max(v);
            }
        }
    }

    /// Completes the current bucket and leaves empty (NaN) ones up to `bucket`.
    fn close_until(&mut self, bucket: u64) {
        if bucket < self.current {
            return; // rows from the past: nothing sensible to do with them
        }
        let skipped_from = bucket
            .saturating_sub(self.capacity as u64)
            .max(self.current);
        for b in skipped_from..bucket {
            let slot = (b % self.capacity as u64) as usize * self.channels;
            for c in 0..self.channels {
                let (lo, hi) = if b == self.current {
                    (self.current_min[c], self.current_max[c])
                } else {
                    (f32::INFINITY, f32::NEG_INFINITY)
                };
                // An empty bucket (no sample) is NaN.
                let empty = lo > hi;
                self.min[slot + c] = if empty { f32::NAN } else { lo };
                self.max[slot + c] = if empty { f32::NAN } else { hi };
            }
        }
        self.current = bucket;
        self.current_min.fill(f32::INFINITY);
        self.current_max.fill(f32::NEG_INFINITY);
    }

    /// The completed buckets from `first` on (those still in the window).
    pub fn since(&self, first: u64) -> TraceSpan {
        let first = first.max(self.current.saturating_sub(self.capacity as u64));
        let span = |ring: &[f32], c: usize| -> Vec<f32> {
            (first..self.current)
                .map(|b| ring[(b % self.capacity as u64) as usize * self.channels + c])
                .collect()
        };
        TraceSpan {
            first,
            min: (0..self.channels).map(|c| span(&self.min, c)).collect(),
            max: (0..self.channels).map(|c| span(&self.max, c)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_hold_min_and_max_whatever_the_block_size() {
        // 1 kHz: 10 samples per bucket; channel 0 is a ramp, channel 1 its negative.
        let frames: Vec<f32> = (0..1000).flat_map(|i| [i as f32, -(i as f32)]).collect();
        let mut whole = Traces::new(2, 1000.0);
        whole.push(0, 2, &frames);
        for block in [1, 7, 64] {
            let mut t = Traces::new(2, 1000.0);
            for (k, chunk) in frames.chunks(2 * block).enumerate() {
                t.push((k * block) as u64, 2, chunk);
            }
            assert_eq!(t.since(0), whole.since(0), "block {block}");
        }
        let span = whole.since(3);
        assert_eq!(span.first, 3);
        assert_eq!(span.min[0].len(), 96);
        assert_eq!((span.min[0][0], span.max[0][0]), (30.0, 39.0));
        assert_eq!((span.min[1][0], span.max[1][0]), (-39.0, -30.0));
    }

    #[test]
    fn the_window_forgets_and_missing_rows_leave_gaps() {
        let mut t = Traces::new(1, 1000.0);
        assert_eq!(t.capacity(), 1000);
        t.push(0, 1, &[1.0; 20]);
        t.push(40, 1, &vec![2.0; 20_000]);
        let span = t.since(0);
        assert_eq!(span.first, t.completed() - 1000);
        assert!(span.min[0].iter().all(|&v| v == 2.0));
        let mut g = Traces::new(1, 1000.0);
        g.push(0, 1, &[1.0; 20]);
        g.push(40, 1, &[2.0; 20]);
        let s = g.since(0).min[0].clone();
        assert_eq!(s.len(), 5);
        assert_eq!(s[..2], [1.0, 1.0]);
        assert!(s[2].is_nan() && s[3].is_nan() && s[4] == 2.0);
    }
}
