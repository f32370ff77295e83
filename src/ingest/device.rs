//! The simulated serial device of `record --simulate`: a thread that writes `frame`
//! protocol bytes (DESIGN.md "Serial protocols") at real-time pace into the master side
//! of a pseudo-terminal pair. The recorder opens the slave side by its name, like any
//! port, so the whole serial path (port, decoder, ring, engine, file) runs.

use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serialport::{SerialPort, TTYPort};

use super::frame::encode_frame_into;

/// Shortest pause between writes: like a USB device, which delivers data once per 1 ms
/// bus frame, the simulated device writes what is due at most once a millisecond.
const TICK: Duration = Duration::from_millis(1);

/// Most frames written in one go when the writer has fallen behind (50 ms of data), so a
/// stalled reader never makes one huge write.
const MAX_BURST_S: f64 = 0.05;

/// Writes frames of `channels` counts from `fill` at `rate_hz` into `out`, paced by the
/// monotonic clock, until `stop` is set, `limit` frames are written, or a write fails
/// (the reader side closed). Sequence numbers start at 0. Returns the frames written.
///
/// A write that times out (the reader is slow; the terminal's buffer is full) is retried,
/// so no frame is lost on this side.
pub fn pace_frames<W: Write>(
    out: &mut W,
    rate_hz: f64,
    channels: usize,
    mut fill: impl FnMut(&mut [i32]),
    stop: &AtomicBool,
    limit: Option<u64>,
) -> std::io::Result<u64> {
    let start = Instant::now();
    let max_burst = ((rate_hz * MAX_BURST_S).ceil() as u64).max(1);
    let mut sent = 0u64;
    let mut counts = Vec::new();
    let mut bytes = Vec::new();
    while !stop.load(Ordering::Relaxed) && limit.is_none_or(|l| sent < l) {
        let due = (start.elapsed().as_secs_f64() * rate_hz).floor() as u64;
        let due = limit.map_or(due, |l| due.min(l));
        if due <= sent {
            let next = Duration::from_secs_f64((sent + 1) as f64 / rate_hz);
            let wait = next.saturating_sub(start.elapsed());
            std::thread::sleep(wait.max(TICK));
            continue;
        }
        let n = (due - sent).min(max_burst) as usize;
        counts.resize(n * channels, 0);
        fill(&mut counts);
        bytes.clear();
        for (k, frame) in counts.chunks_exact(channels.max(1)).enumerate() {
            encode_frame_into((sent + k as u64) as u32, frame, &mut bytes);
        }
        write_patiently(out, &bytes, stop)?;
        sent += n as u64;
    }
    Ok(sent)
}

/// `write_all` that retries timeouts and interruptions until `stop` is set.
fn write_patiently<W: Write>(
    out: &mut W,
    mut bytes: &[u8],
    stop: &AtomicBool,
) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match out.write(bytes) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::TimedOut | ErrorKind::Interrupted | ErrorKind::WouldBlock
                ) =>
            {
                if e.kind() == ErrorKind::WouldBlock {
                    // The terminal's buffer is full: wait for the reader.
                    std::thread::sleep(Duration::from_micros(500));
                }
                if stop.load(Ordering::Relaxed) {
                    return Ok(());
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Makes writes to the terminal's master side return at once when its buffer is full: a
/// blocking write would wait for a reader forever once the recorder has stopped reading,
/// and the device could not be stopped.
fn set_nonblocking(port: &TTYPort) -> Result<(), serialport::Error> {
    use std::os::fd::AsRawFd;
    let fd = port.as_raw_fd();
    // SAFETY: fcntl on a descriptor this port owns, with plain integer flags.
    let ok = unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        flags >= 0 && libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) == 0
    };
    if ok {
        Ok(())
    } else {
        let e = std::io::Error::last_os_error();
        Err(serialport::Error::new(
            serialport::ErrorKind::Io(e.kind()),
            e.to_string(),
        ))
    }
}

/// A running simulated device. Dropping it stops the thread and closes the terminal, which
/// the recorder sees as the device being unplugged.
pub struct SimulatedDevice {
    port_name: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<std::io::Result<u64>>>,
}

impl SimulatedDevice {
    /// Opens a pseudo-terminal pair and starts writing frames of `channels` counts from
    /// `fill` at `rate_hz` into it.
    pub fn start(
        rate_hz: f64,
        channels: usize,
        fill: impl FnMut(&mut [i32]) + Send + 'static,
    ) -> Result<SimulatedDevice, serialport::Error> {
        let (mut master, slave) = TTYPort::pair()?;
        set_nonblocking(&master)?;
        let port_name = slave.name().ok_or_else(|| {
            serialport::Error::new(serialport::ErrorKind::Unknown, "pty has no name")
        })?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("simulated-device".into())
            .spawn(move || {
                // The pair's own slave stays open while the device runs, so the terminal
                // keeps its settings whatever the recorder does with its handle.
                let _slave = slave;
                pace_frames(&mut master, rate_hz, channels, fill, &flag, None)
            })
            .map_err(|e| {
                serialport::Error::new(serialport::ErrorKind::Io(e.kind()), e.to_string())
            })?;
        Ok(SimulatedDevice {
            port_name,
            stop,
            thread: Some(thread),
        })
    }

    /// The terminal to open (e.g. `/dev/pts/3`).
    pub fn port_name(&self) -> &str {
        &self.port_name
    }

    /// Stops writing and closes the terminal; returns the frames written.
    pub fn stop(mut self) -> std::io::Result<u64> {
        self.halt()
    }

    fn halt(&mut self) -> std::io::Result<u64> {
        self.stop.store(true, Ordering::Relaxed);
        match self.thread.take() {
            Some(t) => t
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("simulated device panicked"))),
            None => Ok(0),
        }
    }
}

impl Drop for SimulatedDevice {
    fn drop(&mut self) {
        let _ = self.halt();
    }
}
