//! Cuts streams into the windows of the window rule as samples arrive: window k is handed
//! over as soon as sample kH + W − 1 has been pushed, whatever the block sizes.

use crate::dsp::held::Held;
use crate::dsp::windows::WindowSpec;

/// Window cutter over one stream: a window inside a push is handed over where it lies, one
/// that spans pushes from the samples held ([`Held`]).
#[derive(Debug, Clone)]
pub struct WindowStream {
    spec: WindowSpec,
    held: Held,
    seen: usize,
    next: usize,
}

impl WindowStream {
    pub fn new(spec: WindowSpec) -> WindowStream {
        WindowStream {
            spec,
            held: Held::default(),
            seen: 0,
            next: 0,
        }
    }

    /// Appends the next samples and calls `f(k, window)` for each window they complete.
    pub fn push(&mut self, input: &[f64], mut f: impl FnMut(usize, &[f64])) {
        let (w, h) = (self.spec.window, self.spec.hop);
        let seen = self.seen;
        while self.next * h + w <= seen + input.len() {
            f(self.next, self.held.read(input, seen, self.next * h, w));
            self.next += 1;
        }
        self.held.keep(input, seen, self.next * h, |_| true);
        self.seen += input.len();
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
