//! Linear envelope: full-wave rectification, then a Butterworth order-2 low-pass, negative
//! values clipped to 0 (DESIGN.md, "linear envelope"). Zero-phase for whole recordings,
//! causal for streams.

use super::butterworth::{butter, Band};
use super::error::DspError;
use super::filtfilt::ZeroPhase;
use super::sosfilt::SosFilter;

/// Order of the envelope low-pass (Winter's convention).
pub const ENVELOPE_ORDER: usize = 2;

/// The envelope's low-pass as second-order sections.
fn lowpass(
    lowpass_hz: f64,
    sample_rate_hz: f64,
) -> Result<Vec<crate::dsp::sos::Section>, DspError> {
    butter(
        ENVELOPE_ORDER,
        Band::LowPass {
            cutoff_hz: lowpass_hz,
        },
        sample_rate_hz,
    )
}

/// Streaming (causal) linear envelope of interleaved channels.
#[derive(Debug, Clone)]
pub struct Envelope {
    lowpass: SosFilter,
}

impl Envelope {
    /// An envelope with a low-pass at `lowpass_hz` for `channels` channels at
    /// `sample_rate_hz`.
    pub fn new(
        lowpass_hz: f64,
        sample_rate_hz: f64,
        channels: usize,
    ) -> Result<Envelope, DspError> {
        let sos = lowpass(lowpass_hz, sample_rate_hz)?;
        Ok(Envelope {
            lowpass: SosFilter::new(&sos, channels)?,
        })
    }

    /// Rectifies and smooths interleaved frames of `input` into `output`; state carries over
    /// to the next call. Never allocates.
    ///
    /// # Panics
    /// If the lengths differ or are not a whole number of frames.
    pub fn process(&mut self, input: &[f64], output: &mut [f64]) {
        assert_eq!(input.len(), output.len(), "input and output lengths differ");
        for (o, i) in output.iter_mut().zip(input) {
            *o = i.abs();
        }
        self.lowpass.process_in_place(output);
        clip_negative(output);
    }

    /// Returns the filter to rest.
    pub fn reset(&mut self) {
        self.lowpass.reset();
    }
}

/// Zero-phase linear envelope of interleaved frames (whole recordings).
#[derive(Debug, Clone)]
pub struct ZeroPhaseEnvelope {
    lowpass: ZeroPhase,
    rectified: Vec<f64>,
}

impl ZeroPhaseEnvelope {
    /// See [`Envelope::new`].
    pub fn new(
        lowpass_hz: f64,
        sample_rate_hz: f64,
        channels: usize,
    ) -> Result<ZeroPhaseEnvelope, DspError> {
        let sos = lowpass(lowpass_hz, sample_rate_hz)?;
        Ok(ZeroPhaseEnvelope {
            lowpass: ZeroPhase::new(&sos, channels)?,
            rectified: Vec::new(),
        })
    }

    /// Envelope of interleaved frames `input` into `output`.
    ///
    /// # Panics
    /// If the lengths differ or are not a whole number of frames.
    pub fn apply(&mut self, input: &[f64], output: &mut [f64]) {
        self.rectified.clear();
        self.rectified.extend(input.iter().map(|v| v.abs()));
        self.lowpass.apply(&self.rectified, output);
        clip_negative(output);
    }
}

fn clip_negative(x: &mut [f64]) {
    for v in x {
        *v = v.max(0.0);
    }
}
