//! Coverage-guided fuzzing of the reader of OpenBCI GUI text files (headers of GUI v3–v6, sample-index
//! counters): any bytes give signals or a named
//! error, never a panic (checks in `common`). Seed the corpus with the fixtures:
//!
//! ```text
//! cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run openbci corpus/openbci -- -runs=1000000
//! ```
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = common::check(myobalance::formats::openbci::parse(data, common::FILE), data.len(), 1);
});
