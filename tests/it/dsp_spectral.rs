//! Welch PSD, periodogram and the spectral measures against scipy, a naive DFT, and the
//! METHODS.md Appendix T vectors.

use std::f64::consts::PI;

use myobalance::dsp::spectral::{band_power, mean_frequency, median_frequency, peak_frequency};
use myobalance::dsp::welch::{hann_periodic, Detrend, Welch};

use crate::fixtures::{f, load, vec1, Noise};

/// The bound for Welch/periodogram against scipy, relative per bin.
const PSD_TOL: f64 = 1e-9;
/// Bins that detrending emptied hold only rounding noise; they are judged against the
/// spectrum's peak instead of their own value.
const PSD_FLOOR: f64 = 1e-13;
/// Derived measures inherit the PSD's agreement.
const MEASURE_TOL: f64 = 1e-9;

fn assert_psd_close(ours: &[f64], theirs: &[f64], what: &str) {
    assert_eq!(ours.len(), theirs.len(), "{what}: bin count");
    let peak = theirs.iter().fold(0.0f64, |m, v| m.max(*v));
    for (k, (a, b)) in ours.iter().zip(theirs).enumerate() {
        assert!(
            (a - b).abs() <= PSD_TOL * b.abs() + PSD_FLOOR * peak,
            "{what}: bin {k}: {a:e} vs scipy {b:e}"
        );
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= MEASURE_TOL * b.abs().max(1e-300)
}

#[test]
fn welch_matches_scipy() {
    let data = load("spectral");
    for case in data["welch"].as_array().unwrap() {
        let fs = f(&case["fs"]);
        let nperseg = case["nperseg"].as_u64().unwrap() as usize;
        let noverlap = case["noverlap"].as_u64().unwrap() as usize;
        let detrend = match case["detrend"].as_str().unwrap() {
            "linear" => Detrend::Linear,
            "constant" => Detrend::Constant,
            other => panic!("{other}"),
        };
        let what = format!("welch {nperseg}/{noverlap} {detrend:?} at {fs} Hz");
        let x = vec1(&case["x"]);
        let mut welch = Welch::new(nperseg, noverlap, detrend, fs).unwrap();
        let mut psd = vec![0.0; welch.bins()];
        welch.psd(&x, &mut psd);
        assert_psd_close(&psd, &vec1(&case["psd"]), &what);
        let freqs = vec1(&case["f"]);
        let df = welch.resolution_hz();
        for (k, fk) in freqs.iter().enumerate() {
            assert_eq!(k as f64 * df, *fk, "{what}: frequency of bin {k}");
        }

        let bp = band_power(&psd, df, 4.0, 12.0);
        assert!(
            close(bp, f(&case["band_power_4_12"])),
            "{what}: band power {bp}"
        );
        let rel = bp / band_power(&psd, df, 1.0, 30.0);
        assert!(
            close(rel, f(&case["relative_power"])),
            "{what}: relative {rel}"
        );
        let peak = peak_frequency(&psd, df, 4.0, 12.0).unwrap();
        assert!(close(peak, f(&case["peak_hz"])), "{what}: peak {peak}");
    }
}

#[test]
fn periodogram_mdf_mnf_match_scipy_and_the_design_formulas() {
    let data = load("spectral");
    for case in data["periodogram"].as_array().unwrap() {
        let fs = f(&case["fs"]);
        let x = vec1(&case["x"]);
        let what = format!("periodogram of {} at {fs} Hz", x.len());
        let mut p = Welch::periodogram(x.len(), Detrend::Constant, fs).unwrap();
        let mut psd = vec![0.0; p.bins()];
        p.psd(&x, &mut psd);
        assert_psd_close(&psd, &vec1(&case["psd"]), &what);
        let band = vec1(&case["band_hz"]);
        let df = p.resolution_hz();
        let mdf = median_frequency(&psd, df, band[0], band[1]);
        let mnf = mean_frequency(&psd, df, band[0], band[1]);
        assert!(close(mdf, f(&case["mdf_hz"])), "{what}: mdf {mdf}");
        assert!(close(mnf, f(&case["mnf_hz"])), "{what}: mnf {mnf}");
    }
}

/// Periodogram by the definition: a direct DFT of the windowed, mean-removed signal.
fn naive_periodogram(x: &[f64], fs: f64) -> Vec<f64> {
    let n = x.len();
    let mean = x.iter().sum::<f64>() / n as f64;
    let w = hann_periodic(n);
    let s2: f64 = w.iter().map(|v| v * v).sum();
    (0..=n / 2)
        .map(|k| {
            let (mut re, mut im) = (0.0, 0.0);
            for (i, v) in x.iter().enumerate() {
                let phase = -2.0 * PI * (k * i) as f64 / n as f64;
                re += (v - mean) * w[i] * phase.cos();
                im += (v - mean) * w[i] * phase.sin();
            }
            let one_sided = if k == 0 || (n % 2 == 0 && k == n / 2) {
                1.0
            } else {
                2.0
            };
            one_sided * (re * re + im * im) / (fs * s2)
        })
        .collect()
}

#[test]
fn periodogram_matches_a_naive_dft() {
    let mut noise = Noise::new(99);
    for n in [64usize, 101, 250, 1000] {
        let x = noise.vec(n);
        let mut p = Welch::periodogram(n, Detrend::Constant, 2000.0).unwrap();
        let mut psd = vec![0.0; p.bins()];
        p.psd(&x, &mut psd);
        assert_psd_close(&psd, &naive_periodogram(&x, 2000.0), &format!("n = {n}"));
    }
}

#[test]
fn tremor_test_vector_of_appendix_t() {
    // F = 100 + sin(2π·10t) N + white noise SD 0.05, 1 kHz, 30 s, Welch 4 s Hann 50 %:
    // BP(8–12) = 0.50 N², f_peak = 10.00 Hz, RBP ≈ 1.00 (Welch values within 1–2 %).
    let fs = 1000.0;
    let mut noise = Noise::new(1);
    let x: Vec<f64> = (0..30_000)
        .map(|i| 100.0 + (2.0 * PI * 10.0 * i as f64 / fs).sin() + 0.05 * noise.gauss())
        .collect();
    let mut welch = Welch::from_seconds(4.0, fs).unwrap();
    let mut psd = vec![0.0; welch.bins()];
    welch.psd(&x, &mut psd);
    let df = welch.resolution_hz();
    let bp = band_power(&psd, df, 8.0, 12.0);
    assert!((bp - 0.5).abs() < 0.01, "band power {bp}");
    let peak = peak_frequency(&psd, df, 8.0, 12.0).unwrap();
    assert!((peak - 10.0).abs() < 0.01, "peak {peak}");
    let rel = bp / band_power(&psd, df, 1.0, 30.0);
    assert!(rel > 0.98, "relative power {rel}");
}

#[test]
fn mdf_mnf_test_vector_of_appendix_t() {
    // White noise band-limited to 50–150 Hz by zeroing FFT bins, 2 kHz, 120 s, Welch 1024:
    // MNF = 100.0 Hz and MDF ≈ 100 Hz. DESIGN.md's interpolation treats each bin's power as
    // reached at the bin's own frequency, so MDF reads up to half a bin (0.98 Hz) low; with
    // the estimate's own scatter it lies within one bin of 100 Hz.
    use realfft::RealFftPlanner;
    let fs = 2000.0;
    let n = 240_000;
    let mut x = Noise::new(2).vec(n);
    let mut planner = RealFftPlanner::<f64>::new();
    let forward = planner.plan_fft_forward(n);
    let inverse = planner.plan_fft_inverse(n);
    let mut spectrum = forward.make_output_vec();
    forward.process(&mut x, &mut spectrum).unwrap();
    for (k, c) in spectrum.iter_mut().enumerate() {
        let f = k as f64 * fs / n as f64;
        if !(50.0..=150.0).contains(&f) {
            *c = num_complex::Complex64::new(0.0, 0.0);
        }
    }
    inverse.process(&mut spectrum, &mut x).unwrap();
    let mut welch = Welch::new(1024, 512, Detrend::Constant, fs).unwrap();
    let mut psd = vec![0.0; welch.bins()];
    welch.psd(&x, &mut psd);
    let df = welch.resolution_hz();
    let mnf = mean_frequency(&psd, df, 20.0, 450.0);
    let mdf = median_frequency(&psd, df, 20.0, 450.0);
    assert!((mnf - 100.0).abs() < 0.5, "MNF {mnf}");
    assert!((mdf - 100.0).abs() < df, "MDF {mdf}");
}

#[test]
fn spectral_measures_on_empty_bands() {
    let psd = [1.0, 2.0, 3.0];
    assert_eq!(peak_frequency(&psd, 1.0, 10.0, 20.0), None);
    assert!(median_frequency(&psd, 1.0, 10.0, 20.0).is_nan());
    assert!(mean_frequency(&[0.0; 3], 1.0, 0.0, 2.0).is_nan());
    assert_eq!(band_power(&psd, 1.0, 10.0, 20.0), 0.0);
}

#[test]
fn welch_settings_are_checked() {
    assert!(Welch::new(1, 0, Detrend::Linear, 1000.0).is_err());
    assert!(Welch::new(256, 128, Detrend::Linear, 0.0).is_err());
    assert!(Welch::from_seconds(-2.0, 1000.0).is_err());
}

#[test]
fn a_peak_on_the_band_edge_stays_in_the_band() {
    // Bins at 0, 0.5, … Hz; band 4–12 Hz. The largest in-band bin is the edge (4 Hz) and
    // its outside neighbour (3.5 Hz) is larger: no parabola, the bin itself.
    let mut psd = vec![0.01; 40];
    psd[7] = 0.1576; // 3.5 Hz
    psd[8] = 0.1189; // 4.0 Hz
    psd[9] = 0.0764; // 4.5 Hz
    assert_eq!(peak_frequency(&psd, 0.5, 4.0, 12.0), Some(4.0));
    // A local maximum is refined within half a bin.
    psd[20] = 0.5; // 10 Hz
    psd[21] = 0.3;
    let f = peak_frequency(&psd, 0.5, 4.0, 12.0).unwrap();
    assert!(f > 10.0 && f < 10.25, "{f}");
}
