//! The first pass of the force metrics, sample by sample in bounded memory: the resting
//! baseline (the window of lowest mean), the largest value and the best window mean.
//! Each is computed with the arithmetic of a whole-signal scan, in the same order, so
//! feeding a signal in any blocks gives the same numbers to the last bit.

use std::collections::VecDeque;

use super::HoldFinite;

/// The last `len` samples pushed.
#[derive(Debug, Clone)]
struct Recent {
    values: Vec<f64>,
    /// Where the next sample goes (the oldest once `values` is full).
    next: usize,
    len: usize,
}

impl Recent {
    fn new(len: usize) -> Recent {
        Recent {
            values: Vec::with_capacity(len),
            next: 0,
            len,
        }
    }

    /// Adds the samples of `xs` in turn, a stretch at a time.
    fn extend(&mut self, mut xs: &[f64]) {
        let fill = (self.len - self.values.len()).min(xs.len());
        self.values.extend_from_slice(&xs[..fill]);
        xs = &xs[fill..];
        while !xs.is_empty() {
            let take = (self.len - self.next).min(xs.len());
            self.values[self.next..self.next + take].copy_from_slice(&xs[..take]);
            self.next = (self.next + take) % self.len;
            xs = &xs[take..];
        }
    }

    /// The samples, oldest first.
    fn ordered(&self) -> impl Iterator<Item = &f64> {
        let (newer, older) = self.values.split_at(self.next);
        older.iter().chain(newer)
    }
}

/// The window of `w` samples with the smallest mean, among windows starting every
/// `max(w / 10, 1)` samples.
#[derive(Debug, Clone)]
pub struct QuietWindow {
    w: usize,
    hop: usize,
    seen: usize,
    recent: Recent,
    /// Samples of the hop-long block being filled.
    block: Vec<f64>,
    /// Sums of the last `w / hop` complete blocks.
    sums: VecDeque<f64>,
    /// Start and mean of the quietest window so far, and its samples.
    best: Option<(usize, f64)>,
    best_samples: Vec<f64>,
}

impl QuietWindow {
    pub fn new(w: usize) -> QuietWindow {
        let hop = (w / 10).max(1);
        QuietWindow {
            w,
            hop,
            seen: 0,
            recent: Recent::new(w),
            block: Vec::with_capacity(hop),
            sums: VecDeque::with_capacity(w / hop + 1),
            best: None,
            best_samples: Vec::new(),
        }
    }

    /// Feeds samples, a stretch at a time up to the next completed block or window.
    pub fn push(&mut self, mut x: &[f64]) {
        if self.w < 2 {
            return;
        }
        while !x.is_empty() {
            // The number of samples seen when the next window ends.
            let window_end = if self.seen < self.w {
                self.w
            } else {
                self.seen + self.hop - (self.seen - self.w) % self.hop
            };
            let take = (self.hop - self.block.len())
                .min(window_end - self.seen)
                .min(x.len());
            let (now, rest) = x.split_at(take);
            self.recent.extend(now);
            self.block.extend_from_slice(now);
            self.seen += take;
            x = rest;
            if self.block.len() == self.hop {
                // A window's sum is its whole blocks' sums plus the few samples after them.
                self.sums.push_back(self.block.iter().sum());
                self.block.clear();
                if self.sums.len() > self.w / self.hop {
                    self.sums.pop_front();
                }
            }
            if self.seen == window_end {
                let sum = self.sums.iter().sum::<f64>() + self.block.iter().sum::<f64>();
                let mean = sum / self.w as f64;
                // A window with a non-finite sample is no baseline.
                if mean.is_finite() && self.best.is_none_or(|(_, m)| mean < m) {
                    self.best = Some((self.seen - self.w, mean));
                    self.best_samples.clear();
                    self.best_samples.extend(self.recent.ordered());
                }
            }
        }
    }

    /// Start, mean and SD (ddof = 1) of the quietest window; `None` before `w` samples or
    /// when `w < 2`.
    pub fn finish(&self) -> Option<(usize, f64, f64)> {
        let (start, mean) = self.best?;
        let var = self
            .best_samples
            .iter()
            .map(|v| (v - mean).powi(2))
            .sum::<f64>()
            / (self.w - 1) as f64;
        Some((start, mean, var.sqrt()))
    }
}

/// The largest and the smallest mean over windows of `w` samples (every start).
#[derive(Debug, Clone)]
pub struct BestWindow {
    recent: Recent,
    sum: f64,
    best: f64,
    least: f64,
}

impl BestWindow {
    pub fn new(w: usize) -> BestWindow {
        BestWindow {
            recent: Recent::new(w),
            sum: 0.0,
            best: f64::NAN,
            least: f64::NAN,
        }
    }

    /// Feeds samples; once the first window is whole, the window's sum slides by adding
    /// each new sample less the one it replaces, a stretch of the ring at a time.
    pub fn push(&mut self, mut x: &[f64]) {
        let recent = &mut self.recent;
        if recent.len == 0 {
            return;
        }
        let fill = (recent.len - recent.values.len()).min(x.len());
        if fill > 0 {
            recent.extend(&x[..fill]);
            x = &x[fill..];
            if recent.values.len() == recent.len {
                self.sum = recent.ordered().sum();
                self.best = self.sum;
                self.least = self.sum;
            }
        }
        while !x.is_empty() {
            let take = (recent.len - recent.next).min(x.len());
            let (now, rest) = x.split_at(take);
            let old = &mut recent.values[recent.next..recent.next + take];
            for (o, &v) in old.iter_mut().zip(now) {
                self.sum += v - *o;
                self.best = self.best.max(self.sum);
                self.least = self.least.min(self.sum);
                *o = v;
            }
            recent.next = (recent.next + take) % recent.len;
            x = rest;
        }
    }

    /// The largest window mean; NaN before `w` samples.
    pub fn finish(&self) -> f64 {
        self.best / self.recent.len as f64
    }

    /// The smallest window mean; NaN before `w` samples.
    pub fn least(&self) -> f64 {
        self.least / self.recent.len as f64
    }
}

/// What the first pass finds: the levels every later metric is relative to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForceLevels {
    /// Mean and SD of the quietest window: the resting baseline μ and σ.
    pub baseline_mean: f64,
    pub baseline_sd: f64,
    /// max(F) − μ.
    pub peak: f64,
    /// Largest window mean, minus μ.
    pub mvc: f64,
    /// The largest and the smallest window mean themselves, from the sensor's zero: the
    /// best hold in each direction of a signed (torque) channel.
    pub highest_mean: f64,
    pub lowest_mean: f64,
}

/// The first pass over a force signal.
#[derive(Debug, Clone)]
pub struct LevelsPass {
    glitches: HoldFinite,
    quiet: QuietWindow,
    best: BestWindow,
    max: f64,
    /// The block's samples, non-finite ones replaced by the last finite one.
    held: Vec<f64>,
}

impl LevelsPass {
    /// A pass with windows of `w` samples.
    pub fn new(w: usize) -> LevelsPass {
        LevelsPass {
            glitches: HoldFinite::default(),
            quiet: QuietWindow::new(w),
            best: BestWindow::new(w),
            max: f64::NEG_INFINITY,
            held: Vec::new(),
        }
    }

    pub fn push(&mut self, x: &[f64]) {
        let (glitches, held) = (&mut self.glitches, &mut self.held);
        held.clear();
        held.extend(x.iter().map(|&v| glitches.apply(v)));
        self.quiet.push(held);
        self.best.push(held);
        self.max = held.iter().fold(self.max, |m, &v| m.max(v));
    }

    /// The levels; `None` while the signal is shorter than a window.
    pub fn finish(&self) -> Option<ForceLevels> {
        let (_, mu, sigma) = self.quiet.finish()?;
        Some(ForceLevels {
            baseline_mean: mu,
            baseline_sd: sigma,
            peak: self.max - mu,
            mvc: self.best.finish() - mu,
            highest_mean: self.best.finish(),
            lowest_mean: self.best.least(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A resting level with a slow swell, noise and a few non-finite glitches.
    fn signal(len: usize) -> Vec<f64> {
        (0..len)
            .map(|i| match i {
                40 | 41 | 777 => f64::NAN,
                1500 => f64::INFINITY,
                _ => {
                    let t = i as f64;
                    5.0 + 3.0 * (t / 300.0).sin() + crate::sim::noise::uniform(i as u64)
                }
            })
            .collect()
    }

    #[test]
    fn windows_fed_in_pieces_match_a_scan_of_every_window() {
        // 23 = 10 hops of 2 and 3 samples over: windows end inside a block.
        for w in [23, 40, 2] {
            let raw = signal(2345);
            let mut last = f64::NAN;
            let x: Vec<f64> = raw
                .iter()
                .map(|&v| {
                    if v.is_finite() {
                        last = v;
                    }
                    last
                })
                .collect();
            let hop = (w / 10).max(1);
            // The scan: every window on the hop grid, its sum as whole blocks' sums (in
            // order) plus the samples after them; the first lowest finite mean wins.
            let block_sum = |b: usize| x[b * hop..(b + 1) * hop].iter().sum::<f64>();
            let mut quiet: Option<(usize, f64)> = None;
            for start in (0..=x.len() - w).step_by(hop) {
                let whole = w / hop;
                let blocks: f64 = (0..whole).map(|k| block_sum(start / hop + k)).sum();
                let mean =
                    (blocks + x[start + whole * hop..start + w].iter().sum::<f64>()) / w as f64;
                if mean.is_finite() && quiet.is_none_or(|(_, m)| mean < m) {
                    quiet = Some((start, mean));
                }
            }
            let (start, mean) = quiet.unwrap();
            let sd = (x[start..start + w]
                .iter()
                .map(|v| (v - mean).powi(2))
                .sum::<f64>()
                / (w - 1) as f64)
                .sqrt();
            let finite: Vec<f64> = x.iter().copied().filter(|v| v.is_finite()).collect();
            let means: Vec<f64> = x
                .windows(w)
                .map(|s| s.iter().sum::<f64>() / w as f64)
                .filter(|m| m.is_finite())
                .collect();
            let highest = means.iter().fold(f64::MIN, |m, &v| m.max(v));
            let lowest = means.iter().fold(f64::MAX, |m, &v| m.min(v));
            let peak = finite.iter().fold(f64::MIN, |m, &v| m.max(v));
            for piece in [1, 3, 22, 64, raw.len()] {
                let mut pass = LevelsPass::new(w);
                raw.chunks(piece).for_each(|p| pass.push(p));
                let got = pass.finish().unwrap();
                let (q, _, _) = pass.quiet.finish().unwrap();
                assert_eq!(q, start, "w {w}, pieces of {piece}");
                assert_eq!(got.baseline_mean, mean, "w {w}, pieces of {piece}");
                assert_eq!(got.baseline_sd, sd, "w {w}, pieces of {piece}");
                assert_eq!(got.peak, peak - mean);
                // A sliding sum rounds differently from summing each window afresh.
                let near = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs();
                assert!(
                    near(got.highest_mean, highest),
                    "w {w}: {got:?} vs {highest}"
                );
                assert!(near(got.lowest_mean, lowest), "w {w}: {got:?} vs {lowest}");
            }
        }
    }
}
