//! OpenSignals text files (PLUX: BITalino, biosignalsplux): line 1
//! `# OpenSignals Text File Format`, line 2 `# ` and a JSON object describing each device
//! (`header.rs`), `# EndOfHeader`, then one row of tab-separated integers per sample. This
//! module owns reading them into an [`Imported`]; the sensor formulas live in
//! [`transfer`] (shared with the HDF5 reader in `store`).
//!
//! - Every analog channel becomes a signal at its device's rate; `nSeq` and the digital
//!   columns do not. Labels are the header's `label`s (a label used by several devices
//!   gets ` (<address>)` appended); `detail` is the channel's `sensor`.
//! - EMG sensors of a device with a datasheet formula are converted to mV (unit `mV`).
//!   Every other channel stays in ADC counts (unit empty); `RAW` channels carry the
//!   device's EMG formula in [`Signal::emg_transfer`] for a montage that says they are EMG.
//! - The first device's `nSeq` counter gives the gaps: a jump of `d` modulo the counter's
//!   range (16 for BITalino's 4-bit counter; `2^bits` when the header gives the column's
//!   bits; otherwise the smallest power of two above the largest value seen, at least 16)
//!   is a gap of `d − 1` samples, a repeat one of a full turn less one.
//! - `date` and `time` of the first device give the start, without a zone (OpenSignals
//!   writes the computer's local time).

mod header;
pub mod transfer;

use std::collections::HashMap;

use crate::formats::text::{self, digits, shorten};
use crate::formats::{FormatError, Imported, SequenceCounts, Signal, TimeGap};
use header::{parse_devices, Device};
use transfer::counts_to_signal;

/// The format name in errors.
const FORMAT: &str = "OpenSignals text";
/// The format name in [`Imported::format`].
const IMPORTED_FORMAT: &str = "OpenSignals";
/// The first line of every OpenSignals text file.
const MAGIC: &[u8] = b"# OpenSignals Text File Format";
/// The line that ends the header.
const END_OF_HEADER: &str = "# EndOfHeader";
/// BITalino's `nSeq` is 4 bits wide (BITalino (r)evolution frame: 4-bit sequence + CRC).
pub const BITALINO_SEQUENCE_BITS: u32 = 4;
/// Smallest counter range assumed when the header does not give the `nSeq` bits.
const MIN_SEQUENCE_RANGE: u64 = 16;

/// Whether `head` (the first bytes of a file) is an OpenSignals text file.
///
/// ```
/// use myobalance::formats::opensignals::is_opensignals;
/// assert!(is_opensignals(b"# OpenSignals Text File Format\n# {}"));
/// assert!(!is_opensignals(b"%OpenBCI Raw EXG Data"));
/// ```
pub fn is_opensignals(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    head.starts_with(MAGIC)
}

/// Reads an OpenSignals text file. `file` names it in errors.
pub fn parse(bytes: &[u8], file: &str) -> Result<Imported, FormatError> {
    let err = |location: String, problem: String| {
        FormatError::new(file, FORMAT).at(location).problem(problem)
    };
    if !is_opensignals(bytes) {
        return Err(err(
            "line 1".into(),
            "the file does not start with \"# OpenSignals Text File Format\"".into(),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut lines = numbered_lines(bytes);

    // Header: the JSON line and the end marker.
    let mut devices: Option<Vec<Device>> = None;
    let mut ended = false;
    for (number, line) in lines.by_ref() {
        let line = line.map_err(|p| err(format!("line {number}"), p))?;
        let line = line.trim_end();
        if line == END_OF_HEADER {
            ended = true;
            break;
        }
        if devices.is_none() {
            if let Some(json) = line.strip_prefix('#').map(str::trim_start) {
                if json.starts_with('{') {
                    let parsed = parse_devices(json).map_err(|(at, problem)| {
                        err(format!("header line {number} (JSON){at}"), problem)
                    })?;
                    devices = Some(parsed);
                }
            }
        }
        if !line.starts_with('#') {
            return Err(err(
                format!("line {number}"),
                "the header ends without \"# EndOfHeader\"".into(),
            ));
        }
    }
    let devices = devices.ok_or_else(|| {
        err(
            "header line 2".into(),
            "no JSON description of the devices (\"# {…}\")".into(),
        )
    })?;
    if !ended {
        return Err(err(
            "header".into(),
            "no \"# EndOfHeader\" line: the file is truncated in its header".into(),
        ));
    }
    let mut warnings = Vec::new();

    // Where each device's columns start in a row.
    let mut starts = Vec::with_capacity(devices.len());
    let mut width = 0usize;
    for d in &devices {
        starts.push(width);
        width += d.columns.len();
    }

    // Rows: analog channels (as counts or converted values) and the first nSeq.
    // Each row holds `width` fields of at least two bytes, which bounds the rows.
    let rows_bound = bytes.len() / (2 * width.max(1)) + 1;
    let mut channels: Vec<Vec<f64>> = Vec::new();
    // Per column: the channel it feeds, and the range of its counts (None: any number).
    let mut slots: Vec<Option<usize>> = vec![None; width];
    let mut range: Vec<Option<u64>> = vec![None; width];
    let names: Vec<&str> = devices
        .iter()
        .flat_map(|d| d.columns.iter().map(String::as_str))
        .collect();
    for (d, &start) in devices.iter().zip(&starts) {
        for a in &d.analog {
            slots[start + a.column] = Some(channels.len());
            range[start + a.column] = (!d.converted).then(|| 1u64 << a.bits);
            channels.push(Vec::with_capacity(rows_bound));
        }
    }
    if channels.is_empty() {
        return Err(err(
            "header line 2 (JSON)".into(),
            "no device lists an analog channel (\"sensor\" is empty)".into(),
        ));
    }
    let sequence_at = devices
        .first()
        .and_then(|d| d.sequence.map(|(column, _)| column));
    let mut sequence: Vec<u64> = Vec::new();
    let mut rows = 0u64;
    for (number, line) in lines {
        let line = line.map_err(|p| err(format!("line {number}"), p))?;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut count = 0;
        for (i, field) in line.split_whitespace().enumerate() {
            count = i + 1;
            if i >= width {
                continue;
            }
            let column_at = || format!("line {number}, column {} (\"{}\")", i + 1, names[i]);
            let value = parse_value(field, range[i]).map_err(|p| err(column_at(), p))?;
            if let Some(slot) = slots[i] {
                channels[slot].push(value);
            }
            if Some(i) == sequence_at {
                if value < 0.0 || value.fract() != 0.0 || value > u32::MAX as f64 {
                    return Err(err(
                        column_at(),
                        format!("the sequence number {field} is not a whole number ≥ 0"),
                    ));
                }
                sequence.push(value as u64);
            }
        }
        if count != width {
            return Err(err(
                format!("line {number}"),
                format!("{count} fields, but the header describes {width} columns"),
            ));
        }
        rows += 1;
    }
    if rows == 0 {
        return Err(err(
            "data".into(),
            "no data rows after \"# EndOfHeader\"".into(),
        ));
    }

    // Signals.
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for a in devices.iter().flat_map(|d| &d.analog) {
        *uses.entry(a.label.as_str()).or_default() += 1;
    }
    let repeated = |label: &str| uses.get(label).is_some_and(|&n| n > 1);
    let mut signals = Vec::with_capacity(channels.len());
    let mut values = channels.into_iter();
    for d in &devices {
        for a in &d.analog {
            let raw = values.next().unwrap_or_default();
            let label = if repeated(&a.label) {
                format!("{} ({})", a.label, d.address)
            } else {
                a.label.clone()
            };
            let signal = if d.converted {
                Signal {
                    label,
                    unit: String::new(),
                    rate_hz: d.rate_hz,
                    samples: raw.iter().map(|&v| v as f32).collect(),
                    detail: a.sensor.clone(),
                    emg_transfer: None,
                }
            } else {
                let (signal, warning) =
                    counts_to_signal(&d.kind, &a.sensor, &label, a.bits, d.rate_hz, &raw);
                warnings.extend(warning);
                signal
            };
            signals.push(signal);
        }
    }
    if devices.iter().any(|d| d.converted) {
        warnings.push(
            "the file holds values OpenSignals already converted (convertedValues = 1); they \
             are kept as written, without units"
                .into(),
        );
    }

    // Gaps from the first device's counter.
    let (gaps, sequence_counts) = match devices.first() {
        Some(first) if !sequence.is_empty() => {
            let bits = first.sequence.and_then(|(_, bits)| bits).or_else(|| {
                first
                    .kind
                    .to_ascii_lowercase()
                    .starts_with("bitalino")
                    .then_some(BITALINO_SEQUENCE_BITS)
            });
            let modulus = match bits {
                Some(b) => 1u64 << b.min(32),
                None => sequence_range(&sequence),
            };
            let (gaps, missing) = counter_gaps(&sequence, modulus, first.rate_hz);
            let counts = SequenceCounts {
                frames_received: rows,
                frames_missing: missing,
            };
            (gaps, Some(counts))
        }
        _ => {
            warnings.push("no \"nSeq\" column: gaps are not checked".into());
            (Vec::new(), None)
        }
    };

    let recorded_utc = devices.first().and_then(|d| {
        let (date, time) = (d.date.as_deref()?, d.time.as_deref()?);
        let start = iso_local(date, time);
        if start.is_none() {
            warnings.push(format!(
                "the start \"{date}\" \"{time}\" is not a date and time: it is left out"
            ));
        }
        start
    });
    Ok(Imported {
        format: IMPORTED_FORMAT.to_string(),
        signals,
        recorded_utc,
        subject: None,
        annotations: Vec::new(),
        gaps,
        sequence: sequence_counts,
        warnings,
    })
}

/// A field as a number: an integer in `0..range` for counts, any finite number otherwise.
fn parse_value(field: &str, range: Option<u64>) -> Result<f64, String> {
    match range {
        Some(range) => {
            let count: i64 = field
                .parse()
                .map_err(|_| format!("\"{}\" is not a whole number", shorten(field)))?;
            if count < 0 || count as u64 >= range {
                return Err(format!(
                    "{count} is outside the channel's range 0–{} (its resolution in the \
                     header)",
                    range - 1
                ));
            }
            Ok(count as f64)
        }
        None => field
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && v.abs() <= f64::from(f32::MAX))
            .ok_or_else(|| {
                format!(
                    "\"{}\" is not a number myobalance stores (finite, within ±3.4·10³⁸)",
                    shorten(field)
                )
            }),
    }
}

/// The smallest power of two above every value, at least [`MIN_SEQUENCE_RANGE`]: the
/// counter's range when the header does not give it.
fn sequence_range(values: &[u64]) -> u64 {
    let max = values.iter().copied().max().unwrap_or(0);
    max.saturating_add(1)
        .checked_next_power_of_two()
        .unwrap_or(u64::MAX)
        .max(MIN_SEQUENCE_RANGE)
}

/// Gaps (and the count of missing samples) from a counter modulo `modulus`.
pub fn counter_gaps(values: &[u64], modulus: u64, rate_hz: f64) -> (Vec<TimeGap>, u64) {
    let mut gaps = Vec::new();
    let mut missing_total = 0u64;
    for (row, pair) in values.windows(2).enumerate() {
        let (last, now) = (pair[0] % modulus, pair[1] % modulus);
        let jump = (now + modulus - last) % modulus;
        let missing = if jump == 0 { modulus - 1 } else { jump - 1 };
        if missing > 0 {
            missing_total = missing_total.saturating_add(missing);
            gaps.push(TimeGap {
                at_s: (row + 1) as f64 / rate_hz,
                missing_s: missing as f64 / rate_hz,
            });
        }
    }
    (gaps, missing_total)
}

/// OpenSignals' `date` (`2016-6-11`) and `time` (`7:5:4.409`) as
/// `2016-06-11T07:05:04.409` (a fraction padded or cut to milliseconds); None when they
/// are not a date and a time of day.
pub fn iso_local(date: &str, time: &str) -> Option<String> {
    let mut d = date.trim().split('-');
    let (y, m, day) = (d.next()?, d.next()?, d.next()?);
    if d.next().is_some() {
        return None;
    }
    let mut t = time.trim().split(':');
    let (h, min, s) = (t.next()?, t.next()?, t.next()?);
    if t.next().is_some() {
        return None;
    }
    let (s, fraction) = match s.split_once('.') {
        Some((s, f)) => (s, Some(f)),
        None => (s, None),
    };
    text::iso_local(
        [digits(y)?, digits(m)?, digits(day)?],
        [digits(h)?, digits(min)?, digits(s)?],
        fraction,
    )
}

/// Lines numbered from 1, each checked to be UTF-8, without their line ending.
fn numbered_lines(bytes: &[u8]) -> impl Iterator<Item = (usize, Result<&str, String>)> + '_ {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    body.split(|&b| b == b'\n').enumerate().map(|(i, line)| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let text = std::str::from_utf8(line).map_err(|e| {
            format!(
                "not UTF-8 text (invalid byte at character {} of the line)",
                e.valid_up_to() + 1
            )
        });
        (i + 1, text)
    })
}

#[cfg(test)]
mod tests {
    use super::transfer::emg_transfer;
    use super::*;

    const HEAD: &str = "# OpenSignals Text File Format\n# {\"20:16:02:26:60:88\": {\"sensor\": [\"RAW\", \"EMGBITREV\"], \"device name\": \"20:16:02:26:60:88\", \"column\": [\"nSeq\", \"I1\", \"I2\", \"O1\", \"O2\", \"A1\", \"A2\"], \"time\": \"7:5:4.409\", \"date\": \"2016-6-11\", \"device\": \"bitalino_rev\", \"position\": 0, \"sampling rate\": 1000, \"label\": [\"A1\", \"EMG R\"], \"resolution\": [4, 1, 1, 1, 1, 10, 10], \"special\": [{}, {}]}}\n# EndOfHeader\n";

    fn file(rows: &[(u64, u32, u32)]) -> String {
        let mut s = HEAD.to_string();
        for (seq, a1, a2) in rows {
            s += &format!("{seq}\t1\t1\t1\t0\t{a1}\t{a2}\t\n");
        }
        s
    }

    #[test]
    fn raw_and_emg_channels() {
        let imp = parse(file(&[(1, 505, 512), (2, 0, 1023)]).as_bytes(), "s.txt").unwrap();
        assert_eq!(imp.format, "OpenSignals");
        assert_eq!(imp.recorded_utc.as_deref(), Some("2016-06-11T07:05:04.409"));
        let raw = &imp.signals[0];
        assert_eq!((raw.label.as_str(), raw.unit.as_str()), ("A1", ""));
        assert_eq!(raw.detail, "RAW");
        assert_eq!(raw.samples, vec![505.0, 0.0]);
        assert_eq!(raw.emg_transfer, emg_transfer("bitalino_rev", 10));
        let emg = &imp.signals[1];
        assert_eq!((emg.label.as_str(), emg.unit.as_str()), ("EMG R", "mV"));
        assert_eq!(emg.detail, "EMGBITREV");
        assert_eq!(emg.emg_transfer, None);
        let expect = (1023.0 / 1024.0 - 0.5) * 3.3 / 1009.0 * 1000.0;
        assert_eq!(emg.samples, vec![0.0, expect as f32]);
        assert_eq!(emg.rate_hz, 1000.0);
    }

    #[test]
    fn four_bit_counter_gives_gaps() {
        // 14, 15, 0 is continuous; 0 → 3 misses 2; 3 → 3 is a full turn (15 missing).
        let rows: Vec<(u64, u32, u32)> = [14, 15, 0, 3, 3].iter().map(|&s| (s, 1, 1)).collect();
        let imp = parse(file(&rows).as_bytes(), "s.txt").unwrap();
        let gaps: Vec<(f64, f64)> = imp.gaps.iter().map(|g| (g.at_s, g.missing_s)).collect();
        assert_eq!(gaps, vec![(3e-3, 2e-3), (4e-3, 15e-3)]);
        assert_eq!(
            imp.sequence,
            Some(SequenceCounts {
                frames_received: 5,
                frames_missing: 17
            })
        );
    }

    #[test]
    fn counter_range_is_inferred_without_bits() {
        assert_eq!(sequence_range(&[0, 3, 15]), 16);
        assert_eq!(sequence_range(&[0, 200, 3]), 256);
        assert_eq!(sequence_range(&[u64::MAX]), u64::MAX);
        let (gaps, missing) = counter_gaps(&[254, 255, 0, 2], 256, 100.0);
        assert_eq!(missing, 1);
        assert_eq!(gaps.len(), 1);
    }

    #[test]
    fn two_devices_in_position_order() {
        let json = r#"{"B": {"sensor": ["ECG"], "column": ["nSeq", "DI", "CH1"], "sampling rate": 500, "label": ["CH1"], "resolution": [16], "device": "biosignalsplux", "position": 1, "date": "2020-1-2", "time": "3:4:5"},
                       "A": {"sensor": ["EMG"], "column": ["nSeq", "DI", "CH1"], "sampling rate": 500, "label": ["CH1"], "resolution": [16], "device": "biosignalsplux", "position": 0, "date": "2020-1-2", "time": "3:4:6"}}"#;
        let text = format!(
            "# OpenSignals Text File Format\n# {}\n# EndOfHeader\n0\t0\t32768\t1\t0\t100\n1\t0\t65535\t2\t0\t200\n",
            json.replace('\n', " ")
        );
        let imp = parse(text.as_bytes(), "two.txt").unwrap();
        let labels: Vec<&str> = imp.signals.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["CH1 (A)", "CH1 (B)"]);
        // Device A (position 0) comes first: its EMG in mV.
        assert_eq!(imp.signals[0].unit, "mV");
        assert_eq!(imp.signals[0].samples[0], 0.0);
        assert_eq!(imp.signals[1].samples, vec![100.0, 200.0]);
        assert_eq!(imp.recorded_utc.as_deref(), Some("2020-01-02T03:04:06"));
        // biosignalsplux counter without bits: range inferred, no gap between 0 and 1.
        assert!(imp.gaps.is_empty());
    }

    #[test]
    fn dates() {
        assert_eq!(
            iso_local("2015-4-27", "17:53:44.456").as_deref(),
            Some("2015-04-27T17:53:44.456")
        );
        assert_eq!(
            iso_local("2017-5-22", "9:39:1.0").as_deref(),
            Some("2017-05-22T09:39:01.000")
        );
        assert_eq!(
            iso_local("2017-5-22", "9:39:01").as_deref(),
            Some("2017-05-22T09:39:01")
        );
        assert_eq!(iso_local("2017-13-22", "9:39:01"), None);
        assert_eq!(iso_local("2017-5", "9:39:01"), None);
        assert_eq!(iso_local("2017-5-1", "25:39:01"), None);
        assert_eq!(iso_local("2017-5-1", "1:2:3."), None);
    }

    fn error(text: &str) -> FormatError {
        match parse(text.as_bytes(), "bad.txt") {
            Err(e) => e,
            Ok(i) => panic!("expected an error, got {i:?}"),
        }
    }

    #[test]
    fn bad_inputs_are_named_errors() {
        let ok = file(&[(1, 505, 512)]);
        // Non-numeric field.
        let e = error(&format!("{ok}2\t1\t1\t1\t0\tx\t1\n"));
        assert_eq!(e.location, "line 5, column 6 (\"A1\")");
        assert!(e.message.contains("not a whole number"), "{e}");
        // Count beyond the resolution (a lying header or a corrupt row).
        let e = error(&format!("{ok}2\t1\t1\t1\t0\t1024\t1\n"));
        assert!(
            e.message.contains("outside the channel's range 0–1023"),
            "{e}"
        );
        let e = error(&format!("{ok}2\t1\t1\t1\t0\t-1\t1\n"));
        assert!(e.message.contains("outside"), "{e}");
        // Wrong field count, including a truncated last row.
        let e = error(&format!("{ok}2\t1\t1\t1\t0\t7\n"));
        assert_eq!(e.location, "line 5");
        assert!(
            e.message.contains("6 fields, but the header describes 7"),
            "{e}"
        );
        let e = error(&format!("{ok}2\t1\t1\t1\t0\t7\t1\t9\n"));
        assert!(e.message.contains("8 fields"), "{e}");
        let e = error(&ok[..ok.len() - 6]);
        assert_eq!(e.location, "line 4");
        // Header truncated, JSON broken, lying resolution, no rows, not OpenSignals.
        let e = error("# OpenSignals Text File Format\n# {\"a\": {");
        assert!(e.location.starts_with("header line 2"), "{e}");
        let e = error(&HEAD[..HEAD.len() - 14]);
        assert!(e.message.contains("EndOfHeader"), "{e}");
        let e = error(&HEAD.replace("[4, 1, 1, 1, 1, 10, 10]", "[4, 1, 1, 1, 1, 10, 40]"));
        assert!(e.location.contains("resolution"), "{e}");
        assert!(e.message.contains("40 bits"), "{e}");
        let e = error(&HEAD.replace("[4, 1, 1, 1, 1, 10, 10]", "[4, 1, 1, 1, 1, 10, 0]"));
        assert!(e.message.contains("0 bits"), "{e}");
        let e = error(HEAD);
        assert!(e.message.contains("no data rows"), "{e}");
        let e = error("# OpenSignals Text File Format\n# EndOfHeader\n1\t2\n");
        assert!(e.message.contains("no JSON"), "{e}");
        let e = error("# OpenSignals Text File Format\n1\t2\n");
        assert!(e.message.contains("EndOfHeader"), "{e}");
        let e = error("%OpenBCI Raw");
        assert_eq!(e.location, "line 1");
        // Invalid UTF-8 in a row and in the header.
        let mut bytes = ok.clone().into_bytes();
        bytes.extend_from_slice(b"2\t1\t\xC3\x28\t1\t0\t1\t1\n");
        let e = parse(&bytes, "bad.txt").unwrap_err();
        assert_eq!(e.location, "line 5");
        let mut bytes = b"# OpenSignals Text File Format\n# {\"\xFF\": 1}\n".to_vec();
        bytes.extend_from_slice(b"# EndOfHeader\n");
        assert_eq!(parse(&bytes, "bad.txt").unwrap_err().location, "line 2");
    }

    #[test]
    fn mutated_files_never_panic() {
        let rows: Vec<(u64, u32, u32)> = (0..40).map(|i| (i % 16, 500 + i as u32, 512)).collect();
        let base = file(&rows).into_bytes();
        let alphabet = b"0123456789\t\n #{}[]\",:-.e\xFF";
        let mut rng = crate::formats::text::Rng(0x05E6);
        for _ in 0..3000 {
            let mut bytes = base.clone();
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(bytes.len());
                match rng.below(4) {
                    0 => bytes[at] = alphabet[rng.below(alphabet.len())],
                    1 => bytes.insert(at, alphabet[rng.below(alphabet.len())]),
                    2 => {
                        bytes.remove(at);
                    }
                    _ => bytes.truncate(at),
                }
                if bytes.is_empty() {
                    break;
                }
            }
            let _ = parse(&bytes, "fuzz.txt");
        }
    }
}
