//! Files in other formats through the importer and the command line: rates, units, gaps,
//! annotations and metadata as the files' own writers (pyedflib, edfio, py-c3d, wfdb) and
//! the real recordings in `../shared/data` say; `process`, `inspect`, `montage`, `mvc`
//! and `report` with no montage typed by hand; bad files refused with a named error and
//! no output.

use std::path::{Path, PathBuf};
use std::process::Output;

use myobalance::import::open::{detect, read};
use myobalance::import::Settings;
use myobalance::montage::{Kind, Montage};
use myobalance::recording::Gap;
use myobalance::recording::Recording;
use myobalance::results::EventKind;
use myobalance::store::read_file;
use serde_json::Value;

use crate::store::scratch_dir;

/// EDF stores 16-bit values: the writer's physical values come back within half a digital
/// step (at most 0.05 µV for these fixtures' ±3200 µV ranges) plus f32 rounding.
const EDF_STEP_TOL: f64 = 0.06;

/// A band-limited resampler does not pass exactly through the input samples of white
/// noise (its filter rolls off below the input's Nyquist frequency), but the samples it
/// makes at the input instants must follow them closely: correlation above this.
const RESAMPLED_CORRELATION: f64 = 0.9;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/import")
        .join(path)
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

fn import(path: &Path) -> myobalance::import::Import {
    let detected = detect(path).unwrap();
    read(path, &detected, &Settings::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn column(r: &Recording, name: &str) -> Vec<f64> {
    let c = r
        .montage
        .channel_index(name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", r.montage.channels));
    r.samples.column(c).iter().map(|&v| f64::from(v)).collect()
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len()) as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    sab / (saa * sbb).sqrt()
}

fn myobalance(args: &[&str]) -> Output {
    crate::fixtures::command(env!("CARGO_BIN_EXE_myobalance"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_slow_signal_is_resampled_to_the_emg_rate() {
    let path = fixture("edf/mixed_rates.edf");
    let truth = json(&fixture("edf/mixed_rates.edf.json"));
    let imported = import(&path);
    let r = &imported.recording;
    assert_eq!(r.sample_rate_hz(), 2000.0);
    assert_eq!(r.metadata.source_format.as_deref(), Some("EDF"));
    assert_eq!(
        r.metadata.source_rates_hz,
        Some(vec![2000.0, 2000.0, 100.0])
    );
    assert_eq!(
        r.metadata.recorded_utc.as_deref(),
        truth["recorded_utc"].as_str()
    );
    assert_eq!(r.metadata.subject.as_deref(), truth["subject"].as_str());
    let kinds: Vec<Kind> = r.montage.channels.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [Kind::Emg, Kind::Emg, Kind::Force]);
    let signals = truth["signals"].as_array().unwrap();
    for (c, signal) in r.montage.channels.iter().zip(signals).take(2) {
        let want = numbers(&signal["samples"]);
        let got = column(r, &c.name);
        assert_eq!(got.len(), want.len());
        let worst = got
            .iter()
            .zip(&want)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(worst < EDF_STEP_TOL, "{}: {worst}", c.name);
    }
    let force = numbers(&signals[2]["samples"]);
    let resampled = column(r, &r.montage.channels[2].name);
    assert_eq!(resampled.len(), force.len() * 20);
    let at_inputs: Vec<f64> = resampled.iter().step_by(20).copied().collect();
    let rho = correlation(&at_inputs, &force);
    assert!(rho > RESAMPLED_CORRELATION, "correlation {rho}");
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    assert!((mean(&resampled) - mean(&force)).abs() < 0.02 * mean(&force).abs().max(1.0));
}

#[test]
fn edf_plus_d_gaps_are_filled_listed_and_annotations_kept() {
    let path = fixture("edf/discontinuous.edf");
    let truth = json(&fixture("edf/discontinuous.edf.json"));
    let r = import(&path).recording;
    let fs = r.sample_rate_hz();
    let a = r
        .acquisition
        .as_ref()
        .expect("gaps make an acquisition record");
    let gap = &truth["gaps"][0];
    let (at, missing) = (
        gap["at_s"].as_f64().unwrap(),
        gap["missing_s"].as_f64().unwrap(),
    );
    assert_eq!(
        a.gaps,
        vec![Gap {
            first_row: (at * fs).round() as u64,
            rows: (missing * fs).round() as u64
        }]
    );
    let stored: usize = truth["signals"][0]["samples"].as_array().unwrap().len();
    assert_eq!(r.samples.nrows(), stored + (missing * fs).round() as usize);
    // The filled rows lie on the line between the samples either side of the gap.
    let first = column(&r, &r.montage.channels[0].name);
    let (g0, n) = (a.gaps[0].first_row as usize, a.gaps[0].rows as usize);
    let (before, after) = (first[g0 - 1], first[g0 + n]);
    let mid = first[g0 + n / 2];
    let t = (n / 2 + 1) as f64 / (n + 1) as f64;
    assert!((mid - (before + (after - before) * t)).abs() < 1e-3 * (1.0 + before.abs()));
    let notes: Vec<(f64, String)> = r
        .metadata
        .annotations
        .iter()
        .map(|e| (e.time_s, e.text.clone()))
        .collect();
    let want: Vec<(f64, String)> = truth["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["time_s"].as_f64().unwrap(),
                a["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(notes, want);
    assert!(r
        .metadata
        .annotations
        .iter()
        .all(|e| e.kind == EventKind::Annotation));
    assert_eq!(r.metadata.annotations[1].value, 0.2);
}

#[test]
fn units_are_stored_as_the_design_says() {
    // WFDB: mV and uV EMG become µV, N stays N; the second signal runs at twice the frame
    // rate and sets the recording's rate.
    let path = fixture("wfdb/emg16.hea");
    let truth = json(&fixture("wfdb/emg16.json"));
    let r = import(&path).recording;
    let units: Vec<&str> = r.montage.channels.iter().map(|c| c.unit.as_str()).collect();
    assert_eq!(units, ["uV", "uV", "N"]);
    assert_eq!(r.sample_rate_hz(), 2000.0);
    let signals = truth["signals"].as_array().unwrap();
    let biceps_mv = numbers(&signals[0]["samples"]);
    let triceps_uv = numbers(&signals[1]["samples"]);
    let triceps = column(&r, &r.montage.channels[1].name);
    let worst = triceps
        .iter()
        .zip(&triceps_uv)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(worst < 1e-3, "{worst}");
    let biceps = column(&r, &r.montage.channels[0].name);
    let rho = correlation(
        &biceps.iter().step_by(2).copied().collect::<Vec<_>>(),
        &biceps_mv.iter().map(|v| v * 1000.0).collect::<Vec<_>>(),
    );
    assert!(rho > RESAMPLED_CORRELATION, "{rho}");
}

#[test]
fn a_given_montage_is_matched_by_label_and_names_what_is_missing() {
    let path = fixture("edf/mixed_rates.edf");
    let text = "mains_hz = 60\n[[channels]]\nname = \"biceps_l\"\nlabel = \"EMG L Biceps\"\nkind = \"emg\"\nside = \"left\"\n";
    let m = Montage::from_toml_str(text, "m.toml").unwrap();
    let detected = detect(&path).unwrap();
    let settings = Settings {
        rate_hz: None,
        montage: Some((&m, "m.toml")),
        stream: None,
    };
    let imported = read(&path, &detected, &settings).unwrap();
    let r = &imported.recording;
    assert_eq!(r.samples.ncols(), 1);
    assert_eq!(r.montage.channels[0].unit, "uV");
    assert_eq!(r.montage.mains_hz, 60);
    assert!(imported
        .warnings
        .iter()
        .any(|w| w.contains("R_Triceps") && w.contains("left out")));

    let wrong =
        Montage::from_toml_str(&text.replace("EMG L Biceps", "EMG R Biceps"), "m.toml").unwrap();
    let settings = Settings {
        rate_hz: None,
        montage: Some((&wrong, "m.toml")),
        stream: None,
    };
    let e = read(&path, &detected, &settings).unwrap_err().to_string();
    assert!(
        e.contains("m.toml") && e.contains("EMG R Biceps") && e.contains("\"EMG L Biceps\""),
        "{e}"
    );
}

#[test]
fn process_inspect_montage_and_report_on_imported_files() {
    let dir = scratch_dir("import-cli");
    let mut inputs = vec![
        fixture("edf/annotated.edf"),
        fixture("edf/discontinuous.edf"),
        fixture("c3d/events.c3d"),
        fixture("wfdb/emg16.hea"),
    ];
    if let Some(data) = crate::fixtures::shared_data() {
        inputs.push(data.join("c3d_cometa_emg/original/cometa_emg.c3d"));
        inputs.push(data.join(
            "openbci_cyton_gui_v6_sample/original/OpenBCI_GUI-v6-blinks-jawClench-alpha.txt",
        ));
        inputs.push(data.join("bitalino_opensignals_emg/original/SampleEMG.h5"));
        inputs.push(data.join("physionet_emgdb_healthy/original/emg_healthy.hea"));
    }
    for input in &inputs {
        let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
        let out = dir.join(format!("{stem}.h5"));
        let o = myobalance(&["process", s(input), "--out", s(&out)]);
        assert!(o.status.success(), "{input:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("no --montage: guessed"),
            "{}",
            stderr(&o)
        );
        let stored = read_file(&out).unwrap();
        let direct = import(input).recording;
        assert_eq!(stored.recording.samples, direct.samples, "{input:?}");
        // Compared as text: NaN (an annotation without a duration) equals itself there.
        assert_eq!(
            format!("{:?}", stored.recording.metadata),
            format!("{:?}", direct.metadata),
            "{input:?}"
        );
        assert_eq!(stored.recording.montage, direct.montage, "{input:?}");
        let results = stored.results.unwrap();
        assert!(
            results.group("activation").is_some()
                || !direct.montage.channels.iter().any(|c| c.kind == Kind::Emg)
        );
        let annotations = results
            .events
            .iter()
            .filter(|e| e.kind == EventKind::Annotation)
            .count();
        assert_eq!(annotations, direct.metadata.annotations.len());

        let o = myobalance(&["inspect", s(input)]);
        assert!(o.status.success(), "{}", stderr(&o));
        let shown = String::from_utf8_lossy(&o.stdout);
        assert!(
            shown.contains("montage guessed from the labels and units"),
            "{shown}"
        );
        let toml = dir.join(format!("{stem}.toml"));
        let o = myobalance(&["montage", s(input), "--out", s(&toml)]);
        assert!(o.status.success(), "{}", stderr(&o));
        let m = Montage::load(&toml).unwrap();
        assert_eq!(m, direct.montage, "{input:?}");
        // The written montage, given back, reproduces the guessed run exactly.
        let again = dir.join(format!("{stem}_again.h5"));
        let o = myobalance(&[
            "process",
            s(input),
            "--montage",
            s(&toml),
            "--out",
            s(&again),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let second = read_file(&again).unwrap();
        assert_eq!(second.recording.samples, stored.recording.samples);
        assert_eq!(
            format!("{:?}", second.results.unwrap().summary),
            format!("{:?}", results.summary)
        );
        let o = myobalance(&["montage", s(input), "--out", s(&toml)]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "an existing montage is never replaced"
        );

        let page = dir.join(format!("{stem}.html"));
        let o = myobalance(&["report", s(&out), "--out", s(&page)]);
        assert!(o.status.success(), "{}", stderr(&o));
        let html = std::fs::read_to_string(&page).unwrap();
        for note in &direct.metadata.annotations {
            assert!(
                html.contains(&format!("note from the file: {}", note.text))
                    || note.text.contains(['<', '&', '"'])
            );
        }
    }
}

#[test]
fn mvc_reads_imported_trials_without_a_montage() {
    let trial = fixture("edf/annotated.edf");
    let o = myobalance(&["mvc", s(&trial)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = String::from_utf8_lossy(&o.stdout);
    let emg = import(&trial)
        .recording
        .montage
        .channels
        .into_iter()
        .filter(|c| c.kind == Kind::Emg)
        .count();
    assert!(emg > 0);
    assert_eq!(table.lines().count(), emg + 1, "{table}");
    assert!(
        stderr(&o).contains("--montage M.toml --write"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_files_are_refused_by_name_with_no_output() {
    let dir = scratch_dir("import-bad");
    let good = std::fs::read(fixture("edf/annotated.edf")).unwrap();
    let mut accented = good.clone();
    accented[8 + 5] = 0xE9; // "é" (Latin-1) in the patient field
    let mut flat = good.clone();
    // Signal 1's digital maximum (header of ns signals: 256 + ns·(16+80+8+8+8+8+8) + 8·k).
    let ns: usize = std::str::from_utf8(&good[252..256])
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let dmax = 256 + ns * (16 + 80 + 8 + 8 + 8 + 8);
    let dmin = dmax - ns * 8;
    flat[dmax..dmax + 8].copy_from_slice(&good[dmin..dmin + 8]);
    let mut c3d = std::fs::read(fixture("c3d/integer.c3d")).unwrap();
    let parameter_block = c3d[0] as usize;
    c3d[(parameter_block - 1) * 512 + 3] = 99; // processor type
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("accented.edf", accented, "patient"),
        ("flat.edf", flat, "digital"),
        ("processor.c3d", c3d, "processor"),
        (
            "noise.bin",
            (0..5000u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                .collect(),
            "not a format",
        ),
        ("header_only.edf", good[..256].to_vec(), "ends inside its"),
    ];
    for (name, bytes, needle) in cases {
        let input = dir.join(name);
        std::fs::write(&input, bytes).unwrap();
        let out = dir.join(format!("{name}.h5"));
        let o = myobalance(&["process", s(&input), "--out", s(&out)]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(name) && err.to_lowercase().contains(needle),
            "{name}: {err}"
        );
        assert!(!err.contains("panic"), "{err}");
        assert!(!out.exists(), "{name} left an output");
    }
}

#[test]
fn a_truncated_file_keeps_its_whole_records_and_says_so() {
    let dir = scratch_dir("import-truncated");
    let input = fixture("edf/truncated.edf");
    let out = dir.join("t.h5");
    let o = myobalance(&["process", s(&input), "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning") && stderr(&o).contains("truncated.edf"),
        "{}",
        stderr(&o)
    );
    let truth = json(&fixture("edf/truncated.edf.json"));
    let kept = truth["signals"][0]["samples"].as_array().unwrap().len();
    assert_eq!(read_file(&out).unwrap().recording.samples.nrows(), kept);
}

#[test]
fn a_csv_without_time_needs_a_rate() {
    let dir = scratch_dir("import-csv-rate");
    let input = dir.join("biceps.csv");
    let rows: String = (0..4000)
        .map(|k| {
            format!(
                "{},{}\n",
                (k as f64 * 0.7).sin() * 50.0,
                (k as f64 * 0.3).cos() * 40.0
            )
        })
        .collect();
    std::fs::write(&input, format!("EMG L Biceps,EMG R Biceps\n{rows}")).unwrap();
    let out = dir.join("b.h5");
    let o = myobalance(&["process", s(&input), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--rate"), "{}", stderr(&o));
    let o = myobalance(&["process", s(&input), "--rate", "1000", "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stored = read_file(&out).unwrap().recording;
    assert_eq!(stored.sample_rate_hz(), 1000.0);
    let names: Vec<&str> = stored
        .montage
        .channels
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["EMG_L_Biceps", "EMG_R_Biceps"]);
    assert_eq!(stored.montage.bilateral.len(), 1);
}

#[test]
fn opensignals_text_and_hdf5_twins_agree_and_emg_is_in_microvolts() {
    let Some(data) = crate::fixtures::shared_data() else {
        return;
    };
    let folder = data.join("bitalino_opensignals_emg");
    let meta = json(&folder.join("meta.json"));
    let text = import(&folder.join("original/SampleEMG.txt")).recording;
    let h5 = import(&folder.join("original/SampleEMG.h5")).recording;
    assert_eq!(text.samples, h5.samples);
    assert_eq!(format!("{:?}", text.metadata), format!("{:?}", h5.metadata));
    assert_eq!(
        text.montage.channels[0].kind,
        Kind::Other,
        "a RAW sensor stays counts"
    );
    // Said to be EMG, the counts become µV by the datasheet's transfer function.
    let m = Montage::from_toml_str(
        "mains_hz = 50\n[[channels]]\nname = \"A1\"\nkind = \"emg\"\n",
        "emg.toml",
    )
    .unwrap();
    for file in ["SampleEMG.txt", "SampleEMG.h5"] {
        let path = folder.join("original").join(file);
        let settings = Settings {
            rate_hz: None,
            montage: Some((&m, "emg.toml")),
            stream: None,
        };
        let r = read(&path, &detect(&path).unwrap(), &settings)
            .unwrap()
            .recording;
        assert_eq!(r.montage.channels[0].unit, "uV");
        let uv = column(&r, "A1");
        let n = uv.len() as f64;
        let mean = uv.iter().sum::<f64>() / n;
        let std = (uv.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
        let stats = &meta["emg_mv_stats"];
        assert_eq!(uv.len() as u64, stats["samples"].as_u64().unwrap());
        // f32 storage: 7 significant digits.
        for (got, want) in [
            (mean, stats["mean"].as_f64().unwrap() * 1000.0),
            (std, stats["std"].as_f64().unwrap() * 1000.0),
            (
                uv.iter().copied().fold(f64::MAX, f64::min),
                stats["min"].as_f64().unwrap() * 1000.0,
            ),
            (
                uv.iter().copied().fold(f64::MIN, f64::max),
                stats["max"].as_f64().unwrap() * 1000.0,
            ),
        ] {
            assert!(
                (got - want).abs() < 1e-4 * want.abs().max(1.0),
                "{file}: {got} vs {want}"
            );
        }
    }
}

#[test]
fn real_files_carry_their_values_units_and_guessed_montage() {
    let Some(data) = crate::fixtures::shared_data() else {
        return;
    };
    // Cometa: six EMG (µV) and their accelerometers (g), labels with spaces and dots.
    let r = import(&data.join("c3d_cometa_emg/original/cometa_emg.c3d")).recording;
    let kinds = |k: Kind| r.montage.channels.iter().filter(|c| c.kind == k).count();
    assert_eq!((kinds(Kind::Emg), kinds(Kind::Accel)), (6, 18));
    assert_eq!(r.samples.nrows(), 39_800);
    assert_eq!(r.montage.channels[2].label.as_deref(), Some("Acc_1 :Y"));
    // c3d.org force plate: moments in N·mm become N·m.
    let eb = import(&data.join("c3d_org_eb015/original/Eb015pi.c3d")).recording;
    let reference =
        std::fs::read_to_string(data.join("c3d_org_eb015/reference/analog_first_2000.csv"))
            .unwrap();
    let mut lines = reference.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let first: Vec<f64> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|v| v.parse().unwrap())
        .collect();
    let mx = header.iter().position(|h| *h == "MX1").unwrap();
    assert_eq!(eb.montage.channels[mx].unit, "N.m");
    let got = f64::from(eb.samples[[0, mx]]);
    assert!(
        (got - first[mx] / 1000.0).abs() < 1e-6 * first[mx].abs(),
        "{got} vs {}",
        first[mx]
    );
    // WFDB: mV become µV.
    let wf = import(&data.join("physionet_emgdb_healthy/original/emg_healthy.hea")).recording;
    let csv = std::fs::read_to_string(data.join("physionet_emgdb_healthy/signals.csv")).unwrap();
    let values: Vec<f64> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(wf.samples.nrows(), values.len());
    for (k, v) in values.iter().enumerate().step_by(997) {
        assert!(
            (f64::from(wf.samples[[k, 0]]) - v * 1000.0).abs() < 1e-3,
            "row {k}"
        );
    }
    // OpenBCI: 60 Hz mains heard in the EXG channels.
    let bci = import(
        &data
            .join("openbci_cyton_gui_v6_sample/original/OpenBCI_GUI-v6-blinks-jawClench-alpha.txt"),
    )
    .recording;
    assert_eq!(bci.montage.mains_hz, 60);
    assert_eq!(
        bci.metadata.recorded_utc.as_deref(),
        Some("2019-05-15T16:00:53.329Z")
    );
}

/// A CSV with a `time_s` column and no montage: the rate comes from the times (1 kHz
/// here), the montage is guessed for that rate, and the file processes; the guess's
/// analysis settings are those of 1 kHz, not of a placeholder rate.
#[test]
fn a_csv_with_times_and_no_montage_is_analysed_at_its_rate() {
    let dir = crate::store::scratch_dir("csv-times");
    let csv = dir.join("emg.csv");
    let mut text = String::from("time_s,EMG\n");
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for i in 0..6000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let burst = if (2000..4000).contains(&i) {
            400.0
        } else {
            20.0
        };
        let v = 2048.0 + burst * ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5);
        text.push_str(&format!("{},{v:.0}\n", i as f64 / 1000.0));
    }
    std::fs::write(&csv, text).unwrap();
    let imported = import(&csv);
    assert_eq!(imported.recording.sample_rate_hz(), 1000.0);
    let a = &imported.recording.montage.analysis;
    assert_eq!(a.bandpass_hz, [20.0, 450.0]);
    assert_eq!(a.tremor_band_hz, [4.0, 12.0]);
    let out = dir.join("emg.h5");
    let o = myobalance(&["process", s(&csv), "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
}
