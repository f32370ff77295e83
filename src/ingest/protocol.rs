//! The serial protocols a device may speak (DESIGN.md, "Serial protocols"), and what each
//! one fixes: its decoder, the usual speed of its devices, its sample rate and channel
//! count when the protocol fixes them, the factor from its counts to physical units, and
//! the start and stop handshake. The recorder asks these facts of the protocol; nothing
//! else knows them.

use std::io::{Read, Write};

use super::bitalino::{self, BitalinoDecoder};
use super::bitalino_link::{bitalino_start, bitalino_stop};
use super::cyton::{CytonDecoder, CHANNELS as CYTON_CHANNELS, CYTON_UV_PER_COUNT};
use super::frame::FrameDecoder;
use super::serial::{cyton_start, cyton_stop, PortError};
use super::text::TextDecoder;
use super::Decoder;
use crate::montage::{Kind, Montage};

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
    /// BITalino (r)evolution frames: 1–6 analog inputs (10-bit A1–A4, 6-bit A5–A6), a
    /// 4-bit sequence and a CRC-4 in the last byte; 1, 10, 100 or 1000 Hz set by the host.
    Bitalino,
}

impl Protocol {
    /// Every protocol.
    pub const ALL: [Protocol; 4] = [
        Protocol::Frame,
        Protocol::Cyton,
        Protocol::Text,
        Protocol::Bitalino,
    ];

    /// The name used on the command line and in `/raw` `protocol`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Frame => "frame",
            Protocol::Cyton => "cyton",
            Protocol::Text => "text",
            Protocol::Bitalino => "bitalino",
        }
    }

    /// The usual speed of a device speaking this protocol, in baud.
    pub fn default_baud(self) -> u32 {
        match self {
            Protocol::Frame => 921_600,
            Protocol::Cyton | Protocol::Text => 115_200,
            Protocol::Bitalino => bitalino::BAUD,
        }
    }

    /// The sample rate the protocol fixes, if it does.
    pub fn fixed_rate_hz(self) -> Option<f64> {
        match self {
            Protocol::Cyton => Some(CYTON_RATE_HZ),
            Protocol::Frame | Protocol::Text | Protocol::Bitalino => None,
        }
    }

    /// The channel count the protocol fixes, if it does.
    pub fn fixed_channels(self) -> Option<usize> {
        match self {
            Protocol::Cyton => Some(CYTON_CHANNELS),
            Protocol::Frame | Protocol::Text | Protocol::Bitalino => None,
        }
    }

    /// Whether a device with `channels` channels at `rate_hz` can speak this protocol;
    /// why not when it cannot.
    pub fn fits(self, channels: usize, rate_hz: f64) -> Result<(), String> {
        if let Some(fixed) = self.fixed_channels().filter(|&c| c != channels) {
            return Err(format!(
                "a {} device sends {fixed} channels, the montage has {channels}",
                self.as_str()
            ));
        }
        if let Some(fixed) = self.fixed_rate_hz().filter(|&r| (r - rate_hz).abs() > 1e-9) {
            return Err(format!(
                "sample_rate_hz = {rate_hz}, but a {} device streams at {fixed} Hz",
                self.as_str()
            ));
        }
        if self == Protocol::Bitalino {
            if !(1..=bitalino::MAX_CHANNELS).contains(&channels) {
                return Err(format!(
                    "a BITalino streams 1 to {} analog inputs (A1…A6), the montage has {channels}",
                    bitalino::MAX_CHANNELS
                ));
            }
            if !bitalino::RATES_HZ.iter().any(|&r| f64::from(r) == rate_hz) {
                return Err(format!(
                    "sample_rate_hz = {rate_hz}, but a BITalino samples at 1, 10, 100 or 1000 Hz"
                ));
            }
        }
        Ok(())
    }

    /// Each channel's counts → physical units, `value = count · scale + offset`: the
    /// montage's `scale` and `offset`, on top of the Cyton's µV per count; for a BITalino,
    /// an EMG channel the montage leaves unscaled gets the EMG sensor's datasheet transfer
    /// function (µV) for the resolution of its place in the frame.
    pub fn scaling(self, montage: &Montage) -> (Vec<f64>, Vec<f64>) {
        montage
            .channels
            .iter()
            .enumerate()
            .map(|(k, c)| match self {
                Protocol::Cyton => (c.scale * CYTON_UV_PER_COUNT, c.offset),
                Protocol::Bitalino
                    if c.kind == Kind::Emg
                        && c.scale == 1.0
                        && c.offset == 0.0
                        && k < bitalino::MAX_CHANNELS =>
                {
                    let bits = bitalino::resolution_bits(k);
                    let offset = bitalino::emg_uv(0.0, bits);
                    (bitalino::emg_uv(1.0, bits) - offset, offset)
                }
                Protocol::Frame | Protocol::Text | Protocol::Bitalino => (c.scale, c.offset),
            })
            .unzip()
    }

    /// A decoder for a device with `channels` channels (see [`Protocol::fits`]: a
    /// BITalino's count is clamped to its 1–6).
    pub fn decoder(self, channels: usize) -> Box<dyn Decoder + Send> {
        match self {
            Protocol::Frame => Box::new(FrameDecoder::new()),
            Protocol::Cyton => Box::new(CytonDecoder::new()),
            Protocol::Text => Box::new(TextDecoder::with_channels(channels)),
            Protocol::Bitalino => Box::new(
                BitalinoDecoder::new(channels.clamp(1, bitalino::MAX_CHANNELS))
                    .expect("1 to 6 channels is a BITalino's range"),
            ),
        }
    }

    /// Starts the device's stream when the protocol has a handshake (the Cyton's `v`,
    /// `$$$`, `b`; the BITalino's stop, version, rate and start commands); returns what the
    /// device said about itself, for the log.
    pub fn start<P: Read + Write>(
        self,
        port: &mut P,
        name: &str,
        montage: &Montage,
    ) -> Result<Option<String>, PortError> {
        match self {
            Protocol::Cyton => cyton_start(port, name).map(Some),
            Protocol::Bitalino => {
                let rate = montage.sample_rate_hz.unwrap_or(0.0).round() as u32;
                bitalino_start(port, name, rate, montage.channels.len()).map(Some)
            }
            Protocol::Frame | Protocol::Text => Ok(None),
        }
    }

    /// Stops the device's stream when the protocol has a command for it; errors are
    /// ignored (the device may be gone).
    pub fn stop<P: Write>(self, port: &mut P) {
        match self {
            Protocol::Cyton => cyton_stop(port),
            Protocol::Bitalino => bitalino_stop(port),
            Protocol::Frame | Protocol::Text => {}
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
        let names: Vec<&str> = Protocol::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(names, ["frame", "cyton", "text", "bitalino"]);
        assert!(Protocol::Bitalino.fits(4, 1000.0).is_ok());
        assert!(Protocol::Bitalino
            .fits(7, 1000.0)
            .unwrap_err()
            .contains("1 to 6"));
        assert!(Protocol::Bitalino
            .fits(2, 500.0)
            .unwrap_err()
            .contains("1000 Hz"));
        assert!(Protocol::Cyton.fits(8, 250.0).is_ok());
        assert!(Protocol::Cyton.fits(4, 250.0).is_err());
        assert_eq!(Protocol::Text.decoder(3).channels(), Some(3));
    }

    #[test]
    fn bitalino_emg_counts_become_microvolts_by_the_datasheet() {
        let text = "sample_rate_hz = 1000.0\nmains_hz = 50\n\
                    [[channels]]\nname = \"emg\"\nkind = \"emg\"\n\
                    [[channels]]\nname = \"acc\"\nkind = \"accel\"\n\
                    [[channels]]\nname = \"e3\"\nkind = \"emg\"\n\
                    [[channels]]\nname = \"e4\"\nkind = \"emg\"\n\
                    [[channels]]\nname = \"e5\"\nkind = \"emg\"\n";
        let m = Montage::from_toml_str(text, "t").unwrap();
        let (scale, offset) = Protocol::Bitalino.scaling(&m);
        let uv = |k: usize, count: f64| count * scale[k] + offset[k];
        assert!((uv(0, 700.0) - bitalino::emg_uv(700.0, 10)).abs() < 1e-9);
        assert_eq!((scale[1], offset[1]), (1.0, 0.0), "not EMG: counts");
        assert!(
            (uv(4, 40.0) - bitalino::emg_uv(40.0, 6)).abs() < 1e-9,
            "6-bit place"
        );
        let (cyton, _) = Protocol::Cyton.scaling(&m);
        assert_eq!(cyton[0], CYTON_UV_PER_COUNT);
    }
}
