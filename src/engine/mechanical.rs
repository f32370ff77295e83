//! Force and accelerometer channels: tremor of the signal itself (Welch detrends each
//! segment, so the force level does not matter) and, for force, the force metrics of the
//! 150 Hz low-passed signal.
//!
//! Force channels go in groups, like EMG channels (see
//! [`EmgGroup`](super::emg_group::EmgGroup)): one multi-channel low-pass filters the group
//! side by side in the SIMD lanes, each channel's output the same bit for bit as filtering
//! it alone. An accelerometer channel, which has no low-pass, is a group of its own.
//!
//! The samples arrive in blocks. The first pass of the force metrics (baseline, peak,
//! MVC) runs as the low-passed samples become final (at once when causal, a stretch later
//! when zero-phase) and they go to a [`ForceTrace`]; at the end the trace is replayed once
//! through the second pass (onsets, RFD, steadiness), on the thread that ends the channel,
//! beside the other channels' ends.

use crate::dsp::error::DspError;
use crate::features::force::{ContractionPass, ForceMetrics, LevelsPass};

use super::each::each;
use super::emg::TremorPart;
use super::frames::{self, Block};
use super::plan::Plan;
use super::run_filter::RunFilter;
use super::trace::ForceTrace;

/// Force channels sharing one low-pass, or one accelerometer channel.
pub struct MechanicalGroup {
    pub members: Vec<MechanicalChannel>,
    /// The force channels' low-pass over every member (`None` for an accelerometer, or
    /// when the rate leaves no room for one).
    lowpass: Option<RunFilter>,
    /// The members' montage indices, in lane order.
    channels: Vec<usize>,
    /// The block's raw samples, gathered side by side for the low-pass (reused).
    x: Vec<f64>,
}

/// One force or accelerometer channel.
pub struct MechanicalChannel {
    /// The channel's index in the montage.
    pub channel: usize,
    pub tremor: TremorPart,
    force: Option<ForceChannel>,
    /// The channel's samples of the block, raw, then low-passed (reused).
    column: Vec<f64>,
}

/// The force metrics of one channel as its low-passed samples arrive.
struct ForceChannel {
    levels: LevelsPass,
    trace: Box<dyn ForceTrace>,
    /// The metrics of the whole signal, once it has ended.
    metrics: Option<ForceMetrics>,
}

impl ForceChannel {
    /// Feeds low-passed samples.
    fn push(&mut self, x: &[f64]) {
        self.levels.push(x);
        // A trace that fails says so when replayed: the metrics are then left undefined.
        let _ = self.trace.append(x);
    }

    /// The second pass over the trace: the metrics of everything pushed.
    fn metrics(&self, plan: &Plan) -> ForceMetrics {
        let Some(levels) = self.levels.finish() else {
            return ForceMetrics::undefined();
        };
        let mut contractions = ContractionPass::new(&plan.force, &levels);
        match self.trace.replay(&mut |x| contractions.push(x)) {
            Ok(()) => ForceMetrics::of(&levels, contractions.finish()),
            Err(_) => ForceMetrics::undefined(),
        }
    }
}

impl MechanicalChannel {
    /// Channel `channel`; a force channel keeps its low-passed signal in `trace`.
    fn new(
        plan: &Plan,
        channel: usize,
        trace: Option<Box<dyn ForceTrace>>,
    ) -> Result<MechanicalChannel, DspError> {
        Ok(MechanicalChannel {
            channel,
            tremor: TremorPart::new(plan)?,
            force: trace.map(|trace| ForceChannel {
                levels: LevelsPass::new(plan.force.window_samples()),
                trace,
                metrics: None,
            }),
            column: Vec::new(),
        })
    }

    /// Force metrics of everything pushed (force channels only; every metric NaN when the
    /// trace could not keep the signal): those found when the signal ended, or before it
    /// ends, those of the samples so far.
    pub fn metrics(&self, plan: &Plan) -> Option<ForceMetrics> {
        let f = self.force.as_ref()?;
        Some(f.metrics.clone().unwrap_or_else(|| f.metrics(plan)))
    }
}

impl MechanicalGroup {
    /// The force channels `channels` of `plan` (at least one), each keeping its
    /// low-passed signal in the trace `trace` makes for it.
    pub fn force(
        plan: &Plan,
        channels: &[usize],
        trace: &mut dyn FnMut(usize) -> Box<dyn ForceTrace>,
    ) -> Result<MechanicalGroup, DspError> {
        let members = channels
            .iter()
            .map(|&c| MechanicalChannel::new(plan, c, Some(trace(c))))
            .collect::<Result<Vec<_>, _>>()?;
        let lowpass = plan
            .force_lowpass
            .as_deref()
            .map(|s| RunFilter::new(plan, s, members.len()))
            .transpose()?;
        Ok(MechanicalGroup {
            channels: channels.to_vec(),
            members,
            lowpass,
            x: Vec::new(),
        })
    }

    /// Accelerometer channel `channel`: tremor only.
    pub fn accel(plan: &Plan, channel: usize) -> Result<MechanicalGroup, DspError> {
        Ok(MechanicalGroup {
            members: vec![MechanicalChannel::new(plan, channel, None)?],
            channels: vec![channel],
            lowpass: None,
            x: Vec::new(),
        })
    }

    /// Feeds each channel its samples of a block, or, with `None`, ends the signal:
    /// filters what a zero-phase low-pass still holds and replays each force channel's
    /// trace once for its metrics. The channels' own work runs on the pool when `wide`.
    pub(super) fn run(&mut self, plan: &Plan, block: Option<&Block>, wide: bool) {
        let last = block.is_none();
        // The members' raw samples, gathered side by side from the block's frames in one
        // pass (as the low-pass reads them), then taken apart for each channel's tremor.
        let gathered = match block {
            Some(block) => block.gather(&mut self.x, &self.channels).len(),
            None => 0,
        };
        if !last {
            frames::split(
                [&self.x[..gathered], &[]],
                &mut self.members,
                |m| &mut m.column,
                |_, v| v,
            );
            each(&mut self.members, wide, |_, m| m.tremor.push(&m.column));
        }
        match &mut self.lowpass {
            Some(lowpass) => {
                let x = &self.x[..gathered];
                // Causal: each lane settled on its first sample, so the resting force
                // (limb weight, sensor offset) is the baseline from the first sample on.
                lowpass.settle_on_first_frame(x);
                let y = lowpass.feed_final(x, last);
                // Every lane's low-passed column (a channel without force metrics has
                // already used its raw one for its tremor).
                frames::split(y, &mut self.members, |m| &mut m.column, |_, v| v);
                each(&mut self.members, wide, |_, m| {
                    if let Some(force) = &mut m.force {
                        force.push(&m.column);
                    }
                });
                if last {
                    lowpass.release();
                    self.x = Vec::new();
                }
            }
            None if !last => each(&mut self.members, wide, |_, m| {
                if let Some(force) = &mut m.force {
                    force.push(&m.column);
                }
            }),
            None => {}
        }
        if last {
            each(&mut self.members, wide, |_, m| {
                if let Some(force) = &mut m.force {
                    force.metrics = Some(force.metrics(plan));
                }
                m.column = Vec::new();
            });
        }
    }
}
