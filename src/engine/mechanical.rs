//! Force and accelerometer channels: tremor of the signal itself (Welch detrends each
//! segment, so the force level does not matter) and, for force, the force metrics of the
//! 150 Hz low-passed signal.
//!
//! Streaming, the first pass of the force metrics (baseline, peak, MVC) runs as the
//! samples arrive and the low-passed signal goes to a [`ForceTrace`]; at the end the
//! trace is replayed once through the second pass (onsets, RFD, steadiness).

use crate::dsp::error::DspError;
use crate::dsp::filtfilt::ZeroPhase;
use crate::dsp::sosfilt::SosFilter;
use crate::features::force::{force_metrics, ContractionPass, ForceMetrics, LevelsPass};

use super::emg::TremorPart;
use super::plan::Plan;
use super::trace::ForceTrace;

/// Streaming force or accelerometer channel.
pub struct MechanicalCausal {
    pub tremor: TremorPart,
    force: Option<ForceStream>,
}

/// The force metrics of one channel as its samples arrive.
struct ForceStream {
    lowpass: Option<SosFilter>,
    started: bool,
    /// The low-passed block (reused).
    block: Vec<f64>,
    levels: LevelsPass,
    trace: Box<dyn ForceTrace>,
}

impl MechanicalCausal {
    /// A channel; force channels keep their low-passed signal in `trace`.
    pub fn new(
        plan: &Plan,
        trace: Option<Box<dyn ForceTrace>>,
    ) -> Result<MechanicalCausal, DspError> {
        let force = trace
            .map(|trace| {
                let lowpass = plan
                    .force_lowpass
                    .as_deref()
                    .map(|s| SosFilter::new(s, 1))
                    .transpose()?;
                Ok::<_, DspError>(ForceStream {
                    lowpass,
                    started: false,
                    block: Vec::new(),
                    levels: LevelsPass::new(plan.force.window_samples()),
                    trace,
                })
            })
            .transpose()?;
        Ok(MechanicalCausal {
            tremor: TremorPart::new(plan)?,
            force,
        })
    }

    pub fn push(&mut self, x: &[f64]) {
        self.tremor.push(x);
        let Some(f) = &mut self.force else { return };
        f.block.clear();
        f.block.extend_from_slice(x);
        if let Some(lp) = &mut f.lowpass {
            // Start settled on the first sample, so the resting force (limb weight,
            // sensor offset) is the baseline from the first sample on.
            if let (false, Some(&first)) = (f.started, x.first()) {
                lp.settle_on(&[first]);
            }
            lp.process_in_place(&mut f.block);
        }
        f.started |= !x.is_empty();
        f.levels.push(&f.block);
        // A trace that fails says so when replayed: the metrics are then left undefined.
        let _ = f.trace.append(&f.block);
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

/// Zero-phase processing of a whole force or accelerometer channel.
pub fn mechanical_zero_phase(
    plan: &Plan,
    x: &[f64],
    is_force: bool,
) -> Result<(TremorPart, Option<ForceMetrics>), DspError> {
    let mut tremor = TremorPart::new(plan)?;
    tremor.push(x);
    let metrics = if is_force {
        let mut lp = x.to_vec();
        if let (Some(sos), false) = (&plan.force_lowpass, x.is_empty()) {
            ZeroPhase::new(sos, 1)?.apply(x, &mut lp);
        }
        Some(force_metrics(&lp, &plan.force))
    } else {
        None
    };
    Ok((tremor, metrics))
}
