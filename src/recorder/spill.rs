//! Force traces on disk: a live recording keeps each force channel's low-passed signal
//! (needed once more at the end, for the force onsets) in a file beside the recording
//! instead of in memory, so the recorder's memory stays flat however long it runs. The
//! file has no name (Linux `O_TMPFILE`, or unlinked as soon as it is created): it goes
//! when the recorder ends, even after `kill -9`. Samples are written in blocks; a write
//! that fails is reported and leaves that channel without force metrics, never stops the
//! recording (`myobalance process` recomputes them from the file).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::engine::trace::ForceTrace;

/// Samples held before a write: 32 kB per force channel, 0.4 s at 10 kHz.
const BLOCK_SAMPLES: usize = 4096;

/// Problems of the traces of one recording, told at its end.
pub type Problems = Arc<Mutex<Vec<String>>>;

/// One force channel's trace in an unnamed file.
pub struct DiskTrace {
    file: File,
    /// Samples in the file.
    written: u64,
    pending: Vec<f64>,
    /// The bytes of `pending` (reused).
    bytes: Vec<u8>,
    channel: String,
    problems: Problems,
    failed: bool,
}

impl DiskTrace {
    /// A trace for `channel` in a new unnamed file in `dir`.
    pub fn create(dir: &Path, channel: &str, problems: Problems) -> io::Result<DiskTrace> {
        Ok(DiskTrace {
            file: unnamed_file(dir)?,
            written: 0,
            pending: Vec::with_capacity(BLOCK_SAMPLES),
            bytes: Vec::with_capacity(BLOCK_SAMPLES * 8),
            channel: channel.to_string(),
            problems,
            failed: false,
        })
    }

    fn write_pending(&mut self) -> io::Result<()> {
        self.bytes.clear();
        for v in &self.pending {
            self.bytes.extend_from_slice(&v.to_ne_bytes());
        }
        self.file.write_all(&self.bytes)?;
        self.written += self.pending.len() as u64;
        self.pending.clear();
        Ok(())
    }

    fn fail(&mut self, error: &io::Error) {
        if !self.failed {
            self.failed = true;
            self.problems
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(format!(
                    "could not keep the force signal of {} on disk ({error}): its force metrics \
                 are left out; `myobalance process` computes them from the file",
                    self.channel
                ));
        }
    }
}

impl ForceTrace for DiskTrace {
    fn append(&mut self, x: &[f64]) -> io::Result<()> {
        if self.failed {
            return Err(io::Error::other("an earlier write failed"));
        }
        let mut rest = x;
        while !rest.is_empty() {
            let take = (BLOCK_SAMPLES - self.pending.len()).min(rest.len());
            self.pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.pending.len() == BLOCK_SAMPLES {
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
        let mut bytes = vec![0u8; BLOCK_SAMPLES * 8];
        let mut values = Vec::with_capacity(BLOCK_SAMPLES);
        let mut done = 0u64;
        while done < self.written {
            let n = (self.written - done).min(BLOCK_SAMPLES as u64) as usize;
            self.file.read_exact_at(&mut bytes[..n * 8], done * 8)?;
            values.clear();
            values.extend(
                bytes[..n * 8]
                    .chunks_exact(8)
                    .map(|b| f64::from_ne_bytes(b.try_into().expect("8 bytes"))),
            );
            each(&values);
            done += n as u64;
        }
        each(&self.pending);
        Ok(())
    }
}

/// A file in `dir` with no name: `O_TMPFILE` where the file system has it, else a new
/// file removed at once.
fn unnamed_file(dir: &Path) -> io::Result<File> {
    let tmpfile = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_TMPFILE)
        .mode(0o600)
        .open(dir);
    if let Ok(file) = tmpfile {
        return Ok(file);
    }
    let path: PathBuf = dir.join(format!(".myobalance-force-{}.tmp", std::process::id()));
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

    #[test]
    fn replays_every_sample_in_order_across_blocks() {
        let dir = std::env::temp_dir();
        let problems = Problems::default();
        let mut t = DiskTrace::create(&dir, "f", problems.clone()).unwrap();
        let x: Vec<f64> = (0..BLOCK_SAMPLES * 2 + 123)
            .map(|i| i as f64 * 0.5)
            .collect();
        for part in x.chunks(5000) {
            t.append(part).unwrap();
        }
        let mut back = Vec::new();
        t.replay(&mut |b| back.extend_from_slice(b)).unwrap();
        assert_eq!(back, x);
        assert!(problems.lock().unwrap().is_empty());
    }
}
