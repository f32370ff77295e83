//! Where a recording's bytes come from: a serial port with a montage, or the simulated
//! device on a pseudo-terminal with the simulator's own montage.

use serialport::TTYPort;

use super::{Protocol, RecordSettings, SourceChoice};
use crate::ingest::cyton::{CytonDecoder, CHANNELS as CYTON_CHANNELS, CYTON_UV_PER_COUNT};
use crate::ingest::device::SimulatedDevice;
use crate::ingest::frame::FrameDecoder;
use crate::ingest::serial::{self, cyton_start};
use crate::ingest::text::TextDecoder;
use crate::ingest::Decoder;
use crate::montage::Montage;
use crate::sim::{SimSettings, Simulator};

/// An open source of frames, ready for the reader thread.
pub struct Source {
    pub port: TTYPort,
    pub port_name: String,
    pub decoder: Box<dyn Decoder + Send>,
    pub montage: Montage,
    /// Device counts → physical units, per channel.
    pub scale: Vec<f64>,
    pub offset: Vec<f64>,
    /// For `/` `source`: the device or port.
    pub description: String,
    /// The simulated device, when there is one (stopped after the reader).
    pub device: Option<SimulatedDevice>,
    /// The simulated device's scenario, for the ground truth of what was recorded.
    pub scenario: Option<SimSettings>,
}

/// Opens the source the settings ask for.
pub fn open(settings: &RecordSettings) -> anyhow::Result<Source> {
    match &settings.source {
        SourceChoice::Simulate { rate_hz, seed } => {
            let sim_settings =
                SimSettings::new(settings.duration_s.unwrap_or(3600.0), *rate_hz, *seed);
            let mut sim = Simulator::new(&sim_settings)?;
            let montage = sim.montage().clone();
            let channels = sim.channels();
            let device =
                SimulatedDevice::start(*rate_hz, channels, move |counts| sim.fill_counts(counts))?;
            let port_name = device.port_name().to_string();
            let port = serial::open(&port_name, settings.baud)?;
            Ok(Source {
                port,
                description: format!("simulated device ({port_name}, frame protocol)"),
                port_name,
                decoder: Box::new(FrameDecoder::new()),
                scale: montage.channels.iter().map(|c| c.scale).collect(),
                offset: montage.channels.iter().map(|c| c.offset).collect(),
                montage,
                device: Some(device),
                scenario: Some(sim_settings),
            })
        }
        SourceChoice::Port { path, montage } => {
            let mut port = serial::open(path, settings.baud)?;
            let montage = Montage::clone(montage);
            let scale: Vec<f64> = montage.channels.iter().map(|c| c.scale).collect();
            let offset = montage.channels.iter().map(|c| c.offset).collect();
            let (decoder, scale): (Box<dyn Decoder + Send>, Vec<f64>) = match settings.protocol {
                Protocol::Frame => (Box::new(FrameDecoder::new()), scale),
                Protocol::Text => (
                    Box::new(TextDecoder::with_channels(montage.channels.len())),
                    scale,
                ),
                Protocol::Cyton => {
                    debug_assert_eq!(montage.channels.len(), CYTON_CHANNELS);
                    let banner = cyton_start(&mut port, path)?;
                    if !banner.is_empty() {
                        eprintln!("{path}: {}", banner.lines().next().unwrap_or(""));
                    }
                    let uv = scale.iter().map(|s| s * CYTON_UV_PER_COUNT).collect();
                    (Box::new(CytonDecoder::new()), uv)
                }
            };
            Ok(Source {
                port,
                port_name: path.clone(),
                description: path.clone(),
                decoder,
                montage,
                scale,
                offset,
                device: None,
                scenario: None,
            })
        }
    }
}
