//! Force metrics per force channel (METHODS.md F and C.5): peak, best 500 ms mean (MVC),
//! contraction onsets, rate of force development 0–50/100/200 ms and peak RFD from each
//! onset, and steadiness (CV) over holds.
//!
//! All metrics are relative to the resting baseline μ: the 500 ms window of lowest mean
//! force (the limb at rest, including its weight). An onset is found as METHODS.md
//! recommends: a gate where force first exceeds μ + 10 % of (peak − μ), then a search back
//! to the last sample at or below μ + 3σ; the onset is the sample after it. This avoids
//! the false triggers of a plain μ + 3σ crossing.
//!
//! The metrics take two passes: [`LevelsPass`] finds μ, σ, the peak and the MVC;
//! [`ContractionPass`] then finds the onsets against those levels. Both read the signal
//! block by block in bounded memory, so a live recording can keep the signal on disk
//! between them; [`force_metrics`] runs both over a signal in memory. A non-finite sample
//! counts as the finite one before it.

mod contractions;
mod levels;

pub use contractions::ContractionPass;
pub use levels::{BestWindow, ForceLevels, LevelsPass, QuietWindow};

use super::stats::mean_finite;

/// Settings of the force metrics, in seconds and fractions.
#[derive(Debug, Clone, PartialEq)]
pub struct ForceSettings {
    pub sample_rate_hz: f64,
    /// Baseline and MVC window.
    pub window_s: f64,
    /// Gate height as a fraction of (peak − μ).
    pub gate_fraction: f64,
    /// Search-back level, μ + `k_sigma`·σ.
    pub k_sigma: f64,
    /// RFD windows after the onset.
    pub rfd_windows_s: [f64; 3],
    /// Slope window of the peak RFD, and the span after the onset it is searched in.
    pub peak_rfd_slope_s: f64,
    pub peak_rfd_span_s: f64,
    /// A hold (for steadiness) must last this long between the gate crossings.
    pub min_hold_s: f64,
}

impl ForceSettings {
    /// METHODS.md's defaults at `sample_rate_hz`.
    pub fn new(sample_rate_hz: f64) -> ForceSettings {
        ForceSettings {
            sample_rate_hz,
            window_s: 0.5,
            gate_fraction: 0.1,
            k_sigma: 3.0,
            rfd_windows_s: [0.05, 0.1, 0.2],
            peak_rfd_slope_s: 0.01,
            peak_rfd_span_s: 0.2,
            min_hold_s: 2.0,
        }
    }

    fn samples(&self, seconds: f64) -> usize {
        ((seconds * self.sample_rate_hz).round() as usize).max(1)
    }

    /// Samples of the baseline and MVC window.
    pub fn window_samples(&self) -> usize {
        self.samples(self.window_s)
    }
}

/// One detected contraction.
#[derive(Debug, Clone, PartialEq)]
pub struct ForceOnset {
    /// Sample index of the onset t0.
    pub onset: usize,
    /// Sample where force crossed the gate.
    pub gate: usize,
    /// First sample after `gate` back below the gate (the end of the contraction), or the
    /// signal's length.
    pub release: usize,
    /// RFD over each window of the settings, in units/s; NaN past the signal's end.
    pub rfd: [f64; 3],
    /// Steepest slope over the peak-RFD window within the span after the onset, units/s.
    pub rfd_peak: f64,
}

/// Every metric of one force channel.
#[derive(Debug, Clone, PartialEq)]
pub struct ForceMetrics {
    pub baseline_mean: f64,
    pub baseline_sd: f64,
    /// max(F) − μ.
    pub peak: f64,
    /// Largest mean over any window of `window_s`, minus μ.
    pub mvc_500ms: f64,
    /// Largest and smallest mean over any window of `window_s`, from the sensor's zero
    /// (not μ): on a signed torque channel, zeroed with the limb at rest, the best hold in
    /// the positive and the negative direction.
    pub highest_500ms: f64,
    pub lowest_500ms: f64,
    pub onsets: Vec<ForceOnset>,
    /// Means over the onsets (NaN without onsets).
    pub rfd: [f64; 3],
    pub rfd_peak: f64,
    /// Mean coefficient of variation over holds, % (NaN without holds).
    pub steadiness_cv: f64,
}

/// Replaces a non-finite sample (a device glitch) by the last finite one before it, NaN
/// before any: a glitch neither sets the peak nor ends a hold. Both passes apply it, so
/// they see the same signal.
#[derive(Debug, Clone)]
struct HoldFinite(f64);

impl Default for HoldFinite {
    fn default() -> HoldFinite {
        HoldFinite(f64::NAN)
    }
}

impl HoldFinite {
    fn apply(&mut self, v: f64) -> f64 {
        if v.is_finite() {
            self.0 = v;
        }
        self.0
    }
}

/// Index of the window of `w` samples with the smallest mean (windows start every
/// `max(w / 10, 1)` samples), and its mean and SD.
pub fn quiet_window(x: &[f64], w: usize) -> Option<(usize, f64, f64)> {
    let mut quiet = QuietWindow::new(w);
    quiet.push(x);
    quiet.finish()
}

/// Largest mean over windows of `w` samples (every start).
pub fn best_window_mean(x: &[f64], w: usize) -> f64 {
    let mut best = BestWindow::new(w);
    best.push(x);
    best.finish()
}

/// `100·SD/mean` (SD with ddof = 1) after removing the least-squares line; the mean is
/// that of the undetrended hold. NaN when that mean is not positive: a "hold" at or below
/// the sensor's zero (the rest between the two directions of a signed torque) has no CV.
pub fn steadiness_cv(hold: &[f64]) -> f64 {
    let n = hold.len();
    if n < 3 {
        return f64::NAN;
    }
    let mean = hold.iter().sum::<f64>() / n as f64;
    if mean.is_nan() || mean <= 0.0 {
        return f64::NAN;
    }
    let mut detrended = hold.to_vec();
    crate::dsp::welch::detrend_in_place(&mut detrended, crate::dsp::welch::Detrend::Linear);
    let sd = (detrended.iter().map(|v| v * v).sum::<f64>() / (n - 1) as f64).sqrt();
    100.0 * sd / mean
}

/// Force metrics of `force` (already low-passed as the caller chooses).
///
/// ```
/// use myobalance::features::force::{force_metrics, ForceSettings};
/// // A 5000 N/s ramp from t = 0.5 s to 500 N, held for 3 s.
/// let fs = 2000.0;
/// let f: Vec<f64> = (0..10_000).map(|i| {
///     let t = i as f64 / fs - 0.5;
///     if t < 0.0 { 0.0 } else if t < 3.1 { (5000.0 * t).min(500.0) } else { 0.0 }
/// }).collect();
/// let m = force_metrics(&f, &ForceSettings::new(fs));
/// assert_eq!(m.onsets.len(), 1);
/// assert!((m.rfd[0] - 5000.0).abs() < 1.0);
/// assert!((m.peak - 500.0).abs() < 1e-9);
/// ```
pub fn force_metrics(force: &[f64], settings: &ForceSettings) -> ForceMetrics {
    let mut levels = LevelsPass::new(settings.window_samples());
    levels.push(force);
    let Some(levels) = levels.finish() else {
        return ForceMetrics::undefined();
    };
    let mut contractions = ContractionPass::new(settings, &levels);
    contractions.push(force);
    ForceMetrics::of(&levels, contractions.finish())
}

impl ForceMetrics {
    /// Every metric NaN, no onsets: a signal shorter than the baseline window.
    pub fn undefined() -> ForceMetrics {
        let nan = f64::NAN;
        ForceMetrics {
            baseline_mean: nan,
            baseline_sd: nan,
            peak: nan,
            mvc_500ms: nan,
            highest_500ms: nan,
            lowest_500ms: nan,
            onsets: Vec::new(),
            rfd: [nan; 3],
            rfd_peak: nan,
            steadiness_cv: nan,
        }
    }

    /// The metrics from the two passes: the levels, then each onset with the steadiness
    /// CV of those that were holds.
    pub fn of(levels: &ForceLevels, onsets: Vec<(ForceOnset, Option<f64>)>) -> ForceMetrics {
        let (onsets, holds): (Vec<ForceOnset>, Vec<Option<f64>>) = onsets.into_iter().unzip();
        ForceMetrics {
            baseline_mean: levels.baseline_mean,
            baseline_sd: levels.baseline_sd,
            peak: levels.peak,
            mvc_500ms: levels.mvc,
            highest_500ms: levels.highest_mean,
            lowest_500ms: levels.lowest_mean,
            rfd: [0, 1, 2].map(|k| mean_finite(onsets.iter().map(|o| o.rfd[k]))),
            rfd_peak: mean_finite(onsets.iter().map(|o| o.rfd_peak)),
            steadiness_cv: mean_finite(holds.into_iter().flatten()),
            onsets,
        }
    }
}
