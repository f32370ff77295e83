//! One filter as the run filters: causal (forward only, block by block) or zero-phase (by
//! overlapping stretches, see [`ZeroPhaseStream`]), over one channel or several
//! interleaved ones side by side in the SIMD lanes. Each channel's output is the same bit
//! for bit whatever the number of lanes.

use crate::dsp::error::DspError;
use crate::dsp::filtfilt_stream::{Parts, ZeroPhaseStream};
use crate::dsp::sos::Section;
use crate::dsp::sosfilt::SosFilter;

use super::plan::{Filtering, Plan};

/// A filter over `lanes` interleaved channels.
#[derive(Debug)]
pub(super) enum RunFilter {
    /// `out` holds the frames of the last [`RunFilter::feed_final`].
    Causal {
        filter: SosFilter,
        started: bool,
        out: Vec<f64>,
    },
    ZeroPhase(Box<ZeroPhaseStream>),
}

impl RunFilter {
    /// `sections` over `lanes` channels, as `plan` filters (zero-phase in stretches of at
    /// least the plan's length).
    pub(super) fn new(
        plan: &Plan,
        sections: &[Section],
        lanes: usize,
    ) -> Result<RunFilter, DspError> {
        Ok(match plan.filtering {
            Filtering::Causal => RunFilter::Causal {
                filter: SosFilter::new(sections, lanes)?,
                started: false,
                out: Vec::new(),
            },
            Filtering::ZeroPhase => RunFilter::ZeroPhase(Box::new(ZeroPhaseStream::economical(
                sections,
                lanes,
                plan.stretch_frames,
            )?)),
        })
    }

    /// Causal: before the first frame, settles every lane on its level (one per lane, from
    /// `levels`), as if the signal had always been there, so a DC offset (electrodes, ADC
    /// mid-scale, the resting force) causes no start-up transient. Zero-phase filtering
    /// pads its ends instead, so this does nothing there.
    pub(super) fn settle_once(&mut self, levels: impl FnOnce() -> Vec<f64>) {
        if let RunFilter::Causal {
            filter, started, ..
        } = self
        {
            if !*started {
                filter.settle_on(&levels());
                *started = true;
            }
        }
    }

    /// Causal: settles every lane on its first sample in `x` (the first frame), once; see
    /// [`RunFilter::settle_once`].
    pub(super) fn settle_on_first_frame(&mut self, x: &[f64]) {
        if let RunFilter::Causal { filter, .. } = self {
            if let Some(frame) = x.get(..filter.channels()) {
                self.settle_once(|| frame.to_vec());
            }
        }
    }

    /// Feeds interleaved frames (the last ones when `last`); appends the filtered frames
    /// that are final to `out`: all of them when causal, a stretch later when zero-phase.
    pub(super) fn feed(&mut self, x: &[f64], last: bool, out: &mut Vec<f64>) {
        match self {
            RunFilter::Causal {
                filter, started, ..
            } => causal(filter, started, x, out),
            RunFilter::ZeroPhase(stream) => stream.feed(x, last, out),
        }
    }

    /// As [`RunFilter::feed`], giving the frames now final from the filter's own buffer
    /// (zero-phase: where the backward pass wrote them, no copy, in two parts when they
    /// wrap around the end of its ring), until the next call.
    pub(super) fn feed_final(&mut self, x: &[f64], last: bool) -> Parts<'_> {
        match self {
            RunFilter::Causal {
                filter,
                started,
                out,
            } => {
                out.clear();
                causal(filter, started, x, out);
                [out, &[]]
            }
            RunFilter::ZeroPhase(stream) => stream.feed_final(x, last),
        }
    }

    /// Gives the buffers' room back, once the last frames have been taken.
    pub(super) fn release(&mut self) {
        match self {
            RunFilter::Causal { out, .. } => *out = Vec::new(),
            RunFilter::ZeroPhase(stream) => stream.release(),
        }
    }
}

/// Appends `x` through the causal `filter` to `out`.
fn causal(filter: &mut SosFilter, started: &mut bool, x: &[f64], out: &mut Vec<f64>) {
    *started |= !x.is_empty();
    let start = out.len();
    out.extend_from_slice(x);
    filter.process_in_place(&mut out[start..]);
}

/// `x` through `filter`, when there is one (the frames now final, every one left when
/// `last`, from the filter's buffer); else `x` itself.
pub(super) fn through<'a>(
    filter: &'a mut Option<RunFilter>,
    x: &'a [f64],
    last: bool,
) -> Parts<'a> {
    match filter {
        Some(filter) => filter.feed_final(x, last),
        None => [x, &[]],
    }
}
