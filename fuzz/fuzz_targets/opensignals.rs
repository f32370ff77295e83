//! Coverage-guided fuzzing of the reader of OpenSignals text files (the JSON header line, nSeq counters,
//! transfer functions): any bytes give signals or a named
//! error, never a panic (checks in `common`). Seed the corpus with the fixtures:
//!
//! ```text
//! cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run opensignals corpus/opensignals -- -runs=1000000
//! ```
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = common::check(myobalance::formats::opensignals::parse(data, common::FILE), data.len(), 1);
});
