//! Where a streaming force channel keeps its low-passed samples between the two passes of
//! the force metrics (the onsets need the baseline and peak of the whole signal, known
//! only at its end). In memory by default; a live recorder gives one on disk, so its
//! memory stays flat however long it records.

use std::io;

/// Samples appended one block after another, replayed in order at the end.
pub trait ForceTrace: Send {
    /// Appends `x` after the samples already kept.
    fn append(&mut self, x: &[f64]) -> io::Result<()>;

    /// Hands every sample appended so far to `each`, in order, in blocks of any size;
    /// an error when an append failed, so the trace is incomplete.
    fn replay(&self, each: &mut dyn FnMut(&[f64])) -> io::Result<()>;
}

impl ForceTrace for Vec<f64> {
    fn append(&mut self, x: &[f64]) -> io::Result<()> {
        self.extend_from_slice(x);
        Ok(())
    }

    fn replay(&self, each: &mut dyn FnMut(&[f64])) -> io::Result<()> {
        each(self);
        Ok(())
    }
}

/// Makes the trace of each force channel (its montage index).
pub type TraceMaker<'a> = dyn FnMut(usize) -> Box<dyn ForceTrace> + 'a;

/// Traces in memory.
pub fn in_memory(_channel: usize) -> Box<dyn ForceTrace> {
    Box::new(Vec::new())
}
