//! Force and accelerometer channels: tremor of the signal itself (Welch detrends each
//! segment, so the force level does not matter) and, for force, the force metrics of the
//! 150 Hz low-passed signal.
//!
//! The samples arrive in blocks. The first pass of the force metrics (baseline, peak,
//! MVC) runs as the low-passed samples become final (at once when causal, a stretch later
//! when zero-phase) and they go to a [`ForceTrace`]; at the end the trace is replayed once
//! through the second pass (onsets, RFD, steadiness), on the thread that ends the channel,
//! beside the other channels' ends.

use crate::dsp::error::DspError;
use crate::features::force::{ContractionPass, ForceMetrics, LevelsPass};

use super::emg::TremorPart;
use super::plan::Plan;
use super::run_filter::RunFilter;
use super::trace::ForceTrace;

/// A force or accelerometer channel, block by block.
pub struct MechanicalStream {
    pub tremor: TremorPart,
    force: Option<ForceStream>,
}

/// The force metrics of one channel as its samples arrive.
struct ForceStream {
    lowpass: Option<RunFilter>,
    levels: LevelsPass,
    trace: Box<dyn ForceTrace>,
    /// The metrics of the whole signal, once it has ended.
    metrics: Option<ForceMetrics>,
}

impl ForceStream {
    /// Feeds raw samples (the last ones when `last`).
    fn push(&mut self, x: &[f64], last: bool) {
        let block = match &mut self.lowpass {
            None => x,
            Some(lowpass) => {
                // Causal: settled on the first sample, so the resting force (limb weight,
                // sensor offset) is the baseline from the first sample on.
                lowpass.settle_on_first_frame(x);
                lowpass.feed_final(x, last)
            }
        };
        self.levels.push(block);
        // A trace that fails says so when replayed: the metrics are then left undefined.
        let _ = self.trace.append(block);
        if let (true, Some(lowpass)) = (last, &mut self.lowpass) {
            lowpass.release();
        }
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

impl MechanicalStream {
    /// A channel; force channels keep their low-passed signal in `trace`.
    pub fn new(
        plan: &Plan,
        trace: Option<Box<dyn ForceTrace>>,
    ) -> Result<MechanicalStream, DspError> {
        let force = trace
            .map(|trace| {
                let lowpass = plan
                    .force_lowpass
                    .as_deref()
                    .map(|s| RunFilter::new(plan, s, 1))
                    .transpose()?;
                Ok::<_, DspError>(ForceStream {
                    lowpass,
                    levels: LevelsPass::new(plan.force.window_samples()),
                    trace,
                    metrics: None,
                })
            })
            .transpose()?;
        Ok(MechanicalStream {
            tremor: TremorPart::new(plan)?,
            force,
        })
    }

    pub fn push(&mut self, x: &[f64]) {
        self.tremor.push(x);
        if let Some(f) = &mut self.force {
            f.push(x, false);
        }
    }

    /// Ends the signal: filters what a zero-phase low-pass still holds and, for force,
    /// replays the trace once for the metrics.
    pub fn finish(&mut self, plan: &Plan) {
        if let Some(f) = &mut self.force {
            f.push(&[], true);
            f.metrics = Some(f.metrics(plan));
        }
    }

    /// Force metrics of everything pushed (force channels only; every metric NaN when the
    /// trace could not keep the signal): those found at [`MechanicalStream::finish`], or
    /// before it, those of the samples so far.
    pub fn metrics(&self, plan: &Plan) -> Option<ForceMetrics> {
        let f = self.force.as_ref()?;
        Some(f.metrics.clone().unwrap_or_else(|| f.metrics(plan)))
    }
}
