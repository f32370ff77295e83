//! Real recordings by others (`../shared/data`, when present; skipped cleanly otherwise):
//! the whole pipeline runs on each, and where the reference outputs use the same
//! definitions as myobalance they must agree.
//!
//! The references (data/reference.py) use an order-4 band-pass and 1 s epochs; the DSP
//! kernels are checked against those directly (our Butterworth design and zero-phase
//! filter at that order), the engine's own features for plausibility.

use std::path::{Path, PathBuf};

use myobalance::dsp::butterworth::{butter, Band};
use myobalance::dsp::filtfilt::ZeroPhase;
use myobalance::dsp::spectral::{band_power, median_frequency};
use myobalance::dsp::welch::{Detrend, Welch};
use myobalance::engine::{analyze, Filtering};
use myobalance::features::cocontraction::falconer_winter;
use myobalance::montage::Montage;
use myobalance::store::csv::read_csv;
use serde_json::Value;

/// The reference's band-pass runs through the same scipy algorithm we match to 1e-9.
const BANDPASS_TOL: f64 = 1e-8;
/// MDF from the same periodogram and interpolation, in Hz.
const MDF_TOL_HZ: f64 = 1e-6;
/// Welch band power and FW from identical definitions: rounding only.
const SAME_DEFINITION_TOL: f64 = 1e-9;

/// The recordings given as `signals.csv` with a sample rate in `meta.json` (the folders of
/// files in other formats are the importers' tests).
fn datasets(dir: &Path) -> Vec<(PathBuf, Value)> {
    let mut out: Vec<(PathBuf, Value)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.ok()?.path();
            let meta = std::fs::read_to_string(path.join("meta.json")).ok()?;
            let meta: Value = serde_json::from_str(&meta).ok()?;
            let usable = path.join("signals.csv").is_file() && meta["fs_hz"].is_f64();
            usable.then_some((path, meta))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// A montage for a dataset, written from its metadata.
fn montage_for(meta: &Value) -> String {
    let fs = meta["fs_hz"].as_f64().unwrap();
    let emg = strings(&meta["emg_channels"]);
    let other = strings(&meta["force_or_accel_channels"]);
    let modality = meta["modality"].as_str().unwrap_or("").to_lowercase();
    let mains = if meta["title"].as_str().unwrap_or("").contains("OpenBCI")
        || modality.contains("openbci")
    {
        60
    } else {
        50
    };
    let mut text = format!("sample_rate_hz = {fs}\nmains_hz = {mains}\n");
    let side = |name: &str| match name.get(..2) {
        Some("L_") => "left",
        Some("R_") => "right",
        _ => "none",
    };
    for name in &emg {
        text += &format!(
            "[[channels]]\nname = \"{name}\"\nkind = \"emg\"\nside = \"{}\"\n",
            side(name)
        );
    }
    for name in &other {
        let kind = if name.starts_with("acc") {
            "accel"
        } else {
            "force"
        };
        text += &format!("[[channels]]\nname = \"{name}\"\nkind = \"{kind}\"\n");
    }
    if let Some(pairs) = meta["agonist_antagonist_pairs"].as_array() {
        for p in pairs {
            let (a, b) = (p[0].as_str().unwrap(), p[1].as_str().unwrap());
            text += &format!(
                "[[pairs]]\nname = \"{a}_{b}\"\nagonist = \"{a}\"\nantagonist = \"{b}\"\n"
            );
            if let Some(stem) = a.strip_prefix("R_") {
                if emg.contains(&format!("L_{stem}")) {
                    text += &format!("[[bilateral]]\nname = \"{stem}\"\nleft = \"L_{stem}\"\nright = \"R_{stem}\"\n");
                }
            }
        }
    }
    text
}

/// A float64, C-order `.npy` array: (shape, values).
fn read_npy(path: &Path) -> (Vec<usize>, Vec<f64>) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..6], b"\x93NUMPY", "{}", path.display());
    let (header_len, start) = if bytes[6] == 1 {
        (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10)
    } else {
        (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        )
    };
    let header = std::str::from_utf8(&bytes[start..start + header_len]).unwrap();
    assert!(
        header.contains("'<f8'") && header.contains("'fortran_order': False"),
        "{header}"
    );
    let shape_text = &header[header.find("'shape': (").unwrap() + 10..];
    let shape: Vec<usize> = shape_text[..shape_text.find(')').unwrap()]
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let values = bytes[start + header_len..]
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    (shape, values)
}

/// Every column of a CSV file in f64 (the store keeps f32; the references filtered the
/// text's full precision, which matters for signals with large offsets).
fn csv_f64(path: &Path) -> (Vec<String>, Vec<Vec<f64>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let mut columns = vec![Vec::new(); header.len()];
    for line in lines.filter(|l| !l.trim().is_empty()) {
        for (c, field) in line.split(',').enumerate() {
            columns[c].push(field.trim().parse::<f64>().unwrap());
        }
    }
    (header, columns)
}

#[test]
fn the_pipeline_runs_on_every_real_recording() {
    let Some(dir) = crate::fixtures::shared_data() else {
        return;
    };
    for (path, meta) in datasets(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let montage =
            Montage::from_toml_str(&montage_for(&meta), &name).unwrap_or_else(|e| panic!("{e}"));
        let read =
            read_csv(&path.join("signals.csv"), &montage).unwrap_or_else(|e| panic!("{name}: {e}"));
        let rec = read.recording;
        for filtering in [Filtering::ZeroPhase, Filtering::Causal] {
            let r = analyze(&rec, filtering).unwrap_or_else(|e| panic!("{name}: {e}"));
            for g in &r.features {
                for t in &g.tables {
                    // Activation, tremor power and fatigue frequencies exist for every row.
                    if matches!(t.name.as_str(), "rms" | "band_power" | "mdf_hz") {
                        assert!(
                            t.values.iter().all(|v| v.is_finite()),
                            "{name}: {}/{} has NaN",
                            g.name,
                            t.name
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn dsp_kernels_match_the_references_where_definitions_coincide() {
    let Some(dir) = crate::fixtures::shared_data() else {
        return;
    };
    for (path, meta) in datasets(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let fs = meta["fs_hz"].as_f64().unwrap();
        let (header, columns) = csv_f64(&path.join("signals.csv"));
        let signal = |channel: &str| {
            if channel == "acc_magnitude" {
                // Derived by the reference: the norm of the three axes.
                let axis = |a: &str| &columns[header.iter().position(|h| h == a).unwrap()];
                let (x, y, z) = (axis("acc_x"), axis("acc_y"), axis("acc_z"));
                return (0..x.len())
                    .map(|i| (x[i] * x[i] + y[i] * y[i] + z[i] * z[i]).sqrt())
                    .collect();
            }
            let at = header.iter().position(|h| h == channel);
            columns[at.unwrap_or_else(|| panic!("{name}: no column {channel:?} in {header:?}"))]
                .clone()
        };
        let emg = strings(&meta["emg_channels"]);
        let reference = path.join("reference");

        if reference.join("bandpass.npy").exists() {
            // Order-4 band-pass, zero-phase, scipy's padding: the same algorithm.
            let hi = 450f64.min(0.45 * fs);
            let sos = butter(
                4,
                Band::BandPass {
                    low_hz: 20.0,
                    high_hz: hi,
                },
                fs,
            )
            .unwrap();
            let (shape, expected) = read_npy(&reference.join("bandpass.npy"));
            assert_eq!(shape, vec![columns[0].len(), emg.len()], "{name}");
            let epoch = fs.round() as usize;
            let mdf_table = std::fs::read_to_string(reference.join("median_freq.csv")).unwrap();
            let header: Vec<&str> = mdf_table.lines().next().unwrap().split(',').collect();
            for (k, channel) in emg.iter().enumerate() {
                let x = signal(channel);
                let mut y = vec![0.0; x.len()];
                ZeroPhase::new(&sos, 1).unwrap().apply(&x, &mut y);
                let want: Vec<f64> = (0..x.len()).map(|i| expected[i * emg.len() + k]).collect();
                let scale = want.iter().fold(0.0f64, |m, v| m.max(v.abs()));
                let err = y
                    .iter()
                    .zip(&want)
                    .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()))
                    / scale;
                assert!(
                    err < BANDPASS_TOL,
                    "{name}/{channel}: band-pass error {err:e}"
                );

                // MDF of each 1 s epoch, interpolated, over all bins.
                let col = header
                    .iter()
                    .position(|h| *h == format!("{channel}_interp"))
                    .unwrap();
                let mut p = Welch::periodogram(epoch, Detrend::Constant, fs).unwrap();
                let mut psd = vec![0.0; p.bins()];
                for (e, line) in mdf_table.lines().skip(1).enumerate() {
                    let want: f64 = line.split(',').nth(col).unwrap().parse().unwrap();
                    p.psd(&y[e * epoch..(e + 1) * epoch], &mut psd);
                    let got = median_frequency(&psd, p.resolution_hz(), 0.0, fs);
                    assert!(
                        (got - want).abs() < MDF_TOL_HZ * want.max(1.0) + 1e-6,
                        "{name}/{channel} epoch {e}: {got} vs {want}"
                    );
                }
            }
        }

        if reference.join("welch_bandpower.csv").exists() {
            let table = std::fs::read_to_string(reference.join("welch_bandpower.csv")).unwrap();
            for line in table.lines().skip(1) {
                let f: Vec<&str> = line.split(',').collect();
                let x = signal(f[0]);
                let seg = fs.round() as usize;
                let mut w = Welch::new(seg, seg / 2, Detrend::Constant, fs).unwrap();
                let mut psd = vec![0.0; w.bins()];
                w.psd(&x, &mut psd);
                let df = w.resolution_hz();
                let bp = band_power(&psd, df, 4.0, 12.0);
                let total: f64 = psd.iter().sum::<f64>() * df;
                let (want_bp, want_rel): (f64, f64) =
                    (f[3].parse().unwrap(), f[6].parse().unwrap());
                assert!(
                    (bp - want_bp).abs() <= SAME_DEFINITION_TOL * want_bp,
                    "{name}/{}: {bp} vs {want_bp}",
                    f[0]
                );
                assert!(
                    (bp / total - want_rel).abs() <= SAME_DEFINITION_TOL * want_rel,
                    "{name}/{}",
                    f[0]
                );
            }
        }

        if reference.join("cocontraction.csv").exists() {
            let (shape, env) = read_npy(&reference.join("rms_envelope.npy"));
            let column =
                |k: usize| -> Vec<f64> { (0..shape[0]).map(|i| env[i * shape[1] + k]).collect() };
            let table = std::fs::read_to_string(reference.join("cocontraction.csv")).unwrap();
            for line in table.lines().skip(1) {
                let f: Vec<&str> = line.split(',').collect();
                let a = emg.iter().position(|e| e == f[0]).unwrap();
                let b = emg.iter().position(|e| e == f[1]).unwrap();
                let fw = falconer_winter(&column(a), &column(b)) / 100.0;
                let want: f64 = f[2].parse().unwrap();
                assert!(
                    (fw - want).abs() <= SAME_DEFINITION_TOL * want,
                    "{name} {}/{}: {fw} vs {want}",
                    f[0],
                    f[1]
                );
            }
        }
    }
}

#[test]
fn rest_tremor_is_found_at_its_frequency() {
    // pdkit's smartphone recording of a rest tremor: peak ≈ 5 Hz (data/README.md).
    let Some(dir) = crate::fixtures::shared_data() else {
        return;
    };
    let path = dir.join("pdkit_cloudupdrs_rest_tremor_left_hand");
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(path.join("meta.json")).unwrap()).unwrap();
    let montage = Montage::from_toml_str(&montage_for(&meta), "pdkit").unwrap();
    let rec = read_csv(&path.join("signals.csv"), &montage)
        .unwrap()
        .recording;
    let r = analyze(&rec, Filtering::ZeroPhase).unwrap();
    let tremor = r.summary("tremor").unwrap();
    let peaks = tremor.numbers("peak_hz").unwrap();
    let powers = tremor.numbers("band_power").unwrap();
    let strongest = (0..peaks.len())
        .max_by(|&a, &b| powers[a].total_cmp(&powers[b]))
        .unwrap();
    assert!((peaks[strongest] - 5.0).abs() < 1.0, "peak {:?}", peaks);
}
