//! Force and accelerometer channels: tremor of the signal itself (Welch detrends each
//! segment, so the force level does not matter) and, for force, the force metrics over
//! the 150 Hz low-passed signal at the end.

use crate::dsp::error::DspError;
use crate::dsp::filtfilt::ZeroPhase;
use crate::dsp::sosfilt::SosFilter;
use crate::features::force::{force_metrics, ForceMetrics};

use super::emg::TremorPart;
use super::plan::Plan;

/// Streaming force or accelerometer channel.
pub struct MechanicalCausal {
    pub tremor: TremorPart,
    /// Force channels keep their low-passed signal for the metrics at the end.
    force: Option<(Option<SosFilter>, Vec<f64>)>,
}

impl MechanicalCausal {
    pub fn new(plan: &Plan, is_force: bool) -> Result<MechanicalCausal, DspError> {
        let force = if is_force {
            let lp = plan
                .force_lowpass
                .as_deref()
                .map(|s| SosFilter::new(s, 1))
                .transpose()?;
            Some((lp, Vec::new()))
        } else {
            None
        };
        Ok(MechanicalCausal {
            tremor: TremorPart::new(plan)?,
            force,
        })
    }

    pub fn push(&mut self, x: &[f64]) {
        self.tremor.push(x);
        if let Some((lp, kept)) = &mut self.force {
            let start = kept.len();
            kept.extend_from_slice(x);
            if let Some(lp) = lp {
                // Start settled on the first sample, so the resting force (limb weight,
                // sensor offset) is the baseline from the first sample on.
                if let (0, Some(&first)) = (start, x.first()) {
                    lp.settle_on(&[first]);
                }
                lp.process_in_place(&mut kept[start..]);
            }
        }
    }

    /// Force metrics of everything pushed (force channels only).
    pub fn metrics(&self, plan: &Plan) -> Option<ForceMetrics> {
        self.force
            .as_ref()
            .map(|(_, kept)| force_metrics(kept, &plan.force))
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
