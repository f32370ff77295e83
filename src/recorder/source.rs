//! Where a recording's frames come from. A [`Source`] runs on the reader thread and hands
//! blocks of frames (physical units, rows numbered, lost frames filled) to the ring; the
//! recorder does not know how they were read. Serial devices are [`SerialSource`]s (a
//! port, a protocol from `ingest::protocol`, a montage); the built-in simulated device is
//! a [`SimulatedSource`] (a serial source on a pseudo-terminal the device writes into). A
//! source of another kind (an LSL inlet) is one more implementation of the trait.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use serialport::TTYPort;

use crate::ingest::acquire::{read_port, Assembler, ReaderEnd, ReaderParts, SharedStats};
use crate::ingest::device::SimulatedDevice;
use crate::ingest::pace::Pace;
use crate::ingest::protocol::Protocol;
use crate::ingest::serial::{self, PortError};
use crate::ingest::Decoder;
use crate::montage::Montage;
use crate::ring::Sender;
use crate::sim::{SimError, SimSettings, Simulator};

/// Longest gap a source fills, in seconds of samples: a longer sequence jump is a restarted
/// or different device, not lost frames.
pub const MAX_GAP_S: f64 = 60.0;

/// What a source is, once open.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    /// The recording's channels; its `sample_rate_hz` is set.
    pub montage: Montage,
    /// The device or port, for `/` `source` and the log.
    pub description: String,
    /// For `/raw` `protocol`.
    pub protocol: String,
    /// For `/raw` `port`.
    pub port: String,
    /// The simulated scenario, whose ground truth is stored with what was recorded.
    pub scenario: Option<SimSettings>,
    /// What the device said about itself, or hints for the user; one sentence each.
    pub notes: Vec<String>,
}

/// Everything a source's reader works with.
pub struct Feed<'a> {
    pub ring: &'a mut Sender,
    pub stop: &'a AtomicBool,
    /// Counters published for the status (frames received, corrupt, missing).
    pub stats: &'a SharedStats,
    /// The recording's clock: host seconds are measured from it.
    pub clock: Instant,
    /// Called after each block is handed on (wakes the consumer).
    pub wake: &'a (dyn Fn() + Sync),
    /// When a port's reader reads next: the consumer says when the next feature row is
    /// due.
    pub pace: &'a Pace,
}

/// A source of frames.
pub trait Source: Send {
    /// What it is.
    fn info(&self) -> &SourceInfo;
    /// Reads until `feed.stop` is set or the source ends, handing blocks to `feed.ring`.
    /// Runs on the reader thread.
    fn read(&mut self, feed: Feed<'_>) -> ReaderEnd;
    /// Stops the device after the reader ended (a stop command, a simulator thread).
    fn close(&mut self) {}
}

/// A device on a serial port speaking one of the serial protocols.
pub struct SerialSource {
    port: TTYPort,
    protocol: Protocol,
    decoder: Box<dyn Decoder + Send>,
    assembler: Assembler,
    info: SourceInfo,
}

impl SerialSource {
    /// Opens `path` at `baud` and starts the device's stream (the protocol's handshake).
    /// `montage` describes the device's channels and their scaling; its rate must be set.
    pub fn open(
        path: &str,
        baud: u32,
        protocol: Protocol,
        montage: Montage,
        description: String,
    ) -> Result<SerialSource, PortError> {
        let mut port = serial::open(path, baud)?;
        let mut notes = Vec::new();
        if let Some(banner) = protocol.start(&mut port, path, &montage)? {
            if let Some(first) = banner.lines().next().filter(|l| !l.is_empty()) {
                notes.push(format!("{path}: {first}"));
            }
        }
        let (scale, offset) = protocol.scaling(&montage);
        let fs = montage.sample_rate_hz.unwrap_or(1.0);
        Ok(SerialSource {
            decoder: protocol.decoder(montage.channels.len()),
            assembler: Assembler::new(scale, offset, (MAX_GAP_S * fs).ceil() as u64),
            port,
            protocol,
            info: SourceInfo {
                montage,
                description,
                protocol: protocol.as_str().to_string(),
                port: path.to_string(),
                scenario: None,
                notes,
            },
        })
    }
}

impl Source for SerialSource {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn read(&mut self, feed: Feed<'_>) -> ReaderEnd {
        read_port(
            &mut self.port,
            ReaderParts {
                decoder: self.decoder.as_mut(),
                assembler: &mut self.assembler,
                ring: feed.ring,
                stop: feed.stop,
                stats: feed.stats,
                clock: feed.clock,
                wake: feed.wake,
                pace: feed.pace,
            },
        )
    }

    fn close(&mut self) {
        self.protocol.stop(&mut self.port);
    }
}

/// Why the simulated device could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimulatedError {
    #[error(transparent)]
    Scenario(#[from] SimError),
    #[error("starting the simulated device: {0}")]
    Device(#[from] serialport::Error),
    #[error(transparent)]
    Port(#[from] PortError),
}

/// The built-in simulated device: `frame` bytes at real-time pace into a pseudo-terminal,
/// read back through a [`SerialSource`] exactly as from a USB adapter.
pub struct SimulatedSource {
    serial: SerialSource,
    device: Option<SimulatedDevice>,
}

impl SimulatedSource {
    /// Starts the simulated scenario `settings` on a pseudo-terminal and opens its port.
    pub fn start(settings: SimSettings) -> Result<SimulatedSource, SimulatedError> {
        let mut sim = Simulator::new(&settings)?;
        let montage = sim.montage().clone();
        let channels = sim.channels();
        let device = SimulatedDevice::start(settings.sample_rate_hz, channels, move |counts| {
            sim.fill_counts(counts)
        })?;
        let name = device.port_name().to_string();
        let description = format!("simulated device ({name}, frame protocol)");
        let protocol = Protocol::Frame;
        let mut serial = SerialSource::open(
            &name,
            protocol.default_baud(),
            protocol,
            montage,
            description,
        )?;
        serial.info.scenario = Some(settings);
        Ok(SimulatedSource {
            serial,
            device: Some(device),
        })
    }
}

impl Source for SimulatedSource {
    fn info(&self) -> &SourceInfo {
        &self.serial.info
    }

    fn read(&mut self, feed: Feed<'_>) -> ReaderEnd {
        self.serial.read(feed)
    }

    fn close(&mut self) {
        self.serial.close();
        if let Some(device) = self.device.take() {
            let _ = device.stop();
        }
    }
}
