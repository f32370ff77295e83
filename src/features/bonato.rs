//! Bonato's double-threshold test (Bonato, D'Alessio & Knaflitz 1998; METHODS.md G.3),
//! as a per-sample test signal for the onset state machine.
//!
//! The band-passed EMG is taken in non-overlapping pairs of samples from the first one
//! fed. Each pair gives the test `(y₁² + y₂²) / σ²`, where σ² is the rest noise power
//! (the mean square of y over the rest windows, `onset_baseline`). Under rest, with
//! Gaussian noise, the test follows χ² with 2 degrees of freedom, so it exceeds
//! `ζ = −2 ln p` with probability p. The second threshold asks for at least r0 of the last
//! m tests above ζ; p is chosen so that this happens at rest with probability Pfa:
//! `Σ_{i ≥ r0} C(m, i) pⁱ (1 − p)^{m − i} = Pfa`.
//!
//! The test signal at each sample is the number of the last m complete pairs above ζ; the
//! muscle is active where it is ≥ r0, for at least the minimum active duration (the
//! detector of `features::onsets`). Defaults follow the R package biosignalEMG's
//! `onoff_bonato`: Pfa = 0.05, m = 5, r0 = 1.

/// Settings of the test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BonatoSettings {
    /// False-alarm probability of one decision (r0 of m) at rest.
    pub false_alarm: f64,
    /// Tests in a decision, 1..=64.
    pub m: usize,
    /// Tests above ζ a decision needs, 1..=m.
    pub r0: usize,
}

impl Default for BonatoSettings {
    fn default() -> BonatoSettings {
        BonatoSettings {
            false_alarm: 0.05,
            m: 5,
            r0: 1,
        }
    }
}

fn binomial(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// Probability that at least `r0` of `m` independent tests exceed, each with probability p.
fn at_least(p: f64, m: usize, r0: usize) -> f64 {
    1.0 - (0..r0)
        .map(|i| binomial(m, i) * p.powi(i as i32) * (1.0 - p).powi((m - i) as i32))
        .sum::<f64>()
}

impl BonatoSettings {
    /// ζ, the first threshold on `(y₁² + y₂²)/σ²` (60 bisection steps on p).
    ///
    /// ```
    /// use myobalance::features::bonato::BonatoSettings;
    /// // r0 = 1 of m = 1: ζ = −2 ln Pfa.
    /// let s = BonatoSettings { false_alarm: 0.05, m: 1, r0: 1 };
    /// assert!((s.zeta() + 2.0 * 0.05f64.ln()).abs() < 1e-9);
    /// ```
    pub fn zeta(&self) -> f64 {
        let (m, r0) = (self.m.clamp(1, 64), self.r0.clamp(1, self.m.clamp(1, 64)));
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if at_least(mid, m, r0) > self.false_alarm {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        -2.0 * (0.5 * (lo + hi)).ln()
    }
}

/// The powers `y₁² + y₂²` of the pairs of samples of a signal fed in blocks of any size,
/// pairs from the first sample: what [`BonatoTest::runs`] tests, at half the
/// samples of the signal.
#[derive(Debug, Clone, Default)]
pub struct PairPowers {
    /// The first sample of a pair whose second has not come, squared.
    half: Option<f64>,
}

impl PairPowers {
    /// Appends the powers of the pairs `y` completes to `out`.
    pub fn push(&mut self, y: &[f64], out: &mut Vec<f64>) {
        let y = match (self.half.take(), y.split_first()) {
            (Some(first), Some((v, rest))) => {
                out.push(first + v * v);
                rest
            }
            (half, _) => {
                self.half = half;
                y
            }
        };
        let pairs = y.chunks_exact(2);
        if let [v] = pairs.remainder() {
            self.half = Some(v * v);
        }
        out.extend(pairs.map(|p| p[0] * p[0] + p[1] * p[1]));
    }
}

/// The streaming test signal.
#[derive(Debug, Clone)]
pub struct BonatoTest {
    /// ζ·σ²: the level `y₁² + y₂²` is compared with.
    level: f64,
    mask: u64,
    /// One bit per recent pair, newest lowest.
    history: u64,
    /// The first sample of the current pair, squared, once it has come.
    half: Option<f64>,
}

impl BonatoTest {
    /// The test for rest noise power `noise_power` (σ²).
    pub fn new(settings: &BonatoSettings, noise_power: f64) -> BonatoTest {
        let m = settings.m.clamp(1, 64);
        BonatoTest {
            level: settings.zeta() * noise_power,
            mask: if m == 64 { u64::MAX } else { (1u64 << m) - 1 },
            history: 0,
            half: None,
        }
    }

    /// Writes the test signal of `y` (band-passed or rectified EMG: only squares count)
    /// into `out`.
    ///
    /// # Panics
    /// If the lengths differ.
    pub fn process(&mut self, y: &[f64], out: &mut [f64]) {
        assert_eq!(y.len(), out.len(), "input and output lengths differ");
        // A pair begun in the last block ends with this block's first sample.
        let begun = match (self.half, y.first()) {
            (Some(first), Some(v)) => {
                self.add(first + v * v);
                out[0] = self.count();
                self.half = None;
                1
            }
            _ => 0,
        };
        let (y, out) = (&y[begun..], &mut out[begun..]);
        let mut pairs = y.chunks_exact(2);
        let mut outs = out.chunks_exact_mut(2);
        for (pair, o) in (&mut pairs).zip(&mut outs) {
            o[0] = self.count();
            self.add(pair[0] * pair[0] + pair[1] * pair[1]);
            o[1] = self.count();
        }
        if let ([v], [o]) = (pairs.remainder(), outs.into_remainder()) {
            self.half = Some(v * v);
            *o = self.count();
        }
    }

    /// The test signal of the samples whose pairs have the powers `y₁² + y₂²` in `powers`
    /// (pairs from the first sample; [`PairPowers`]), as [`BonatoTest::process`] gives it
    /// for the samples, compared with `threshold`, handed to `run` a run of samples on one
    /// side at a time: `run(samples, at_or_above)`. A sample's test is the
    /// count before or after its pair's: the first sample of a pair repeats the second of
    /// the pair before, so the runs follow the counts after each pair, one sample late.
    pub fn runs(&mut self, powers: &[f64], threshold: f64, run: &mut impl FnMut(usize, bool)) {
        // A count, a whole number, reaches `threshold` where it reaches its ceiling.
        let need = threshold.ceil().clamp(0.0, 65.0) as u32;
        let (level, mask, oldest) = (self.level, self.mask, self.mask.count_ones() - 1);
        // The count is kept as pairs come and go rather than counted again for each.
        let mut history = self.history;
        let mut count = history.count_ones();
        let (mut state, mut n) = (count >= need, 0);
        for &power in powers {
            let leaving = ((history >> oldest) & 1) as u32;
            let entering = u64::from(power > level);
            history = ((history << 1) | entering) & mask;
            count = count + entering as u32 - leaving;
            let now = count >= need;
            if now == state {
                n += 2;
            } else {
                run(n + 1, state);
                (state, n) = (now, 1);
            }
        }
        self.history = history;
        run(n, state);
    }

    /// The test signal of a last sample without the second of its pair.
    pub fn unpaired(&self) -> f64 {
        self.count()
    }

    /// Takes one pair's `y₁² + y₂²`.
    fn add(&mut self, power: f64) {
        let above = u64::from(power > self.level);
        self.history = ((self.history << 1) | above) & self.mask;
    }

    /// The test signal now: complete pairs above the level among the last m.
    fn count(&self) -> f64 {
        f64::from(self.history.count_ones())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeta_gives_the_false_alarm_rate_asked_for() {
        let s = BonatoSettings::default();
        // 1 − (1 − p)^5 = 0.05 → p = 0.010206…, ζ = −2 ln p = 9.170…
        let p = 1.0 - 0.95f64.powf(0.2);
        assert!((s.zeta() + 2.0 * p.ln()).abs() < 1e-9, "{}", s.zeta());
    }

    #[test]
    fn counts_the_recent_pairs_above_the_level_in_any_block_size() {
        let s = BonatoSettings {
            false_alarm: 0.05,
            m: 3,
            r0: 1,
        };
        let y: Vec<f64> = (0..40)
            .map(|i| if (10..14).contains(&i) { 10.0 } else { 0.1 })
            .collect();
        let mut whole = vec![0.0; y.len()];
        BonatoTest::new(&s, 1.0).process(&y, &mut whole);
        // Pairs 5 and 6 (samples 10–13) exceed; the count falls back after 3 more pairs.
        assert_eq!(whole[10], 0.0);
        assert_eq!(whole[11], 1.0);
        assert_eq!(whole[13], 2.0);
        assert_eq!(whole[16], 2.0);
        assert_eq!(whole[17], 1.0);
        assert_eq!(whole[19], 0.0);
        for block in [1, 3, 7] {
            let mut t = BonatoTest::new(&s, 1.0);
            let mut out = vec![0.0; y.len()];
            for (a, b) in y.chunks(block).zip(out.chunks_mut(block)) {
                t.process(a, b);
            }
            assert_eq!(out, whole, "block {block}");
        }
    }

    #[test]
    fn pair_powers_give_the_test_of_the_samples_in_any_blocks() {
        let s = BonatoSettings::default();
        let y: Vec<f64> = (0..41)
            .map(|i| {
                if (10..15).contains(&i) {
                    5.0
                } else {
                    0.3 * ((i % 7) as f64 - 3.0)
                }
            })
            .collect();
        let mut want = vec![0.0; y.len()];
        BonatoTest::new(&s, 1.0).process(&y, &mut want);
        for block in [1, 2, 3, 8, 41] {
            let (mut pairs, mut powers) = (PairPowers::default(), Vec::new());
            for part in y.chunks(block) {
                pairs.push(part, &mut powers);
            }
            assert_eq!(powers.len(), y.len() / 2);
            // 41 samples: the last has no pair.
            let got = counts_from_runs(&s, &powers);
            assert_eq!(got, want, "block {block}");
        }
    }

    /// The test signal of each sample of the pairs `powers` and of one unpaired sample
    /// after them, told from [`BonatoTest::runs`] alone: a sample's count is how many of
    /// the whole thresholds 1..=m it reaches.
    fn counts_from_runs(s: &BonatoSettings, powers: &[f64]) -> Vec<f64> {
        let mut counts = vec![0.0; 2 * powers.len() + 1];
        for threshold in (1..=s.m).map(|t| t as f64) {
            let mut test = BonatoTest::new(s, 1.0);
            let mut at = 0;
            test.runs(powers, threshold, &mut |n, above| {
                if above {
                    counts[at..at + n].iter_mut().for_each(|c| *c += 1.0);
                }
                at += n;
            });
            if test.unpaired() >= threshold {
                counts[at] += 1.0;
            }
        }
        counts
    }

    #[test]
    fn runs_give_the_per_sample_test_compared_with_the_threshold() {
        // Samples whose pair powers lie around the level, so that counts rise and fall
        // often; an odd number, the last without a pair.
        let y: Vec<f64> = (0..6001)
            .map(|i| {
                let u = crate::sim::noise::uniform(7 + i as u64);
                let scale = if (2000..2800).contains(&i) { 15.0 } else { 6.0 };
                (scale * u).sqrt()
            })
            .collect();
        let (mut pairs, mut powers) = (PairPowers::default(), Vec::new());
        pairs.push(&y, &mut powers);
        for (m, r0) in [(1, 1), (5, 1), (5, 3), (8, 8), (64, 20)] {
            let s = BonatoSettings {
                false_alarm: 0.05,
                m,
                r0,
            };
            let mut counts = vec![0.0; y.len()];
            BonatoTest::new(&s, 1.0).process(&y, &mut counts);
            // Whole counts, and thresholds between them, below and above every count.
            for threshold in [r0 as f64, r0 as f64 - 0.5, 0.0, -1.0, 65.0] {
                let want: Vec<bool> = counts.iter().map(|c| *c >= threshold).collect();
                for block in [1, 7, 64, 3000] {
                    let mut test = BonatoTest::new(&s, 1.0);
                    let mut got = Vec::new();
                    for part in powers.chunks(block) {
                        test.runs(part, threshold, &mut |n, above| {
                            got.extend(std::iter::repeat_n(above, n));
                        });
                    }
                    got.push(test.unpaired() >= threshold);
                    assert_eq!(
                        got, want,
                        "m {m}, r0 {r0}, threshold {threshold}, block {block}"
                    );
                    assert_eq!(test.unpaired(), *counts.last().unwrap());
                }
            }
        }
    }
}
