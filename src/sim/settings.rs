//! The simulator's settings: the scenario (elbow or knee), length, rate, seed and mains
//! frequency, and the scenario's parameters (timing of sets and repetitions, side,
//! co-contraction and strength ratios, EMG spectrum and its fatigue compression, force and
//! torque, tremor, noise). Every field carries its unit in its
//! name; [`SimSettings::validate`] checks them all once, before anything is generated.

use super::error::SimError;
use super::scenario::Scenario;

/// The lowest sample rate the simulator accepts. The EMG band is capped at 0.45·fs, so
/// below this the shaped EMG spectrum would not fit under the Nyquist frequency.
pub const MIN_SAMPLE_RATE_HZ: f64 = 500.0;

/// Everything that defines a simulated recording. [`Default`] gives the elbow-flexion
/// scenario of DESIGN.md ("Simulator"): sets of six 7 s repetitions (6 s holds), right side
/// stronger, tremor late in each set, MDF falling through each set. With `scenario:
/// Scenario::Knee` the same timeline alternates knee extension and flexion holds.
///
/// ```
/// use myobalance::sim::{Scenario, SimSettings};
/// let knee = SimSettings {
///     scenario: Scenario::Knee,
///     strength_ratio: 0.45,
///     ..SimSettings::new(60.0, 2000.0, 3)
/// };
/// knee.validate()?;
/// let weak = SimSettings { strength_ratio: 2.5, ..knee };
/// assert!(weak.validate().unwrap_err().to_string().contains("strength_ratio"));
/// # Ok::<(), myobalance::sim::SimError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SimSettings {
    /// Which exercise: elbow-flexion sets (the default) or knee extension/flexion holds.
    pub scenario: Scenario,
    /// Length of the recording made by [`simulate`](super::simulate); the streaming
    /// [`Simulator`](super::Simulator) ignores it and runs for as long as it is asked.
    pub seconds: f64,
    /// At least [`MIN_SAMPLE_RATE_HZ`].
    pub sample_rate_hz: f64,
    /// Same seed, same samples (bit for bit); different seed, different noise.
    pub seed: u64,
    /// 50 or 60: the hum on the EMG channels.
    pub mains_hz: u32,

    /// Rest before the first set.
    pub lead_in_s: f64,
    /// Repetitions per set (≥ 1).
    pub reps_per_set: u32,
    /// Duration of each smooth (raised-cosine) rise and fall of a repetition's activation.
    pub ramp_s: f64,
    /// Plateau of a repetition between its rise and fall: an isometric hold. The default
    /// 6 s is longer than a 4 s tremor window, so the tremor of late holds is seen (and
    /// alarmed on) in windows free of the rise and fall.
    pub hold_s: f64,
    /// Pause between the repetitions of a set.
    pub rep_pause_s: f64,
    /// Rest between sets; the EMG spectrum recovers through it. Sets repeat for ever.
    pub set_rest_s: f64,

    /// Left activation (EMG, and force or torque in every direction) divided by right:
    /// below 1 the left side is weaker.
    pub side_ratio: f64,
    /// Activation of the muscle that co-contracts divided by that of the muscle that
    /// works, on both sides: the antagonist over the agonist on the agonist's repetitions
    /// (all of them in the elbow scenario), the agonist over the antagonist on the
    /// antagonist's (knee flexion).
    pub cocontraction_ratio: f64,
    /// Knee scenario: the antagonist's strength over the agonist's (hamstrings over
    /// quadriceps, flexion over extension plateau torque), on both sides; in (0, 2].
    /// The elbow scenario has no antagonist repetitions and ignores it.
    pub strength_ratio: f64,
    /// RMS of the right working muscle's EMG burst on a repetition's plateau: the biceps
    /// (elbow); the quadriceps on extension and the hamstrings on flexion holds (knee).
    pub agonist_rms_uv: f64,
    /// The `mvc` written into the montage for every EMG channel (one shared reference,
    /// so %MVC ratios equal activation ratios).
    pub emg_mvc_uv: f64,
    /// Edges of the agonist's EMG shaping band when rested: white noise through a
    /// 2nd-order Butterworth high-pass at the lower edge and low-pass at the upper edge.
    pub emg_band_hz: [f64; 2],
    /// The antagonist's shaping edges are the agonist's times this factor.
    pub antagonist_spectrum_scale: f64,
    /// Spectral compression reached at the end of each set: the shaping edges scale by
    /// c(t), falling linearly from 1 at the set's start to `1 − fatigue_compression` at
    /// its end, and recovering linearly to 1 through the rest after it.
    pub fatigue_compression: f64,
    /// RMS of the white baseline noise on every EMG channel.
    pub baseline_noise_rms_uv: f64,
    /// Amplitude (peak) of the mains hum on every EMG channel.
    pub mains_amplitude_uv: f64,

    /// Elbow scenario: the right force plateau of a repetition; the left one is
    /// `side_ratio` times it.
    pub force_peak_n: f64,
    /// Knee scenario: the right knee's extension torque plateau (positive); the left one
    /// is `side_ratio` times it, and flexion plateaus are −`strength_ratio` times them.
    pub torque_peak_nm: f64,
    /// Pole frequency of the critically damped 2nd-order low-pass (two equal real poles)
    /// that turns activation into force.
    pub force_lowpass_hz: f64,
    /// RMS of the white sensor noise on the force channels (N·m on torque channels).
    pub force_noise_rms_n: f64,

    /// Tremor frequency on the left side (force oscillation and EMG amplitude modulation).
    pub tremor_left_hz: f64,
    /// Tremor frequency on the right side.
    pub tremor_right_hz: f64,
    /// Tremor amplitude (peak) on the force channels at full activation at a set's end
    /// (N·m on torque channels, in both directions); it grows linearly from 0 at the tremor
    /// onset.
    pub tremor_amplitude_n: f64,
    /// Fraction of a set's duration after which the tremor starts to grow.
    pub tremor_onset_fraction: f64,
    /// Depth of the EMG amplitude modulation at the tremor frequency at a set's end
    /// (agonist and antagonist in antiphase).
    pub emg_tremor_depth: f64,
}

impl Default for SimSettings {
    fn default() -> SimSettings {
        SimSettings {
            scenario: Scenario::Elbow,
            seconds: 60.0,
            sample_rate_hz: 2000.0,
            seed: 1,
            mains_hz: 50,
            lead_in_s: 3.0,
            reps_per_set: 6,
            ramp_s: 0.5,
            hold_s: 6.0,
            rep_pause_s: 1.0,
            set_rest_s: 10.0,
            side_ratio: 0.8,
            cocontraction_ratio: 0.3,
            strength_ratio: 0.6,
            agonist_rms_uv: 250.0,
            emg_mvc_uv: 500.0,
            emg_band_hz: [50.0, 150.0],
            antagonist_spectrum_scale: 1.15,
            fatigue_compression: 0.25,
            baseline_noise_rms_uv: 3.0,
            mains_amplitude_uv: 5.0,
            force_peak_n: 200.0,
            torque_peak_nm: 150.0,
            force_lowpass_hz: 3.0,
            force_noise_rms_n: 0.2,
            tremor_left_hz: 8.5,
            tremor_right_hz: 9.5,
            tremor_amplitude_n: 2.0,
            tremor_onset_fraction: 0.6,
            emg_tremor_depth: 0.3,
        }
    }
}

impl SimSettings {
    /// The default (elbow) scenario with another length, rate and seed.
    pub fn new(seconds: f64, sample_rate_hz: f64, seed: u64) -> SimSettings {
        SimSettings {
            seconds,
            sample_rate_hz,
            seed,
            ..SimSettings::default()
        }
    }

    /// Number of samples in a recording of `seconds` at `sample_rate_hz`, rounded.
    pub fn n_samples(&self) -> usize {
        (self.seconds * self.sample_rate_hz).round() as usize
    }

    /// Checks every setting; the first problem found is returned.
    pub fn validate(&self) -> Result<(), SimError> {
        let fs = self.sample_rate_hz;
        if !fs.is_finite() {
            return Err(SimError::setting(
                "sample_rate_hz",
                fs,
                "must be a finite number of samples per second",
            ));
        }
        if fs < MIN_SAMPLE_RATE_HZ {
            return Err(SimError::RateTooLow {
                sample_rate_hz: fs,
                min_hz: MIN_SAMPLE_RATE_HZ,
            });
        }
        if self.mains_hz != 50 && self.mains_hz != 60 {
            return Err(SimError::setting(
                "mains_hz",
                f64::from(self.mains_hz),
                "must be 50 or 60",
            ));
        }
        if self.reps_per_set == 0 {
            return Err(SimError::setting(
                "reps_per_set",
                0.0,
                "a set needs at least one repetition",
            ));
        }
        // Lengths the sample count must hold: stay well inside usize and f64 integers.
        non_negative("seconds", self.seconds)?;
        if self.seconds * fs > 1e12 {
            return Err(SimError::setting(
                "seconds",
                self.seconds,
                "is too long for one recording in memory; stream it with Simulator",
            ));
        }
        non_negative("lead_in_s", self.lead_in_s)?;
        positive("ramp_s", self.ramp_s)?;
        non_negative("hold_s", self.hold_s)?;
        non_negative("rep_pause_s", self.rep_pause_s)?;
        non_negative("set_rest_s", self.set_rest_s)?;
        positive("side_ratio", self.side_ratio)?;
        non_negative("cocontraction_ratio", self.cocontraction_ratio)?;
        let strength = self.strength_ratio;
        if !(strength.is_finite() && strength > 0.0 && strength <= 2.0) {
            return Err(SimError::setting(
                "strength_ratio",
                strength,
                "must be in (0, 2]: the antagonist's peak torque over the agonist's",
            ));
        }
        positive("agonist_rms_uv", self.agonist_rms_uv)?;
        positive("emg_mvc_uv", self.emg_mvc_uv)?;
        positive("antagonist_spectrum_scale", self.antagonist_spectrum_scale)?;
        fraction_below_one("fatigue_compression", self.fatigue_compression)?;
        self.check_emg_band()?;
        non_negative("baseline_noise_rms_uv", self.baseline_noise_rms_uv)?;
        non_negative("mains_amplitude_uv", self.mains_amplitude_uv)?;
        positive("force_peak_n", self.force_peak_n)?;
        positive("torque_peak_nm", self.torque_peak_nm)?;
        below_nyquist("force_lowpass_hz", self.force_lowpass_hz, fs)?;
        non_negative("force_noise_rms_n", self.force_noise_rms_n)?;
        below_nyquist("tremor_left_hz", self.tremor_left_hz, fs)?;
        below_nyquist("tremor_right_hz", self.tremor_right_hz, fs)?;
        non_negative("tremor_amplitude_n", self.tremor_amplitude_n)?;
        let onset = self.tremor_onset_fraction;
        if !(0.0..=1.0).contains(&onset) {
            return Err(SimError::setting(
                "tremor_onset_fraction",
                onset,
                "must be a fraction of the set in [0, 1]",
            ));
        }
        let depth = self.emg_tremor_depth;
        if !(0.0..=1.0).contains(&depth) {
            return Err(SimError::setting(
                "emg_tremor_depth",
                depth,
                "must be a modulation depth in [0, 1]",
            ));
        }
        Ok(())
    }

    /// Both muscles' shaping edges, at every compression, must lie in (0, 0.45·fs).
    fn check_emg_band(&self) -> Result<(), SimError> {
        let [lo, hi] = self.emg_band_hz;
        positive("emg_band_hz[0]", lo)?;
        if !(hi.is_finite() && hi > lo) {
            return Err(SimError::setting(
                "emg_band_hz[1]",
                hi,
                format!("must be above the lower edge {lo} Hz"),
            ));
        }
        let top = hi * self.antagonist_spectrum_scale.max(1.0);
        let cap = 0.45 * self.sample_rate_hz;
        if top >= cap {
            return Err(SimError::setting(
                "emg_band_hz[1]",
                hi,
                format!(
                    "the shaping band reaches {top} Hz (times antagonist_spectrum_scale), \
                     not below 0.45·sample_rate_hz = {cap} Hz"
                ),
            ));
        }
        Ok(())
    }
}

fn positive(key: &'static str, v: f64) -> Result<(), SimError> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(SimError::setting(
            key,
            v,
            "must be a positive, finite number",
        ))
    }
}

fn non_negative(key: &'static str, v: f64) -> Result<(), SimError> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(SimError::setting(key, v, "must be a finite number ≥ 0"))
    }
}

fn fraction_below_one(key: &'static str, v: f64) -> Result<(), SimError> {
    if (0.0..1.0).contains(&v) {
        Ok(())
    } else {
        Err(SimError::setting(key, v, "must be a fraction in [0, 1)"))
    }
}

fn below_nyquist(key: &'static str, v: f64, fs: f64) -> Result<(), SimError> {
    positive(key, v)?;
    if v < fs / 2.0 {
        Ok(())
    } else {
        Err(SimError::setting(
            key,
            v,
            format!("must be below the Nyquist frequency {} Hz", fs / 2.0),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        SimSettings::default().validate().unwrap();
        let low = SimSettings::new(1.0, 400.0, 1).validate().unwrap_err();
        assert!(matches!(low, SimError::RateTooLow { .. }), "{low}");
        assert!(low.to_string().contains("400"), "{low}");
        let bad = SimSettings {
            side_ratio: -1.0,
            ..SimSettings::default()
        };
        let e = bad.validate().unwrap_err().to_string();
        assert!(e.contains("side_ratio") && e.contains("-1"), "{e}");
        let nan = SimSettings::new(f64::NAN, 2000.0, 1)
            .validate()
            .unwrap_err();
        assert!(nan.to_string().contains("seconds"), "{nan}");
        let band = SimSettings {
            emg_band_hz: [50.0, 300.0],
            ..SimSettings::new(1.0, 500.0, 1)
        };
        assert!(band
            .validate()
            .unwrap_err()
            .to_string()
            .contains("emg_band_hz"));
        for (strength_ratio, torque_peak_nm, key) in [
            (0.0, 150.0, "strength_ratio"),
            (2.01, 150.0, "strength_ratio"),
            (f64::NAN, 150.0, "strength_ratio"),
            (0.6, 0.0, "torque_peak_nm"),
            (0.6, f64::INFINITY, "torque_peak_nm"),
        ] {
            let bad = SimSettings {
                scenario: Scenario::Knee,
                strength_ratio,
                torque_peak_nm,
                ..SimSettings::default()
            };
            let e = bad.validate().unwrap_err().to_string();
            assert!(e.contains(key), "{e}");
        }
        let top = SimSettings {
            scenario: Scenario::Knee,
            strength_ratio: 2.0,
            ..SimSettings::default()
        };
        top.validate().unwrap();
    }
}
