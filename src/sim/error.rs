//! What can stop the simulator from starting: a setting it cannot simulate, named with its
//! value and what would be right. Once built, a simulator never fails.

use thiserror::Error;

use crate::dsp::DspError;
use crate::montage::MontageError;

/// Why a [`SimSettings`](super::SimSettings) cannot be simulated.
#[derive(Debug, Error)]
pub enum SimError {
    /// The sample rate is below [`MIN_SAMPLE_RATE_HZ`](super::MIN_SAMPLE_RATE_HZ).
    #[error(
        "simulator: sample_rate_hz = {sample_rate_hz} Hz is too low; use at least {min_hz} Hz \
         (the EMG band reaches 0.45·sample_rate_hz, and surface EMG needs 1000 Hz or more)"
    )]
    RateTooLow { sample_rate_hz: f64, min_hz: f64 },
    /// A setting outside the range the model can use.
    #[error("simulator: {key} = {value}: {problem}")]
    Setting {
        key: &'static str,
        value: f64,
        problem: String,
    },
    /// The scenario's montage broke a montage rule (a bug in the simulator, reported
    /// rather than hidden).
    #[error("simulator: the scenario's montage is invalid: {0}")]
    Montage(#[from] MontageError),
    /// A filter of the model or of the truth computation could not be designed.
    #[error("simulator: {0}")]
    Dsp(#[from] DspError),
}

impl SimError {
    pub(crate) fn setting(key: &'static str, value: f64, problem: impl Into<String>) -> SimError {
        SimError::Setting {
            key,
            value,
            problem: problem.into(),
        }
    }
}
