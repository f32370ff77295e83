//! Onsets of one EMG channel, zero-phase, block by block: ψ from [`TkeoBlocks`] (the
//! whole signal's ends, in blocks), the 50 Hz low-pass of |y| and |ψ| by overlapping
//! stretches (in the channel's group), the 25 ms centred means (`CentredMean`,
//! identical for any blocks), then [`OnsetOffline`], whose test signals wait in traces
//! for the baseline of the whole recording. Memory stays bounded by the blocks however
//! long the recording.

use crate::dsp::tkeo::TkeoBlocks;
use crate::montage::OnsetMethod;

use super::moving_mean::CentredMean;
use super::onset_detectors::Onsets;
use super::onset_offline::OnsetOffline;
use super::plan::Plan;
use super::trace::TraceMaker;

/// The zero-phase onset chain of one EMG channel, but for the 50 Hz low-pass of |y| and
/// |ψ|, which runs in the channel's group
/// ([`EmgGroup`](super::emg_group::EmgGroup)) beside the other channels'.
pub struct OnsetZeroPhase {
    tkeo: TkeoBlocks,
    /// The 25 ms means of the low-passed |y| (Hodges–Bui) and |ψ| (TKEO).
    means: [CentredMean; 2],
    onsets: OnsetOffline,
    /// |ψ| of the current block.
    pub psi: Vec<f64>,
    /// The current block's test signal (reused).
    mean: Vec<f64>,
}

impl OnsetZeroPhase {
    /// The chain of channel `channel`, its test signals kept in traces `make_trace` gives.
    pub fn new(plan: &Plan, channel: usize, make_trace: &mut TraceMaker<'_>) -> OnsetZeroPhase {
        OnsetZeroPhase {
            tkeo: TkeoBlocks::default(),
            means: std::array::from_fn(|_| CentredMean::new(plan.onset.mean_window)),
            onsets: OnsetOffline::new(&plan.onset, &mut |kept| make_trace(channel, kept)),
            psi: Vec::new(),
            mean: Vec::new(),
        }
    }

    /// Feeds the next final samples of y (the last ones when `last`); leaves their |ψ| in
    /// [`OnsetZeroPhase::psi`].
    pub fn push_y(&mut self, y: &[f64], last: bool) {
        self.psi.clear();
        self.tkeo.push(y, &mut self.psi);
        if last {
            self.tkeo.finish(&mut self.psi);
        }
        for v in &mut self.psi {
            *v = v.abs();
        }
    }

    /// Feeds the next samples of |y| (`rectified`) and of the low-passed |y| and |ψ|
    /// (`lowpassed`, from sample 0 each, in any step with one another), the last ones
    /// when `last`.
    pub fn push_tests(
        &mut self,
        plan: &Plan,
        rectified: &[f64],
        lowpassed: [&[f64]; 2],
        last: bool,
    ) {
        self.onsets
            .push(&plan.onset, OnsetMethod::Bonato, rectified);
        let methods = [OnsetMethod::HodgesBui, OnsetMethod::Tkeo];
        for ((mean, x), method) in self.means.iter_mut().zip(lowpassed).zip(methods) {
            self.mean.clear();
            mean.push(x, &mut self.mean);
            if last {
                mean.finish(&mut self.mean);
            }
            self.onsets.push(&plan.onset, method, &self.mean);
        }
        if last {
            // The channel is over: give the room of its blocks back before the results
            // of the whole recording are assembled.
            self.psi = Vec::new();
            self.mean = Vec::new();
        }
    }

    /// The onsets of the whole channel (after the last push).
    pub fn finish(&mut self, plan: &Plan) -> Onsets {
        self.onsets.finish(&plan.onset)
    }
}
