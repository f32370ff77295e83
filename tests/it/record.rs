//! `myobalance record` end to end over pseudo-terminals: the test plays the device (it
//! knows every byte it sent, which is the oracle), the recorder runs as a child process.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use myobalance::ingest::cyton::{encode_cyton_packet, CYTON_UV_PER_COUNT};
use myobalance::ingest::frame::encode_frame;
use myobalance::recording::Gap;
use myobalance::results::EventKind;
use myobalance::store::read_file;
use serialport::{SerialPort, TTYPort};

use crate::fixtures::{command, Noise};
use crate::store::scratch_dir;

const BIN: &str = env!("CARGO_BIN_EXE_myobalance");

/// A device on the master side of a pseudo-terminal pair.
struct Device {
    master: TTYPort,
    /// The pair's own slave end, kept open so the terminal stays configured.
    _slave: TTYPort,
    name: String,
}

impl Device {
    fn new() -> Device {
        let (master, slave) = TTYPort::pair().expect("a pseudo-terminal pair");
        let name = slave.name().expect("the slave has a name");
        Device {
            master,
            _slave: slave,
            name,
        }
    }

    /// Writes every byte, retrying while the terminal's buffer is full.
    fn send(&mut self, mut bytes: &[u8]) {
        let start = Instant::now();
        while !bytes.is_empty() {
            match self.master.write(bytes) {
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(e) => panic!("writing to the terminal: {e}"),
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the recorder does not read"
            );
        }
    }

    /// Waits until the recorder has read every byte written so far (the terminal's input
    /// queue is empty), then a little more for the last read to be handed on.
    fn wait_drained(&self) {
        use std::os::fd::AsRawFd;
        let start = Instant::now();
        loop {
            let mut queued: libc::c_int = 0;
            // SAFETY: FIONREAD writes one int; the descriptor is the pair's open slave.
            let rc = unsafe { libc::ioctl(self._slave.as_raw_fd(), libc::FIONREAD, &mut queued) };
            assert_eq!(rc, 0, "FIONREAD on the terminal");
            if queued == 0 {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the recorder stopped reading"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(100));
    }

    /// Bytes the recorder sent to the device within `wait`.
    fn received(&mut self, wait: Duration) -> Vec<u8> {
        let start = Instant::now();
        let mut got = Vec::new();
        let mut buf = [0u8; 256];
        while start.elapsed() < wait {
            match self.master.read(&mut buf) {
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => break,
            }
        }
        got
    }
}

fn write_montage(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("device.montage.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Starts `record` on the device's port and waits until it has created its file.
fn start_recorder(port: &str, montage: &Path, protocol: &str, out: &Path, extra: &[&str]) -> Child {
    let mut child = command(BIN)
        .args(["record", "--port", port, "--montage"])
        .arg(montage)
        .args(["--protocol", protocol, "--out"])
        .arg(out)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the recorder starts");
    let start = Instant::now();
    while !out.exists() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the recorder ended early ({status}): {}",
                stderr_of(&mut child)
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no file appeared"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    child
}

/// Everything an ended child wrote to its standard error.
fn stderr_of(child: &mut Child) -> String {
    let mut err = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        pipe.read_to_string(&mut err).unwrap();
    }
    err
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: kill(2) on the child's own pid.
    assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
}

/// Waits for the child, at most `limit`; returns its exit code, stderr, and how long it took.
fn finish(mut child: Child, limit: Duration) -> (Option<i32>, String, Duration) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.code(), stderr_of(&mut child), start.elapsed());
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("the recorder did not stop within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Counts of frame `k` of the test signal: a 10 Hz sine and noise on two EMG channels, a
/// slow ramp on a force channel, and a plain counter.
fn frame_counts(k: u64, noise: &mut Noise) -> [i32; 4] {
    let t = k as f64 / 1000.0;
    [
        (2000.0 * (2.0 * std::f64::consts::PI * 10.0 * t).sin() + 500.0 * noise.gauss()) as i32,
        (800.0 * noise.gauss()) as i32,
        (k % 3000) as i32 * 10,
        k as i32,
    ]
}

const FRAME_MONTAGE: &str = r#"
sample_rate_hz = 1000.0
mains_hz = 50

[[channels]]
name = "biceps"
kind = "emg"
unit = "uV"
scale = 0.5

[[channels]]
name = "triceps"
kind = "emg"
unit = "uV"
scale = 0.5

[[channels]]
name = "force"
kind = "force"
unit = "N"
scale = 0.01
offset = -2.0

[[channels]]
name = "counter"
kind = "other"

[[pairs]]
name = "elbow"
agonist = "biceps"
antagonist = "triceps"
"#;

#[test]
fn frame_faults_are_filled_counted_and_the_features_match_process_causal() {
    let dir = scratch_dir("record-frame");
    let montage = write_montage(&dir, FRAME_MONTAGE);
    let out = dir.join("session.h5");
    let mut device = Device::new();
    let recorder = start_recorder(&device.name, &montage, "frame", &out, &[]);

    // 12 s of frames from sequence 7; faults: 10 frames never sent (gap), one frame with a
    // broken CRC (corrupt and a gap of 1), garbage holding sync bytes, and a stretch
    // written one byte at a time.
    let (first, n) = (7u64, 12_000u64);
    let lost: std::ops::Range<u64> = first + 500..first + 510;
    let corrupt = first + 1000;
    let garbage_at = first + 1500;
    let garbage = [0xA5, 0x5A, 0x01, 0x04, 0xFF, 0x00, 0xA5, 0x13, 0x5A];
    let mut noise = Noise::new(11);
    let mut expected: Vec<Option<[i32; 4]>> = Vec::new();
    let mut bytes = Vec::new();
    let mut skipped = garbage.len() as u64;
    for k in 0..n {
        let seq = first + k;
        let counts = frame_counts(k, &mut noise);
        let mut frame = encode_frame(seq as u32, &counts);
        if lost.contains(&seq) {
            expected.push(None);
            continue;
        }
        if seq == corrupt {
            let last = frame.len() - 1;
            frame[last] ^= 0x55;
            skipped += frame.len() as u64;
            expected.push(None);
        } else {
            expected.push(Some(counts));
        }
        if seq == garbage_at {
            bytes.extend_from_slice(&garbage);
        }
        bytes.extend_from_slice(&frame);
        if seq == first + 3000 {
            for b in std::mem::take(&mut bytes) {
                device.send(&[b]);
            }
        }
        if bytes.len() > 16 * 1024 {
            device.send(&std::mem::take(&mut bytes));
        }
    }
    device.send(&bytes);
    device.wait_drained();
    signal(&recorder, libc::SIGINT);
    let (code, err, _) = finish(recorder, Duration::from_secs(20));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        device.received(Duration::from_millis(50)),
        b"",
        "frame devices get no commands"
    );

    let stored = read_file(&out).unwrap();
    let results = stored.results.as_ref().expect("the recording has results");
    let rec = &stored.recording;
    let m = &rec.montage;
    assert_eq!(rec.samples.nrows() as u64, n, "one row per sequence number");
    for (row, counts) in expected.iter().enumerate() {
        if let Some(counts) = counts {
            for (c, count) in counts.iter().enumerate() {
                let ch = &m.channels[c];
                let want = (f64::from(*count) * ch.scale + ch.offset) as f32;
                assert_eq!(rec.samples[[row, c]], want, "row {row} channel {c}");
            }
        }
    }
    // Lost rows lie on the line between their neighbours.
    let (a, b) = (lost.start - first - 1, lost.end - first);
    for row in a + 1..b {
        let w = (row - a) as f64 / (b - a) as f64;
        for c in 0..4 {
            let (x, y) = (
                f64::from(rec.samples[[a as usize, c]]),
                f64::from(rec.samples[[b as usize, c]]),
            );
            let got = f64::from(rec.samples[[row as usize, c]]);
            assert!(
                (got - (x + (y - x) * w)).abs() <= 1e-3 * (1.0 + y.abs()),
                "row {row}"
            );
        }
    }
    let acq = rec.acquisition.as_ref().unwrap();
    assert_eq!(acq.protocol, "frame");
    assert_eq!(acq.port, device.name);
    assert_eq!(
        acq.gaps,
        vec![
            Gap {
                first_row: 500,
                rows: 10
            },
            Gap {
                first_row: corrupt - first,
                rows: 1
            }
        ],
        "gaps as [first row, count]"
    );
    assert_eq!(acq.frames_missing, 11);
    assert_eq!(acq.frames_received, n - 11);
    // The garbage starts like a 4-channel frame header (sync, version 1, 4 channels), so it
    // fails its CRC as a frame would: two corrupt frames.
    assert_eq!(acq.frames_corrupt, 2);
    assert_eq!(acq.bytes_skipped, skipped);
    assert_eq!(acq.ring_overruns, 0);
    assert!(!acq.timing.is_empty());
    assert!(acq
        .timing
        .windows(2)
        .all(|w| w[0][0] < w[1][0] && w[0][1] <= w[1][1]));
    assert_eq!(acq.timing.last().unwrap()[0], (n - 1) as f64);
    let gap_events: Vec<_> = results
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Gap)
        .map(|e| (e.time_s, e.value))
        .collect();
    assert_eq!(gap_events, vec![(0.5, 10.0), (1.0, 1.0)]);
    assert!(results.summary("activation").is_some());

    // Reprocessing the recorded file causally gives the features the recorder wrote live.
    let again = dir.join("again.h5");
    let o = command(BIN)
        .args(["process", "--causal", "--out"])
        .arg(&again)
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let reprocessed = read_file(&again).unwrap().results.unwrap();
    let live = &results.features;
    assert_eq!(live.len(), reprocessed.features.len());
    for g in live {
        let h = reprocessed.group(&g.name).expect("the same groups");
        assert!(!g.time_s.is_empty(), "{} has rows", g.name);
        assert_eq!(g.time_s, h.time_s, "{} times", g.name);
        assert_eq!(g.params, h.params, "{} parameters", g.name);
        assert_eq!(g.tables.len(), h.tables.len());
        for t in &g.tables {
            let u = h.table(&t.name).expect("the same tables");
            assert_eq!(t.columns, u.columns);
            for (x, y) in t.values.iter().zip(u.values.iter()) {
                assert!(
                    (x.is_nan() && y.is_nan()) || (x - y).abs() <= 1e-6 * (1.0 + y.abs()),
                    "{}/{}: live {x} vs process --causal {y}",
                    g.name,
                    t.name
                );
            }
        }
    }
    assert_eq!(results.events, reprocessed.events);
}

fn cyton_montage() -> String {
    let mut text = String::from("mains_hz = 60\n");
    for k in 0..8 {
        let kind = if k < 6 { "emg" } else { "other" };
        text.push_str(&format!(
            "\n[[channels]]\nname = \"ch{k}\"\nkind = \"{kind}\"\nunit = \"uV\"\n"
        ));
    }
    text
}

fn spawn_recorder(args: &[&str]) -> Child {
    command(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the recorder starts")
}

#[test]
fn cyton_handshake_faults_and_unplug() {
    let dir = scratch_dir("record-cyton");
    let montage = write_montage(&dir, &cyton_montage());
    let out = dir.join("cyton.h5");
    let mut device = Device::new();
    let recorder = spawn_recorder(&[
        "record",
        "--port",
        &device.name,
        "--montage",
        montage.to_str().unwrap(),
        "--protocol",
        "cyton",
        "--out",
        out.to_str().unwrap(),
    ]);
    // The board answers `v` with its banner and `$$$`, then waits for `b`.
    let mut asked = Vec::new();
    let start = Instant::now();
    while !asked.contains(&b'v') {
        asked.extend(device.received(Duration::from_millis(20)));
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no `v` from the recorder"
        );
    }
    assert_eq!(
        asked.first(),
        Some(&b's'),
        "a running stream is stopped first"
    );
    device.send(b"OpenBCI V3 8-16 channel\nOn Board ADS1299 Device ID: 0x3E\n$$$");
    while !asked.contains(&b'b') {
        asked.extend(device.received(Duration::from_millis(20)));
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no `b` after `$$$`"
        );
    }

    // 2000 packets (8 s); counter 100 skipped (a gap of 1), packet 300 with a bad footer
    // (corrupt and a gap of 1), garbage with header bytes before packet 700.
    let mut noise = Noise::new(5);
    let mut expected = Vec::new();
    let mut bytes = Vec::new();
    let mut skipped = 0u64;
    for k in 0..2000u32 {
        let counts: [i32; 8] =
            std::array::from_fn(|c| ((c as f64 + 1.0) * 3000.0 * noise.gauss()) as i32 % (1 << 23));
        let mut packet = encode_cyton_packet(k as u8, counts);
        if k == 100 {
            expected.push(None);
            continue;
        }
        if k == 300 {
            packet[32] = 0x00;
            skipped += 33;
            expected.push(None);
        } else {
            expected.push(Some(counts));
        }
        if k == 700 {
            let garbage = [0xA0, 0x11, 0xC0, 0x42, 0xA0];
            bytes.extend_from_slice(&garbage);
            skipped += garbage.len() as u64;
        }
        bytes.extend_from_slice(&packet);
    }
    device.send(&bytes);
    device.wait_drained();
    // Unplugging: the terminal goes away. The recorder must finish within a second.
    drop(device);
    let (code, err, took) = finish(recorder, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("unplugged"), "{err}");
    assert!(took < Duration::from_secs(1), "stopped after {took:?}");

    let stored = read_file(&out).unwrap();
    let rec = &stored.recording;
    assert_eq!(rec.sample_rate_hz(), 250.0);
    assert_eq!(rec.samples.nrows(), 2000);
    for (row, counts) in expected.iter().enumerate() {
        if let Some(counts) = counts {
            for (c, count) in counts.iter().enumerate() {
                let want = (f64::from(*count) * CYTON_UV_PER_COUNT) as f32;
                assert_eq!(rec.samples[[row, c]], want, "row {row} channel {c}");
            }
        }
    }
    let acq = rec.acquisition.as_ref().unwrap();
    assert_eq!(acq.protocol, "cyton");
    assert_eq!(acq.gaps, gaps(&[[100, 1], [300, 1]]));
    assert_eq!((acq.frames_received, acq.frames_missing), (1998, 2));
    // Each 0xA0 in the garbage starts a candidate packet whose footer is wrong: with the
    // bad-footer packet, three corrupt packets.
    assert_eq!(acq.frames_corrupt, 3);
    assert_eq!(acq.bytes_skipped, skipped);
    let results = stored
        .results
        .expect("features and summary written at the stop");
    assert!(results.summary("activation").is_some());
}

#[test]
fn text_lines_with_a_header_and_bad_lines_stop_at_the_duration() {
    let dir = scratch_dir("record-text");
    let montage = write_montage(
        &dir,
        "sample_rate_hz = 500.0\nmains_hz = 50\n\n[[channels]]\nname = \"a\"\nkind = \"force\"\nunit = \"N\"\nscale = 0.5\n\n[[channels]]\nname = \"b\"\nkind = \"other\"\n",
    );
    let out = dir.join("text.h5");
    let mut device = Device::new();
    let recorder = start_recorder(&device.name, &montage, "text", &out, &["--duration", "2"]);
    let mut text = String::from("a,b\r\n");
    let mut expected = Vec::new();
    for k in 0..1500 {
        match k {
            10 => {
                text.push_str("1,2,3\n"); // wrong number of fields: a gap of 1
                expected.push(None);
            }
            20 => {
                text.push_str("4;x\n"); // not a number: a gap of 1
                expected.push(None);
            }
            _ => {
                let sep = ["\t", ",", ";", " "][k % 4];
                text.push_str(&format!("{}{sep}{}\n", k * 2, -(k as i64)));
                expected.push(Some([(k * 2) as f32 * 0.5, -(k as f32)]));
            }
        }
    }
    device.send(text.as_bytes());
    let (code, err, _) = finish(recorder, Duration::from_secs(20));
    assert_eq!(code, Some(0), "{err}");
    let stored = read_file(&out).unwrap();
    let rec = &stored.recording;
    assert_eq!(rec.samples.nrows(), 1000, "exactly --duration of samples");
    for (row, want) in expected.iter().take(1000).enumerate() {
        if let Some(want) = want {
            assert_eq!(rec.samples[[row, 0]], want[0], "row {row}");
            assert_eq!(rec.samples[[row, 1]], want[1], "row {row}");
        }
    }
    let acq = rec.acquisition.as_ref().unwrap();
    assert_eq!(acq.gaps, gaps(&[[10, 1], [20, 1]]));
    assert_eq!(acq.frames_corrupt, 2);
    assert_eq!(acq.frames_received, 998);
    // The bad lines' rows lie halfway between their neighbours.
    assert_eq!(
        rec.samples[[10, 0]],
        (9.0 * 2.0 * 0.5 + 11.0 * 2.0 * 0.5) / 2.0
    );
}

#[test]
fn a_killed_recorder_leaves_every_flushed_sample_readable() {
    let dir = scratch_dir("record-kill");
    let montage = write_montage(&dir, FRAME_MONTAGE);
    let out = dir.join("killed.h5");
    let mut device = Device::new();
    let recorder = start_recorder(&device.name, &montage, "frame", &out, &[]);
    let mut noise = Noise::new(3);
    let n = 3500u64;
    let mut sent = Vec::new();
    for k in 0..n {
        let counts = frame_counts(k, &mut noise);
        sent.push(counts);
        device.send(&encode_frame(k as u32, &counts));
        if k % 100 == 99 {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    // Everything was read, then more than 0.5 s passed before the kill.
    device.wait_drained();
    std::thread::sleep(Duration::from_millis(800));
    signal(&recorder, libc::SIGKILL);
    let (code, _, _) = finish(recorder, Duration::from_secs(10));
    assert_eq!(code, None, "killed by a signal");
    let stored = read_file(&out).expect("the file opens after a kill");
    assert!(
        stored.opened_swmr,
        "it is read as a file left by its writer"
    );
    let rec = &stored.recording;
    assert_eq!(rec.samples.nrows() as u64, n);
    let scale = rec.montage.channels[3].scale;
    for (row, counts) in sent.iter().enumerate() {
        assert_eq!(
            f64::from(rec.samples[[row, 3]]),
            f64::from(counts[3]) * scale
        );
    }
    let results = stored.results.expect("live feature rows survive the kill");
    let activation = results.group("activation").unwrap();
    assert!(
        activation.time_s.len() >= 60,
        "{} rows",
        activation.time_s.len()
    );
}

#[test]
fn simulated_device_records_exactly_the_duration() {
    let dir = scratch_dir("record-simulate");
    let out = dir.join("sim.h5");
    let o = command(BIN)
        .args([
            "record",
            "--simulate",
            "--duration",
            "1.5",
            "--rate",
            "1000",
            "--subject",
            "P07",
            "--session",
            "week 3",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("lost 0"), "{err}");
    let stored = read_file(&out).unwrap();
    // Whose session it is, and when it started (the host's clock, in UTC).
    let meta = &stored.recording.metadata;
    assert_eq!(meta.subject.as_deref(), Some("P07"));
    assert_eq!(meta.session.as_deref(), Some("week 3"));
    let started = meta.recorded_utc.as_deref().unwrap();
    assert!(started.len() == 20 && started.ends_with('Z'), "{started}");
    // process keeps them, and --session replaces the label.
    let again = dir.join("again.h5");
    let o = command(BIN)
        .args(["process", "--session", "week 3, reprocessed", "--out"])
        .arg(&again)
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let meta = read_file(&again).unwrap().recording.metadata;
    assert_eq!(meta.subject.as_deref(), Some("P07"));
    assert_eq!(meta.session.as_deref(), Some("week 3, reprocessed"));
    assert_eq!(meta.recorded_utc.as_deref(), Some(started));
    assert_eq!(stored.recording.samples.nrows(), 1500);
    assert_eq!(stored.recording.montage.channels.len(), 6);
    let acq = stored.recording.acquisition.unwrap();
    assert_eq!((acq.frames_received, acq.frames_missing), (1500, 0));
    assert!(stored.recording.source.contains("simulated device"));
    // Rows are the simulator's samples from 0, so its ground truth comes along: the same
    // truth `simulate` writes for a recording of this length.
    let mut truth = stored
        .recording
        .truth
        .expect("a simulated recording carries its truth")
        .entries;
    let settings = myobalance::sim::SimSettings::new(1.5, 1000.0, 1);
    let mut expected = myobalance::sim::Simulator::new(&settings)
        .unwrap()
        .truth(1500)
        .entries;
    truth.sort_by(|a, b| a.name.cmp(&b.name));
    expected.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(truth, expected);
    // The recorder never replaces a file.
    let again = command(BIN)
        .args(["record", "--simulate", "--duration", "1", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
}

#[test]
fn bad_settings_are_usage_errors_and_a_wrong_device_keeps_no_file() {
    let dir = scratch_dir("record-usage");
    let montage = write_montage(&dir, FRAME_MONTAGE);
    let out = dir.join("x.h5");
    let run = |args: &[&str]| {
        let o = command(BIN).args(args).output().unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, err) = run(&["record", "--out", out.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    let (code, err) = run(&[
        "record",
        "--port",
        "/dev/null",
        "--montage",
        montage.to_str().unwrap(),
        "--protocol",
        "cyton",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("8 channels"), "{err}");
    let (code, err) = run(&[
        "record",
        "--port",
        "/dev/does-not-exist",
        "--montage",
        montage.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("/dev/does-not-exist"), "{err}");
    assert!(!out.exists());

    // A device sending 2 channels to a 4-channel montage: stopped, nothing kept.
    let mut device = Device::new();
    let recorder = start_recorder(&device.name, &montage, "frame", &out, &[]);
    for k in 0..50u32 {
        device.send(&encode_frame(k, &[1, 2]));
    }
    let (code, err, _) = finish(recorder, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("2 channels per frame but the montage has 4"),
        "{err}"
    );
    assert!(!out.exists(), "no file is kept when nothing was recorded");
}

/// Gaps from `[first_row, rows]` pairs.
fn gaps(pairs: &[[u64; 2]]) -> Vec<Gap> {
    pairs
        .iter()
        .map(|&[first_row, rows]| Gap { first_row, rows })
        .collect()
}
