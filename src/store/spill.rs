//! Traces on disk: a signal needed once more at the end of a run (a force channel's
//! low-passed signal for the force onsets; in zero-phase runs an EMG channel's onset test
//! signals) kept in a file instead of in memory, so a live recorder's or `process`'s
//! memory stays flat however long the recording. The file has no name (Linux
//! `O_TMPFILE`, or unlinked as soon as it is created): it goes when the run ends, even
//! after `kill -9`. Samples are written in blocks; a write that fails is reported and
//! leaves that channel without the metrics the trace serves, never stops the run.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::engine::trace::{in_memory, ForceTrace, Kept, Precision};
use crate::montage::Montage;

/// Samples held before a write: 128 kB per trace at f64, 1.6 s at 10 kHz (fewer, larger
/// writes: a long `process` writes gigabytes of traces).
const BLOCK_SAMPLES: usize = 16 * 1024;

/// Problems of the traces of one run, told at its end.
pub type Problems = Arc<Mutex<Vec<String>>>;

fn report(problems: &Problems, message: String) {
    problems
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(message);
}

/// One channel's trace in an unnamed file.
pub struct DiskTrace {
    file: File,
    kept: Kept,
    /// Samples in the file.
    written: u64,
    /// The samples not yet written, already in the file's encoding.
    pending: Vec<u8>,
    channel: String,
    problems: Problems,
    failed: bool,
}

impl DiskTrace {
    /// A trace for `channel` in a new unnamed file in `dir`.
    pub fn create(
        dir: &Path,
        channel: &str,
        kept: Kept,
        problems: Problems,
    ) -> io::Result<DiskTrace> {
        Ok(DiskTrace {
            file: unnamed_file(dir)?,
            kept,
            written: 0,
            pending: Vec::with_capacity(BLOCK_SAMPLES * width(kept.precision())),
            channel: channel.to_string(),
            problems,
            failed: false,
        })
    }

    fn write_pending(&mut self) -> io::Result<()> {
        self.file.write_all(&self.pending)?;
        self.written += (self.pending.len() / width(self.kept.precision())) as u64;
        self.pending.clear();
        Ok(())
    }

    fn fail(&mut self, error: &io::Error) {
        if !self.failed {
            self.failed = true;
            report(
                &self.problems,
                format!(
                    "could not keep the {} of {} on disk ({error}): the metrics it serves are \
                     left out (`myobalance process` computes them again from the recording)",
                    self.kept.what(),
                    self.channel
                ),
            );
        }
    }
}

/// Bytes per sample in the file.
fn width(precision: Precision) -> usize {
    match precision {
        Precision::Double => 8,
        Precision::Single => 4,
    }
}

/// Appends the samples `x` to `bytes` as the file keeps them.
fn encode(precision: Precision, x: &[f64], bytes: &mut Vec<u8>) {
    let start = bytes.len();
    bytes.resize(start + x.len() * width(precision), 0);
    let out = &mut bytes[start..];
    match precision {
        Precision::Double => {
            for (b, v) in out.chunks_exact_mut(8).zip(x) {
                b.copy_from_slice(&v.to_ne_bytes());
            }
        }
        Precision::Single => {
            for (b, v) in out.chunks_exact_mut(4).zip(x) {
                b.copy_from_slice(&(*v as f32).to_ne_bytes());
            }
        }
    }
}

/// The samples `bytes` hold, as f64, into `values` (cleared first).
fn decode(precision: Precision, bytes: &[u8], values: &mut Vec<f64>) {
    values.clear();
    match precision {
        Precision::Double => values.extend(
            bytes
                .chunks_exact(8)
                .map(|b| f64::from_ne_bytes(b.try_into().expect("8 bytes"))),
        ),
        Precision::Single => values.extend(
            bytes
                .chunks_exact(4)
                .map(|b| f64::from(f32::from_ne_bytes(b.try_into().expect("4 bytes")))),
        ),
    }
}

impl ForceTrace for DiskTrace {
    fn append(&mut self, x: &[f64]) -> io::Result<()> {
        if self.failed {
            return Err(io::Error::other("an earlier write failed"));
        }
        let width = width(self.kept.precision());
        let mut rest = x;
        while !rest.is_empty() {
            let take = (BLOCK_SAMPLES - self.pending.len() / width).min(rest.len());
            encode(self.kept.precision(), &rest[..take], &mut self.pending);
            rest = &rest[take..];
            if self.pending.len() == BLOCK_SAMPLES * width {
                if let Err(e) = self.write_pending() {
                    self.fail(&e);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    fn replay(&self, each: &mut dyn FnMut(&[f64])) -> io::Result<()> {
        if self.failed {
            return Err(io::Error::other("a write failed: the trace is incomplete"));
        }
        let width = width(self.kept.precision());
        let mut bytes = vec![0u8; BLOCK_SAMPLES * width];
        let mut values = Vec::with_capacity(BLOCK_SAMPLES);
        let mut done = 0u64;
        while done < self.written {
            let n = (self.written - done).min(BLOCK_SAMPLES as u64) as usize;
            let part = &mut bytes[..n * width];
            self.file.read_exact_at(part, done * width as u64)?;
            decode(self.kept.precision(), part, &mut values);
            each(&values);
            done += n as u64;
        }
        decode(self.kept.precision(), &self.pending, &mut values);
        each(&values);
        Ok(())
    }
}

/// A trace maker for [`StreamEngine::with_traces`](crate::engine::StreamEngine::with_traces):
/// traces on disk in `dir` for the channels of `montage`, or in memory (said in
/// `problems`) where no file can be made there.
pub fn disk_traces<'a>(
    dir: &'a Path,
    montage: &'a Montage,
    problems: &'a Problems,
) -> impl FnMut(usize, Kept) -> Box<dyn ForceTrace> + 'a {
    move |channel, kept| {
        let name = montage
            .channels
            .get(channel)
            .map_or("?", |c| c.name.as_str());
        match DiskTrace::create(dir, name, kept, problems.clone()) {
            Ok(trace) => Box::new(trace),
            Err(e) => {
                report(
                    problems,
                    format!(
                        "no file for the {} of {name} in {} ({e}): it is kept in memory",
                        kept.what(),
                        dir.display()
                    ),
                );
                in_memory(channel, kept)
            }
        }
    }
}

/// A file in `dir` with no name: `O_TMPFILE` where the file system has it, else a new
/// file removed at once.
fn unnamed_file(dir: &Path) -> io::Result<File> {
    static MADE: AtomicUsize = AtomicUsize::new(0);
    let tmpfile = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_TMPFILE)
        .mode(0o600)
        .open(dir);
    if let Ok(file) = tmpfile {
        return Ok(file);
    }
    let n = MADE.fetch_add(1, Ordering::Relaxed);
    let path: PathBuf = dir.join(format!(".myobalance-trace-{}-{n}.tmp", std::process::id()));
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replayed(t: &DiskTrace) -> Vec<f64> {
        let mut back = Vec::new();
        t.replay(&mut |b| back.extend_from_slice(b)).unwrap();
        back
    }

    #[test]
    fn replays_every_sample_in_order_across_blocks() {
        let dir = std::env::temp_dir();
        let problems = Problems::default();
        let x: Vec<f64> = (0..BLOCK_SAMPLES * 2 + 123)
            .map(|i| i as f64 * 0.1)
            .collect();
        let mut double = DiskTrace::create(&dir, "f", Kept::ForceSignal, problems.clone()).unwrap();
        let mut single = DiskTrace::create(&dir, "e", Kept::OnsetTests, problems.clone()).unwrap();
        for part in x.chunks(5000) {
            double.append(part).unwrap();
            single.append(part).unwrap();
        }
        assert_eq!(replayed(&double), x);
        // f32 throughout, the samples still in memory included: as a trace in memory.
        let mut in_memory = Vec::<f32>::new();
        ForceTrace::append(&mut in_memory, &x).unwrap();
        let mut want = Vec::new();
        in_memory
            .replay(&mut |b| want.extend_from_slice(b))
            .unwrap();
        assert_eq!(replayed(&single), want);
        assert!(problems.lock().unwrap().is_empty());
    }
}
