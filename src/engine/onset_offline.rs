//! Onsets of a stored recording (zero-phase): one streaming pass over the three test
//! signals collects the per-window sums the baseline needs (small: three numbers per
//! 250 ms window) and keeps the signals in traces ([`ForceTrace`]: in memory, or on disk);
//! at the end the baseline comes from the rest windows of the whole recording and each
//! trace is replayed once through its detector. Nothing needs the whole signal at once.

use crate::features::onset_baseline::WindowedSums;
use crate::montage::OnsetMethod;

use super::onset_detectors::{baselines, MethodDetector, Onsets};
use super::plan::OnsetPlan;
use super::trace::ForceTrace;

/// The offline onset pass of one EMG channel.
pub struct OnsetOffline {
    sums: [WindowedSums; 3],
    /// Samples of each signal pushed so far.
    seen: [usize; 3],
    /// One per method; replayed, then freed, by [`OnsetOffline::finish`].
    traces: Vec<Box<dyn ForceTrace>>,
}

impl OnsetOffline {
    /// A pass keeping each test signal in the trace `make_trace` gives.
    pub fn new(
        plan: &OnsetPlan,
        make_trace: &mut dyn FnMut() -> Box<dyn ForceTrace>,
    ) -> OnsetOffline {
        OnsetOffline {
            sums: std::array::from_fn(|_| WindowedSums::new(plan.rest_window)),
            seen: [0; 3],
            traces: vec![make_trace(), make_trace(), make_trace()],
        }
    }

    /// Feeds the next samples of the test signal of `method` (from sample 0): for
    /// Hodges–Bui the rectified, low-passed, averaged EMG, for TKEO the same of |ψ|, for
    /// Bonato the rectified EMG. The three signals may come in any interleaving.
    pub fn push(&mut self, plan: &OnsetPlan, method: OnsetMethod, x: &[f64]) {
        let k = method.index();
        let from = plan.skip.saturating_sub(self.seen[k]).min(x.len());
        self.sums[k].push(&x[from..]);
        self.seen[k] += x.len();
        // A trace that fails says so when replayed: that method then finds nothing.
        let _ = self.traces[k].append(x);
    }

    /// The baseline over the whole recording, then each signal replayed once through its
    /// detector; each trace is freed once replayed (a trace on disk gives its room back
    /// here, on the thread that finishes the channel).
    pub fn finish(&mut self, plan: &OnsetPlan) -> Onsets {
        let b = baselines(&self.sums);
        let mut found = Onsets {
            samples: self.seen[0],
            ..Onsets::default()
        };
        let traces = std::mem::take(&mut self.traces);
        for ((k, method), trace) in OnsetMethod::ALL.into_iter().enumerate().zip(traces) {
            let Some(mut d) = MethodDetector::new(plan, method, b[k]) else {
                continue;
            };
            let mut out = Vec::new();
            if trace.replay(&mut |x| d.push(x, &mut out)).is_ok() {
                found.by_method[k] = out;
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::trace::{in_memory, Precision};
    use crate::features::bonato::BonatoSettings;
    use crate::features::onsets::Transition;

    fn plan() -> OnsetPlan {
        OnsetPlan {
            lowpass: None,
            mean_window: 5,
            k: 3.0,
            tkeo_k: 3.0,
            bonato: BonatoSettings::default(),
            method: OnsetMethod::HodgesBui,
            min_active: 20,
            min_gap: 5,
            rest_window: 50,
            live_baseline: 200,
            skip: 10,
        }
    }

    /// Rest with a little deterministic noise, two bursts.
    fn signal() -> Vec<f64> {
        (0..2000)
            .map(|i| {
                let noise = 1.0 + 0.2 * ((i * 7919 % 13) as f64 / 13.0);
                let burst = (500..800).contains(&i) || (1200..1500).contains(&i);
                if burst {
                    10.0 * noise
                } else {
                    noise
                }
            })
            .collect()
    }

    #[test]
    fn blocks_and_interleaving_change_nothing() {
        let p = plan();
        let x = signal();
        let mut whole = OnsetOffline::new(&p, &mut || in_memory(0, Precision::Double));
        for m in OnsetMethod::ALL {
            whole.push(&p, m, &x);
        }
        let want = whole.finish(&p);
        assert_eq!(
            want.of(OnsetMethod::HodgesBui),
            &[
                Transition::Onset(500),
                Transition::Offset(800),
                Transition::Onset(1200),
                Transition::Offset(1500)
            ]
        );
        for block in [1, 3, 64, 999] {
            let mut parts = OnsetOffline::new(&p, &mut || in_memory(0, Precision::Double));
            for chunk in x.chunks(block) {
                for m in OnsetMethod::ALL {
                    parts.push(&p, m, chunk);
                }
            }
            assert_eq!(parts.finish(&p), want, "block {block}");
        }
    }
}
