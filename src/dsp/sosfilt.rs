//! Causal, streaming filtering of many channels through one cascade of second-order
//! sections.
//!
//! Samples arrive as interleaved frames (`[ch0, ch1, …, ch0, ch1, …]`, one frame per sample
//! instant, as a device sends them and as `/raw/samples` stores them). The state of every
//! channel is carried across calls, so a signal cut into blocks of any size gives the same
//! output as the whole signal in one call.
//!
//! State is laid out section by section with the channels side by side, so the inner loop
//! runs the same biquad over neighbouring channels at once: one biquad chain is bound by
//! the latency of its recursion, but independent channels fill the SIMD lanes. The loop
//! itself lives in `sos_lanes` (AVX-512 or AVX2 when the CPU has them, the baseline
//! otherwise, with bit-identical results).

use super::error::DspError;
use super::isa::Isa;
use super::sos::{self, Section};
use super::sos_lanes;

/// How many channels one filter should run side by side on this CPU: four (AVX2, or
/// no vector extension), eight with AVX-512, whose 32 registers hold eight channels'
/// state. Channels filtered in groups of this size keep the vector units busiest.
pub fn lanes_for_this_cpu() -> usize {
    Isa::detect().filter_lanes()
}

/// A multi-channel transposed direct-form II cascade (scipy's `sosfilt`, applied to each
/// channel).
///
/// ```
/// use myobalance::dsp::butterworth::{butter, Band};
/// use myobalance::dsp::sosfilt::SosFilter;
/// let sos = butter(2, Band::LowPass { cutoff_hz: 6.0 }, 2000.0).unwrap();
/// let mut f = SosFilter::new(&sos, 2).unwrap();
/// let input = vec![1.0; 2 * 4000]; // two channels, 2 s of a unit step
/// let mut out = vec![0.0; input.len()];
/// f.process(&input, &mut out);
/// assert!((out[out.len() - 1] - 1.0).abs() < 1e-6); // settled at the DC gain
/// ```
#[derive(Debug, Clone)]
pub struct SosFilter {
    sections: Vec<Section>,
    channels: usize,
    /// Per section: `channels` values of z1, then `channels` values of z2.
    state: Vec<f64>,
    isa: Isa,
}

impl SosFilter {
    /// A filter for `channels` interleaved channels, all at rest.
    pub fn new(sections: &[Section], channels: usize) -> Result<SosFilter, DspError> {
        sos::validate(sections)?;
        if channels == 0 {
            return Err(DspError::NoChannels);
        }
        Ok(SosFilter {
            sections: sections.to_vec(),
            channels,
            state: vec![0.0; sections.len() * 2 * channels],
            isa: Isa::detect(),
        })
    }

    /// Number of interleaved channels this filter expects.
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// The sections this filter runs.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// Returns every channel to rest (zero state), as a new filter.
    pub fn reset(&mut self) {
        self.state.fill(0.0);
    }

    /// Sets the state to what it would be after an endless constant input of `levels[c]` on
    /// channel c (scipy's `sosfilt_zi(sos) * level`), so filtering starts without a
    /// transient.
    ///
    /// # Panics
    /// If `levels.len()` differs from the channel count.
    pub fn settle_on(&mut self, levels: &[f64]) {
        assert_eq!(levels.len(), self.channels, "one level per channel");
        let n = self.channels;
        for (s, zi) in sos::step_states(&self.sections).iter().enumerate() {
            let block = &mut self.state[s * 2 * n..(s + 1) * 2 * n];
            let (z1, z2) = block.split_at_mut(n);
            for ((z1, z2), &level) in z1.iter_mut().zip(z2.iter_mut()).zip(levels) {
                *z1 = zi[0] * level;
                *z2 = zi[1] * level;
            }
        }
    }

    /// Filters interleaved frames from `input` into `output`. Never allocates.
    ///
    /// # Panics
    /// If the lengths differ or are not a whole number of frames.
    pub fn process(&mut self, input: &[f64], output: &mut [f64]) {
        assert_eq!(input.len(), output.len(), "input and output lengths differ");
        self.run(Some(input), output, false);
    }

    /// Filters interleaved frames in place, first frame first. Never allocates.
    ///
    /// # Panics
    /// If `data` is not a whole number of frames.
    pub fn process_in_place(&mut self, data: &mut [f64]) {
        self.run(None, data, false);
    }

    /// Filters interleaved frames in place, last frame first (the backward pass of
    /// zero-phase filtering). Never allocates.
    ///
    /// # Panics
    /// If `data` is not a whole number of frames.
    pub fn process_in_place_reversed(&mut self, data: &mut [f64]) {
        self.run(None, data, true);
    }

    fn run(&mut self, input: Option<&[f64]>, data: &mut [f64], reverse: bool) {
        assert_eq!(
            data.len() % self.channels,
            0,
            "data is not a whole number of frames"
        );
        sos_lanes::filter(
            self.isa,
            &self.sections,
            &mut self.state,
            self.channels,
            input,
            data,
            reverse,
        );
    }
}
