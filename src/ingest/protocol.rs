//! The serial protocols a device may speak (DESIGN.md, "Serial protocols"), and what each
//! one fixes: its decoder, the usual speed of its devices, its sample rate and channel
//! count when the protocol fixes them, the factor from its counts to physical units, and
//! the start and stop handshake. The recorder asks these facts of the protocol; nothing
//! else knows them.

use std::io::{Read, Write};

use super::cyton::{CytonDecoder, CHANNELS as CYTON_CHANNELS, CYTON_UV_PER_COUNT};
use super::frame::FrameDecoder;
use super::serial::{cyton_start, cyton_stop, PortError};
use super::text::TextDecoder;
use super::Decoder;

/// Cyton boards stream at this rate.
pub const CYTON_RATE_HZ: f64 = 250.0;

/// A serial protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// myobalance frames: sync, sequence number, i32 counts, CRC-16.
    Frame,
    /// OpenBCI Cyton packets (8 channels, 250 Hz, 24-bit counts).
    Cyton,
    /// ASCII lines of numbers, one sample instant per line.
    Text,
}

impl Protocol {
    /// Every protocol.
    pub const ALL: [Protocol; 3] = [Protocol::Frame, Protocol::Cyton, Protocol::Text];

    /// The name used on the command line and in `/raw` `protocol`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Frame => "frame",
            Protocol::Cyton => "cyton",
            Protocol::Text => "text",
        }
    }

    /// The usual speed of a device speaking this protocol, in baud.
    pub fn default_baud(self) -> u32 {
        match self {
            Protocol::Frame => 921_600,
            Protocol::Cyton | Protocol::Text => 115_200,
        }
    }

    /// The sample rate the protocol fixes, if it does.
    pub fn fixed_rate_hz(self) -> Option<f64> {
        match self {
            Protocol::Cyton => Some(CYTON_RATE_HZ),
            Protocol::Frame | Protocol::Text => None,
        }
    }

    /// The channel count the protocol fixes, if it does.
    pub fn fixed_channels(self) -> Option<usize> {
        match self {
            Protocol::Cyton => Some(CYTON_CHANNELS),
            Protocol::Frame | Protocol::Text => None,
        }
    }

    /// Physical units per device count before the montage's own `scale` (µV per count for
    /// a Cyton; 1 for protocols whose counts are whatever the montage says).
    pub fn unit_per_count(self) -> f64 {
        match self {
            Protocol::Cyton => CYTON_UV_PER_COUNT,
            Protocol::Frame | Protocol::Text => 1.0,
        }
    }

    /// A decoder for a device with `channels` channels.
    pub fn decoder(self, channels: usize) -> Box<dyn Decoder + Send> {
        match self {
            Protocol::Frame => Box::new(FrameDecoder::new()),
            Protocol::Cyton => Box::new(CytonDecoder::new()),
            Protocol::Text => Box::new(TextDecoder::with_channels(channels)),
        }
    }

    /// Starts the device's stream when the protocol has a handshake (the Cyton's `v`,
    /// `$$$`, `b`); returns what the device said about itself, for the log.
    pub fn start<P: Read + Write>(
        self,
        port: &mut P,
        name: &str,
    ) -> Result<Option<String>, PortError> {
        match self {
            Protocol::Cyton => cyton_start(port, name).map(Some),
            Protocol::Frame | Protocol::Text => Ok(None),
        }
    }

    /// Stops the device's stream when the protocol has a command for it; errors are
    /// ignored (the device may be gone).
    pub fn stop<P: Write>(self, port: &mut P) {
        if self == Protocol::Cyton {
            cyton_stop(port);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_of_each_protocol() {
        assert_eq!(Protocol::Cyton.fixed_rate_hz(), Some(250.0));
        assert_eq!(Protocol::Cyton.fixed_channels(), Some(8));
        assert_eq!(Protocol::Frame.fixed_rate_hz(), None);
        assert_eq!(Protocol::Frame.default_baud(), 921_600);
        assert_eq!(Protocol::Text.unit_per_count(), 1.0);
        let names: Vec<&str> = Protocol::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(names, ["frame", "cyton", "text"]);
        assert_eq!(Protocol::Text.decoder(3).channels(), Some(3));
    }
}
