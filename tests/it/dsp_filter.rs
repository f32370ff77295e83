//! Causal and zero-phase second-order-section filtering against scipy's `sosfilt` and
//! `sosfiltfilt`, a naive direct-form reference, and the streaming invariants.

use myobalance::dsp::butterworth::{butter, Band};
use myobalance::dsp::filtfilt::ZeroPhase;
use myobalance::dsp::sos::Section;
use myobalance::dsp::sosfilt::SosFilter;

use crate::fixtures::{
    channel, interleave, load, scaled_error, scaled_error_floor, sections, vec2, Noise,
};

/// Causal filtering agrees with scipy to rounding accumulated over a few thousand
/// recursive steps.
const CAUSAL_TOL: f64 = 1e-11;
/// The bound for zero-phase filtering, over the whole signal, edges included.
const ZERO_PHASE_TOL: f64 = 1e-9;
/// Same arithmetic on differently grouped data: only instruction choice (e.g. fused
/// multiply-add in a vector path) may differ.
const LAYOUT_TOL: f64 = 1e-13;

#[test]
fn causal_matches_scipy_sosfilt() {
    let data = load("sosfilt");
    for case in data["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let sos = sections(&case["sos"]);
        let x = vec2(&case["x"]);
        let n_ch = x.len();
        let frames = interleave(&x);

        let mut filter = SosFilter::new(&sos, n_ch).unwrap();
        let mut y = vec![0.0; frames.len()];
        filter.process(&frames, &mut y);
        for (c, expected) in vec2(&case["y"]).iter().enumerate() {
            let err = scaled_error(&channel(&y, n_ch, c), expected);
            assert!(err < CAUSAL_TOL, "{name} channel {c}: {err:e}");
        }

        let first: Vec<f64> = x.iter().map(|c| c[0]).collect();
        filter.settle_on(&first);
        filter.process(&frames, &mut y);
        for (c, expected) in vec2(&case["y_settled"]).iter().enumerate() {
            let err = scaled_error(&channel(&y, n_ch, c), expected);
            assert!(err < CAUSAL_TOL, "{name} settled, channel {c}: {err:e}");
        }
    }
}

/// Each section as its difference equation, `a0·y[n] = Σ b_i x[n−i] − Σ a_i y[n−i]`.
fn naive_cascade(sos: &[Section], x: &[f64]) -> Vec<f64> {
    let mut signal = x.to_vec();
    for s in sos {
        let input = signal.clone();
        for n in 0..input.len() {
            let at = |v: &[f64], i: usize| if n >= i { v[n - i] } else { 0.0 };
            signal[n] = s.b[0] * input[n] + s.b[1] * at(&input, 1) + s.b[2] * at(&input, 2)
                - s.a[1] * at(&signal, 1)
                - s.a[2] * at(&signal, 2);
        }
    }
    signal
}

#[test]
fn causal_matches_naive_difference_equations() {
    let mut noise = Noise::new(7);
    for (order, band, fs) in [
        (
            2,
            Band::BandPass {
                low_hz: 20.0,
                high_hz: 450.0,
            },
            2000.0,
        ),
        (4, Band::LowPass { cutoff_hz: 6.0 }, 1000.0),
        (3, Band::HighPass { cutoff_hz: 30.0 }, 2048.0),
        (
            2,
            Band::BandStop {
                low_hz: 48.0,
                high_hz: 52.0,
            },
            2000.0,
        ),
    ] {
        let sos = butter(order, band, fs).unwrap();
        let x = noise.vec(3001);
        let mut y = vec![0.0; x.len()];
        SosFilter::new(&sos, 1).unwrap().process(&x, &mut y);
        let err = scaled_error(&y, &naive_cascade(&sos, &x));
        assert!(err < CAUSAL_TOL, "{band:?}: {err:e}");
    }
}

fn emg_band(fs: f64) -> Vec<Section> {
    butter(
        2,
        Band::BandPass {
            low_hz: 20.0,
            high_hz: 450.0,
        },
        fs,
    )
    .unwrap()
}

#[test]
fn any_block_size_gives_the_one_block_output() {
    let sos = emg_band(2000.0);
    let n_ch = 5;
    let frames = Noise::new(11).vec(n_ch * 4099);
    let mut whole = vec![0.0; frames.len()];
    SosFilter::new(&sos, n_ch)
        .unwrap()
        .process(&frames, &mut whole);

    for block in [1usize, 2, 3, 7, 64, 100, 1000, 4099] {
        let mut filter = SosFilter::new(&sos, n_ch).unwrap();
        let mut out = vec![0.0; frames.len()];
        for (i, o) in frames
            .chunks(block * n_ch)
            .zip(out.chunks_mut(block * n_ch))
        {
            filter.process(i, o);
        }
        assert_eq!(out, whole, "block of {block} frames");
    }
    // Irregular blocks, as a serial port delivers them.
    let mut filter = SosFilter::new(&sos, n_ch).unwrap();
    let mut out = frames.clone();
    let mut rest = out.as_mut_slice();
    let mut step = 1;
    while !rest.is_empty() {
        let take = (step * n_ch).min(rest.len());
        let (head, tail) = rest.split_at_mut(take);
        filter.process_in_place(head);
        rest = tail;
        step = step % 37 + 3;
    }
    assert_eq!(out, whole);
}

#[test]
fn reset_restores_the_initial_state() {
    let sos = emg_band(2048.0);
    let x = Noise::new(3).vec(2 * 1500);
    let mut filter = SosFilter::new(&sos, 2).unwrap();
    let mut first = vec![0.0; x.len()];
    filter.process(&x, &mut first);
    filter.reset();
    let mut second = vec![0.0; x.len()];
    filter.process(&x, &mut second);
    assert_eq!(first, second);
}

#[test]
fn channels_are_independent_of_their_neighbours() {
    let sos = emg_band(2000.0);
    let mut noise = Noise::new(5);
    for n_ch in [1usize, 2, 3, 4, 8, 13, 16, 32] {
        let planar: Vec<Vec<f64>> = (0..n_ch).map(|_| noise.vec(999)).collect();
        let mut multi = vec![0.0; n_ch * 999];
        SosFilter::new(&sos, n_ch)
            .unwrap()
            .process(&interleave(&planar), &mut multi);
        for (c, x) in planar.iter().enumerate() {
            let mut single = vec![0.0; x.len()];
            SosFilter::new(&sos, 1).unwrap().process(x, &mut single);
            let err = scaled_error(&channel(&multi, n_ch, c), &single);
            assert!(err <= LAYOUT_TOL, "{n_ch} channels, channel {c}: {err:e}");
        }
    }
}

#[test]
fn zero_phase_matches_scipy_sosfiltfilt_edges_included() {
    let data = load("sosfiltfilt");
    for case in data["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let sos = sections(&case["sos"]);
        let x = vec2(&case["x"]);
        let n_ch = x.len();
        let mut zp = ZeroPhase::new(&sos, n_ch).unwrap();
        assert_eq!(
            zp.padlen_for(x[0].len()) as u64,
            case["padlen"].as_u64().unwrap(),
            "{name}: padlen"
        );
        let frames = interleave(&x);
        let mut y = vec![0.0; frames.len()];
        zp.apply(&frames, &mut y);
        let expected = vec2(&case["y"]);
        for (c, e) in expected.iter().enumerate() {
            // A band-pass of one or two samples is all but zero: judge it on the input's scale.
            let floor = 1e-12 * x[c].iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let err = scaled_error_floor(&channel(&y, n_ch, c), e, floor);
            assert!(err < ZERO_PHASE_TOL, "{name} channel {c}: {err:e}");
        }

        let inputs: Vec<&[f64]> = x.iter().map(|c| c.as_slice()).collect();
        let mut planar: Vec<Vec<f64>> = x.iter().map(|c| vec![0.0; c.len()]).collect();
        let mut outputs: Vec<&mut [f64]> = planar.iter_mut().map(|c| c.as_mut_slice()).collect();
        zp.apply_planar(&inputs, &mut outputs);
        for (c, e) in expected.iter().enumerate() {
            let floor = 1e-12 * x[c].iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let err = scaled_error_floor(&planar[c], e, floor);
            assert!(err < ZERO_PHASE_TOL, "{name} planar {c}: {err:e}");
        }
    }
}

#[test]
fn zero_phase_has_no_lag() {
    // A 5 Hz sine through the EMG envelope low-pass comes out in phase: its peaks stay put.
    let fs = 1000.0;
    let sos = butter(2, Band::LowPass { cutoff_hz: 20.0 }, fs).unwrap();
    let x: Vec<f64> = (0..4000)
        .map(|i| (2.0 * std::f64::consts::PI * 5.0 * i as f64 / fs).sin())
        .collect();
    let mut y = vec![0.0; x.len()];
    ZeroPhase::new(&sos, 1).unwrap().apply(&x, &mut y);
    let argmax = |v: &[f64]| (0..v.len()).max_by(|&a, &b| v[a].total_cmp(&v[b])).unwrap();
    assert_eq!(argmax(&y[1000..1200]), argmax(&x[1000..1200]));
}

#[test]
fn empty_signals_pass_through() {
    let sos = emg_band(2000.0);
    let mut zp = ZeroPhase::new(&sos, 3).unwrap();
    let mut out: Vec<f64> = Vec::new();
    zp.apply(&[], &mut out);
    let mut f = SosFilter::new(&sos, 3).unwrap();
    f.process(&[], &mut out);
    assert!(SosFilter::new(&sos, 0).is_err());
}
