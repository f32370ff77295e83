//! EMG channels filtered side by side. Every EMG channel runs the same band-pass, the
//! same envelope low-pass and the same onset low-pass of |y| and |ψ|, so a
//! group of channels goes through one multi-channel filter for each, whose channels fill
//! the SIMD lanes ([`SosFilter`](crate::dsp::sosfilt::SosFilter)): one biquad recursion is
//! bound by its latency, four independent ones cost about as much. Each channel's output
//! is the same bit for bit as filtering it alone.
//!
//! ```text
//! per channel: notch? ─► ready ─► interleave ─► band-pass ─► y, per channel:
//!     windows, tremor, |y|, |ψ| (causal) ─► interleave ─┬─► envelope low-pass ─► per channel: envelope
//!                                  |ψ| (zero-phase) ─►  └─► onset low-pass of |y| and |ψ|
//!                                                           ─► 25 ms means (zero-phase)
//!                                                           ─► baseline window sums
//!                                                              (of the means and |y|)
//!                                                           ─► per channel: onsets
//! ```
//!
//! A zero-phase notch hands its samples on a stretch later, so channels of a group may be
//! out of step: the group takes the frames every channel has. When no channel of the group
//! is notched (or waiting for the notch to be decided), their samples are gathered from
//! the block's frames straight into the band-pass's lanes, in one pass. The channels' own work
//! (features, onset chains) runs in parallel.

use crate::dsp::error::DspError;
use crate::dsp::tkeo::TkeoBlocks;
use crate::features::onset_baseline::{LaneWindowedSums, WindowSums};
use crate::montage::OnsetMethod;

use super::each::each;
use super::emg::{envelope_scale, EmgChannel};
use super::frames::{self, interleave, Block};
use super::moving_mean::CentredMean;
use super::plan::{Filtering, Plan};
use super::run_filter::{through, RunFilter};
use super::trace::TraceMaker;

/// The steps of the zero-phase onset chain a group runs over every lane at once (causal
/// runs take ψ and trailing means in each channel's chain).
struct ZeroPhaseLanes {
    /// ψ of y.
    tkeo: TkeoBlocks,
    /// The centred 25 ms means of the low-passed |y| and |ψ|.
    means: [CentredMean; 2],
    /// The sums of each detector's test signal over each window of the rest baseline
    /// (the two means, and |y| for Bonato's), in `OnsetMethod::ALL` order.
    sums: [LaneWindowedSums; 3],
    /// The windows a block completes, every lane's (reused).
    done: Vec<WindowSums>,
}

/// Up to [`Plan::lanes`](super::plan::Plan::lanes) EMG channels and their shared filters.
pub struct EmgGroup {
    pub members: Vec<EmgChannel>,
    /// The members' montage indices, in lane order.
    channels: Vec<usize>,
    bandpass: RunFilter,
    envelope: RunFilter,
    /// Each member's envelope scale (100 / MVC, or 1 without one).
    scales: Vec<f64>,
    /// The onset test signals' low-pass of |y| and of |ψ| (`None` when the plan has none).
    onset_lowpass: [Option<RunFilter>; 2],
    /// Zero-phase: ψ and the onset means, every lane at once.
    lanes: Option<ZeroPhaseLanes>,
    /// Reused interleaved blocks: notched x, |y|, |ψ|, the two means (the filters hold
    /// their outputs).
    x: Vec<f64>,
    rectified: Vec<f64>,
    psi: Vec<f64>,
    tests: [Vec<f64>; 2],
}

impl EmgGroup {
    /// The EMG channels `channels` of `plan` (at least one).
    pub fn new(
        plan: &Plan,
        channels: &[usize],
        make_trace: &mut TraceMaker<'_>,
    ) -> Result<EmgGroup, DspError> {
        let lanes = channels.len();
        let onset_lowpass = || {
            plan.onset
                .lowpass
                .as_deref()
                .map(|sections| RunFilter::new(plan, sections, lanes))
                .transpose()
        };
        Ok(EmgGroup {
            channels: channels.to_vec(),
            members: channels
                .iter()
                .map(|&c| EmgChannel::new(plan, c, make_trace))
                .collect::<Result<_, _>>()?,
            scales: channels.iter().map(|&c| envelope_scale(plan, c)).collect(),
            bandpass: RunFilter::new(plan, &plan.bandpass, lanes)?,
            envelope: RunFilter::new(plan, &plan.envelope, lanes)?,
            onset_lowpass: [onset_lowpass()?, onset_lowpass()?],
            lanes: (plan.filtering == Filtering::ZeroPhase).then(|| ZeroPhaseLanes {
                tkeo: TkeoBlocks::lanes(lanes),
                means: std::array::from_fn(|_| CentredMean::lanes(plan.onset.mean_window, lanes)),
                sums: std::array::from_fn(|_| {
                    LaneWindowedSums::new(plan.onset.rest_window, lanes, plan.onset.skip)
                }),
                done: Vec::new(),
            }),
            x: Vec::new(),
            rectified: Vec::new(),
            psi: Vec::new(),
            tests: Default::default(),
        })
    }

    /// Whether every channel's next samples go straight to the band-pass: the group then
    /// gathers them from the block's frames into its lanes.
    pub(super) fn gathers(&self) -> bool {
        self.members.iter().all(EmgChannel::goes_straight)
    }

    /// Feeds each channel its samples of a block, or, with `None`, ends the signal. Each
    /// channel's [`EmgChannel::envelope`] then holds the envelope of the samples made
    /// final. The channels' own work runs on the pool when `wide`.
    pub(super) fn run(&mut self, plan: &Plan, block: Option<&Block>, wide: bool) {
        let last = block.is_none();
        let gathered = block.filter(|_| self.gathers());
        each(&mut self.members, wide, |_, m| {
            m.envelope.clear();
            match gathered {
                Some(block) => m.note_first(block),
                None => m.take(plan, block.map(Block::columns)),
            }
        });
        let members = &self.members;
        // Samples of every channel taken from `ready` (none when gathered).
        let common = match gathered {
            Some(_) => 0,
            None => members.iter().map(|m| m.ready.len()).min().unwrap_or(0),
        };
        let frames = gathered.map_or(common, Block::frames);
        if frames == 0 && !last {
            return;
        }
        self.bandpass
            .settle_once(|| members.iter().map(|m| m.first().unwrap_or(0.0)).collect());
        let x = match gathered {
            Some(block) => block.gather(&mut self.x, &self.channels),
            None => interleave(&mut self.x, members.iter().map(|m| &m.ready[..common])),
        };
        let y = self.bandpass.feed_final(x, last);
        for m in &mut self.members {
            m.ready.drain(..common);
        }
        // |y| of every lane at once, where the band-pass wrote it: the same values as each
        // channel's own |y|, interleaved as the low-passes of |y| read them.
        let rectified = frames::absolute(&mut self.rectified, y);
        if let Some(ZeroPhaseLanes { tkeo, .. }) = &mut self.lanes {
            // |ψ| of every lane, where the band-pass wrote y.
            self.psi.clear();
            for part in y {
                tkeo.push(part, &mut self.psi);
            }
            if last {
                tkeo.finish(&mut self.psi);
            }
            for v in &mut self.psi {
                *v = v.abs();
            }
        }
        frames::split(y, &mut self.members, |m| &mut m.y, |_, v| v);
        each(&mut self.members, wide, |_, m| m.features());
        let envelopes = self.envelope.feed_final(&self.rectified[..rectified], last);
        let scales = &self.scales;
        frames::split(
            envelopes,
            &mut self.members,
            |m| &mut m.envelope,
            |lane, v| v.max(0.0) * scales[lane],
        );
        self.onset_tests(plan, rectified, last, wide);
        if last {
            each(&mut self.members, wide, |_, m| m.finish(plan));
            let [hb, tkeo] = &mut self.tests;
            for buffer in [&mut self.x, &mut self.rectified, &mut self.psi, hb, tkeo] {
                *buffer = Vec::new();
            }
            let [abs, psi] = &mut self.onset_lowpass;
            for filter in [&mut self.bandpass, &mut self.envelope]
                .into_iter()
                .chain(abs.as_mut())
                .chain(psi.as_mut())
            {
                filter.release();
            }
        }
    }
}

impl EmgGroup {
    /// Low-passes the block's |y| (the first `rectified` values of `self.rectified`) and
    /// |ψ| of every channel side by side (zero-phase, and their centred means) and feeds
    /// each channel's onset chain its test signals.
    fn onset_tests(&mut self, plan: &Plan, rectified: usize, last: bool, wide: bool) {
        let psi = match self.lanes {
            Some(_) => &self.psi[..],
            None => interleave(&mut self.psi, self.members.iter().map(|m| m.psi())),
        };
        let [abs_lowpass, psi_lowpass] = &mut self.onset_lowpass;
        let out = [
            through(abs_lowpass, &self.rectified[..rectified], last),
            through(psi_lowpass, psi, last),
        ];
        for (k, parts) in out.into_iter().enumerate() {
            let members = &mut self.members;
            let Some(ZeroPhaseLanes {
                means, sums, done, ..
            }) = &mut self.lanes
            else {
                frames::split(parts, members, |m| &mut m.tests[k], |_, v| v);
                continue;
            };
            let tests = &mut self.tests[k];
            tests.clear();
            for part in parts {
                means[k].push(part, tests);
            }
            if last {
                means[k].finish(tests);
            }
            // Each lane's means go to its channel's trace a tile at a time, not through a
            // column of the whole block.
            frames::hand_out(tests, members, |m, x| m.keep_test(k, x));
            // The baseline windows' sums of every lane at once, while the means are hot.
            hand_windows(&mut sums[k], done, tests, members, k);
        }
        if let Some(ZeroPhaseLanes { sums, done, .. }) = &mut self.lanes {
            let k = OnsetMethod::Bonato.index();
            let rectified = &self.rectified[..rectified];
            hand_windows(&mut sums[k], done, rectified, &mut self.members, k);
        }
        each(&mut self.members, wide, |_, m| m.onset_tests(plan));
    }
}

/// Sums the baseline windows of test signal `k` of every lane of `frames` at once, and
/// hands each member those of its lane that the frames complete.
fn hand_windows(
    sums: &mut LaneWindowedSums,
    done: &mut Vec<WindowSums>,
    frames: &[f64],
    members: &mut [EmgChannel],
    k: usize,
) {
    done.clear();
    sums.push(frames, done);
    let lanes = members.len();
    for (lane, m) in members.iter_mut().enumerate() {
        let windows = &mut m.test_windows[k];
        windows.clear();
        windows.extend(done.iter().skip(lane).step_by(lanes));
    }
}
