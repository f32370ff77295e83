//! The rest baseline of the EMG onset detectors (METHODS.md G): what the signal looks
//! like when the muscle is at rest, estimated from the distribution of quiet windows
//! rather than from one window.
//!
//! The test signal of a detector (for Hodges–Bui the rectified, low-passed, averaged EMG)
//! is cut into non-overlapping windows of [`REST_WINDOW_S`] from the first sample after
//! filter start-up. The **rest windows** are the quietest [`REST_FRACTION`] of them by
//! mean (at least one; ties keep their order), less those whose mean is above
//! [`REST_SPREAD`] times the quietest window's (a recording that rests less than a
//! quarter of its time would otherwise lend rest the start of its ramps and holds). The
//! baseline mean μ and SD σ are pooled
//! over every sample of the rest windows, so σ holds both the spread inside a window and
//! the drift of rest from window to window:
//!
//! ```text
//! μ = Σ sum_w / Σ n_w          σ² = (Σ sumsq_w − (Σ sum_w)² / Σ n_w) / (Σ n_w − 1)
//! ```
//!
//! Offline the windows span the whole recording; live (and `--causal`) those of the first
//! `onset_baseline_s` seconds. The rule is the same: only the span differs.
//!
//! Why not the quietest single window (the Hodges–Bui paper's "quiet 500 ms")? On real
//! recordings ordinary rest varies by ±20 % from one half second to the next; the
//! quietest window is the bottom of that range with the smallest SD, so rest noise
//! crosses μ + 3σ many times a minute (63 onsets on `biosppy_emg_1`, 40 of them blips
//! under 100 ms). Pooling a quarter of the windows spreads the baseline over the usual
//! range of rest; the spread limit keeps activity out when rest is scarce (the
//! simulator's sessions rest about 15 % of the time). A channel with a dead stretch (an
//! electrode off) gets its baseline from that stretch: its noise then sets the threshold,
//! and an exactly flat one disables the detector rather than marking everything active
//! (see `engine::onset_detectors`).
//!
//! The rest windows are chosen once per channel, on the Hodges–Bui signal, and the other
//! detectors take their baselines over the same windows: "rest" is one set of moments.
//!
//! ```
//! use myobalance::features::onset_baseline::{pooled, rest_windows, WindowedSums};
//! // Four windows of 2 samples: rest at 1 ± a little, activity at 10.
//! let mut w = WindowedSums::new(2);
//! w.push(&[1.0, 1.2, 10.0, 11.0, 0.9, 1.1, 10.0, 12.0]);
//! let rest = rest_windows(&w);
//! assert_eq!(rest, vec![2]); // a quarter of 4 windows: the quietest one
//! let b = pooled(&w, &rest).unwrap();
//! assert!((b.mean - 1.0).abs() < 1e-12);
//! ```

/// Length of a baseline window, seconds.
pub const REST_WINDOW_S: f64 = 0.25;
/// Share of the windows, quietest first, taken as rest…
pub const REST_FRACTION: f64 = 0.25;
/// …of those, the ones whose mean is at most this multiple of the quietest window's.
pub const REST_SPREAD: f64 = 2.0;

/// Sum and sum of squares of the samples of one window (its count is the window length,
/// so a day-long recording keeps 16 bytes per window, detector and channel).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WindowSums {
    pub sum: f64,
    pub sum_sq: f64,
}

/// Adds `x` to `sums`, sample by sample.
fn add(sums: &mut WindowSums, x: &[f64]) {
    for &v in x {
        sums.sum += v;
        sums.sum_sq += v * v;
    }
}

/// The sums of the four windows of `w` samples that make up `x`, each added up in order
/// as [`add`] does: the four running sums advance together.
fn sums_of_four(x: &[f64], w: usize) -> [WindowSums; 4] {
    let (a, rest) = x.split_at(w);
    let (b, rest) = rest.split_at(w);
    let (c, d) = rest.split_at(w);
    let (mut s, mut q) = ([0.0f64; 4], [0.0f64; 4]);
    for i in 0..w {
        let v = [a[i], b[i], c[i], d[i]];
        for k in 0..4 {
            s[k] += v[k];
            q[k] += v[k] * v[k];
        }
    }
    std::array::from_fn(|k| WindowSums {
        sum: s[k],
        sum_sq: q[k],
    })
}

/// The sums of one signal window after window, in any block size.
#[derive(Debug, Clone)]
pub struct WindowedSums {
    window: usize,
    current: WindowSums,
    /// Samples in `current`.
    filled: usize,
    done: Vec<WindowSums>,
}

impl WindowedSums {
    /// Windows of `window` samples (at least one).
    pub fn new(window: usize) -> WindowedSums {
        WindowedSums {
            window: window.max(1),
            current: WindowSums::default(),
            filled: 0,
            done: Vec::new(),
        }
    }

    /// Adds the next samples. Each window's sums are added up sample by sample in order,
    /// whatever the blocks; whole windows inside a block are summed four at a time, side
    /// by side, as one running sum is bound by the latency of its additions.
    pub fn push(&mut self, x: &[f64]) {
        let mut rest = x;
        if self.filled > 0 {
            let take = (self.window - self.filled).min(rest.len());
            add(&mut self.current, &rest[..take]);
            self.filled += take;
            rest = &rest[take..];
            if self.filled == self.window {
                self.done.push(std::mem::take(&mut self.current));
                self.filled = 0;
            }
        }
        let w = self.window;
        let mut quads = rest.chunks_exact(4 * w);
        for quad in &mut quads {
            self.done.extend(sums_of_four(quad, w));
        }
        let mut whole = quads.remainder().chunks_exact(w);
        for window in &mut whole {
            let mut sums = WindowSums::default();
            add(&mut sums, window);
            self.done.push(sums);
        }
        let partial = whole.remainder();
        add(&mut self.current, partial);
        self.filled += partial.len();
    }

    /// Sums of windows complete before, then these.
    pub fn from_windows(window: usize, done: Vec<WindowSums>) -> WindowedSums {
        WindowedSums {
            done,
            ..WindowedSums::new(window)
        }
    }

    /// Samples per window.
    pub fn window(&self) -> usize {
        self.window
    }

    /// The complete windows so far (a partial last window is left out).
    pub fn windows(&self) -> &[WindowSums] {
        &self.done
    }

    /// Mean of complete window `i`.
    ///
    /// # Panics
    /// If there is no such window.
    pub fn mean(&self, i: usize) -> f64 {
        self.done[i].sum / self.window as f64
    }
}

/// [`WindowedSums`] of several signals side by side, as interleaved frames of `lanes`
/// values: the running sums of every lane advance together, and each lane's windows are
/// those of the lane alone, bit for bit (each window's sums added up from zero, sample by
/// sample in order). The first `skip` frames are left out (filter start-up).
#[derive(Debug, Clone)]
pub struct LaneWindowedSums {
    window: usize,
    lanes: usize,
    /// Frames still to leave out.
    skip: usize,
    /// Frames in the current window.
    filled: usize,
    sums: Vec<f64>,
    squares: Vec<f64>,
}

impl LaneWindowedSums {
    /// Windows of `window` frames (at least one) of `lanes` lanes (at least one), after
    /// the first `skip` frames.
    pub fn new(window: usize, lanes: usize, skip: usize) -> LaneWindowedSums {
        let lanes = lanes.max(1);
        LaneWindowedSums {
            window: window.max(1),
            lanes,
            skip,
            filled: 0,
            sums: vec![0.0; lanes],
            squares: vec![0.0; lanes],
        }
    }

    /// Adds whole frames; appends to `done` the sums of each window they complete, its
    /// lanes in order, window after window.
    pub fn push(&mut self, frames: &[f64], done: &mut Vec<WindowSums>) {
        let lanes = self.lanes;
        debug_assert_eq!(frames.len() % lanes, 0, "whole frames of {lanes} lanes");
        let left_out = self.skip.min(frames.len() / lanes);
        self.skip -= left_out;
        let mut rest = &frames[left_out * lanes..];
        while rest.len() >= lanes {
            let take = (self.window - self.filled).min(rest.len() / lanes);
            let (part, after) = rest.split_at(take * lanes);
            add_lanes(&mut self.sums, &mut self.squares, part);
            self.filled += take;
            rest = after;
            if self.filled == self.window {
                let sums = self.sums.iter().zip(&self.squares);
                done.extend(sums.map(|(&sum, &sum_sq)| WindowSums { sum, sum_sq }));
                self.sums.fill(0.0);
                self.squares.fill(0.0);
                self.filled = 0;
            }
        }
    }
}

/// Adds interleaved frames to each lane's running sum and sum of squares.
fn add_lanes(sums: &mut [f64], squares: &mut [f64], frames: &[f64]) {
    match sums.len() {
        1 => add_lanes_of::<1>(sums, squares, frames),
        2 => add_lanes_of::<2>(sums, squares, frames),
        3 => add_lanes_of::<3>(sums, squares, frames),
        4 => add_lanes_of::<4>(sums, squares, frames),
        5 => add_lanes_of::<5>(sums, squares, frames),
        6 => add_lanes_of::<6>(sums, squares, frames),
        7 => add_lanes_of::<7>(sums, squares, frames),
        8 => add_lanes_of::<8>(sums, squares, frames),
        lanes => {
            for frame in frames.chunks_exact(lanes) {
                for ((s, q), &v) in sums.iter_mut().zip(squares.iter_mut()).zip(frame) {
                    *s += v;
                    *q += v * v;
                }
            }
        }
    }
}

/// [`add_lanes`] for `L` lanes, the sums held in registers.
fn add_lanes_of<const L: usize>(sums: &mut [f64], squares: &mut [f64], frames: &[f64]) {
    let mut s: [f64; L] = std::array::from_fn(|l| sums[l]);
    let mut q: [f64; L] = std::array::from_fn(|l| squares[l]);
    for frame in frames.chunks_exact(L) {
        for l in 0..L {
            s[l] += frame[l];
            q[l] += frame[l] * frame[l];
        }
    }
    sums.copy_from_slice(&s);
    squares.copy_from_slice(&q);
}

/// Indices of the rest windows of `sums`: the quietest [`REST_FRACTION`] by mean, at least
/// one, in ascending order of index. Windows with a non-finite mean are never rest.
pub fn rest_windows(sums: &WindowedSums) -> Vec<usize> {
    let n = sums.windows().len();
    let mut order: Vec<usize> = (0..n).filter(|&i| sums.mean(i).is_finite()).collect();
    if order.is_empty() {
        return order;
    }
    order.sort_by(|&a, &b| sums.mean(a).total_cmp(&sums.mean(b)));
    let keep = ((REST_FRACTION * n as f64).ceil() as usize).clamp(1, order.len());
    order.truncate(keep);
    let ceiling = REST_SPREAD * sums.mean(order[0]);
    order.retain(|&i| sums.mean(i) <= ceiling);
    order.sort_unstable();
    order
}

/// A detector's baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baseline {
    pub mean: f64,
    /// Sample SD (ddof = 1) of every rest sample.
    pub sd: f64,
    /// Mean of the squared samples (the noise power Bonato's test divides by).
    pub mean_square: f64,
}

/// The baseline pooled over the windows of `sums` at `indices`; `None` with fewer than two
/// samples or a non-finite result.
pub fn pooled(sums: &WindowedSums, indices: &[usize]) -> Option<Baseline> {
    let (mut n, mut sum, mut sum_sq) = (0usize, 0.0, 0.0);
    for w in indices.iter().filter_map(|&i| sums.windows().get(i)) {
        n += sums.window;
        sum += w.sum;
        sum_sq += w.sum_sq;
    }
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let mean = sum / nf;
    let var = ((sum_sq - sum * sum / nf) / (nf - 1.0)).max(0.0);
    let b = Baseline {
        mean,
        sd: var.sqrt(),
        mean_square: sum_sq / nf,
    };
    (b.mean.is_finite() && b.sd.is_finite() && b.mean_square.is_finite()).then_some(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The naive definition: pick the windows, concatenate their samples, take mean and SD.
    fn naive(x: &[f64], w: usize) -> (f64, f64) {
        let mut means: Vec<(f64, usize)> = x
            .chunks_exact(w)
            .enumerate()
            .map(|(i, c)| (c.iter().sum::<f64>() / w as f64, i))
            .collect();
        means.sort_by(|a, b| a.0.total_cmp(&b.0));
        let keep = ((REST_FRACTION * means.len() as f64).ceil() as usize).max(1);
        let lowest = means[0].0;
        let samples: Vec<f64> = means[..keep]
            .iter()
            .filter(|(m, _)| *m <= REST_SPREAD * lowest)
            .flat_map(|&(_, i)| x[i * w..(i + 1) * w].iter().copied())
            .collect();
        let n = samples.len() as f64;
        let m = samples.iter().sum::<f64>() / n;
        let v = samples.iter().map(|s| (s - m).powi(2)).sum::<f64>() / (n - 1.0);
        (m, v.sqrt())
    }

    #[test]
    fn pooled_rest_equals_the_naive_definition_in_any_block_size() {
        let x: Vec<f64> = (0..1003)
            .map(|i| {
                let u = crate::sim::noise::uniform(7 + i as u64);
                5.0 + u + if (i / 100) % 3 == 0 { 20.0 } else { 0.0 }
            })
            .collect();
        let (m, s) = naive(&x, 50);
        for block in [1, 7, 50, 1003] {
            let mut w = WindowedSums::new(50);
            for part in x.chunks(block) {
                w.push(part);
            }
            assert_eq!(w.windows().len(), 20);
            let b = pooled(&w, &rest_windows(&w)).unwrap();
            assert!(
                (b.mean - m).abs() < 1e-12 && (b.sd - s).abs() < 1e-12,
                "{block}"
            );
        }
    }

    #[test]
    fn windows_summed_side_by_side_equal_the_sums_in_order() {
        // Each window's sums, added sample by sample from zero, in order.
        let reference = |x: &[f64], w: usize| -> Vec<WindowSums> {
            x.chunks_exact(w)
                .map(|win| {
                    let mut s = WindowSums::default();
                    for &v in win {
                        s.sum += v;
                        s.sum_sq += v * v;
                    }
                    s
                })
                .collect()
        };
        let x: Vec<f64> = (0..5000)
            .map(|i| {
                let u = crate::sim::noise::uniform(11 + i as u64);
                if i == 1234 {
                    f64::NAN
                } else {
                    (u - 0.5) * 10f64.powi((i % 7) - 3)
                }
            })
            .collect();
        for w in [1, 3, 50, 499] {
            let want = reference(&x, w);
            for seed in 0..8u64 {
                let mut sums = WindowedSums::new(w);
                let mut at = 0;
                let mut k = 0;
                while at < x.len() {
                    let u = crate::sim::noise::uniform(1000 * seed + k);
                    let len = ((u * 6.0 * w as f64) as usize).min(x.len() - at);
                    sums.push(&x[at..at + len]);
                    at += len;
                    k += 1;
                }
                let got = sums.windows();
                assert_eq!(got.len(), want.len());
                for (g, r) in got.iter().zip(&want) {
                    // Bit for bit, NaN included.
                    assert_eq!(g.sum.to_bits(), r.sum.to_bits(), "w {w} seed {seed}");
                    assert_eq!(g.sum_sq.to_bits(), r.sum_sq.to_bits(), "w {w} seed {seed}");
                }
            }
        }
    }

    #[test]
    fn lanes_give_each_signal_its_own_windows_bit_for_bit() {
        let signal = |lane: usize| -> Vec<f64> {
            (0..2000)
                .map(|i| {
                    let u = crate::sim::noise::uniform((7 * i + lane) as u64);
                    (u - 0.3) * 10f64.powi((i % 5) as i32 - 2)
                })
                .collect()
        };
        for lanes in [1, 2, 3, 4, 7, 8, 9] {
            let x: Vec<Vec<f64>> = (0..lanes).map(signal).collect();
            let frames: Vec<f64> = (0..2000)
                .flat_map(|i| x.iter().map(move |c| c[i]))
                .collect();
            for (window, skip) in [(50, 0), (50, 37), (1, 3), (499, 200)] {
                for block in [1, 13, 50, 333, 2000] {
                    let mut sums = LaneWindowedSums::new(window, lanes, skip);
                    let mut done = Vec::new();
                    for part in frames.chunks(block * lanes) {
                        sums.push(part, &mut done);
                    }
                    for (lane, signal) in x.iter().enumerate() {
                        let mut alone = WindowedSums::new(window);
                        alone.push(&signal[skip..]);
                        let got: Vec<WindowSums> =
                            done.iter().skip(lane).step_by(lanes).copied().collect();
                        assert_eq!(got.len(), alone.windows().len());
                        for (g, a) in got.iter().zip(alone.windows()) {
                            assert_eq!(
                                (g.sum.to_bits(), g.sum_sq.to_bits()),
                                (a.sum.to_bits(), a.sum_sq.to_bits()),
                                "lanes {lanes}, window {window}, skip {skip}, block {block}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn no_windows_no_baseline() {
        let none = WindowedSums::new(4);
        assert!(rest_windows(&none).is_empty());
        assert_eq!(pooled(&none, &[]), None);
        let mut w = WindowedSums::new(1);
        w.push(&[f64::NAN, 2.0]);
        assert_eq!(rest_windows(&w), vec![1]);
    }
}
