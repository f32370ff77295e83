//! The three onset detectors of one EMG channel (METHODS.md G) over their test signals:
//! Hodges–Bui on the rectified, low-passed, averaged EMG; the same test on the TKEO of the
//! EMG; Bonato's double threshold on the EMG itself. Each runs the same state machine
//! (`features::onsets`: minimum active duration, minimum gap) from a baseline taken over
//! the channel's rest windows (`features::onset_baseline`).
//!
//! The causal stage ([`super::onset_causal`]) and the offline pass
//! ([`super::onset_offline`]) differ only in where the test signals come from and which
//! windows the baseline spans.

use crate::features::bonato::BonatoTest;
use crate::features::onset_baseline::{pooled, rest_windows, Baseline, WindowedSums};
use crate::features::onsets::{OnsetDetector, OnsetRule, Transition};
use crate::montage::OnsetMethod;

use super::plan::OnsetPlan;

/// What the onset detectors of one channel found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Onsets {
    /// Transitions per method, in the order of [`OnsetMethod::ALL`].
    pub by_method: [Vec<Transition>; 3],
    /// Samples seen: an activation still on at the end lasts until here.
    pub samples: usize,
}

impl Onsets {
    /// The transitions of `method`.
    pub fn of(&self, method: OnsetMethod) -> &[Transition] {
        &self.by_method[method.index()]
    }
}

/// The baseline of each method's test signal, from the window sums of the three signals
/// (in [`OnsetMethod::ALL`] order): the rest windows are chosen on the Hodges–Bui signal
/// and every method's baseline is pooled over those same windows.
pub fn baselines(sums: &[WindowedSums; 3]) -> [Option<Baseline>; 3] {
    let rest = rest_windows(&sums[0]);
    std::array::from_fn(|i| pooled(&sums[i], &rest))
}

/// One method's detector over its test signal; samples before `plan.skip` (filter
/// start-up) are never tested.
#[derive(Debug, Clone)]
pub struct MethodDetector {
    bonato: Option<BonatoTest>,
    detector: OnsetDetector,
    /// Samples fed so far.
    index: usize,
    skip: usize,
    scratch: Vec<f64>,
}

impl MethodDetector {
    /// The detector of `method` for its baseline; `None` without a usable baseline (none
    /// at all, or a flat rest — a disconnected electrode — with nothing to test against).
    pub fn new(
        plan: &OnsetPlan,
        method: OnsetMethod,
        baseline: Option<Baseline>,
    ) -> Option<MethodDetector> {
        let b = baseline?;
        let (threshold, bonato, usable) = match method {
            OnsetMethod::HodgesBui => (b.mean + plan.k * b.sd, None, b.sd > 0.0),
            OnsetMethod::Tkeo => (b.mean + plan.tkeo_k * b.sd, None, b.sd > 0.0),
            OnsetMethod::Bonato => (
                plan.bonato.r0 as f64,
                Some(BonatoTest::new(&plan.bonato, b.mean_square)),
                b.mean_square > 0.0,
            ),
        };
        if !(usable && threshold.is_finite()) {
            return None;
        }
        let rule = OnsetRule {
            threshold,
            min_on: plan.min_active.max(1),
            min_off: plan.min_gap.max(1),
        };
        Some(MethodDetector {
            bonato,
            detector: OnsetDetector::starting_at(rule, plan.skip),
            index: 0,
            skip: plan.skip,
            scratch: Vec::new(),
        })
    }

    /// Feeds the next samples of the method's signal (from sample 0 of the channel),
    /// appending the transitions they complete.
    pub fn push(&mut self, x: &[f64], out: &mut Vec<Transition>) {
        match &mut self.bonato {
            Some(test) => {
                // Every value is written by the test: only new room is zeroed.
                let mut tested = std::mem::take(&mut self.scratch);
                tested.resize(x.len(), 0.0);
                test.process(x, &mut tested);
                self.detect(&tested, out);
                self.scratch = tested;
            }
            None => self.detect(x, out),
        }
    }

    /// Feeds Bonato's test the powers `y₁² + y₂²` of the next pairs of samples (pairs
    /// from sample 0 of the channel), two samples each; [`MethodDetector::push_unpaired`]
    /// adds a last sample left without a pair. The other methods take no powers.
    pub fn push_powers(&mut self, powers: &[f64], out: &mut Vec<Transition>) {
        // Taken out while it hands its runs to the detector beside it.
        let Some(mut test) = self.bonato.take() else {
            return;
        };
        let threshold = self.detector.threshold();
        // The test's runs, a sample at a time would be two values a pair to write and
        // scan; runs are counted as the pairs come.
        test.runs(powers, threshold, &mut |n, above| {
            self.push_run(n, above, out)
        });
        self.bonato = Some(test);
    }

    /// Feeds the next `n` samples of the method's signal, known only to be all at or
    /// above its threshold (`above`) or all below.
    pub fn push_run(&mut self, n: usize, above: bool, out: &mut Vec<Transition>) {
        let untested = self.advance(n);
        self.detector.push_run(n - untested, above, out);
    }

    /// Counts `n` more samples fed; gives how many of them come before `skip`, which are
    /// never tested.
    fn advance(&mut self, n: usize) -> usize {
        let untested = self.skip.saturating_sub(self.index).min(n);
        self.index += n;
        untested
    }

    /// The level the method's signal is compared with.
    pub fn threshold(&self) -> f64 {
        self.detector.threshold()
    }

    /// Feeds Bonato's test the last sample of a channel with an odd number of samples.
    pub fn push_unpaired(&mut self, out: &mut Vec<Transition>) {
        if let Some(test) = &self.bonato {
            self.detect(&[test.unpaired()], out);
        }
    }

    /// Feeds the detector the test signal of the next samples.
    fn detect(&mut self, tested: &[f64], out: &mut Vec<Transition>) {
        let from = self.advance(tested.len());
        self.detector.push_block(&tested[from..], out);
    }
}
