//! The EMG shaping filter whose spectrum compresses with fatigue: white noise through a
//! 2nd-order Butterworth high-pass at c·f_lo and a 2nd-order Butterworth low-pass at c·f_hi
//! (bilinear transform with pre-warping, redesigned every sample from the compression
//! factor c), normalised so that its output keeps unit variance at every c.
//!
//! The sections run in direct form I, whose state is past inputs and outputs only, so
//! coefficients may change from one sample to the next without the state meaning
//! something else. The same coefficients give the exact power response used for the
//! ground truth (`spectrum`), so the truth describes the very filter that ran.

use std::f64::consts::{FRAC_1_SQRT_2, PI};

/// Compression factors tabulated for the variance normalisation.
/// The normalisation is smooth in c: linear interpolation between 33 points is exact to
/// about 1e-5.
const GAIN_TABLE_POINTS: usize = 33;
/// Frequency points of the numerical variance integral over [0, Nyquist]; the integrand
/// varies over tens of Hz, the points are under 1 Hz apart below 2 kHz.
const GAIN_INTEGRAL_POINTS: usize = 1024;

/// Normalised biquad coefficients, `b0 b1 b2` over `1 a1 a2`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Biquad {
    pub b: [f64; 3],
    pub a: [f64; 2],
}

impl Biquad {
    /// 2nd-order Butterworth low-pass (−3 dB) at `cutoff_hz`, by the bilinear transform.
    pub fn lowpass(cutoff_hz: f64, fs: f64) -> Biquad {
        let (sin, cos) = (2.0 * PI * cutoff_hz / fs).sin_cos();
        let alpha = sin * FRAC_1_SQRT_2;
        let b0 = 0.5 * (1.0 - cos);
        Biquad::normalised([b0, 2.0 * b0, b0], 1.0 + alpha, -2.0 * cos, 1.0 - alpha)
    }

    /// 2nd-order Butterworth high-pass (−3 dB) at `cutoff_hz`, by the bilinear transform.
    pub fn highpass(cutoff_hz: f64, fs: f64) -> Biquad {
        let (sin, cos) = (2.0 * PI * cutoff_hz / fs).sin_cos();
        let alpha = sin * FRAC_1_SQRT_2;
        let b0 = 0.5 * (1.0 + cos);
        Biquad::normalised([b0, -2.0 * b0, b0], 1.0 + alpha, -2.0 * cos, 1.0 - alpha)
    }

    fn normalised(b: [f64; 3], a0: f64, a1: f64, a2: f64) -> Biquad {
        Biquad {
            b: [b[0] / a0, b[1] / a0, b[2] / a0],
            a: [a1 / a0, a2 / a0],
        }
    }

    /// |H(e^{jω})|² at ω = 2π·`f_hz`/`fs`.
    pub fn power(&self, f_hz: f64, fs: f64) -> f64 {
        let w = 2.0 * PI * f_hz / fs;
        let (s1, c1) = w.sin_cos();
        let (s2, c2) = (2.0 * w).sin_cos();
        let [b0, b1, b2] = self.b;
        let [a1, a2] = self.a;
        let num = (b0 + b1 * c1 + b2 * c2).powi(2) + (b1 * s1 + b2 * s2).powi(2);
        let den = (1.0 + a1 * c1 + a2 * c2).powi(2) + (a1 * s1 + a2 * s2).powi(2);
        num / den
    }
}

/// The compressible band of one EMG channel: its edges when rested and the rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Band {
    pub low_hz: f64,
    pub high_hz: f64,
    pub fs: f64,
}

impl Band {
    /// The two sections at compression `c`.
    pub fn sections(&self, c: f64) -> [Biquad; 2] {
        [
            Biquad::highpass(c * self.low_hz, self.fs),
            Biquad::lowpass(c * self.high_hz, self.fs),
        ]
    }

    /// f ↦ |H_c(f)|² of the cascade at compression `c`, before normalisation.
    pub fn power(&self, c: f64) -> impl Fn(f64) -> f64 {
        let [hp, lp] = self.sections(c);
        let fs = self.fs;
        move |f_hz| hp.power(f_hz, fs) * lp.power(f_hz, fs)
    }

    /// Output variance for unit-variance white input, `(1/π)∫₀^π |H_c|² dω` (midpoint
    /// rule).
    pub fn variance(&self, c: f64) -> f64 {
        let df = 0.5 * self.fs / GAIN_INTEGRAL_POINTS as f64;
        let power = self.power(c);
        let sum: f64 = (0..GAIN_INTEGRAL_POINTS)
            .map(|i| power((i as f64 + 0.5) * df))
            .sum();
        sum / GAIN_INTEGRAL_POINTS as f64
    }
}

/// A streaming, time-varying shaping filter with unit output variance.
#[derive(Debug, Clone)]
pub(crate) struct Shaper {
    band: Band,
    /// Lowest tabulated compression and the table step.
    c_min: f64,
    c_step: f64,
    /// 1/√variance at `c_min + i·c_step`.
    norm: Vec<f64>,
    /// Direct form I state per section: x[n−1], x[n−2], y[n−1], y[n−2].
    state: [[f64; 4]; 2],
}

impl Shaper {
    /// A shaper for compressions in `[c_min, 1]`, at rest.
    pub fn new(band: Band, c_min: f64) -> Shaper {
        let points = if c_min < 1.0 { GAIN_TABLE_POINTS } else { 1 };
        let c_step = if points > 1 {
            (1.0 - c_min) / (points - 1) as f64
        } else {
            0.0
        };
        let norm = (0..points)
            .map(|i| 1.0 / band.variance(c_min + i as f64 * c_step).sqrt())
            .collect();
        Shaper {
            band,
            c_min,
            c_step,
            norm,
            state: [[0.0; 4]; 2],
        }
    }

    /// Back to rest.
    pub fn reset(&mut self) {
        self.state = [[0.0; 4]; 2];
    }

    /// 1/√variance at `c`, linearly interpolated in the table.
    fn normalisation(&self, c: f64) -> f64 {
        if self.norm.len() == 1 {
            return self.norm[0];
        }
        let last = self.norm.len() - 1;
        let x = ((c - self.c_min) / self.c_step).clamp(0.0, last as f64);
        let i = (x.floor() as usize).min(last - 1);
        let frac = x - i as f64;
        self.norm[i] + frac * (self.norm[i + 1] - self.norm[i])
    }

    /// Filters one input sample with the sections of compression `c`.
    pub fn step(&mut self, c: f64, input: f64) -> f64 {
        let mut x = input;
        for (s, z) in self.band.sections(c).iter().zip(self.state.iter_mut()) {
            let y = s.b[0] * x + s.b[1] * z[0] + s.b[2] * z[1] - s.a[0] * z[2] - s.a[1] * z[3];
            *z = [x, z[0], y, z[2]];
            x = y;
        }
        x * self.normalisation(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::noise::{normal_pair, stream_key};

    #[test]
    fn butterworth_sections_are_minus_3db_at_their_corners() {
        let fs = 2000.0;
        let lp = Biquad::lowpass(150.0, fs);
        let hp = Biquad::highpass(50.0, fs);
        assert!((lp.power(150.0, fs) - 0.5).abs() < 1e-12);
        assert!((hp.power(50.0, fs) - 0.5).abs() < 1e-12);
        assert!((lp.power(0.0, fs) - 1.0).abs() < 1e-12);
        assert!((hp.power(999.999, fs) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn output_variance_is_one_at_every_compression() {
        let band = Band {
            low_hz: 50.0,
            high_hz: 150.0,
            fs: 2000.0,
        };
        let key = stream_key(3, 1);
        for c in [1.0, 0.9, 0.73] {
            let mut shaper = Shaper::new(band, 0.7);
            let n = 200_000u64;
            let mut sq = 0.0;
            for i in 0..n {
                let y = shaper.step(c, normal_pair(key, i).0);
                if i >= 1000 {
                    sq += y * y;
                }
            }
            let var = sq / (n - 1000) as f64;
            assert!((var - 1.0).abs() < 0.03, "c = {c}: variance {var}");
        }
    }
}
