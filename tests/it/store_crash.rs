//! Crash safety of the streaming recording writer, for real: a child process appends rows
//! and reports each flush; it is killed with SIGKILL at a random moment; the file must
//! then open (in SWMR read mode) with every row reported flushed, each row intact.
//!
//! The child is this test binary itself, re-run on the `child_writer` test with an
//! environment variable naming the file to write.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use myobalance::results::AttrValue;
use myobalance::store::live::{FeatureLayout, LiveWriter};
use myobalance::store::read_file;
use ndarray::Array2;

use crate::fixtures::Noise;
use crate::store::{scratch_dir, small_montage};

const CHILD_ENV: &str = "MYOBALANCE_CRASH_CHILD";
const CHANNELS: usize = 3;
const BLOCK_ROWS: usize = 40;
/// Kills per run of the test: enough to land in every phase of the write cycle (between
/// flushes, during a chunk write, during a resize, during feature appends).
const KILLS: usize = 24;

/// The value the child writes at `row`, `column`: exact in f32 and different everywhere.
fn value(row: usize, column: usize) -> f32 {
    ((row * CHANNELS + column) % 1_000_003) as f32
}

#[test]
fn child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return; // Only runs as the child of `killed_writer_leaves_every_flushed_row`.
    };
    let layout = FeatureLayout {
        group: "activation".into(),
        tables: vec![("rms".into(), vec!["biceps_l".into(), "biceps_r".into()])],
        params: vec![("window_s".into(), AttrValue::Float(0.25))],
    };
    let mut writer = LiveWriter::create(
        std::path::Path::new(&path),
        &small_montage(2000.0),
        "crash test",
        &myobalance::recording::Metadata::default(),
        100,
        &[layout],
    )
    .unwrap();
    let started = Instant::now();
    let mut reported = 0;
    let mut row = 0;
    let mut block = 0;
    while started.elapsed() < Duration::from_secs(30) {
        let frames: Vec<f32> = (row..row + BLOCK_ROWS)
            .flat_map(|r| (0..CHANNELS).map(move |c| value(r, c)))
            .collect();
        writer.append(&frames).unwrap();
        writer.append_timing(row as f64, started.elapsed().as_secs_f64());
        row += BLOCK_ROWS;
        block += 1;
        if block % 5 == 0 {
            let rms = Array2::from_elem((1, 2), block as f64);
            writer.append_features(0, &[block as f64], &[rms.view()]);
        }
        if writer.rows_flushed() != reported {
            reported = writer.rows_flushed();
            println!("flushed {reported}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Kills the child if a check fails before the test does.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn killed_writer_leaves_every_flushed_row() {
    let dir = scratch_dir("crash");
    let exe = std::env::current_exe().unwrap();
    let mut noise = Noise::new(2026);
    for run in 0..KILLS {
        let path = dir.join(format!("run{run}.h5"));
        let child = crate::fixtures::command(&exe)
            .args([
                "--exact",
                "store_crash::child_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut child = KillOnDrop(child);
        let flushed = Arc::new(Mutex::new(0usize));
        let stdout = child.0.stdout.take().unwrap();
        let seen = Arc::clone(&flushed);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("flushed ") {
                    *seen.lock().unwrap() = n.trim().parse().unwrap();
                }
            }
        });
        // Wait for the first flush, then kill at a random moment of the next 0.6 s.
        let waiting = Instant::now();
        while *flushed.lock().unwrap() == 0 {
            assert!(
                waiting.elapsed() < Duration::from_secs(20),
                "run {run}: child never flushed"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_micros(
            (300_000.0 * (noise.next() + 1.0)) as u64,
        ));
        child.0.kill().unwrap();
        child.0.wait().unwrap();
        reader.join().unwrap();
        let promised = *flushed.lock().unwrap();

        let file = read_file(&path).unwrap_or_else(|e| panic!("run {run}: {e}"));
        assert!(
            file.opened_swmr,
            "run {run}: a killed writer's file needs SWMR read mode"
        );
        let samples = &file.recording.samples;
        assert!(
            samples.nrows() >= promised,
            "run {run}: {} rows in the file, {promised} were flushed",
            samples.nrows()
        );
        for (r, row) in samples.rows().into_iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                assert_eq!(*v, value(r, c), "run {run}: row {r} column {c}");
            }
        }
        if let Some(results) = &file.results {
            let group = results.group("activation").unwrap();
            for (i, t) in group.time_s.iter().enumerate() {
                assert_eq!(*t, 5.0 * (i + 1) as f64, "run {run}: feature row {i}");
            }
        }
        let timing = &file.recording.acquisition.as_ref().unwrap().timing;
        assert!(
            timing.windows(2).all(|w| w[1][0] > w[0][0]),
            "run {run}: timing rows in order"
        );
    }
}
