//! Moving mean over W samples: trailing (causal) or centred (zero-phase), both streaming.

/// Trailing mean of the last W samples (fewer at the start), as samples arrive.
#[derive(Debug, Clone)]
pub struct TrailingMean {
    window: Vec<f64>,
    next: usize,
    filled: usize,
    sum: f64,
}

impl TrailingMean {
    pub fn new(w: usize) -> TrailingMean {
        TrailingMean {
            window: vec![0.0; w.max(1)],
            next: 0,
            filled: 0,
            sum: 0.0,
        }
    }

    /// Replaces each value of `x` by the mean of it and the W − 1 values before it.
    pub fn process(&mut self, x: &mut [f64]) {
        let w = self.window.len();
        for v in x {
            self.sum += *v - self.window[self.next];
            self.window[self.next] = *v;
            self.next = (self.next + 1) % w;
            self.filled = (self.filled + 1).min(w);
            *v = self.sum / self.filled as f64;
        }
    }
}

/// Centred mean of W samples around each sample, over [i − W/2, i − W/2 + W) cut to the
/// signal (shorter at both ends), of a signal that arrives in blocks: each mean is handed
/// out as soon as its window has come (W − W/2 − 1 samples late), the last ones at the
/// end. A running sum moves one sample at a time, the same way whatever the blocks, so any
/// blocks give the same values, bit for bit.
///
/// The signal may be several channels side by side, interleaved as frames (a channel
/// group's filter output): each lane keeps its own sum, which moves exactly as a single
/// channel's would, so every lane's means are the same bit for bit as its channel's alone.
/// The lanes' sums advance together, so one lane's chain of additions no longer waits for
/// the last (eight channels cost about what one does).
#[derive(Debug, Clone)]
pub struct CentredMean {
    w: usize,
    half: usize,
    lanes: usize,
    /// Frames from `base` on (those before `lo` are dropped now and then).
    kept: Vec<f64>,
    base: usize,
    lo: usize,
    hi: usize,
    /// Each lane's sum over frames `lo..hi`.
    sums: Vec<f64>,
    /// The next mean to hand out, and the frames received.
    next: usize,
    received: usize,
}

impl CentredMean {
    /// The mean over `w` samples of each of `lanes` channels interleaved (at least one).
    pub fn lanes(w: usize, lanes: usize) -> CentredMean {
        let (w, lanes) = (w.max(1), lanes.max(1));
        CentredMean {
            w,
            half: w / 2,
            lanes,
            kept: Vec::new(),
            base: 0,
            lo: 0,
            hi: 0,
            sums: vec![0.0; lanes],
            next: 0,
            received: 0,
        }
    }

    /// Feeds frames (whole ones); appends to `out` the frames of means whose window is
    /// complete.
    pub fn push(&mut self, x: &[f64], out: &mut Vec<f64>) {
        let lanes = self.lanes;
        debug_assert_eq!(x.len() % lanes, 0, "whole frames of {lanes} lanes");
        if self.sliding() && !x.is_empty() {
            self.slide_over(x, out);
            return;
        }
        let dropped = self.lo - self.base;
        if dropped > self.kept.len() / lanes / 2 {
            self.kept.drain(..dropped * lanes);
            self.base = self.lo;
        }
        self.kept.extend_from_slice(x);
        self.received += x.len() / lanes;
        while self.next + self.w - self.half <= self.received {
            if self.hi - self.lo == self.w && self.lo + 1 == self.next.saturating_sub(self.half) {
                self.slide(out);
            } else {
                self.step(self.next + self.w - self.half, out);
            }
        }
    }

    /// Every mean whose whole window has come while the window slides by one frame: the
    /// steady state, in one tight loop (the same additions, in the same order, as
    /// [`CentredMean::step`]).
    fn slide(&mut self, out: &mut Vec<f64>) {
        let lanes = self.lanes;
        let n = self.received - (self.next + self.w - self.half) + 1;
        let (a, b) = ((self.hi - self.base) * lanes, (self.lo - self.base) * lanes);
        let (adds, drops) = (&self.kept[a..a + n * lanes], &self.kept[b..b + n * lanes]);
        slide_means(&mut self.sums, self.w, adds, drops, out);
        self.hi += n;
        self.lo += n;
        self.next += n;
    }

    /// Whether the window slides one frame at a time and ends at the last frame
    /// received, `kept` holding exactly it (`kept` holds the frames from `base` on):
    /// then each new frame completes one mean.
    fn sliding(&self) -> bool {
        self.hi == self.received
            && self.lo == self.base
            && self.kept.len() == self.w * self.lanes
            && self.next + self.w - self.half == self.received + 1
    }

    /// [`CentredMean::slide`] reading the new frames where they are: the window adds
    /// `x` and drops the frames `w` before, from `kept` first, then from `x` itself; only
    /// the last `w` frames are kept for the next push. The same additions in the same
    /// order, without copying every frame into `kept` and back out.
    fn slide_over(&mut self, x: &[f64], out: &mut Vec<f64>) {
        let (lanes, w) = (self.lanes, self.w);
        let n = x.len() / lanes;
        let first = n.min(w) * lanes;
        slide_means(&mut self.sums, w, &x[..first], &self.kept[..first], out);
        if n > w {
            slide_means(
                &mut self.sums,
                w,
                &x[w * lanes..],
                &x[..(n - w) * lanes],
                out,
            );
        }
        if n >= w {
            self.kept.clear();
            self.kept.extend_from_slice(&x[(n - w) * lanes..]);
        } else {
            self.kept.drain(..n * lanes);
            self.kept.extend_from_slice(x);
        }
        // Room grown before the window started sliding is not needed again.
        if self.kept.capacity() > 4 * w * lanes {
            self.kept.shrink_to(w * lanes);
        }
        self.received += n;
        self.hi += n;
        self.lo += n;
        self.base = self.lo;
        self.next += n;
    }

    /// Appends the means of the last frames, whose windows end with the signal.
    pub fn finish(&mut self, out: &mut Vec<f64>) {
        while self.next < self.received {
            self.step((self.next + self.w - self.half).min(self.received), out);
        }
    }

    fn step(&mut self, want_hi: usize, out: &mut Vec<f64>) {
        let lanes = self.lanes;
        let want_lo = self.next.saturating_sub(self.half);
        while self.hi < want_hi {
            let at = (self.hi - self.base) * lanes;
            for (sum, v) in self.sums.iter_mut().zip(&self.kept[at..at + lanes]) {
                *sum += v;
            }
            self.hi += 1;
        }
        while self.lo < want_lo {
            let at = (self.lo - self.base) * lanes;
            for (sum, v) in self.sums.iter_mut().zip(&self.kept[at..at + lanes]) {
                *sum -= v;
            }
            self.lo += 1;
        }
        let count = (self.hi - self.lo) as f64;
        out.extend(self.sums.iter().map(|sum| sum / count));
        self.next += 1;
    }
}

/// The means of a window of `w` frames sliding by one: each frame adds the next frame of
/// `adds` to `sums` (one per lane) and drops the matching one of `drops` (`add − drop`,
/// then the sum), one frame of means a frame, in order. The group widths have loops of
/// their own, whose sums stay in registers.
fn slide_means(sums: &mut [f64], w: usize, adds: &[f64], drops: &[f64], out: &mut Vec<f64>) {
    match sums.len() {
        1 => slide_lanes::<1>(sums, w, adds, drops, out),
        2 => slide_lanes::<2>(sums, w, adds, drops, out),
        3 => slide_lanes::<3>(sums, w, adds, drops, out),
        4 => slide_lanes::<4>(sums, w, adds, drops, out),
        5 => slide_lanes::<5>(sums, w, adds, drops, out),
        6 => slide_lanes::<6>(sums, w, adds, drops, out),
        7 => slide_lanes::<7>(sums, w, adds, drops, out),
        8 => slide_lanes::<8>(sums, w, adds, drops, out),
        lanes => {
            let count = w as f64;
            for (add, drop) in adds.chunks_exact(lanes).zip(drops.chunks_exact(lanes)) {
                for ((sum, a), d) in sums.iter_mut().zip(add).zip(drop) {
                    *sum += a - d;
                }
                out.extend(sums.iter().map(|sum| sum / count));
            }
        }
    }
}

/// [`slide_means`] for `L` lanes.
fn slide_lanes<const L: usize>(
    sums: &mut [f64],
    w: usize,
    adds: &[f64],
    drops: &[f64],
    out: &mut Vec<f64>,
) {
    assert!(
        adds.len() == drops.len() && adds.len() % L == 0,
        "whole frames, as many dropped as added"
    );
    let count = w as f64;
    let mut s: [f64; L] = std::array::from_fn(|l| sums[l]);
    let len = adds.len();
    out.reserve(len);
    // The means go straight into the room after `out`'s values: a buffer cleared between
    // pushes is not zeroed again first.
    let room = &mut out.spare_capacity_mut()[..len];
    let frames = adds.chunks_exact(L).zip(drops.chunks_exact(L));
    for (o, (add, drop)) in room.chunks_exact_mut(L).zip(frames) {
        for l in 0..L {
            s[l] += add[l] - drop[l];
            o[l].write(s[l] / count);
        }
    }
    // SAFETY: the loop wrote all `len` values of the room (`len / L` whole frames of `L`,
    // as many as `adds` and `drops` hold, asserted above), and the room was reserved.
    unsafe { out.set_len(out.len() + len) };
    sums.copy_from_slice(&s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_and_centred() {
        let mut x = vec![3.0, 3.0, 6.0, 0.0];
        TrailingMean::new(2).process(&mut x);
        assert_eq!(x, vec![3.0, 3.0, 4.5, 3.0]);
        let mut centred = Vec::new();
        let mut mean = CentredMean::lanes(3, 1);
        mean.push(&[0.0, 3.0, 6.0, 9.0], &mut centred);
        mean.finish(&mut centred);
        assert_eq!(centred, vec![1.5, 3.0, 6.0, 7.5]);
    }

    fn centred(x: &[f64], w: usize, block: usize) -> Vec<f64> {
        let mut mean = CentredMean::lanes(w, 1);
        let mut out = Vec::new();
        for part in x.chunks(block) {
            mean.push(part, &mut out);
        }
        mean.finish(&mut out);
        out
    }

    #[test]
    fn lanes_give_each_channel_its_own_means_bit_for_bit() {
        let channel = |c: usize| -> Vec<f64> {
            (0..700)
                .map(|i| ((i * 7919 + c * 31) % 101) as f64 * 0.37)
                .collect()
        };
        for (lanes, w) in [(8, 50), (3, 5), (4, 1), (9, 64), (2, 800)] {
            let channels: Vec<Vec<f64>> = (0..lanes).map(channel).collect();
            let frames: Vec<f64> = (0..700)
                .flat_map(|i| channels.iter().map(move |c| c[i]))
                .collect();
            for block in [1, 7, 64, 700] {
                let mut mean = CentredMean::lanes(w, lanes);
                let mut out = Vec::new();
                for part in frames.chunks(block * lanes) {
                    mean.push(part, &mut out);
                }
                mean.finish(&mut out);
                assert_eq!(out.len(), frames.len());
                for (c, x) in channels.iter().enumerate() {
                    let lane: Vec<f64> = out.iter().skip(c).step_by(lanes).copied().collect();
                    assert_eq!(
                        lane,
                        centred(x, w, 64),
                        "{lanes} lanes, w {w}, block {block}"
                    );
                }
            }
        }
    }

    #[test]
    fn centred_in_blocks_is_the_same_bit_for_bit() {
        let x: Vec<f64> = (0..500).map(|i| ((i * 7919) % 101) as f64 * 0.37).collect();
        for w in [1, 2, 5, 50, 499, 501, 800] {
            // The whole signal, by the definition.
            let want: Vec<f64> = (0..x.len())
                .map(|i| {
                    let lo = i.saturating_sub(w / 2);
                    let hi = (i + w - w / 2).min(x.len());
                    x[lo..hi].iter().sum::<f64>() / (hi - lo) as f64
                })
                .collect();
            let whole = centred(&x, w, x.len());
            for (a, b) in whole.iter().zip(&want) {
                assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "w {w}");
            }
            for block in [1, 3, 64, 499] {
                assert_eq!(centred(&x, w, block), whole, "w {w}, block {block}");
            }
            // Uneven blocks: the window starts sliding inside one, then takes blocks
            // shorter and longer than itself, and empty ones.
            let mut mean = CentredMean::lanes(w, 1);
            let mut out = Vec::new();
            let mut rest = &x[..];
            for size in [7, 0, 120, 2, 0, 61, 1, 300].into_iter().cycle() {
                let (now, later) = rest.split_at(size.min(rest.len()));
                mean.push(now, &mut out);
                rest = later;
                if rest.is_empty() {
                    break;
                }
            }
            mean.finish(&mut out);
            assert_eq!(out, whole, "w {w}, uneven blocks");
        }
    }
}
