//! Root-mean-square amplitude over a signal and over the windows of the window rule.

use super::lanes::{combine, LANES};
use super::windows::WindowSpec;

/// `sqrt(mean(x²))`; 0 for an empty slice.
///
/// ```
/// let x: Vec<f64> = (0..2000).map(|i| (2.0 * std::f64::consts::PI * 50.0 * i as f64 / 2000.0).sin()).collect();
/// assert!((myobalance::dsp::rms::rms(&x) - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-12);
/// ```
pub fn rms(x: &[f64]) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    (sum_of_squares(x) / x.len() as f64).sqrt()
}

/// `Σ x²` in [`LANES`] partial sums, added pairwise at the end.
fn sum_of_squares(x: &[f64]) -> f64 {
    let mut acc = [0.0; LANES];
    let chunks = x.chunks_exact(LANES);
    let rest = chunks.remainder();
    for chunk in chunks {
        for j in 0..LANES {
            acc[j] += chunk[j] * chunk[j];
        }
    }
    for (a, v) in acc.iter_mut().zip(rest) {
        *a += v * v;
    }
    combine(acc)
}

/// RMS of every window of `spec` over `x`, written to `out` (cleared first).
pub fn windowed_rms(x: &[f64], spec: &WindowSpec, out: &mut Vec<f64>) {
    out.clear();
    out.extend((0..spec.count(x.len())).map(|k| rms(&x[spec.range(k)])));
}
