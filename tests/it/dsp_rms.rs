//! Windowed RMS and the window rule against a numpy reference.

use myobalance::dsp::rms::{rms, windowed_rms};
use myobalance::dsp::windows::WindowSpec;

use crate::fixtures::{f, load, scaled_error, vec1};

/// Sums of a few hundred squares in a different order.
const RMS_TOL: f64 = 1e-13;

#[test]
fn windowed_rms_matches_numpy_and_the_window_rule() {
    let data = load("rms");
    for case in data["cases"].as_array().unwrap() {
        let fs = f(&case["fs"]);
        let spec =
            WindowSpec::from_seconds(f(&case["window_s"]), f(&case["hop_s"]), fs, 2).unwrap();
        let x = vec1(&case["x"]);
        let mut out = Vec::new();
        windowed_rms(&x, &spec, &mut out);
        let expected = vec1(&case["rms"]);
        assert_eq!(out.len(), expected.len(), "window count at {fs} Hz");
        assert!(scaled_error(&out, &expected) < RMS_TOL);
        let times: Vec<f64> = (0..out.len()).map(|k| spec.centre_s(k)).collect();
        assert!(scaled_error(&times, &vec1(&case["time_s"])) < 1e-15);
    }
}

#[test]
fn rms_of_a_unit_sine_is_one_over_root_two() {
    // METHODS.md Appendix T: RMS(A = 1 sine) = 0.70711.
    let x: Vec<f64> = (0..2000)
        .map(|i| (2.0 * std::f64::consts::PI * 50.0 * i as f64 / 2000.0).sin())
        .collect();
    assert!((rms(&x) - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-12);
}

#[test]
fn window_settings_are_checked() {
    assert!(WindowSpec::from_seconds(0.0005, 0.05, 2000.0, 2).is_err()); // 1 sample
    assert!(WindowSpec::from_seconds(0.25, 0.0, 2000.0, 2).is_err());
    assert!(WindowSpec::from_seconds(0.25, 0.05, -1.0, 2).is_err());
    assert!(WindowSpec::from_seconds(f64::NAN, 0.05, 2000.0, 2).is_err());
    let spec = WindowSpec::from_seconds(0.25, 0.05, 2000.0, 2).unwrap();
    assert_eq!(spec.count(499), 0);
    assert_eq!(spec.count(500), 1);
    assert_eq!(spec.count(599), 1);
    assert_eq!(spec.count(600), 2);
}
