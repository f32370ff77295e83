//! The header record: the fixed-width ASCII fields of the file and of each signal, read
//! and checked before any sample is touched. Every field that must be a number is one,
//! every byte is printable ASCII (EDF requires it), the header is as long as its signal
//! count says, and each ordinary signal has a usable calibration and sample count.
//!
//! What the fields mean for the recording (start time, subject, annotations) is decided
//! elsewhere; this file only reads and validates them.

use super::layout::{self, SignalField, BLOCK_BYTES};
use super::Context;
use crate::formats::FormatError;

/// Highest sample rate accepted (samples per record ÷ record duration). Surface and
/// needle EMG amplifiers sample at up to a few tens of kHz; 1 MHz leaves a wide margin
/// while still rejecting a corrupt count or duration before any time is spent on it.
pub(super) const MAX_RATE_HZ: f64 = 1.0e6;

/// EDF (16-bit samples) or BDF (24-bit samples).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    Edf,
    Bdf,
}

impl Family {
    /// "EDF" or "BDF".
    pub fn name(self) -> &'static str {
        match self {
            Family::Edf => "EDF",
            Family::Bdf => "BDF",
        }
    }

    /// Bytes per stored sample.
    pub fn sample_bytes(self) -> usize {
        match self {
            Family::Edf => 2,
            Family::Bdf => 3,
        }
    }
}

/// Plain EDF/BDF or one of the EDF+/BDF+ variants named in the reserved field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Variant {
    Plain,
    /// "EDF+C" / "BDF+C": records follow each other without gaps.
    Continuous,
    /// "EDF+D" / "BDF+D": each record's start is given by its time-keeping annotation.
    Discontinuous,
}

/// The header record, read and checked.
#[derive(Debug, Clone)]
pub(super) struct Header {
    pub family: Family,
    pub variant: Variant,
    /// The local patient identification, trimmed.
    pub patient: String,
    /// The local recording identification, trimmed.
    pub recording: String,
    /// `dd.mm.yy`, as written.
    pub start_date: String,
    /// `hh.mm.ss`, as written.
    pub start_time: String,
    /// Bytes of the header record (256 + 256 · signals).
    pub header_bytes: usize,
    /// Data records the header announces; `None` for −1 (unknown: count from the size).
    pub declared_records: Option<u64>,
    /// Seconds per data record (0 only in annotation-only files).
    pub record_duration_s: f64,
    /// Bytes per data record (all signals).
    pub record_bytes: usize,
    pub signals: Vec<SignalHeader>,
}

/// One signal's header fields.
#[derive(Debug, Clone)]
pub(super) struct SignalHeader {
    pub label: String,
    pub transducer: String,
    pub unit: String,
    pub prefiltering: String,
    pub physical_min: f64,
    pub physical_max: f64,
    pub digital_min: i64,
    pub digital_max: i64,
    pub samples_per_record: usize,
    /// An `EDF Annotations` / `BDF Annotations` signal: text, not samples.
    pub annotations: bool,
    /// Where this signal's samples start inside a data record, in bytes.
    pub record_offset: usize,
}

impl SignalHeader {
    /// Bytes this signal takes in each data record.
    pub fn record_span(&self, family: Family) -> usize {
        self.samples_per_record * family.sample_bytes()
    }
}

/// Reads and checks the header record at the start of `bytes`.
pub(super) fn read(bytes: &[u8], family: Family, cx: &Context) -> Result<Header, FormatError> {
    if bytes.len() < BLOCK_BYTES {
        return Err(cx.whole(format!(
            "the file is {} bytes long, shorter than the {BLOCK_BYTES}-byte header every \
             {} file starts with",
            bytes.len(),
            family.name()
        )));
    }
    check_ascii(bytes, 0, BLOCK_BYTES, 0, family, cx)?;
    let fields = Fields { bytes, cx };

    let signals = fields.int(layout::SIGNALS)?;
    if signals < 1 {
        return Err(cx.file_field(layout::SIGNALS).problem(format!(
            "the file says it has {signals} signals; it needs at least one"
        )));
    }
    // At most 4 digits, so at most 9999 signals: no overflow below.
    let ns = usize::try_from(signals).unwrap_or(0);
    let header_bytes = BLOCK_BYTES * (ns + 1);
    let declared_header = fields.int(layout::HEADER_BYTES)?;
    if usize::try_from(declared_header).ok() != Some(header_bytes) {
        return Err(cx.file_field(layout::HEADER_BYTES).problem(format!(
            "the header says it is {declared_header} bytes, but its number of signals \
             ({ns}) makes it 256 + 256 · {ns} = {header_bytes} bytes"
        )));
    }
    if bytes.len() < header_bytes {
        return Err(cx.whole(format!(
            "the file is {} bytes long and ends inside its {header_bytes}-byte header \
             ({ns} signals)",
            bytes.len()
        )));
    }
    check_ascii(bytes, BLOCK_BYTES, header_bytes, ns, family, cx)?;

    let declared_records = match fields.int(layout::RECORDS)? {
        -1 => None,
        n => Some(u64::try_from(n).map_err(|_| {
            cx.file_field(layout::RECORDS).problem(format!(
                "{n} data records is not a count (−1, meaning unknown, is the only negative \
                 value allowed)"
            ))
        })?),
    };
    let record_duration_s = fields.float(layout::RECORD_DURATION)?;
    if record_duration_s < 0.0 {
        return Err(cx
            .file_field(layout::RECORD_DURATION)
            .problem(format!("a data record cannot last {record_duration_s} s")));
    }

    let mut signal_headers = Vec::with_capacity(ns);
    let mut record_bytes: usize = 0;
    for index in 0..ns {
        let signal = read_signal(&fields, index, ns, record_duration_s, record_bytes)?;
        record_bytes = record_bytes
            .checked_add(signal.record_span(family))
            .ok_or_else(|| {
                cx.signal_field(SignalField::SamplesPerRecord, index, ns, &signal.label)
                    .problem("the data records would be larger than this computer can address")
            })?;
        signal_headers.push(signal);
    }
    if record_duration_s == 0.0 && signal_headers.iter().any(|s| !s.annotations) {
        return Err(cx.file_field(layout::RECORD_DURATION).problem(
            "a data record lasting 0 s is only allowed in a file holding nothing but \
             annotations, and this one has signals",
        ));
    }

    Ok(Header {
        family,
        variant: variant(fields.text(layout::RESERVED.offset, layout::RESERVED.width)),
        patient: fields
            .text(layout::PATIENT.offset, layout::PATIENT.width)
            .to_string(),
        recording: fields
            .text(layout::RECORDING.offset, layout::RECORDING.width)
            .to_string(),
        start_date: fields
            .text(layout::START_DATE.offset, layout::START_DATE.width)
            .to_string(),
        start_time: fields
            .text(layout::START_TIME.offset, layout::START_TIME.width)
            .to_string(),
        header_bytes,
        declared_records,
        record_duration_s,
        record_bytes,
        signals: signal_headers,
    })
}

/// EDF+C / EDF+D (or BDF+C / BDF+D) from the reserved field; anything else (empty,
/// BioSemi's "24BIT") is plain.
fn variant(reserved: &str) -> Variant {
    let plus = reserved
        .strip_prefix("EDF+")
        .or_else(|| reserved.strip_prefix("BDF+"));
    match plus.and_then(|rest| rest.chars().next()) {
        Some('C') => Variant::Continuous,
        Some('D') => Variant::Discontinuous,
        _ => Variant::Plain,
    }
}

/// Reads signal `index` (0-based) of `ns`; `record_offset` is where its samples start
/// inside a data record.
fn read_signal(
    fields: &Fields,
    index: usize,
    ns: usize,
    record_duration_s: f64,
    record_offset: usize,
) -> Result<SignalHeader, FormatError> {
    let cx = fields.cx;
    let text = |f: SignalField| {
        let (start, _) = f.range(index, ns);
        fields.text(start, f.width()).to_string()
    };
    let label = text(SignalField::Label);
    let annotations = label == "EDF Annotations" || label == "BDF Annotations";
    let at = |f: SignalField| cx.signal_field(f, index, ns, &label);
    let int = |f: SignalField| {
        let (start, _) = f.range(index, ns);
        parse_int(fields.text(start, f.width())).map_err(|p| at(f).problem(p))
    };
    let float = |f: SignalField| {
        let (start, _) = f.range(index, ns);
        parse_float(fields.text(start, f.width())).map_err(|p| at(f).problem(p))
    };

    let physical_min = float(SignalField::PhysicalMin)?;
    let physical_max = float(SignalField::PhysicalMax)?;
    let digital_min = int(SignalField::DigitalMin)?;
    let digital_max = int(SignalField::DigitalMax)?;
    let samples = int(SignalField::SamplesPerRecord)?;
    if samples < 1 {
        return Err(at(SignalField::SamplesPerRecord).problem(format!(
            "{samples} samples per data record: every signal needs at least one"
        )));
    }
    // At most 8 digits, so it fits any usize of 32 bits or more.
    let samples_per_record = usize::try_from(samples).unwrap_or(usize::MAX);
    if !annotations {
        if digital_min == digital_max {
            return Err(at(SignalField::DigitalMin).problem(format!(
                "digital minimum equals digital maximum ({digital_min}): the signal has \
                 no range to scale"
            )));
        }
        if physical_min == physical_max {
            return Err(at(SignalField::PhysicalMin).problem(format!(
                "physical minimum equals physical maximum ({physical_min}): every sample \
                 would read the same value"
            )));
        }
        // The widest stored values (24-bit, BDF) must calibrate into what an f32 holds.
        let gain = (physical_max - physical_min) / (digital_max - digital_min) as f64;
        let offset = physical_min - digital_min as f64 * gain;
        let widest = [-8_388_608.0, 8_388_607.0f64]
            .map(|d| (d * gain + offset).abs())
            .into_iter()
            .fold(0.0, f64::max);
        if widest.is_nan() || widest > f64::from(f32::MAX) {
            return Err(at(SignalField::PhysicalMax).problem(format!(
                "the physical range {physical_min} to {physical_max} over the digital range \
                 {digital_min} to {digital_max} makes values beyond ±3.4·10³⁸, more than \
                 myobalance stores; the range is corrupt"
            )));
        }
        if record_duration_s > 0.0 {
            let rate_hz = samples as f64 / record_duration_s;
            if rate_hz > MAX_RATE_HZ {
                return Err(at(SignalField::SamplesPerRecord).problem(format!(
                    "{samples} samples per {record_duration_s} s data record is {rate_hz:.0} Hz, \
                     above the {MAX_RATE_HZ:.0} Hz any biosignal amplifier reaches; the count \
                     or the record duration is corrupt"
                )));
            }
        }
    }
    Ok(SignalHeader {
        transducer: text(SignalField::Transducer),
        unit: text(SignalField::Unit),
        prefiltering: text(SignalField::Prefiltering),
        label,
        physical_min,
        physical_max,
        digital_min,
        digital_max,
        samples_per_record,
        annotations,
        record_offset,
    })
}

/// Header text access (the header is known to be long enough and ASCII).
struct Fields<'a> {
    bytes: &'a [u8],
    cx: &'a Context<'a>,
}

impl Fields<'_> {
    /// The field at `start..start + width`, trimmed of spaces.
    fn text(&self, start: usize, width: usize) -> &str {
        let raw = self
            .bytes
            .get(start..start.saturating_add(width))
            .unwrap_or(&[]);
        std::str::from_utf8(raw).unwrap_or("").trim_matches(' ')
    }

    fn int(&self, f: layout::FileField) -> Result<i64, FormatError> {
        parse_int(self.text(f.offset, f.width)).map_err(|p| self.cx.file_field(f).problem(p))
    }

    fn float(&self, f: layout::FileField) -> Result<f64, FormatError> {
        parse_float(self.text(f.offset, f.width)).map_err(|p| self.cx.file_field(f).problem(p))
    }
}

/// A whole number as EDF writes it ("2000", "-32768", "+5").
fn parse_int(text: &str) -> Result<i64, String> {
    if text.is_empty() {
        return Err("the field is empty; it must hold a whole number".into());
    }
    text.parse::<i64>()
        .map_err(|_| format!("\"{text}\" is not a whole number"))
}

/// A finite decimal number ("-3276.8", "0.25", "1E3").
fn parse_float(text: &str) -> Result<f64, String> {
    if text.is_empty() {
        return Err("the field is empty; it must hold a number".into());
    }
    match text.parse::<f64>() {
        // Rust also reads "inf" and "NaN"; neither is a number an EDF field may hold.
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!(
            "\"{text}\" is not a number (EDF writes numbers like -3276.8, with a point)"
        )),
    }
}

/// Every byte of `bytes[start..end]` must be printable ASCII (32–126), except the
/// 0xFF that opens a BDF file.
fn check_ascii(
    bytes: &[u8],
    start: usize,
    end: usize,
    ns: usize,
    family: Family,
    cx: &Context,
) -> Result<(), FormatError> {
    let region = bytes.get(start..end).unwrap_or(&[]);
    let bad = region.iter().enumerate().find(|&(i, &b)| {
        let at = start + i;
        let allowed = (b' '..=b'~').contains(&b) || (at == 0 && family == Family::Bdf);
        !allowed
    });
    let Some((i, &b)) = bad else { return Ok(()) };
    let at = start + i;
    let (name, signal, field_start, field_end) = layout::field_at(at, ns);
    let mut location = format!("header field \"{name}\"");
    if let Some(index) = signal {
        let (label_start, label_end) = SignalField::Label.range(index, ns);
        let label = bytes
            .get(label_start..label_end)
            .map(printable)
            .unwrap_or_default();
        location.push_str(&format!(" of signal {} (\"{}\")", index + 1, label.trim()));
    }
    location.push_str(&format!(", {}", layout::bytes_text(field_start, field_end)));
    Err(cx.located(location).problem(format!(
        "byte {at} is 0x{b:02X}, not a printable ASCII character: {} headers hold only \
         characters 32–126 (letters with accents, other alphabets and NUL padding are \
         not allowed)",
        family.name()
    )))
}

/// Header bytes as text for a message, anything unprintable shown as `?`.
pub(super) fn printable(raw: &[u8]) -> String {
    raw.iter()
        .map(|&b| {
            if (b' '..=b'~').contains(&b) {
                b as char
            } else {
                '?'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_edf_writes_them() {
        assert_eq!(parse_int("-32768"), Ok(-32768));
        assert_eq!(parse_int("+5"), Ok(5));
        assert!(parse_int("2000.0").is_err());
        assert!(parse_int("").is_err());
        assert_eq!(parse_float("-3276.8"), Ok(-3276.8));
        assert_eq!(parse_float("1E3"), Ok(1000.0));
        assert!(parse_float("inf").is_err());
        assert!(parse_float("NaN").is_err());
        assert!(parse_float("0,5").is_err());
    }

    #[test]
    fn variant_from_reserved_field() {
        assert_eq!(variant("EDF+C"), Variant::Continuous);
        assert_eq!(variant("EDF+D"), Variant::Discontinuous);
        assert_eq!(variant("BDF+D"), Variant::Discontinuous);
        assert_eq!(variant("24BIT"), Variant::Plain);
        assert_eq!(variant(""), Variant::Plain);
    }
}
