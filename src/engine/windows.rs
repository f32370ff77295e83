//! Cuts streams into the windows of the window rule as samples arrive: window k is handed
//! over as soon as sample kH + W − 1 has been pushed, whatever the block sizes.

use crate::dsp::windows::WindowSpec;

/// Window cutter over one stream. A window that begins among the samples of earlier pushes
/// is handed over from the samples held (the push's samples it needs appended to them);
/// one that lies inside the push, where it lies, without a copy. Held samples no window
/// needs any more are dropped when they are half of those held, so small pushes (a live
/// recorder's) move memory seldom, and a large push leaves held only what the next window
/// needs of it.
#[derive(Debug, Clone)]
pub struct WindowStream {
    spec: WindowSpec,
    /// Samples from `start` on, up to those of the last push.
    held: Vec<f64>,
    /// Absolute index of the first held sample.
    start: usize,
    seen: usize,
    next: usize,
}

impl WindowStream {
    pub fn new(spec: WindowSpec) -> WindowStream {
        WindowStream {
            spec,
            held: Vec::new(),
            start: 0,
            seen: 0,
            next: 0,
        }
    }

    /// Appends the next samples and calls `f(k, window)` for each window they complete.
    pub fn push(&mut self, input: &[f64], mut f: impl FnMut(usize, &[f64])) {
        let (w, h) = (self.spec.window, self.spec.hop);
        let (seen, end) = (self.seen, self.seen + input.len());
        // Windows that begin among the held samples.
        while self.next * h < seen && self.next * h + w <= end {
            let from = self.next * h;
            let have = self.start + self.held.len();
            if from + w > have {
                self.held
                    .extend_from_slice(&input[have - seen..from + w - seen]);
            }
            f(
                self.next,
                &self.held[from - self.start..from - self.start + w],
            );
            self.next += 1;
        }
        // Windows inside the push.
        while self.next * h + w <= end {
            let at = self.next * h - seen;
            f(self.next, &input[at..at + w]);
            self.next += 1;
        }
        let keep = (self.next * h).clamp(self.start, end);
        if keep >= seen {
            self.held.clear();
            self.held.extend_from_slice(&input[keep - seen..]);
            self.start = keep;
        } else {
            let have = self.start + self.held.len();
            self.held.extend_from_slice(&input[have - seen..]);
            let stale = keep - self.start;
            if stale > 0 && stale >= self.held.len() / 2 {
                self.held.drain(..stale);
                self.start = keep;
            }
        }
        self.seen = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_follow_the_rule_across_blocks() {
        let spec = WindowSpec {
            window: 5,
            hop: 2,
            sample_rate_hz: 10.0,
        };
        let x: Vec<f64> = (0..20).map(f64::from).collect();
        let mut seen = Vec::new();
        let mut s = WindowStream::new(spec);
        for block in x.chunks(3) {
            s.push(block, |k, w| seen.push((k, w.to_vec())));
        }
        assert_eq!(seen.len(), spec.count(20));
        for (k, w) in &seen {
            let expected: Vec<f64> = spec.range(*k).map(|i| i as f64).collect();
            assert_eq!(w, &expected);
        }
    }

    #[test]
    fn every_window_once_in_order_whatever_the_pushes() {
        // Overlapping, touching and gapped windows; pushes shorter and longer than a
        // window, empty ones among them.
        let n = 1000;
        let x: Vec<f64> = (0..n).map(|i| i as f64).collect();
        for (window, hop) in [(50, 25), (50, 50), (7, 13), (1, 1), (200, 3)] {
            let spec = WindowSpec {
                window,
                hop,
                sample_rate_hz: 100.0,
            };
            for seed in 0..6u64 {
                let mut got = Vec::new();
                let mut s = WindowStream::new(spec);
                let (mut at, mut k) = (0, 0);
                while at < n {
                    let u = crate::sim::noise::uniform(100 * seed + k);
                    let len = ((u * 3.0 * window as f64) as usize).min(n - at);
                    s.push(&x[at..at + len], |i, w| got.push((i, w.to_vec())));
                    (at, k) = (at + len, k + 1);
                }
                assert_eq!(got.len(), spec.count(n), "window {window}, hop {hop}");
                for (i, (k, w)) in got.iter().enumerate() {
                    assert_eq!(*k, i);
                    let expected: Vec<f64> = spec.range(*k).map(|i| i as f64).collect();
                    assert_eq!(w, &expected, "window {window}, hop {hop}, seed {seed}");
                }
            }
        }
    }
}
