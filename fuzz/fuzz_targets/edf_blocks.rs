//! The EDF and BDF reader in blocks (`formats::edf::open_blocks`, what `process` uses for
//! long files) against the reader of whole files, on any bytes: both fail or both read;
//! when they read, the same signals (labels, units, rates), annotations, gaps, start,
//! subject and warnings, the first records' samples equal to the whole file's, and every
//! record read in blocks equal to the whole file's samples, bit for bit. Then the import
//! in blocks (`import::streamed`) against `to_recording`: where the file is read in
//! blocks, the same montage, metadata and warnings, and every row equal to the recording's,
//! bit for bit (or, where a value is out of range, an error either way). The bytes go to a
//! file first, as the reader in blocks reads from one. Seed the corpus with the fixtures:
//!
//! ```text
//! cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run edf_blocks corpus/edf -- -runs=100000
//! ```
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use myobalance::formats::edf;
use myobalance::import::open::Detected;
use myobalance::import::{streamed, to_recording, Settings};
use myobalance::store::RowBlocks;

/// Seconds of records the reader in blocks decodes when opening.
const HEAD_S: f64 = 1.0;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("fuzz-edf-blocks-{}.edf", std::process::id()));
    std::fs::write(&path, data).expect("a scratch file");
    let whole = common::check(edf::parse(data, common::FILE), data.len(), 1);
    let blocks = edf::open_blocks(&path, common::FILE, HEAD_S);
    match (whole, blocks) {
        (None, Err(e)) => assert_eq!(e.file, common::FILE),
        (Some(whole), Ok((head, reader))) => {
            assert_eq!(head.format, whole.format);
            assert_eq!(head.annotations.len(), whole.annotations.len());
            for (a, b) in head.annotations.iter().zip(&whole.annotations) {
                assert_eq!(a.text, b.text);
                assert_eq!(a.time_s.to_bits(), b.time_s.to_bits());
                assert_eq!(a.duration_s.to_bits(), b.duration_s.to_bits());
            }
            assert_eq!(head.gaps, whole.gaps);
            assert_eq!(head.recorded_utc, whole.recorded_utc);
            assert_eq!(head.subject, whole.subject);
            assert_eq!(head.warnings, whole.warnings);
            assert_eq!(head.signals.len(), whole.signals.len());
            let all: Vec<usize> = (0..whole.signals.len()).collect();
            let read = reader.read(0, reader.records(), &all).expect("the file is there");
            for (i, (h, w)) in head.signals.iter().zip(&whole.signals).enumerate() {
                assert_eq!((&h.label, &h.unit, h.rate_hz), (&w.label, &w.unit, w.rate_hz));
                assert_eq!(reader.signal_len(i), w.samples.len());
                assert!(w.samples.starts_with(&h.samples), "signal {i}: first records");
                assert_eq!(read[i].len(), w.samples.len(), "signal {i}: length");
                let same = read[i].iter().zip(&w.samples).all(|(a, b)| a.to_bits() == b.to_bits());
                assert!(same, "signal {i}: samples");
            }
            let detected = if data.first() == Some(&0xFF) { Detected::Bdf } else { Detected::Edf };
            let settings = Settings::default();
            let whole = to_recording(whole, common::FILE, &settings);
            match (streamed::open(&path, &detected, &settings), whole) {
                (Ok(Some((import, rows))), Ok(want)) => {
                    let (got, want_r) = (&import.recording, &want.recording);
                    assert_eq!(got.montage, want_r.montage);
                    assert_eq!(format!("{:?}", got.metadata), format!("{:?}", want_r.metadata));
                    // The import in blocks names the file by its path, the whole one by FILE.
                    let shown = path.display().to_string();
                    let warnings: Vec<String> =
                        import.warnings.iter().map(|w| w.replace(&shown, common::FILE)).collect();
                    assert_eq!(warnings, want.warnings);
                    assert_eq!(format!("{:?}", import.guess), format!("{:?}", want.guess));
                    assert_eq!((rows.rows(), rows.channels()), want_r.samples.dim());
                    let mut all = Vec::new();
                    let n = rows.read_into(0, rows.rows(), &mut all).expect("rows in range");
                    assert_eq!(n, rows.rows());
                    let same = all.iter().zip(want_r.samples.iter()).all(|(a, b)| a.to_bits() == b.to_bits());
                    assert!(same, "rows read in blocks");
                }
                (Ok(Some((_, rows))), Err(_)) => {
                    // Only a value beyond f32 once converted fails late, when its block is read.
                    let mut all = Vec::new();
                    assert!(rows.read_into(0, rows.rows(), &mut all).is_err());
                }
                (Err(e), whole) => assert!(whole.is_err(), "only the import in blocks failed: {e}"),
                (Ok(None), _) => {}
            }
        }
        (whole, blocks) => panic!(
            "the whole reader {} and the reader in blocks {}",
            if whole.is_some() { "read" } else { "failed" },
            match blocks {
                Ok(_) => "read".to_string(),
                Err(e) => format!("failed: {e}"),
            }
        ),
    }
    let _ = std::fs::remove_file(&path);
});
