//! Strength ratios and left/right strength from simulated knee sessions against the
//! simulator's truth: set hamstrings:quadriceps ratios (0.45, 0.6, 0.75) and side ratios
//! are recovered from `/summary/strength` and `/summary/symmetry` within 5 %, with causal
//! and zero-phase filters; the flags follow the references; the report's first lines
//! say it in words.

use myobalance::engine::{analyze, Filtering};
use myobalance::recording::Recording;
use myobalance::report::glance::findings;
use myobalance::results::{Results, SummaryValues};
use myobalance::sim::{simulate, Scenario, SimSettings};

/// The bound: a ratio within 5 % of the truth.
const RELATIVE_TOL: f64 = 0.05;

/// One set of alternating extension and flexion holds (lead-in 3 s, six 7 s holds with
/// 1 s pauses) and a little rest.
fn session(strength_ratio: f64, side_ratio: f64, seed: u64) -> Recording {
    simulate(&SimSettings {
        scenario: Scenario::Knee,
        strength_ratio,
        side_ratio,
        ..SimSettings::new(53.0, 2000.0, seed)
    })
    .unwrap()
}

fn truth(rec: &Recording, name: &str, label: &str) -> f64 {
    let e = rec.truth.as_ref().unwrap().get(name).unwrap();
    let k = e.labels.iter().position(|l| l == label).unwrap();
    e.values[k]
}

fn value(r: &Results, group: &str, column: &str, name: &str) -> f64 {
    let g = r
        .summary(group)
        .unwrap_or_else(|| panic!("no /summary/{group}"));
    let k = g.names.iter().position(|n| n == name).unwrap();
    g.numbers(column).unwrap()[k]
}

fn close(got: f64, want: f64, what: &str) {
    assert!(
        ((got - want) / want).abs() < RELATIVE_TOL,
        "{what}: {got} against the truth {want}"
    );
}

#[test]
fn set_strength_and_side_ratios_are_recovered_in_both_filter_modes() {
    let cases = [(0.45, 0.7), (0.6, 0.85), (0.75, 0.95)];
    for (seed, (strength_ratio, side_ratio)) in cases.into_iter().enumerate() {
        let rec = session(strength_ratio, side_ratio, 30 + seed as u64);
        for filtering in [Filtering::ZeroPhase, Filtering::Causal] {
            let r = analyze(&rec, filtering).unwrap();
            let what =
                |s: &str| format!("{s} (H:Q {strength_ratio}, L/R {side_ratio}, {filtering:?})");
            for (pair, torque) in [("knee_l", "torque_l"), ("knee_r", "torque_r")] {
                let want = truth(&rec, "strength_ratio", pair);
                assert_eq!(want, strength_ratio);
                close(value(&r, "strength", "ratio", pair), want, &what(pair));
                close(
                    value(&r, "strength", "agonist_mvc_500ms", pair),
                    truth(&rec, "torque_extension_nm", torque),
                    &what("extension"),
                );
                close(
                    value(&r, "strength", "antagonist_mvc_500ms", pair),
                    -truth(&rec, "torque_flexion_nm", torque),
                    &what("flexion"),
                );
                assert_eq!(value(&r, "strength", "reference", pair), 0.6);
                let flagged = value(&r, "strength", "flagged", pair);
                match strength_ratio {
                    0.45 => assert_eq!(flagged, 1.0, "{}", what("flag")),
                    0.75 => assert_eq!(flagged, 0.0, "{}", what("flag")),
                    _ => assert!(flagged == 0.0 || flagged == 1.0),
                }
            }
            // Left/right strength: the extension holds of the two torques.
            close(
                value(&r, "symmetry", "lsi_percent", "torque"),
                100.0 * side_ratio,
                &what("torque LSI"),
            );
            let s = r.summary("symmetry").unwrap();
            let k = s.names.iter().position(|n| n == "torque").unwrap();
            let measure = s.columns.iter().find_map(|(n, v)| match v {
                SummaryValues::Texts(t) if n == "measure" => Some(t[k].clone()),
                _ => None,
            });
            assert_eq!(measure.as_deref(), Some("agonist_mvc_500ms"));
            assert_eq!(value(&r, "symmetry", "reference", "torque"), 90.0);
            let flagged = value(&r, "symmetry", "flagged", "torque");
            assert_eq!(
                flagged,
                if side_ratio < 0.9 { 1.0 } else { 0.0 },
                "{}",
                what("LSI flag")
            );
        }
    }
}

#[test]
fn at_a_glance_says_the_weaker_side_and_the_low_ratio() {
    let rec = session(0.45, 0.7, 41);
    let r = analyze(&rec, Filtering::ZeroPhase).unwrap();
    let duration = rec.samples.nrows() as f64 / 2000.0;
    let lines = findings(&r, &rec.montage, duration);
    let texts: Vec<&str> = lines.iter().map(|f| f.text.as_str()).collect();
    let torque = lines
        .iter()
        .find(|f| f.text.starts_with("torque: left"))
        .unwrap_or_else(|| panic!("no torque line in {texts:#?}"));
    assert!(torque.flagged);
    let lsi = value(&r, "symmetry", "lsi_percent", "torque");
    assert!(
        torque.text.contains(&format!(
            "{:.0} % weaker than right (strength): LSI {lsi:.0} %, reference ≥ 90 %",
            100.0 - lsi
        )),
        "{}",
        torque.text
    );
    let ratio = value(&r, "strength", "ratio", "knee_r");
    let knee_r = lines
        .iter()
        .find(|f| f.text.starts_with("knee_r: strength ratio"))
        .unwrap_or_else(|| panic!("no knee_r line in {texts:#?}"));
    assert_eq!(
        knee_r.text,
        format!("knee_r: strength ratio bf_r:vl_r {ratio:.2}, reference ≥ 0.6")
    );
    assert!(knee_r.flagged);
    assert!(texts
        .iter()
        .any(|t| t.starts_with("Fatigue: median frequency")));
}
