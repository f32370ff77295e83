//! The ground truth of a simulated recording: what each feature should find, with its unit
//! and a sentence saying so (stored under `/truth`). Timing entries list the sets and
//! repetitions that start within the recording, at their scheduled times (a set cut short
//! by the end of the recording keeps its scheduled end). The spectral entries come from
//! the model's own filters (`spectrum`), computed once when the simulator is built.

use crate::montage::Analysis;
use crate::recording::{Truth, TruthEntry};

use super::channels::{Spec, BILATERAL, PAIRS, SPECS};
use super::error::SimError;
use super::schedule::Schedule;
use super::settings::SimSettings;
use super::shaping::Band;
use super::spectrum::{fatigue_line, AnalysisBand, FatigueLine};

/// What the truth needs beyond the settings, per EMG channel (in `emg` order).
#[derive(Debug, Clone)]
pub(crate) struct TruthModel {
    settings: SimSettings,
    schedule: Schedule,
    emg: Vec<EmgTruth>,
}

#[derive(Debug, Clone)]
struct EmgTruth {
    spec: Spec,
    line: FatigueLine,
    /// Band-passed RMS of the burst on a plateau at rest spectrum (c = 1), µV.
    plateau_rms_uv: f64,
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
        let emg = SPECS
            .iter()
            .filter(|spec| spec.is_emg())
            .map(|spec| {
                let [low_hz, high_hz] = spec.emg_band_hz(s);
                let band = Band {
                    low_hz,
                    high_hz,
                    fs,
                };
                let burst = spec.plateau(s).powi(2) * analysis.shaped_fraction(&band, 1.0);
                EmgTruth {
                    spec: *spec,
                    line: fatigue_line(&band, &schedule, &analysis),
                    plateau_rms_uv: (burst + rest_power).sqrt(),
                    rest_rms_uv: rest_power.sqrt(),
                }
            })
            .collect();
        Ok(TruthModel {
            settings: s.clone(),
            schedule,
            emg,
        })
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
                    reps.push((format!("set_{}_rep_{}", k + 1, j + 1), onset));
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
                rep_labels,
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
    }

    fn tremor(&self, out: &mut Vec<TruthEntry>) {
        let s = &self.settings;
        let forces: Vec<&Spec> = SPECS.iter().filter(|spec| !spec.is_emg()).collect();
        out.extend([
            entry(
                "tremor_hz",
                SPECS.iter().map(|spec| spec.tremor_hz(s)).collect(),
                SPECS.iter().map(|spec| spec.name.to_string()).collect(),
                "Hz",
                "Tremor frequency of each channel's side, from a set's tremor onset to its end: \
                 force oscillates at it and EMG amplitude is modulated at it, so tremor peak_hz \
                 finds it late in a set.",
            ),
            entry(
                "tremor_amplitude_n",
                forces.iter().map(|_| s.tremor_amplitude_n).collect(),
                forces.iter().map(|spec| spec.name.to_string()).collect(),
                "N",
                "Peak amplitude of the force oscillation at full activation at a set's end \
                 (it grows linearly from 0 at the tremor onset, times the activation).",
            ),
        ]);
    }

    fn balance(&self, out: &mut Vec<TruthEntry>) {
        let s = &self.settings;
        let names = |list: &[(&str, &str, &str)]| list.iter().map(|p| p.0.to_string()).collect();
        let ratio = s.side_ratio;
        let r = s.cocontraction_ratio;
        let lsi = 100.0 * ratio.min(1.0 / ratio);
        let si = 100.0 * (1.0 - ratio) / (0.5 * (1.0 + ratio));
        out.extend([
            entry(
                "side_ratio",
                vec![ratio; BILATERAL.len()],
                names(&BILATERAL),
                "1",
                "Left activation over right for each bilateral pair (EMG burst RMS and %MVC, \
                 force plateau): below 1 the left side is the weaker.",
            ),
            entry(
                "lsi_percent",
                vec![lsi; BILATERAL.len()],
                names(&BILATERAL),
                "%",
                "Limb symmetry index 100·min(L,R)/max(L,R) of active periods; rest periods (equal \
                 baseline noise on both sides) pull whole-recording means toward 100.",
            ),
            entry(
                "si_percent",
                vec![si; BILATERAL.len()],
                names(&BILATERAL),
                "%",
                "Robinson symmetry index 100·(R−L)/(0.5·(R+L)) of active periods; rest periods \
                 pull whole-recording means toward 0.",
            ),
            entry(
                "cocontraction_ratio",
                vec![r; PAIRS.len()],
                names(&PAIRS),
                "1",
                "Antagonist activation over agonist activation for each pair (EMG burst RMS, \
                 %MVC and envelope, which share one MVC reference).",
            ),
            entry(
                "cci_fw_percent",
                vec![200.0 * r.min(1.0) / (1.0 + r); PAIRS.len()],
                names(&PAIRS),
                "%",
                "Falconer–Winter CCI of proportional envelopes, 200·min(r,1)/(1+r) with r the \
                 co-contraction ratio: what windows inside repetitions find (envelope ripple \
                 moves it a few percent); rest windows are NaN (both below inactive_pct_mvc).",
            ),
        ]);
    }

    fn activation(&self, out: &mut Vec<TruthEntry>) {
        let labels: Vec<String> = self.emg.iter().map(|e| e.spec.name.to_string()).collect();
        let mvc = self.settings.emg_mvc_uv;
        out.extend([
            entry(
                "emg_rms_uv",
                self.emg.iter().map(|e| e.plateau_rms_uv).collect(),
                labels.clone(),
                "uV",
                "Activation RMS of the band-passed EMG on a repetition's plateau early in a set \
                 (burst, baseline noise and hum together); the tremor's amplitude modulation \
                 raises it later in a set, by up to √(1 + emg_tremor_depth²/2).",
            ),
            entry(
                "emg_pct_mvc",
                self.emg
                    .iter()
                    .map(|e| 100.0 * e.plateau_rms_uv / mvc)
                    .collect(),
                labels.clone(),
                "%",
                "emg_rms_uv as a percentage of the channel's montage mvc.",
            ),
            entry(
                "rest_rms_uv",
                self.emg.iter().map(|e| e.rest_rms_uv).collect(),
                labels,
                "uV",
                "Activation RMS of the band-passed EMG at rest: white baseline noise and mains \
                 hum.",
            ),
        ]);
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
        let forces: Vec<&Spec> = SPECS.iter().filter(|spec| !spec.is_emg()).collect();
        out.push(entry(
            "force_peak_n",
            forces.iter().map(|spec| spec.plateau(s)).collect(),
            forces.iter().map(|spec| spec.name.to_string()).collect(),
            "N",
            "Force plateau of every repetition (the muscle model settles on it): the best \
             500 ms mean finds it; the raw peak exceeds it by the tremor and sensor noise.",
        ));
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
}
