//! `myobalance record (--port PATH --montage M.toml | --simulate) [--protocol
//! frame|cyton|text] [--baud N] --out FILE.h5 [--duration SECONDS] [--live]`: a live
//! recording.
//!
//! Three threads: the reader (port → decoder → scaling and gap filling → ring), the
//! consumer on the main thread (ring → file and causal engine, status line or live view),
//! and, with `--simulate`, the simulated device writing frames into a pseudo-terminal.
//! The file is a valid format v1 file while it grows (SWMR, flushed at least every
//! 0.5 s); a clean stop completes it with counters, events and summary.
//!
//! Stops: `--duration` reached, Ctrl-C / SIGTERM / SIGHUP, `q` in the live view (exit 0);
//! the device unplugged or the port failing (exit 1, file complete for what arrived).

mod run;
mod session;
mod signals;
mod source;
mod status;
mod view;

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Outcome, UsageError};
use crate::ingest::cyton::CHANNELS as CYTON_CHANNELS;
use crate::montage::Montage;

/// Cyton boards stream at this rate (DESIGN.md "Serial protocols").
pub const CYTON_RATE_HZ: f64 = 250.0;

/// The serial protocols a device may speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Protocol {
    /// myobalance frames: sync, sequence number, i32 counts, CRC-16.
    Frame,
    /// OpenBCI Cyton packets (8 channels, 250 Hz).
    Cyton,
    /// ASCII lines of numbers, one sample instant per line.
    Text,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Frame => "frame",
            Protocol::Cyton => "cyton",
            Protocol::Text => "text",
        }
    }

    /// The usual speed of a device speaking this protocol.
    pub fn default_baud(self) -> u32 {
        match self {
            Protocol::Frame => 921_600,
            Protocol::Cyton | Protocol::Text => 115_200,
        }
    }
}

/// Options of `myobalance record`.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Serial port of the device, e.g. /dev/ttyUSB0 (needs --montage).
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "simulate",
        requires = "montage"
    )]
    pub port: Option<String>,
    /// Montage TOML describing the device's channels (with --port).
    #[arg(long, value_name = "M.toml", conflicts_with = "simulate")]
    pub montage: Option<PathBuf>,
    /// Record from the built-in simulated device (frame protocol over a pseudo-terminal).
    #[arg(long)]
    pub simulate: bool,
    /// The device's protocol.
    #[arg(long, value_enum, default_value_t = Protocol::Frame)]
    pub protocol: Protocol,
    /// Baud rate (default: 921600 for frame, 115200 for cyton and text).
    #[arg(long, value_name = "N")]
    pub baud: Option<u32>,
    /// Output file (.h5); an existing file is never overwritten.
    #[arg(long, value_name = "FILE.h5")]
    pub out: PathBuf,
    /// Stop after this many seconds of samples (default: until Ctrl-C).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub duration: Option<f64>,
    /// Full-screen live view (needs a terminal).
    #[arg(long)]
    pub live: bool,
    /// Sample rate of the simulated device in Hz (with --simulate).
    #[arg(
        long,
        value_name = "HZ",
        default_value_t = 2000.0,
        requires = "simulate"
    )]
    pub rate: f64,
    /// Seed of the simulated device (with --simulate).
    #[arg(long, default_value_t = 1, requires = "simulate")]
    pub seed: u64,
}

/// Where the frames come from.
#[derive(Debug, Clone)]
pub enum SourceChoice {
    Simulate { rate_hz: f64, seed: u64 },
    Port { path: String, montage: Box<Montage> },
}

/// `record`'s flags, checked.
#[derive(Debug, Clone)]
pub struct RecordSettings {
    pub source: SourceChoice,
    pub protocol: Protocol,
    pub baud: u32,
    pub out: PathBuf,
    pub duration_s: Option<f64>,
    pub live: bool,
}

impl RecordArgs {
    /// Validates the flags and loads the montage (exit code 2 for every problem here).
    pub fn settings(self) -> anyhow::Result<RecordSettings> {
        let usage = |m: String| -> anyhow::Error { UsageError(m).into() };
        match self
            .out
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("h5" | "hdf5") => {}
            _ => {
                return Err(usage(format!(
                    "--out {}: a recording is an HDF5 file; the name must end in .h5",
                    self.out.display()
                )))
            }
        }
        if self.out.exists() {
            return Err(usage(format!(
                "--out {}: the file exists; a recording never replaces one (choose another \
                 name or remove it)",
                self.out.display()
            )));
        }
        if let Some(parent) = self.out.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !parent.is_dir() {
                return Err(usage(format!(
                    "--out {}: the directory {} does not exist",
                    self.out.display(),
                    parent.display()
                )));
            }
        }
        if let Some(d) = self.duration {
            if !(d.is_finite() && d > 0.0) {
                return Err(usage(format!(
                    "--duration {d}: give a positive number of seconds"
                )));
            }
        }
        let source = match (self.simulate, self.port) {
            (true, _) => {
                if self.protocol != Protocol::Frame {
                    return Err(usage(
                        "--simulate: the simulated device speaks the frame protocol only".into(),
                    ));
                }
                if !(self.rate.is_finite() && self.rate >= 500.0 && self.rate <= 100_000.0) {
                    return Err(usage(format!(
                        "--rate {}: the simulated device runs at 500 to 100000 Hz",
                        self.rate
                    )));
                }
                SourceChoice::Simulate {
                    rate_hz: self.rate,
                    seed: self.seed,
                }
            }
            (false, Some(path)) => {
                let file = self
                    .montage
                    .ok_or_else(|| usage("--port needs --montage M.toml".into()))?;
                let montage = port_montage(&file, self.protocol)?;
                SourceChoice::Port {
                    path,
                    montage: Box::new(montage),
                }
            }
            (false, None) => {
                return Err(usage(
                    "give --port PATH --montage M.toml, or --simulate".into(),
                ))
            }
        };
        Ok(RecordSettings {
            source,
            protocol: self.protocol,
            baud: self.baud.unwrap_or(self.protocol.default_baud()),
            out: self.out,
            duration_s: self.duration,
            live: self.live,
        })
    }
}

/// Loads the montage of a device on a port and checks it against the protocol.
fn port_montage(file: &std::path::Path, protocol: Protocol) -> anyhow::Result<Montage> {
    let mut montage = Montage::load(file)?;
    let shown = file.display();
    if protocol == Protocol::Cyton {
        if montage.channels.len() != CYTON_CHANNELS {
            return Err(UsageError(format!(
                "{shown}: a Cyton sends {CYTON_CHANNELS} channels, the montage has {}",
                montage.channels.len()
            ))
            .into());
        }
        match montage.sample_rate_hz {
            None => montage.sample_rate_hz = Some(CYTON_RATE_HZ),
            Some(r) if (r - CYTON_RATE_HZ).abs() > 1e-9 => {
                return Err(UsageError(format!(
                    "{shown}: sample_rate_hz = {r}, but a Cyton streams at {CYTON_RATE_HZ} Hz"
                ))
                .into())
            }
            Some(_) => {}
        }
    } else if montage.sample_rate_hz.is_none() {
        return Err(UsageError(format!(
            "{shown}: sample_rate_hz is required for a device on a port (the {} protocol does \
             not carry it)",
            protocol.as_str()
        ))
        .into());
    }
    Ok(montage)
}

/// Runs a recording.
pub fn run(args: RecordArgs) -> anyhow::Result<Outcome> {
    run::record(args.settings()?)
}
