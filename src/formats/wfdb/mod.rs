//! WFDB records (PhysioNet): a text header ([`header`], `.hea`) beside one or more signal
//! files ([`samples`], `.dat`). The caller reads the header, asks it for
//! [`Header::signal_files`], reads those and calls [`parse`]; this module turns them into
//! an [`Imported`]. Formats 16, 212 and 24 of single-segment records are read.
//!
//! - Physical value = (ADC value − baseline) / gain, in the header's units.
//! - A signal with `xN` in its format has N samples per frame: its rate is N × the frame
//!   rate.
//! - Invalid samples (the most negative value of the format, which WFDB writes where a
//!   signal has no data) cannot reach the engine as NaN: they are filled by linear
//!   interpolation between the nearest valid samples of the same signal (held flat at the
//!   ends), and a warning says how many. The other signals of the record are unaffected,
//!   which is why they are not reported as record-wide gaps.
//! - A skewed signal (`:skew`) starts `skew` frames into its file: those samples are
//!   dropped, so the signal ends `skew` frames early (a warning says so).
//! - A file shorter than `nsamp` frames keeps its complete frames, with a warning; a
//!   checksum that disagrees with the samples of a complete signal is a warning.
//! - `basedate` and `basetime` give the start, without a zone (WFDB times are local), with
//!   milliseconds when `basetime` has a fraction.

pub mod header;
pub mod samples;

pub use header::{parse_header, Header, SignalSpec};

use std::collections::HashMap;

use crate::formats::text::{self, digits};
use crate::formats::{FormatError, Imported, Signal};
use header::FORMAT;

/// Reads the signals of `header` from `files`, the signal files as (name relative to the
/// header's folder, bytes) pairs; `file` names the record in errors.
pub fn parse(
    header: &Header,
    files: &[(&str, &[u8])],
    file: &str,
) -> Result<Imported, FormatError> {
    let err = |location: String, problem: String| {
        FormatError::new(file, FORMAT).at(location).problem(problem)
    };
    let mut warnings = header.warnings.clone();
    let names = header.signal_files();
    let expected = header.frames;

    // Frames available in each file: the record has as many as the shortest file.
    let mut members_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in header.signals.iter().enumerate() {
        members_of.entry(s.file_name.as_str()).or_default().push(i);
    }
    let mut layouts = Vec::with_capacity(names.len());
    for name in &names {
        let members = members_of.remove(name.as_str()).unwrap_or_default();
        let Some(first) = members.first().map(|&i| &header.signals[i]) else {
            continue;
        };
        let format = first.format;
        let bytes = files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| *b)
            .ok_or_else(|| {
                err(
                    format!("header line {}", first.line),
                    format!("the signal file \"{name}\" was not given"),
                )
            })?;
        let offset = usize::try_from(first.byte_offset)
            .ok()
            .filter(|&o| o <= bytes.len())
            .ok_or_else(|| {
                err(
                    format!("header line {}, field \"format\"", first.line),
                    format!(
                        "the byte offset {} is past the end of \"{name}\" ({} bytes)",
                        first.byte_offset,
                        bytes.len()
                    ),
                )
            })?;
        let data = &bytes[offset..];
        let frame_len: usize = members
            .iter()
            .map(|&i| header.signals[i].samples_per_frame as usize)
            .sum();
        let frames = samples::values_in(first.format, data.len()) / frame_len.max(1);
        layouts.push((format, members, data, frame_len, frames));
    }
    let available = layouts.iter().map(|l| l.4).min().unwrap_or(0);
    let frames = match expected {
        Some(n) if (n as u128) <= available as u128 => n as usize,
        Some(n) => {
            warnings.push(format!(
                "the header announces {n} frames but the signal files hold {available} \
                 complete frames; the {available} are read"
            ));
            available
        }
        None => available,
    };
    if layouts.iter().any(|l| l.4 != available) && expected.is_none() {
        warnings.push(format!(
            "the signal files hold different numbers of frames; the shortest ({available}) \
             is read"
        ));
    }
    let complete = expected.is_none_or(|n| n as usize == frames);

    // Decode each file and split its values among its signals.
    let mut digital: Vec<Vec<i32>> = vec![Vec::new(); header.signals.len()];
    let mut values = Vec::new();
    for (format, members, data, frame_len, _) in &layouts {
        values.clear();
        samples::decode(*format, data, frames * frame_len, &mut values);
        for &i in members {
            digital[i].reserve(frames * header.signals[i].samples_per_frame as usize);
        }
        for frame in values.chunks_exact((*frame_len).max(1)) {
            let mut at = 0;
            for &i in members {
                let n = header.signals[i].samples_per_frame as usize;
                digital[i].extend_from_slice(&frame[at..at + n]);
                at += n;
            }
        }
    }

    let mut signals = Vec::with_capacity(header.signals.len());
    for (k, (spec, values)) in header.signals.iter().zip(digital).enumerate() {
        let label = if spec.description.is_empty() {
            format!("sig{k}")
        } else {
            spec.description.clone()
        };
        if let Some(expected) = spec.checksum.filter(|_| complete) {
            let sum = values
                .iter()
                .fold(0i64, |acc, &v| acc.wrapping_add(i64::from(v)));
            if (sum & 0xFFFF) != (expected & 0xFFFF) {
                warnings.push(format!(
                    "signal {k} (\"{label}\"): the samples' checksum ({}) differs from the \
                     header's ({expected}); the file may be damaged",
                    (sum & 0xFFFF) as u16 as i16
                ));
            }
        }
        let skipped = usize::try_from(spec.skew)
            .unwrap_or(usize::MAX)
            .saturating_mul(spec.samples_per_frame as usize)
            .min(values.len());
        if skipped > 0 {
            warnings.push(format!(
                "signal {k} (\"{label}\") is skewed by {} frames: its first {skipped} stored \
                 samples precede the record and are dropped, so it ends early",
                spec.skew
            ));
        }
        let values = &values[skipped..];
        let invalid = samples::invalid_value(spec.format);
        let (physical, filled) = to_physical(values, invalid, spec.baseline, spec.gain);
        if filled > 0 {
            warnings.push(if filled == values.len() {
                format!("signal {k} (\"{label}\"): every sample is marked invalid; it reads as 0")
            } else {
                format!(
                    "signal {k} (\"{label}\"): {filled} samples are marked invalid (value \
                     {invalid}); they are filled by linear interpolation between their valid \
                     neighbours"
                )
            });
        }
        signals.push(Signal {
            label,
            unit: spec.units.clone(),
            rate_hz: header.frequency_hz * f64::from(spec.samples_per_frame),
            samples: physical,
            detail: String::new(),
            emg_transfer: None,
        });
    }

    let recorded_utc = match (&header.base_time, &header.base_date) {
        (Some(time), Some(date)) => {
            let start = iso_start(date, time);
            if start.is_none() {
                warnings.push(format!(
                    "the base date and time \"{date} {time}\" are not a date and time of day: \
                     the start is left out"
                ));
            }
            start
        }
        _ => None,
    };
    Ok(Imported {
        format: "WFDB".to_string(),
        signals,
        recorded_utc,
        subject: None,
        annotations: Vec::new(),
        gaps: Vec::new(),
        sequence: None,
        warnings,
    })
}

/// Physical values of `values` with invalid samples interpolated, and how many were.
fn to_physical(values: &[i32], invalid: i32, baseline: i64, gain: f64) -> (Vec<f32>, usize) {
    let scale = |v: i32| ((i64::from(v) - baseline) as f64 / gain) as f32;
    let mut out: Vec<f32> = Vec::with_capacity(values.len());
    let mut filled = 0;
    // Index of the last valid sample, and where the current run of invalid ones began.
    let mut last_valid: Option<usize> = None;
    let mut run_start: Option<usize> = None;
    for (i, &v) in values.iter().enumerate() {
        if v == invalid {
            filled += 1;
            run_start.get_or_insert(i);
            out.push(0.0);
            continue;
        }
        let y = scale(v);
        if let Some(start) = run_start.take() {
            match last_valid {
                Some(a) => {
                    let ya = out[a];
                    let span = (i - a) as f32;
                    for (j, slot) in out.iter_mut().enumerate().take(i).skip(start) {
                        let t = (j - a) as f32 / span;
                        *slot = ya + (y - ya) * t;
                    }
                }
                None => out[start..i].iter_mut().for_each(|s| *s = y),
            }
        }
        out.push(y);
        last_valid = Some(i);
    }
    if let (Some(start), Some(a)) = (run_start, last_valid) {
        let ya = out[a];
        out[start..].iter_mut().for_each(|s| *s = ya);
    }
    (out, filled)
}

/// WFDB's `basedate` (`DD/MM/YYYY`) and `basetime` (`HH:MM:SS[.s…]`, leading fields
/// optional) as `YYYY-MM-DDTHH:MM:SS[.mmm]`.
fn iso_start(date: &str, time: &str) -> Option<String> {
    let mut d = date.split('/');
    let (day, month, year) = (d.next()?, d.next()?, d.next()?);
    if d.next().is_some() {
        return None;
    }
    let (day, month, year) = (digits(day)?, digits(month)?, digits(year)?);
    if !(1..=31).contains(&day) || !(1..=12).contains(&month) || !(1..=9999).contains(&year) {
        return None;
    }
    let (clock, fraction) = match time.split_once('.') {
        Some((c, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (c, Some(f)),
        Some(_) => return None,
        None => (time, None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut hms = [0u32; 3];
    for (slot, part) in hms[3 - parts.len()..].iter_mut().zip(&parts) {
        *slot = digits(part)?;
    }
    text::iso_local([year, month, day], hms, fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn le16(values: &[i16]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    #[test]
    fn two_files_and_samples_per_frame() {
        let h = parse_header(
            "r 3 100 4 12:00:00 02/03/2024\n\
             a.dat 16 100(10)/uV 16 0 10 640 0 A\n\
             a.dat 16x2 50/mV 16 0 1 36 0 B\n\
             b.dat 16 2 16 0 2 20 0\n",
            "r.hea",
        )
        .unwrap();
        // Frame of a.dat: A, B, B.
        let a = le16(&[10, 1, 2, 110, 3, 4, 210, 5, 6, 310, 7, 8]);
        let b = le16(&[2, 4, 6, 8]);
        let imp = parse(&h, &[("a.dat", &a), ("b.dat", &b)], "r.hea").unwrap();
        assert_eq!(imp.format, "WFDB");
        assert_eq!(imp.recorded_utc.as_deref(), Some("2024-03-02T12:00:00"));
        assert_eq!(imp.signals[0].samples, vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(imp.signals[0].unit, "uV");
        assert_eq!(imp.signals[1].rate_hz, 200.0);
        assert_eq!(
            imp.signals[1].samples,
            vec![0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.14, 0.16]
        );
        assert_eq!(imp.signals[2].label, "sig2");
        assert_eq!(imp.signals[2].samples, vec![1.0, 2.0, 3.0, 4.0]);
        assert!(imp.warnings.is_empty(), "{:?}", imp.warnings);
    }

    #[test]
    fn invalid_samples_are_interpolated() {
        let (y, n) = to_physical(&[-9, 0, 10, -9, -9, 40, -9], -9, 0, 10.0);
        assert_eq!(n, 4);
        assert_eq!(y, vec![0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 4.0]);
        let (y, n) = to_physical(&[-9, -9], -9, 5, 1.0);
        assert_eq!((y, n), (vec![0.0, 0.0], 2));
    }

    #[test]
    fn truncated_file_and_checksum_warnings() {
        let h = parse_header("r 1 10 4\nr.dat 16 1 16 0 0 6 0 X\n", "r.hea").unwrap();
        let imp = parse(&h, &[("r.dat", &le16(&[1, 2, 3]))], "r.hea").unwrap();
        assert_eq!(imp.signals[0].samples, vec![1.0, 2.0, 3.0]);
        assert_eq!(imp.warnings.len(), 1, "{:?}", imp.warnings);
        assert!(imp.warnings[0].contains("4 frames") && imp.warnings[0].contains("3 complete"));
        // Complete but with a wrong checksum.
        let imp = parse(&h, &[("r.dat", &le16(&[1, 2, 3, 5]))], "r.hea").unwrap();
        assert!(imp.warnings[0].contains("checksum"), "{:?}", imp.warnings);
        let imp = parse(&h, &[("r.dat", &le16(&[1, 2, 3, 0]))], "r.hea").unwrap();
        assert!(imp.warnings.is_empty(), "{:?}", imp.warnings);
    }

    #[test]
    fn missing_files_and_offsets_past_the_end_are_errors() {
        let h = parse_header("r 1 10\nr.dat 16+100\n", "r.hea").unwrap();
        let e = parse(&h, &[], "r.hea").unwrap_err();
        assert!(e.message.contains("was not given"), "{e}");
        let e = parse(&h, &[("r.dat", &[0u8; 10])], "r.hea").unwrap_err();
        assert!(e.message.contains("past the end"), "{e}");
        // A header claiming 10¹⁸ frames reads what is there.
        let h = parse_header("r 1 10 1000000000000000000\nr.dat 16\n", "r.hea").unwrap();
        let imp = parse(&h, &[("r.dat", &le16(&[7, 8]))], "r.hea").unwrap();
        assert_eq!(imp.signals[0].samples.len(), 2);
    }

    #[test]
    fn start_dates() {
        assert_eq!(
            iso_start("16/05/1994", "12:48:46").as_deref(),
            Some("1994-05-16T12:48:46")
        );
        assert_eq!(
            iso_start("1/2/2003", "0:0:0.664").as_deref(),
            Some("2003-02-01T00:00:00.664")
        );
        assert_eq!(
            iso_start("1/2/2003", "5:30").as_deref(),
            Some("2003-02-01T00:05:30")
        );
        assert_eq!(iso_start("31/13/2003", "0:0:0"), None);
        assert_eq!(iso_start("1/2/2003", "24:0:0"), None);
        assert_eq!(iso_start("2003-02-01", "0:0:0"), None);
    }

    #[test]
    fn mutated_records_never_panic() {
        let head = "r 2 250 20 10:00:00 01/01/2020\nr.dat 212x2:1+3 200(5)/mV 12 0 0 0 0 A\n\
                    r.dat 212 100 12 0 0 0 0 B\n"
            .as_bytes()
            .to_vec();
        let data: Vec<u8> = (0..93u32).map(|i| (i * 37 % 256) as u8).collect();
        let alphabet = b"0123456789 x:+()/\n#-.~e";
        let mut rng = crate::formats::text::Rng(0x3FDB);
        for _ in 0..3000 {
            let (mut h, mut d) = (head.clone(), data.clone());
            for _ in 0..1 + rng.below(6) {
                let target = if rng.below(2) == 0 { &mut h } else { &mut d };
                if target.is_empty() {
                    continue;
                }
                let at = rng.below(target.len());
                match rng.below(4) {
                    0 => target[at] = alphabet[rng.below(alphabet.len())],
                    1 => target.insert(at, alphabet[rng.below(alphabet.len())]),
                    2 => {
                        target.remove(at);
                    }
                    _ => target.truncate(at),
                }
            }
            let Ok(text) = std::str::from_utf8(&h) else {
                continue;
            };
            if let Ok(header) = parse_header(text, "fuzz.hea") {
                let _ = parse(&header, &[("r.dat", &d)], "fuzz.hea");
            }
        }
    }
}
