//! EMG activation onsets and offsets (METHODS.md G): the state machine every detector
//! shares. A test signal (Hodges–Bui: the band-passed EMG rectified, low-passed at 50 Hz
//! and averaged over 25 ms; TKEO: the same of |ψ|; Bonato: the count of recent pairs over
//! ζ) is compared with a threshold. Pauses below it shorter than the minimum gap
//! (`[analysis] onset_min_gap_s`, 20 ms) are merged into the stretches around them; a
//! stretch spanning at least the minimum active duration (`onset_min_active_s`, 100 ms)
//! is an activation, from its first sample above to the first sample of the pause that
//! ends it. Shorter stretches are dropped.
//!
//! The detector is a per-sample state machine, so the same code runs over a recording and
//! over a live stream. Over a block it takes each run of samples on one side of the
//! threshold at once ([`OnsetDetector::push_block`], [`super::runs`]): the state can change
//! only where a run starts or where its duration passes a minimum. The threshold comes
//! from a baseline over rest windows (`onset_baseline`).

use super::runs::leading;

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

/// The streaming detector over a test signal: stretches at or above the threshold, with
/// pauses shorter than the minimum gap merged into them, become activations when they
/// span at least the minimum active duration (from their first sample above to their
/// last); an activation ends at the first sample of a pause of at least the minimum gap.
#[derive(Debug, Clone)]
pub struct OnsetDetector {
    rule: OnsetRule,
    active: bool,
    /// First sample above of the stretch being built, if any.
    candidate: Option<usize>,
    /// Last sample at or above the threshold.
    last_above: usize,
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
            candidate: None,
            last_above: index,
            index,
        }
    }

    /// Feeds the next sample; returns the transition it completes, if any. A transition is
    /// reported once its minimum duration has passed, dated to the start of its run: an
    /// onset to the first sample above of its stretch, an offset to the first sample of
    /// the pause.
    pub fn push(&mut self, value: f64) -> Option<Transition> {
        let i = self.index;
        self.index += 1;
        if value >= self.rule.threshold {
            self.last_above = i;
            let start = *self.candidate.get_or_insert(i);
            if !self.active && i + 1 - start >= self.rule.min_on {
                self.active = true;
                return Some(Transition::Onset(start));
            }
            return None;
        }
        self.candidate?;
        // Samples below since the last one above, this one included.
        if i - self.last_above < self.rule.min_off {
            return None;
        }
        self.candidate = None;
        if self.active {
            self.active = false;
            return Some(Transition::Offset(self.last_above + 1));
        }
        None
    }

    /// Feeds the next samples; appends the transitions they complete. The same as
    /// [`OnsetDetector::push`] sample by sample, a run at a time.
    pub fn push_block(&mut self, x: &[f64], out: &mut Vec<Transition>) {
        let threshold = self.rule.threshold;
        let mut j = 0;
        while j < x.len() {
            let above = x[j] >= threshold;
            let run = leading(&x[j..], |v| (v >= threshold) == above);
            self.push_run(run, above, out);
            j += run;
        }
    }

    /// Feeds the next `n` samples, all at or above the threshold (`above`) or all below:
    /// the same as [`OnsetDetector::push`] of each. For a test signal that is known a run
    /// at a time rather than sample by sample (Bonato's).
    pub fn push_run(&mut self, n: usize, above: bool, out: &mut Vec<Transition>) {
        if n == 0 {
            return;
        }
        let (first, last) = (self.index, self.index + n - 1);
        self.index += n;
        if above {
            let start = *self.candidate.get_or_insert(first);
            // The stretch spans `min_on` samples by the end of this run.
            if !self.active && start + self.rule.min_on - 1 <= last {
                self.active = true;
                out.push(Transition::Onset(start));
            }
            self.last_above = last;
        } else if self.candidate.is_some() && self.last_above + self.rule.min_off <= last {
            // The pause reaches `min_off` samples inside this run.
            self.candidate = None;
            if self.active {
                self.active = false;
                out.push(Transition::Offset(self.last_above + 1));
            }
        }
    }

    /// The level a sample must reach to count as above.
    pub fn threshold(&self) -> f64 {
        self.rule.threshold
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
/// x[150] = 0.0; // a 1-sample dip is merged
/// let t = detect(&x, OnsetRule::new(0.0, 1.0, 3.0, 30, 30));
/// assert_eq!(t, vec![Transition::Onset(100), Transition::Offset(200)]);
/// ```
pub fn detect(processed: &[f64], rule: OnsetRule) -> Vec<Transition> {
    let mut d = OnsetDetector::new(rule);
    let mut out = Vec::new();
    d.push_block(processed, &mut out);
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition on a whole signal: mark samples above, fill pauses shorter than
    /// `min_off` between them, keep filled stretches of at least `min_on` samples (from the
    /// first above to the last above), then report each stretch's ends.
    fn naive(above: &[bool], min_on: usize, min_off: usize) -> Vec<Transition> {
        let idx: Vec<usize> = (0..above.len()).filter(|&i| above[i]).collect();
        let mut stretches: Vec<(usize, usize)> = Vec::new(); // first, last above
        for &i in &idx {
            match stretches.last_mut() {
                Some((_, last)) if i - *last - 1 < min_off => *last = i,
                _ => stretches.push((i, i)),
            }
        }
        let mut out = Vec::new();
        for (first, last) in stretches {
            if last + 1 - first >= min_on {
                out.push(Transition::Onset(first));
                // The offset is reported only once the pause has lasted min_off.
                if last + min_off < above.len() {
                    out.push(Transition::Offset(last + 1));
                }
            }
        }
        out
    }

    #[test]
    fn streaming_detector_equals_merge_then_drop_on_random_signals() {
        let mut seed = 3u64;
        for case in 0..200 {
            let n = 50 + case * 3;
            let x: Vec<f64> = (0..n)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    // Runs: mostly below, bursts above.
                    if seed % 7 < 3 {
                        1.0
                    } else {
                        0.0
                    }
                })
                .collect();
            let (min_on, min_off) = (1 + case % 6, 1 + case % 4);
            let rule = OnsetRule::new(0.5, 0.0, 0.0, min_on, min_off);
            let above: Vec<bool> = x.iter().map(|v| *v >= 0.5).collect();
            assert_eq!(
                detect(&x, rule),
                naive(&above, min_on, min_off),
                "case {case}"
            );
        }
    }

    #[test]
    fn blocks_of_runs_equal_sample_by_sample() {
        // Uniform draws keyed by a counter (the simulator's noise), as whole numbers.
        let mut key = 11u64;
        let mut next = move || {
            key += 1;
            (crate::sim::noise::uniform(key) * 1e6) as u64
        };
        for case in 0..300 {
            let n = 20 + case * 5;
            // Runs of random length on either side of 1.0, exact ties and NaN among them.
            let mut x = Vec::with_capacity(n);
            while x.len() < n {
                let value = match next() % 9 {
                    0 => f64::NAN,
                    1 => 1.0,
                    2..=4 => 2.0,
                    _ => 0.5,
                };
                let run = 1 + (next() % 40) as usize;
                x.extend(std::iter::repeat_n(value, run.min(n - x.len())));
            }
            let rule = OnsetRule::new(1.0, 0.0, 0.0, 1 + case % 23, 1 + case % 17);
            let start = case % 5;
            let mut one = OnsetDetector::starting_at(rule, start);
            let want: Vec<Transition> = x.iter().filter_map(|v| one.push(*v)).collect();
            let mut blocks = OnsetDetector::starting_at(rule, start);
            let mut got = Vec::new();
            let mut rest = &x[..];
            while !rest.is_empty() {
                let k = (1 + next() % 50) as usize;
                let (now, later) = rest.split_at(k.min(rest.len()));
                blocks.push_block(now, &mut got);
                rest = later;
            }
            assert_eq!(got, want, "case {case}");
            assert_eq!(blocks.active(), one.active(), "case {case}");
            let above: Vec<bool> = x.iter().map(|v| *v >= 1.0).collect();
            if start == 0 {
                assert_eq!(detect(&x, rule), naive(&above, rule.min_on, rule.min_off));
            }
        }
    }
}
