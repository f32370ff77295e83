//! The lossless code of the onset test signals kept on disk (`store::smooth_code`): any
//! bytes, read in any stretches, decode without a panic and to the same samples however
//! they are split; any f32 values, coded in any blocks, come back bit for bit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use myobalance::store::smooth_code::{Decoder, Encoder};

/// Decodes `bytes` in stretches of `step` bytes, each cut frame kept in front of the next;
/// the samples, and whether the code was damaged.
fn decoded(bytes: &[u8], step: usize) -> (Vec<u32>, bool) {
    let mut decoder = Decoder::default();
    let (mut out, mut carry) = (Vec::new(), Vec::new());
    for part in bytes.chunks(step.max(1)) {
        carry.extend_from_slice(part);
        match decoder.decode(&carry, &mut out) {
            Ok(used) => {
                carry.drain(..used);
            }
            Err(_) => return (out.iter().map(|v| (*v as f32).to_bits()).collect(), true),
        }
    }
    (out.iter().map(|v| (*v as f32).to_bits()).collect(), false)
}

fuzz_target!(|data: &[u8]| {
    let Some((&step, rest)) = data.split_first() else {
        return;
    };
    let step = usize::from(step) + 1;
    // Any bytes: split or whole, the same outcome.
    let (whole, damaged) = decoded(rest, rest.len().max(1));
    let (split, split_damaged) = decoded(rest, step);
    assert_eq!(damaged, split_damaged);
    if !damaged {
        assert_eq!(whole, split);
    }
    // The bytes as f32 values: coded in blocks of `step`, decoded bit for bit.
    let values: Vec<f64> = rest
        .chunks_exact(4)
        .map(|b| f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])))
        .collect();
    let mut encoder = Encoder::default();
    let mut code = Vec::new();
    for block in values.chunks(step) {
        encoder.encode(block, &mut code);
    }
    let (back, damaged) = decoded(&code, step);
    assert!(!damaged);
    let want: Vec<u32> = values.iter().map(|v| (*v as f32).to_bits()).collect();
    assert_eq!(back, want);
});
