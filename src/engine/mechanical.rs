//! Force and accelerometer channels: tremor of the signal itself (Welch detrends each
//! segment, so the force level does not matter) and, for force, the force metrics of the
//! 150 Hz low-passed signal.
//!
//! The samples arrive in blocks. The first pass of the force metrics (baseline, peak,
//! MVC) runs as the low-passed samples become final (at once when causal, a stretch later
//! when zero-phase) and they go to a [`ForceTrace`]; at the end the trace is replayed once
//! through the second pass (onsets, RFD, steadiness).

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

    /// Filters what a zero-phase low-pass still holds as the end of the signal.
    pub fn finish(&mut self) {
        if let Some(f) = &mut self.force {
            f.push(&[], true);
        }
    }

    /// Force metrics of everything pushed (force channels only; every metric NaN when the
    /// trace could not keep the signal).
    pub fn metrics(&self, plan: &Plan) -> Option<ForceMetrics> {
        let f = self.force.as_ref()?;
        let Some(levels) = f.levels.finish() else {
            return Some(ForceMetrics::undefined());
        };
        let mut contractions = ContractionPass::new(&plan.force, &levels);
        match f.trace.replay(&mut |x| contractions.push(x)) {
            Ok(()) => Some(ForceMetrics::of(&levels, contractions.finish())),
            Err(_) => Some(ForceMetrics::undefined()),
        }
    }
}
