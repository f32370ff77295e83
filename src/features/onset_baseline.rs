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

use crate::dsp::isa::Isa;

/// Length of a baseline window, seconds.
pub const REST_WINDOW_S: f64 = 0.25;
/// Share of the windows, quietest first, taken as rest…
pub const REST_FRACTION: f64 = 0.25;
/// …of those, the ones whose mean is at most this multiple of the quietest window's.
pub const REST_SPREAD: f64 = 2.0;

/// Sum and sum of squares of the samples of one window (its count is the window length,
/// so a day-long recording keeps 32 bytes per window, detector and channel), and their
/// range: a detector that knows its threshold only at the end of a recording tells from
/// the range alone whether every sample of the window is on one side of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowSums {
    pub sum: f64,
    pub sum_sq: f64,
    /// The smallest and largest sample (NaN samples aside: a window holding one has a
    /// NaN sum).
    pub lo: f64,
    pub hi: f64,
}

impl Default for WindowSums {
    /// The sums of no samples.
    fn default() -> WindowSums {
        WindowSums {
            sum: 0.0,
            sum_sq: 0.0,
            lo: f64::INFINITY,
            hi: f64::NEG_INFINITY,
        }
    }
}

impl WindowSums {
    /// Whether every sample of the window is below `level` (`Some(false)`) or at or
    /// above it (`Some(true)`), judged from its range; `None` when it has samples on
    /// both sides, or a sample that is not a number. `round` maps a sample to the value
    /// it is compared as (it must keep order, as rounding to a narrower float does).
    pub fn side(&self, level: f64, round: impl Fn(f64) -> f64) -> Option<bool> {
        if !self.sum.is_finite() {
            return None;
        }
        if round(self.hi) < level {
            Some(false)
        } else if round(self.lo) >= level {
            Some(true)
        } else {
            None
        }
    }
}

/// The smaller of a range's bound `lo` and a sample `v` (a NaN sample leaves it as it
/// is): the comparison `_mm256_min_pd(v, lo)` makes, so that the lanes' AVX2 sums below
/// and these agree bit for bit.
#[inline(always)]
fn lower(lo: f64, v: f64) -> f64 {
    if v < lo {
        v
    } else {
        lo
    }
}

/// The larger of a range's bound `hi` and a sample `v`, as [`lower`].
#[inline(always)]
fn higher(hi: f64, v: f64) -> f64 {
    if v > hi {
        v
    } else {
        hi
    }
}

/// Adds `x` to `sums`, sample by sample.
fn add(sums: &mut WindowSums, x: &[f64]) {
    for &v in x {
        sums.sum += v;
        sums.sum_sq += v * v;
        (sums.lo, sums.hi) = (lower(sums.lo, v), higher(sums.hi, v));
    }
}

/// The sums of the four windows of `w` samples that make up `x`, each added up in order
/// as [`add`] does: the four running sums advance together.
fn sums_of_four(x: &[f64], w: usize) -> [WindowSums; 4] {
    let (a, rest) = x.split_at(w);
    let (b, rest) = rest.split_at(w);
    let (c, d) = rest.split_at(w);
    let (mut s, mut q) = ([0.0f64; 4], [0.0f64; 4]);
    let (mut lo, mut hi) = ([f64::INFINITY; 4], [f64::NEG_INFINITY; 4]);
    for i in 0..w {
        let v = [a[i], b[i], c[i], d[i]];
        for k in 0..4 {
            s[k] += v[k];
            q[k] += v[k] * v[k];
            (lo[k], hi[k]) = (lower(lo[k], v[k]), higher(hi[k], v[k]));
        }
    }
    std::array::from_fn(|k| WindowSums {
        sum: s[k],
        sum_sq: q[k],
        lo: lo[k],
        hi: hi[k],
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
    /// Each lane's sums so far in the current window.
    sums: Vec<WindowSums>,
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
            sums: vec![WindowSums::default(); lanes],
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
            add_lanes(&mut self.sums, part);
            self.filled += take;
            rest = after;
            if self.filled == self.window {
                done.extend_from_slice(&self.sums);
                self.sums.fill(WindowSums::default());
                self.filled = 0;
            }
        }
    }
}

/// Adds interleaved frames to each lane's running sums. With AVX2, four or eight lanes
/// (a group's width) go four at a time through vector registers, the four running values
/// of eight lanes in eight of its sixteen: the compiler's own vectors of the loop below
/// spill them. The same operations in the same order either way (a separate multiply and
/// add, no fused one), so the sums are the same to the bit.
fn add_lanes(sums: &mut [WindowSums], frames: &[f64]) {
    match (Isa::detect(), sums.len()) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa::Avx2` or `Isa::Avx512` exists only where AVX2 was detected
        // (see `Isa`).
        (Isa::Avx2 | Isa::Avx512, 4) => unsafe { add_lanes_avx2::<1>(sums, frames) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        (Isa::Avx2 | Isa::Avx512, 8) => unsafe { add_lanes_avx2::<2>(sums, frames) },
        _ => add_lanes_any(sums, frames),
    }
}

/// [`add_lanes`] for `4 Q` lanes, `Q` vectors of four lanes.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn add_lanes_avx2<const Q: usize>(sums: &mut [WindowSums], frames: &[f64]) {
    use std::arch::x86_64::{
        __m256d, _mm256_add_pd, _mm256_loadu_pd, _mm256_max_pd, _mm256_min_pd, _mm256_mul_pd,
        _mm256_storeu_pd,
    };
    let lanes = 4 * Q;
    assert_eq!(sums.len(), lanes);
    // Four lanes' values of one kind as a vector, and back.
    let load = |f: fn(&WindowSums) -> f64, q: usize| -> __m256d {
        let v: [f64; 4] = std::array::from_fn(|i| f(&sums[4 * q + i]));
        // SAFETY: `v` holds four values.
        unsafe { _mm256_loadu_pd(v.as_ptr()) }
    };
    let mut s: [__m256d; Q] = std::array::from_fn(|q| load(|w| w.sum, q));
    let mut sq: [__m256d; Q] = std::array::from_fn(|q| load(|w| w.sum_sq, q));
    let mut lo: [__m256d; Q] = std::array::from_fn(|q| load(|w| w.lo, q));
    let mut hi: [__m256d; Q] = std::array::from_fn(|q| load(|w| w.hi, q));
    for frame in frames.chunks_exact(lanes) {
        for q in 0..Q {
            // SAFETY: the frame holds `4 Q` values, so four from `4 q` on.
            let v = _mm256_loadu_pd(frame[4 * q..4 * q + 4].as_ptr());
            s[q] = _mm256_add_pd(s[q], v);
            sq[q] = _mm256_add_pd(sq[q], _mm256_mul_pd(v, v));
            // `min(v, lo)` is `v < lo ? v : lo`: `lower(lo, v)`, a NaN sample ignored.
            lo[q] = _mm256_min_pd(v, lo[q]);
            hi[q] = _mm256_max_pd(v, hi[q]);
        }
    }
    let mut out = [[0.0f64; 4]; 4];
    for q in 0..Q {
        for (o, v) in out.iter_mut().zip([s[q], sq[q], lo[q], hi[q]]) {
            // SAFETY: `o` holds four values.
            _mm256_storeu_pd(o.as_mut_ptr(), v);
        }
        for (i, w) in sums[4 * q..4 * q + 4].iter_mut().enumerate() {
            *w = WindowSums {
                sum: out[0][i],
                sum_sq: out[1][i],
                lo: out[2][i],
                hi: out[3][i],
            };
        }
    }
}

fn add_lanes_any(sums: &mut [WindowSums], frames: &[f64]) {
    match sums.len() {
        1 => add_lanes_of::<1>(sums, frames),
        2 => add_lanes_of::<2>(sums, frames),
        3 => add_lanes_of::<3>(sums, frames),
        4 => add_lanes_of::<4>(sums, frames),
        5 => add_lanes_of::<5>(sums, frames),
        6 => add_lanes_of::<6>(sums, frames),
        7 => add_lanes_of::<7>(sums, frames),
        8 => add_lanes_of::<8>(sums, frames),
        lanes => {
            for frame in frames.chunks_exact(lanes) {
                for (s, &v) in sums.iter_mut().zip(frame) {
                    add(s, &[v]);
                }
            }
        }
    }
}

/// [`add_lanes`] for `L` lanes, the sums held in registers.
fn add_lanes_of<const L: usize>(sums: &mut [WindowSums], frames: &[f64]) {
    let mut s: [f64; L] = std::array::from_fn(|l| sums[l].sum);
    let mut q: [f64; L] = std::array::from_fn(|l| sums[l].sum_sq);
    let mut lo: [f64; L] = std::array::from_fn(|l| sums[l].lo);
    let mut hi: [f64; L] = std::array::from_fn(|l| sums[l].hi);
    for frame in frames.chunks_exact(L) {
        for l in 0..L {
            s[l] += frame[l];
            q[l] += frame[l] * frame[l];
            (lo[l], hi[l]) = (lower(lo[l], frame[l]), higher(hi[l], frame[l]));
        }
    }
    for (l, w) in sums.iter_mut().enumerate() {
        *w = WindowSums {
            sum: s[l],
            sum_sq: q[l],
            lo: lo[l],
            hi: hi[l],
        };
    }
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
                    // The range of the samples that are numbers.
                    let numbers = || win.iter().copied().filter(|v| !v.is_nan());
                    s.lo = numbers().fold(f64::INFINITY, f64::min);
                    s.hi = numbers().fold(f64::NEG_INFINITY, f64::max);
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
                    assert_eq!((g.lo, g.hi), (r.lo, r.hi), "w {w} seed {seed}");
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
                                (g.sum.to_bits(), g.sum_sq.to_bits(), g.lo, g.hi),
                                (a.sum.to_bits(), a.sum_sq.to_bits(), a.lo, a.hi),
                                "lanes {lanes}, window {window}, skip {skip}, block {block}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_window_is_on_one_side_only_when_its_whole_range_is() {
        let mut w = WindowedSums::new(3);
        w.push(&[
            1.0,
            2.0,
            3.0,
            5.0,
            6.0,
            7.0,
            1.0,
            9.0,
            4.0,
            8.0,
            f64::NAN,
            9.0,
        ]);
        let sides: Vec<Option<bool>> = w.windows().iter().map(|s| s.side(4.0, |v| v)).collect();
        // Below, at or above, both sides, and a window with a sample that is not a number.
        assert_eq!(sides, [Some(false), Some(true), None, None]);
        // The threshold itself counts as above; a sample just under it, once rounded to
        // f32, may reach it.
        let mut at = WindowedSums::new(1);
        at.push(&[4.0, 4.0 - 1e-12]);
        let kept = |v: f64| f64::from(v as f32);
        let judged: Vec<_> = at
            .windows()
            .iter()
            .map(|s| (s.side(4.0, |v| v), s.side(4.0, kept)))
            .collect();
        assert_eq!(
            judged,
            [(Some(true), Some(true)), (Some(false), Some(true))]
        );
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
