//! What every format parser must do with any bytes: return, never panic; on success give
//! values a recording can be made of (positive finite rates, finite samples, annotations
//! and gaps at finite times) and no more samples than the bytes can hold; on failure, an
//! error naming the file. `import` (a target of its own, slower) also turns what parsed
//! into a recording.

use myobalance::formats::{FormatError, Imported};
use myobalance::import::{to_recording, Settings};

/// The file name every target passes, so errors can be checked to name it.
pub const FILE: &str = "fuzz.input";

/// Checks one parse of `len` input bytes; `samples_per_byte` bounds the samples the
/// format can decode from one byte. Returns what parsed.
pub fn check(
    result: Result<Imported, FormatError>,
    len: usize,
    samples_per_byte: usize,
) -> Option<Imported> {
    let imported = match result {
        Err(e) => {
            assert_eq!(e.file, FILE);
            assert!(!e.message.is_empty(), "an error says what is wrong: {e:?}");
            return None;
        }
        Ok(imported) => imported,
    };
    let mut samples = 0usize;
    for s in &imported.signals {
        assert!(s.rate_hz.is_finite() && s.rate_hz > 0.0, "rate {}", s.rate_hz);
        assert!(s.samples.iter().all(|v| v.is_finite()), "{}: a sample is not finite", s.label);
        samples += s.samples.len();
    }
    assert!(
        samples <= len.saturating_mul(samples_per_byte),
        "{samples} samples from {len} bytes"
    );
    for a in &imported.annotations {
        assert!(a.time_s.is_finite(), "annotation at {}", a.time_s);
        assert!(a.duration_s.is_nan() || a.duration_s >= 0.0, "duration {}", a.duration_s);
    }
    for g in &imported.gaps {
        assert!(g.at_s.is_finite() && g.at_s >= 0.0, "gap at {}", g.at_s);
        assert!(g.missing_s.is_finite() && g.missing_s > 0.0, "gap of {}", g.missing_s);
    }
    Some(imported)
}

/// The importer turns whatever parsed into a recording or a named error.
#[allow(dead_code)] // used by the `import` target only
pub fn check_import(imported: Imported) {
    match to_recording(imported, FILE, &Settings::default()) {
        Ok(import) => {
            let r = import.recording;
            assert_eq!(r.samples.ncols(), r.montage.channels.len());
            assert!(r.samples.iter().all(|v| v.is_finite()));
            assert!(r.montage.validate("fuzz").is_ok());
        }
        Err(e) => assert!(e.to_string().contains(FILE), "{e}"),
    }
}
