//! Sensor transfer functions from PLUX's datasheets, for raw ADC counts of BITalino and
//! biosignalsplux devices, and what a channel of counts becomes ([`counts_to_signal`]).
//! Pure functions of the device, the channel's sensor and resolution and the counts; shared
//! by the OpenSignals text reader and the OpenSignals HDF5 reader in `store`, so both read
//! a recording the same way.
//!
//! Only the EMG sensor is converted. Its datasheets give a calibration-free formula:
//!
//! ```text
//! EMG(mV) = (ADC / 2^n − ½) · VCC / G_EMG · 1000
//! ```
//!
//! - BITalino (all boards, `bitalino`, `bitalino_rev`, …): VCC = 3.3 V, G_EMG = 1009
//!   ("Electromyography (EMG) Sensor Data Sheet", BITalino, PLUX; range ±1.64 mV).
//! - biosignalsplux: VCC = 3 V, G_EMG = 1000 ("Electromyography (EMG) User Manual",
//!   biosignalsplux, PLUX 2020; range ±1.5 mV).
//!
//! The accelerometers' datasheets (BITalino "Accelerometer (ACC) Sensor Data Sheet",
//! biosignalsplux "Accelerometer (ACC) User Manual") give
//! `ACC(g) = (ADC − C_min) / (C_max − C_min) · 2 − 1`, which needs per-device calibration
//! values the files do not carry, so accelerometer channels stay in counts.

use crate::formats::{Signal, Transfer};

/// Widest ADC resolution a PLUX channel is read with; wider claims are header errors.
pub const MAX_BITS: u32 = 24;

/// Supply voltage and gain of a device's EMG sensor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EmgSensor {
    /// Operating voltage VCC in volts.
    pub vcc_v: f64,
    /// Sensor gain G_EMG.
    pub gain: f64,
}

/// The EMG sensor of an OpenSignals `device` (`"bitalino"`, `"bitalino_rev"`,
/// `"biosignalsplux"`, case-insensitive); None for devices without a known datasheet.
///
/// ```
/// use myobalance::formats::opensignals::transfer::emg_sensor;
/// assert_eq!(emg_sensor("bitalino_rev").unwrap().gain, 1009.0);
/// assert_eq!(emg_sensor("biosignalsplux").unwrap().vcc_v, 3.0);
/// assert!(emg_sensor("unknown").is_none());
/// ```
pub fn emg_sensor(device: &str) -> Option<EmgSensor> {
    let device = device.trim().to_ascii_lowercase();
    if device.starts_with("bitalino") {
        Some(EmgSensor {
            vcc_v: 3.3,
            gain: 1009.0,
        })
    } else if device == "biosignalsplux" {
        Some(EmgSensor {
            vcc_v: 3.0,
            gain: 1000.0,
        })
    } else {
        None
    }
}

/// Whether `bits` is a resolution the transfer functions accept (1 ..= [`MAX_BITS`]).
pub fn valid_bits(bits: u32) -> bool {
    (1..=MAX_BITS).contains(&bits)
}

/// One count of an EMG channel in mV, by the datasheet formula (module docs); `bits` must
/// satisfy [`valid_bits`].
///
/// ```
/// use myobalance::formats::opensignals::transfer::{emg_mv, emg_sensor};
/// let bitalino = emg_sensor("bitalino").unwrap();
/// // Mid-scale is 0 mV; full scale is +VCC/2/G.
/// assert_eq!(emg_mv(bitalino, 10, 512.0), 0.0);
/// assert!((emg_mv(bitalino, 10, 1024.0) - 1.635282).abs() < 1e-6);
/// ```
pub fn emg_mv(sensor: EmgSensor, bits: u32, count: f64) -> f64 {
    let full_scale = f64::from(1u32 << bits.min(MAX_BITS));
    (count / full_scale - 0.5) * sensor.vcc_v / sensor.gain * 1000.0
}

/// Counts → µV (`count · scale + offset`) of the EMG sensor of `device` at `bits` of
/// resolution, or None for an unknown device or a resolution outside [`valid_bits`].
///
/// ```
/// use myobalance::formats::opensignals::transfer::emg_transfer;
/// let t = emg_transfer("bitalino", 10).unwrap();
/// let uv = 700.0 * t.scale + t.offset;
/// assert!((uv - (700.0 / 1024.0 - 0.5) * 3.3 / 1009.0 * 1e6).abs() < 1e-9);
/// assert!(emg_transfer("bitalino", 0).is_none());
/// assert!(emg_transfer("bitalino", 40).is_none());
/// ```
pub fn emg_transfer(device: &str, bits: u32) -> Option<Transfer> {
    if !valid_bits(bits) {
        return None;
    }
    let sensor = emg_sensor(device)?;
    let uv_per_volt = 1e6;
    let full_scale = f64::from(1u32 << bits);
    Some(Transfer {
        scale: sensor.vcc_v / sensor.gain / full_scale * uv_per_volt,
        offset: -0.5 * sensor.vcc_v / sensor.gain * uv_per_volt,
    })
}

/// Whether an OpenSignals `sensor` name is an EMG sensor (`EMG`, BITalino (r)evolution's
/// `EMGBITREV`, …).
pub fn is_emg_sensor(sensor: &str) -> bool {
    sensor.trim().to_ascii_uppercase().starts_with("EMG")
}

/// A channel of raw ADC `counts` as the OpenSignals readers return it: an EMG sensor of a
/// device with a known formula in mV (unit `mV`); any other channel in counts (unit
/// empty), with the device's EMG formula attached as [`Signal::emg_transfer`] when the
/// sensor is `RAW`. `detail` is the sensor name. The second value is a warning when an EMG
/// sensor has to stay in counts (unknown device or resolution).
///
/// ```
/// use myobalance::formats::opensignals::transfer::counts_to_signal;
/// let (emg, warning) = counts_to_signal("bitalino", "EMG", "A1", 10, 1000.0, &[512.0]);
/// assert_eq!((emg.unit.as_str(), emg.samples[0]), ("mV", 0.0));
/// assert!(warning.is_none());
/// let (raw, _) = counts_to_signal("bitalino", "RAW", "A2", 10, 1000.0, &[512.0]);
/// assert_eq!((raw.unit.as_str(), raw.samples[0]), ("", 512.0));
/// assert!(raw.emg_transfer.is_some());
/// ```
pub fn counts_to_signal(
    device: &str,
    sensor: &str,
    label: &str,
    bits: u32,
    rate_hz: f64,
    counts: &[f64],
) -> (Signal, Option<String>) {
    let mut signal = Signal {
        label: label.to_string(),
        unit: String::new(),
        rate_hz,
        samples: Vec::new(),
        detail: sensor.to_string(),
        emg_transfer: None,
    };
    let mut warning = None;
    match emg_sensor(device).filter(|_| valid_bits(bits)) {
        Some(emg) if is_emg_sensor(sensor) => {
            signal.unit = "mV".into();
            signal.samples = counts
                .iter()
                .map(|&c| emg_mv(emg, bits, c) as f32)
                .collect();
            return (signal, None);
        }
        _ if is_emg_sensor(sensor) => {
            warning = Some(format!(
                "channel \"{label}\" is an EMG sensor of a device (\"{device}\", {bits} bits) \
                 without a known transfer function: it is kept in ADC counts"
            ));
        }
        _ if sensor.trim().eq_ignore_ascii_case("RAW") => {
            signal.emg_transfer = emg_transfer(device, bits);
        }
        _ => {}
    }
    signal.samples = counts.iter().map(|&c| c as f32).collect();
    (signal, warning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transfer_matches_the_formula() {
        for (device, bits) in [
            ("bitalino", 10),
            ("bitalino_rev", 6),
            ("biosignalsplux", 16),
        ] {
            let sensor = emg_sensor(device).unwrap();
            let t = emg_transfer(device, bits).unwrap();
            for count in [0.0, 1.0, 17.0, 63.0, 1023.0, 65535.0] {
                let uv = count * t.scale + t.offset;
                let mv = emg_mv(sensor, bits, count);
                assert!((uv / 1000.0 - mv).abs() < 1e-12, "{device} {bits} {count}");
            }
        }
        // biosignalsplux full scale: ±1.5 mV.
        let plux = emg_sensor("BioSignalsPlux").unwrap();
        assert!((emg_mv(plux, 16, 0.0) + 1.5).abs() < 1e-12);
    }

    #[test]
    fn channels_of_counts() {
        let (s, w) = counts_to_signal("biosignalsplux", "EMG", "CH1", 16, 1000.0, &[0.0, 65536.0]);
        assert_eq!(s.samples, vec![-1.5, 1.5]);
        assert!(w.is_none());
        let (s, w) = counts_to_signal("muscleban", "EMG", "CH1", 16, 1000.0, &[7.0]);
        assert_eq!((s.unit.as_str(), s.samples[0]), ("", 7.0));
        assert!(w.unwrap().contains("kept in ADC counts"));
        let (s, _) = counts_to_signal("bitalino_rev", "ACCBITREV", "A3", 6, 100.0, &[33.0]);
        assert_eq!((s.detail.as_str(), s.samples[0]), ("ACCBITREV", 33.0));
        assert_eq!(s.emg_transfer, None);
        let (s, _) = counts_to_signal("bitalino", "raw", "A1", 10, 100.0, &[1.0]);
        assert_eq!(s.emg_transfer, emg_transfer("bitalino", 10));
    }

    #[test]
    fn sensor_names() {
        assert!(is_emg_sensor("EMG"));
        assert!(is_emg_sensor("emgbitrev"));
        assert!(!is_emg_sensor("RAW"));
        assert!(!is_emg_sensor("ACCBITREV"));
    }
}
