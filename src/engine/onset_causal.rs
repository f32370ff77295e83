//! Onsets as samples arrive (live, `--causal`): the three test signals made with causal
//! filters, the baseline from the rest windows of the first `onset_baseline_s` seconds
//! after the filter's first 0.1 s, then the detectors. Until the baseline is known the
//! test signals are held, then replayed, so onsets in the baseline span are found too.
//!
//! Decision delay: Hodges–Bui and TKEO by the 50 Hz low-pass (≈ 4.5 ms) and the trailing
//! 25 ms mean; TKEO by one sample more (`ψ[n]` needs `x[n+1]`); Bonato by a pair of samples.

use crate::dsp::tkeo::TkeoStream;
use crate::features::onset_baseline::WindowedSums;
use crate::montage::OnsetMethod;

use super::moving_mean::TrailingMean;
use super::onset_detectors::{baselines, MethodDetector, Onsets};
use super::plan::OnsetPlan;

enum Stage {
    /// The test signals so far, in [`OnsetMethod::ALL`] order.
    Collecting([Vec<f64>; 3]),
    Detecting(Box<[Option<MethodDetector>; 3]>),
}

/// The onset chain of one EMG channel, streaming, but for the 50 Hz low-pass of |y| and
/// |ψ|, which runs in the channel's group ([`EmgGroup`](super::emg_group::EmgGroup))
/// beside the other channels'.
pub struct OnsetCausal {
    /// Trailing mean of the low-passed |y| (Hodges–Bui) and |ψ| (TKEO).
    mean: [TrailingMean; 2],
    tkeo: TkeoStream,
    /// |ψ| of the current block.
    pub psi: Vec<f64>,
    /// This block's test signals (reused).
    signals: [Vec<f64>; 3],
    stage: Stage,
}

impl OnsetCausal {
    pub fn new(plan: &OnsetPlan) -> OnsetCausal {
        OnsetCausal {
            mean: [
                TrailingMean::new(plan.mean_window),
                TrailingMean::new(plan.mean_window),
            ],
            tkeo: TkeoStream::default(),
            psi: Vec::new(),
            signals: Default::default(),
            stage: Stage::Collecting(Default::default()),
        }
    }

    /// Feeds the next band-passed samples `y`; leaves their |ψ| in [`OnsetCausal::psi`].
    pub fn push_y(&mut self, y: &[f64]) {
        self.psi.clear();
        self.psi.resize(y.len(), 0.0);
        self.tkeo.process(y, &mut self.psi);
        for v in &mut self.psi {
            *v = v.abs();
        }
    }

    /// Feeds the next samples of |y| (`rectified`) and of the 50 Hz low-passed |y| and |ψ|
    /// (`lowpassed`, as long), adding what the detectors find to `found`.
    pub fn push_tests(
        &mut self,
        plan: &OnsetPlan,
        rectified: &[f64],
        lowpassed: [&[f64]; 2],
        found: &mut Onsets,
    ) {
        found.samples += rectified.len();
        let [hb, tk, rect] = &mut self.signals;
        rect.clear();
        rect.extend_from_slice(rectified);
        for ((s, x), mean) in [hb, tk].into_iter().zip(lowpassed).zip(&mut self.mean) {
            s.clear();
            s.extend_from_slice(x);
            mean.process(s);
        }
        match &mut self.stage {
            Stage::Detecting(detectors) => {
                for (k, d) in detectors.iter_mut().enumerate() {
                    if let Some(d) = d {
                        d.push(&self.signals[k], &mut found.by_method[k]);
                    }
                }
            }
            Stage::Collecting(held) => {
                for (h, s) in held.iter_mut().zip(&self.signals) {
                    h.extend_from_slice(s);
                }
                let end = plan.skip + plan.live_baseline;
                if held[0].len() >= end {
                    let sums: [WindowedSums; 3] = std::array::from_fn(|k| {
                        let mut w = WindowedSums::new(plan.rest_window);
                        w.push(&held[k][plan.skip..end]);
                        w
                    });
                    let b = baselines(&sums);
                    let mut detectors: [Option<MethodDetector>; 3] = std::array::from_fn(|k| {
                        MethodDetector::new(plan, OnsetMethod::ALL[k], b[k])
                    });
                    for (k, d) in detectors.iter_mut().enumerate() {
                        if let Some(d) = d {
                            d.push(&held[k], &mut found.by_method[k]);
                        }
                    }
                    self.stage = Stage::Detecting(Box::new(detectors));
                }
            }
        }
    }
}
