//! Coverage-guided fuzzing of the reader of C3D files (Intel, DEC and MIPS encodings, integer and float
//! data, parameters, events): any bytes give signals or a named
//! error, never a panic (checks in `common`). Seed the corpus with the fixtures:
//!
//! ```text
//! cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run c3d corpus/c3d -- -runs=1000000
//! ```
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = common::check(myobalance::formats::c3d::parse(data, common::FILE), data.len(), 1);
});
