//! Coverage-guided fuzzing of the reader of EDF, EDF+, BDF and BDF+ files (16- and 24-bit samples, TAL
//! annotations, EDF+D record onsets): any bytes give signals or a named
//! error, never a panic (checks in `common`). Seed the corpus with the fixtures:
//!
//! ```text
//! cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run edf corpus/edf -- -runs=1000000
//! ```
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = common::check(myobalance::formats::edf::parse(data, common::FILE), data.len(), 1);
});
