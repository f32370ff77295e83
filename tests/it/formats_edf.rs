//! EDF, EDF+, BDF and BDF+ files written by pyedflib and edfio
//! (`scripts/import_fixtures/edf.py`), read by `formats::edf` and compared with what those
//! libraries read back from the same files: physical values, labels, units, rates,
//! annotations, start time, subject, EDF+D gaps and the truncated-file warning.

use std::path::{Path, PathBuf};

use myobalance::formats::{edf, Imported};
use serde_json::Value;

/// Relative rounding of an f32: the reader stores each physical value as f32, which can
/// move it by half an ulp, 2⁻²⁴ of its magnitude.
const F32_ROUNDING: f64 = 1.0 / 16_777_216.0;

/// Relative rounding of the fixtures' JSON: values are written with 9 significant digits.
const JSON_ROUNDING: f64 = 5e-9;

/// Annotation onsets and durations are decimal text in the file; both readers parse the
/// same digits, so they agree far below a microsecond.
const TIME_TOLERANCE_S: f64 = 1e-9;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import/edf")
}

/// The fixture's bytes, what the parser makes of them, and the JSON of the Python readers.
fn read(name: &str) -> (Vec<u8>, Imported, Value) {
    let path = fixture_dir().join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json_path = fixture_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&json_path)
        .unwrap_or_else(|e| panic!("{}: {e}", json_path.display()));
    let expected: Value = serde_json::from_str(&text).expect("fixture JSON");
    let imported = edf::parse(&bytes, name).unwrap_or_else(|e| panic!("{e}"));
    (bytes, imported, expected)
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// Labels, units, rates, details and every sample, each within half a digital step of
/// that signal plus the f32 and JSON rounding.
fn check_signals(name: &str, imported: &Imported, expected: &Value) {
    let signals = expected["signals"].as_array().expect("signals");
    assert_eq!(
        imported.signals.len(),
        signals.len(),
        "{name}: signal count"
    );
    for (got, want) in imported.signals.iter().zip(signals) {
        let label = s(&want["label"]);
        assert_eq!(got.label, label, "{name}");
        assert_eq!(got.unit, s(&want["unit"]), "{name} {label}");
        assert_eq!(got.rate_hz, f(&want["rate_hz"]), "{name} {label}");
        assert_eq!(got.detail, s(&want["detail"]), "{name} {label}");
        assert_eq!(got.emg_transfer, None);
        let step = ((f(&want["physical_max"]) - f(&want["physical_min"]))
            / (f(&want["digital_max"]) - f(&want["digital_min"])))
        .abs();
        let values = want["samples"].as_array().expect("samples");
        assert_eq!(
            got.samples.len(),
            values.len(),
            "{name} {label}: sample count"
        );
        for (i, (&g, w)) in got.samples.iter().zip(values).enumerate() {
            let w = f(w);
            let tolerance = step / 2.0 + w.abs() * (F32_ROUNDING + JSON_ROUNDING);
            assert!(
                (f64::from(g) - w).abs() <= tolerance,
                "{name} {label} sample {i}: {g} vs {w} (tolerance {tolerance})"
            );
        }
    }
}

fn check_annotations(name: &str, imported: &Imported, expected: &Value) {
    let want = expected["annotations"].as_array().expect("annotations");
    assert_eq!(
        imported.annotations.len(),
        want.len(),
        "{name}: {:?}",
        imported.annotations
    );
    for (got, want) in imported.annotations.iter().zip(want) {
        assert_eq!(got.text, s(&want["text"]), "{name}");
        assert!(
            (got.time_s - f(&want["time_s"])).abs() < TIME_TOLERANCE_S,
            "{name}: {got:?}"
        );
        match want["duration_s"].as_f64() {
            None => assert!(got.duration_s.is_nan(), "{name}: {got:?} has a duration"),
            Some(d) => assert!(
                (got.duration_s - d).abs() < TIME_TOLERANCE_S,
                "{name}: {got:?}"
            ),
        }
    }
}

/// Everything a complete fixture says, with no warning.
fn check_file(name: &str) -> Imported {
    let (_, imported, expected) = read(name);
    assert_eq!(imported.format, s(&expected["format"]), "{name}");
    check_signals(name, &imported, &expected);
    check_annotations(name, &imported, &expected);
    assert_eq!(
        imported.recorded_utc.as_deref(),
        Some(s(&expected["recorded_utc"])),
        "{name}"
    );
    assert_eq!(
        imported.subject.as_deref(),
        expected["subject"].as_str(),
        "{name}"
    );
    assert_eq!(imported.sequence, None);
    let gaps = expected["gaps"].as_array().expect("gaps");
    assert_eq!(
        imported.gaps.len(),
        gaps.len(),
        "{name}: {:?}",
        imported.gaps
    );
    for (got, want) in imported.gaps.iter().zip(gaps) {
        assert!(
            (got.at_s - f(&want["at_s"])).abs() < TIME_TOLERANCE_S,
            "{name}: {got:?}"
        );
        assert!(
            (got.missing_s - f(&want["missing_s"])).abs() < TIME_TOLERANCE_S,
            "{name}"
        );
    }
    imported
}

#[test]
fn plain_edf_with_emg_at_2000_hz_beside_force_at_100_hz() {
    let imported = check_file("mixed_rates.edf");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let rates: Vec<f64> = imported.signals.iter().map(|s| s.rate_hz).collect();
    assert_eq!(rates, [2000.0, 2000.0, 100.0]);
    // Two-digit year 98 → 1998 (EDF's y2k rule).
    assert!(imported.recorded_utc.unwrap().starts_with("1998-"));
}

#[test]
fn edf_plus_with_annotations_in_three_annotation_signals() {
    let imported = check_file("annotated.edf");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert!(imported
        .annotations
        .iter()
        .any(|a| a.text == "Kraft max – Übung 3"));
}

#[test]
fn plain_bdf_24_bit() {
    let imported = check_file("plain.bdf");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
}

#[test]
fn bdf_plus_with_sub_second_start_and_utf8_annotations() {
    let imported = check_file("annotated.bdf");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    // edfio stores the .25 s in the first record's time-keeping annotation (+0.25);
    // annotation times count from the first sample, not from the header's whole second.
    assert_eq!(
        imported.recorded_utc.as_deref(),
        Some("2025-01-31T23:59:59.250000")
    );
    assert_eq!(imported.annotations[0].time_s, 0.1);
    // Patient code X: the name is the subject.
    assert_eq!(imported.subject.as_deref(), Some("Max_Mustermann"));
}

#[test]
fn inverted_physical_ranges() {
    let imported = check_file("inverted.edf");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
}

#[test]
fn fractional_record_duration() {
    let imported = check_file("fractional.edf");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
}

#[test]
fn edf_plus_d_gap_from_record_onsets() {
    let imported = check_file("discontinuous.edf");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert_eq!(imported.gaps.len(), 1);
}

#[test]
fn truncated_file_keeps_complete_records_and_warns() {
    let (_, imported, expected) = read("truncated.edf");
    check_signals("truncated.edf", &imported, &expected);
    let records = expected["records"].as_u64().expect("records");
    let declared = expected["records_expected"]
        .as_u64()
        .expect("records_expected");
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    let warning = &imported.warnings[0];
    assert!(
        warning.contains(&format!("{declared} data records expected"))
            && warning.contains(&format!("{records} complete records found")),
        "{warning}"
    );
}

#[test]
fn detection_by_content() {
    for (name, bdf) in [
        ("mixed_rates.edf", false),
        ("annotated.edf", false),
        ("plain.bdf", true),
        ("annotated.bdf", true),
    ] {
        let (bytes, _, _) = read(name);
        assert_eq!(edf::is_edf(&bytes), !bdf, "{name}");
        assert_eq!(edf::is_bdf(&bytes), bdf, "{name}");
    }
    assert!(!edf::is_edf(b"0      "));
    assert!(!edf::is_bdf(b"\xFFBIOSEM"));
}

#[test]
fn errors_name_the_file_field_signal_and_bytes() {
    let (mut bytes, _, _) = read("mixed_rates.edf");
    // Three signals: the digital minimum fields start at 256 + 3·120 = 616; signal 2's
    // at 624.
    bytes[624..632].copy_from_slice(b"32767   ");
    let e = edf::parse(&bytes, "trial.edf").unwrap_err();
    assert_eq!(
        e.to_string(),
        "trial.edf: EDF header field \"digital minimum\" of signal 2 (\"R_Triceps\"), \
         bytes 624–631: digital minimum equals digital maximum (32767): the signal has no \
         range to scale"
    );
}

/// EDF or BDF files among the shared real recordings, when there are any.
#[test]
fn real_files_when_present() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let Ok(folders) = std::fs::read_dir(&data) else {
        eprintln!("skipped: {} is absent", data.display());
        return;
    };
    let mut read_any = false;
    for folder in folders.flatten() {
        let Ok(files) = std::fs::read_dir(folder.path().join("original")) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !ext.eq_ignore_ascii_case("edf") && !ext.eq_ignore_ascii_case("bdf") {
                continue;
            }
            let bytes = std::fs::read(&path).expect("readable");
            let imported =
                edf::parse(&bytes, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
            assert!(!imported.signals.is_empty(), "{}", path.display());
            read_any = true;
        }
    }
    if !read_any {
        eprintln!("skipped: no EDF or BDF file in {}", data.display());
    }
}
