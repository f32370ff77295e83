//! Coverage-guided fuzzing of the importer behind the parsers: whatever an EDF, BDF or C3D
//! parse gives (odd rates, mixed rates, gaps, empty signals, annotations) becomes a
//! recording with a valid montage, or a named error, never a panic: units, resampling,
//! gap filling, the montage guess and the mains check all run. Slower than the parser
//! targets (each input that parses runs the whole import).
//!
//! ```text
//! cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run import corpus/import -- -runs=100000
//! ```
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use myobalance::formats::{c3d, edf};

fuzz_target!(|data: &[u8]| {
    let parsed = if c3d::is_c3d(data) {
        c3d::parse(data, common::FILE)
    } else {
        edf::parse(data, common::FILE)
    };
    if let Some(imported) = common::check(parsed, data.len(), 1) {
        common::check_import(imported);
    }
});
