//! Butterworth design: analog prototype → frequency transform → bilinear transform →
//! second-order sections.
//!
//! The result equals scipy's `butter(order, band, btype, fs=fs, output="sos")` (same
//! sections, same order, coefficients to rounding), so designs can be checked against it.
//!
//! ```
//! use myobalance::dsp::butterworth::{butter, Band};
//! // DESIGN.md's EMG band-pass: order 2 per edge, 20–450 Hz at 2 kHz → two sections.
//! let sos = butter(2, Band::BandPass { low_hz: 20.0, high_hz: 450.0 }, 2000.0).unwrap();
//! assert_eq!(sos.len(), 2);
//! // A cut-off at or above Nyquist is refused, naming the value.
//! assert!(butter(2, Band::LowPass { cutoff_hz: 1000.0 }, 2000.0).is_err());
//! ```

use std::f64::consts::PI;

use num_complex::Complex64;

use super::error::{check_frequency, DspError};
use super::sos::Section;
use super::zpk::Zpk;

/// Which frequencies a filter passes. Frequencies are in Hz.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Band {
    LowPass { cutoff_hz: f64 },
    HighPass { cutoff_hz: f64 },
    BandPass { low_hz: f64, high_hz: f64 },
    BandStop { low_hz: f64, high_hz: f64 },
}

impl Band {
    /// Checks that every edge lies inside (0, Nyquist) and band edges are ordered.
    pub fn validate(&self, sample_rate_hz: f64) -> Result<(), DspError> {
        match *self {
            Band::LowPass { cutoff_hz } | Band::HighPass { cutoff_hz } => {
                check_frequency(cutoff_hz, sample_rate_hz)
            }
            Band::BandPass { low_hz, high_hz } | Band::BandStop { low_hz, high_hz } => {
                check_frequency(low_hz, sample_rate_hz)?;
                check_frequency(high_hz, sample_rate_hz)?;
                if low_hz < high_hz {
                    Ok(())
                } else {
                    Err(DspError::BandEdgesReversed { low_hz, high_hz })
                }
            }
        }
    }
}

/// The analog Butterworth low-pass prototype of `order`: no zeros, poles on the left half
/// of the unit circle, gain 1 (scipy's `buttap`).
fn prototype(order: usize) -> Zpk {
    let n = order as f64;
    let poles = (0..order)
        .map(|i| {
            let m = -(order as f64) + 1.0 + 2.0 * i as f64;
            -Complex64::new(0.0, PI * m / (2.0 * n)).exp()
        })
        .collect();
    Zpk {
        zeros: Vec::new(),
        poles,
        gain: 1.0,
    }
}

/// Designs a digital Butterworth filter of `order` (per edge for band filters) as
/// second-order sections.
pub fn butter(order: usize, band: Band, sample_rate_hz: f64) -> Result<Vec<Section>, DspError> {
    if order == 0 {
        return Err(DspError::ZeroOrder(order));
    }
    band.validate(sample_rate_hz)?;
    // Pre-warp on scipy's normalised scale (Nyquist = 1, internal fs = 2) so the digital
    // edges land exactly on the requested frequencies.
    let fs = 2.0;
    let warp = |hz: f64| 2.0 * fs * (PI * (2.0 * hz / sample_rate_hz) / fs).tan();
    let analog = prototype(order);
    let analog = match band {
        Band::LowPass { cutoff_hz } => analog.lowpass(warp(cutoff_hz)),
        Band::HighPass { cutoff_hz } => analog.highpass(warp(cutoff_hz)),
        Band::BandPass { low_hz, high_hz } => {
            let (lo, hi) = (warp(low_hz), warp(high_hz));
            analog.bandpass((lo * hi).sqrt(), hi - lo)
        }
        Band::BandStop { low_hz, high_hz } => {
            let (lo, hi) = (warp(low_hz), warp(high_hz));
            analog.bandstop((lo * hi).sqrt(), hi - lo)
        }
    };
    Ok(analog.bilinear(fs).into_sections())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::sos::response;

    #[test]
    fn gain_is_minus_3db_at_the_corners() {
        let fs = 2000.0;
        let sos = butter(
            2,
            Band::BandPass {
                low_hz: 20.0,
                high_hz: 450.0,
            },
            fs,
        )
        .unwrap();
        for edge in [20.0, 450.0] {
            let g = response(&sos, edge, fs).norm();
            assert!(
                (g - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-9,
                "{edge}: {g}"
            );
        }
        let low = butter(5, Band::LowPass { cutoff_hz: 6.0 }, fs).unwrap();
        assert!((response(&low, 0.0, fs).norm() - 1.0).abs() < 1e-12);
        assert!((response(&low, 6.0, fs).norm() - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-9);
    }

    #[test]
    fn bad_settings_name_the_value() {
        let e = butter(2, Band::LowPass { cutoff_hz: 1000.0 }, 2000.0).unwrap_err();
        assert!(e.to_string().contains("1000"), "{e}");
        let e = butter(0, Band::LowPass { cutoff_hz: 10.0 }, 2000.0).unwrap_err();
        assert_eq!(e, DspError::ZeroOrder(0));
        let e = butter(2, Band::HighPass { cutoff_hz: 10.0 }, -5.0).unwrap_err();
        assert_eq!(e, DspError::BadSampleRate(-5.0));
        let e = butter(
            2,
            Band::BandPass {
                low_hz: 300.0,
                high_hz: 20.0,
            },
            2000.0,
        )
        .unwrap_err();
        assert!(matches!(e, DspError::BandEdgesReversed { .. }));
        assert!(butter(
            2,
            Band::LowPass {
                cutoff_hz: f64::NAN
            },
            2000.0
        )
        .is_err());
    }
}
