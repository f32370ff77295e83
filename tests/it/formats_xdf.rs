//! XDF reader against files written by `scripts/import_fixtures/xdf.py` as the XDF 1.0
//! specification lays them out and read back by `pyxdf` 1.17.5 (clocks synchronised, no
//! dejittering): five streams in four value formats at three rates plus markers, clock
//! offsets, a boundary chunk, a lost stretch, an unknown chunk tag, a truncated file and a
//! header that is not XML.

use std::path::{Path, PathBuf};

use myobalance::formats::xdf::{parse, read_streams, Streams};
use myobalance::formats::TimeGap;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/import/xdf")
        .join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

fn oracle(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Every stream as pyxdf reads it: header fields, timestamps (pyxdf fits the clock
/// offsets robustly, myobalance by least squares; the offsets lie on a line, so both
/// follow it to well under a microsecond) and values (f32 of pyxdf's numbers).
fn same_as_pyxdf(ours: &Streams, theirs: &Value) {
    let theirs = theirs["streams"].as_array().unwrap();
    assert_eq!(ours.streams.len(), theirs.len());
    for (s, t) in ours.streams.iter().zip(theirs) {
        let name = t["name"].as_str().unwrap();
        assert_eq!(s.header.name, name);
        assert_eq!(s.header.kind, t["type"].as_str().unwrap());
        assert_eq!(s.header.nominal_srate, t["rate_hz"].as_f64().unwrap());
        let labels: Vec<&str> = s.header.channels.iter().map(|c| c.label.as_str()).collect();
        let want: Vec<&str> = t["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(labels, want, "{name}");
        let stamps = numbers(&t["timestamps"]);
        assert_eq!(s.data.timestamps.len(), stamps.len(), "{name}");
        for (a, b) in s.data.timestamps.iter().zip(&stamps) {
            assert!((a - b).abs() < 1e-6, "{name}: timestamp {a} vs pyxdf {b}");
        }
        if s.header.format == myobalance::formats::xdf::ValueFormat::String {
            let texts: Vec<&str> = t["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(s.data.texts, texts, "{name}");
        } else {
            let values: Vec<f32> = t["values"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|row| numbers(row).into_iter().map(|v| v as f32))
                .collect();
            assert_eq!(s.data.values, values, "{name}");
        }
    }
}

#[test]
fn every_stream_reads_as_pyxdf_reads_it() {
    let streams = read_streams(&bytes("streams.xdf"), "streams.xdf").unwrap();
    same_as_pyxdf(&streams, &oracle("streams.json"));
    assert!(streams.warnings.is_empty(), "{:?}", streams.warnings);
    assert_eq!(streams.datetime.as_deref(), Some("2026-11-30T08:15:00Z"));
}

#[test]
fn the_emg_stream_is_the_recording_and_the_others_join_it() {
    let oracle = oracle("streams.json");
    let imported = parse(&bytes("streams.xdf"), "streams.xdf", None).unwrap();
    assert_eq!(imported.format, "XDF");
    let labels: Vec<&str> = imported.signals.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "EMG biceps L",
            "EMG triceps L",
            "EMG biceps R",
            "EMG triceps R",
            "Force L",
            "Force R",
            "Acc X",
            "Acc Y",
            "Acc Z"
        ]
    );
    assert_eq!(imported.signals[0].unit, "microvolts");
    assert_eq!(imported.signals[4].rate_hz, 100.0);
    assert_eq!(imported.signals[6].rate_hz, 250.0);
    // The lost stretch, as pyxdf's timestamps show it.
    let gaps: Vec<Vec<f64>> = oracle["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(numbers)
        .collect();
    assert_eq!(gaps.len(), 1);
    assert_eq!(imported.gaps.len(), 1);
    let TimeGap { at_s, missing_s } = imported.gaps[0];
    assert!((at_s - gaps[0][0]).abs() < 1e-9 && (missing_s - gaps[0][1]).abs() < 1e-9);
    // Force and acceleration on the recording's time line, as numpy.interp puts them.
    for (name, first) in [("Force", 4), ("Accel", 6)] {
        for (c, want) in oracle["grid"][name].as_array().unwrap().iter().enumerate() {
            let want = numbers(want);
            let got = &imported.signals[first + c].samples;
            assert_eq!(got.len(), want.len(), "{name} {c}");
            for (k, (g, w)) in got.iter().zip(&want).enumerate() {
                assert!(
                    (f64::from(*g) - w).abs() <= 1e-5 * w.abs().max(1.0),
                    "{name} {c} sample {k}: {g} vs {w}"
                );
            }
        }
    }
    // Markers inside the recording become annotations, at their time from its start.
    let triggers = &oracle["streams"][3];
    let t0 = numbers(&oracle["streams"][0]["timestamps"])[0];
    let inside: Vec<(f64, &str)> = numbers(&triggers["timestamps"])
        .into_iter()
        .zip(
            triggers["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap()),
        )
        .map(|(t, text)| (t - t0, text))
        .filter(|(t, _)| (0.0..=3.0).contains(t))
        .collect();
    assert_eq!(inside.len(), 3);
    assert_eq!(imported.annotations.len(), 3);
    for (a, (t, text)) in imported.annotations.iter().zip(inside) {
        assert_eq!(a.text, text);
        assert!(
            (a.time_s - t).abs() < 1e-6,
            "{} at {} vs {t}",
            a.text,
            a.time_s
        );
    }
    let warnings = imported.warnings.join("\n");
    assert!(warnings.contains("2 marker(s) outside"), "{warnings}");
    assert!(
        warnings.contains("\"Clock\"") && warnings.contains("no fixed rate"),
        "{warnings}"
    );
}

#[test]
fn a_stream_is_chosen_by_name_and_a_wrong_name_lists_the_streams() {
    let imported = parse(&bytes("streams.xdf"), "s.xdf", Some("Force")).unwrap();
    assert_eq!(imported.signals[0].label, "Force L");
    assert_eq!(imported.signals[0].samples.len(), 300);
    let e = parse(&bytes("streams.xdf"), "s.xdf", Some("EEG")).unwrap_err();
    assert!(e.to_string().contains("no stream named \"EEG\""), "{e}");
    assert!(
        e.to_string().contains("\"Accel\" (Accelerometer, 250 Hz)"),
        "{e}"
    );
    let e = parse(&bytes("streams.xdf"), "s.xdf", Some("Triggers")).unwrap_err();
    assert!(e.to_string().contains("not a signal"), "{e}");
}

#[test]
fn an_unknown_chunk_is_skipped_with_a_warning() {
    let plain = read_streams(&bytes("streams.xdf"), "a.xdf").unwrap();
    let with = read_streams(&bytes("unknown_tag.xdf"), "b.xdf").unwrap();
    assert_eq!(with.streams, plain.streams);
    assert_eq!(with.warnings.len(), 1);
    assert!(with.warnings[0].contains("tag 77"), "{:?}", with.warnings);
}

#[test]
fn a_truncated_file_keeps_its_complete_chunks() {
    let streams = read_streams(&bytes("truncated.xdf"), "t.xdf").unwrap();
    same_as_pyxdf(&streams, &oracle("truncated.json"));
    assert!(
        streams.warnings[0].contains("ends inside the chunk at byte"),
        "{:?}",
        streams.warnings
    );
}

#[test]
fn bad_files_are_named_errors() {
    let e = read_streams(&bytes("not_xml.xdf"), "not_xml.xdf")
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with(
            "not_xml.xdf: XDF chunk at byte 4: the header of stream 1: not well-formed XML"
        ),
        "{e}"
    );
    let e = read_streams(b"XDF:\x03\x00\x00\x00", "x.xdf")
        .unwrap_err()
        .to_string();
    assert!(e.contains("a length field of 3 bytes"), "{e}");
    let e = read_streams(b"EDF:", "x.xdf").unwrap_err().to_string();
    assert!(e.contains("does not start with \"XDF:\""), "{e}");
    // Samples of a stream whose header never came.
    let mut f = b"XDF:".to_vec();
    f.extend([1, 11, 3, 0, 9, 0, 0, 0, 1, 0, 0, 0, 0]);
    let e = read_streams(&f, "x.xdf").unwrap_err().to_string();
    assert!(e.contains("stream 9 has no header"), "{e}");
}
