//! Second-order IIR notch (scipy's `iirnotch`), for mains hum at 50 or 60 Hz.

use std::f64::consts::PI;

use super::error::{check_frequency, DspError};
use super::sos::Section;

/// A notch at `frequency_hz` with quality factor `q` (−3 dB width = frequency / Q), as one
/// second-order section equal to scipy's `iirnotch(frequency_hz, q, fs)`.
///
/// ```
/// let s = myobalance::dsp::notch::notch(50.0, 30.0, 2000.0).unwrap();
/// let g = myobalance::dsp::sos::response(&[s], 50.0, 2000.0).norm();
/// assert!(g < 1e-9);
/// ```
pub fn notch(frequency_hz: f64, q: f64, sample_rate_hz: f64) -> Result<Section, DspError> {
    check_frequency(frequency_hz, sample_rate_hz)?;
    if !(q.is_finite() && q > 0.0) {
        return Err(DspError::BadQuality(q));
    }
    let w0 = 2.0 * frequency_hz / sample_rate_hz;
    let bw = w0 / q * PI;
    let w0 = w0 * PI;
    // −3 dB points: gb = 1/√2, so √(1 − gb²)/gb = 1 (kept in scipy's form).
    let gb = std::f64::consts::FRAC_1_SQRT_2;
    let beta = ((1.0 - gb * gb).sqrt() / gb) * (bw / 2.0).tan();
    let gain = 1.0 / (1.0 + beta);
    Ok(Section {
        b: [gain, -2.0 * w0.cos() * gain, gain],
        a: [1.0, -2.0 * gain * w0.cos(), 2.0 * gain - 1.0],
    })
}
