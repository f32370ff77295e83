//! Force metrics per force channel (METHODS.md F and C.5): peak, best 500 ms mean (MVC),
//! contraction onsets, rate of force development 0–50/100/200 ms and peak RFD from each
//! onset, and steadiness (CV) over holds.
//!
//! All metrics are relative to the resting baseline μ: the 500 ms window of lowest mean
//! force (the limb at rest, including its weight). An onset is found as METHODS.md
//! recommends: a gate where force first exceeds μ + 10 % of (peak − μ), then a search back
//! to the last sample at or below μ + 3σ; the onset is the sample after it. This avoids
//! the false triggers of a plain μ + 3σ crossing.

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
    pub onsets: Vec<ForceOnset>,
    /// Means over the onsets (NaN without onsets).
    pub rfd: [f64; 3],
    pub rfd_peak: f64,
    /// Mean coefficient of variation over holds, % (NaN without holds).
    pub steadiness_cv: f64,
}

/// Index of the window of `w` samples with the smallest mean, and its mean and SD.
pub fn quiet_window(x: &[f64], w: usize) -> Option<(usize, f64, f64)> {
    if x.len() < w || w < 2 {
        return None;
    }
    let hop = (w / 10).max(1);
    // Windows start every hop: sum each hop-long block once, then a window is its whole
    // blocks plus the few samples after them.
    let blocks: Vec<f64> = x.chunks_exact(hop).map(|b| b.iter().sum()).collect();
    let (whole, rest) = (w / hop, w % hop);
    let mut best: Option<(usize, f64)> = None;
    let mut k = 0;
    while k * hop + w <= x.len() {
        let start = k * hop;
        let tail_from = start + whole * hop;
        let sum = blocks[k..k + whole].iter().sum::<f64>()
            + x[tail_from..tail_from + rest].iter().sum::<f64>();
        let mean = sum / w as f64;
        if best.is_none_or(|(_, m)| mean < m) {
            best = Some((start, mean));
        }
        k += 1;
    }
    let (start, mean) = best?;
    let var = x[start..start + w]
        .iter()
        .map(|v| (v - mean).powi(2))
        .sum::<f64>()
        / (w - 1) as f64;
    Some((start, mean, var.sqrt()))
}

/// Largest mean over windows of `w` samples (every start).
pub fn best_window_mean(x: &[f64], w: usize) -> f64 {
    if x.len() < w || w == 0 {
        return f64::NAN;
    }
    let mut sum: f64 = x[..w].iter().sum();
    let mut best = sum;
    for i in w..x.len() {
        sum += x[i] - x[i - w];
        best = best.max(sum);
    }
    best / w as f64
}

/// `100·SD/mean` (SD with ddof = 1) after removing the least-squares line; the mean is
/// that of the undetrended hold.
pub fn steadiness_cv(hold: &[f64]) -> f64 {
    let n = hold.len();
    if n < 3 {
        return f64::NAN;
    }
    let mean = hold.iter().sum::<f64>() / n as f64;
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
    let w = settings.samples(settings.window_s);
    let nan = f64::NAN;
    let Some((_, mu, sigma)) = quiet_window(force, w) else {
        return ForceMetrics {
            baseline_mean: nan,
            baseline_sd: nan,
            peak: nan,
            mvc_500ms: nan,
            onsets: Vec::new(),
            rfd: [nan; 3],
            rfd_peak: nan,
            steadiness_cv: nan,
        };
    };
    let max = force.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let peak = max - mu;
    let onsets = find_onsets(force, mu, sigma, peak, settings);
    let holds: Vec<f64> = onsets
        .iter()
        .filter_map(|o| {
            let span = o.release - o.gate;
            let trim = span / 5;
            (span as f64 >= settings.min_hold_s * settings.sample_rate_hz)
                .then(|| steadiness_cv(&force[o.gate + trim..o.release - trim]))
        })
        .collect();
    ForceMetrics {
        baseline_mean: mu,
        baseline_sd: sigma,
        peak,
        mvc_500ms: best_window_mean(force, w) - mu,
        rfd: [0, 1, 2].map(|k| mean_finite(onsets.iter().map(|o| o.rfd[k]))),
        rfd_peak: mean_finite(onsets.iter().map(|o| o.rfd_peak)),
        steadiness_cv: mean_finite(holds.into_iter()),
        onsets,
    }
}

fn find_onsets(
    force: &[f64],
    mu: f64,
    sigma: f64,
    peak: f64,
    s: &ForceSettings,
) -> Vec<ForceOnset> {
    let mut onsets = Vec::new();
    if peak.is_nan() || peak <= 0.0 || !sigma.is_finite() {
        return onsets;
    }
    let gate_level = mu + s.gate_fraction * peak;
    let rest_level = mu + s.k_sigma * sigma;
    // Re-arm below halfway between rest and the gate, so noise on the gate does not
    // count one contraction twice.
    let rearm_level = 0.5 * (rest_level.min(gate_level) + gate_level);
    let slope_w = s.samples(s.peak_rfd_slope_s);
    let span = s.samples(s.peak_rfd_span_s);
    let mut i = 0;
    let mut earliest = 0;
    while i < force.len() {
        if force[i] <= gate_level {
            i += 1;
            continue;
        }
        let gate = i;
        let mut j = gate;
        while j > earliest && force[j] > rest_level {
            j -= 1;
        }
        let onset = if force[j] > rest_level { j } else { j + 1 };
        let mut release = gate;
        while release < force.len() && force[release] > gate_level {
            release += 1;
        }
        let rfd = s.rfd_windows_s.map(|x| {
            let k = s.samples(x);
            force
                .get(onset + k)
                .map(|end| (end - force[onset]) / (k as f64 / s.sample_rate_hz))
                .unwrap_or(f64::NAN)
        });
        let last = (onset + span).min(force.len()).saturating_sub(slope_w);
        let rfd_peak = (onset..last)
            .map(|t| (force[t + slope_w] - force[t]) / (slope_w as f64 / s.sample_rate_hz))
            .fold(f64::NAN, f64::max);
        onsets.push(ForceOnset {
            onset,
            gate,
            release,
            rfd,
            rfd_peak,
        });
        // Wait until the force has come back down before looking for the next gate.
        i = release;
        while i < force.len() && force[i] > rearm_level {
            i += 1;
        }
        earliest = i;
    }
    onsets
}
