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
