//! Where a streaming channel keeps a signal between the two passes that need the whole of
//! it: a force channel's low-passed samples (the force onsets need the baseline and peak
//! of the whole signal, known only at its end), and in zero-phase runs an EMG channel's
//! onset test signals and their sums over each baseline window (their baseline is the
//! rest of the whole recording). In memory by
//! default; a live recorder and `process` give traces on disk, so their memory stays flat
//! however long the recording.

use std::io;
use std::ops::Range;

/// Samples appended one block after another, replayed in order at the end.
pub trait ForceTrace: Send + Sync {
    /// Appends `x` after the samples already kept.
    fn append(&mut self, x: &[f64]) -> io::Result<()>;

    /// Hands every sample appended so far to `each`, in order, in blocks of any size;
    /// an error when an append failed, so the trace is incomplete.
    fn replay(&self, each: &mut dyn FnMut(&[f64])) -> io::Result<()>;

    /// Appends samples `range` to `out`, as [`ForceTrace::replay`] gives them; `None`
    /// where the trace is read only from its start (a coded one), or the range is not
    /// all appended.
    fn read_range(&self, _range: Range<usize>, _out: &mut Vec<f64>) -> Option<io::Result<()>> {
        None
    }
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

    fn read_range(&self, range: Range<usize>, out: &mut Vec<f64>) -> Option<io::Result<()>> {
        out.extend_from_slice(self.get(range)?);
        Some(Ok(()))
    }
}

/// Samples kept as f32 (half the room), handed back as f64.
impl ForceTrace for Vec<f32> {
    fn append(&mut self, x: &[f64]) -> io::Result<()> {
        self.extend(x.iter().map(|v| *v as f32));
        Ok(())
    }

    fn replay(&self, each: &mut dyn FnMut(&[f64])) -> io::Result<()> {
        let mut block = Vec::with_capacity(REPLAY_BLOCK);
        for part in self.chunks(REPLAY_BLOCK) {
            block.clear();
            block.extend(part.iter().map(|v| f64::from(*v)));
            each(&block);
        }
        Ok(())
    }

    fn read_range(&self, range: Range<usize>, out: &mut Vec<f64>) -> Option<io::Result<()>> {
        out.extend(self.get(range)?.iter().map(|v| f64::from(*v)));
        Some(Ok(()))
    }
}

/// Samples handed to `replay`'s closure at a time from a trace that converts them.
pub const REPLAY_BLOCK: usize = 4096;

/// How precisely a trace keeps its samples: force metrics need every digit (RFD and
/// steadiness are computed from the samples); an onset test signal or pair power is only
/// compared with a threshold, where f32's 7 digits are more than the signal's own precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Double,
    Single,
}

/// What a trace keeps, which sets its precision and what messages call it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// A force channel's low-passed signal.
    ForceSignal,
    /// One of an EMG channel's smooth onset test signals (Hodges–Bui, TKEO).
    OnsetTests,
    /// The powers `y₁² + y₂²` of the pairs of an EMG channel's samples (Bonato's test).
    OnsetPowers,
    /// The sums of an EMG channel's onset test signals over each rest-baseline window
    /// (kept exactly: the baseline is pooled from them).
    OnsetWindows,
}

impl Kept {
    pub fn precision(self) -> Precision {
        match self {
            Kept::ForceSignal | Kept::OnsetWindows => Precision::Double,
            Kept::OnsetTests | Kept::OnsetPowers => Precision::Single,
        }
    }

    /// The trace's contents, for messages.
    pub fn what(self) -> &'static str {
        match self {
            Kept::ForceSignal => "force signal",
            Kept::OnsetTests => "onset test signals",
            Kept::OnsetPowers => "onset pair powers",
            Kept::OnsetWindows => "onset baseline windows",
        }
    }
}

/// Makes the trace of each channel (its montage index) for what it keeps.
pub type TraceMaker<'a> = dyn FnMut(usize, Kept) -> Box<dyn ForceTrace> + 'a;

/// Traces in memory.
pub fn in_memory(_channel: usize, kept: Kept) -> Box<dyn ForceTrace> {
    match kept.precision() {
        Precision::Double => Box::new(Vec::<f64>::new()),
        Precision::Single => Box::new(Vec::<f32>::new()),
    }
}
