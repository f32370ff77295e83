//! `record --lsl` against the reference implementation: a pylsl outlet (pylsl's wheel
//! bundles liblsl; `scripts/lsl_peer.py`) sends known values with their timestamps, drops
//! a stretch and stops; the recording must hold every sample sent, the stretch as one
//! filled gap, `/raw/timing` on the sender's clock, and end as for an unplugged device.
//! `record --lsl-out` against a pylsl inlet (`scripts/lsl_inlet.py`): the features it
//! receives are the file's activation rows, its events the markers added (SIGUSR1).
//!
//! Everything runs inside a private network namespace (`scripts/netns`), so LSL's
//! discovery packets never leave the loopback interface. The Python with pylsl comes from
//! `MYOBALANCE_PYTHON` (`scripts/test` sets it from `scripts/pyenv`); without it, or where
//! no namespace can be made, the tests say so on stderr and pass without running.

use std::path::{Path, PathBuf};

use myobalance::recording::Gap;
use myobalance::store::read_file;
use serde_json::Value;

use crate::fixtures::command;
use crate::store::scratch_dir;

const BIN: &str = env!("CARGO_BIN_EXE_myobalance");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The Python with pylsl and a working namespace, or why the test cannot run.
fn peer_python() -> Result<PathBuf, String> {
    let python = std::env::var_os("MYOBALANCE_PYTHON")
        .map(PathBuf::from)
        .ok_or("MYOBALANCE_PYTHON is not set (scripts/test sets it)")?;
    let netns = root().join("scripts/netns");
    let ok = command(&netns)
        .arg(&python)
        .args(["-c", "import pylsl"])
        .status()
        .map_err(|e| format!("scripts/netns: {e}"))?;
    match ok.code() {
        Some(0) => Ok(python),
        Some(77) => Err("no network namespace can be made here".into()),
        _ => Err(format!("{} cannot import pylsl", python.display())),
    }
}

/// The Python with pylsl, or `None` after saying on stderr why `test` does not run.
fn peer_python_or_skip(test: &str) -> Option<PathBuf> {
    peer_python()
        .map_err(|why| eprintln!("SKIPPED {test}: {why}"))
        .ok()
}

/// Runs a bash script in a private network namespace (`scripts/netns`).
fn in_netns(script: &str) -> std::process::ExitStatus {
    command(root().join("scripts/netns"))
        .args(["bash", "-c", script])
        .status()
        .unwrap()
}

/// The sample the peer sends for instant `k` of channel `c`.
fn value(k: u64, c: usize) -> f32 {
    (((k * 7 + c as u64 * 13) % 2001) as i64 - 1000) as f32
}

#[test]
fn a_pylsl_stream_is_recorded_sample_for_sample() {
    let Some(python) = peer_python_or_skip("a_pylsl_stream_is_recorded_sample_for_sample") else {
        return;
    };
    let dir = scratch_dir("lsl-record");
    let dir = dir.as_ref();
    let name = format!("peer-{}", std::process::id());
    let script = format!(
        "{py} {peer} --name {name} --channels 4 --rate 1000 --seconds 3 --drop-at 1.5 \
         --drop 25 --out {sent} & \
         {bin} record --lsl \"name='{name}'\" --lsl-timeout 20 --out {out} 2>{err}; rc=$?; \
         wait; exit $rc",
        py = python.display(),
        peer = root().join("scripts/lsl_peer.py").display(),
        sent = dir.join("sent.json").display(),
        bin = BIN,
        out = dir.join("rec.h5").display(),
        err = dir.join("stderr").display(),
    );
    let status = in_netns(&script);
    let stderr = std::fs::read_to_string(dir.join("stderr")).unwrap_or_default();
    // The stream went away: as for an unplugged device, exit 1 with the file complete.
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("went away"), "{stderr}");
    let sent: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("sent.json")).unwrap()).unwrap();
    let stored = read_file(&dir.join("rec.h5")).unwrap();
    let rec = &stored.recording;
    let labels: Vec<&str> = sent["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    let names: Vec<Option<&str>> = rec
        .montage
        .channels
        .iter()
        .map(|c| c.label.as_deref())
        .collect();
    assert_eq!(names, labels.iter().map(|l| Some(*l)).collect::<Vec<_>>());
    assert_eq!(rec.montage.sample_rate_hz, Some(1000.0));
    // Every instant sent is in its row; the 25 dropped are one filled gap.
    let ks: Vec<u64> = sent["k"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_u64().unwrap())
        .collect();
    assert_eq!(ks.len(), 2975);
    assert_eq!(rec.samples.nrows(), 3000, "{stderr}");
    for &k in &ks {
        for c in 0..4 {
            assert_eq!(
                rec.samples[[k as usize, c]],
                value(k, c),
                "instant {k} channel {c}"
            );
        }
    }
    let acquisition = rec.acquisition.as_ref().unwrap();
    assert_eq!(acquisition.protocol, "lsl");
    assert_eq!(
        acquisition.gaps,
        vec![Gap {
            first_row: 1500,
            rows: 25
        }]
    );
    assert_eq!(
        (acquisition.frames_received, acquisition.frames_missing),
        (2975, 25)
    );
    // /raw/timing: the last row of each block on the sender's clock (plus the time
    // correction, within a millisecond on one machine).
    let stamps: Vec<f64> = sent["timestamps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_f64().unwrap())
        .collect();
    let first = stamps[0];
    assert!(!acquisition.timing.is_empty());
    for [row, time] in &acquisition.timing {
        let want = first + row / 1000.0;
        assert!(
            (time - want).abs() < 1e-3,
            "row {row} at {time}, sent at {want}"
        );
    }
}

#[test]
fn an_irregular_stream_is_refused_and_a_missing_one_named() {
    let Some(python) =
        peer_python_or_skip("an_irregular_stream_is_refused_and_a_missing_one_named")
    else {
        return;
    };
    let dir = scratch_dir("lsl-refused");
    let dir = dir.as_ref();
    let name = format!("markers-{}", std::process::id());
    let script = format!(
        "{py} -c \"import pylsl, time; i = pylsl.StreamInfo('{name}', 'Markers', 1, 0, \
         'float32', 'm'); o = pylsl.StreamOutlet(i); time.sleep(6)\" & sleep 1; \
         {bin} record --lsl \"name='{name}'\" --lsl-timeout 4 --out {a} 2>{err_a}; \
         {bin} record --lsl \"name='nobody'\" --lsl-timeout 1 --out {b} 2>{err_b}; \
         kill %1; exit 0",
        py = python.display(),
        bin = BIN,
        a = dir.join("a.h5").display(),
        b = dir.join("b.h5").display(),
        err_a = dir.join("a.err").display(),
        err_b = dir.join("b.err").display(),
    );
    in_netns(&script);
    let a = std::fs::read_to_string(dir.join("a.err")).unwrap();
    assert!(a.contains("has no fixed rate"), "{a}");
    let b = std::fs::read_to_string(dir.join("b.err")).unwrap();
    assert!(
        b.contains("no LSL stream answers name='nobody' within 1 s"),
        "{b}"
    );
    assert!(!dir.join("a.h5").exists() && !dir.join("b.h5").exists());
}

#[test]
fn lsl_out_publishes_the_rows_the_file_holds() {
    let Some(python) = peer_python_or_skip("lsl_out_publishes_the_rows_the_file_holds") else {
        return;
    };
    let dir = scratch_dir("lsl-out");
    let dir = dir.as_ref();
    let name = format!("features-{}", std::process::id());
    let script = format!(
        "{py} {inlet} --name {name} --out {recv} & sleep 0.5; \
         {bin} record --simulate --duration 8 --lsl-out {name} --out {out} 2>{err} & rec=$!; \
         sleep 4; kill -USR1 $rec; sleep 1; kill -USR1 $rec; \
         wait $rec; rc=$?; wait; exit $rc",
        py = python.display(),
        inlet = root().join("scripts/lsl_inlet.py").display(),
        recv = dir.join("received.json").display(),
        bin = BIN,
        out = dir.join("rec.h5").display(),
        err = dir.join("stderr").display(),
    );
    let status = in_netns(&script);
    let stderr = std::fs::read_to_string(dir.join("stderr")).unwrap_or_default();
    assert_eq!(status.code(), Some(0), "{stderr}");
    let received: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("received.json")).unwrap()).unwrap();
    let features = &received[&name];
    let events = &received[format!("{name}-events")];
    assert_eq!(features["type"], "EMGFeatures");
    assert_eq!(features["rate"].as_f64(), Some(20.0));
    assert_eq!(events["type"], "Markers");
    let labels: Vec<&str> = features["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "biceps_l_pct_mvc",
            "triceps_l_pct_mvc",
            "biceps_r_pct_mvc",
            "triceps_r_pct_mvc",
            "elbow_l_fw",
            "elbow_r_fw",
            "biceps_l_tremor_rel",
            "triceps_l_tremor_rel",
            "biceps_r_tremor_rel",
            "triceps_r_tremor_rel",
            "force_l_tremor_rel",
            "force_r_tremor_rel",
            "biceps_lsi",
            "triceps_lsi",
            "force_lsi"
        ]
    );
    // Each sample received is an activation row of the file, in order from the row the
    // consumer joined at; the symmetry columns are 100·min/max of the two sides.
    let stored = read_file(&dir.join("rec.h5")).unwrap();
    let results = stored.results.unwrap();
    let pct = results.table(myobalance::results::TableId::PctMvc).unwrap();
    let samples: Vec<Vec<f64>> = features["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    assert!(samples.len() > 100, "{} samples", samples.len());
    // Events were published as they happened: the two markers (SIGUSR1) and the EMG
    // onsets and offsets of the driving detector (Hodges–Bui by default; the file keeps
    // the other two for comparison), each one the file holds (those before the consumer
    // joined may be missing).
    use myobalance::results::EventKind;
    let mut in_file: Vec<String> = results
        .events
        .iter()
        .filter(|e| e.text.is_empty() || e.text == "hodges_bui" || e.kind == EventKind::Marker)
        .filter_map(|e| match e.kind {
            EventKind::Marker => Some("marker".to_string()),
            EventKind::Onset if !e.value.is_finite() => Some(format!("onset {}", e.channel)),
            EventKind::Offset => Some(format!("offset {}", e.channel)),
            _ => None,
        })
        .collect();
    let texts: Vec<&str> = events["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[0].as_str().unwrap())
        .collect();
    assert_eq!(
        texts.iter().filter(|t| **t == "marker").count(),
        2,
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.starts_with("onset ")), "{texts:?}");
    for t in &texts {
        let k = in_file
            .iter()
            .position(|f| f == t)
            .unwrap_or_else(|| panic!("{t} published but not in the file"));
        in_file.remove(k);
    }
    let row = |r: usize| -> Vec<f32> { (0..4).map(|c| pct.values[[r, c]] as f32).collect() };
    let first: Vec<f32> = samples[0][..4].iter().map(|v| *v as f32).collect();
    let start = (0..pct.values.nrows())
        .find(|&r| row(r) == first)
        .expect("the first sample received is a row of the file");
    for (k, s) in samples.iter().enumerate() {
        let got: Vec<f32> = s[..4].iter().map(|v| *v as f32).collect();
        assert_eq!(got, row(start + k), "sample {k}");
        let lsi = |l: f64, r: f64| 100.0 * l.min(r) / l.max(r);
        assert!(
            (s[12] - lsi(s[0], s[2])).abs() < 1e-3,
            "biceps LSI {} of {s:?}",
            s[12]
        );
        assert!(s[14].is_nan(), "force LSI is not from activation");
    }
}
