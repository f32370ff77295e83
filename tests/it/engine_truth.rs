//! The engine recovers the simulator's ground truth (default scenario: 6 s isometric holds,
//! weaker left side, co-contraction 0.3, fatigue within each set, tremor late in each set),
//! at several rates and seeds, in both modes.

use myobalance::engine::{analyze, Filtering};
use myobalance::recording::Truth;
use myobalance::results::{EventKind, Results, SummaryValues};
use myobalance::sim::{simulate, SimSettings};

/// The bound on the tremor peak.
const TREMOR_HZ_TOL: f64 = 0.3;
/// LSI of recording means: rest windows (a few µV on both sides) pull it slightly toward
/// 100 %.
const LSI_TOL_PERCENT: f64 = 3.0;
/// FW from envelopes: noise on the rest parts of edge windows adds a little common area.
const FW_TOL_PERCENT: f64 = 4.0;
/// One set's MDF slope from 0.5 s epochs (SD of one epoch's MDF ≈ 10 Hz).
const MDF_SLOPE_TOL: f64 = 0.35;
const MDF_INITIAL_TOL: f64 = 0.06;
/// Force plateau: sensor noise and tremor ride on it.
const FORCE_TOL: f64 = 0.01;

fn truth_of(truth: &Truth, name: &str, label: &str) -> f64 {
    let e = truth.get(name).unwrap_or_else(|| panic!("truth {name}"));
    let i = e
        .labels
        .iter()
        .position(|l| l == label)
        .unwrap_or_else(|| panic!("{name}/{label}"));
    e.values[i]
}

fn summary(r: &Results, group: &str, column: &str, name: &str) -> f64 {
    let g = r.summary(group).unwrap();
    let i = g.names.iter().position(|n| n == name).unwrap();
    g.numbers(column).unwrap()[i]
}

#[test]
fn one_set_recovers_tremor_symmetry_cocontraction_fatigue_and_force() {
    for (rate, seed) in [(2000.0, 1u64), (1000.0, 4), (2048.0, 7)] {
        // Lead-in and one full set of six 7 s repetitions (with 1 s pauses): 51 s.
        let rec = simulate(&SimSettings::new(51.0, rate, seed)).unwrap();
        let truth = rec.truth.as_ref().unwrap();
        for filtering in [Filtering::ZeroPhase, Filtering::Causal] {
            let r = analyze(&rec, filtering).unwrap();
            let at = format!("{rate} Hz, seed {seed}, {filtering:?}");

            for ch in ["force_l", "force_r", "biceps_l", "biceps_r"] {
                let peak = summary(&r, "tremor", "peak_hz", ch);
                let f = truth_of(truth, "tremor_hz", ch);
                assert!(
                    (peak - f).abs() < TREMOR_HZ_TOL,
                    "{at}: {ch} tremor {peak} vs {f}"
                );
            }
            // The alarm fires on both force channels, late in the set, at their tremor.
            let onset = truth.get("tremor_onset_s").unwrap().values[0];
            for ch in ["force_l", "force_r"] {
                let starts: Vec<_> = r
                    .events
                    .iter()
                    .filter(|e| e.kind == EventKind::TremorAlarmStart && e.channel == ch)
                    .collect();
                assert!(!starts.is_empty(), "{at}: no alarm on {ch}");
                for e in starts {
                    assert!(
                        e.time_s > onset,
                        "{at}: {ch} alarm at {} before the tremor",
                        e.time_s
                    );
                    assert!((e.value - truth_of(truth, "tremor_hz", ch)).abs() < TREMOR_HZ_TOL);
                }
                assert!(summary(&r, "tremor", "alarm_seconds", ch) > 0.0);
            }

            for name in ["biceps", "triceps", "force"] {
                let lsi = summary(&r, "symmetry", "lsi_percent", name);
                let expected = truth_of(truth, "lsi_percent", name);
                assert!(
                    (lsi - expected).abs() < LSI_TOL_PERCENT,
                    "{at}: {name} LSI {lsi} vs {expected}"
                );
                let g = r.summary("symmetry").unwrap();
                let i = g.names.iter().position(|n| n == name).unwrap();
                let weaker = g.columns.iter().find_map(|(n, v)| match v {
                    SummaryValues::Texts(t) if n == "weaker" => Some(t[i].as_str()),
                    _ => None,
                });
                assert_eq!(weaker, Some("left"), "{at}: {name}");
            }
            for pair in ["elbow_l", "elbow_r"] {
                let fw = summary(&r, "cocontraction", "fw_mean", pair);
                let expected = truth_of(truth, "cci_fw_percent", pair);
                assert!(
                    (fw - expected).abs() < FW_TOL_PERCENT,
                    "{at}: {pair} FW {fw} vs {expected}"
                );
            }
            for ch in ["biceps_l", "triceps_l", "biceps_r", "triceps_r"] {
                let slope = summary(&r, "fatigue", "mdf_slope_hz_per_s", ch);
                let expected = truth_of(truth, "mdf_slope_hz_per_s", ch);
                assert!(slope < 0.0, "{at}: {ch} MDF rises ({slope})");
                assert!(
                    (slope / expected - 1.0).abs() < MDF_SLOPE_TOL,
                    "{at}: {ch} MDF slope {slope} vs {expected}"
                );
                let initial = summary(&r, "fatigue", "mdf_initial_hz", ch);
                let expected = truth_of(truth, "mdf_initial_hz", ch);
                assert!(
                    (initial / expected - 1.0).abs() < MDF_INITIAL_TOL,
                    "{at}: {ch} MDF0 {initial} vs {expected}"
                );
            }
            for ch in ["force_l", "force_r"] {
                let mvc = summary(&r, "force", "mvc_500ms", ch);
                let expected = truth_of(truth, "force_peak_n", ch);
                assert!(
                    (mvc / expected - 1.0).abs() < FORCE_TOL,
                    "{at}: {ch} MVC {mvc} vs {expected}"
                );
                assert_eq!(summary(&r, "force", "onsets", ch), 6.0, "{at}: {ch} onsets");
            }
            // Each biceps repetition is found within 100 ms of its true onset.
            for ch in ["biceps_l", "biceps_r"] {
                let found: Vec<f64> = r
                    .events
                    .iter()
                    .filter(|e| e.kind == EventKind::Onset && e.channel == ch)
                    .map(|e| e.time_s)
                    .collect();
                for t in &truth.get("rep_onset_s").unwrap().values {
                    assert!(
                        found.iter().any(|f| (f - t).abs() < 0.1),
                        "{at}: {ch} onset at {t} s not found in {found:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn cocontraction_orders_scenarios_by_their_ratio() {
    // The antagonist working at 0.15, 0.3 and 0.6 of the agonist: both indices rise with it.
    let mut previous: Option<(f64, f64)> = None;
    for ratio in [0.15, 0.3, 0.6] {
        let settings = SimSettings {
            cocontraction_ratio: ratio,
            ..SimSettings::new(30.0, 2000.0, 3)
        };
        let rec = simulate(&settings).unwrap();
        let expected = truth_of(rec.truth.as_ref().unwrap(), "cci_fw_percent", "elbow_r");
        for filtering in [Filtering::ZeroPhase, Filtering::Causal] {
            let r = analyze(&rec, filtering).unwrap();
            let fw = summary(&r, "cocontraction", "fw_mean", "elbow_r");
            let rudolph = summary(&r, "cocontraction", "rudolph_mean", "elbow_r");
            assert!(
                (fw - expected).abs() < FW_TOL_PERCENT,
                "ratio {ratio}: FW {fw} vs {expected}"
            );
            if let (Some((fw0, ru0)), Filtering::ZeroPhase) = (previous, filtering) {
                assert!(
                    fw > fw0 && rudolph > ru0,
                    "ratio {ratio}: FW {fw0} → {fw}, Rudolph {ru0} → {rudolph}"
                );
            }
            if filtering == Filtering::ZeroPhase {
                previous = Some((fw, rudolph));
            }
        }
    }
}
