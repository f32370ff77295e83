//! Force and accelerometer channels: tremor of the signal itself (Welch detrends each
//! segment, so the force level does not matter) and, for force, the force metrics of the
//! 150 Hz low-passed signal.
//!
//! The samples arrive in blocks. The low-pass runs in the channel's group
//! ([`MechanicalGroup`](super::mechanical_group::MechanicalGroup)), beside the group's
//! other force channels. The first pass of the force metrics (baseline, peak, MVC) runs as
//! the low-passed samples become final (at once when causal, a stretch later when
//! zero-phase) and they go to a [`ForceTrace`]; at the end the trace is replayed once
//! through the second pass (onsets, RFD, steadiness).

use crate::dsp::error::DspError;
use crate::features::force::{ContractionPass, ForceMetrics, LevelsPass};

use super::emg::TremorPart;
use super::plan::Plan;
use super::trace::ForceTrace;

/// A force or accelerometer channel, block by block.
pub struct MechanicalStream {
    pub tremor: TremorPart,
    force: Option<ForceStream>,
}

/// The force metrics of one channel as its low-passed samples arrive.
struct ForceStream {
    levels: LevelsPass,
    trace: Box<dyn ForceTrace>,
}

impl MechanicalStream {
    /// A channel; force channels keep their low-passed signal in `trace`.
    pub fn new(
        plan: &Plan,
        trace: Option<Box<dyn ForceTrace>>,
    ) -> Result<MechanicalStream, DspError> {
        let force = trace.map(|trace| ForceStream {
            levels: LevelsPass::new(plan.force.window_samples()),
            trace,
        });
        Ok(MechanicalStream {
            tremor: TremorPart::new(plan)?,
            force,
        })
    }

    /// Whether the channel measures force.
    pub fn is_force(&self) -> bool {
        self.force.is_some()
    }

    /// Feeds the next low-passed samples of a force channel (nothing for others).
    pub fn push_force(&mut self, lowpassed: &[f64]) {
        if let Some(f) = &mut self.force {
            f.levels.push(lowpassed);
            // A trace that fails says so when replayed: the metrics are then left
            // undefined.
            let _ = f.trace.append(lowpassed);
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
