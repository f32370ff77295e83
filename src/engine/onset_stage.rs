//! Hodges–Bui onset detection over a stream of the processed EMG (rectified, low-passed,
//! averaged): first the baseline, then the detector.
//!
//! Causal runs take the baseline from the first 500 ms after the filter's first 100 ms
//! (what a live recording knows); zero-phase runs take the quietest 500 ms of the whole
//! recording. In both, detection starts after those first 100 ms, so filter start-up is
//! never taken for activity (METHODS.md G).

use crate::features::onsets::{
    leading_baseline, quiet_baseline, OnsetDetector, OnsetRule, Transition,
};

use super::plan::OnsetPlan;

/// Baseline collection, then detection.
#[derive(Debug, Clone)]
pub enum OnsetStage {
    Collecting(Vec<f64>),
    Detecting(OnsetDetector),
}

impl OnsetStage {
    pub fn new() -> OnsetStage {
        OnsetStage::Collecting(Vec::new())
    }

    /// Streams (causal): feeds processed samples, appending completed transitions.
    pub fn push(&mut self, plan: &OnsetPlan, x: &[f64], out: &mut Vec<Transition>) {
        match self {
            OnsetStage::Detecting(d) => out.extend(x.iter().filter_map(|v| d.push(*v))),
            OnsetStage::Collecting(buffer) => {
                buffer.extend_from_slice(x);
                if let Some((mean, sd)) = leading_baseline(buffer, plan.baseline, plan.skip) {
                    let rule = OnsetRule::new(mean, sd, plan.k, plan.min_run, plan.min_run);
                    let mut d = OnsetDetector::starting_at(rule, plan.skip);
                    out.extend(buffer[plan.skip..].iter().filter_map(|v| d.push(*v)));
                    *self = OnsetStage::Detecting(d);
                }
            }
        }
    }
}

impl Default for OnsetStage {
    fn default() -> Self {
        OnsetStage::new()
    }
}

/// Whole recording (zero-phase): baseline from its quietest window, then detection.
pub fn detect_whole(plan: &OnsetPlan, processed: &[f64]) -> Vec<Transition> {
    let Some((mean, sd)) = quiet_baseline(processed, plan.baseline, plan.skip) else {
        return Vec::new();
    };
    let rule = OnsetRule::new(mean, sd, plan.k, plan.min_run, plan.min_run);
    let mut d = OnsetDetector::starting_at(rule, plan.skip);
    processed[plan.skip..]
        .iter()
        .filter_map(|v| d.push(*v))
        .collect()
}
