//! Linear envelope against scipy: rectify, Butterworth order-2 low-pass (`sosfiltfilt`
//! offline, `sosfilt` live), clip at 0.

use myobalance::dsp::envelope::{Envelope, ZeroPhaseEnvelope};

use crate::fixtures::{f, load, scaled_error, vec1};

/// As for the band-pass: the zero-phase bound, rounding for the causal form.
const ZERO_PHASE_TOL: f64 = 1e-9;
const CAUSAL_TOL: f64 = 1e-11;

#[test]
fn envelopes_match_scipy() {
    let data = load("envelope");
    for case in data["cases"].as_array().unwrap() {
        let fs = f(&case["fs"]);
        let x = vec1(&case["x"]);
        let lowpass_hz = f(&case["lowpass_hz"]);
        let mut y = vec![0.0; x.len()];
        ZeroPhaseEnvelope::new(lowpass_hz, fs, 1)
            .unwrap()
            .apply(&x, &mut y);
        let err = scaled_error(&y, &vec1(&case["zero_phase"]));
        assert!(err < ZERO_PHASE_TOL, "zero-phase at {fs} Hz: {err:e}");
        assert!(y.iter().all(|v| *v >= 0.0));

        // Causal, fed in uneven blocks.
        let mut env = Envelope::new(lowpass_hz, fs, 1).unwrap();
        let mut start = 0;
        let mut block = 1;
        while start < x.len() {
            let end = (start + block).min(x.len());
            env.process(&x[start..end], &mut y[start..end]);
            start = end;
            block = block * 3 % 257 + 1;
        }
        let err = scaled_error(&y, &vec1(&case["causal"]));
        assert!(err < CAUSAL_TOL, "causal at {fs} Hz: {err:e}");
    }
}

#[test]
fn envelope_settings_are_checked() {
    assert!(Envelope::new(6.0, 0.0, 1).is_err());
    assert!(Envelope::new(1500.0, 2000.0, 1).is_err());
    assert!(ZeroPhaseEnvelope::new(6.0, 2000.0, 0).is_err());
}
