//! One filter as the run filters: causal (forward only, block by block) or zero-phase (by
//! overlapping stretches, see [`ZeroPhaseStream`]), over one channel or several
//! interleaved ones side by side in the SIMD lanes. Each channel's output is the same bit
//! for bit whatever the number of lanes.

use crate::dsp::error::DspError;
use crate::dsp::filtfilt_stream::ZeroPhaseStream;
use crate::dsp::sos::Section;
use crate::dsp::sosfilt::SosFilter;

use super::plan::{Filtering, Plan};

/// A filter over `lanes` interleaved channels.
#[derive(Debug)]
pub(super) enum RunFilter {
    Causal { filter: SosFilter, started: bool },
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
        if let RunFilter::Causal { filter, started } = self {
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
            RunFilter::Causal { filter, started } => {
                *started |= !x.is_empty();
                let start = out.len();
                out.extend_from_slice(x);
                filter.process_in_place(&mut out[start..]);
            }
            RunFilter::ZeroPhase(stream) => stream.feed(x, last, out),
        }
    }
}

/// `x` through `filter`, when there is one, into `buf` (the frames now final; every one
/// left when `last`); else `x` itself.
pub(super) fn through<'a>(
    filter: &mut Option<RunFilter>,
    x: &'a [f64],
    last: bool,
    buf: &'a mut Vec<f64>,
) -> &'a [f64] {
    let Some(filter) = filter else { return x };
    buf.clear();
    filter.feed(x, last, buf);
    buf
}
