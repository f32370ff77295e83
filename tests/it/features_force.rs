//! Force metrics on the METHODS.md Appendix T vector and on repeated contractions.

use myobalance::features::force::{
    force_metrics, steadiness_cv, ContractionPass, ForceMetrics, ForceSettings, LevelsPass,
};

use crate::fixtures::Noise;

/// F = 5000 N/s ramp from t = 0 to 500 N (plateau), noise SD 0.2 N, fs 2 kHz, t from
/// −0.5 s to 2 s. Expected (methods_rfd.out): onset 0.5 ms, RFD 0–50 ≈ 5001, 0–100 ≈ 4975,
/// 0–200 ≈ 2486 N/s, peak RFD (10 ms) ≈ 5105 N/s; a naive μ + 3σ crossing fires at −371 ms.
#[test]
fn rfd_test_vector_of_appendix_t() {
    let fs = 2000.0;
    let mut noise = Noise::new(17);
    let f: Vec<f64> = (0..5000)
        .map(|i| {
            let t = i as f64 / fs - 0.5;
            let clean = if t < 0.0 {
                0.0
            } else {
                (5000.0 * t).min(500.0)
            };
            clean + 0.2 * noise.gauss()
        })
        .collect();
    let m = force_metrics(&f, &ForceSettings::new(fs));
    assert_eq!(m.onsets.len(), 1, "{:?}", m.onsets);
    let onset_s = m.onsets[0].onset as f64 / fs - 0.5;
    assert!((0.0..=0.002).contains(&onset_s), "onset at {onset_s} s");
    // Each RFD within the noise the vector's own figures show (a few N over the window).
    let [r50, r100, r200] = m.rfd;
    assert!((r50 - 5000.0).abs() < 100.0, "RFD 0-50 {r50}");
    assert!((4900.0..=5050.0).contains(&r100), "RFD 0-100 {r100}");
    assert!((2450.0..=2520.0).contains(&r200), "RFD 0-200 {r200}");
    assert!(
        (4950.0..=5300.0).contains(&m.rfd_peak),
        "peak RFD {}",
        m.rfd_peak
    );
    assert!((m.peak - 500.0).abs() < 2.0, "peak {}", m.peak);
    assert!((m.mvc_500ms - 500.0).abs() < 0.5, "MVC {}", m.mvc_500ms);
}

#[test]
fn repeated_contractions_each_get_an_onset() {
    // Three 3 s holds at 200 N with 2 s rest, 1 kHz, an 8 Hz 1 N tremor on the hold.
    let fs = 1000.0;
    let mut noise = Noise::new(5);
    let f: Vec<f64> = (0..16_000)
        .map(|i| {
            let t = i as f64 / fs;
            let phase = (t - 1.0).rem_euclid(5.0);
            let on = (1.0..16.0).contains(&t) && phase < 3.0;
            let level = if on {
                (2000.0 * phase).min(200.0) + (16.0 * std::f64::consts::PI * t).sin()
            } else {
                0.0
            };
            level + 0.1 * noise.gauss()
        })
        .collect();
    let m = force_metrics(&f, &ForceSettings::new(fs));
    let starts: Vec<f64> = m.onsets.iter().map(|o| o.onset as f64 / fs).collect();
    assert_eq!(starts.len(), 3, "{starts:?}");
    for (k, s) in starts.iter().enumerate() {
        assert!(
            (s - (1.0 + 5.0 * k as f64)).abs() < 0.003,
            "onset {k} at {s}"
        );
    }
    assert!((m.rfd[0] - 2000.0).abs() < 20.0, "{:?}", m.rfd);
    // The holds tremble by sin(2π·8t) about 200 N: CV = 100·0.707/200 = 0.354 %.
    assert!(
        (m.steadiness_cv - 0.354).abs() < 0.01,
        "CV {}",
        m.steadiness_cv
    );
}

#[test]
fn steadiness_of_appendix_t() {
    // F = 100 + sin(2π·10t) + noise SD 0.05 over 20 s at 1 kHz: CV ≈ 0.707 % (0.710 with noise).
    let fs = 1000.0;
    let mut noise = Noise::new(3);
    let f: Vec<f64> = (0..20_000)
        .map(|i| {
            100.0 + (2.0 * std::f64::consts::PI * 10.0 * i as f64 / fs).sin() + 0.05 * noise.gauss()
        })
        .collect();
    let cv = steadiness_cv(&f);
    assert!((cv - 0.7089).abs() < 0.005, "CV {cv}");
}

#[test]
fn flat_and_short_signals_give_no_onsets() {
    let s = ForceSettings::new(1000.0);
    assert!(force_metrics(&[1.0; 2000], &s).onsets.is_empty());
    let short = force_metrics(&[1.0; 10], &s);
    assert!(short.peak.is_nan() && short.onsets.is_empty());
}

/// The repeated-contractions signal of the test above, with a slow drift.
fn three_holds(fs: f64, seed: u64) -> Vec<f64> {
    let mut noise = Noise::new(seed);
    (0..(16.0 * fs) as usize)
        .map(|i| {
            let t = i as f64 / fs;
            let phase = (t - 1.0).rem_euclid(5.0);
            let on = (1.0..16.0).contains(&t) && phase < 3.0;
            let level = if on { (2000.0 * phase).min(200.0) } else { 0.0 };
            level + 0.2 * t + 0.5 * noise.gauss()
        })
        .collect()
}

/// Both passes fed in blocks of `block` samples.
fn in_blocks(f: &[f64], s: &ForceSettings, block: usize) -> ForceMetrics {
    let mut levels = LevelsPass::new(s.window_samples());
    f.chunks(block).for_each(|b| levels.push(b));
    let levels = levels.finish().expect("longer than a window");
    let mut contractions = ContractionPass::new(s, &levels);
    f.chunks(block).for_each(|b| contractions.push(b));
    ForceMetrics::of(&levels, contractions.finish())
}

#[test]
fn passes_fed_in_blocks_give_the_whole_signal_metrics_to_the_bit() {
    let fs = 2000.0;
    let f = three_holds(fs, 9);
    let s = ForceSettings::new(fs);
    let whole = force_metrics(&f, &s);
    assert_eq!(whole.onsets.len(), 3, "{:?}", whole.onsets);
    for block in [1, 7, 64, 999, 4096, f.len()] {
        let m = in_blocks(&f, &s, block);
        // Debug prints each float's shortest exact form: equal text is equal bits.
        assert_eq!(format!("{m:?}"), format!("{whole:?}"), "blocks of {block}");
    }
}

#[test]
fn non_finite_samples_end_in_bounded_time_with_the_same_onsets() {
    let fs = 1000.0;
    let mut f = three_holds(fs, 4);
    let clean = force_metrics(&f, &ForceSettings::new(fs));
    // Isolated NaN and infinities on the rest and on the holds (a device glitch).
    for i in [500, 2500, 2501, 9000, 15_500] {
        f[i] = f64::NAN;
    }
    f[12_000] = f64::INFINITY;
    let m = force_metrics(&f, &ForceSettings::new(fs));
    let onsets = |m: &ForceMetrics| m.onsets.iter().map(|o| o.onset).collect::<Vec<_>>();
    assert_eq!(onsets(&m).len(), 3, "{:?}", m.onsets);
    for (a, b) in onsets(&m).iter().zip(onsets(&clean)) {
        assert!(a.abs_diff(b) <= 2, "onset {a} vs {b} without the glitches");
    }
}
