//! Traces on disk: a signal needed once more at the end of a run (a force channel's
//! low-passed signal for the force onsets; in zero-phase runs an EMG channel's onset test
//! signals) kept in a file instead of in memory, so a live recorder's or `process`'s
//! memory stays flat however long the recording. The file has no name (Linux
//! `O_TMPFILE`, or unlinked as soon as it is created): it goes when the run ends, even
//! after `kill -9`. Samples are written in blocks, the file made with the first (a run
//! keeps dozens of traces: made as the engine is set up, they held up its start by
//! milliseconds; where none can be made, the trace stays in memory); a write that fails
//! is reported and leaves that channel without the metrics the trace serves, never stops
//! the run.
//!
//! A long run codes its smooth onset test signals losslessly ([`TestCoding`]): the
//! traces of a 2-hour 32-channel recording would otherwise pass 5 GB through the page
//! cache, where finding and filling new pages cost a run more time than coding them.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::ops::Range;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::smooth_code;
use crate::engine::trace::{ForceTrace, Kept, Precision};
use crate::montage::Montage;

/// Samples of plain f64 or f32 held before a write (1.6 s at 10 kHz).
const BLOCK_SAMPLES: usize = 16 * 1024;

/// How a run writes the smooth onset test signals (Hodges–Bui, TKEO).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestCoding {
    /// As f32: nothing to compute; best while the traces stay in memory.
    Plain,
    /// In the lossless [`smooth_code`]: about 2.2 bytes a sample instead of 4, for
    /// about 3 ns a sample, coding and decoding together.
    Smooth,
}

impl TestCoding {
    /// The coding for a run of `frames` frames of `channels` channels: coded when its
    /// traces written plain (up to 8 bytes a frame and channel: f64 force signals; two f32
    /// test signals and a pair power an EMG sample) would pass `writeback_bytes`, the
    /// dirty data the kernel keeps in memory before writing it to disk
    /// ([`writeback_threshold`]). Measured on a 2-core VM with 24 GB (threshold 2.4 GB):
    /// coding made a 5-minute 24-channel run (0.15 GB of traces) 7 % slower and a
    /// 30-minute 32-channel one (1.2 GB) 3 % slower, and a 2-hour 32-channel one (5 GB,
    /// written to disk at 300 MB/s as it ran) 8–10 % faster, its kernel time halved.
    pub fn for_run(frames: u64, channels: usize, writeback_bytes: u64) -> TestCoding {
        if frames.saturating_mul(channels as u64 * 8) > writeback_bytes {
            TestCoding::Smooth
        } else {
            TestCoding::Plain
        }
    }
}

/// The bytes of written data the kernel keeps in the page cache before it starts writing
/// them to disk: `vm.dirty_background_bytes`, or `vm.dirty_background_ratio` % of the
/// available memory; 1 GiB where Linux does not say.
pub fn writeback_threshold() -> u64 {
    let read = |path: &str| std::fs::read_to_string(path).ok();
    threshold_from(
        read("/proc/sys/vm/dirty_background_bytes").as_deref(),
        read("/proc/sys/vm/dirty_background_ratio").as_deref(),
        read("/proc/meminfo").as_deref(),
    )
}

/// [`writeback_threshold`] from the texts of the two settings and of `/proc/meminfo`.
fn threshold_from(bytes: Option<&str>, ratio: Option<&str>, meminfo: Option<&str>) -> u64 {
    let number = |text: Option<&str>| text?.trim().parse::<u64>().ok().filter(|v| *v > 0);
    if let Some(bytes) = number(bytes) {
        return bytes;
    }
    let available_kb = number(meminfo.and_then(|m| {
        m.lines()
            .find_map(|l| l.strip_prefix("MemAvailable:"))
            .map(|v| v.trim().trim_end_matches("kB"))
    }));
    match (number(ratio), available_kb) {
        (Some(ratio), Some(kb)) => kb * 1024 / 100 * ratio,
        _ => 1 << 30,
    }
}

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
    /// Where the code goes past `pending`.
    backing: Backing,
    kept: Kept,
    /// How the samples are coded in the file; the encoder's state, for the smooth code.
    coding: Coding,
    /// Bytes in the file.
    written: u64,
    /// The code of the samples not yet written (whole samples only).
    pending: Vec<u8>,
    channel: String,
    problems: Problems,
    failed: bool,
}

/// Where a trace's code goes once a block of it is pending.
enum Backing {
    /// A file to be made in this directory with the first block: on the thread that
    /// writes it, after the run has started, not one after another while the engine is
    /// set up.
    Later(PathBuf),
    /// The file, made.
    File(File),
    /// No file could be made (said once in `problems`): the code stays in `pending`.
    Memory,
}

/// How a trace codes its samples: as they are kept (f64 or f32), or, for the smooth
/// onset test signals, in the lossless [`smooth_code`] (about half the bytes of f32).
enum Coding {
    Double,
    Single,
    Smooth(smooth_code::Encoder),
}

impl Coding {
    fn of(kept: Kept, tests: TestCoding) -> Coding {
        match (kept, kept.precision()) {
            (Kept::OnsetTests, _) if tests == TestCoding::Smooth => {
                Coding::Smooth(smooth_code::Encoder::default())
            }
            (_, Precision::Double) => Coding::Double,
            (_, Precision::Single) => Coding::Single,
        }
    }

    /// Bytes of code gathered before a write: 16 384 samples of plain f64 or f32 (128 kB or
    /// 64 kB; fewer, larger writes: a long `process` writes gigabytes of traces).
    fn block_bytes(&self) -> usize {
        match self {
            Coding::Double => BLOCK_SAMPLES * 8,
            Coding::Single | Coding::Smooth(_) => BLOCK_SAMPLES * 4,
        }
    }

    /// Appends the code of `x` to `bytes`.
    fn encode(&mut self, x: &[f64], bytes: &mut Vec<u8>) {
        match self {
            Coding::Double => put(bytes, x, f64::to_ne_bytes),
            Coding::Single => put(bytes, x, |v| (v as f32).to_ne_bytes()),
            Coding::Smooth(encoder) => encoder.encode(x, bytes),
        }
    }

    /// Bytes a sample, where every sample takes the same (the code can then be read from
    /// any sample on).
    fn width(&self) -> Option<usize> {
        match self {
            Coding::Double => Some(8),
            Coding::Single => Some(4),
            Coding::Smooth(_) => None,
        }
    }

    /// A decoder from the first sample.
    fn decoder(&self) -> Decoding {
        match self {
            Coding::Double => Decoding::Double,
            Coding::Single => Decoding::Single,
            Coding::Smooth(_) => Decoding::Smooth(smooth_code::Decoder::default()),
        }
    }
}

/// Appends the `B` bytes `code` makes of each value of `x` to `bytes`, a few dozen values
/// at a time through a buffer on the stack: the room after the bytes already pending is
/// written once, not zeroed first.
fn put<const B: usize>(bytes: &mut Vec<u8>, x: &[f64], code: impl Fn(f64) -> [u8; B]) {
    const AT_ONCE: usize = 64;
    bytes.reserve(x.len() * B);
    let mut buffer = [0u8; 8 * AT_ONCE];
    for part in x.chunks(AT_ONCE) {
        let coded = &mut buffer[..part.len() * B];
        for (b, v) in coded.chunks_exact_mut(B).zip(part) {
            b.copy_from_slice(&code(*v));
        }
        bytes.extend_from_slice(coded);
    }
}

/// The decoding side of [`Coding`].
enum Decoding {
    Double,
    Single,
    Smooth(smooth_code::Decoder),
}

impl Decoding {
    /// Appends the samples coded whole at the start of `bytes` to `values`; returns the
    /// bytes they took (the rest is a sample or frame cut by the end of `bytes`).
    fn decode(&mut self, bytes: &[u8], values: &mut Vec<f64>) -> io::Result<usize> {
        match self {
            Decoding::Double => {
                let whole = bytes.chunks_exact(8);
                let used = bytes.len() - whole.remainder().len();
                values.extend(whole.map(|b| f64::from_ne_bytes(b.try_into().expect("8 bytes"))));
                Ok(used)
            }
            Decoding::Single => {
                let whole = bytes.chunks_exact(4);
                let used = bytes.len() - whole.remainder().len();
                values.extend(
                    whole.map(|b| f64::from(f32::from_ne_bytes(b.try_into().expect("4 bytes")))),
                );
                Ok(used)
            }
            Decoding::Smooth(decoder) => decoder.decode(bytes, values).map_err(|_| {
                io::Error::new(io::ErrorKind::InvalidData, "the trace file is damaged")
            }),
        }
    }
}

/// Samples coded at a time before the pending code is checked against a block (bounds
/// the pending bytes to a block and a frame of the smooth code).
const ENCODED_AT_ONCE: usize = smooth_code::FRAME;

impl DiskTrace {
    /// A trace for `channel` in an unnamed file in `dir`, made when its first block is
    /// written (where none can be made, the trace is kept in memory, and `problems` says
    /// so), smooth test signals coded as `tests` says.
    pub fn new(
        dir: &Path,
        channel: &str,
        kept: Kept,
        tests: TestCoding,
        problems: Problems,
    ) -> DiskTrace {
        let coding = Coding::of(kept, tests);
        // A block, and what the samples coded at once can add to it (8 bytes each at most).
        let room = coding.block_bytes() + ENCODED_AT_ONCE * 8;
        DiskTrace {
            backing: Backing::Later(dir.to_path_buf()),
            kept,
            coding,
            written: 0,
            pending: Vec::with_capacity(room),
            channel: channel.to_string(),
            problems,
            failed: false,
        }
    }

    /// Writes the pending code to the file (made now if it is the first block); in
    /// memory, keeps it where it is.
    fn write_pending(&mut self) -> io::Result<()> {
        if let Backing::Later(dir) = &self.backing {
            self.backing = match unnamed_file(dir) {
                Ok(file) => Backing::File(file),
                Err(e) => {
                    report(
                        &self.problems,
                        format!(
                            "no file for the {} of {} in {} ({e}): it is kept in memory",
                            self.kept.what(),
                            self.channel,
                            dir.display()
                        ),
                    );
                    Backing::Memory
                }
            };
        }
        let Backing::File(file) = &mut self.backing else {
            return Ok(());
        };
        file.write_all(&self.pending)?;
        self.written += self.pending.len() as u64;
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

impl ForceTrace for DiskTrace {
    fn append(&mut self, x: &[f64]) -> io::Result<()> {
        if self.failed {
            return Err(io::Error::other("an earlier write failed"));
        }
        for part in x.chunks(ENCODED_AT_ONCE) {
            self.coding.encode(part, &mut self.pending);
            if self.pending.len() >= self.coding.block_bytes() {
                if let Err(e) = self.write_pending() {
                    self.fail(&e);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    fn read_range(&self, range: Range<usize>, out: &mut Vec<f64>) -> Option<io::Result<()>> {
        let width = self.coding.width()?;
        if self.failed {
            return Some(Err(incomplete()));
        }
        let (from, to) = (
            range.start.checked_mul(width)?,
            range.end.checked_mul(width)?,
        );
        let written = usize::try_from(self.written).ok()?;
        if from > to || to > written + self.pending.len() {
            return None;
        }
        // The samples' code: what of it is in the file, then what is still pending.
        let mut bytes = vec![0u8; to - from];
        let on_disk = to.min(written).saturating_sub(from);
        if on_disk > 0 {
            let Backing::File(file) = &self.backing else {
                return None;
            };
            if let Err(e) = file.read_exact_at(&mut bytes[..on_disk], from as u64) {
                return Some(Err(e));
            }
        }
        let pending_from = from.max(written) - written;
        let rest = bytes.len() - on_disk;
        bytes[on_disk..].copy_from_slice(&self.pending[pending_from..pending_from + rest]);
        Some(self.coding.decoder().decode(&bytes, out).map(|_| ()))
    }

    fn replay(&self, each: &mut dyn FnMut(&[f64])) -> io::Result<()> {
        if self.failed {
            return Err(incomplete());
        }
        let block = self.coding.block_bytes();
        let mut decoding = self.coding.decoder();
        // A sample or frame cut by the end of one read is kept in front of the next.
        let mut bytes = vec![0u8; block + smooth_code::MAX_FRAME_BYTES];
        let mut cut = 0;
        let mut values = Vec::with_capacity(block / 2);
        let mut done = 0u64;
        // Bytes are written only once a file is made for them.
        if let Backing::File(file) = &self.backing {
            while done < self.written {
                let n = (self.written - done).min(block as u64) as usize;
                file.read_exact_at(&mut bytes[cut..cut + n], done)?;
                done += n as u64;
                values.clear();
                let used = decoding.decode(&bytes[..cut + n], &mut values)?;
                bytes.copy_within(used..cut + n, 0);
                cut = cut + n - used;
                each(&values);
            }
        }
        // The file ends after a whole sample or frame; the pending code follows it.
        if cut != 0 {
            return Err(io::Error::other("the trace file ends inside a sample"));
        }
        values.clear();
        decoding.decode(&self.pending, &mut values)?;
        each(&values);
        Ok(())
    }
}

/// What reading a trace whose writes failed gives.
fn incomplete() -> io::Error {
    io::Error::other("a write failed: the trace is incomplete")
}

/// A trace maker for [`StreamEngine::with_traces`](crate::engine::StreamEngine::with_traces):
/// traces on disk in `dir` for the channels of `montage`, smooth test signals coded as
/// `tests` says, or in memory (said in `problems`) where no file can be made there.
pub fn disk_traces<'a>(
    dir: &'a Path,
    montage: &'a Montage,
    tests: TestCoding,
    problems: &'a Problems,
) -> impl FnMut(usize, Kept) -> Box<dyn ForceTrace> + 'a {
    move |channel, kept| {
        let name = montage
            .channels
            .get(channel)
            .map_or("?", |c| c.name.as_str());
        Box::new(DiskTrace::new(dir, name, kept, tests, problems.clone()))
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

    /// What a trace in memory gives back for `x`: f32 throughout.
    fn as_f32(x: &[f64]) -> Vec<f64> {
        let mut in_memory = Vec::<f32>::new();
        ForceTrace::append(&mut in_memory, x).unwrap();
        let mut back = Vec::new();
        in_memory
            .replay(&mut |b| back.extend_from_slice(b))
            .unwrap();
        back
    }

    #[test]
    fn replays_every_sample_in_order_across_blocks() {
        let dir = std::env::temp_dir();
        let problems = Problems::default();
        // A smooth stretch, then one that changes a lot from sample to sample (most
        // differences of the smooth code long), several blocks of each coding.
        let x: Vec<f64> = (0..BLOCK_SAMPLES * 2 + 123)
            .map(|i| i as f64 * 0.1)
            .chain((0..BLOCK_SAMPLES * 2).map(|i| ((i * 7919 % 1013) as f64 - 500.0) * 1e3))
            .collect();
        let create = |kept, tests| DiskTrace::new(&dir, "c", kept, tests, problems.clone());
        let plain = TestCoding::Plain;
        let mut double = create(Kept::ForceSignal, plain);
        let mut single = create(Kept::OnsetTests, plain);
        let mut powers = create(Kept::OnsetPowers, TestCoding::Smooth);
        let mut coded = create(Kept::OnsetTests, TestCoding::Smooth);
        // Only the smooth test signals are coded: pair powers (squares of raw samples) and
        // force signals stay as they are kept.
        assert!(matches!(coded.coding, Coding::Smooth(_)));
        assert!(matches!(single.coding, Coding::Single));
        assert!(matches!(powers.coding, Coding::Single));
        assert!(matches!(double.coding, Coding::Double));
        for part in x.chunks(5000) {
            for t in [&mut double, &mut single, &mut powers, &mut coded] {
                t.append(part).unwrap();
            }
        }
        assert_eq!(replayed(&double), x);
        // The samples still in memory included, as a trace in memory.
        let want = as_f32(&x);
        for t in [&single, &powers, &coded] {
            assert_eq!(replayed(t), want);
        }
        assert!(problems.lock().unwrap().is_empty());
        // Any stretch of a plain trace reads as replayed: in the file, pending, or across
        // the two; the smooth code is read from its start only.
        let n = x.len();
        assert!(single.written > 0 && !single.pending.is_empty());
        for range in [
            0..0,
            0..10,
            100..BLOCK_SAMPLES + 7,
            2 * BLOCK_SAMPLES..n,
            n - 3..n,
            n..n,
        ] {
            for (t, whole) in [(&double, &x), (&single, &want)] {
                let mut got = vec![-1.0];
                t.read_range(range.clone(), &mut got).unwrap().unwrap();
                assert_eq!(got[1..], whole[range.clone()], "{range:?}");
            }
        }
        assert!(single.read_range(n - 1..n + 1, &mut Vec::new()).is_none());
        assert!(coded.read_range(0..10, &mut Vec::new()).is_none());
    }

    #[test]
    fn a_trace_without_a_file_is_kept_in_memory_and_says_so_once() {
        let problems = Problems::default();
        let dir = std::env::temp_dir().join("myobalance-no-such-directory");
        let mut trace = DiskTrace::new(
            &dir,
            "c",
            Kept::ForceSignal,
            TestCoding::Plain,
            problems.clone(),
        );
        // Nothing is made before the first block is written.
        assert!(matches!(trace.backing, Backing::Later(_)) && problems.lock().unwrap().is_empty());
        let x: Vec<f64> = (0..3 * BLOCK_SAMPLES + 7)
            .map(|i| i as f64 * 0.25)
            .collect();
        for part in x.chunks(999) {
            trace.append(part).unwrap();
        }
        assert_eq!(replayed(&trace), x);
        let told = problems.lock().unwrap().clone();
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(
            told[0].contains("force signal of c") && told[0].contains("kept in memory"),
            "{}",
            told[0]
        );
    }

    #[test]
    fn long_runs_code_their_test_signals() {
        // Where 2.4 GB may wait: 30 minutes of 32 channels at 2 kHz plain, 2 hours coded.
        let limit = 2_400_000_000;
        assert_eq!(TestCoding::for_run(3_600_000, 32, limit), TestCoding::Plain);
        assert_eq!(
            TestCoding::for_run(14_400_000, 32, limit),
            TestCoding::Smooth
        );
        assert_eq!(
            TestCoding::for_run(u64::MAX, 1000, limit),
            TestCoding::Smooth
        );
    }

    #[test]
    fn the_writeback_threshold_follows_the_kernel_settings() {
        let meminfo = "MemTotal:       24683620 kB\nMemAvailable:    1000000 kB\n";
        // A byte count set wins; else the ratio of the available memory.
        assert_eq!(
            threshold_from(Some("5000000\n"), Some("10\n"), Some(meminfo)),
            5_000_000
        );
        assert_eq!(
            threshold_from(Some("0\n"), Some("10\n"), Some(meminfo)),
            102_400_000
        );
        // Nothing readable: 1 GiB.
        assert_eq!(threshold_from(None, Some("10"), None), 1 << 30);
        assert_eq!(threshold_from(None, Some("x"), Some(meminfo)), 1 << 30);
    }
}
