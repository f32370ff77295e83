//! Coverage-guided fuzzing of the WFDB reader: the input is split at its first NUL byte
//! into a header (read as text) and the bytes every signal file the header names holds;
//! any input gives a recording or a named error, never a panic (checks in `common`).
//!
//! ```text
//! cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run wfdb corpus/wfdb -- -runs=1000000
//! ```
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use myobalance::formats::wfdb::{parse, parse_header};

fuzz_target!(|data: &[u8]| {
    let (header, signal) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let text = String::from_utf8_lossy(header);
    let Ok(parsed) = parse_header(&text, common::FILE) else {
        return;
    };
    let names = parsed.signal_files();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), signal)).collect();
    // Every named file holds the same bytes: the samples are bounded by the bytes times
    // the number of files, and format 212 packs two samples in three bytes.
    let per_byte = 2 * names.len().max(1);
    let _ = common::check(parse(&parsed, &files, common::FILE), signal.len(), per_byte);
});
