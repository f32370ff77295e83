//! WFDB reader against records written and read back by PhysioNet's `wfdb` Python package
//! (`scripts/import_fixtures/wfdb.py`: formats 16, 212 and 24, samples per frame, invalid
//! samples, a truncated signal file) and against a real PhysioNet record (emgdb
//! `emg_healthy`) and its `signals.csv`.

use std::path::{Path, PathBuf};

use myobalance::formats::wfdb::{parse, parse_header, Header};
use myobalance::formats::Imported;
use serde_json::Value;

/// The reader returns f32 physical values; wfdb computes (d − baseline) / gain in f64.
/// They agree to f32 rounding: half an f32 ulp, within 2⁻²³ of the value.
const F32_REL: f64 = f32::EPSILON as f64;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import/wfdb")
}

/// Reads a record the way a caller would: header, then the files it names.
fn read(dir: &Path, record: &str) -> (Header, Imported) {
    let hea = dir.join(format!("{record}.hea"));
    let text = std::fs::read_to_string(&hea).unwrap();
    let header = parse_header(&text, &hea.display().to_string()).unwrap();
    let files: Vec<(String, Vec<u8>)> = header
        .signal_files()
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join(&name)).unwrap();
            (name, bytes)
        })
        .collect();
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let imported = parse(&header, &borrowed, record).unwrap();
    (header, imported)
}

fn oracle(record: &str) -> Value {
    let path = fixtures().join(format!("{record}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn close(ours: f32, theirs: f64) -> bool {
    (f64::from(ours) - theirs).abs() <= theirs.abs() * F32_REL
}

/// Compares every signal with wfdb's read-back; where wfdb reads NaN (an invalid sample)
/// the reader must hold the straight line between the nearest valid samples.
fn check_against_wfdb(record: &str) -> Imported {
    let (_, imported) = read(&fixtures(), record);
    let want = oracle(record);
    assert_eq!(imported.format, "WFDB");
    // Python writes microseconds; the reader writes milliseconds.
    let start = want["start"].as_str().map(|s| match s.split_once('.') {
        Some((whole, fraction)) => format!("{whole}.{}", &fraction[..3]),
        None => s.to_string(),
    });
    assert_eq!(imported.recorded_utc, start);
    let signals = want["signals"].as_array().unwrap();
    assert_eq!(imported.signals.len(), signals.len());
    for (ours, theirs) in imported.signals.iter().zip(signals) {
        assert_eq!(ours.label, theirs["name"].as_str().unwrap());
        assert_eq!(ours.unit, theirs["units"].as_str().unwrap());
        assert_eq!(ours.rate_hz, theirs["rate_hz"].as_f64().unwrap());
        assert!(ours.detail.is_empty());
        let values: Vec<Option<f64>> = theirs["samples"]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::as_f64)
            .collect();
        assert_eq!(ours.samples.len(), values.len(), "{}", ours.label);
        for (i, (&y, v)) in ours.samples.iter().zip(&values).enumerate() {
            match v {
                Some(v) => assert!(close(y, *v), "{} sample {i}: {y} vs {v}", ours.label),
                None => {
                    let before = (0..i).rev().find_map(|j| values[j].map(|v| (j, v)));
                    let after = (i + 1..values.len()).find_map(|j| values[j].map(|v| (j, v)));
                    let expect = match (before, after) {
                        (Some((a, ya)), Some((b, yb))) => {
                            ya + (yb - ya) * (i - a) as f64 / (b - a) as f64
                        }
                        (Some((_, y)), None) | (None, Some((_, y))) => y,
                        (None, None) => 0.0,
                    };
                    assert!(
                        (f64::from(y) - expect).abs() < 1e-6,
                        "{} invalid sample {i}: {y} vs {expect}",
                        ours.label
                    );
                }
            }
        }
    }
    imported
}

#[test]
fn format_16_with_samples_per_frame() {
    let imported = check_against_wfdb("emg16");
    assert_eq!(imported.signals[1].rate_hz, 2000.0);
    assert_eq!(imported.signals[1].samples.len(), 2000);
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert!(imported.gaps.is_empty());
    assert_eq!(imported.sequence, None);
}

#[test]
fn format_212_with_invalid_samples() {
    let imported = check_against_wfdb("ecg212");
    assert_eq!(imported.signals[0].samples.len(), 1001);
    // Only the invalid samples are worth a warning (the checksums agree).
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    assert!(imported.warnings[0].contains("signal 1 (\"V5\"): 4 samples are marked invalid"));
}

#[test]
fn format_24() {
    let imported = check_against_wfdb("emg24");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert_eq!(imported.recorded_utc, None);
}

#[test]
fn truncated_signal_file_keeps_complete_frames() {
    let imported = check_against_wfdb("emg16_truncated");
    let want = oracle("emg16_truncated");
    let expected = want["expected_frames"].as_u64().unwrap();
    let found = want["frames"].as_u64().unwrap();
    assert!(found < expected);
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    let warning = &imported.warnings[0];
    assert!(
        warning.contains(&format!("{expected} frames"))
            && warning.contains(&format!("{found} complete")),
        "{warning}"
    );
}

#[test]
fn header_describes_the_files_to_read() {
    let text = std::fs::read_to_string(fixtures().join("emg16.hea")).unwrap();
    let header = parse_header(&text, "emg16.hea").unwrap();
    assert_eq!(header.signal_files(), vec!["emg16.dat"]);
    assert_eq!(header.frames, Some(1000));
    assert_eq!(header.signals[1].samples_per_frame, 2);
    assert_eq!(header.signals[1].baseline, -100);
}

#[test]
fn real_physionet_record_equals_its_csv() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/physionet_emgdb_healthy");
    if !dir.join("original/emg_healthy.hea").exists() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let (header, imported) = read(&dir.join("original"), "emg_healthy");
    assert_eq!(header.frequency_hz, 4000.0);
    assert_eq!(imported.signals.len(), 1);
    let emg = &imported.signals[0];
    assert_eq!((emg.label.as_str(), emg.unit.as_str()), ("EMG", "mV"));
    assert_eq!(emg.rate_hz, 4000.0);
    // The header's checksum agrees and the file is complete: nothing to warn about.
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let csv = std::fs::read_to_string(dir.join("signals.csv")).unwrap();
    let column: Vec<f64> = csv
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(emg.samples.len(), column.len());
    assert_eq!(column.len(), 50_860);
    // signals.csv holds the values with 10 significant digits: exact for d / 10000.
    for (i, (&y, &v)) in emg.samples.iter().zip(&column).enumerate() {
        assert!(close(y, v), "sample {i}: {y} vs {v}");
    }
}
