//! EMG activation onsets and offsets (METHODS.md G): the state machine every detector
//! shares. A test signal (Hodges–Bui: the band-passed EMG rectified, low-passed at 50 Hz
//! and averaged over 25 ms; TKEO: the same of |ψ|; Bonato: the count of recent pairs over
//! ζ) is compared with a threshold; the muscle is on where the test stays at or above it
//! for at least the minimum active duration (`[analysis] onset_min_active_s`, 75 ms), and
//! off again where it stays below for at least the minimum gap (`onset_min_gap_s`, 30 ms;
//! shorter pauses are merged into the activation).
//!
//! The detector is a per-sample state machine, so the same code runs over a recording and
//! over a live stream. The threshold comes from a baseline over rest windows
//! (`onset_baseline`).

/// Detector thresholds in samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnsetRule {
    /// Level the processed signal must exceed: μ + k·σ.
    pub threshold: f64,
    /// Samples above the threshold before an onset is declared.
    pub min_on: usize,
    /// Samples below the threshold before an offset is declared.
    pub min_off: usize,
}

impl OnsetRule {
    /// The rule for baseline `mean`, `sd`, multiplier `k` and minimum durations.
    pub fn new(mean: f64, sd: f64, k: f64, min_on: usize, min_off: usize) -> OnsetRule {
        OnsetRule {
            threshold: mean + k * sd,
            min_on: min_on.max(1),
            min_off: min_off.max(1),
        }
    }
}

/// A change of state found by the detector, at a sample index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// Activity began at this sample (the first sample of the run that qualified).
    Onset(usize),
    /// Activity ended at this sample (the first sample of the quiet run that qualified).
    Offset(usize),
}

/// Streaming Hodges–Bui detector over the processed signal.
#[derive(Debug, Clone)]
pub struct OnsetDetector {
    rule: OnsetRule,
    active: bool,
    run_start: usize,
    run_len: usize,
    index: usize,
}

impl OnsetDetector {
    /// A detector that starts in the "off" state at sample 0.
    pub fn new(rule: OnsetRule) -> OnsetDetector {
        OnsetDetector::starting_at(rule, 0)
    }

    /// A detector whose first sample is sample `index` of the signal (transitions carry
    /// signal indices).
    pub fn starting_at(rule: OnsetRule, index: usize) -> OnsetDetector {
        OnsetDetector {
            rule,
            active: false,
            run_start: index,
            run_len: 0,
            index,
        }
    }

    /// Feeds the next sample; returns the transition it completes, if any. A transition is
    /// reported once its minimum duration has passed, dated to the start of its run.
    pub fn push(&mut self, value: f64) -> Option<Transition> {
        let i = self.index;
        self.index += 1;
        // The detector counts the run of samples on the other side of the threshold.
        let opposite = if self.active {
            value < self.rule.threshold
        } else {
            value >= self.rule.threshold
        };
        if !opposite {
            self.run_len = 0;
            return None;
        }
        if self.run_len == 0 {
            self.run_start = i;
        }
        self.run_len += 1;
        let needed = if self.active {
            self.rule.min_off
        } else {
            self.rule.min_on
        };
        if self.run_len < needed {
            return None;
        }
        self.active = !self.active;
        self.run_len = 0;
        Some(if self.active {
            Transition::Onset(self.run_start)
        } else {
            Transition::Offset(self.run_start)
        })
    }

    /// Whether the muscle is currently judged active.
    pub fn active(&self) -> bool {
        self.active
    }
}

/// Runs a detector over a whole processed signal.
///
/// ```
/// use myobalance::features::onsets::{detect, OnsetRule, Transition};
/// let mut x = vec![0.0; 300];
/// for v in &mut x[100..200] { *v = 5.0; }
/// x[250] = 5.0; // a 1-sample blip is ignored
/// let t = detect(&x, OnsetRule::new(0.0, 1.0, 3.0, 30, 30));
/// assert_eq!(t, vec![Transition::Onset(100), Transition::Offset(200)]);
/// ```
pub fn detect(processed: &[f64], rule: OnsetRule) -> Vec<Transition> {
    let mut d = OnsetDetector::new(rule);
    processed.iter().filter_map(|v| d.push(*v)).collect()
}

/// The activations of a transition list as `(onset, end)` sample ranges; an activation
/// still on at the end of the signal (`samples` long) ends there.
///
/// ```
/// use myobalance::features::onsets::{activations, Transition};
/// let t = [Transition::Onset(10), Transition::Offset(40), Transition::Onset(90)];
/// assert_eq!(activations(&t, 100), vec![(10, 40), (90, 100)]);
/// ```
pub fn activations(transitions: &[Transition], samples: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open = None;
    for t in transitions {
        match *t {
            Transition::Onset(at) => open = Some(at),
            Transition::Offset(at) => {
                if let Some(start) = open.take() {
                    out.push((start, at.max(start)));
                }
            }
        }
    }
    if let Some(start) = open {
        out.push((start, samples.max(start)));
    }
    out
}
