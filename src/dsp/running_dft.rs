//! Welch segment densities built up as the samples arrive: the lowest bins of each
//! segment's one-sided density, equal (to rounding) to
//! [`Welch::segment_density_prefix`](super::welch::Welch::segment_density_prefix), with
//! the transform's work spread over the samples instead of done at once when the
//! segment ends. A live recorder then has nothing heavy left for the sample that completes
//! a tremor window.
//!
//! Segments of n samples start on a grid of g samples (g divides n). The signal is cut
//! into blocks of g samples; each block's partial transform at the segment's frequencies,
//! `B_j[k] = Σ_{m<g} (x_{jg+m} − r_j)·e^{−2πikm/n}` (r_j: the block's first sample), is
//! accumulated sample by sample by Goertzel's recursion in Reinsch's form, which stays
//! accurate at low frequencies: `u_m = u_{m−1} + d_m − λ_k·s_{m−1}`, `s_m = s_{m−1} + u_m`
//! with `λ_k = 4sin²(ω_k/2)` (one multiplication and three additions per bin, no table to
//! read), and turned into `B_j[k] = e^{−iω_k(g−1)}·(s_{g−1} − e^{−iω_k}·s_{g−2})` when the
//! block is whole. (The plain recursion `s_m = d_m + 2cos(ω_k)·s_{m−1} − s_{m−2}` loses
//! digits near DC, which a linear detrend then magnifies.)
//! A segment of blocks j = 0 … n/g − 1 then needs only a few operations per bin:
//!
//! ```text
//! X_k  = Σ_j e^{−2πik·jg/n}·(B_j[k] + (r_j − x_0)·O_k)          transform of x − x_0
//! Y_k  = ½X_k − ¼(X_{k−1} + X_{k+1})                              periodic Hann window
//! Z_k  = Y_k − (a − x_0)·W_k − b·T_k                              detrended
//! ```
//!
//! with `O_k = Σ_{m<g} e^{−2πikm/n}`, `W_k = Σ w_i e^{−2πiki/n}` and
//! `T_k = Σ (i − t0)·w_i e^{−2πiki/n}` fixed per bin, and the trend `a + b·(i − t0)` from
//! the sums of x − x_0 that the blocks also keep. Sums relative to a block's first sample
//! keep a force channel's level (hundreds of newtons against tremor of tenths) out of the
//! spectrum's rounding. The density is `|Z_k|²` scaled as Welch scales it.
//!
//! The recursion costs a few operations per sample and bin: cheap for the 70 bins a tremor
//! window reads, dear for the 227 bins of a 0.5 s fatigue epoch at 10 kHz (a transform of
//! the epoch does the same work 6–10 times faster). So a table may give a block a *head*:
//! its first g − t samples are only gathered, and once they are in, one real transform of
//! n points (the head zero-padded) gives their part of `B_j` at every bin; the last t
//! samples (the *tail*) go through the recursion, whose result is added. The transform
//! then comes on the sample that completes the head, which the caller picks between two
//! feature rows, and the sample that completes the block still costs microseconds.

use std::f64::consts::PI;
use std::sync::Arc;

use num_complex::Complex64;
use realfft::RealToComplex;

use super::isa::Isa;
use super::welch::Detrend;

/// Bins accumulated together, their sums held in registers over a block of samples.
const CHUNK: usize = 24;
/// Samples staged before they are accumulated: a live recorder pushes a few frames at a
/// time, and each accumulation loads and stores every bin's state once, so short pushes
/// are gathered (a block's last samples are accumulated as soon as they come, so a
/// segment is never late).
const STAGE: usize = 64;

/// Fixed values of one segment length, grid and bin count; shared by every channel.
#[derive(Debug)]
pub struct SegmentTable {
    n: usize,
    grid: usize,
    /// Bins of the density (k < bins); the blocks keep one more, for the window.
    bins: usize,
    detrend: Detrend,
    /// `λ_k = 4sin²(ω_k/2)` for k ≤ bins, padded with zeros to a multiple of [`CHUNK`].
    coef: Vec<f64>,
    /// Length of `coef`.
    padded: usize,
    /// `e^{−iω_k}` and `e^{−iω_k(g−1)}` for k ≤ bins: the end of Goertzel's recursion.
    back: Vec<(f64, f64)>,
    turn: Vec<(f64, f64)>,
    /// `O_k`, `W_k`, `T_k` (re, im) for k ≤ bins.
    ones: Vec<(f64, f64)>,
    hann: Vec<(f64, f64)>,
    ramp: Vec<(f64, f64)>,
    /// `e^{−2πik·jg/n}` for block j of a segment, k ≤ bins: `[j][k]`.
    phases: Vec<(f64, f64)>,
    /// 1 / (fs · Σ w²).
    scale: f64,
    /// Samples at the end of each block that go through the recursion: `grid`, or fewer
    /// when the block's head is transformed at once (`head_fft`, of n points).
    tail: usize,
    head_fft: Option<HeadFft>,
    isa: Isa,
}

/// The real transform of n points that turns a block's head into its partial transform.
#[derive(Clone)]
struct HeadFft(Arc<dyn RealToComplex<f64>>);

impl std::fmt::Debug for HeadFft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HeadFft({})", self.0.len())
    }
}

/// Tables are equal when made from the same settings (the values follow from them).
impl PartialEq for SegmentTable {
    fn eq(&self, other: &SegmentTable) -> bool {
        (self.n, self.grid, self.bins, self.detrend, self.tail)
            == (other.n, other.grid, other.bins, other.detrend, other.tail)
            && self.scale == other.scale
    }
}

impl SegmentTable {
    /// The table for segments of `n` samples on a grid of `grid` samples at
    /// `sample_rate_hz`, densities of the first `bins` bins; `None` unless `grid` divides
    /// `n` and `bins` ≤ n/2 (the bins a live tremor tracker reads are far fewer).
    pub fn new(
        n: usize,
        grid: usize,
        bins: usize,
        detrend: Detrend,
        sample_rate_hz: f64,
    ) -> Option<Arc<SegmentTable>> {
        SegmentTable::with_tail(n, grid, bins, detrend, sample_rate_hz, grid)
    }

    /// As [`SegmentTable::new`], with the first `grid − tail` samples of each block
    /// transformed at once when they are in, and only the last `tail` (1 ≤ tail ≤ grid)
    /// through the recursion (see the module's notes); `None` also for a tail outside
    /// that range.
    pub fn with_tail(
        n: usize,
        grid: usize,
        bins: usize,
        detrend: Detrend,
        sample_rate_hz: f64,
        tail: usize,
    ) -> Option<Arc<SegmentTable>> {
        // Reinsch's form is the accurate one below a quarter of the rate (cos ω > 0).
        if n < 2 || grid == 0 || n % grid != 0 || bins == 0 || bins + 1 > n / 4 {
            return None;
        }
        if !(1..=grid).contains(&tail) {
            return None;
        }
        let head_fft = (tail < grid).then(|| HeadFft(super::fft_plan::forward(n)));
        let kept = bins + 1;
        // e^{−2πiq/n} for every residue q: each angle below is one of these, taken by its
        // exact residue k·m mod n.
        let roots: Vec<(f64, f64)> = (0..n)
            .map(|q| (2.0 * PI * q as f64 / n as f64).sin_cos())
            .collect();
        let root = |k: usize, m: usize| roots[(k * m) % n];
        let padded = kept.next_multiple_of(CHUNK);
        let coef = (0..padded)
            .map(|k| {
                let half = PI * k as f64 / n as f64;
                if k < kept {
                    4.0 * half.sin() * half.sin()
                } else {
                    0.0
                }
            })
            .collect();
        let back = (0..kept).map(|k| (root(k, 1).1, -root(k, 1).0)).collect();
        let turn = (0..kept)
            .map(|k| (root(k, grid - 1).1, -root(k, grid - 1).0))
            .collect();
        let window = super::welch::hann_periodic(n);
        let t0 = (n as f64 - 1.0) / 2.0;
        let sum = |k: usize, weight: &dyn Fn(usize) -> f64, len: usize| {
            let (mut re, mut im) = (0.0, 0.0);
            for i in 0..len {
                let (s, c) = root(k, i);
                re += weight(i) * c;
                im -= weight(i) * s;
            }
            (re, im)
        };
        let ones = (0..kept).map(|k| sum(k, &|_| 1.0, grid)).collect();
        let hann = (0..kept).map(|k| sum(k, &|i| window[i], n)).collect();
        let ramp = (0..kept)
            .map(|k| sum(k, &|i| (i as f64 - t0) * window[i], n))
            .collect();
        let phases = (0..n / grid)
            .flat_map(|j| {
                (0..kept).map(move |k| {
                    let (s, c) = root(k, j * grid);
                    (c, -s)
                })
            })
            .collect();
        let scale = 1.0 / (sample_rate_hz * window.iter().map(|w| w * w).sum::<f64>());
        Some(Arc::new(SegmentTable {
            n,
            grid,
            bins,
            detrend,
            coef,
            padded,
            back,
            turn,
            ones,
            hann,
            ramp,
            phases,
            scale,
            tail,
            head_fft,
            isa: Isa::detect(),
        }))
    }

    /// Samples per segment.
    pub fn segment_len(&self) -> usize {
        self.n
    }

    /// Bins of each density.
    pub fn bins(&self) -> usize {
        self.bins
    }
}

/// One block's partial transform and sums, relative to its first sample. While the
/// block fills, `re` and `im` hold the recursion's states s and u; once it is whole, the
/// real and imaginary parts of B_j.
#[derive(Debug, Clone)]
pub struct Block {
    re: Vec<f64>,
    im: Vec<f64>,
    /// The block's first sample r.
    first: f64,
    /// Σ (x_m − r) and Σ m·(x_m − r).
    sum: f64,
    moment: f64,
    filled: usize,
    /// The head's part of B_j (re, im) once the head is in; empty without a head.
    head: Vec<(f64, f64)>,
}

impl Block {
    fn clear(&mut self) {
        self.re.fill(0.0);
        self.im.fill(0.0);
        self.head.fill((0.0, 0.0));
        (self.first, self.sum, self.moment, self.filled) = (0.0, 0.0, 0.0, 0);
    }

    fn new(table: &SegmentTable) -> Block {
        let kept = table.padded;
        let head = if table.head_fft.is_some() {
            table.bins + 1
        } else {
            0
        };
        Block {
            re: vec![0.0; kept],
            im: vec![0.0; kept],
            first: 0.0,
            sum: 0.0,
            moment: 0.0,
            filled: 0,
            head: vec![(0.0, 0.0); head],
        }
    }
}

/// A block's head as it is gathered, and the transform's buffers.
#[derive(Debug, Clone, Default)]
struct Head {
    /// x − r of the head so far, then zeros to n points for the transform.
    input: Vec<f64>,
    output: Vec<Complex64>,
    scratch: Vec<Complex64>,
}

/// A channel's blocks as its samples arrive: the block being filled and the last n/g
/// whole ones.
#[derive(Debug, Clone)]
pub struct RunningDft {
    table: Arc<SegmentTable>,
    current: Block,
    /// Whole blocks, oldest first, at most n/g.
    done: std::collections::VecDeque<Block>,
    /// Whole blocks so far.
    count: usize,
    spare: Vec<Block>,
    /// Samples of the current block not yet accumulated.
    staged: Vec<f64>,
    /// The segment's transform (re, im), and its density, reused.
    scratch: (Vec<f64>, Vec<f64>),
    density: Vec<f64>,
    head: Head,
}

impl RunningDft {
    /// A channel at sample 0.
    pub fn new(table: Arc<SegmentTable>) -> RunningDft {
        RunningDft {
            current: Block::new(&table),
            done: std::collections::VecDeque::new(),
            count: 0,
            spare: Vec::new(),
            staged: Vec::with_capacity(STAGE),
            scratch: (vec![0.0; table.bins + 1], vec![0.0; table.bins + 1]),
            density: vec![0.0; table.bins],
            head: Head::default(),
            table,
        }
    }

    /// The table in use.
    pub fn table(&self) -> &SegmentTable {
        &self.table
    }

    /// Feeds samples; calls `each(start, density)` for every segment they complete (in
    /// order of start, on the grid), with `density` holding [`SegmentTable::bins`] values.
    pub fn push(&mut self, mut x: &[f64], mut each: impl FnMut(usize, &[f64])) {
        let g = self.table.grid;
        let per_segment = self.table.n / g;
        let head_len = g - self.table.tail;
        while !x.is_empty() {
            if self.current.filled < head_len {
                let take = (head_len - self.current.filled).min(x.len());
                gather_head(&self.table, &mut self.current, &mut self.head, &x[..take]);
                x = &x[take..];
                continue;
            }
            let room = g - self.current.filled - self.staged.len();
            let take = room.min(x.len());
            self.staged.extend_from_slice(&x[..take]);
            x = &x[take..];
            if take == room || self.staged.len() >= STAGE {
                accumulate(&self.table, &mut self.current, &self.staged);
                self.staged.clear();
            }
            if self.current.filled < g {
                continue;
            }
            let fresh = match self.spare.pop() {
                Some(mut b) => {
                    b.clear();
                    b
                }
                None => Block::new(&self.table),
            };
            let mut whole = std::mem::replace(&mut self.current, fresh);
            finish_block(&self.table, &mut whole);
            if self.done.len() == per_segment {
                if let Some(old) = self.done.pop_front() {
                    self.spare.push(old);
                }
            }
            self.done.push_back(whole);
            self.count += 1;
            if self.done.len() == per_segment {
                segment_density(
                    &self.table,
                    &self.done,
                    &mut self.scratch,
                    &mut self.density,
                );
                each((self.count - per_segment) * g, &self.density);
            }
        }
    }
}

/// Adds `x` to the block's sums.
fn accumulate(table: &SegmentTable, block: &mut Block, x: &[f64]) {
    match table.isa {
        Isa::Portable => accumulate_loop(table, block, x),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa::Avx2` or `Isa::Avx512` exists only where AVX2 was detected
        // (see `Isa`).
        Isa::Avx2 | Isa::Avx512 => unsafe { accumulate_avx2(table, block, x) },
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn accumulate_avx2(table: &SegmentTable, block: &mut Block, x: &[f64]) {
    accumulate_loop(table, block, x);
}

#[inline(always)]
fn accumulate_loop(table: &SegmentTable, block: &mut Block, x: &[f64]) {
    if block.filled == 0 {
        if let Some(&v) = x.first() {
            block.first = v;
        }
    }
    let (r, m0) = (block.first, block.filled);
    // CHUNK bins at a time over all of `x`, their states in registers.
    for k in (0..table.padded).step_by(CHUNK) {
        let lambda: [f64; CHUNK] = table.coef[k..k + CHUNK].try_into().expect("padded");
        let mut s: [f64; CHUNK] = block.re[k..k + CHUNK].try_into().expect("padded");
        let mut u: [f64; CHUNK] = block.im[k..k + CHUNK].try_into().expect("padded");
        for &v in x {
            let d = v - r;
            for j in 0..CHUNK {
                u[j] = u[j] + d - lambda[j] * s[j];
                s[j] += u[j];
            }
        }
        block.re[k..k + CHUNK].copy_from_slice(&s);
        block.im[k..k + CHUNK].copy_from_slice(&u);
    }
    for (t, &v) in x.iter().enumerate() {
        let d = v - r;
        block.sum += d;
        block.moment += (m0 + t) as f64 * d;
    }
    block.filled += x.len();
}

/// Gathers `x` into the block's head (its sums too); transforms the head once it is in.
fn gather_head(table: &SegmentTable, block: &mut Block, head: &mut Head, x: &[f64]) {
    if block.filled == 0 {
        if let Some(&v) = x.first() {
            block.first = v;
        }
        head.input.clear();
    }
    let (r, m0) = (block.first, block.filled);
    for (t, &v) in x.iter().enumerate() {
        let d = v - r;
        head.input.push(d);
        block.sum += d;
        block.moment += (m0 + t) as f64 * d;
    }
    block.filled += x.len();
    let Some(HeadFft(fft)) = &table.head_fft else {
        return;
    };
    if block.filled < table.grid - table.tail {
        return;
    }
    head.input.resize(table.n, 0.0);
    head.output.resize(table.n / 2 + 1, Complex64::default());
    head.scratch
        .resize(fft.get_scratch_len(), Complex64::default());
    fft.process_with_scratch(&mut head.input, &mut head.output, &mut head.scratch)
        .expect("buffers sized for the transform");
    for (h, c) in block.head.iter_mut().zip(&head.output) {
        *h = (c.re, c.im);
    }
}

/// Turns a whole block's Goertzel states into its partial transform B_j (the tail's, shifted
/// to its place, plus the head's).
fn finish_block(table: &SegmentTable, block: &mut Block) {
    for k in 0..table.bins + 1 {
        let (s1, u) = (block.re[k], block.im[k]);
        // y = s_{g−1} − e^{−iω}·s_{g−2} with s_{g−2} = s_{g−1} − u: its real part is
        // (1 − cos ω)·s_{g−1} + cos ω·u, with 1 − cos ω = λ/2 free of cancellation.
        let (br, bi) = table.back[k];
        let (yr, yi) = (0.5 * table.coef[k] * s1 + br * u, -bi * (s1 - u));
        let (tr, ti) = table.turn[k];
        let (hr, hi) = block.head.get(k).copied().unwrap_or((0.0, 0.0));
        block.re[k] = yr * tr - yi * ti + hr;
        block.im[k] = yr * ti + yi * tr + hi;
    }
}

/// The density of the segment made of `blocks` (n/g whole blocks, oldest first).
fn segment_density(
    table: &SegmentTable,
    blocks: &std::collections::VecDeque<Block>,
    (xr, xi): &mut (Vec<f64>, Vec<f64>),
    out: &mut [f64],
) {
    let kept = table.bins + 1;
    let (n, g) = (table.n as f64, table.grid as f64);
    let x0 = blocks[0].first;
    let t0 = (n - 1.0) / 2.0;
    // Transform of x − x0, and the sums of x − x0 for the trend.
    xr.fill(0.0);
    xi.fill(0.0);
    let (mut sum, mut moment) = (0.0, 0.0);
    for (j, b) in blocks.iter().enumerate() {
        let shift = b.first - x0;
        let phases = &table.phases[j * kept..(j + 1) * kept];
        for k in 0..kept {
            let re = b.re[k] + shift * table.ones[k].0;
            let im = b.im[k] + shift * table.ones[k].1;
            let (pc, ps) = phases[k];
            xr[k] += re * pc - im * ps;
            xi[k] += re * ps + im * pc;
        }
        let offset = j as f64 * g;
        // Σ_m (x − x0) = Σ_m (x − r) + g·(r − x0); moments about t0 likewise.
        sum += b.sum + g * shift;
        let moment_from_start =
            b.moment + offset * b.sum + shift * (offset * g + g * (g - 1.0) / 2.0);
        moment += moment_from_start - t0 * (b.sum + g * shift);
    }
    let (level, slope) = match table.detrend {
        Detrend::None => (-x0, 0.0),
        Detrend::Constant => (sum / n, 0.0),
        Detrend::Linear => {
            let stt = n * (n * n - 1.0) / 12.0;
            (sum / n, if stt > 0.0 { moment / stt } else { 0.0 })
        }
    };
    for (k, o) in out.iter_mut().enumerate().take(table.bins) {
        // X_{−1} is the conjugate of X_1 (a real signal).
        let (lr, li) = if k == 0 {
            (xr[1], -xi[1])
        } else {
            (xr[k - 1], xi[k - 1])
        };
        let re = 0.5 * xr[k]
            - 0.25 * (lr + xr[k + 1])
            - level * table.hann[k].0
            - slope * table.ramp[k].0;
        let im = 0.5 * xi[k]
            - 0.25 * (li + xi[k + 1])
            - level * table.hann[k].1
            - slope * table.ramp[k].1;
        let factor = if k == 0 { 1.0 } else { 2.0 };
        *o = (re * re + im * im) * table.scale * factor;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::welch::Welch;

    fn signal(len: usize, level: f64) -> Vec<f64> {
        (0..len)
            .map(|i| {
                let noise = crate::sim::noise::uniform(99 + i as u64) - 0.5;
                level + 0.002 * i as f64 + (i as f64 * 0.031).sin() + noise
            })
            .collect()
    }

    #[test]
    fn densities_match_the_transform_of_each_segment() {
        for (n, grid, level) in [
            (20000, 5000, 500.0),
            (400, 100, 0.0),
            (400, 200, 500.0),
            (1000, 250, -3.0),
            (64, 64, 1.0),
        ] {
            let bins = (n / 4 - 1).min(20).max(n / 300);
            let x = signal(5 * n + 37, level);
            let tails = [grid, 1, grid / 3 + 1, grid - 1, grid / 20 + 1];
            for (detrend, tail) in [Detrend::Linear, Detrend::Constant, Detrend::None]
                .into_iter()
                .flat_map(|d| tails.into_iter().filter(|&t| t >= 1).map(move |t| (d, t)))
            {
                let table = SegmentTable::with_tail(n, grid, bins, detrend, 1000.0, tail).unwrap();
                let mut welch = Welch::new(n, 0, detrend, 1000.0).unwrap();
                let mut running = RunningDft::new(table);
                let mut seen = Vec::new();
                let mut worst = 0.0_f64;
                for part in x.chunks(37) {
                    running.push(part, |start, d| seen.push((start, d.to_vec())));
                }
                assert_eq!(seen.len(), (x.len() - n) / grid + 1);
                for (start, got) in &seen {
                    let mut want = vec![0.0; bins];
                    welch.segment_density_prefix(&x[*start..start + n], &mut want);
                    let top = want.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
                    for (g, w) in got.iter().zip(&want) {
                        worst = worst.max((g - w).abs() / top);
                    }
                }
                eprintln!("{n} {grid} {detrend:?} tail {tail}: worst {worst:.1e}");
                // A steep ramp (40 units over the segment against noise of 0.3 here) is
                // removed from the transform, which magnifies its rounding: 7.3e-11 at
                // worst, 4e-14 and less without one.
                assert!(
                    worst <= 1e-9,
                    "{n} {grid} {detrend:?} tail {tail}: {worst:.1e} of the largest bin"
                );
            }
        }
    }

    #[test]
    fn grids_that_do_not_divide_the_segment_are_refused() {
        assert!(SegmentTable::new(400, 300, 10, Detrend::Linear, 1000.0).is_none());
        assert!(SegmentTable::new(400, 100, 100, Detrend::Linear, 1000.0).is_none());
        assert!(SegmentTable::with_tail(400, 100, 10, Detrend::Linear, 1000.0, 0).is_none());
        assert!(SegmentTable::with_tail(400, 100, 10, Detrend::Linear, 1000.0, 101).is_none());
    }
}
