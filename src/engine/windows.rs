//! Cuts streams into the windows of the window rule as samples arrive: window k is handed
//! over as soon as sample kH + W − 1 has been pushed, whatever the block sizes.

use crate::dsp::windows::WindowSpec;

/// Window cutter over one stream.
#[derive(Debug, Clone)]
pub struct WindowStream {
    spec: WindowSpec,
    buffer: Vec<f64>,
    /// Absolute index of the first buffered sample.
    start: usize,
    seen: usize,
    next: usize,
}

impl WindowStream {
    pub fn new(spec: WindowSpec) -> WindowStream {
        WindowStream {
            spec,
            buffer: Vec::new(),
            start: 0,
            seen: 0,
            next: 0,
        }
    }

    /// Appends the next samples and calls `f(k, window)` for each window they complete.
    ///
    /// A long input is taken in pieces of a few windows, so the buffer never holds more
    /// than that, whatever the block size (a whole recording arrives as one block).
    pub fn push(&mut self, input: &[f64], mut f: impl FnMut(usize, &[f64])) {
        let piece = (4 * self.spec.window).max(4096);
        for part in input.chunks(piece) {
            self.push_piece(part, &mut f);
        }
    }

    fn push_piece(&mut self, input: &[f64], f: &mut impl FnMut(usize, &[f64])) {
        self.buffer.extend_from_slice(input);
        self.seen += input.len();
        let (w, h) = (self.spec.window, self.spec.hop);
        while self.next * h + w <= self.seen {
            let from = self.next * h - self.start;
            f(self.next, &self.buffer[from..from + w]);
            self.next += 1;
        }
        // Drop samples no future window covers, in large steps to keep pushes cheap.
        let drop = (self.next * h).saturating_sub(self.start);
        if drop > 0 && drop >= self.buffer.len() / 2 {
            let drop = drop.min(self.buffer.len());
            self.buffer.drain(..drop);
            self.start += drop;
        }
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
}
