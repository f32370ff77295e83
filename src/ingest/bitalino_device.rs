//! A simulated BITalino (r)evolution on the master side of a pseudo-terminal pair, for
//! tests, demos and the official Python API as a peer (`scripts/bitalino_peer.py`). A host
//! opens the slave side by its name like the board's serial port.
//!
//! [`BitalinoBoard`] is the board without I/O: it answers command bytes as the board's
//! firmware does (`BITalinoWorld/firmware-bitalino-revolution`, `uart.c`) and makes frames
//! ([`super::bitalino`]). [`SimulatedBitalino`] runs one on a thread, reads commands from the
//! terminal, streams frames at real-time pace while live, and can log every byte it sends
//! and lose frames on purpose (as a Bluetooth link does).
//!
//! What the board answers, while idle:
//! - version (`0x07` or `0x0F`): the version string and `\n`;
//! - sampling rate (`0x03`, `0x43`, `0x83`, `0xC3`): 1, 10, 100, 1000 Hz for the next start
//!   (1000 Hz after power-up);
//! - start (`xxxxxx01`, the analog channel mask in bits 2–7): live; frames carry the
//!   channels on, in ascending order, the sequence number restarting at 0;
//! - battery threshold (`xxxxxx00`): kept, no effect.
//!
//! While live: stop (`0x00` or `0xFF`) returns to idle, and every other command but the
//! digital outputs is ignored. In any mode: digital outputs (`1011 O2 O1 11`, `0xB3`–`0xBF`)
//! set O1 and O2, which the frames report; analog output (`0xA3` then a value byte) is
//! swallowed. Not emulated: the state command (`0x0B`), simulated mode (`xxxxxx10`) and a
//! start with no channel (all ignored).

use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serialport::{SerialPort, TTYPort};

use super::bitalino::{encode_bitalino_frame_into, MAX_CHANNELS, RATES_HZ};

/// The version a simulated board reports: the string in the (r)evolution firmware's
/// source. The official API reads the number after `_v` (≥ 4.2 is a BITalino 2).
pub const DEFAULT_VERSION: &str = "BITalino_v5.1";

/// What the board's inputs read at one sample instant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BitalinoInputs {
    /// 10-bit conversions (0–1023; higher bits are dropped) of A1–A6. A channel at the fifth
    /// or sixth place of a frame is sent as its upper 6 bits, `value >> 4`, as the board
    /// does.
    pub analog: [u16; MAX_CHANNELS],
    /// Digital inputs I1 and I2.
    pub digital: [bool; 2],
}

/// The board's acquisition while live.
#[derive(Debug, Clone)]
struct Live {
    /// Inputs switched on, ascending (the firmware's channel table).
    channels: Vec<usize>,
    rate_hz: u32,
    /// Frames made since the start.
    index: u64,
}

/// A BITalino (r)evolution without I/O: command bytes in, replies and frames out. `inputs`
/// is called once per frame with the frame's index since the start, the sampling rate, and
/// the inputs to fill.
pub struct BitalinoBoard<F> {
    version: String,
    inputs: F,
    rate_hz: u32,
    live: Option<Live>,
    outputs: [bool; 2],
    battery_threshold: u8,
    /// The next byte is the analog output's value.
    pwm_value_next: bool,
    scratch: BitalinoInputs,
}

impl<F: FnMut(u64, u32, &mut BitalinoInputs)> BitalinoBoard<F> {
    /// An idle board at 1000 Hz that reports `version` (without the `\n`).
    pub fn new(version: &str, inputs: F) -> Self {
        BitalinoBoard {
            version: version.to_string(),
            inputs,
            rate_hz: 1000,
            live: None,
            outputs: [false; 2],
            battery_threshold: 0,
            pwm_value_next: false,
            scratch: BitalinoInputs::default(),
        }
    }

    /// The sampling rate of the acquisition while live, else of the next start.
    pub fn rate_hz(&self) -> u32 {
        self.live.as_ref().map_or(self.rate_hz, |l| l.rate_hz)
    }

    /// The channels streamed (ascending), while live.
    pub fn live_channels(&self) -> Option<&[usize]> {
        self.live.as_ref().map(|l| &l.channels[..])
    }

    /// The battery threshold last set (0–63), which a simulated board ignores.
    pub fn battery_threshold(&self) -> u8 {
        self.battery_threshold
    }

    /// Handles one command byte, appending any reply to `out`.
    pub fn receive(&mut self, cmd: u8, out: &mut Vec<u8>) {
        if self.pwm_value_next {
            self.pwm_value_next = false;
            return;
        }
        // Commands of every mode: 1x1xxx11 but not 0xFF.
        if cmd & 0xA3 == 0xA3 && cmd != 0xFF {
            if cmd == 0xA3 {
                self.pwm_value_next = true;
            } else if cmd & 0xF3 == 0xB3 {
                self.set_outputs(cmd);
            }
            return;
        }
        if self.live.is_some() {
            if cmd == 0x00 || cmd == 0xFF {
                self.live = None;
            } else if cmd & 0x03 == 0x03 {
                self.set_outputs(cmd);
            }
            return;
        }
        match cmd & 0x03 {
            0 => self.battery_threshold = cmd >> 2,
            1 => {
                let channels: Vec<usize> = (0..MAX_CHANNELS)
                    .filter(|c| cmd >> (2 + c) & 1 == 1)
                    .collect();
                if !channels.is_empty() {
                    self.live = Some(Live {
                        channels,
                        rate_hz: self.rate_hz,
                        index: 0,
                    });
                }
            }
            2 => {}
            _ => match cmd {
                0x07 | 0x0F => {
                    out.extend_from_slice(self.version.as_bytes());
                    out.push(b'\n');
                }
                0x03 | 0x43 | 0x83 | 0xC3 => self.rate_hz = RATES_HZ[usize::from(cmd >> 6)],
                _ => {}
            },
        }
    }

    fn set_outputs(&mut self, cmd: u8) {
        self.outputs = [cmd & 0x04 != 0, cmd & 0x08 != 0];
    }

    /// Appends the next frame to `out` when live; returns its index since the start.
    pub fn next_frame(&mut self, out: &mut Vec<u8>) -> Option<u64> {
        let live = self.live.as_mut()?;
        let index = live.index;
        (self.inputs)(index, live.rate_hz, &mut self.scratch);
        let mut analog = [0u16; MAX_CHANNELS];
        for (p, &c) in live.channels.iter().enumerate() {
            let v = self.scratch.analog[c] & 0x3FF;
            analog[p] = if p < 4 { v } else { v >> 4 };
        }
        let [i1, i2] = self.scratch.digital;
        let [o1, o2] = self.outputs;
        encode_bitalino_frame_into(
            index as u8,
            [i1, i2, o1, o2],
            &analog[..live.channels.len()],
            out,
        );
        live.index += 1;
        Some(index)
    }
}

/// A deterministic test signal: on each of A1–A6 a sine (its own frequency, amplitude and
/// phase) around mid-scale plus noise, both from `seed`; I1 toggles every 500 frames and
/// I2 every 1250. A pure function of its arguments, so a test can recompute any frame.
///
/// ```
/// use myobalance::ingest::bitalino_device::{test_inputs, BitalinoInputs};
/// let mut a = BitalinoInputs::default();
/// let mut b = BitalinoInputs::default();
/// test_inputs(7, 1234, 1000, &mut a);
/// test_inputs(7, 1234, 1000, &mut b);
/// assert_eq!(a, b);
/// assert!(a.analog.iter().all(|&v| v <= 1023));
/// ```
pub fn test_inputs(seed: u64, index: u64, rate_hz: u32, inputs: &mut BitalinoInputs) {
    let t_s = index as f64 / f64::from(rate_hz.max(1));
    for (c, a) in inputs.analog.iter_mut().enumerate() {
        let k = c as f64;
        let freq_hz = 1.5 + 2.0 * k + (seed % 8) as f64 * 0.25;
        let amplitude = 150.0 + 50.0 * k;
        let phase = unit(mix(seed, 6 + c as u64, 0)) * std::f64::consts::PI;
        let noise = 40.0 * unit(mix(seed, c as u64, index));
        let v = 512.0 + amplitude * (std::f64::consts::TAU * freq_hz * t_s + phase).sin() + noise;
        *a = v.round().clamp(0.0, 1023.0) as u16;
    }
    inputs.digital = [(index / 500) % 2 == 1, (index / 1250) % 2 == 1];
}

/// A SplitMix64 hash of three words.
fn mix(a: u64, b: u64, c: u64) -> u64 {
    let mut z = a
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(b.wrapping_mul(0xD1B5_4A32_D192_ED03))
        .wrapping_add(c.wrapping_mul(0x8CB9_2BA7_2F3D_8DD7));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A hash → uniform in [−1, 1).
fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

/// How a [`SimulatedBitalino`] behaves beyond the board itself.
#[derive(Debug, Clone)]
pub struct BitalinoDeviceOptions {
    /// Reported by the version command (without the `\n`).
    pub version: String,
    /// A file that receives every byte the device sends, in order (written as it goes, so
    /// it is complete up to the last write even if the process is killed).
    pub log: Option<PathBuf>,
    /// Lose every n-th frame (n ≥ 2) after making it, as a Bluetooth link drops packets:
    /// frame k since the start is not sent when (k + 1) is a multiple of n. The sequence
    /// numbers show the loss.
    pub lose_every: Option<u64>,
}

impl Default for BitalinoDeviceOptions {
    fn default() -> Self {
        BitalinoDeviceOptions {
            version: DEFAULT_VERSION.to_string(),
            log: None,
            lose_every: None,
        }
    }
}

/// What a [`SimulatedBitalino`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BitalinoDeviceReport {
    /// Frames made, over every acquisition.
    pub frames: u64,
    /// Of those, frames lost on purpose ([`BitalinoDeviceOptions::lose_every`]).
    pub frames_lost: u64,
    /// Bytes written to the terminal (replies and frames).
    pub bytes_sent: u64,
    /// Acquisitions started.
    pub starts: u64,
}

/// Pause between rounds of the device loop: commands are answered and due frames written
/// at most 1 ms late, as a USB serial adapter delivers data once per 1 ms bus frame.
const TICK: Duration = Duration::from_millis(1);

/// Most frames made in one round when the device has fallen behind (50 ms of data).
const MAX_BURST_S: f64 = 0.05;

/// Bytes waiting for the terminal above which no new frame is made: a host that stops
/// reading delays frames (none is lost on this side) without the backlog growing.
const OUTBOX_LIMIT: usize = 64 * 1024;

/// A running simulated BITalino. Dropping it stops the thread and closes the terminal.
pub struct SimulatedBitalino {
    port_name: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<std::io::Result<BitalinoDeviceReport>>>,
}

impl SimulatedBitalino {
    /// Opens a pseudo-terminal pair and runs an idle board on it; `inputs` as for
    /// [`BitalinoBoard`] (e.g. a closure over [`test_inputs`]).
    pub fn start(
        options: BitalinoDeviceOptions,
        inputs: impl FnMut(u64, u32, &mut BitalinoInputs) + Send + 'static,
    ) -> std::io::Result<SimulatedBitalino> {
        if options.lose_every.is_some_and(|n| n < 2) {
            return Err(std::io::Error::new(
                ErrorKind::InvalidInput,
                "lose_every must be at least 2 (1 would lose every frame)",
            ));
        }
        let log = match &options.log {
            Some(path) => Some(File::create(path).map_err(|e| {
                std::io::Error::new(e.kind(), format!("device log {}: {e}", path.display()))
            })?),
            None => None,
        };
        let (master, slave) = TTYPort::pair()?;
        let port_name = slave
            .name()
            .ok_or_else(|| std::io::Error::other("the pseudo-terminal has no name"))?;
        let master = nonblocking_file(master)?;
        let board = BitalinoBoard::new(&options.version, inputs);
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let lose_every = options.lose_every;
        let thread = std::thread::Builder::new()
            .name("simulated-bitalino".into())
            .spawn(move || {
                // The pair's own slave stays open while the device runs, so the terminal
                // keeps its settings and reads never fail however often the host opens
                // and closes its side.
                let _slave = slave;
                serve(master, board, log, lose_every, &flag)
            })?;
        Ok(SimulatedBitalino {
            port_name,
            stop,
            thread: Some(thread),
        })
    }

    /// The terminal to open (e.g. `/dev/pts/3`).
    pub fn port_name(&self) -> &str {
        &self.port_name
    }

    /// Stops the device and closes the terminal.
    pub fn stop(mut self) -> std::io::Result<BitalinoDeviceReport> {
        self.halt()
    }

    fn halt(&mut self) -> std::io::Result<BitalinoDeviceReport> {
        self.stop.store(true, Ordering::Relaxed);
        match self.thread.take() {
            Some(t) => t
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("simulated BITalino panicked"))),
            None => Ok(BitalinoDeviceReport::default()),
        }
    }
}

impl Drop for SimulatedBitalino {
    fn drop(&mut self) {
        let _ = self.halt();
    }
}

/// The terminal's master side as a plain file in non-blocking mode: reads return at once
/// when no command has come, and writes when the host has stopped reading, so the loop
/// always gets back to its stop flag.
fn nonblocking_file(port: TTYPort) -> std::io::Result<File> {
    use std::os::fd::{FromRawFd, IntoRawFd, OwnedFd};
    let fd = port.into_raw_fd();
    // SAFETY: `into_raw_fd` handed over sole ownership of this open descriptor.
    let file = File::from(unsafe { OwnedFd::from_raw_fd(fd) });
    // SAFETY: fcntl on a descriptor `file` owns, with plain integer flags.
    let ok = unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        flags >= 0 && libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) == 0
    };
    if ok {
        Ok(file)
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Whether an I/O error only means "not now".
fn not_now(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
    )
}

/// The device loop: answer commands, make due frames, write what the terminal takes.
fn serve<F: FnMut(u64, u32, &mut BitalinoInputs)>(
    mut port: File,
    mut board: BitalinoBoard<F>,
    mut log: Option<File>,
    lose_every: Option<u64>,
    stop: &AtomicBool,
) -> std::io::Result<BitalinoDeviceReport> {
    let mut report = BitalinoDeviceReport::default();
    let mut outbox: Vec<u8> = Vec::new();
    let mut frame = Vec::with_capacity(8);
    let mut commands = [0u8; 64];
    // While live: when the acquisition started and the frames made since.
    let mut clock: Option<(Instant, u64)> = None;
    while !stop.load(Ordering::Relaxed) {
        let mut busy = false;
        match port.read(&mut commands) {
            Ok(n) => {
                busy = n > 0;
                for &cmd in &commands[..n] {
                    let was_live = board.live_channels().is_some();
                    board.receive(cmd, &mut outbox);
                    if !was_live && board.live_channels().is_some() {
                        report.starts += 1;
                        clock = Some((Instant::now(), 0));
                    }
                }
            }
            Err(e) if not_now(&e) => {}
            Err(e) => return Err(e),
        }
        if board.live_channels().is_none() {
            clock = None;
        }
        if let Some((start, made)) = clock.as_mut() {
            let rate_hz = f64::from(board.rate_hz());
            let due = (start.elapsed().as_secs_f64() * rate_hz).floor() as u64;
            let burst = ((rate_hz * MAX_BURST_S).ceil() as u64).max(1);
            let n = due.saturating_sub(*made).min(burst);
            if n > 0 && outbox.len() < OUTBOX_LIMIT {
                for _ in 0..n {
                    frame.clear();
                    let Some(k) = board.next_frame(&mut frame) else {
                        break;
                    };
                    report.frames += 1;
                    if lose_every.is_some_and(|m| (k + 1) % m == 0) {
                        report.frames_lost += 1;
                    } else {
                        outbox.extend_from_slice(&frame);
                    }
                }
                *made += n;
            }
        }
        if !outbox.is_empty() {
            match port.write(&outbox) {
                Ok(n) => {
                    if let Some(log) = log.as_mut() {
                        log.write_all(&outbox[..n])?;
                    }
                    report.bytes_sent += n as u64;
                    outbox.drain(..n);
                    busy |= n > 0;
                }
                Err(e) if not_now(&e) => {}
                Err(e) => return Err(e),
            }
        }
        if !busy {
            std::thread::sleep(TICK);
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::super::bitalino::{
        decode_frame, frame_len, sampling_rate_command, start_command, stop_command,
        version_command,
    };
    use super::*;

    fn board() -> BitalinoBoard<impl FnMut(u64, u32, &mut BitalinoInputs)> {
        BitalinoBoard::new(DEFAULT_VERSION, |k, _, inputs: &mut BitalinoInputs| {
            inputs.analog = [k as u16, 1023, 512, 7, 0x3FF, 0x2A5];
            inputs.digital = [true, false];
        })
    }

    #[test]
    fn answers_the_api_sequence() {
        let mut b = board();
        let mut out = Vec::new();
        b.receive(version_command(), &mut out);
        assert_eq!(out, b"BITalino_v5.1\n");
        out.clear();
        b.receive(sampling_rate_command(100).unwrap(), &mut out);
        assert_eq!(b.rate_hz(), 100);
        b.receive(start_command(&[0, 1, 2, 3, 4, 5]).unwrap(), &mut out);
        assert!(out.is_empty());
        // Live: the version command is not answered.
        b.receive(version_command(), &mut out);
        assert!(out.is_empty());
        b.receive(0xB3 | 0x08, &mut out); // O2 on
        for k in 0..20u64 {
            out.clear();
            assert_eq!(b.next_frame(&mut out), Some(k));
            let f = decode_frame(&out, 6).unwrap();
            assert_eq!(u64::from(f.sequence), k % 16);
            assert_eq!(f.digital, [true, false, false, true]);
            assert_eq!(f.analog(), &[k as u16, 1023, 512, 7, 0x3F, 0x2A]);
        }
        b.receive(stop_command(), &mut out);
        assert!(b.live_channels().is_none());
        out.clear();
        assert_eq!(b.next_frame(&mut out), None);
    }

    #[test]
    fn channel_mask_picks_inputs_in_ascending_order() {
        let mut b = board();
        let mut out = Vec::new();
        b.receive(start_command(&[5, 2]).unwrap(), &mut out);
        assert_eq!(b.live_channels(), Some(&[2, 5][..]));
        b.next_frame(&mut out);
        assert_eq!(out.len(), frame_len(2));
        // A6 sits at the second place of the frame: all 10 bits are sent.
        assert_eq!(decode_frame(&out, 2).unwrap().analog(), &[512, 0x2A5]);
    }

    #[test]
    fn idle_commands_and_pwm_value() {
        let mut b = board();
        let mut out = Vec::new();
        b.receive(0xA3, &mut out);
        b.receive(0x07, &mut out); // the analog output's value, not a version request
        assert!(out.is_empty());
        b.receive(30 << 2, &mut out);
        assert_eq!(b.battery_threshold(), 30);
        b.receive(0x01, &mut out); // a start with no channel is ignored
        assert!(b.live_channels().is_none());
        b.receive(0x0F, &mut out);
        assert_eq!(out, b"BITalino_v5.1\n");
    }
}
