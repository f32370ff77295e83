//! The C3D reader against an independent writer and reader, and against real files.
//!
//! - `fixtures/import/c3d/*.c3d` were written by py-c3d 0.6's `Writer`
//!   (scripts/import_fixtures/c3d.py); each `.json` beside them holds what py-c3d's `Reader`
//!   reads back: physical analog values ((raw − OFFSET)·SCALE·GEN_SCALE), labels, units,
//!   descriptions, the EVENT group and header events, the subject.
//! - `../shared/data/c3d_*` (when present): the c3d.org sample trials in all six encodings
//!   (Intel, DEC, MIPS × integer, float) and a Cometa EMG file, checked against their
//!   `meta.json` (labels, units, rate, sample count, per-channel mean/std/min/max of every
//!   sample as py-c3d reads it) and `reference/analog_first_2000.csv`.

use std::path::{Path, PathBuf};

use myobalance::formats::c3d::{is_c3d, parse};
use myobalance::formats::Imported;
use serde_json::Value;

/// The reader returns `f32` samples computed in `f64`; py-c3d keeps `f64`. They differ by
/// the final rounding to `f32`: at most half a unit in the last place, 2⁻²⁴ relative; one
/// unit (2⁻²³) leaves room for nothing else.
const F32_ROUNDING: f64 = 1.0 / (1u64 << 23) as f64;
/// The reference CSVs print 9 significant digits: 5·10⁻⁹ relative, plus the f32 rounding.
const CSV_DIGITS: f64 = 5e-9 + F32_ROUNDING;
/// Mean and std over every sample, computed here from the `f32` samples and by the
/// reference from `f64` ones: each sample's rounding (2⁻²⁴ relative to the largest value)
/// shifts them by at most that much of the channel's range; 10⁻⁶ of mean + std bounds it
/// with room for summation order.
const STATS_TOL: f64 = 1e-6;
/// Event times: the same f32 minutes and seconds, combined in f64 in another order.
const TIME_TOL_S: f64 = 1e-9;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import/c3d")
}

fn read(path: &Path) -> Imported {
    let bytes = std::fs::read(path).unwrap();
    assert!(is_c3d(&bytes), "{} not detected as C3D", path.display());
    match parse(&bytes, &path.display().to_string()) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn close(ours: f32, theirs: f64, rel: f64) -> bool {
    (f64::from(ours) - theirs).abs() <= rel * theirs.abs() + f64::MIN_POSITIVE
}

/// Labels, units, details, rate and format as py-c3d found them.
fn check_channels(name: &str, imported: &Imported, expected: &Value) {
    assert_eq!(imported.format, "C3D");
    let labels: Vec<&str> = imported.signals.iter().map(|s| s.label.as_str()).collect();
    let units: Vec<&str> = imported.signals.iter().map(|s| s.unit.as_str()).collect();
    let details: Vec<&str> = imported.signals.iter().map(|s| s.detail.as_str()).collect();
    assert_eq!(labels, strings(&expected["labels"]), "{name}");
    assert_eq!(units, strings(&expected["units"]), "{name}");
    assert_eq!(details, strings(&expected["descriptions"]), "{name}");
    let rate = expected["analog_rate_hz"].as_f64().unwrap();
    let n = expected["samples_per_channel"].as_u64().unwrap() as usize;
    for s in &imported.signals {
        assert_eq!(s.rate_hz, rate, "{name}");
        assert_eq!(s.samples.len(), n, "{name} {}", s.label);
        assert!(s.emg_transfer.is_none());
    }
    assert!(imported.recorded_utc.is_none());
    assert!(imported.gaps.is_empty() && imported.sequence.is_none());
}

fn check_events(name: &str, imported: &Imported, expected: &Value) {
    // The EVENT group when it has events, else the header events (the reader's rule).
    let mut want: Vec<(f64, String)> = expected["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let text = format!(
                "{} {}",
                e["context"].as_str().unwrap(),
                e["label"].as_str().unwrap()
            );
            (e["time_s"].as_f64().unwrap(), text.trim().to_string())
        })
        .collect();
    if want.is_empty() {
        want = expected["header_events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e[0].as_f64().unwrap(), e[1].as_str().unwrap().to_string()))
            .collect();
    }
    want.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(imported.annotations.len(), want.len(), "{name}");
    for (a, (t, text)) in imported.annotations.iter().zip(&want) {
        assert_eq!(&a.text, text, "{name}");
        assert!(
            (a.time_s - t).abs() <= TIME_TOL_S,
            "{name}: {} vs {t}",
            a.time_s
        );
        assert!(a.duration_s.is_nan());
    }
}

#[test]
fn fixtures_match_py_c3d() {
    let mut seen = 0;
    for name in [
        "integer",
        "float",
        "unsigned",
        "defaults",
        "events",
        "truncated",
    ] {
        let dir = fixture_dir();
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap(),
        )
        .unwrap();
        let imported = read(&dir.join(format!("{name}.c3d")));
        check_channels(name, &imported, &expected);
        check_events(name, &imported, &expected);
        assert_eq!(
            imported.subject.as_deref(),
            expected["subject"].as_str(),
            "{name}"
        );
        let samples = expected["samples"].as_array().unwrap();
        for (signal, want) in imported.signals.iter().zip(samples) {
            for (k, (&ours, theirs)) in signal.samples.iter().zip(numbers(want)).enumerate() {
                assert!(
                    close(ours, theirs, F32_ROUNDING),
                    "{name} {} sample {k}: {ours} vs {theirs}",
                    signal.label
                );
            }
        }
        if name == "truncated" {
            let declared = expected["frames_declared"].as_u64().unwrap();
            let kept = expected["frames_read"].as_u64().unwrap();
            assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
            assert!(
                imported.warnings[0].contains(&format!("{kept} of the {declared} frames")),
                "{:?}",
                imported.warnings
            );
        } else {
            assert!(
                imported.warnings.is_empty(),
                "{name}: {:?}",
                imported.warnings
            );
        }
        seen += 1;
    }
    assert_eq!(seen, 6);
}

/// The unsigned fixture's words straddle its OFFSET of 32768: a positive value comes from
/// a word above 32767, which a signed reading would have turned into a large negative one.
#[test]
fn unsigned_fixture_values_are_positive_and_negative() {
    let imported = read(&fixture_dir().join("unsigned.c3d"));
    let s = &imported.signals[0].samples;
    assert!(s.iter().any(|&v| v > 5.0) && s.iter().any(|&v| v < -5.0));
}

/// More than 65 535 frames: the header's last frame (65535) and POINT:FRAMES (65535) are
/// not the count; POINT:LONG_FRAMES and the TRIAL fields are.
#[test]
fn more_than_65535_frames() {
    let dir = fixture_dir();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("long.json")).unwrap()).unwrap();
    assert_eq!(expected["frames_header_last"], 65535);
    assert_eq!(expected["point_frames_parameter"], 65535);
    let imported = read(&dir.join("long.c3d"));
    check_channels("long", &imported, &expected);
    assert_eq!(imported.signals[0].samples.len(), 70_001);
    let samples = &imported.signals[0].samples;
    let index = expected["sample_index"].as_array().unwrap();
    let values = numbers(&expected["samples_at_index"][0]);
    for (i, want) in index.iter().zip(values) {
        let i = i.as_u64().unwrap() as usize;
        assert!(close(samples[i], want, F32_ROUNDING), "sample {i}");
    }
    let sum: f64 = samples.iter().map(|&v| f64::from(v)).sum();
    // Half-integers: every value and the sum are exact in f32 and f64.
    assert_eq!(sum, expected["sum"][0].as_f64().unwrap());
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
}

/// The reference CSV: header names, then rows of physical values.
fn reference_csv(path: &Path) -> (Vec<String>, Vec<Vec<f64>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let names = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(|x| x.trim().parse().unwrap()).collect())
        .collect();
    (names, rows)
}

/// Labels, units, rate, sample count and per-channel statistics of `meta.json`, and the
/// reference CSV's first samples.
fn check_real(
    dir: &Path,
    file: &str,
    meta: &Value,
    csv: &(Vec<String>, Vec<Vec<f64>>),
) -> Imported {
    let imported = read(&dir.join("original").join(file));
    let labels: Vec<&str> = imported.signals.iter().map(|s| s.label.as_str()).collect();
    let units: Vec<&str> = imported.signals.iter().map(|s| s.unit.as_str()).collect();
    assert_eq!(labels, strings(&meta["labels"]), "{file}");
    assert_eq!(units, strings(&meta["units"]), "{file}");
    assert_eq!(csv.0, strings(&meta["labels"]), "{file}: reference columns");
    let stats = &meta["stats"];
    for (c, s) in imported.signals.iter().enumerate() {
        assert_eq!(
            s.rate_hz,
            meta["analog_rate_hz"].as_f64().unwrap(),
            "{file}"
        );
        assert_eq!(
            s.samples.len() as u64,
            meta["samples"].as_u64().unwrap(),
            "{file}"
        );
        let n = s.samples.len() as f64;
        let mean = s.samples.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
        let var = s
            .samples
            .iter()
            .map(|&v| (f64::from(v) - mean).powi(2))
            .sum::<f64>()
            / n;
        let (min, max) = s
            .samples
            .iter()
            .fold((f32::MAX, f32::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        let want_mean = stats["mean"][c].as_f64().unwrap();
        let want_std = stats["std"][c].as_f64().unwrap();
        let scale = want_mean.abs() + want_std;
        assert!(
            (mean - want_mean).abs() <= STATS_TOL * scale,
            "{file} {} mean {mean} vs {want_mean}",
            s.label
        );
        assert!(
            (var.sqrt() - want_std).abs() <= STATS_TOL * scale,
            "{file} {} std",
            s.label
        );
        assert!(
            close(min, stats["min"][c].as_f64().unwrap(), F32_ROUNDING),
            "{file} {} min",
            s.label
        );
        assert!(
            close(max, stats["max"][c].as_f64().unwrap(), F32_ROUNDING),
            "{file} {} max",
            s.label
        );
        for (k, row) in csv.1.iter().enumerate() {
            assert!(
                close(s.samples[k], row[c], CSV_DIGITS),
                "{file} {} sample {k}: {} vs {}",
                s.label,
                s.samples[k],
                row[c]
            );
        }
    }
    imported
}

/// Every encoding of a c3d.org trial gives the same values, equal to py-c3d's.
#[test]
fn c3d_org_samples_in_six_encodings() {
    let Some(data) = crate::fixtures::shared_data() else {
        return;
    };
    for folder in ["c3d_org_eb015", "c3d_org_sample02"] {
        let dir = data.join(folder);
        let meta: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).unwrap()).unwrap();
        let csv = reference_csv(&dir.join("reference/analog_first_2000.csv"));
        let files = meta["files"].as_object().unwrap();
        assert_eq!(files.len(), 6, "{folder}");
        let mut first: Option<Imported> = None;
        for (file, file_meta) in files {
            let imported = check_real(&dir, file, file_meta, &csv);
            assert!(imported.subject.is_some(), "{file}: SUBJECT:NAME");
            // The SGI files store their last parameter record's pointer byte-swapped.
            for w in &imported.warnings {
                assert!(w.contains("read it as the last record"), "{file}: {w}");
            }
            assert!(!imported.annotations.is_empty(), "{file}: header events");
            match &first {
                None => first = Some(imported),
                Some(reference) => {
                    // The float files store the integer files' raw words as floats, exactly.
                    for (a, b) in imported.signals.iter().zip(&reference.signals) {
                        assert_eq!(a.samples, b.samples, "{file} {}", a.label);
                    }
                }
            }
        }
    }
}

/// Header events of the c3d.org trial as py-c3d 0.6 reads them (`Reader.header.events`):
/// times from the first frame, four-character labels.
#[test]
fn c3d_org_header_events() {
    let Some(data) = crate::fixtures::shared_data() else {
        return;
    };
    for file in ["Eb015pi.c3d", "Eb015si.c3d", "Eb015vr.c3d"] {
        let imported = read(&data.join("c3d_org_eb015/original").join(file));
        let got: Vec<(f32, &str)> = imported
            .annotations
            .iter()
            .map(|a| (a.time_s as f32, a.text.as_str()))
            .collect();
        assert_eq!(got, [(2.72, "RIC"), (5.4, "RHS"), (7.32, "RTO")], "{file}");
    }
}

#[test]
fn cometa_emg() {
    let Some(data) = crate::fixtures::shared_data() else {
        return;
    };
    let dir = data.join("c3d_cometa_emg");
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).unwrap()).unwrap();
    let csv = reference_csv(&dir.join("reference/analog_first_2000.csv"));
    let file_meta = &meta["files"]["cometa_emg.c3d"];
    let imported = check_real(&dir, "cometa_emg.c3d", file_meta, &csv);
    assert_eq!(imported.signals.len(), 24);
    assert_eq!(imported.signals[0].rate_hz, 2000.0);
    assert_eq!(imported.signals[0].samples.len(), 39_800);
    assert_eq!(imported.signals[8].label, "R.RECTUS FEM.");
    assert!(imported.annotations.is_empty());
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
}
