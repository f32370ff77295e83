//! Coverage-guided fuzzing of the protocol decoders: any bytes, split anywhere, must
//! decode without a panic, give the same output however they are split, and keep the
//! counters consistent with the output.
//!
//! The first input byte picks a mode:
//! - even: **raw** — the next (up to) 16 bytes choose the split points, the rest is the
//!   stream, fed to every decoder (the BITalino decoder with 1–6 channels, from the mode
//!   byte's upper bits);
//! - odd: **structured** — the rest is read as a list of operations that build a stream
//!   from well-formed units (native frames with valid CRCs, Cyton packets, text lines)
//!   mixed with garbage, bit flips and long byte runs. Random bytes almost never carry two
//!   valid CRCs, so only this mode reaches the frame decoder's sequence logic (gaps,
//!   duplicates, restarts, channel changes) and the text decoder's overlong lines (longer
//!   than libFuzzer's default 4096-byte input limit). When the stream holds units of one
//!   protocol only and nothing else, that protocol's decoder must also return exactly the
//!   expected samples, gaps and counters.
//!
//! Run on the stable toolchain (see README.md):
//!
//! ```text
//! cargo install cargo-fuzz
//! cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run decoders -- -max_total_time=300
//! ```
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use myobalance::ingest::bitalino::BitalinoDecoder;
use myobalance::ingest::cyton::{encode_cyton_packet, CytonDecoder, PACKET_LEN};
use myobalance::ingest::frame::{encode_frame_into, frame_len, FrameDecoder};
use myobalance::ingest::text::{TextDecoder, MAX_LINE_BYTES};
use myobalance::ingest::{Decoded, Decoder, DecoderStats, Missing};

/// Decodes `bytes` whole and in pieces whose lengths come from `cuts`; both must agree.
/// Returns the whole-stream output and counters.
fn check(
    make: impl Fn() -> Box<dyn Decoder>,
    bytes: &[u8],
    cuts: &[u8],
) -> (Decoded, DecoderStats) {
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
    assert_eq!(stats.frames_missing, a.gaps.iter().map(|g| g.count).sum::<u64>());
    assert!(a.gaps.windows(2).all(|w| w[0].row < w[1].row), "gaps out of order");
    assert!(a.gaps.iter().all(|g| g.count > 0 && g.row <= a.frames as u64));
    if let Some(c) = whole.channels() {
        assert_eq!(a.samples.len(), a.frames * c);
    }
    assert!(a.samples.iter().all(|v| v.is_finite()));
    // Every counted byte is a byte of the input, counted once (mod.rs: "Bytes that did not
    // end up in a good frame").
    assert!(stats.bytes_skipped <= bytes.len() as u64);
    (a, stats)
}

/// All decoders on one stream; returns the frame, Cyton and text results.
fn check_all(bytes: &[u8], cuts: &[u8]) -> [(Decoded, DecoderStats); 3] {
    [
        check(|| Box::new(FrameDecoder::new()), bytes, cuts),
        check(|| Box::new(CytonDecoder::new()), bytes, cuts),
        check(|| Box::new(TextDecoder::new()), bytes, cuts),
    ]
}

const FRAMES: u8 = 1;
const CYTON: u8 = 2;
const TEXT: u8 = 4;
/// Garbage, flips, runs, or a channel change after units were written.
const OTHER: u8 = 8;

/// What a structured stream holds, for the exact checks on single-protocol streams.
#[derive(Default)]
struct Plan {
    stream: Vec<u8>,
    kinds: u8,
    /// Native frames in stream order: (sequence, counts).
    frames: Vec<(u32, Vec<i32>)>,
    /// Cyton packets in stream order: (counter, counts).
    packets: Vec<(u8, [i32; 8])>,
    /// Text lines in stream order: the values of each.
    lines: Vec<Vec<f64>>,
}

fn build(u: &mut Unstructured) -> Result<Plan> {
    const MAX_STREAM: usize = 1 << 16;
    let mut p = Plan::default();
    let mut channels: usize = u.int_in_range(1..=64)?;
    let mut sequence: u32 = u.arbitrary()?;
    let mut counter: u8 = u.arbitrary()?;
    while !u.is_empty() && p.stream.len() < MAX_STREAM {
        match u.int_in_range(0..=9u8)? {
            0..=2 => {
                // A native frame; the step decides duplicate / next / gap / restart.
                let step = match u.int_in_range(0..=4u8)? {
                    0 => 0,
                    1 | 2 => 1,
                    3 => u32::from(u.arbitrary::<u8>()?),
                    _ => u.arbitrary()?,
                };
                sequence = sequence.wrapping_add(step);
                let mut counts = Vec::with_capacity(channels);
                for _ in 0..channels {
                    counts.push(u.arbitrary()?);
                }
                encode_frame_into(sequence, &counts, &mut p.stream);
                p.frames.push((sequence, counts));
                p.kinds |= FRAMES;
            }
            3 | 4 => {
                let step = if u.ratio(3, 4)? { 1 } else { u.arbitrary()? };
                counter = counter.wrapping_add(step);
                let mut counts = [0i32; 8];
                for c in &mut counts {
                    // 24-bit counts, as the ADS1299 sends them.
                    *c = u.int_in_range(-(1 << 23)..=(1 << 23) - 1)?;
                }
                let mut packet = encode_cyton_packet(counter, counts);
                packet[PACKET_LEN - 1] = u.int_in_range(0xC0..=0xC6)?;
                // Aux bytes (between the counts and the footer) are free.
                for b in &mut packet[26..PACKET_LEN - 1] {
                    *b = u.arbitrary()?;
                }
                p.stream.extend_from_slice(&packet);
                p.packets.push((counter, counts));
                p.kinds |= CYTON;
            }
            5 => {
                // A text line of `channels` numbers.
                const SEPS: [&str; 6] = [",", ", ", ";", " ", "\t", " ; "];
                let sep = SEPS[u.choose_index(SEPS.len())?];
                let mut line = String::new();
                if u.ratio(1, 8)? {
                    line.push_str(" \t");
                }
                let mut values = Vec::with_capacity(channels);
                for i in 0..channels {
                    if i > 0 {
                        line.push_str(sep);
                    }
                    let v = if u.ratio(1, 4)? {
                        let v: f64 = u.arbitrary()?;
                        if v.is_finite() {
                            v
                        } else {
                            0.5
                        }
                    } else {
                        f64::from(u.arbitrary::<i32>()?)
                    };
                    // `Display` and `LowerExp` of an f64 both give the shortest text that
                    // parses back exactly.
                    if u.arbitrary()? {
                        line.push_str(&format!("{v:e}"));
                    } else {
                        line.push_str(&v.to_string());
                    }
                    values.push(v);
                }
                if u.ratio(1, 8)? {
                    line.push(',');
                }
                line.push_str(if u.arbitrary()? { "\r\n" } else { "\n" });
                p.stream.extend_from_slice(line.as_bytes());
                p.lines.push(values);
                // 64 long numbers can exceed the line limit: then the line is garbage.
                p.kinds |= if line.len() > MAX_LINE_BYTES { OTHER } else { TEXT };
            }
            6 => {
                let n = u.int_in_range(0..=64usize)?;
                let bytes = u.bytes(n.min(u.len()))?;
                p.stream.extend_from_slice(bytes);
                p.kinds |= OTHER;
            }
            7 => {
                // A run of one byte, up to past the longest text line.
                let b: u8 = u.arbitrary()?;
                let n = u.int_in_range(0..=MAX_LINE_BYTES + 200)?;
                p.stream.extend(std::iter::repeat_n(b, n));
                p.kinds |= OTHER;
            }
            8 => {
                if !p.stream.is_empty() {
                    let i = u.choose_index(p.stream.len())?;
                    p.stream[i] ^= u.int_in_range(1..=255u8)?;
                    p.kinds |= OTHER;
                }
            }
            _ => {
                channels = u.int_in_range(1..=64)?;
                if p.kinds != 0 {
                    p.kinds |= OTHER;
                }
            }
        }
    }
    Ok(p)
}

/// A stream of native frames only, all with the same channel count.
fn expect_frames(p: &Plan, out: &Decoded, s: &DecoderStats) {
    let mut samples = Vec::new();
    let mut gaps: Vec<Missing> = Vec::new();
    let (mut corrupt, mut restarts, mut missing, mut rows) = (0u64, 0u64, 0u64, 0u64);
    let mut last: Option<u32> = None;
    for (seq, counts) in &p.frames {
        if let Some(l) = last {
            let delta = seq.wrapping_sub(l);
            if delta == 0 {
                corrupt += 1;
                continue;
            }
            if delta > i32::MAX as u32 {
                restarts += 1;
            } else if delta > 1 {
                let m = u64::from(delta - 1);
                missing += m;
                match gaps.last_mut() {
                    Some(g) if g.row == rows => g.count += m,
                    _ => gaps.push(Missing { row: rows, count: m }),
                }
            }
        }
        last = Some(*seq);
        samples.extend(counts.iter().map(|&c| f64::from(c)));
        rows += 1;
    }
    assert_eq!(out.samples, samples, "frame samples");
    assert_eq!(out.gaps, gaps, "frame gaps");
    assert_eq!(s.frames_received, rows);
    assert_eq!(s.frames_corrupt, corrupt);
    assert_eq!(s.sequence_restarts, restarts);
    assert_eq!(s.frames_missing, missing);
    assert_eq!(s.bytes_skipped, corrupt * frame_len(p.frames[0].1.len()) as u64);
}

/// A stream of Cyton packets only.
fn expect_cyton(p: &Plan, out: &Decoded, s: &DecoderStats) {
    let samples: Vec<f64> = p
        .packets
        .iter()
        .flat_map(|(_, c)| c.iter().map(|&v| f64::from(v)))
        .collect();
    let mut gaps = Vec::new();
    for (row, w) in p.packets.windows(2).enumerate() {
        let m = u64::from(w[1].0.wrapping_sub(w[0].0).wrapping_sub(1));
        if m > 0 {
            gaps.push(Missing { row: row as u64 + 1, count: m });
        }
    }
    assert_eq!(out.samples, samples, "cyton samples");
    assert_eq!(out.gaps, gaps, "cyton gaps");
    assert_eq!(s.frames_received, p.packets.len() as u64);
    assert_eq!((s.frames_corrupt, s.bytes_skipped), (0, 0));
}

/// A stream of text lines only, all with the same number of fields.
fn expect_text(p: &Plan, out: &Decoded, s: &DecoderStats) {
    let samples: Vec<f64> = p.lines.iter().flatten().copied().collect();
    assert_eq!(out.samples, samples, "text samples");
    assert!(out.gaps.is_empty(), "text gaps {:?}", out.gaps);
    assert_eq!(s.frames_received, p.lines.len() as u64);
    assert_eq!((s.frames_corrupt, s.bytes_skipped), (0, 0));
}

fn structured(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(cuts) = u.bytes(u.len().min(16)) else {
        return;
    };
    let Ok(plan) = build(&mut u) else {
        return;
    };
    let [frame, cyton, text] = check_all(&plan.stream, cuts);
    match plan.kinds {
        FRAMES => expect_frames(&plan, &frame.0, &frame.1),
        CYTON => expect_cyton(&plan, &cyton.0, &cyton.1),
        TEXT => expect_text(&plan, &text.0, &text.1),
        _ => {}
    }
    // A preset channel count must hold the same invariants.
    if let Some(c) = text.0.samples.len().checked_div(text.0.frames) {
        let c = c + plan.stream.len() % 2; // the right count or a wrong one
        check(|| Box::new(TextDecoder::with_channels(c)), &plan.stream, cuts);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, data)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        // The first bytes choose the splitting; the rest is the stream.
        let split = data.len().min(16);
        let (cuts, bytes) = data.split_at(split);
        check_all(bytes, cuts);
        let channels = usize::from(mode >> 1) % 6 + 1;
        check(
            || Box::new(BitalinoDecoder::new(channels).expect("1 to 6 channels")),
            bytes,
            cuts,
        );
    } else {
        structured(data);
    }
});
