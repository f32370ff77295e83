//! Coverage-guided fuzzing of the reader of XDF files (chunk framing, stream headers in
//! XML, samples in every value format, clock offsets, the joining of streams into one
//! recording): any bytes give signals or a named error, never a panic (checks in
//! `common`). A joined stream may have up to 100 times the recording's rate, hence the
//! bound of 100 samples per byte. Seed the corpus with the fixtures:
//!
//! ```text
//! cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run xdf corpus/xdf -- -runs=1000000
//! ```
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = myobalance::formats::xdf::parse(data, common::FILE, None);
    let _ = common::check(parsed, data.len(), 100);
});
