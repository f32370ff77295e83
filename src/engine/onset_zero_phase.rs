//! Onsets of one EMG channel, zero-phase, block by block: ψ (`TkeoBlocks`: the whole
//! signal's ends, in blocks), the 50 Hz low-pass of |y| and |ψ| by overlapping stretches
//! and their 25 ms centred means, all in the channel's group beside the other channels',
//! then [`OnsetOffline`], whose test signals wait in traces for the baseline of the whole
//! recording. Memory stays bounded by the blocks however long the recording.

use crate::montage::OnsetMethod;

use super::onset_detectors::Onsets;
use super::onset_offline::OnsetOffline;
use super::plan::Plan;
use super::trace::TraceMaker;

/// The zero-phase onset chain of one EMG channel, but for ψ, the 50 Hz low-pass of |y|
/// and |ψ| and its 25 ms means, which run in the channel's group
/// ([`EmgGroup`](super::emg_group::EmgGroup)) beside the other channels'.
pub struct OnsetZeroPhase {
    onsets: OnsetOffline,
}

impl OnsetZeroPhase {
    /// The chain of channel `channel`, its test signals kept in traces `make_trace` gives.
    pub fn new(plan: &Plan, channel: usize, make_trace: &mut TraceMaker<'_>) -> OnsetZeroPhase {
        OnsetZeroPhase {
            onsets: OnsetOffline::new(&plan.onset, &mut |kept| make_trace(channel, kept)),
        }
    }

    /// Feeds the next samples of |y| (`rectified`) and of the 25 ms means of the
    /// low-passed |y| and |ψ| (`tests`: Hodges–Bui's and TKEO's test signals, from sample
    /// 0 each, in any step with one another).
    pub fn push_tests(&mut self, plan: &Plan, rectified: &[f64], tests: [&[f64]; 2]) {
        self.onsets
            .push(&plan.onset, OnsetMethod::Bonato, rectified);
        let methods = [OnsetMethod::HodgesBui, OnsetMethod::Tkeo];
        for (x, method) in tests.into_iter().zip(methods) {
            self.onsets.push(&plan.onset, method, x);
        }
    }

    /// The onsets of the whole channel (after the last push).
    pub fn finish(&mut self, plan: &Plan) -> Onsets {
        self.onsets.finish(&plan.onset)
    }
}
