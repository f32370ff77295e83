//! The second pass of the force metrics, sample by sample once the levels are known:
//! contraction onsets (gate, then back to the last sample at rest), their rate of force
//! development, and the steadiness of each long hold.
//!
//! Memory stays bounded by what one contraction needs: the samples from the current
//! onset candidate up to the longest RFD window, and the samples of the current hold
//! (its steadiness is taken over the middle 60 %, known only once it ends).
//!
//! Most samples change nothing but the sample count: at rest, along a hold above the
//! gate, on the way down to the re-arm level. Such runs are taken at once
//! ([`super::super::runs`]); the sample that ends one goes through the state machine.

use super::super::runs::leading;
use super::levels::ForceLevels;
use super::{steadiness_cv, ForceOnset, ForceSettings, HoldFinite};

/// Levels and window lengths of the onset rule, in samples.
#[derive(Debug, Clone)]
struct Rule {
    gate: f64,
    rest: f64,
    rearm: f64,
    rfd: [usize; 3],
    slope: usize,
    span: usize,
    /// Samples from an onset that its RFD and peak RFD read.
    need: usize,
    min_hold: f64,
    fs: f64,
}

/// A contraction whose RFD windows or end are still to come.
#[derive(Debug, Clone)]
struct Open {
    onset: usize,
    gate: usize,
    release: Option<usize>,
    hold_cv: Option<f64>,
    /// Samples from the onset, at most `Rule::need`.
    from_onset: Vec<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// Below the gate: looking for the next contraction.
    Seeking,
    /// Above the gate since `gate`.
    Above { gate: usize },
    /// Back below the gate, waiting to fall below the re-arm level.
    Rearming,
}

/// The second pass over a force signal.
#[derive(Debug, Clone)]
pub struct ContractionPass {
    /// `None` when the levels leave nothing to find (no rise above rest, no baseline).
    rule: Option<Rule>,
    /// Index of the next sample.
    next: usize,
    phase: Phase,
    /// Where the onset would be if the gate were crossed now, and the samples from it.
    candidate: usize,
    from_candidate: Vec<f64>,
    /// Samples of the current contraction from its gate.
    hold: Vec<f64>,
    glitches: HoldFinite,
    open: Vec<Open>,
    done: Vec<(ForceOnset, Option<f64>)>,
}

impl ContractionPass {
    pub fn new(settings: &ForceSettings, levels: &ForceLevels) -> ContractionPass {
        let ForceLevels {
            baseline_mean: mu,
            baseline_sd: sigma,
            peak,
            ..
        } = *levels;
        let usable = !peak.is_nan() && peak > 0.0 && sigma.is_finite();
        let rule = usable.then(|| {
            let gate = mu + settings.gate_fraction * peak;
            let rest = mu + settings.k_sigma * sigma;
            let rfd = settings.rfd_windows_s.map(|x| settings.samples(x));
            let span = settings.samples(settings.peak_rfd_span_s);
            Rule {
                gate,
                rest,
                // Re-arm below halfway between rest and the gate, so noise on the gate
                // does not count one contraction twice.
                rearm: 0.5 * (rest.min(gate) + gate),
                rfd,
                slope: settings.samples(settings.peak_rfd_slope_s),
                span,
                need: (rfd.iter().max().copied().unwrap_or(0) + 1).max(span),
                min_hold: settings.min_hold_s * settings.sample_rate_hz,
                fs: settings.sample_rate_hz,
            }
        });
        ContractionPass {
            rule,
            next: 0,
            phase: Phase::Seeking,
            candidate: 0,
            from_candidate: Vec::new(),
            hold: Vec::new(),
            glitches: HoldFinite::default(),
            open: Vec::new(),
            done: Vec::new(),
        }
    }

    pub fn push(&mut self, x: &[f64]) {
        let Some(rule) = self.rule.take() else { return };
        let mut j = 0;
        while j < x.len() {
            let run = self.quiet_run(&rule, &x[j..]);
            if run > 0 {
                j += run;
                continue;
            }
            self.push_one(&rule, x[j]);
            j += 1;
        }
        self.rule = Some(rule);
    }

    /// Takes the leading samples of `x` that change nothing but what a sample at a time
    /// would (finite samples at rest, above the gate in a hold, above the re-arm level on
    /// the way down, while every open contraction has the samples it needs); returns how
    /// many.
    fn quiet_run(&mut self, rule: &Rule, x: &[f64]) -> usize {
        if self.open.iter().any(|o| o.from_onset.len() < rule.need) {
            return 0;
        }
        let run = match self.phase {
            // At or below rest (and the gate): the onset candidate moves along.
            Phase::Seeking => {
                let level = rule.rest.min(rule.gate);
                let run = leading(x, |v| v.is_finite() && v <= level);
                if run > 0 {
                    self.candidate = self.next + run;
                    self.from_candidate.clear();
                }
                run
            }
            Phase::Above { .. } => {
                let run = leading(x, |v| v.is_finite() && v > rule.gate);
                self.hold.extend_from_slice(&x[..run]);
                run
            }
            Phase::Rearming => leading(x, |v| v.is_finite() && v > rule.rearm),
        };
        if let Some(&last) = x[..run].last() {
            self.glitches.apply(last);
        }
        self.next += run;
        run
    }

    fn push_one(&mut self, rule: &Rule, v: f64) {
        let v = self.glitches.apply(v);
        let i = self.next;
        self.next += 1;
        for o in &mut self.open {
            if o.from_onset.len() < rule.need {
                o.from_onset.push(v);
            }
        }
        match self.phase {
            Phase::Seeking => self.seek(rule, i, v),
            Phase::Above { .. } if v > rule.gate => self.hold.push(v),
            Phase::Above { gate } => {
                self.release(rule, gate, i);
                self.phase = Phase::Rearming;
                self.rearm(rule, i, v);
            }
            Phase::Rearming => self.rearm(rule, i, v),
        }
        self.close_complete(rule);
    }

    /// One sample below the gate so far: track the last sample at rest, and open a
    /// contraction when `v` crosses the gate.
    fn seek(&mut self, rule: &Rule, i: usize, v: f64) {
        if v <= rule.rest {
            self.candidate = i + 1;
            self.from_candidate.clear();
        } else if self.from_candidate.len() < rule.need {
            self.from_candidate.push(v);
        }
        if v > rule.gate {
            self.open.push(Open {
                onset: self.candidate,
                gate: i,
                release: None,
                hold_cv: None,
                from_onset: std::mem::take(&mut self.from_candidate),
            });
            self.hold.clear();
            self.hold.push(v);
            self.phase = Phase::Above { gate: i };
        }
    }

    /// The contraction that crossed the gate at `gate` ended at `release`.
    fn release(&mut self, rule: &Rule, gate: usize, release: usize) {
        let span = release - gate;
        let hold_cv = (span as f64 >= rule.min_hold).then(|| {
            let trim = span / 5;
            steadiness_cv(&self.hold[trim..span - trim])
        });
        if let Some(o) = self.open.last_mut() {
            o.release = Some(release);
            o.hold_cv = hold_cv;
        }
        self.hold = Vec::new();
    }

    /// Waits for the force to come back down before looking for the next gate; the
    /// search back for its onset stops at the sample where it did.
    fn rearm(&mut self, rule: &Rule, i: usize, v: f64) {
        if v <= rule.rearm {
            self.phase = Phase::Seeking;
            self.candidate = i;
            self.from_candidate.clear();
            self.seek(rule, i, v);
        }
    }

    /// Turns the contractions whose end and RFD windows have passed into onsets.
    fn close_complete(&mut self, rule: &Rule) {
        let complete = self
            .open
            .iter()
            .take_while(|o| o.release.is_some() && o.from_onset.len() >= rule.need)
            .count();
        for o in self.open.drain(..complete) {
            self.done.push(close(rule, o));
        }
    }

    /// Every onset found, in order, with the steadiness CV of those that were holds.
    pub fn finish(mut self) -> Vec<(ForceOnset, Option<f64>)> {
        let Some(rule) = self.rule.take() else {
            return Vec::new();
        };
        if let Phase::Above { gate } = self.phase {
            self.release(&rule, gate, self.next);
        }
        for o in self.open.drain(..) {
            self.done.push(close(&rule, o));
        }
        self.done
    }
}

/// RFD over each window and the steepest slope within the span, from the samples after
/// the onset (fewer than needed only at the end of the signal: those windows are NaN).
fn close(rule: &Rule, o: Open) -> (ForceOnset, Option<f64>) {
    let f = &o.from_onset;
    let rfd = rule.rfd.map(|k| {
        f.get(k)
            .map(|end| (end - f[0]) / (k as f64 / rule.fs))
            .unwrap_or(f64::NAN)
    });
    let within = rule.span.min(f.len()).saturating_sub(rule.slope);
    let rfd_peak = (0..within)
        .map(|t| (f[t + rule.slope] - f[t]) / (rule.slope as f64 / rule.fs))
        .fold(f64::NAN, f64::max);
    let onset = ForceOnset {
        onset: o.onset,
        gate: o.gate,
        release: o.release.unwrap_or(o.gate),
        rfd,
        rfd_peak,
    };
    (onset, o.hold_cv)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rest with noise, contractions of random height and length (some too short to be
    /// holds, some with a dip back under the gate), a glitch now and then.
    fn force(key: &mut u64, n: usize) -> Vec<f64> {
        // Uniform draws keyed by a counter (the simulator's noise).
        let mut next = || {
            *key += 1;
            crate::sim::noise::uniform(*key)
        };
        let mut x = Vec::with_capacity(n);
        while x.len() < n {
            let rest = 50 + (next() * 400.0) as usize;
            let height = 2.0 + 20.0 * next();
            let hold = 5 + (next() * 2500.0) as usize;
            let dips = next() < 0.3;
            let glitch = next() < 0.5;
            for _ in 0..rest {
                x.push(0.1 * next());
            }
            for k in 0..hold {
                let rise = (k as f64 / 30.0).min(1.0);
                let dip = if dips && k % 211 == 100 { 0.1 } else { 1.0 };
                x.push(height * rise * dip + 0.1 * next());
                if glitch && k == hold / 2 {
                    x.push(f64::NAN);
                }
            }
            if next() < 0.2 {
                x.push(if next() < 0.5 {
                    f64::NAN
                } else {
                    f64::INFINITY
                });
            }
        }
        x.truncate(n);
        x
    }

    #[test]
    fn runs_taken_at_once_equal_one_sample_at_a_time() {
        // Holds of half a second count, so most contractions have a steadiness.
        let settings = ForceSettings {
            min_hold_s: 0.5,
            ..ForceSettings::new(1000.0)
        };
        let mut key = 17u64;
        for case in 0..60 {
            let x = force(&mut key, 6000 + 100 * case);
            let levels = ForceLevels {
                baseline_mean: 0.05,
                baseline_sd: 0.03,
                peak: 10.0 + case as f64 / 10.0,
                mvc: 10.0,
                highest_mean: 10.0,
                lowest_mean: 0.0,
            };
            let mut one = ContractionPass::new(&settings, &levels);
            let rule = one.rule.take().expect("usable levels");
            for &v in &x {
                one.push_one(&rule, v);
            }
            one.rule = Some(rule);
            let want = one.finish();
            let holds = want.iter().filter(|(_, cv)| cv.is_some()).count();
            assert!(want.len() >= 3 && holds >= 1, "case {case}: {want:?}");
            let mut runs = ContractionPass::new(&settings, &levels);
            for block in x.chunks(1 + (case * 37) % 500) {
                runs.push(block);
            }
            let got = runs.finish();
            // Bit for bit, NaN RFDs included.
            assert_eq!(format!("{got:?}"), format!("{want:?}"), "case {case}");
        }
    }
}
