//! The format v1 writer and reader: round trip, atomic output, foreign files, bad files.

use std::path::{Path, PathBuf};

use myobalance::montage::{Channel, Kind, Montage, Side};
use myobalance::recording::{Acquisition, Gap, Recording, Truth, TruthEntry};
use myobalance::results::{
    AttrValue, Event, EventKind, FeatureGroup, FeatureTable, Results, SummaryGroup, SummaryValues,
};
use myobalance::store::{read_file, write_file, StoreError, WriteOptions};
use ndarray::Array2;

/// A fresh, empty folder for one test, removed when the test ends.
pub struct ScratchDir(PathBuf);

impl std::ops::Deref for ScratchDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for ScratchDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn scratch_dir(name: &str) -> ScratchDir {
    let dir = std::env::temp_dir().join(format!("myobalance-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    ScratchDir(dir)
}

fn channel(name: &str, kind: Kind, unit: &str, side: Side) -> Channel {
    Channel {
        name: name.into(),
        label: None,
        kind,
        unit: unit.into(),
        side,
        scale: 1.0,
        offset: 0.0,
        mvc: None,
    }
}

pub fn small_montage(rate: f64) -> Montage {
    Montage {
        sample_rate_hz: Some(rate),
        mains_hz: 50,
        channels: vec![
            channel("biceps_l", Kind::Emg, "uV", Side::Left),
            channel("biceps_r", Kind::Emg, "uV", Side::Right),
            channel("force_r", Kind::Force, "N", Side::Right),
        ],
        pairs: vec![],
        bilateral: vec![],
        analysis: Default::default(),
    }
}

fn recording() -> Recording {
    let samples = Array2::from_shape_fn((5003, 3), |(r, c)| {
        (r as f32 * 0.37 + c as f32).sin() * 100.0
    });
    Recording {
        montage: small_montage(2000.0),
        samples,
        source: "unit test".into(),
        acquisition: Some(Acquisition {
            protocol: "frame".into(),
            port: "/dev/ttyUSB0".into(),
            frames_received: 5000,
            frames_missing: 3,
            frames_corrupt: 1,
            bytes_skipped: 17,
            ring_overruns: 0,
            measured_rate_hz: Some(1999.7),
            gaps: vec![Gap {
                first_row: 100,
                rows: 3,
            }],
            timing: vec![[0.0, 0.0], [2000.0, 1.0001]],
        }),
        truth: Some(Truth {
            entries: vec![TruthEntry {
                name: "tremor_hz".into(),
                values: vec![9.5],
                labels: vec!["force_r".into()],
                unit: "Hz".into(),
                description: "tremor frequency of the force channel".into(),
            }],
        }),
        metadata: Default::default(),
    }
}

fn results() -> Results {
    Results {
        features: vec![FeatureGroup {
            name: "activation".into(),
            time_s: vec![0.125, 0.175, 0.225],
            tables: vec![FeatureTable {
                name: "rms".into(),
                columns: vec!["biceps_l".into(), "biceps_r".into()],
                values: Array2::from_shape_fn((3, 2), |(r, c)| 10.0 * r as f64 + c as f64 + 0.5),
            }],
            params: vec![
                ("window_s".into(), AttrValue::Float(0.25)),
                ("causal".into(), AttrValue::Bool(false)),
                ("band_hz".into(), AttrValue::Floats(vec![20.0, 450.0])),
                ("filter".into(), AttrValue::Text("butterworth".into())),
                ("order".into(), AttrValue::Int(2)),
            ],
        }],
        events: vec![
            Event {
                time_s: 0.05,
                kind: EventKind::Gap,
                channel: String::new(),
                value: 3.0,
                text: String::new(),
            },
            Event {
                time_s: 1.5,
                kind: EventKind::TremorAlarmStart,
                channel: "force_r".into(),
                value: 9.4,
                text: String::new(),
            },
        ],
        summary: vec![SummaryGroup {
            name: "symmetry".into(),
            names: vec!["biceps".into()],
            columns: vec![
                ("si_percent".into(), SummaryValues::Numbers(vec![10.53])),
                ("weaker".into(), SummaryValues::Texts(vec!["left".into()])),
            ],
        }],
    }
}

#[test]
fn a_file_reads_back_as_written() {
    let dir = scratch_dir("roundtrip");
    let path = dir.join("session.h5");
    let (rec, res) = (recording(), results());
    write_file(&path, &rec, Some(&res), &WriteOptions::default()).unwrap();
    let back = read_file(&path).unwrap();
    assert_eq!(back.recording.samples, rec.samples);
    assert_eq!(back.recording.montage, rec.montage);
    assert_eq!(back.recording.source, rec.source);
    assert_eq!(back.recording.acquisition, rec.acquisition);
    assert_eq!(back.recording.truth, rec.truth);
    assert!(!back.opened_swmr);
    assert!(back.software.unwrap().starts_with("myobalance "));
    let created = back.created_utc.unwrap();
    assert!(created.ends_with('Z') && created.len() == 20, "{created}");

    let got = back.results.unwrap();
    let group = got.group("activation").unwrap();
    assert_eq!(group.time_s, res.features[0].time_s);
    let table = group.table("rms").unwrap();
    assert_eq!(table.columns, res.features[0].tables[0].columns);
    // Feature values are stored as f32.
    let expected = res.features[0].tables[0].values.mapv(|v| v as f32 as f64);
    assert_eq!(table.values, expected);
    for (name, value) in &res.features[0].params {
        assert_eq!(group.param(name), Some(value), "parameter {name}");
    }
    assert_eq!(got.events, res.events);
    assert_eq!(got.summary, res.summary);
    // Nothing but the finished file is left in the folder.
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("session.h5")]);
}

#[test]
fn a_recording_without_results_has_no_result_groups() {
    let dir = scratch_dir("no-results");
    let path = dir.join("raw.h5");
    let mut rec = recording();
    rec.acquisition = None;
    rec.truth = None;
    write_file(&path, &rec, None, &WriteOptions::default()).unwrap();
    let back = read_file(&path).unwrap();
    assert!(back.results.is_none());
    assert!(back.recording.acquisition.is_none());
    assert!(back.recording.truth.is_none());
    assert_eq!(back.recording.samples, rec.samples);
}

#[test]
fn empty_and_uncompressed_recordings_work() {
    let dir = scratch_dir("empty");
    for (name, rows, deflate) in [("empty.h5", 0, 1), ("plain.h5", 10, 0)] {
        let path = dir.join(name);
        let mut rec = recording();
        rec.samples = Array2::zeros((rows, 3));
        let options = WriteOptions {
            deflate_level: deflate,
            ..Default::default()
        };
        write_file(&path, &rec, None, &options).unwrap();
        assert_eq!(read_file(&path).unwrap().recording.samples.dim(), (rows, 3));
    }
}

#[test]
fn a_failed_write_leaves_no_file() {
    let dir = scratch_dir("failed");
    let path = dir.join("missing-folder").join("out.h5");
    let err = write_file(&path, &recording(), None, &WriteOptions::default()).unwrap_err();
    assert!(err.to_string().contains("out.h5"), "{err}");
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

fn expect_err(path: &Path, needle: &str) -> StoreError {
    let err = read_file(path).expect_err("must be refused");
    let text = err.to_string();
    assert!(text.contains(needle), "{text}");
    assert!(text.contains(&path.display().to_string()), "{text}");
    err
}

#[test]
fn bad_files_are_refused_with_a_reason() {
    let dir = scratch_dir("bad");
    let text = dir.join("notes.h5");
    std::fs::write(&text, "time_s,biceps\n0,1\n").unwrap();
    expect_err(&text, "not an HDF5 file");
    let empty = dir.join("empty.h5");
    std::fs::write(&empty, "").unwrap();
    expect_err(&empty, "not an HDF5 file");
    // The HDF5 signature followed by garbage.
    let broken = dir.join("broken.h5");
    let mut bytes = vec![0x89, b'H', b'D', b'F', b'\r', b'\n', 0x1a, b'\n'];
    bytes.extend(std::iter::repeat_n(0xAB, 4000));
    std::fs::write(&broken, bytes).unwrap();
    expect_err(&broken, "broken.h5");
    expect_err(&dir.join("absent.h5"), "absent.h5");

    let foreign = dir.join("foreign.h5");
    {
        let f = hdf5::File::create(&foreign).unwrap();
        f.new_dataset::<f32>()
            .shape((10, 2))
            .create("data")
            .unwrap();
    }
    expect_err(&foreign, "not a myobalance file");

    let other = dir.join("other.h5");
    write_attrs(&other, "somethingelse", 1);
    expect_err(&other, "\"somethingelse\"");
    let future = dir.join("future.h5");
    write_attrs(&future, "myobalance", 2);
    expect_err(&future, "format_version 2");
    let no_raw = dir.join("noraw.h5");
    write_attrs(&no_raw, "myobalance", 1);
    expect_err(&no_raw, "/raw/samples is missing");
}

fn write_attrs(path: &Path, format: &str, version: i64) {
    use hdf5::types::VarLenUnicode;
    let f = hdf5::File::create(path).unwrap();
    let v: VarLenUnicode = format.parse().unwrap();
    f.new_attr::<VarLenUnicode>()
        .shape(())
        .create("format")
        .unwrap()
        .write_scalar(&v)
        .unwrap();
    f.new_attr::<i64>()
        .shape(())
        .create("format_version")
        .unwrap()
        .write_scalar(&version)
        .unwrap();
}

#[test]
fn a_minimal_foreign_file_is_read() {
    // What a lab script with h5py might write: the root attributes and /raw/samples with
    // its rate and channel names, in float64, no montage text.
    use hdf5::types::VarLenUnicode;
    let dir = scratch_dir("minimal");
    let path = dir.join("minimal.h5");
    {
        write_attrs(&path, "myobalance", 1);
        let f = hdf5::File::open_rw(&path).unwrap();
        f.new_attr::<i32>()
            .shape(())
            .create("mains_hz")
            .unwrap()
            .write_scalar(&60)
            .unwrap();
        let raw = f.create_group("raw").unwrap();
        let data = Array2::from_shape_fn((100, 2), |(r, c)| (r * 2 + c) as f64);
        let ds = raw
            .new_dataset_builder()
            .with_data(&data)
            .create("samples")
            .unwrap();
        ds.new_attr::<f64>()
            .shape(())
            .create("sample_rate_hz")
            .unwrap()
            .write_scalar(&1000.0)
            .unwrap();
        let names: Vec<VarLenUnicode> = ["flexor", "extensor"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        ds.new_attr::<VarLenUnicode>()
            .shape(2)
            .create("channel_names")
            .unwrap()
            .write(&names)
            .unwrap();
    }
    let back = read_file(&path).unwrap();
    let m = &back.recording.montage;
    assert_eq!(m.mains_hz, 60);
    assert_eq!(m.sample_rate_hz, Some(1000.0));
    assert_eq!(
        m.channels
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["flexor", "extensor"]
    );
    assert_eq!(back.recording.samples[[99, 1]], 199.0);
}

#[test]
fn a_montage_that_disagrees_with_the_samples_is_refused() {
    let dir = scratch_dir("mismatch");
    let path = dir.join("mismatch.h5");
    let mut rec = recording();
    rec.samples = Array2::zeros((10, 2));
    write_file(&path, &rec, None, &WriteOptions::default()).unwrap();
    expect_err(&path, "has 2 columns but the montage names 3 channels");
}
