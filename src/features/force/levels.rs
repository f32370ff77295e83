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

    /// Adds `v`; returns the sample it replaces once full.
    fn push(&mut self, v: f64) -> Option<f64> {
        if self.values.len() < self.len {
            self.values.push(v);
            return None;
        }
        let old = std::mem::replace(&mut self.values[self.next], v);
        self.next = (self.next + 1) % self.len;
        Some(old)
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

    pub fn push(&mut self, x: &[f64]) {
        for &v in x {
            self.push_one(v);
        }
    }

    fn push_one(&mut self, v: f64) {
        if self.w < 2 {
            return;
        }
        self.recent.push(v);
        self.block.push(v);
        self.seen += 1;
        if self.block.len() == self.hop {
            // A window's sum is its whole blocks' sums plus the few samples after them.
            self.sums.push_back(self.block.iter().sum());
            self.block.clear();
            if self.sums.len() > self.w / self.hop {
                self.sums.pop_front();
            }
        }
        if self.seen >= self.w && (self.seen - self.w) % self.hop == 0 {
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

    pub fn push(&mut self, x: &[f64]) {
        for &v in x {
            self.push_one(v);
        }
    }

    fn push_one(&mut self, v: f64) {
        if self.recent.len == 0 {
            return;
        }
        match self.recent.push(v) {
            Some(old) => {
                self.sum += v - old;
                self.best = self.best.max(self.sum);
                self.least = self.least.min(self.sum);
            }
            None if self.recent.values.len() == self.recent.len => {
                self.sum = self.recent.ordered().sum();
                self.best = self.sum;
                self.least = self.sum;
            }
            None => {}
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
}

impl LevelsPass {
    /// A pass with windows of `w` samples.
    pub fn new(w: usize) -> LevelsPass {
        LevelsPass {
            glitches: HoldFinite::default(),
            quiet: QuietWindow::new(w),
            best: BestWindow::new(w),
            max: f64::NEG_INFINITY,
        }
    }

    pub fn push(&mut self, x: &[f64]) {
        for &v in x {
            let v = self.glitches.apply(v);
            self.quiet.push_one(v);
            self.best.push_one(v);
            self.max = self.max.max(v);
        }
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
