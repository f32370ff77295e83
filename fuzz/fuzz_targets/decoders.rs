//! Coverage-guided fuzzing of the three protocol decoders: any bytes, split anywhere, must
//! decode without a panic, give the same output however they are split, and keep the
//! counters consistent with the output.
//!
//! ```text
//! cargo install cargo-fuzz        # once; needs a nightly toolchain
//! cd fuzz && cargo +nightly fuzz run decoders -- -max_total_time=300
//! ```
#![no_main]

use libfuzzer_sys::fuzz_target;
use myobalance::ingest::cyton::CytonDecoder;
use myobalance::ingest::frame::FrameDecoder;
use myobalance::ingest::text::TextDecoder;
use myobalance::ingest::{Decoded, Decoder};

/// Decodes `bytes` whole and in pieces whose lengths come from `cuts`; both must agree.
fn check(make: impl Fn() -> Box<dyn Decoder>, bytes: &[u8], cuts: &[u8]) {
    let mut whole = make();
    let mut a = Decoded::default();
    whole.feed(bytes, &mut a);
    whole.finish(&mut a);

    let mut pieces = make();
    let mut b = Decoded::default();
    let mut rest = bytes;
    let mut k = 0;
    while !rest.is_empty() {
        let n = (cuts.get(k).copied().unwrap_or(1) as usize % 64 + 1).min(rest.len());
        pieces.feed(&rest[..n], &mut b);
        rest = &rest[n..];
        k += 1;
    }
    pieces.finish(&mut b);

    assert_eq!(a, b, "output depends on how the bytes are split");
    assert_eq!(whole.stats(), pieces.stats());
    let stats = whole.stats();
    assert_eq!(stats.frames_received, a.frames as u64);
    assert_eq!(stats.frames_missing, a.gaps.iter().map(|g| g.missing).sum::<u64>());
    if let Some(c) = whole.channels() {
        assert_eq!(a.samples.len(), a.frames * c);
    }
    assert!(stats.bytes_skipped <= bytes.len() as u64);
}

fuzz_target!(|data: &[u8]| {
    // The first bytes choose the splitting; the rest is the stream.
    let split = data.len().min(16);
    let (cuts, bytes) = data.split_at(split);
    check(|| Box::new(FrameDecoder::new()), bytes, cuts);
    check(|| Box::new(CytonDecoder::new()), bytes, cuts);
    check(|| Box::new(TextDecoder::new()), bytes, cuts);
});
