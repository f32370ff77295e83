//! OpenBCI GUI text reader against a real GUI v6 recording (OpenBCI's own sample file, in
//! `../shared/data/openbci_cyton_gui_v6_sample`) and the `signals.csv` an independent
//! reader (numpy) made from it. Synthetic layouts (v3/v4, Daisy, Ganglion, markers, bad
//! rows) are unit tests in `src/formats/openbci.rs`.

use std::path::Path;

use myobalance::formats::openbci::{is_openbci, parse};
use myobalance::formats::SequenceCounts;

#[test]
fn gui_v6_sample_equals_its_csv() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/openbci_cyton_gui_v6_sample");
    let txt = dir.join("original/OpenBCI_GUI-v6-blinks-jawClench-alpha.txt");
    if !txt.exists() {
        eprintln!("skipped: {} is absent", txt.display());
        return;
    }
    let bytes = std::fs::read(&txt).unwrap();
    assert!(is_openbci(&bytes[..64]));
    let imported = parse(&bytes, "OpenBCI_GUI-v6-blinks-jawClench-alpha.txt").unwrap();
    assert_eq!(imported.format, "OpenBCI GUI");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    // The first row's Timestamp, 1557936053329 ms, in UTC.
    assert_eq!(
        imported.recorded_utc.as_deref(),
        Some("2019-05-15T16:00:53.329Z")
    );
    assert!(imported.gaps.is_empty());
    assert!(imported.annotations.is_empty());

    let csv = std::fs::read_to_string(dir.join("signals.csv")).unwrap();
    let mut lines = csv.lines();
    let names: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    assert_eq!(
        imported.sequence,
        Some(SequenceCounts {
            frames_received: rows.len() as u64,
            frames_missing: 0
        })
    );
    // time_s, EXG_0..7, accel_x, accel_y, accel_z.
    assert_eq!(names.len(), 12);
    assert_eq!(imported.signals.len(), 11);
    for (k, signal) in imported.signals.iter().enumerate() {
        let (label, unit) = if k < 8 {
            (format!("EXG Channel {k}"), "uV")
        } else {
            (format!("Accel Channel {}", k - 8), "g")
        };
        assert_eq!(
            (signal.label.as_str(), signal.unit.as_str()),
            (label.as_str(), unit)
        );
        assert_eq!(signal.rate_hz, 250.0);
        assert_eq!(signal.samples.len(), rows.len());
        // Both sides parse the same decimal text: equal once rounded to f32.
        for (i, (row, &y)) in rows.iter().zip(&signal.samples).enumerate() {
            assert_eq!(y, row[k + 1] as f32, "{} row {i}", names[k + 1]);
        }
    }
    // The csv's time axis is the sample count at 250 Hz: no row is missing.
    let last = rows.last().unwrap()[0];
    assert!((last - (rows.len() - 1) as f64 / 250.0).abs() < 1e-9);
}
