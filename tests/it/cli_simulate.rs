//! `myobalance simulate` and `inspect` as a user runs them.

use myobalance::montage::Montage;
use myobalance::store::csv::read_csv;
use myobalance::store::read_file;

use crate::store::scratch_dir;

fn myobalance(args: &[&str]) -> std::process::Output {
    crate::fixtures::command(env!("CARGO_BIN_EXE_myobalance"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn simulated_csv_and_hdf5_hold_the_same_samples() {
    let dir = scratch_dir("cli-simulate");
    let h5 = dir.join("sim.h5");
    let csv = dir.join("sim.csv");
    for out in [&h5, &csv] {
        let o = myobalance(&[
            "simulate",
            "--seconds",
            "3.5",
            "--rate",
            "1000",
            "--seed",
            "7",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let stored = read_file(&h5).unwrap();
    assert!(stored.recording.truth.is_some());
    let montage = Montage::load(&dir.join("sim.montage.toml")).unwrap();
    let from_csv = read_csv(&csv, &montage).unwrap();
    assert!(from_csv.warnings.is_empty(), "{:?}", from_csv.warnings);
    assert_eq!(from_csv.recording.samples, stored.recording.samples);
    // Same channels; the CSV's montage has no device scaling (CSV holds physical units).
    let describe = |m: &Montage| -> Vec<(String, String, Option<f64>)> {
        m.channels
            .iter()
            .map(|c| (c.name.clone(), c.unit.clone(), c.mvc))
            .collect()
    };
    assert_eq!(
        describe(&from_csv.recording.montage),
        describe(&stored.recording.montage)
    );
    assert!(from_csv
        .recording
        .montage
        .channels
        .iter()
        .all(|c| c.scale == 1.0 && c.offset == 0.0));

    let o = myobalance(&["inspect", h5.to_str().unwrap()]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    for needle in [
        "3500 × 6 channels at 1000 Hz",
        "biceps_l",
        "pair      elbow_l",
        "/truth",
        "tremor_hz",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

#[test]
fn bad_usage_exits_2_and_says_why() {
    let dir = scratch_dir("cli-bad");
    let out = dir.join("x.txt");
    for (args, needle) in [
        (vec!["simulate", "--out", out.to_str().unwrap()], ".h5"),
        (vec!["simulate", "--rate", "100", "--out", "x.h5"], "500"),
        (
            vec!["simulate", "--seconds", "-1", "--out", "x.h5"],
            "seconds",
        ),
    ] {
        let o = myobalance(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert!(!out.exists());
    let o = myobalance(&["inspect", dir.join("absent.h5").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("absent.h5"));
}

/// The knee scenario with a patient's labels: a session of a simulated series.
#[test]
fn knee_session_with_subject_session_and_start() {
    let dir = scratch_dir("cli-simulate-knee");
    let h5 = dir.join("x.h5");
    let o = myobalance(&[
        "simulate",
        "--scenario",
        "knee",
        "--strength-ratio",
        "0.45",
        "--side-ratio",
        "0.7",
        "--subject",
        "P1",
        "--session",
        "w1",
        "--start",
        "2026-01-05T09:00:00Z",
        "--seconds",
        "5",
        "--out",
        h5.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stored = read_file(&h5).unwrap().recording;
    let meta = &stored.metadata;
    assert_eq!(meta.subject.as_deref(), Some("P1"));
    assert_eq!(meta.session.as_deref(), Some("w1"));
    assert_eq!(meta.recorded_utc.as_deref(), Some("2026-01-05T09:00:00Z"));
    let names: Vec<&str> = stored
        .montage
        .channels
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["vl_l", "bf_l", "vl_r", "bf_r", "torque_l", "torque_r"]
    );
    assert_eq!(stored.montage.pairs[1].torque.as_deref(), Some("torque_r"));
    let truth = stored.truth.unwrap();
    let strength = truth.get("strength_ratio").unwrap();
    assert_eq!(strength.labels, ["knee_l", "knee_r"]);
    assert_eq!(strength.values, [0.45, 0.45]);
    assert_eq!(truth.get("side_ratio").unwrap().values, [0.7; 3]);

    // The attributes as h5py sees them, where the test environment has Python.
    if let Some(python) = std::env::var_os("MYOBALANCE_PYTHON") {
        let script = "import sys, h5py\n\
                      f = h5py.File(sys.argv[1], 'r')\n\
                      print('|'.join(str(f.attrs[k]) for k in ('subject', 'session', 'recorded_utc')))\n";
        let o = crate::fixtures::command(python)
            .args(["-c", script, h5.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            String::from_utf8_lossy(&o.stdout).trim(),
            "P1|w1|2026-01-05T09:00:00Z"
        );
    }

    // A start without a zone stays without one; CSV output says where the labels went.
    let csv = dir.join("x.csv");
    let o = myobalance(&[
        "simulate",
        "--scenario",
        "knee",
        "--seconds",
        "1",
        "--subject",
        "P1",
        "--start",
        "2026-01-05T09:00:00",
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--subject, --start not stored"), "{err}");
    let montage = Montage::load(&dir.join("x.montage.toml")).unwrap();
    assert_eq!(montage.channels[5].unit, "N.m");
    let h5 = dir.join("local.h5");
    let o = myobalance(&[
        "simulate",
        "--scenario",
        "knee",
        "--seconds",
        "1",
        "--start",
        "2026-01-05T09:00:00",
        "--out",
        h5.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let meta = read_file(&h5).unwrap().recording.metadata;
    assert_eq!(meta.recorded_utc.as_deref(), Some("2026-01-05T09:00:00"));
    assert_eq!(meta.subject, None);
}

#[test]
fn scenario_flags_are_checked() {
    let dir = scratch_dir("cli-simulate-flags");
    let out = dir.join("x.h5");
    let out = out.to_str().unwrap();
    for (args, needle) in [
        (
            vec!["simulate", "--strength-ratio", "0.5", "--out", out],
            "--scenario knee",
        ),
        (
            vec![
                "simulate",
                "--scenario",
                "knee",
                "--strength-ratio",
                "3",
                "--out",
                out,
            ],
            "--strength-ratio",
        ),
        (
            vec!["simulate", "--side-ratio", "-1", "--out", out],
            "--side-ratio",
        ),
        (vec!["simulate", "--scenario", "hip", "--out", out], "hip"),
        (
            vec!["simulate", "--start", "2026-02-30T10:00:00Z", "--out", out],
            "--start",
        ),
        (
            vec!["simulate", "--start", "5 January", "--out", out],
            "ISO 8601",
        ),
        // record --simulate takes the same flags, and refuses them the same way.
        (
            vec![
                "record",
                "--simulate",
                "--strength-ratio",
                "0.5",
                "--out",
                out,
            ],
            "--scenario knee",
        ),
        (
            vec!["record", "--scenario", "knee", "--out", out],
            "--simulate",
        ),
    ] {
        let o = myobalance(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert!(!dir.join("x.h5").exists());
}

/// `record --simulate --scenario knee`: a live rehearsal of a knee session, with its truth.
#[test]
fn record_simulates_the_knee_scenario() {
    let dir = scratch_dir("cli-record-knee");
    let out = dir.join("knee.h5");
    let o = myobalance(&[
        "record",
        "--simulate",
        "--scenario",
        "knee",
        "--strength-ratio",
        "0.5",
        "--side-ratio",
        "0.9",
        "--duration",
        "1.5",
        "--rate",
        "1000",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stored = read_file(&out).unwrap().recording;
    assert_eq!(stored.montage.channels[4].name, "torque_l");
    assert_eq!(stored.montage.channels[4].unit, "N.m");
    let truth = stored.truth.unwrap();
    assert_eq!(truth.get("strength_ratio").unwrap().values, [0.5, 0.5]);
    assert_eq!(truth.get("side_ratio").unwrap().values, [0.9; 3]);
}
