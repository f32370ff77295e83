//! OpenSignals text reader against a real BITalino (r)evolution EMG recording (PLUX's
//! sample `SampleEMG.txt` in `../shared/data/bitalino_opensignals_emg`): its `RAW` channel
//! in ADC counts with the datasheet transfer function attached, which must give the
//! statistics numpy computed in `meta.json`. Synthetic headers (biosignalsplux, several
//! devices, lying resolutions) are unit tests in `src/formats/opensignals/`.

use std::path::Path;

use myobalance::formats::opensignals::transfer::emg_transfer;
use myobalance::formats::opensignals::{is_opensignals, parse};
use myobalance::formats::SequenceCounts;
use serde_json::Value;

/// meta.json's statistics are numpy float64 sums over 24 150 samples of the same formula;
/// ours apply it as `count · scale + offset` and sum in another order: they agree far
/// below this.
const STATS_REL: f64 = 1e-9;

#[test]
fn bitalino_sample_matches_numpy_statistics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/bitalino_opensignals_emg");
    let txt = dir.join("original/SampleEMG.txt");
    if !txt.exists() {
        eprintln!("skipped: {} is absent", txt.display());
        return;
    }
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).unwrap()).unwrap();
    let bytes = std::fs::read(&txt).unwrap();
    assert!(is_opensignals(&bytes));
    let imported = parse(&bytes, "SampleEMG.txt").unwrap();
    assert_eq!(imported.format, "OpenSignals");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert_eq!(
        imported.recorded_utc.as_deref(),
        Some("2016-06-11T07:05:04.409")
    );
    let stats = &meta["emg_mv_stats"];
    let n = stats["samples"].as_u64().unwrap();
    assert_eq!(
        imported.sequence,
        Some(SequenceCounts {
            frames_received: n,
            frames_missing: 0
        })
    );
    assert!(imported.gaps.is_empty());

    assert_eq!(imported.signals.len(), 1);
    let a1 = &imported.signals[0];
    assert_eq!(
        (a1.label.as_str(), a1.unit.as_str(), a1.detail.as_str()),
        ("A1", "", "RAW")
    );
    assert_eq!(a1.rate_hz, meta["sampling_rate_hz"].as_f64().unwrap());
    assert_eq!(a1.samples.len() as u64, n);
    assert!(a1
        .samples
        .iter()
        .all(|&c| c.fract() == 0.0 && (0.0..1024.0).contains(&c)));
    let transfer = a1
        .emg_transfer
        .expect("RAW channels carry the EMG transfer function");
    assert_eq!(Some(transfer), emg_transfer("bitalino", 10));

    let mv: Vec<f64> = a1
        .samples
        .iter()
        .map(|&c| (f64::from(c) * transfer.scale + transfer.offset) / 1000.0)
        .collect();
    let mean = mv.iter().sum::<f64>() / mv.len() as f64;
    let std = (mv.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / mv.len() as f64).sqrt();
    let min = mv.iter().copied().fold(f64::INFINITY, f64::min);
    let max = mv.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    for (name, ours) in [("mean", mean), ("std", std), ("min", min), ("max", max)] {
        let theirs = stats[name].as_f64().unwrap();
        assert!(
            (ours - theirs).abs() <= theirs.abs() * STATS_REL,
            "{name}: {ours} vs {theirs}"
        );
    }
}
