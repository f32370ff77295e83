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
#[derive(Debug, Clone)]
pub struct CentredMean {
    w: usize,
    half: usize,
    /// Samples from `base` on (those before `lo` are dropped now and then).
    kept: Vec<f64>,
    base: usize,
    lo: usize,
    hi: usize,
    sum: f64,
    /// The next mean to hand out, and the samples received.
    next: usize,
    received: usize,
}

impl CentredMean {
    pub fn new(w: usize) -> CentredMean {
        let w = w.max(1);
        CentredMean {
            w,
            half: w / 2,
            kept: Vec::new(),
            base: 0,
            lo: 0,
            hi: 0,
            sum: 0.0,
            next: 0,
            received: 0,
        }
    }

    /// Feeds samples; appends to `out` the means whose window is complete.
    pub fn push(&mut self, x: &[f64], out: &mut Vec<f64>) {
        if self.sliding() && !x.is_empty() {
            self.slide_over(x, out);
            return;
        }
        let dropped = self.lo - self.base;
        if dropped > self.kept.len() / 2 {
            self.kept.drain(..dropped);
            self.base = self.lo;
        }
        self.kept.extend_from_slice(x);
        self.received += x.len();
        while self.next + self.w - self.half <= self.received {
            if self.hi - self.lo == self.w && self.lo + 1 == self.next.saturating_sub(self.half) {
                self.slide(out);
            } else {
                self.step(self.next + self.w - self.half, out);
            }
        }
    }

    /// Every mean whose whole window has come while the window slides by one sample: the
    /// steady state, in one tight loop (the same additions, in the same order, as
    /// [`CentredMean::step`]).
    fn slide(&mut self, out: &mut Vec<f64>) {
        let n = self.received - (self.next + self.w - self.half) + 1;
        let (a, b) = (self.hi - self.base, self.lo - self.base);
        let (adds, drops) = (&self.kept[a..a + n], &self.kept[b..b + n]);
        slide_means(&mut self.sum, self.w, adds, drops, out);
        self.hi += n;
        self.lo += n;
        self.next += n;
    }

    /// Whether the window slides one sample at a time and ends at the last sample
    /// received, `kept` holding exactly it (`kept` holds the samples from `base` on):
    /// then each new sample completes one mean.
    fn sliding(&self) -> bool {
        self.hi == self.received
            && self.lo == self.base
            && self.kept.len() == self.w
            && self.next + self.w - self.half == self.received + 1
    }

    /// [`CentredMean::slide`] reading the new samples where they are: the window adds
    /// `x` and drops the samples `w` before, from `kept` first, then from `x` itself; only
    /// the last `w` samples are kept for the next push. The same additions in the same
    /// order, without copying every sample into `kept` and back out.
    fn slide_over(&mut self, x: &[f64], out: &mut Vec<f64>) {
        let (n, w) = (x.len(), self.w);
        let first = n.min(w);
        slide_means(&mut self.sum, w, &x[..first], &self.kept[..first], out);
        if n > w {
            slide_means(&mut self.sum, w, &x[w..], &x[..n - w], out);
        }
        if n >= w {
            self.kept.clear();
            self.kept.extend_from_slice(&x[n - w..]);
        } else {
            self.kept.drain(..n);
            self.kept.extend_from_slice(x);
        }
        // Room grown before the window started sliding is not needed again.
        if self.kept.capacity() > 4 * w {
            self.kept.shrink_to(w);
        }
        self.received += n;
        self.hi += n;
        self.lo += n;
        self.base = self.lo;
        self.next += n;
    }

    /// Appends the means of the last samples, whose windows end with the signal.
    pub fn finish(&mut self, out: &mut Vec<f64>) {
        while self.next < self.received {
            self.step((self.next + self.w - self.half).min(self.received), out);
        }
    }

    fn step(&mut self, want_hi: usize, out: &mut Vec<f64>) {
        let want_lo = self.next.saturating_sub(self.half);
        while self.hi < want_hi {
            self.sum += self.kept[self.hi - self.base];
            self.hi += 1;
        }
        while self.lo < want_lo {
            self.sum -= self.kept[self.lo - self.base];
            self.lo += 1;
        }
        out.push(self.sum / (self.hi - self.lo) as f64);
        self.next += 1;
    }
}

/// The means of a window of `w` samples sliding by one: each adds the next of `adds` to
/// `sum` and drops the matching one of `drops` (`add − drop`, then the sum), one mean a
/// sample, in order.
fn slide_means(sum: &mut f64, w: usize, adds: &[f64], drops: &[f64], out: &mut Vec<f64>) {
    let count = w as f64;
    let mut s = *sum;
    out.extend(adds.iter().zip(drops).map(|(add, drop)| {
        s += add - drop;
        s / count
    }));
    *sum = s;
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
        let mut mean = CentredMean::new(3);
        mean.push(&[0.0, 3.0, 6.0, 9.0], &mut centred);
        mean.finish(&mut centred);
        assert_eq!(centred, vec![1.5, 3.0, 6.0, 7.5]);
    }

    fn centred(x: &[f64], w: usize, block: usize) -> Vec<f64> {
        let mut mean = CentredMean::new(w);
        let mut out = Vec::new();
        for part in x.chunks(block) {
            mean.push(part, &mut out);
        }
        mean.finish(&mut out);
        out
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
            let mut mean = CentredMean::new(w);
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
