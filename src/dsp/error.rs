//! Errors raised when DSP settings are validated.
//!
//! Every kernel checks its settings once, at construction, and reports the offending value
//! here; the processing calls themselves never fail.

use thiserror::Error;

/// A setting that no filter or estimator can be built from.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DspError {
    /// The sample rate is zero, negative or not finite.
    #[error("sample rate must be a positive, finite number of Hz, got {0}")]
    BadSampleRate(f64),
    /// A cut-off or centre frequency is outside (0, Nyquist).
    #[error(
        "frequency {frequency_hz} Hz must lie strictly between 0 and the Nyquist frequency \
         {nyquist_hz} Hz (sample rate {sample_rate_hz} Hz)"
    )]
    FrequencyOutOfRange {
        frequency_hz: f64,
        nyquist_hz: f64,
        sample_rate_hz: f64,
    },
    /// A band whose lower edge is not below its upper edge.
    #[error("band lower edge {low_hz} Hz must be below its upper edge {high_hz} Hz")]
    BandEdgesReversed { low_hz: f64, high_hz: f64 },
    /// A filter order of zero.
    #[error("filter order must be at least 1, got {0}")]
    ZeroOrder(usize),
    /// A notch quality factor that is zero, negative or not finite.
    #[error("notch quality factor Q must be a positive, finite number, got {0}")]
    BadQuality(f64),
    /// A window or hop that rounds to fewer samples than the estimator needs.
    #[error("{what} of {seconds} s is {samples} samples at {sample_rate_hz} Hz; it needs at least {min_samples}")]
    WindowTooShort {
        what: &'static str,
        seconds: f64,
        samples: usize,
        sample_rate_hz: f64,
        min_samples: usize,
    },
    /// A duration that is zero, negative or not finite.
    #[error("{what} must be a positive, finite number of seconds, got {seconds}")]
    BadDuration { what: &'static str, seconds: f64 },
    /// A channel count of zero.
    #[error("a filter needs at least one channel")]
    NoChannels,
    /// Second-order sections that are not normalised (a0 must be 1) or not finite.
    #[error("second-order section {index} is invalid: {reason}")]
    BadSection { index: usize, reason: &'static str },
}

/// Checks that `sample_rate_hz` is positive and finite.
pub fn check_rate(sample_rate_hz: f64) -> Result<(), DspError> {
    if sample_rate_hz.is_finite() && sample_rate_hz > 0.0 {
        Ok(())
    } else {
        Err(DspError::BadSampleRate(sample_rate_hz))
    }
}

/// Checks that `frequency_hz` lies strictly inside (0, fs/2).
pub fn check_frequency(frequency_hz: f64, sample_rate_hz: f64) -> Result<(), DspError> {
    check_rate(sample_rate_hz)?;
    let nyquist_hz = sample_rate_hz / 2.0;
    if frequency_hz.is_finite() && frequency_hz > 0.0 && frequency_hz < nyquist_hz {
        Ok(())
    } else {
        Err(DspError::FrequencyOutOfRange {
            frequency_hz,
            nyquist_hz,
            sample_rate_hz,
        })
    }
}
