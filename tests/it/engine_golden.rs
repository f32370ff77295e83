//! The whole engine against golden vectors. `fixtures/features.json` holds small synthetic
//! recordings (2 kHz and 1 kHz; EMG, force, accelerometer and an ignored channel; with and
//! without MVC references; notch on and off) with every v1 feature table, summary column
//! and event, computed with numpy/scipy by `scripts/reference_features.py` from DESIGN.md
//! and METHODS.md, in both modes: zero-phase (`sosfiltfilt`) and causal (`sosfilt`).
//!
//! The inputs are int16 counts times a power-of-two step, so the f32 samples the engine
//! reads are exactly the values the reference used. What remains is rounding: summation
//! order, FFT algorithm, and IIR recursions that carry rounding over many samples. The
//! generator also checks that no yes/no decision of the reference (onset thresholds, alarm
//! rule, inactivity rule, force gates, peak bins) lies within rounding of its threshold,
//! so sample indices and event times are compared exactly.

use ndarray::Array2;
use serde_json::Value;

use myobalance::engine::{analyze, Filtering};
use myobalance::montage::Montage;
use myobalance::recording::Recording;
use myobalance::results::{Results, SummaryValues};

use crate::fixtures::{f_or_nan, load, vec1_or_nan};

/// How far a value may be from the reference.
#[derive(Debug, Clone, Copy)]
enum Tol {
    /// |got − want| ≤ tol · max|want| over the column: the error against the signal's own
    /// scale, so rows near zero (rest) are not judged on their own.
    Scaled(f64),
    /// |got − want| ≤ tol · |want|.
    Relative(f64),
    /// |got − want| ≤ tol, in the quantity's unit (Hz, %, a ratio).
    Absolute(f64),
}

// Each allowance is at least 100 times the largest error measured (in brackets, over both
// cases and both modes), so a different CPU path (AVX2 or portable) or FFT plan keeps
// passing, while a wrong window, bin, filter or formula misses by orders of magnitude.

/// Amplitudes from the filtered signal: RMS, Rudolph (envelopes). The band-pass and
/// low-pass recursions run over 12 000–28 000 samples, forward and backward; the
/// allowance is that of the filter fixtures. [3e-15 RMS, 5e-14 Rudolph]
const AMPLITUDE: Tol = Tol::Scaled(1e-9);
/// Band powers: Welch (linear detrend, FFT, averaging) of those signals; the FFTs differ
/// (rustfft vs scipy's pocketfft). [5e-15]
const POWER: Tol = Tol::Scaled(1e-9);
/// Relative power (0–1): a quotient of two band sums. [3e-15]
const RATIO: Tol = Tol::Absolute(1e-9);
/// Percentages: Falconer–Winter and symmetry indices. Falconer–Winter windows at rest divide
/// sums of envelopes far below their scale, which raises the error there. [3e-12 %]
const PERCENT: Tol = Tol::Absolute(1e-9);
/// Frequencies (MDF, MNF, parabola-refined peaks), Hz. MDF interpolates within a 2 Hz bin
/// by a quotient of cumulative powers, and the peak refinement divides by the parabola's
/// curvature: both amplify the PSD's rounding. [1.2e-11 Hz MDF, 4e-12 Hz peaks]
const FREQUENCY_HZ: Tol = Tol::Absolute(1e-8);
/// Summary values: means, least-squares fits and force metrics, each judged against its
/// own size (R² and slopes are small results of large sums). [2e-13 R², 2e-14 the rest]
const SUMMARY: Tol = Tol::Relative(1e-9);

fn feature_tolerance(group: &str, table: &str) -> Tol {
    match (group, table) {
        ("activation", _) => AMPLITUDE,
        ("cocontraction", "fw") => PERCENT,
        ("cocontraction", "rudolph") => AMPLITUDE,
        ("fatigue", _) => FREQUENCY_HZ,
        ("tremor", "band_power") => POWER,
        ("tremor", "relative_power") => RATIO,
        ("tremor", "peak_hz") => FREQUENCY_HZ,
        _ => panic!("no tolerance for {group}/{table}"),
    }
}

fn summary_tolerance(group: &str, column: &str) -> Tol {
    match (group, column) {
        ("tremor", "peak_hz") => FREQUENCY_HZ,
        ("tremor", "relative_power") => RATIO,
        ("cocontraction", "fw_mean") | ("symmetry", _) => PERCENT,
        _ => SUMMARY,
    }
}

/// Standard base64 (with padding), as Python's `base64.b64encode` writes it.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {:?}", c as char),
        }
    };
    let bytes = text.as_bytes();
    assert_eq!(bytes.len() % 4, 0, "base64 length");
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for chunk in bytes.chunks(4) {
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        let word = chunk[..4 - pad]
            .iter()
            .enumerate()
            .fold(0u32, |w, (i, &c)| w | value(c) << (18 - 6 * i));
        out.extend_from_slice(&word.to_be_bytes()[1..4 - pad]);
    }
    out
}

fn recording(case: &Value) -> Recording {
    let name = case["name"].as_str().unwrap();
    let montage = Montage::from_toml_str(
        case["montage_toml"].as_str().unwrap(),
        &format!("features.json {name}"),
    )
    .unwrap();
    let n = case["n_samples"].as_u64().unwrap() as usize;
    let channels = case["channels"].as_array().unwrap();
    assert_eq!(channels.len(), montage.channels.len(), "{name}: channels");
    let mut samples = Array2::<f32>::zeros((n, channels.len()));
    for (c, ch) in channels.iter().enumerate() {
        assert_eq!(ch["name"], montage.channels[c].name.as_str());
        // A power-of-two step times an int16 count: exact in f32.
        let scale = ch["scale"].as_f64().unwrap() as f32;
        let bytes = base64_decode(ch["counts_i16le_base64"].as_str().unwrap());
        assert_eq!(bytes.len(), 2 * n, "{name}: samples of {}", ch["name"]);
        for (i, pair) in bytes.chunks(2).enumerate() {
            samples[[i, c]] = f32::from(i16::from_le_bytes([pair[0], pair[1]])) * scale;
        }
    }
    Recording {
        montage,
        samples,
        source: format!("fixtures/features.json {name}"),
        acquisition: None,
        truth: None,
        metadata: Default::default(),
    }
}

/// Largest error per quantity (in units of its tolerance) and the failures.
#[derive(Default)]
struct Comparison {
    worst: Vec<(String, f64, Tol)>,
    failures: Vec<String>,
}

impl Comparison {
    fn fail(&mut self, what: String) {
        self.failures.push(what);
    }

    fn record(&mut self, key: &str, error: f64, tol: Tol) {
        match self.worst.iter_mut().find(|(k, _, _)| k == key) {
            Some(entry) => entry.1 = entry.1.max(error),
            None => self.worst.push((key.to_string(), error, tol)),
        }
    }

    /// Compares a column of values; NaN must meet NaN.
    fn column(&mut self, key: &str, what: &str, got: &[f64], want: &[f64], tol: Tol) {
        if got.len() != want.len() {
            self.fail(format!(
                "{what}: {} values, expected {}",
                got.len(),
                want.len()
            ));
            return;
        }
        let scale = want
            .iter()
            .filter(|v| v.is_finite())
            .fold(0.0f64, |m, v| m.max(v.abs()));
        for (row, (g, w)) in got.iter().zip(want).enumerate() {
            if w.is_nan() || g.is_nan() {
                if w.is_nan() != g.is_nan() {
                    self.fail(format!("{what}[{row}]: got {g}, expected {w}"));
                }
                continue;
            }
            let (error, limit) = match tol {
                Tol::Scaled(t) => ((g - w).abs() / scale.max(f64::MIN_POSITIVE), t),
                Tol::Relative(t) => ((g - w).abs() / w.abs().max(f64::MIN_POSITIVE), t),
                Tol::Absolute(t) => ((g - w).abs(), t),
            };
            self.record(key, error, tol);
            if error > limit || error.is_nan() {
                self.fail(format!(
                    "{what}[{row}]: got {g:e}, expected {w:e} (error {error:.2e} > {limit:e})"
                ));
            }
        }
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn sorted_keys(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

fn compare_features(c: &mut Comparison, label: &str, got: &Results, want: &Value) {
    let mut names: Vec<String> = got.features.iter().map(|g| g.name.clone()).collect();
    names.sort();
    if names != sorted_keys(want) {
        c.fail(format!("{label}: feature groups {names:?}"));
    }
    for (group, w) in want.as_object().unwrap() {
        let Some(g) = got.group(group) else {
            c.fail(format!("{label}: no feature group {group}"));
            continue;
        };
        // Window centres follow the same formula: exact.
        if g.time_s != vec1_or_nan(&w["time_s"]) {
            c.fail(format!("{label}: {group}/time_s differs"));
        }
        let columns = strings(&w["columns"]);
        let mut tables: Vec<String> = g.tables.iter().map(|t| t.name.clone()).collect();
        tables.sort();
        if tables != sorted_keys(&w["tables"]) {
            c.fail(format!("{label}: {group} tables {tables:?}"));
        }
        for (table, rows) in w["tables"].as_object().unwrap() {
            let Some(t) = g.table(table) else {
                c.fail(format!("{label}: no table {group}/{table}"));
                continue;
            };
            if t.columns != columns {
                c.fail(format!("{label}: {group}/{table} columns {:?}", t.columns));
                continue;
            }
            let rows: Vec<Vec<f64>> = rows.as_array().unwrap().iter().map(vec1_or_nan).collect();
            let tol = feature_tolerance(group, table);
            for (k, column) in columns.iter().enumerate() {
                let want: Vec<f64> = rows.iter().map(|r| r[k]).collect();
                let got: Vec<f64> = if t.values.nrows() == rows.len() {
                    t.values.column(k).to_vec()
                } else {
                    Vec::new()
                };
                c.column(
                    &format!("{group}/{table}"),
                    &format!("{label}: {group}/{table}/{column}"),
                    &got,
                    &want,
                    tol,
                );
            }
        }
    }
}

fn compare_summary(c: &mut Comparison, label: &str, got: &Results, want: &Value) {
    let mut names: Vec<String> = got.summary.iter().map(|g| g.name.clone()).collect();
    names.sort();
    if names != sorted_keys(want) {
        c.fail(format!("{label}: summary groups {names:?}"));
    }
    for (group, w) in want.as_object().unwrap() {
        let Some(g) = got.summary(group) else {
            c.fail(format!("{label}: no summary group {group}"));
            continue;
        };
        if g.names != strings(&w["names"]) {
            c.fail(format!("{label}: summary {group} names {:?}", g.names));
        }
        let mut columns: Vec<String> = g.columns.iter().map(|(n, _)| n.clone()).collect();
        columns.sort();
        if columns != sorted_keys(&w["columns"]) {
            c.fail(format!("{label}: summary {group} columns {columns:?}"));
        }
        for (column, values) in w["columns"].as_object().unwrap() {
            let what = format!("{label}: summary {group}/{column}");
            match g.columns.iter().find(|(n, _)| n == column).map(|(_, v)| v) {
                Some(SummaryValues::Numbers(got)) => c.column(
                    &format!("summary {group}/{column}"),
                    &what,
                    got,
                    &vec1_or_nan(values),
                    summary_tolerance(group, column),
                ),
                Some(SummaryValues::Texts(got)) => {
                    if *got != strings(values) {
                        c.fail(format!("{what}: {got:?}, expected {values}"));
                    }
                }
                None => c.fail(format!("{what}: missing")),
            }
        }
    }
}

fn compare_events(c: &mut Comparison, label: &str, got: &Results, want: &Value) {
    let want = want.as_array().unwrap();
    let listing = || {
        got.events
            .iter()
            .map(|e| format!("  {:.4} {} {}", e.time_s, e.kind.as_str(), e.channel))
            .collect::<Vec<_>>()
            .join("\n")
    };
    if got.events.len() != want.len() {
        c.fail(format!(
            "{label}: {} events, expected {}:\n{}",
            got.events.len(),
            want.len(),
            listing()
        ));
        return;
    }
    for (k, (g, w)) in got.events.iter().zip(want).enumerate() {
        let kind = w["kind"].as_str().unwrap();
        // Onsets and offsets are sample indices over the rate; alarm changes are window
        // centres: the same arithmetic on both sides, so exactly equal.
        let (time, channel) = (f_or_nan(&w["time_s"]), w["channel"].as_str().unwrap());
        if g.kind.as_str() != kind || g.channel != channel || g.time_s != time {
            c.fail(format!(
                "{label}: event {k} is {} {} at {} s, expected {kind} {channel} at {time} s",
                g.kind.as_str(),
                g.channel,
                g.time_s,
            ));
            continue;
        }
        // EMG onsets and offsets name their detector; force onsets have no text.
        if let Some(text) = w.get("text").and_then(|t| t.as_str()) {
            if g.text != text {
                c.fail(format!(
                    "{label}: event {k} ({kind} {channel}) text {:?}, expected {text:?}",
                    g.text
                ));
            }
        }
        // Force onsets carry their RFD 0–100 ms, alarm starts their peak frequency.
        let tol = if kind == "tremor_alarm_start" {
            FREQUENCY_HZ
        } else {
            SUMMARY
        };
        c.column(
            &format!("events/{kind} value"),
            &format!("{label}: event {k} ({kind} {}) value", g.channel),
            &[g.value],
            &[f_or_nan(&w["value"])],
            tol,
        );
    }
}

fn check(mode: &str, filtering: Filtering) {
    let fixture = load("features");
    let mut c = Comparison::default();
    for case in fixture["cases"].as_array().unwrap() {
        let label = format!("{} ({mode})", case["name"].as_str().unwrap());
        let results = analyze(&recording(case), filtering).unwrap();
        let want = &case["results"][mode];
        compare_features(&mut c, &label, &results, &want["features"]);
        compare_summary(&mut c, &label, &results, &want["summary"]);
        compare_events(&mut c, &label, &results, &want["events"]);
    }
    for (key, error, tol) in &c.worst {
        eprintln!("{mode:10} {key:40} largest error {error:.2e} ({tol:?})");
    }
    assert!(
        c.failures.is_empty(),
        "{} differences from the reference, the first:\n{}",
        c.failures.len(),
        c.failures[..c.failures.len().min(30)].join("\n")
    );
}

#[test]
fn zero_phase_matches_the_numpy_reference() {
    check("zero_phase", Filtering::ZeroPhase);
}

#[test]
fn causal_matches_the_numpy_reference() {
    check("causal", Filtering::Causal);
}

#[test]
fn base64_round_trip() {
    assert_eq!(base64_decode("AAECAw=="), vec![0, 1, 2, 3]);
    assert_eq!(base64_decode("/+8="), vec![0xff, 0xef]);
    assert_eq!(base64_decode("YWJj"), b"abc".to_vec());
}
