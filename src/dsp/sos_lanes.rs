//! The hot loop of [`SosFilter`](super::sosfilt::SosFilter): interleaved frames through a
//! cascade of biquads, with the channels spread over SIMD lanes.
//!
//! One biquad recursion is bound by its latency (each output needs the previous state), so
//! speed comes from running independent recursions side by side: a group of up to
//! [`GROUP`] neighbouring channels is carried through two sections at once with its whole
//! state in registers, frame after frame. Frames are taken in tiles that fit the L1 cache,
//! so every group of a tile finds its samples there.
//!
//! Every channel sees exactly the same sequence of IEEE operations (no fused multiply–add,
//! no reassociation) whatever the channel count, group width, tile, block size or
//! instruction set, so results are bit-identical across all of them. On x86-64 the same
//! code is compiled a second time with AVX2 enabled, a third with AVX-512, and chosen at run
//! time.

use super::isa::Isa;
use super::sos::Section;

/// Widest channel group, in channels (two AVX2 registers, or one AVX-512 register, per
/// state variable).
pub(crate) const GROUP: usize = 8;
/// Samples (all channels) per tile: 32 KiB of f64, inside any L1 data cache in use.
const TILE_SAMPLES: usize = 4096;

/// Filters the interleaved frames of `data` (`n_ch` channels) through `sections`, first
/// frame first or, with `reverse`, last frame first. With `input`, `data` is first
/// overwritten by it, tile by tile, so the copy costs no extra pass over memory. `state`
/// holds, per section, `n_ch` values of z1 then `n_ch` values of z2, and is carried over.
///
/// # Panics
/// If `data` is not a whole number of frames, `input` differs from it in length, or `state`
/// has the wrong length.
pub(crate) fn filter(
    isa: Isa,
    sections: &[Section],
    state: &mut [f64],
    n_ch: usize,
    input: Option<&[f64]>,
    data: &mut [f64],
    reverse: bool,
) {
    assert!(
        n_ch > 0 && data.len() % n_ch == 0,
        "not a whole number of frames"
    );
    assert!(
        input.is_none_or(|x| x.len() == data.len()),
        "input and output lengths differ"
    );
    assert_eq!(state.len(), sections.len() * 2 * n_ch, "state length");
    if sections.is_empty() {
        // No section to read the input: the output is the input.
        if let Some(x) = input {
            data.copy_from_slice(x);
        }
        return;
    }
    match isa {
        Isa::Portable => filter_tiles(sections, state, n_ch, input, data, reverse),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa::Avx2` exists only where AVX2 was detected (see `Isa`).
        Isa::Avx2 => unsafe { filter_avx2(sections, state, n_ch, input, data, reverse) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa::Avx512` exists only where AVX2, AVX-512F and AVX-512VL were
        // detected (see `Isa`).
        Isa::Avx512 => unsafe { filter_avx512(sections, state, n_ch, input, data, reverse) },
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn filter_avx2(
    sections: &[Section],
    state: &mut [f64],
    n_ch: usize,
    input: Option<&[f64]>,
    data: &mut [f64],
    reverse: bool,
) {
    filter_tiles(sections, state, n_ch, input, data, reverse);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,avx512f,avx512vl")]
unsafe fn filter_avx512(
    sections: &[Section],
    state: &mut [f64],
    n_ch: usize,
    input: Option<&[f64]>,
    data: &mut [f64],
    reverse: bool,
) {
    filter_tiles(sections, state, n_ch, input, data, reverse);
}

#[inline(always)]
fn filter_tiles(
    sections: &[Section],
    state: &mut [f64],
    n_ch: usize,
    input: Option<&[f64]>,
    data: &mut [f64],
    reverse: bool,
) {
    let tile = (TILE_SAMPLES / n_ch).max(1) * n_ch;
    match (input, reverse) {
        (None, false) => {
            for t in data.chunks_mut(tile) {
                filter_tile(sections, state, n_ch, None, t, false);
            }
        }
        (None, true) => {
            for t in data.rchunks_mut(tile) {
                filter_tile(sections, state, n_ch, None, t, true);
            }
        }
        (Some(x), false) => {
            for (t, x) in data.chunks_mut(tile).zip(x.chunks(tile)) {
                filter_tile(sections, state, n_ch, Some(x), t, false);
            }
        }
        (Some(x), true) => {
            for (t, x) in data.rchunks_mut(tile).zip(x.rchunks(tile)) {
                filter_tile(sections, state, n_ch, Some(x), t, true);
            }
        }
    }
}

/// Runs every channel group of one tile through every section: the tile's input from
/// `src` when given (the first sections read it there and write `tile`, so the input is
/// never copied), else from `tile` itself.
#[inline(always)]
fn filter_tile(
    sections: &[Section],
    state: &mut [f64],
    n_ch: usize,
    src: Option<&[f64]>,
    tile: &mut [f64],
    reverse: bool,
) {
    let mut c0 = 0;
    while c0 < n_ch {
        let width = match n_ch - c0 {
            left if left >= GROUP => GROUP,
            left if left >= 4 => 4,
            left if left >= 2 => 2,
            _ => 1,
        };
        match width {
            GROUP => group::<GROUP>(sections, state, n_ch, c0, src, tile, reverse),
            4 => group::<4>(sections, state, n_ch, c0, src, tile, reverse),
            2 => group::<2>(sections, state, n_ch, c0, src, tile, reverse),
            _ => group::<1>(sections, state, n_ch, c0, src, tile, reverse),
        }
        c0 += width;
    }
}

/// Channels `c0..c0 + W` through the sections, two at a time, the first two reading
/// `src` when given.
#[inline(always)]
fn group<const W: usize>(
    sections: &[Section],
    state: &mut [f64],
    n_ch: usize,
    c0: usize,
    src: Option<&[f64]>,
    tile: &mut [f64],
    reverse: bool,
) {
    let mut s = 0;
    while s < sections.len() {
        let pair = s + 1 < sections.len();
        let mut lanes = Lanes::<W>::load(state, n_ch, c0, s, pair);
        let src = if s == 0 { src } else { None };
        let (a, b) = (&sections[s], &sections[(s + 1).min(sections.len() - 1)]);
        if pair {
            lanes.run::<true>(a, b, src, tile, n_ch, c0, reverse);
        } else {
            lanes.run::<false>(a, b, src, tile, n_ch, c0, reverse);
        }
        lanes.store(state, n_ch, c0, s, pair);
        s += 2;
    }
}

/// The state of W channels in two consecutive sections (a and b).
struct Lanes<const W: usize> {
    z1a: [f64; W],
    z2a: [f64; W],
    z1b: [f64; W],
    z2b: [f64; W],
}

impl<const W: usize> Lanes<W> {
    #[inline(always)]
    fn load(state: &[f64], n_ch: usize, c0: usize, s: usize, pair: bool) -> Lanes<W> {
        let get = |section: usize, z: usize| {
            let mut v = [0.0; W];
            let at = (2 * section + z) * n_ch + c0;
            v.copy_from_slice(&state[at..at + W]);
            v
        };
        Lanes {
            z1a: get(s, 0),
            z2a: get(s, 1),
            z1b: if pair { get(s + 1, 0) } else { [0.0; W] },
            z2b: if pair { get(s + 1, 1) } else { [0.0; W] },
        }
    }

    #[inline(always)]
    fn store(&self, state: &mut [f64], n_ch: usize, c0: usize, s: usize, pair: bool) {
        let mut put = |section: usize, z: usize, v: &[f64; W]| {
            let at = (2 * section + z) * n_ch + c0;
            state[at..at + W].copy_from_slice(v);
        };
        put(s, 0, &self.z1a);
        put(s, 1, &self.z2a);
        if pair {
            put(s + 1, 0, &self.z1b);
            put(s + 1, 1, &self.z2b);
        }
    }

    /// Every frame of `tile`, in order or in reverse, through section a and, with `PAIR`,
    /// section b; the input read from `src` (of the tile's length) when given, else from
    /// `tile`.
    #[inline(always)]
    // The tile's geometry and the two sections travel together from `group`.
    #[allow(clippy::too_many_arguments)]
    fn run<const PAIR: bool>(
        &mut self,
        a: &Section,
        b: &Section,
        src: Option<&[f64]>,
        tile: &mut [f64],
        n_ch: usize,
        c0: usize,
        reverse: bool,
    ) {
        let lanes = |frame: &[f64]| frame.get(c0..).and_then(|f| f.first_chunk::<W>()).copied();
        match (src, reverse) {
            (None, false) => {
                for frame in tile.chunks_exact_mut(n_ch) {
                    if let Some(x) = frame[c0..].first_chunk_mut::<W>() {
                        *x = self.step::<PAIR>(a, b, *x);
                    }
                }
            }
            (None, true) => {
                for frame in tile.chunks_exact_mut(n_ch).rev() {
                    if let Some(x) = frame[c0..].first_chunk_mut::<W>() {
                        *x = self.step::<PAIR>(a, b, *x);
                    }
                }
            }
            (Some(src), false) => {
                for (frame, from) in tile.chunks_exact_mut(n_ch).zip(src.chunks_exact(n_ch)) {
                    if let (Some(y), Some(x)) = (frame[c0..].first_chunk_mut::<W>(), lanes(from)) {
                        *y = self.step::<PAIR>(a, b, x);
                    }
                }
            }
            (Some(src), true) => {
                let frames = tile.chunks_exact_mut(n_ch).zip(src.chunks_exact(n_ch));
                for (frame, from) in frames.rev() {
                    if let (Some(y), Some(x)) = (frame[c0..].first_chunk_mut::<W>(), lanes(from)) {
                        *y = self.step::<PAIR>(a, b, x);
                    }
                }
            }
        }
    }

    /// One frame of the group: its input `x`, its output returned. The operation order is
    /// the reference transposed direct form II:
    /// `y = b0·x + z1; z1 = b1·x − a1·y + z2; z2 = b2·x − a2·y`.
    #[inline(always)]
    // One index runs over the frame and six state arrays in step; zips would hide that.
    #[allow(clippy::needless_range_loop)]
    fn step<const PAIR: bool>(&mut self, a: &Section, b: &Section, mut x: [f64; W]) -> [f64; W] {
        let [b0, b1, b2] = a.b;
        let [_, a1, a2] = a.a;
        let [d0, d1, d2] = b.b;
        let [_, c1, c2] = b.a;
        for j in 0..W {
            let xn = x[j];
            let y = b0 * xn + self.z1a[j];
            self.z1a[j] = b1 * xn - a1 * y + self.z2a[j];
            self.z2a[j] = b2 * xn - a2 * y;
            if PAIR {
                let out = d0 * y + self.z1b[j];
                self.z1b[j] = d1 * y - c1 * out + self.z2b[j];
                self.z2b[j] = d2 * y - c2 * out;
                x[j] = out;
            } else {
                x[j] = y;
            }
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook loop, one channel at a time, in the reference operation order.
    fn naive(sections: &[Section], x: &[f64], n_ch: usize, reverse: bool) -> Vec<f64> {
        let mut y = x.to_vec();
        let frames = x.len() / n_ch;
        for c in 0..n_ch {
            let mut z = vec![[0.0; 2]; sections.len()];
            let order: Vec<usize> = if reverse {
                (0..frames).rev().collect()
            } else {
                (0..frames).collect()
            };
            for i in order {
                let mut v = y[i * n_ch + c];
                for (s, z) in sections.iter().zip(z.iter_mut()) {
                    let out = s.b[0] * v + z[0];
                    z[0] = s.b[1] * v - s.a[1] * out + z[1];
                    z[1] = s.b[2] * v - s.a[2] * out;
                    v = out;
                }
                y[i * n_ch + c] = v;
            }
        }
        y
    }

    fn sections(count: usize) -> Vec<Section> {
        let pool = [
            Section {
                b: [0.2, 0.4, 0.2],
                a: [1.0, -0.6, 0.2],
            },
            Section {
                b: [0.9, -1.8, 0.9],
                a: [1.0, -1.7, 0.75],
            },
            Section {
                b: [0.5, 0.0, -0.5],
                a: [1.0, -0.3, 0.4],
            },
        ];
        pool[..count].to_vec()
    }

    fn noise(len: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        (0..len)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
            })
            .collect()
    }

    fn isas() -> Vec<Isa> {
        Isa::available()
    }

    #[test]
    fn every_width_isa_and_direction_equals_the_naive_loop_bit_for_bit() {
        for n_sections in 0..=3 {
            let sos = sections(n_sections);
            for n_ch in 1..=19 {
                // Long enough to cross several tiles at every channel count.
                let frames = 3 * TILE_SAMPLES / n_ch + 7;
                let x = noise(frames * n_ch, n_ch as u64);
                for reverse in [false, true] {
                    let expected = naive(&sos, &x, n_ch, reverse);
                    for isa in isas() {
                        let mut state = vec![0.0; n_sections * 2 * n_ch];
                        let mut y = vec![0.0; x.len()];
                        filter(isa, &sos, &mut state, n_ch, Some(&x), &mut y, reverse);
                        assert!(
                            y == expected,
                            "{isa:?}, {n_ch} channels, {n_sections} sections, reverse {reverse}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn blocks_carry_state_like_one_call() {
        let sos = sections(2);
        let n_ch = 11;
        let x = noise(n_ch * 5000, 7);
        let expected = naive(&sos, &x, n_ch, false);
        for isa in isas() {
            for block in [1, 3, 32, 1000] {
                let mut state = vec![0.0; 2 * 2 * n_ch];
                let mut y = x.clone();
                for chunk in y.chunks_mut(block * n_ch) {
                    filter(isa, &sos, &mut state, n_ch, None, chunk, false);
                }
                assert!(y == expected, "{isa:?}, blocks of {block}");
            }
        }
    }
}
