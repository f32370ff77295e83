//! Butterworth and notch design against scipy's `butter(..., output="sos")` and `iirnotch`.

use myobalance::dsp::butterworth::{butter, Band};
use myobalance::dsp::notch::notch;

use crate::fixtures::{f, load, sections, vec1};

/// Coefficients agree with scipy to rounding: the same algorithm in the same order, so only
/// the last few bits of transcendental functions may differ.
const DESIGN_TOL: f64 = 1e-12;

fn assert_close_rows(ours: &[f64], theirs: &[f64], what: &str) {
    let scale = theirs.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for (a, b) in ours.iter().zip(theirs) {
        assert!(
            (a - b).abs() <= DESIGN_TOL * scale,
            "{what}: {ours:?} vs scipy {theirs:?}"
        );
    }
}

#[test]
fn butter_matches_scipy_section_by_section() {
    let data = load("butter");
    let cases = data["butter"].as_array().unwrap();
    assert!(cases.len() > 100);
    for case in cases {
        let order = case["order"].as_u64().unwrap() as usize;
        let fs = f(&case["fs"]);
        let freqs = vec1(&case["freqs"]);
        let band = match case["btype"].as_str().unwrap() {
            "lowpass" => Band::LowPass {
                cutoff_hz: freqs[0],
            },
            "highpass" => Band::HighPass {
                cutoff_hz: freqs[0],
            },
            "bandpass" => Band::BandPass {
                low_hz: freqs[0],
                high_hz: freqs[1],
            },
            "bandstop" => Band::BandStop {
                low_hz: freqs[0],
                high_hz: freqs[1],
            },
            other => panic!("unknown btype {other}"),
        };
        let expected = sections(&case["sos"]);
        let ours = butter(order, band, fs).unwrap();
        let what = format!("order {order} {band:?} at {fs} Hz");
        assert_eq!(ours.len(), expected.len(), "{what}: section count");
        for (o, e) in ours.iter().zip(&expected) {
            assert_close_rows(&o.b, &e.b, &what);
            assert_close_rows(&o.a, &e.a, &what);
        }
    }
}

#[test]
fn notch_matches_scipy_iirnotch() {
    let data = load("butter");
    for case in data["notch"].as_array().unwrap() {
        let s = notch(f(&case["f0"]), f(&case["q"]), f(&case["fs"])).unwrap();
        assert_close_rows(&s.b, &vec1(&case["b"]), "notch b");
        assert_close_rows(&s.a, &vec1(&case["a"]), "notch a");
    }
}

#[test]
fn bad_designs_are_refused_with_the_value() {
    let fs = 2000.0;
    for (band, needle) in [
        (Band::LowPass { cutoff_hz: 1000.0 }, "1000"),
        (Band::LowPass { cutoff_hz: 1500.0 }, "1500"),
        (Band::HighPass { cutoff_hz: 0.0 }, "0 Hz"),
        (Band::HighPass { cutoff_hz: -3.0 }, "-3"),
        (
            Band::BandPass {
                low_hz: 20.0,
                high_hz: 1000.0,
            },
            "1000",
        ),
        (
            Band::BandStop {
                low_hz: 52.0,
                high_hz: 48.0,
            },
            "52",
        ),
    ] {
        let err = butter(2, band, fs).expect_err("must be refused");
        assert!(err.to_string().contains(needle), "{err}");
    }
    for rate in [0.0, -2000.0, f64::NAN, f64::INFINITY] {
        assert!(butter(2, Band::LowPass { cutoff_hz: 6.0 }, rate).is_err());
    }
    assert!(butter(0, Band::LowPass { cutoff_hz: 6.0 }, fs)
        .unwrap_err()
        .to_string()
        .contains("order"));
    assert!(notch(50.0, 0.0, fs).unwrap_err().to_string().contains("Q"));
    assert!(notch(60.0, 30.0, 100.0).is_err());
}
