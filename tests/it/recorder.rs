//! The recorder as a library, in-process: a source that hands the simulator's samples over
//! in blocks of any size (with filled gaps), sinks that collect what they are told, and
//! the checks that the rows they get and the file written equal `process --causal` of the
//! same samples; that slow and dead sinks cost nothing; that a device slower than its
//! nominal rate is said once and measured.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use myobalance::engine::{analyze, Filtering};
use myobalance::ingest::acquire::ReaderEnd;
use myobalance::ingest::DecoderStats;
use myobalance::recorder::source::{Feed, SourceInfo};
use myobalance::recorder::{self, Control, Sink, Sinks, Source, Stop, Update};
use myobalance::recording::{Acquisition, Gap, Recording};
use myobalance::results::{FeatureGroup, GroupId};
use myobalance::ring::{Block, SendError};
use myobalance::sim::{simulate, SimSettings};
use myobalance::store::read_file;

use crate::store::scratch_dir;

/// Hands a recording's samples to the ring in blocks of the given sizes (cycled), pacing
/// them at `pace_hz` frames per second of host time when set; rows in `gaps` count as lost
/// (they are filled already, as an assembler fills them).
struct Blocks {
    info: SourceInfo,
    samples: Vec<f32>,
    channels: usize,
    sizes: Vec<usize>,
    gaps: Vec<Gap>,
    pace_hz: Option<f64>,
}

impl Blocks {
    fn new(recording: &Recording, sizes: &[usize]) -> Blocks {
        Blocks {
            info: SourceInfo {
                montage: recording.montage.clone(),
                description: "blocks in memory".into(),
                protocol: "test".into(),
                port: String::new(),
                scenario: None,
                notes: Vec::new(),
            },
            samples: recording
                .samples
                .as_standard_layout()
                .iter()
                .copied()
                .collect(),
            channels: recording.samples.ncols(),
            sizes: sizes.to_vec(),
            gaps: Vec::new(),
            pace_hz: None,
        }
    }
}

impl Source for Blocks {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn read(&mut self, feed: Feed<'_>) -> ReaderEnd {
        let n = self.channels;
        let rows = self.samples.len() / n;
        let (mut row, mut k, mut stats) = (0usize, 0usize, DecoderStats::default());
        while row < rows && !feed.stop.load(Ordering::Relaxed) {
            let size = self.sizes[k % self.sizes.len()].min(rows - row);
            k += 1;
            if let Some(hz) = self.pace_hz {
                let due = Duration::from_secs_f64((row + size) as f64 / hz);
                if let Some(wait) = due.checked_sub(feed.clock.elapsed()) {
                    std::thread::sleep(wait);
                }
            }
            let gaps: Vec<Gap> = self
                .gaps
                .iter()
                .filter(|g| (row as u64..(row + size) as u64).contains(&g.first_row))
                .copied()
                .collect();
            let lost = Gap::total_rows(&gaps);
            stats.frames_received += size as u64 - lost;
            stats.frames_missing += lost;
            let mut block = Block {
                first_row: row as u64,
                frames: self.samples[row * n..(row + size) * n].to_vec(),
                gaps,
                host_s: feed.clock.elapsed().as_secs_f64(),
                source_s: None,
            };
            loop {
                match feed.ring.send(block, Duration::from_millis(200)) {
                    Ok(()) => break,
                    Err(SendError::Full(b)) => block = b,
                    Err(SendError::Closed(_)) => return ReaderEnd::ConsumerGone,
                }
            }
            feed.stats.publish(stats);
            (feed.wake)();
            row += size;
        }
        // As a device does: frames keep coming until the recorder says stop.
        while !feed.stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(1));
        }
        ReaderEnd::Stopped
    }
}

/// Keeps every update it is told.
#[derive(Clone, Default)]
struct Collect(Arc<Mutex<Vec<Update>>>);

impl Sink for Collect {
    fn update(&mut self, update: &Update) {
        self.0.lock().unwrap().push(update.clone());
    }
}

/// The rows of group `id` the sinks were told, as one group.
fn told(updates: &[Update], id: GroupId) -> Option<FeatureGroup> {
    let mut parts = updates.iter().filter_map(|u| match u {
        Update::Rows(g) if g.id() == Some(id) => Some(g.as_ref().clone()),
        _ => None,
    });
    let mut all = parts.next()?;
    for g in parts {
        all.time_s.extend_from_slice(&g.time_s);
        for (t, more) in all.tables.iter_mut().zip(&g.tables) {
            let stacked =
                ndarray::concatenate(ndarray::Axis(0), &[t.values.view(), more.values.view()]);
            t.values = stacked.unwrap();
        }
    }
    Some(all)
}

fn settings(dir: &std::path::Path, name: &str, seconds: f64) -> recorder::Settings {
    recorder::Settings {
        subject: None,
        session: None,
        out: dir.join(name),
        duration_s: Some(seconds),
    }
}

#[test]
fn rows_told_and_stored_equal_process_causal_for_any_blocks_and_gaps() {
    let dir = scratch_dir("recorder-blocks");
    let mut recording = simulate(&SimSettings::new(12.0, 1000.0, 5)).unwrap();
    let gaps = vec![
        Gap {
            first_row: 2500,
            rows: 7,
        },
        Gap {
            first_row: 7001,
            rows: 40,
        },
    ];
    for &Gap {
        first_row: row,
        rows: count,
    } in &gaps
    {
        // The assembler fills lost rows by interpolation; any values will do here, as
        // long as the recorder and the batch run see the same ones.
        for r in row..row + count {
            recording.samples.row_mut(r as usize).fill(0.5);
        }
    }
    let seconds = recording.duration_s();
    for (k, sizes) in [vec![1000], vec![1, 7, 333, 4096], vec![64]]
        .into_iter()
        .enumerate()
    {
        let mut source = Blocks::new(&recording, &sizes);
        source.gaps = gaps.clone();
        let collect = Collect::default();
        let mut sinks = Sinks::default();
        sinks.inline(Box::new(collect.clone()));
        let name = format!("blocks{k}.h5");
        let report = recorder::record(
            Box::new(source),
            sinks,
            &settings(&dir, &name, seconds),
            Arc::new(Control::default()),
        )
        .unwrap();
        assert_eq!(report.stop, Stop::Duration);
        assert_eq!(report.rows, recording.samples.nrows() as u64);
        assert_eq!(report.missing, 47);
        assert_eq!(report.gaps, 2);

        let mut batch = recording.clone();
        batch.acquisition = Some(Acquisition {
            gaps: gaps.clone(),
            ..Acquisition::default()
        });
        let expected = analyze(&batch, Filtering::Causal).unwrap();
        let updates = collect.0.lock().unwrap().clone();
        for id in GroupId::ALL {
            let want = expected.group(id.as_str()).unwrap();
            let got = told(&updates, id).unwrap_or_else(|| panic!("no {id:?} rows told"));
            // Exactly: the same engine, fed in other blocks.
            assert_eq!(
                format!("{:?}", got.time_s),
                format!("{:?}", want.time_s),
                "{sizes:?} {id:?}"
            );
            for (a, b) in got.tables.iter().zip(&want.tables) {
                assert_eq!(
                    format!("{:?}", a.values),
                    format!("{:?}", b.values),
                    "{sizes:?} {id:?} {}",
                    a.name
                );
            }
        }
        let stored = read_file(&dir.join(&name)).unwrap();
        let results = stored.results.unwrap();
        assert_eq!(stored.recording.samples, recording.samples);
        for g in &expected.features {
            let file = results.group(&g.name).unwrap();
            assert_eq!(file.time_s, g.time_s);
            for (a, b) in file.tables.iter().zip(&g.tables) {
                // Feature tables are stored as f32.
                let same = a
                    .values
                    .iter()
                    .zip(&b.values)
                    .all(|(x, y)| (x.is_nan() && y.is_nan()) || *x == f64::from(*y as f32));
                assert!(same, "{} {}", g.name, a.name);
            }
        }
        // The file lists groups and columns in its own order: compared by name.
        for g in &expected.summary {
            let file = results.summary(&g.name).unwrap();
            assert_eq!(file.names, g.names);
            for (name, values) in &g.columns {
                let stored = &file.columns.iter().find(|(n, _)| n == name).unwrap().1;
                assert_eq!(
                    format!("{stored:?}"),
                    format!("{values:?}"),
                    "{} {name}",
                    g.name
                );
            }
        }
    }
}

/// A sink that takes its time.
struct Slow;
impl Sink for Slow {
    fn update(&mut self, _: &Update) {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A sink that fails at once (its thread ends).
struct Dead;
impl Sink for Dead {
    fn update(&mut self, _: &Update) {
        panic!("this sink is broken on purpose");
    }
}

#[test]
fn slow_and_dead_sinks_lose_their_updates_not_the_recording() {
    let dir = scratch_dir("recorder-sinks");
    let recording = simulate(&SimSettings::new(3.0, 2000.0, 2)).unwrap();
    let mut source = Blocks::new(&recording, &[20]);
    source.pace_hz = Some(2000.0);
    let mut sinks = Sinks::default();
    sinks.queued("slow", Box::new(Slow)).unwrap();
    sinks.queued("dead", Box::new(Dead)).unwrap();
    let report = recorder::record(
        Box::new(source),
        sinks,
        &settings(&dir, "sinks.h5", 3.0),
        Arc::new(Control::default()),
    )
    .unwrap();
    assert_eq!(report.stop, Stop::Duration);
    assert_eq!(report.rows, 6000);
    assert_eq!((report.ring_overruns, report.missing), (0, 0));
    let dead = report.dropped.iter().find(|(n, _)| n == "dead").unwrap().1;
    assert!(dead > 0, "{:?}", report.dropped);
    assert_eq!(
        read_file(&dir.join("sinks.h5")).unwrap().recording.samples,
        recording.samples
    );
}

#[test]
fn a_device_slower_than_its_rate_is_said_once_and_measured() {
    let dir = scratch_dir("recorder-rate");
    // 250 Hz in the montage, 188 frames/s on the host clock (as BrainFlow's Cyton
    // emulator sends), for 11.5 s of host time.
    let mut recording = simulate(&SimSettings::new(10.0, 1000.0, 3)).unwrap();
    let rows = (188.0 * 11.5) as usize;
    recording.samples = recording.samples.slice(ndarray::s![..rows, ..]).to_owned();
    recording.montage.sample_rate_hz = Some(250.0);
    let mut source = Blocks::new(&recording, &[4]);
    source.pace_hz = Some(188.0);
    let collect = Collect::default();
    let mut sinks = Sinks::default();
    sinks.inline(Box::new(collect.clone()));
    let report = recorder::record(
        Box::new(source),
        sinks,
        &settings(&dir, "slow.h5", rows as f64 / 250.0),
        Arc::new(Control::default()),
    )
    .unwrap();
    let notices: Vec<String> = collect
        .0
        .lock()
        .unwrap()
        .iter()
        .filter_map(|u| match u {
            Update::Notice(n) => Some(n.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("250 Hz"), "{}", notices[0]);
    let measured = report.measured_rate_hz.unwrap();
    assert!((measured - 188.0).abs() < 3.0, "{measured}");
    let stored = read_file(&dir.join("slow.h5")).unwrap().recording;
    let stored_rate = stored.acquisition.unwrap().measured_rate_hz.unwrap();
    assert_eq!(stored_rate, measured);
}
