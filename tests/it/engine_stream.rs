//! Engine invariants: `--causal` over a recording equals feeding it block by block (any
//! block sizes), and one thread gives the same results as many, in both modes.

use myobalance::dsp::filtfilt_stream::ZeroPhaseStream;
use myobalance::engine::{analyze, analyze_with, Filtering, KeptRows, Plan, StreamEngine, Threads};
use myobalance::montage::NotchMode;
use myobalance::recording::Recording;
use myobalance::sim::{simulate, SimSettings};

fn recording(seconds: f64, rate: f64, seed: u64) -> Recording {
    simulate(&SimSettings::new(seconds, rate, seed)).unwrap()
}

/// Results compared exactly, NaN included: `{:?}` prints every f64 in full.
fn text(results: &myobalance::results::Results) -> String {
    format!("{results:?}")
}

fn feed(rec: &Recording, blocks: &[usize]) -> String {
    let plan = Plan::new(&rec.montage, Filtering::Causal).unwrap();
    let mut engine = StreamEngine::new(plan).unwrap();
    let width = rec.samples.ncols();
    let data = rec.samples.as_slice().unwrap();
    let (mut start, mut b) = (0, 0);
    while start < data.len() {
        let end = (start + blocks[b % blocks.len()] * width).min(data.len());
        engine.push(&data[start..end]);
        start = end;
        b += 1;
    }
    text(&engine.finish())
}

#[test]
fn causal_batch_equals_any_blocks() {
    let mut rec = recording(30.0, 2000.0, 5);
    for notch in [NotchMode::Off, NotchMode::Auto, NotchMode::On] {
        rec.montage.analysis.notch = notch;
        let batch = text(&analyze(&rec, Filtering::Causal).unwrap());
        for blocks in [&[1usize, 7, 333][..], &[40], &[5000, 17]] {
            assert!(
                feed(&rec, blocks) == batch,
                "notch {notch:?}, blocks {blocks:?}"
            );
        }
    }
}

#[test]
fn threads_change_nothing() {
    let rec = recording(20.0, 1000.0, 9);
    for filtering in [Filtering::ZeroPhase, Filtering::Causal] {
        let many = text(&analyze_with(&rec, filtering, Threads::Pool).unwrap());
        let one = text(&analyze_with(&rec, filtering, Threads::One).unwrap());
        assert!(many == one, "{filtering:?}");
    }
}

#[test]
fn every_group_has_rows_and_the_rule_spacing() {
    let rec = recording(25.0, 2048.0, 2);
    for filtering in [Filtering::ZeroPhase, Filtering::Causal] {
        let r = analyze(&rec, filtering).unwrap();
        let plan = Plan::new(&rec.montage, filtering).unwrap();
        let n = rec.samples.nrows();
        for (group, spec) in [
            ("activation", plan.rms),
            ("cocontraction", plan.cci),
            ("tremor", plan.tremor.windows),
            ("fatigue", plan.fatigue),
        ] {
            let g = r.group(group).unwrap_or_else(|| panic!("{group} missing"));
            assert_eq!(g.time_s.len(), spec.count(n), "{group} rows");
            assert_eq!(g.time_s[0], spec.centre_s(0), "{group} first time");
            for t in &g.tables {
                assert_eq!(t.values.nrows(), g.time_s.len(), "{group}/{}", t.name);
            }
            assert!(g.params.iter().any(|(k, v)| k == "causal"
                && *v == myobalance::results::AttrValue::Bool(filtering == Filtering::Causal)));
        }
        for s in [
            "activation",
            "cocontraction",
            "symmetry",
            "tremor",
            "fatigue",
            "force",
        ] {
            assert!(r.summary(s).is_some(), "summary/{s} missing");
        }
    }
}

#[test]
fn short_and_empty_recordings_do_not_fail() {
    for seconds in [0.0, 0.1, 1.0, 3.9] {
        let rec = recording(seconds, 1000.0, 1);
        for filtering in [Filtering::ZeroPhase, Filtering::Causal] {
            let r = analyze(&rec, filtering).unwrap();
            let tremor = r.group("tremor").unwrap();
            assert!(
                tremor.time_s.is_empty(),
                "{seconds} s has no 4 s tremor window"
            );
        }
    }
}

/// The values of two results side by side: each feature table's columns, the summary's
/// numeric columns and the events, with a label.
fn all_values(r: &myobalance::results::Results) -> Vec<(String, Vec<f64>)> {
    use myobalance::results::SummaryValues;
    let mut out = Vec::new();
    for g in &r.features {
        out.push((format!("{}/time_s", g.name), g.time_s.clone()));
        for t in &g.tables {
            for (c, column) in t.values.columns().into_iter().enumerate() {
                out.push((
                    format!("{}/{}/{}", g.name, t.name, t.columns[c]),
                    column.to_vec(),
                ));
            }
        }
    }
    for s in &r.summary {
        for (name, values) in &s.columns {
            if let SummaryValues::Numbers(v) = values {
                out.push((format!("summary/{}/{name}", s.name), v.clone()));
            }
        }
    }
    let events = |f: fn(&myobalance::results::Event) -> f64| r.events.iter().map(f).collect();
    out.push(("events/time_s".into(), events(|e| e.time_s)));
    out.push(("events/value".into(), events(|e| e.value)));
    out
}

/// Zero-phase filtering in stretches (bounded memory) gives the result of filtering each
/// channel whole to within 1e-9 of each column's scale, over a recording several
/// stretches long for every filter (the notch's included).
#[test]
fn zero_phase_in_stretches_equals_whole_channels() {
    let mut rec = recording(200.0, 1000.0, 4);
    rec.montage.analysis.notch = NotchMode::On;
    let run = |stretch: usize| {
        let mut plan = Plan::new(&rec.montage, Filtering::ZeroPhase).unwrap();
        plan.stretch_frames = stretch;
        let mut engine = StreamEngine::new(plan).unwrap();
        for block in rec
            .samples
            .as_slice()
            .unwrap()
            .chunks(4096 * rec.samples.ncols())
        {
            engine.push(block);
        }
        engine.finish()
    };
    let n = rec.samples.nrows();
    let whole = run(n);
    // Stretches of 16 overlaps: 11 000 frames for the band-pass, 92 000 for the notch.
    let parts = run(1);
    // Every filter hands out its output in two stretches or more.
    let plan = Plan::new(&rec.montage, Filtering::ZeroPhase).unwrap();
    let notch = [plan.notch.unwrap()];
    for sections in [&plan.bandpass, &plan.envelope, &notch[..]] {
        let stream = ZeroPhaseStream::economical(sections, 1, 1).unwrap();
        assert!(
            2 * stream.held_frames() < n,
            "{} frames",
            stream.held_frames()
        );
    }
    let (a, b) = (all_values(&whole), all_values(&parts));
    assert_eq!(a.len(), b.len());
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert_eq!(x.len(), y.len(), "{name}");
        let scale = x
            .iter()
            .filter(|v| v.is_finite())
            .fold(0.0_f64, |m, v| m.max(v.abs()));
        for (i, (u, v)) in x.iter().zip(y).enumerate() {
            let same = (u.is_nan() && v.is_nan()) || (u - v).abs() <= 1e-9 * scale.max(1e-300);
            assert!(same, "{name}[{i}]: whole {u}, in stretches {v}");
        }
    }
    let texts = |r: &myobalance::results::Results| -> Vec<String> {
        r.events
            .iter()
            .map(|e| format!("{} {} {}", e.kind.as_str(), e.channel, e.text))
            .collect()
    };
    assert_eq!(texts(&whole), texts(&parts));
    assert!(whole.events.iter().any(|e| e.kind.as_str() == "onset"));
}

/// Zero-phase with one channel of a pair notched and its partner not: the notched channel's
/// output comes a notch stretch later, so the engine hands out only the rows every channel
/// has and feeds the pair what both have reached. Rows handed out as they complete, with
/// the rest at the end, equal a run that keeps every row, bit for bit.
/// A recording with `notch = "auto"` in which every EMG channel but biceps_l (the first)
/// is notched: the simulator's EMG carries mains hum, taken out of biceps_l here, so in
/// zero-phase runs biceps_l runs a stretch ahead of the others.
fn notched_but_biceps_l(seconds: f64, seed: u64) -> Recording {
    let mut rec = recording(seconds, 1000.0, seed);
    rec.montage.analysis.notch = NotchMode::Auto;
    let fs = rec.montage.sample_rate_hz.unwrap();
    let c = rec
        .montage
        .channels
        .iter()
        .position(|c| c.name == "biceps_l")
        .unwrap();
    let x: Vec<f64> = rec
        .samples
        .column(c)
        .iter()
        .map(|v| f64::from(*v))
        .collect();
    let mut y = vec![0.0; x.len()];
    let section = myobalance::dsp::notch::notch(50.0, 5.0, fs).unwrap();
    myobalance::dsp::filtfilt::ZeroPhase::new(&[section], 1)
        .unwrap()
        .apply(&x, &mut y);
    for (v, f) in rec.samples.column_mut(c).iter_mut().zip(&y) {
        *v = *f as f32;
    }
    rec
}

#[test]
fn zero_phase_rows_handed_out_with_channels_out_of_step_equal_all_rows() {
    let rec = notched_but_biceps_l(200.0, 8);
    let engine = |kept| {
        let mut plan = Plan::new(&rec.montage, Filtering::ZeroPhase).unwrap();
        plan.stretch_frames = 1;
        StreamEngine::new(plan).unwrap().keeping(kept)
    };
    let blocks = || {
        rec.samples
            .as_slice()
            .unwrap()
            .chunks(3000 * rec.samples.ncols())
    };

    let mut all = engine(KeptRows::All);
    for block in blocks() {
        all.push(block);
    }
    let all = all.finish();
    let notched = all.group("activation").unwrap().param("notch_channels");
    assert_eq!(
        notched,
        Some(&myobalance::results::AttrValue::Text(
            "triceps_l,biceps_r,triceps_r".into()
        ))
    );

    let mut live = engine(KeptRows::NotHandedOut);
    let mut handed: Vec<Vec<myobalance::results::FeatureGroup>> = Vec::new();
    for block in blocks() {
        live.push(block);
        handed.push(live.new_rows());
    }
    let rest = live.finish();
    handed.push(rest.features.clone());
    for group in &all.features {
        let parts: Vec<&myobalance::results::FeatureGroup> = handed
            .iter()
            .flatten()
            .filter(|g| g.name == group.name)
            .collect();
        let time: Vec<f64> = parts.iter().flat_map(|g| g.time_s.clone()).collect();
        assert_eq!(time, group.time_s, "{}", group.name);
        for table in &group.tables {
            let rows: Vec<f64> = parts
                .iter()
                .flat_map(|g| {
                    g.table(&table.name)
                        .unwrap()
                        .values
                        .iter()
                        .copied()
                        .collect::<Vec<_>>()
                })
                .collect();
            let want: Vec<f64> = table.values.iter().copied().collect();
            assert!(
                rows.len() == want.len()
                    && rows
                        .iter()
                        .zip(&want)
                        .all(|(a, b)| a == b || (a.is_nan() && b.is_nan())),
                "{}/{}",
                group.name,
                table.name
            );
        }
    }
    // Compared as printed: NaN values compare unequal.
    assert!(format!("{:?}", rest.events) == format!("{:?}", all.events));
    assert!(format!("{:?}", rest.summary) == format!("{:?}", all.summary));
}

#[test]
fn emg_channels_side_by_side_equal_each_alone_bit_for_bit() {
    // Notched and un-notched channels share groups (zero-phase, out of step), stretches
    // are short so that each filter hands out many, and pushes are of uneven sizes. Force
    // channels go in groups of the same width. A second simulated recording beside the
    // first gives eight EMG channels, enough to fill a group of eight.
    let mut rec = notched_but_biceps_l(60.0, 3);
    let other = recording(60.0, 1000.0, 4);
    let beside: Vec<_> = other
        .montage
        .channels
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c.name = format!("{}_2", c.name);
            c
        })
        .collect();
    rec.montage.channels.extend(beside);
    let both = [rec.samples.view(), other.samples.view()];
    rec.samples = ndarray::concatenate(ndarray::Axis(1), &both)
        .unwrap()
        .as_standard_layout()
        .into_owned();
    let count = |kind| {
        rec.montage
            .channels
            .iter()
            .filter(|c| c.kind == kind)
            .count()
    };
    use myobalance::montage::Kind;
    assert!(count(Kind::Emg) >= 8, "the montage fills a group of eight");
    assert!(count(Kind::Force) >= 2, "force channels share a group");
    let width = rec.samples.ncols();
    let data = rec.samples.as_slice().unwrap();
    for filtering in [Filtering::Causal, Filtering::ZeroPhase] {
        let run = |lanes: usize| {
            let mut plan = Plan::new(&rec.montage, filtering).unwrap();
            plan.stretch_frames = 1;
            plan.lanes = lanes;
            let mut engine = StreamEngine::new(plan).unwrap();
            let mut start = 0;
            for b in (0..).map(|b| [1, 777, 4096, 20_000][b % 4]) {
                let end = (start + b * width).min(data.len());
                engine.push(&data[start..end]);
                start = end;
                if start == data.len() {
                    break;
                }
            }
            text(&engine.finish())
        };
        let alone = run(1);
        for lanes in [2, 3, 4, 8] {
            assert!(
                run(lanes) == alone,
                "{filtering:?}: {lanes} channels side by side differ from each alone"
            );
        }
    }
}

/// What a live reader is told: the frame that completes the next row. Checked against the
/// engine's own rows, pushed a frame at a time around each of the first row ends.
#[test]
fn next_row_at_names_the_frame_that_brings_the_next_row() {
    let rec = recording(12.0, 1000.0, 3);
    let plan = Plan::new(&rec.montage, Filtering::Causal).unwrap();
    let mut engine = StreamEngine::new(plan).unwrap();
    let width = rec.samples.ncols();
    let data = rec.samples.as_slice().unwrap();
    let frames = rec.samples.nrows();
    let mut pushed = 0;
    let mut ends = Vec::new();
    while pushed < frames {
        let next = engine.next_row_at(pushed);
        assert!(next > pushed, "{next} after {pushed} frames");
        if next > frames {
            break;
        }
        // Every frame before the named one brings no row; the named one does.
        let before = engine.row_counts();
        engine.push(&data[pushed * width..(next - 1) * width]);
        assert_eq!(engine.row_counts(), before, "rows before frame {next}");
        engine.push(&data[(next - 1) * width..next * width]);
        assert_ne!(engine.row_counts(), before, "no row at frame {next}");
        ends.push(next);
        pushed = next;
    }
    // 1 kHz defaults: activation rows every 50 ms from 250 ms on.
    assert_eq!(&ends[..3], &[250, 300, 350]);
    assert!(ends.len() > 200, "{} row ends in 12 s", ends.len());
}

/// Zero-phase with the traces on disk, the onset test signals plain or in the smooth code
/// (what a long `process` uses), gives the results of traces in memory, to the bit.
#[test]
fn zero_phase_with_traces_on_disk_coded_or_not_equals_traces_in_memory() {
    use myobalance::store::spill::{disk_traces, Problems, TestCoding};
    let rec = recording(120.0, 2000.0, 6);
    let data = rec.samples.as_slice().unwrap();
    let run = |engine: StreamEngine| {
        let mut engine = engine.on(Threads::One);
        for block in data.chunks(3000 * rec.samples.ncols()) {
            engine.push(block);
        }
        engine.finish()
    };
    let plan = || Plan::new(&rec.montage, Filtering::ZeroPhase).unwrap();
    let in_memory = run(StreamEngine::new(plan()).unwrap());
    assert!(in_memory.events.iter().any(|e| e.kind.as_str() == "onset"));
    let dir = std::env::temp_dir();
    for coding in [TestCoding::Plain, TestCoding::Smooth] {
        let problems = Problems::default();
        let mut traces = disk_traces(&dir, &rec.montage, coding, &problems);
        let on_disk = run(StreamEngine::with_traces(plan(), &mut traces).unwrap());
        assert!(problems.lock().unwrap().is_empty());
        assert_eq!(text(&on_disk), text(&in_memory), "{coding:?}");
    }
}
