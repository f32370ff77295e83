//! The ground truth of a simulated recording: what each feature should find, with its unit
//! and a sentence saying so (stored under `/truth`). Timing entries list the sets and
//! repetitions that start within the recording, at their scheduled times (a set cut short
//! by the end of the recording keeps its scheduled end). The spectral entries come from
//! the model's own filters (`spectrum`), computed once when the simulator is built.
//!
//! The knee scenario states what differs there: each muscle has a level on the holds it
//! works and one on the holds it co-contracts (`emg_rms_uv`, `emg_cocontraction_rms_uv`),
//! the co-contraction ratio holds in both directions, each repetition has a direction
//! (`rep_direction`), and the torque plateaus of both directions and their ratio are
//! given (`torque_extension_nm`, `torque_flexion_nm`, `strength_ratio`) in place of the
//! elbow's one-way `force_peak_n`.

use crate::montage::Analysis;
use crate::recording::{Truth, TruthEntry};

use super::channels::Spec;
use super::error::SimError;
use super::scenario::{Layout, Scenario};
use super::schedule::{Effort, Schedule};
use super::settings::SimSettings;
use super::shaping::Band;
use super::spectrum::{fatigue_line, AnalysisBand, FatigueLine};

/// What the truth needs beyond the settings, per EMG channel (in `emg` order).
#[derive(Debug, Clone)]
pub(crate) struct TruthModel {
    settings: SimSettings,
    layout: &'static Layout,
    schedule: Schedule,
    emg: Vec<EmgTruth>,
}

#[derive(Debug, Clone)]
struct EmgTruth {
    spec: Spec,
    line: FatigueLine,
    /// Band-passed RMS on a plateau at rest spectrum (c = 1), µV, on the agonist's and on
    /// the antagonist's repetitions: burst, baseline noise and hum.
    plateau_rms_uv: [f64; 2],
    /// Band-passed RMS of baseline noise plus hum, µV.
    rest_rms_uv: f64,
}

impl TruthModel {
    pub fn new(s: &SimSettings) -> Result<TruthModel, SimError> {
        let fs = s.sample_rate_hz;
        let schedule = Schedule::new(s);
        let analysis = AnalysisBand::new(Analysis::default().bandpass_hz, fs)?;
        let rest_power = s.baseline_noise_rms_uv.powi(2) * analysis.white_fraction()
            + 0.5 * s.mains_amplitude_uv.powi(2) * analysis.tone_gain(f64::from(s.mains_hz));
        let layout = s.scenario.layout();
        let emg = layout
            .emg()
            .map(|spec| {
                let [low_hz, high_hz] = spec.emg_band_hz(s);
                let band = Band {
                    low_hz,
                    high_hz,
                    fs,
                };
                let fraction = analysis.shaped_fraction(&band, 1.0);
                let rms = |effort| {
                    let burst = spec.burst_uv(s, effort).powi(2) * fraction;
                    (burst + rest_power).sqrt()
                };
                EmgTruth {
                    spec: *spec,
                    line: fatigue_line(&band, &schedule, &analysis),
                    plateau_rms_uv: [rms(Effort::Agonist), rms(Effort::Antagonist)],
                    rest_rms_uv: rest_power.sqrt(),
                }
            })
            .collect();
        Ok(TruthModel {
            settings: s.clone(),
            layout,
            schedule,
            emg,
        })
    }

    fn knee(&self) -> bool {
        self.settings.scenario == Scenario::Knee
    }

    /// The truth of a recording `seconds` long.
    pub fn truth(&self, seconds: f64) -> Truth {
        let mut entries = Vec::new();
        self.timing(seconds, &mut entries);
        self.tremor(&mut entries);
        self.balance(&mut entries);
        self.activation(&mut entries);
        self.fatigue(&mut entries);
        self.force(&mut entries);
        Truth { entries }
    }

    fn timing(&self, seconds: f64, out: &mut Vec<TruthEntry>) {
        let s = &self.schedule;
        let sets = s.sets_started_by(seconds);
        let set_labels: Vec<String> = (1..=sets).map(|k| format!("set_{k}")).collect();
        let per_set = |f: &dyn Fn(usize) -> f64| (0..sets).map(f).collect::<Vec<f64>>();
        let mut reps = Vec::new();
        for k in 0..sets {
            for j in 0..s.reps {
                let onset = s.rep_onset_s(k, j);
                if onset < seconds {
                    reps.push((format!("set_{}_rep_{}", k + 1, j + 1), onset, s.effort(j)));
                }
            }
        }
        let rep_labels: Vec<String> = reps.iter().map(|r| r.0.clone()).collect();
        let active = s.rep_active_s();
        let m = f64::from(self.settings.mains_hz);
        out.extend([
            entry(
                "mains_hz",
                vec![m],
                vec![],
                "Hz",
                "Frequency of the hum on every EMG channel: the line-noise check finds a peak \
                 here, clearest at rest.",
            ),
            entry(
                "set_start_s",
                per_set(&|k| s.set_start_s(k)),
                set_labels.clone(),
                "s",
                "Start of each set (the onset of its first repetition's rise).",
            ),
            entry(
                "set_end_s",
                per_set(&|k| s.set_start_s(k) + s.set_duration_s()),
                set_labels.clone(),
                "s",
                "End of each set (its last repetition's activation back to 0); the EMG \
                 spectrum then recovers linearly through the rest.",
            ),
            entry(
                "rep_onset_s",
                reps.iter().map(|r| r.1).collect(),
                rep_labels.clone(),
                "s",
                "Onset of each repetition's activation (raised-cosine rise over ramp_s): EMG \
                 onset detection fires just after it, force onset a little later.",
            ),
            entry(
                "rep_offset_s",
                reps.iter().map(|r| r.1 + active).collect(),
                rep_labels.clone(),
                "s",
                "End of each repetition's activation fall (activation back to 0); the plateau \
                 is [onset + ramp_s, offset − ramp_s].",
            ),
            entry(
                "tremor_onset_s",
                per_set(&|k| s.tremor_onset_s(k)),
                set_labels,
                "s",
                "When each set's tremor starts to grow (linearly, to full amplitude at the set's \
                 end): tremor band power rises above its early-set baseline after it.",
            ),
        ]);
        if self.knee() {
            out.push(entry(
                "rep_direction",
                reps.iter()
                    .map(|r| match r.2 {
                        Effort::Agonist => 1.0,
                        Effort::Antagonist => -1.0,
                    })
                    .collect(),
                rep_labels,
                "1",
                "Direction of each repetition: +1 an extension hold (quadriceps work, \
                 hamstrings co-contract, torque positive), −1 a flexion hold (hamstrings \
                 work, quadriceps co-contract, torque negative); they alternate within each \
                 set, starting with extension.",
            ));
        }
    }

    fn tremor(&self, out: &mut Vec<TruthEntry>) {
        let s = &self.settings;
        let specs = self.layout.specs;
        let forces: Vec<&Spec> = self.layout.forces().collect();
        let amplitude = if self.knee() {
            entry(
                "tremor_amplitude_nm",
                forces.iter().map(|_| s.tremor_amplitude_n).collect(),
                forces.iter().map(|spec| spec.name.to_string()).collect(),
                "N.m",
                "Peak amplitude of the torque oscillation at full activation at a set's end, \
                 on extension and flexion holds alike (it grows linearly from 0 at the tremor \
                 onset, times the activation).",
            )
        } else {
            entry(
                "tremor_amplitude_n",
                forces.iter().map(|_| s.tremor_amplitude_n).collect(),
                forces.iter().map(|spec| spec.name.to_string()).collect(),
                "N",
                "Peak amplitude of the force oscillation at full activation at a set's end \
                 (it grows linearly from 0 at the tremor onset, times the activation).",
            )
        };
        out.extend([
            entry(
                "tremor_hz",
                specs.iter().map(|spec| spec.tremor_hz(s)).collect(),
                specs.iter().map(|spec| spec.name.to_string()).collect(),
                "Hz",
                "Tremor frequency of each channel's side, from a set's tremor onset to its end: \
                 force oscillates at it and EMG amplitude is modulated at it, so tremor peak_hz \
                 finds it late in a set.",
            ),
            amplitude,
        ]);
    }

    fn balance(&self, out: &mut Vec<TruthEntry>) {
        let s = &self.settings;
        let bilateral = self.layout.bilateral;
        let pairs: Vec<String> = self
            .layout
            .pairs
            .iter()
            .map(|p| p.name.to_string())
            .collect();
        let names = |list: &[(&str, &str, &str)]| list.iter().map(|p| p.0.to_string()).collect();
        let ratio = s.side_ratio;
        let r = s.cocontraction_ratio;
        let lsi = 100.0 * ratio.min(1.0 / ratio);
        let si = 100.0 * (1.0 - ratio) / (0.5 * (1.0 + ratio));
        let knee = self.knee();
        out.extend([
            entry(
                "side_ratio",
                vec![ratio; bilateral.len()],
                names(bilateral),
                "1",
                if knee {
                    "Left activation over right for each bilateral pair (EMG burst RMS and \
                     %MVC on every hold, torque plateau of extension and of flexion): below 1 \
                     the left side is the weaker."
                } else {
                    "Left activation over right for each bilateral pair (EMG burst RMS and \
                     %MVC, force plateau): below 1 the left side is the weaker."
                },
            ),
            entry(
                "lsi_percent",
                vec![lsi; bilateral.len()],
                names(bilateral),
                "%",
                if knee {
                    "Limb symmetry index 100·min(L,R)/max(L,R) of active periods, for EMG \
                     and for the torque of either direction (its magnitude); rest periods \
                     (equal baseline noise on both sides) pull whole-recording means toward \
                     100."
                } else {
                    "Limb symmetry index 100·min(L,R)/max(L,R) of active periods; rest periods \
                     (equal baseline noise on both sides) pull whole-recording means toward \
                     100."
                },
            ),
            entry(
                "si_percent",
                vec![si; bilateral.len()],
                names(bilateral),
                "%",
                if knee {
                    "Robinson symmetry index 100·(R−L)/(0.5·(R+L)) of active periods, for EMG \
                     and for the torque magnitude of either direction; rest periods pull \
                     whole-recording means toward 0."
                } else {
                    "Robinson symmetry index 100·(R−L)/(0.5·(R+L)) of active periods; rest \
                     periods pull whole-recording means toward 0."
                },
            ),
            entry(
                "cocontraction_ratio",
                vec![r; pairs.len()],
                pairs.clone(),
                "1",
                if knee {
                    "Activation of the co-contracting muscle over the working one for each \
                     pair (EMG burst RMS, %MVC and envelope, which share one MVC reference), \
                     in both directions: hamstrings over quadriceps on extension holds, \
                     quadriceps over hamstrings on flexion holds (so hamstrings over \
                     quadriceps is 1/r there)."
                } else {
                    "Antagonist activation over agonist activation for each pair (EMG burst \
                     RMS, %MVC and envelope, which share one MVC reference)."
                },
            ),
            entry(
                "cci_fw_percent",
                vec![200.0 * r.min(1.0) / (1.0 + r); pairs.len()],
                pairs.clone(),
                "%",
                if knee {
                    "Falconer–Winter CCI of proportional envelopes, 200·min(r,1)/(1+r) with r \
                     the co-contraction ratio, the same on extension and flexion holds (the \
                     index is symmetric in the two muscles): what windows inside repetitions \
                     find (envelope ripple moves it a few percent); rest windows are NaN \
                     (both below inactive_pct_mvc)."
                } else {
                    "Falconer–Winter CCI of proportional envelopes, 200·min(r,1)/(1+r) with r \
                     the co-contraction ratio: what windows inside repetitions find (envelope \
                     ripple moves it a few percent); rest windows are NaN (both below \
                     inactive_pct_mvc)."
                },
            ),
        ]);
        if knee {
            out.push(entry(
                "strength_ratio",
                vec![s.strength_ratio; pairs.len()],
                pairs,
                "1",
                "Antagonist over agonist strength for each pair: hamstrings over quadriceps, \
                 the magnitude of the flexion torque plateau over the extension one (isometric \
                 H:Q ratio), the same on both sides; the best 500 ms mean of each direction \
                 finds the plateaus.",
            ));
        }
    }

    fn activation(&self, out: &mut Vec<TruthEntry>) {
        let labels: Vec<String> = self.emg.iter().map(|e| e.spec.name.to_string()).collect();
        let mvc = self.settings.emg_mvc_uv;
        let knee = self.knee();
        // Elbow: every repetition is the agonist's. Knee: each muscle's own holds.
        let working = |e: &EmgTruth| {
            let effort = if knee && !e.spec.works(Effort::Agonist) {
                Effort::Antagonist
            } else {
                Effort::Agonist
            };
            e.plateau_rms_uv[effort.index()]
        };
        out.extend([
            entry(
                "emg_rms_uv",
                self.emg.iter().map(working).collect(),
                labels.clone(),
                "uV",
                if knee {
                    "Activation RMS of the band-passed EMG on the plateau of a hold this muscle \
                     works early in a set (extension holds for the quadriceps, flexion holds \
                     for the hamstrings; burst, baseline noise and hum together); the tremor's \
                     amplitude modulation raises it later in a set, by up to √(1 + \
                     emg_tremor_depth²/2)."
                } else {
                    "Activation RMS of the band-passed EMG on a repetition's plateau early in a \
                     set (burst, baseline noise and hum together); the tremor's amplitude \
                     modulation raises it later in a set, by up to √(1 + emg_tremor_depth²/2)."
                },
            ),
            entry(
                "emg_pct_mvc",
                self.emg.iter().map(|e| 100.0 * working(e) / mvc).collect(),
                labels.clone(),
                "%",
                "emg_rms_uv as a percentage of the channel's montage mvc.",
            ),
        ]);
        if knee {
            out.push(entry(
                "emg_cocontraction_rms_uv",
                self.emg
                    .iter()
                    .map(|e| {
                        let other = if e.spec.works(Effort::Agonist) {
                            Effort::Antagonist
                        } else {
                            Effort::Agonist
                        };
                        e.plateau_rms_uv[other.index()]
                    })
                    .collect(),
                labels.clone(),
                "uV",
                "Activation RMS of the band-passed EMG on the plateau of a hold the other \
                 muscle works early in a set (flexion holds for the quadriceps, extension \
                 holds for the hamstrings): the co-contraction level, cocontraction_ratio \
                 times the burst of emg_rms_uv, with baseline noise and hum.",
            ));
        }
        out.push(entry(
            "rest_rms_uv",
            self.emg.iter().map(|e| e.rest_rms_uv).collect(),
            labels,
            "uV",
            "Activation RMS of the band-passed EMG at rest: white baseline noise and mains \
             hum.",
        ));
    }

    fn fatigue(&self, out: &mut Vec<TruthEntry>) {
        let labels: Vec<String> = self.emg.iter().map(|e| e.spec.name.to_string()).collect();
        out.extend([
            entry(
                "mdf_initial_hz",
                self.emg.iter().map(|e| e.line.initial_hz).collect(),
                labels.clone(),
                "Hz",
                "Median frequency at each set's start: the value at the set's start of the \
                 least-squares line through the model MDF (shaping spectrum times the zero-phase \
                 20–450 Hz band-pass) over the set.",
            ),
            entry(
                "mdf_slope_hz_per_s",
                self.emg.iter().map(|e| e.line.slope_hz_per_s).collect(),
                labels.clone(),
                "Hz/s",
                "Slope of that line within a set: MDF over the active epochs of one set falls \
                 this fast (a fit across sets sees the recovery between them too).",
            ),
            entry(
                "mdf_slope_pct_per_s",
                self.emg
                    .iter()
                    .map(|e| 100.0 * e.line.slope_hz_per_s / e.line.initial_hz)
                    .collect(),
                labels,
                "%/s",
                "mdf_slope_hz_per_s as a percentage of mdf_initial_hz.",
            ),
        ]);
    }

    fn force(&self, out: &mut Vec<TruthEntry>) {
        let s = &self.settings;
        let forces: Vec<&Spec> = self.layout.forces().collect();
        let labels: Vec<String> = forces.iter().map(|spec| spec.name.to_string()).collect();
        if !self.knee() {
            out.push(entry(
                "force_peak_n",
                forces.iter().map(|spec| spec.plateau(s)).collect(),
                labels,
                "N",
                "Force plateau of every repetition (the muscle model settles on it): the best \
                 500 ms mean finds it; the raw peak exceeds it by the tremor and sensor noise.",
            ));
            return;
        }
        let flexion = Spec::force_gain(s, Effort::Antagonist);
        out.extend([
            entry(
                "torque_extension_nm",
                forces.iter().map(|spec| spec.plateau(s)).collect(),
                labels.clone(),
                "N.m",
                "Torque plateau of every extension hold (positive; the muscle model settles \
                 on it): the agonist's (quadriceps') strength, found by the best 500 ms mean \
                 of the positive torque.",
            ),
            entry(
                "torque_flexion_nm",
                forces
                    .iter()
                    .map(|spec| flexion * spec.plateau(s))
                    .collect(),
                labels,
                "N.m",
                "Torque plateau of every flexion hold, signed as the channel reads it \
                 (negative): its magnitude is the antagonist's (hamstrings') strength, \
                 strength_ratio times torque_extension_nm, found by the best 500 ms mean of \
                 the negative torque.",
            ),
        ]);
    }
}

fn entry(
    name: &str,
    values: Vec<f64>,
    labels: Vec<String>,
    unit: &str,
    description: &str,
) -> TruthEntry {
    TruthEntry {
        name: name.to_string(),
        values,
        labels,
        unit: unit.to_string(),
        description: description.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_have_one_label_per_value_and_valid_names() {
        // The 2 s-hold timeline these figures were worked out for.
        let settings = SimSettings {
            hold_s: 2.0,
            ..SimSettings::default()
        };
        let model = TruthModel::new(&settings).unwrap();
        let truth = model.truth(60.0);
        for e in &truth.entries {
            assert!(
                e.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{}",
                e.name
            );
            assert!(e.labels.is_empty() && e.values.len() == 1 || e.labels.len() == e.values.len());
            assert!(!e.description.is_empty() && !e.unit.is_empty());
            assert!(e.values.iter().all(|v| v.is_finite()), "{}", e.name);
        }
        assert_eq!(truth.get("set_start_s").unwrap().values, vec![3.0, 36.0]);
        assert_eq!(truth.get("rep_onset_s").unwrap().values.len(), 12);
        let fw = truth.get("cci_fw_percent").unwrap().values[0];
        assert!((fw - 200.0 * 0.3 / 1.3).abs() < 1e-12);
        let short = model.truth(0.1);
        assert!(short.get("set_start_s").unwrap().values.is_empty());
    }

    #[test]
    fn knee_states_both_directions_and_leaves_out_the_elbows_one_way_entries() {
        let settings = SimSettings {
            scenario: Scenario::Knee,
            hold_s: 2.0,
            strength_ratio: 0.5,
            side_ratio: 0.8,
            ..SimSettings::default()
        };
        let truth = TruthModel::new(&settings).unwrap().truth(60.0);
        for e in &truth.entries {
            assert!(e.labels.is_empty() && e.values.len() == 1 || e.labels.len() == e.values.len());
            assert!(e.values.iter().all(|v| v.is_finite()), "{}", e.name);
        }
        for absent in ["force_peak_n", "tremor_amplitude_n"] {
            assert!(truth.get(absent).is_none(), "{absent}");
        }
        let get = |name: &str| truth.get(name).unwrap();
        assert_eq!(get("strength_ratio").labels, ["knee_l", "knee_r"]);
        assert_eq!(get("strength_ratio").values, [0.5, 0.5]);
        assert_eq!(get("torque_extension_nm").labels, ["torque_l", "torque_r"]);
        let ext = &get("torque_extension_nm").values;
        let flex = &get("torque_flexion_nm").values;
        assert!((ext[0] - 0.8 * ext[1]).abs() < 1e-9);
        assert!((flex[1] + 0.5 * ext[1]).abs() < 1e-9);
        assert_eq!(get("rep_direction").values.len(), 12);
        assert_eq!(&get("rep_direction").values[..3], &[1.0, -1.0, 1.0]);
        assert_eq!(get("tremor_amplitude_nm").unit, "N.m");
        // Each muscle co-contracts at r times its own working level (noise aside).
        let working = &get("emg_rms_uv").values;
        let other = &get("emg_cocontraction_rms_uv").values;
        for (w, o) in working.iter().zip(other) {
            assert!((o / w - 0.3).abs() < 0.01, "{o} / {w}");
        }
    }
}
