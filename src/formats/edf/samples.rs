//! Data records → physical samples: each ordinary signal's slice of every record decoded
//! (16-bit little-endian for EDF, 24-bit little-endian two's complement for BDF) and
//! calibrated as physical = (d − dmin)·(pmax − pmin)/(dmax − dmin) + pmin, which also
//! covers inverted ranges (pmin > pmax). Signals are decoded in parallel, one per rayon
//! task; each is computed the same way on any thread, so the result does not depend on
//! the number of threads.

use rayon::prelude::*;

use super::header::{Family, Header, SignalHeader};
use crate::formats::Signal;

/// A signal's calibration as one multiply and one add, in f64 so the f32 result is the
/// correctly rounded physical value up to a few f64 ulps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Calibration {
    pub gain: f64,
    pub offset: f64,
}

impl Calibration {
    /// physical = d · gain + offset, equal to (d − dmin)·(pmax − pmin)/(dmax − dmin) + pmin.
    pub fn of(signal: &SignalHeader) -> Calibration {
        let digital_span = (signal.digital_max - signal.digital_min) as f64;
        let gain = (signal.physical_max - signal.physical_min) / digital_span;
        Calibration {
            gain,
            offset: signal.physical_min - signal.digital_min as f64 * gain,
        }
    }
}

/// The ordinary (non-annotation) signals of `data`, which holds exactly `records`
/// complete data records.
pub(super) fn decode(header: &Header, data: &[u8], records: usize) -> Vec<Signal> {
    let ordinary: Vec<&SignalHeader> = header.signals.iter().filter(|s| !s.annotations).collect();
    let mut signals: Vec<Signal> = ordinary
        .iter()
        .map(|s| Signal {
            label: s.label.clone(),
            unit: s.unit.clone(),
            rate_hz: s.samples_per_record as f64 / header.record_duration_s,
            samples: Vec::new(),
            detail: detail(s),
            emg_transfer: None,
        })
        .collect();
    signals
        .par_iter_mut()
        .zip(ordinary.par_iter())
        .for_each(|(signal, spec)| {
            signal.samples = decode_signal(header, spec, data, records);
        });
    signals
}

/// Transducer type and prefiltering, joined by "; " when both are given.
fn detail(signal: &SignalHeader) -> String {
    match (signal.transducer.is_empty(), signal.prefiltering.is_empty()) {
        (false, false) => format!("{}; {}", signal.transducer, signal.prefiltering),
        (false, true) => signal.transducer.clone(),
        (true, false) => signal.prefiltering.clone(),
        (true, true) => String::new(),
    }
}

/// One signal's samples from every record, in time order.
pub(super) fn decode_signal(
    header: &Header,
    spec: &SignalHeader,
    data: &[u8],
    records: usize,
) -> Vec<f32> {
    let per_record = spec.samples_per_record;
    let record_bytes = header.record_bytes;
    if per_record == 0 || record_bytes == 0 {
        return Vec::new();
    }
    // `records` complete records are present, so this is bounded by the file's size.
    let mut out = vec![0.0f32; records.saturating_mul(per_record)];
    let calibration = Calibration::of(spec);
    let start = spec.record_offset;
    let end = start.saturating_add(spec.record_span(header.family));
    for (record, dst) in data
        .chunks_exact(record_bytes)
        .zip(out.chunks_exact_mut(per_record))
    {
        let Some(src) = record.get(start..end) else {
            continue;
        };
        match header.family {
            Family::Edf => decode_16(src, dst, calibration),
            Family::Bdf => decode_24(src, dst, calibration),
        }
    }
    out
}

/// 16-bit little-endian samples.
fn decode_16(src: &[u8], dst: &mut [f32], c: Calibration) {
    for (d, s) in dst.iter_mut().zip(src.chunks_exact(2)) {
        if let [lo, hi] = *s {
            *d = (f64::from(i16::from_le_bytes([lo, hi])) * c.gain + c.offset) as f32;
        }
    }
}

/// 24-bit little-endian two's complement samples: the three bytes go to the top of an
/// i32 and an arithmetic shift brings the sign down.
fn decode_24(src: &[u8], dst: &mut [f32], c: Calibration) {
    for (d, s) in dst.iter_mut().zip(src.chunks_exact(3)) {
        if let [b0, b1, b2] = *s {
            let value = i32::from_le_bytes([0, b0, b1, b2]) >> 8;
            *d = (f64::from(value) * c.gain + c.offset) as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(pmin: f64, pmax: f64, dmin: i64, dmax: i64) -> SignalHeader {
        SignalHeader {
            label: "EMG".into(),
            transducer: String::new(),
            unit: "uV".into(),
            prefiltering: String::new(),
            physical_min: pmin,
            physical_max: pmax,
            digital_min: dmin,
            digital_max: dmax,
            samples_per_record: 1,
            annotations: false,
            record_offset: 0,
        }
    }

    #[test]
    fn calibration_maps_the_digital_ends_to_the_physical_ends() {
        for (pmin, pmax) in [(-3200.0, 3200.0), (500.0, -500.0), (0.0, 1.0)] {
            let c = Calibration::of(&spec(pmin, pmax, -32768, 32767));
            assert!((-32768.0 * c.gain + c.offset - pmin).abs() < 1e-9 * pmax.abs().max(1.0));
            assert!((32767.0 * c.gain + c.offset - pmax).abs() < 1e-9 * pmax.abs().max(1.0));
        }
    }

    #[test]
    fn twenty_four_bit_sign_extension() {
        let c = Calibration {
            gain: 1.0,
            offset: 0.0,
        };
        let mut out = [0.0f32; 4];
        decode_24(
            &[
                0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x80, 0xFF, 0xFF, 0xFF, 1, 0, 0,
            ],
            &mut out,
            c,
        );
        assert_eq!(out, [8_388_607.0, -8_388_608.0, -1.0, 1.0]);
        let mut out = [0.0f32; 2];
        decode_16(&[0x00, 0x80, 0xFF, 0x7F], &mut out, c);
        assert_eq!(out, [-32768.0, 32767.0]);
    }
}
