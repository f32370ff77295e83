//! Decoders of the serial protocols: round trips over every way of splitting the bytes,
//! injected faults (gaps, corrupt frames, garbage holding sync bytes, sequence wrap), and
//! a seeded robustness run of random and mutated streams through each decoder.

use myobalance::ingest::cyton::{encode_cyton_packet, CytonDecoder, PACKET_LEN};
use myobalance::ingest::frame::{encode_frame, encode_frame_into, frame_len, FrameDecoder};
use myobalance::ingest::text::{TextDecoder, MAX_LINE_BYTES};
use myobalance::ingest::{Decoded, Decoder, DecoderStats, Missing};

/// SplitMix64: a small seeded generator, so every run sees the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn byte(&mut self) -> u8 {
        self.next() as u8
    }
}

/// Feeds `bytes` in chunks of the sizes `sizes` yields (the last chunk takes the rest),
/// then finishes the stream.
fn run(
    mut decoder: Box<dyn Decoder>,
    bytes: &[u8],
    mut sizes: impl FnMut() -> usize,
) -> (Decoded, DecoderStats) {
    let mut out = Decoded::default();
    let mut rest = bytes;
    while !rest.is_empty() {
        let n = sizes().clamp(1, rest.len());
        decoder.feed(&rest[..n], &mut out);
        rest = &rest[n..];
    }
    decoder.finish(&mut out);
    (out, decoder.stats())
}

/// Decodes `bytes` whole, one byte at a time and with random splits; all must agree.
fn decode_every_split(make: fn() -> Box<dyn Decoder>, bytes: &[u8]) -> (Decoded, DecoderStats) {
    let whole = run(make(), bytes, || usize::MAX);
    assert_eq!(run(make(), bytes, || 1), whole, "one byte at a time");
    let mut rng = Rng(17);
    for max in [2, 3, 7, 33, 100, 1000] {
        for _ in 0..5 {
            let got = run(make(), bytes, || 1 + rng.below(max));
            assert_eq!(got, whole, "random splits up to {max} bytes");
        }
    }
    whole
}

fn frame_decoder() -> Box<dyn Decoder> {
    Box::new(FrameDecoder::new())
}

fn cyton_decoder() -> Box<dyn Decoder> {
    Box::new(CytonDecoder::new())
}

fn text_decoder() -> Box<dyn Decoder> {
    Box::new(TextDecoder::new())
}

fn gaps(out: &Decoded) -> Vec<(u64, u64)> {
    out.gaps.iter().map(|g| (g.row, g.count)).collect()
}

// ---- frame ----

/// Random counts over the whole i32 range, extremes included.
fn random_counts(rng: &mut Rng, n: usize) -> Vec<i32> {
    (0..n)
        .map(|_| match rng.below(8) {
            0 => i32::MIN,
            1 => i32::MAX,
            _ => rng.next() as i32,
        })
        .collect()
}

#[test]
fn frame_round_trip_every_split() {
    let mut rng = Rng(1);
    for channels in [1, 5, 64] {
        let start = rng.next() as u32;
        let mut bytes = Vec::new();
        let mut expected = Vec::new();
        for k in 0..300u32 {
            let counts = random_counts(&mut rng, channels);
            encode_frame_into(start.wrapping_add(k), &counts, &mut bytes);
            expected.extend(counts.iter().map(|&c| f64::from(c)));
        }
        let (out, stats) = decode_every_split(frame_decoder, &bytes);
        assert_eq!(out.frames, 300);
        assert_eq!(out.samples, expected);
        assert!(out.gaps.is_empty());
        assert_eq!(
            stats,
            DecoderStats {
                frames_received: 300,
                ..DecoderStats::default()
            }
        );
    }
}

#[test]
fn frame_sequence_jump_is_a_gap_at_its_row() {
    let mut bytes = Vec::new();
    for s in (100..110).chain(113..120).chain(121..125) {
        encode_frame_into(s, &[s as i32, -(s as i32)], &mut bytes);
    }
    let (out, stats) = decode_every_split(frame_decoder, &bytes);
    assert_eq!(gaps(&out), vec![(10, 3), (17, 1)]);
    assert_eq!(out.frames, 21);
    assert_eq!(stats.frames_missing, 4);
    assert_eq!(stats.bytes_skipped, 0);
}

#[test]
fn frame_sequence_wraps_at_u32_max() {
    let mut bytes = Vec::new();
    for s in [u32::MAX - 2, u32::MAX - 1, 1, 2] {
        encode_frame_into(s, &[7], &mut bytes);
    }
    let (out, stats) = decode_every_split(frame_decoder, &bytes);
    assert_eq!(out.frames, 4);
    assert_eq!(gaps(&out), vec![(2, 2)]);
    assert_eq!(stats.sequence_restarts, 0);
    let mut d = FrameDecoder::new();
    d.feed(&bytes, &mut Decoded::default());
    assert_eq!(d.last_sequence(), Some(u64::from(u32::MAX) + 3));
}

#[test]
fn frame_any_corrupted_byte_loses_only_that_frame() {
    const CHANNELS: usize = 5;
    const FRAMES: u32 = 30;
    const BAD: u32 = 12;
    let mut rng = Rng(2);
    let frames: Vec<Vec<u8>> = (0..FRAMES)
        .map(|s| encode_frame(s, &random_counts(&mut rng, CHANNELS)))
        .collect();
    let len = frame_len(CHANNELS);
    for pos in 0..len {
        for flip in [0x01u8, 0x80, 0xFF] {
            let mut frames = frames.clone();
            frames[BAD as usize][pos] ^= flip;
            let bytes = frames.concat();
            let (out, stats) = decode_every_split(frame_decoder, &bytes);
            assert_eq!(out.frames, FRAMES as usize - 1, "byte {pos} ^ {flip:#x}");
            assert_eq!(gaps(&out), vec![(u64::from(BAD), 1)]);
            assert_eq!(stats.bytes_skipped, len as u64, "byte {pos} ^ {flip:#x}");
            if pos >= 4 {
                // Past the header, only the CRC can reject the frame.
                assert!(stats.frames_corrupt >= 1, "byte {pos} ^ {flip:#x}");
            }
        }
    }
}

#[test]
fn frame_garbage_with_sync_words_is_skipped_exactly() {
    let mut rng = Rng(3);
    let garbage: Vec<Vec<u8>> = vec![
        vec![0xA5],
        vec![0xA5, 0x5A],
        vec![0xA5, 0xA5, 0x5A],
        vec![0xA5, 0x5A, 0x02, 0x03],
        vec![0xA5, 0x5A, 0x01, 0x00],
        vec![0xA5, 0x5A, 0x01, 0x41, 0, 0, 0, 0],
        vec![0xA5, 0x5A, 0x01, 0x03, 9, 9, 9],
        vec![0xA5, 0x5A, 0x01, 0x40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        (0..300).map(|_| rng.byte()).collect(),
        vec![0x5A, 0xA5, 0x5A, 0x01],
        encode_frame(0, &[1, 2, 3])[..17].to_vec(), // a truncated frame
    ];
    let mut bytes = Vec::new();
    let mut expected = Vec::new();
    let mut skipped = 0;
    for s in 0..40u32 {
        let g = &garbage[s as usize % garbage.len()];
        bytes.extend_from_slice(g);
        skipped += g.len() as u64;
        let counts = [s as i32, 1, -1];
        encode_frame_into(s, &counts, &mut bytes);
        expected.extend(counts.iter().map(|&c| f64::from(c)));
    }
    let (out, stats) = decode_every_split(frame_decoder, &bytes);
    assert_eq!(out.samples, expected);
    assert!(out.gaps.is_empty());
    assert_eq!(stats.bytes_skipped, skipped);
    assert_eq!(stats.frames_received, 40);
}

// ---- cyton ----

/// A 24-bit count none of whose bytes is a header or a footer, so false packets cannot
/// start or end inside good ones.
fn clean_count(rng: &mut Rng) -> i32 {
    loop {
        let c = (rng.next() as i32) >> 8;
        let b = c.to_be_bytes();
        if !b[1..]
            .iter()
            .any(|&x| x == 0xA0 || (0xC0..=0xC6).contains(&x))
        {
            return c;
        }
    }
}

fn cyton_stream(rng: &mut Rng, counters: impl Iterator<Item = u8>) -> (Vec<u8>, Vec<f64>) {
    let mut bytes = Vec::new();
    let mut expected = Vec::new();
    for c in counters {
        let counts: [i32; 8] = std::array::from_fn(|_| clean_count(rng));
        bytes.extend(encode_cyton_packet(c, counts));
        expected.extend(counts.iter().map(|&v| f64::from(v)));
    }
    (bytes, expected)
}

#[test]
fn cyton_round_trip_every_split() {
    let mut rng = Rng(4);
    let mut bytes = Vec::new();
    let mut expected = Vec::new();
    for k in 0..600u32 {
        let counts: [i32; 8] = std::array::from_fn(|_| (rng.next() as i32) >> 8);
        bytes.extend(encode_cyton_packet(k as u8, counts));
        expected.extend(counts.iter().map(|&v| f64::from(v)));
    }
    let (out, stats) = decode_every_split(cyton_decoder, &bytes);
    assert_eq!(out.samples, expected);
    assert!(out.gaps.is_empty());
    assert_eq!(stats.frames_received, 600);
    assert_eq!(stats.bytes_skipped + stats.frames_corrupt, 0);
}

#[test]
fn cyton_counter_jump_is_a_gap_modulo_256() {
    let mut rng = Rng(5);
    let counters = (250..=255u8).chain(3..10);
    let (bytes, expected) = cyton_stream(&mut rng, counters);
    let (out, stats) = decode_every_split(cyton_decoder, &bytes);
    assert_eq!(out.samples, expected);
    assert_eq!(gaps(&out), vec![(6, 3)]);
    assert_eq!(stats.frames_missing, 3);
}

#[test]
fn cyton_bad_footer_loses_only_that_packet() {
    let mut rng = Rng(6);
    let (mut bytes, expected) = cyton_stream(&mut rng, 0..20);
    let bad = 7;
    bytes[bad * PACKET_LEN + PACKET_LEN - 1] = 0xC7;
    let (out, stats) = decode_every_split(cyton_decoder, &bytes);
    let mut kept = expected.clone();
    kept.drain(bad * 8..bad * 8 + 8);
    assert_eq!(out.samples, kept);
    assert_eq!(gaps(&out), vec![(bad as u64, 1)]);
    assert_eq!(stats.frames_corrupt, 1);
    assert_eq!(stats.bytes_skipped, PACKET_LEN as u64);
}

#[test]
fn cyton_garbage_with_headers_is_skipped_exactly() {
    let mut rng = Rng(7);
    let (packets, expected) = cyton_stream(&mut rng, 0..50);
    let mut bytes = Vec::new();
    let mut skipped = 0;
    for (k, p) in packets.chunks(PACKET_LEN).enumerate() {
        let g: Vec<u8> = (0..k % 40)
            .map(|_| match rng.below(3) {
                0 => 0xA0,
                _ => loop {
                    let b = rng.byte();
                    if !(0xC0..=0xC6).contains(&b) {
                        break b;
                    }
                },
            })
            .collect();
        skipped += g.len() as u64;
        bytes.extend(g);
        bytes.extend_from_slice(p);
    }
    let (out, stats) = decode_every_split(cyton_decoder, &bytes);
    assert_eq!(out.samples, expected);
    assert!(out.gaps.is_empty());
    assert_eq!(stats.bytes_skipped, skipped);
    assert!(
        stats.frames_corrupt > 0,
        "garbage headers were judged by footer"
    );
}

// ---- text ----

/// Writes one line with separators and line ends varied the way Arduino sketches vary them.
fn text_line(rng: &mut Rng, values: &[f64], out: &mut Vec<u8>) {
    let sep = [",", ", ", ";", "\t", " ", "   ", " ; "][rng.below(7)];
    let line: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    out.extend(line.join(sep).bytes());
    out.extend(if rng.below(2) == 0 { "\r\n" } else { "\n" }.bytes());
}

fn random_values(rng: &mut Rng, n: usize) -> Vec<f64> {
    (0..n)
        .map(|_| match rng.below(3) {
            0 => (rng.next() as i16) as f64,
            1 => (rng.next() >> 11) as f64 * 2f64.powi(-40) - 2.0,
            _ => f64::from_bits(rng.next() >> 2) * 1e-300,
        })
        .collect()
}

#[test]
fn text_round_trip_every_split() {
    let mut rng = Rng(8);
    let mut bytes = b"biceps_l,triceps_l,force_l\r\n".to_vec();
    let mut expected = Vec::new();
    for _ in 0..300 {
        let v = random_values(&mut rng, 3);
        text_line(&mut rng, &v, &mut bytes);
        expected.extend(v);
    }
    let (out, stats) = decode_every_split(text_decoder, &bytes);
    assert_eq!(out.samples, expected);
    assert!(out.gaps.is_empty());
    assert_eq!(stats.frames_received, 300);
    assert_eq!(stats.bytes_skipped, 0);
    let mut d = TextDecoder::new();
    d.feed(&bytes[..40], &mut Decoded::default());
    assert_eq!(d.names().unwrap(), ["biceps_l", "triceps_l", "force_l"]);
}

#[test]
fn text_without_header_and_without_final_newline() {
    let (out, stats) = decode_every_split(text_decoder, b"1 2\n3 4\n5 6");
    assert_eq!(out.samples, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(stats.frames_received, 3);
}

#[test]
fn text_garbage_lines_are_gaps_and_skipped_exactly() {
    let mut rng = Rng(9);
    let garbage: [&[u8]; 8] = [
        b"12,3\n",
        b"1,2,x\r\n",
        b",,,\n",
        b"4;5;6;7\n",
        b"1,,2\n",
        b"\xff\xfe,1,2\n",
        b"  \r\n",
        b"-,+\n",
    ];
    let mut bytes = b"a;b;c\n".to_vec();
    let mut expected = Vec::new();
    let mut skipped = 0;
    let mut expected_gaps: Vec<Missing> = Vec::new();
    for row in 0..60u64 {
        let g = garbage[row as usize % garbage.len()];
        bytes.extend_from_slice(g);
        skipped += g.len() as u64;
        if g.iter().any(|b| !b" \r\n".contains(b)) {
            expected_gaps.push(Missing { row, count: 1 });
        }
        let v = random_values(&mut rng, 3);
        text_line(&mut rng, &v, &mut bytes);
        expected.extend(v);
    }
    let (out, stats) = decode_every_split(text_decoder, &bytes);
    assert_eq!(out.samples, expected);
    assert_eq!(out.gaps, expected_gaps);
    assert_eq!(stats.bytes_skipped, skipped);
    assert_eq!(stats.frames_corrupt, expected_gaps.len() as u64);
}

#[test]
fn text_overlong_line_is_bounded_and_skipped() {
    let mut bytes = b"1,2\n".to_vec();
    let long = vec![b'7'; 3 * MAX_LINE_BYTES];
    bytes.extend(&long);
    bytes.extend(b",8\r\n3,4\n");
    let (out, stats) = decode_every_split(text_decoder, &bytes);
    assert_eq!(out.samples, vec![1.0, 2.0, 3.0, 4.0]);
    assert_eq!(gaps(&out), vec![(1, 1)]);
    assert_eq!(stats.bytes_skipped, long.len() as u64 + 4);
    assert_eq!(stats.frames_corrupt, 1);
}

// ---- robustness ----

/// Damages `stream` the ways a serial line does: flipped bits, overwritten, dropped and
/// repeated spans, inserted noise.
fn mutate(rng: &mut Rng, stream: &[u8]) -> Vec<u8> {
    let mut s = stream.to_vec();
    for _ in 0..1 + rng.below(8) {
        if s.is_empty() {
            break;
        }
        let at = rng.below(s.len());
        let span = 1 + rng.below(40).min(s.len() - at - 1);
        match rng.below(5) {
            0 => s[at] ^= 1 << rng.below(8),
            1 => s[at] = rng.byte(),
            2 => {
                s.drain(at..at + span);
            }
            3 => {
                let copy = s[at..at + span].to_vec();
                s.splice(at..at, copy);
            }
            _ => {
                let noise: Vec<u8> = (0..span).map(|_| rng.byte()).collect();
                s.splice(at..at, noise);
            }
        }
    }
    s
}

/// Inputs that count towards the robustness budget, per decoder.
const ROBUSTNESS_CHUNKS: usize = 1_000_000;

fn robustness(make: fn() -> Box<dyn Decoder>, valid: &[u8], binary_frame_len: Option<usize>) {
    let mut rng = Rng(10);
    let mut chunks = 0;
    let mut round = 0;
    while chunks < ROBUSTNESS_CHUNKS {
        round += 1;
        let input = match round % 4 {
            0 => (0..rng.below(2000)).map(|_| rng.byte()).collect(),
            _ => {
                let start = rng.below(valid.len());
                let end = (start + 1 + rng.below(4000)).min(valid.len());
                mutate(&mut rng, &valid[start..end])
            }
        };
        let mut decoder = make();
        let mut out = Decoded::default();
        let mut frames = 0u64;
        let mut last_row = 0;
        let mut rest = &input[..];
        while !rest.is_empty() {
            let n = (1 + rng.below(64)).min(rest.len());
            decoder.feed(&rest[..n], &mut out);
            rest = &rest[n..];
            chunks += 1;
            if let Some(c) = decoder.channels() {
                assert_eq!(out.samples.len(), out.frames * c);
            }
            frames += out.frames as u64;
            for g in &out.gaps {
                assert!(g.row >= last_row && g.row <= frames && g.count > 0);
                last_row = g.row;
            }
            out.clear();
        }
        decoder.finish(&mut out);
        frames += out.frames as u64;
        let stats = decoder.stats();
        assert_eq!(stats.frames_received, frames);
        if let Some(len) = binary_frame_len {
            // Every byte is in a good frame or skipped.
            assert_eq!(
                stats.frames_received * len as u64 + stats.bytes_skipped,
                input.len() as u64
            );
        }
        if round % 100 == 0 {
            // Damaged streams still decode the same however they are split.
            let whole = run(make(), &input, || usize::MAX);
            assert_eq!(run(make(), &input, || 1 + rng.below(50)), whole);
        }
    }
}

#[test]
fn frame_decoder_survives_random_and_mutated_input() {
    let mut rng = Rng(11);
    let mut valid = Vec::new();
    for s in 0..2000u32 {
        // Sequence jumps now and then, so gaps and restarts are exercised too.
        let seq = if s % 97 == 0 { rng.next() as u32 } else { s };
        encode_frame_into(seq, &random_counts(&mut rng, 4), &mut valid);
    }
    robustness(frame_decoder, &valid, Some(frame_len(4)));
}

#[test]
fn cyton_decoder_survives_random_and_mutated_input() {
    let mut rng = Rng(12);
    let mut valid = Vec::new();
    for k in 0..2000u32 {
        let counts: [i32; 8] = std::array::from_fn(|_| (rng.next() as i32) >> 8);
        valid.extend(encode_cyton_packet(k as u8, counts));
    }
    robustness(cyton_decoder, &valid, Some(PACKET_LEN));
}

#[test]
fn text_decoder_survives_random_and_mutated_input() {
    let mut rng = Rng(13);
    let mut valid = b"emg_1\temg_2\tforce\n".to_vec();
    for _ in 0..3000 {
        let v = random_values(&mut rng, 3);
        text_line(&mut rng, &v, &mut valid);
    }
    robustness(text_decoder, &valid, None);
}
