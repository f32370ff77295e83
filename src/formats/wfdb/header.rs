//! The WFDB header file (`.hea`, PhysioNet's header(5)): a record line, one signal line per
//! signal, `#` comment lines. This module reads it into a [`Header`]; it checks every field
//! the samples will be read with and reads no samples.
//!
//! ```text
//! record line:  name[/segments] nsig [fs[/counterfreq[(basecount)]] [nsamp [basetime [basedate]]]]
//! signal line:  file format[xsamps][:skew][+offset] [gain[(baseline)][/units]
//!               [adcres [adczero [initval [checksum [blocksize [description]]]]]]]
//! ```
//!
//! Defaults follow header(5): fs 250 Hz; gain 200 adu per physical unit when absent or 0
//! (WFDB_DEFGAIN; header(5) says a gain of 0 means "uncalibrated", and the WFDB library
//! then uses the default gain); baseline = adczero; units `mV`; adczero 0.

use std::collections::{HashMap, HashSet};

use crate::formats::FormatError;

use super::samples::SUPPORTED_FORMATS;

/// The format name in errors.
pub(super) const FORMAT: &str = "WFDB";
/// Frame rate when the record line gives none (header(5)).
pub const DEFAULT_FREQUENCY_HZ: f64 = 250.0;
/// ADC units per physical unit when the header gives none or 0 (WFDB_DEFGAIN).
pub const DEFAULT_GAIN: f64 = 200.0;
/// Physical units when the header gives none (header(5): millivolts).
pub const DEFAULT_UNITS: &str = "mV";
/// Highest frame rate accepted.
const MAX_FREQUENCY_HZ: f64 = 1e7;
/// Most samples of one signal per frame accepted.
const MAX_SAMPLES_PER_FRAME: u32 = 1 << 16;

/// A WFDB record's header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The record name.
    pub record: String,
    /// Frames per second.
    pub frequency_hz: f64,
    /// Frames in the record (`nsamp`); None when the header gives none or 0.
    pub frames: Option<u64>,
    /// `basetime` and `basedate` as written.
    pub base_time: Option<String>,
    pub base_date: Option<String>,
    /// The signals in header order.
    pub signals: Vec<SignalSpec>,
    /// `#` lines, without the `#`.
    pub comments: Vec<String>,
    /// What the header parser left out, one sentence each.
    pub warnings: Vec<String>,
}

/// One signal line.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalSpec {
    /// The file holding the samples, relative to the header's folder.
    pub file_name: String,
    /// Storage format: 16, 212 or 24.
    pub format: u32,
    /// Samples of this signal per frame (the `x` multiplier; 1 when absent).
    pub samples_per_frame: u32,
    /// Frames of this signal stored before the record's sample 0.
    pub skew: u64,
    /// Bytes before the first sample in the file.
    pub byte_offset: u64,
    /// ADC units per physical unit (nonzero).
    pub gain: f64,
    /// ADC value of 0 physical units.
    pub baseline: i64,
    pub units: String,
    pub adc_resolution: Option<u32>,
    pub adc_zero: i64,
    pub initial_value: Option<i64>,
    /// 16-bit sum of the signal's samples, when the header gives it.
    pub checksum: Option<i64>,
    pub block_size: u64,
    /// The description (the signal's name); empty when absent.
    pub description: String,
    /// The header line it came from (1-based), for messages.
    pub line: usize,
}

impl Header {
    /// The distinct data files the signals are in, in header order, relative to the
    /// header's folder: the caller reads them and hands them to [`super::parse`].
    pub fn signal_files(&self) -> Vec<String> {
        let mut seen = HashSet::new();
        self.signals
            .iter()
            .filter(|s| seen.insert(s.file_name.as_str()))
            .map(|s| s.file_name.clone())
            .collect()
    }
}

/// Reads a header file's text. `file` names it in errors.
///
/// ```
/// use myobalance::formats::wfdb::parse_header;
/// let h = parse_header("rec 1 4000 100\nrec.dat 16 10000/mV 16 0 -333 -29438 0 EMG\n", "rec.hea")
///     .unwrap();
/// assert_eq!(h.frequency_hz, 4000.0);
/// assert_eq!(h.signals[0].gain, 10000.0);
/// assert_eq!(h.signals[0].description, "EMG");
/// assert_eq!(h.signal_files(), vec!["rec.dat"]);
/// ```
pub fn parse_header(text: &str, file: &str) -> Result<Header, FormatError> {
    let err = |location: String, problem: String| {
        FormatError::new(file, FORMAT).at(location).problem(problem)
    };
    let mut comments = Vec::new();
    let mut lines = text.lines().enumerate().filter_map(|(i, line)| {
        let line = line.trim_end_matches('\r');
        match line.trim_start().strip_prefix('#') {
            Some(comment) => {
                comments.push(comment.trim().to_string());
                None
            }
            None if line.trim().is_empty() => None,
            None => Some((i + 1, line)),
        }
    });
    let (record_line, line) = lines
        .next()
        .ok_or_else(|| err(String::new(), "the header has no record line".into()))?;
    let at = format!("header line {record_line} (record line)");
    let (mut header, nsig) = parse_record_line(line).map_err(|p| err(at.clone(), p))?;
    // Signals are allocated as their lines are read, never from the announced count.
    for k in 0..nsig {
        let Some((number, line)) = lines.next() else {
            return Err(err(
                at,
                format!(
                    "the record line announces {nsig} signals but the header has {k} signal \
                     lines"
                ),
            ));
        };
        let spec = parse_signal_line(line, number)
            .map_err(|(field, p)| err(format!("header line {number} (signal {k}){field}"), p))?;
        header.signals.push(spec);
    }
    let extra = lines.count();
    if extra > 0 {
        header.warnings.push(format!(
            "the header has {extra} lines after its {nsig} signal lines that are not comments; \
             they are ignored"
        ));
    }
    header.comments = comments;
    check_files(&header).map_err(|(line, p)| err(format!("header line {line}"), p))?;
    Ok(header)
}

/// The record line, and the number of signals it announces.
fn parse_record_line(line: &str) -> Result<(Header, usize), String> {
    let mut tokens = line.split_whitespace();
    let name = tokens.next().unwrap_or_default();
    if let Some((record, segments)) = name.split_once('/') {
        return Err(format!(
            "\"{record}\" is a multi-segment record ({segments} segments): only \
             single-segment records are supported (wfdb's rdrecord and wrsamp can join the \
             segments into one)"
        ));
    }
    let nsig_text = tokens
        .next()
        .ok_or_else(|| "the number of signals is missing".to_string())?;
    let nsig: usize = nsig_text
        .parse()
        .map_err(|_| format!("the number of signals \"{nsig_text}\" is not a whole number"))?;
    if nsig == 0 {
        return Err("the record has no signals".into());
    }
    let frequency_hz = match tokens.next() {
        None => DEFAULT_FREQUENCY_HZ,
        Some(field) => {
            // fs[/counterfreq[(basecount)]]: only fs matters here.
            let fs = field.split('/').next().unwrap_or_default();
            let fs: f64 = fs
                .parse()
                .map_err(|_| format!("the sampling frequency \"{field}\" is not a number"))?;
            if !(fs.is_finite() && fs > 0.0 && fs <= MAX_FREQUENCY_HZ) {
                return Err(format!(
                    "the sampling frequency {field} is outside (0, {MAX_FREQUENCY_HZ}] Hz"
                ));
            }
            fs
        }
    };
    let frames = match tokens.next() {
        None => None,
        Some(field) => {
            let n: u64 = field.parse().map_err(|_| {
                format!("the number of samples per signal \"{field}\" is not a whole number")
            })?;
            (n > 0).then_some(n)
        }
    };
    let base_time = tokens.next().map(str::to_string);
    let base_date = tokens.next().map(str::to_string);
    let header = Header {
        record: name.to_string(),
        frequency_hz,
        frames,
        base_time,
        base_date,
        signals: Vec::new(),
        comments: Vec::new(),
        warnings: Vec::new(),
    };
    Ok((header, nsig))
}

/// One signal line; errors are (", field \"…\"", what).
fn parse_signal_line(line: &str, number: usize) -> Result<SignalSpec, (String, String)> {
    let field_err = |name: &str, problem: String| (format!(", field \"{name}\""), problem);
    let tokens = token_spans(line);
    let token = |i: usize| tokens.get(i).map(|&(a, b)| &line[a..b]);
    let file_name = token(0).unwrap_or_default().to_string();
    if file_name == "~" || file_name == "-" {
        return Err(field_err(
            "file name",
            format!(
                "\"{file_name}\" ({}) is not a file: only signals stored in files are supported",
                if file_name == "~" {
                    "a null signal"
                } else {
                    "standard input"
                }
            ),
        ));
    }
    let format_field = token(1).ok_or_else(|| field_err("format", "missing".into()))?;
    let (format, samples_per_frame, skew, byte_offset) =
        parse_format_field(format_field).map_err(|p| field_err("format", p))?;
    if !SUPPORTED_FORMATS.contains(&format) {
        return Err(field_err(
            "format",
            format!(
                "format {format} is not supported: this reader handles WFDB formats 16, 212 \
                 and 24"
            ),
        ));
    }
    let GainField {
        gain,
        baseline,
        units,
    } = match token(2) {
        None => GainField::default(),
        Some(field) => parse_gain_field(field).map_err(|p| field_err("ADC gain", p))?,
    };
    let int = |i: usize, name: &str| -> Result<Option<i64>, (String, String)> {
        token(i)
            .map(|t| {
                t.parse::<i64>()
                    .map_err(|_| field_err(name, format!("\"{t}\" is not a whole number")))
            })
            .transpose()
    };
    let adc_resolution = int(3, "ADC resolution")?
        .map(|r| u32::try_from(r).map_err(|_| field_err("ADC resolution", format!("{r} bits"))))
        .transpose()?;
    let adc_zero = int(4, "ADC zero")?.unwrap_or(0);
    let initial_value = int(5, "initial value")?;
    let checksum = int(6, "checksum")?;
    let block_size = int(7, "block size")?
        .map(|b| u64::try_from(b).map_err(|_| field_err("block size", format!("{b} is negative"))))
        .transpose()?
        .unwrap_or(0);
    let description = tokens
        .get(8)
        .map(|&(a, _)| line[a..].trim().to_string())
        .unwrap_or_default();
    let gain = match gain {
        Some(g) if g != 0.0 => g,
        _ => DEFAULT_GAIN,
    };
    let baseline = baseline.unwrap_or(adc_zero);
    // Stored values of every supported format are within ±2³¹, so this bounds every
    // physical value (d − baseline)/gain.
    let widest = ((1i64 << 31) as f64 + (baseline as f64).abs()) / gain.abs();
    if widest.is_nan() || widest > f64::from(f32::MAX) {
        return Err(field_err(
            "ADC gain",
            format!(
                "a gain of {gain} makes physical values beyond ±3.4·10³⁸, more than myobalance \
                 stores; the gain is corrupt"
            ),
        ));
    }
    Ok(SignalSpec {
        file_name,
        format,
        samples_per_frame,
        skew,
        byte_offset,
        gain,
        baseline,
        units: units.unwrap_or_else(|| DEFAULT_UNITS.to_string()),
        adc_resolution,
        adc_zero,
        initial_value,
        checksum,
        block_size,
        description,
        line: number,
    })
}

/// `format[xsamps][:skew][+offset]`.
fn parse_format_field(field: &str) -> Result<(u32, u32, u64, u64), String> {
    let (rest, offset) = match field.split_once('+') {
        Some((rest, offset)) => (rest, Some(offset)),
        None => (field, None),
    };
    let (rest, skew) = match rest.split_once(':') {
        Some((rest, skew)) => (rest, Some(skew)),
        None => (rest, None),
    };
    let (format, samples) = match rest.split_once('x') {
        Some((format, samples)) => (format, Some(samples)),
        None => (rest, None),
    };
    let whole = |text: &str, what: &str| -> Result<u64, String> {
        text.parse::<u64>()
            .map_err(|_| format!("the {what} \"{text}\" in \"{field}\" is not a whole number ≥ 0"))
    };
    let format = u32::try_from(whole(format, "storage format")?)
        .map_err(|_| format!("the storage format in \"{field}\" is out of range"))?;
    let samples_per_frame = match samples {
        None => 1,
        Some(s) => {
            let n = whole(s, "samples per frame")?;
            if n == 0 || n > u64::from(MAX_SAMPLES_PER_FRAME) {
                return Err(format!(
                    "{n} samples per frame is outside 1–{MAX_SAMPLES_PER_FRAME}"
                ));
            }
            n as u32
        }
    };
    let skew = skew.map(|s| whole(s, "skew")).transpose()?.unwrap_or(0);
    let offset = offset
        .map(|o| whole(o, "byte offset"))
        .transpose()?
        .unwrap_or(0);
    Ok((format, samples_per_frame, skew, offset))
}

/// The parts of a `gain[(baseline)][/units]` field.
#[derive(Default)]
struct GainField {
    gain: Option<f64>,
    baseline: Option<i64>,
    units: Option<String>,
}

/// `gain[(baseline)][/units]`.
fn parse_gain_field(field: &str) -> Result<GainField, String> {
    let (rest, units) = match field.split_once('/') {
        Some((rest, units)) => (rest, Some(units.to_string())),
        None => (field, None),
    };
    let (gain, baseline) = match rest.split_once('(') {
        Some((gain, baseline)) => {
            let baseline = baseline
                .strip_suffix(')')
                .ok_or_else(|| format!("the baseline in \"{field}\" has no closing \")\""))?;
            let baseline: i64 = baseline
                .parse()
                .map_err(|_| format!("the baseline \"{baseline}\" is not a whole number"))?;
            (gain, Some(baseline))
        }
        None => (rest, None),
    };
    let gain: f64 = gain
        .parse()
        .map_err(|_| format!("the gain \"{gain}\" is not a number"))?;
    if !gain.is_finite() {
        return Err(format!("the gain \"{field}\" is not finite"));
    }
    Ok(GainField {
        gain: Some(gain),
        baseline,
        units,
    })
}

/// Byte spans of whitespace-separated tokens.
fn token_spans(line: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, line.len()));
    }
    spans
}

/// Signals sharing a file must share its format and byte offset (header(5)); errors are
/// (line, what).
fn check_files(header: &Header) -> Result<(), (usize, String)> {
    let mut firsts: HashMap<&str, &SignalSpec> = HashMap::new();
    for (i, s) in header.signals.iter().enumerate() {
        let first = *firsts.entry(s.file_name.as_str()).or_insert(s);
        if !std::ptr::eq(first, s) {
            if first.format != s.format {
                return Err((
                    s.line,
                    format!(
                        "signal {i} is in \"{}\" with format {}, but an earlier signal of that \
                         file has format {}",
                        s.file_name, s.format, first.format
                    ),
                ));
            }
            if s.byte_offset != first.byte_offset && s.byte_offset != 0 {
                return Err((
                    s.line,
                    format!(
                        "signal {i} gives byte offset {} for \"{}\", but an earlier signal of \
                         that file gives {}",
                        s.byte_offset, s.file_name, first.byte_offset
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> FormatError {
        match parse_header(text, "bad.hea") {
            Err(e) => e,
            Ok(h) => panic!("expected an error, got {h:?}"),
        }
    }

    #[test]
    fn full_signal_line() {
        let h = parse_header(
            "# leading comment\nrec 2 360/10(3) 650000 10:20:30.5 01/02/2003\n\
             rec.dat 212x2:3+512 200.5(1024)/uV 11 1000 995 -22131 0 MLII lead (modified)\n\
             rec.dat 212 0\n# <age>: 69\n",
            "rec.hea",
        )
        .unwrap();
        assert_eq!(h.record, "rec");
        assert_eq!(h.frequency_hz, 360.0);
        assert_eq!(h.frames, Some(650_000));
        assert_eq!(h.base_time.as_deref(), Some("10:20:30.5"));
        assert_eq!(h.base_date.as_deref(), Some("01/02/2003"));
        let s = &h.signals[0];
        assert_eq!(
            (s.format, s.samples_per_frame, s.skew, s.byte_offset),
            (212, 2, 3, 512)
        );
        assert_eq!((s.gain, s.baseline, s.units.as_str()), (200.5, 1024, "uV"));
        assert_eq!(s.adc_resolution, Some(11));
        assert_eq!(
            (s.adc_zero, s.initial_value, s.checksum),
            (1000, Some(995), Some(-22131))
        );
        assert_eq!(s.description, "MLII lead (modified)");
        assert_eq!(s.line, 3);
        // Gain 0 → the default; no baseline → adczero (0); no units → mV.
        let s = &h.signals[1];
        assert_eq!(
            (s.gain, s.baseline, s.units.as_str()),
            (DEFAULT_GAIN, 0, "mV")
        );
        assert_eq!(s.description, "");
        assert_eq!(h.comments, vec!["leading comment", "<age>: 69"]);
        assert_eq!(h.signal_files(), vec!["rec.dat"]);
    }

    #[test]
    fn minimal_header() {
        let h = parse_header("r 1\nr.dat 16\n", "r.hea").unwrap();
        assert_eq!(h.frequency_hz, DEFAULT_FREQUENCY_HZ);
        assert_eq!(h.frames, None);
        assert_eq!(h.signals[0].gain, DEFAULT_GAIN);
    }

    #[test]
    fn bad_headers_are_named_errors() {
        let e = error("");
        assert!(e.message.contains("no record line"), "{e}");
        let e = error("rec/3 2 360\n");
        assert_eq!(e.location, "header line 1 (record line)");
        assert!(e.message.contains("multi-segment"), "{e}");
        let e = error("rec two 360\n");
        assert!(e.message.contains("number of signals"), "{e}");
        let e = error("rec 0 360\n");
        assert!(e.message.contains("no signals"), "{e}");
        let e = error("rec 1 fast\nr.dat 16\n");
        assert!(e.message.contains("sampling frequency"), "{e}");
        let e = error("rec 1 360\nr.dat 16 1e-40/mV\n");
        assert!(e.message.contains("±3.4·10³⁸"), "{e}");
        let e = error("rec 1 -5\nr.dat 16\n");
        assert!(e.message.contains("outside"), "{e}");
        let e = error("rec 1 360 lots\nr.dat 16\n");
        assert!(e.message.contains("samples per signal"), "{e}");
        // A header claiming a billion signals allocates nothing and names the shortfall.
        let e = error("rec 1000000000 360\nr.dat 16\n");
        assert!(
            e.message
                .contains("1000000000 signals but the header has 1"),
            "{e}"
        );
        let e = error("rec 1 360\nr.dat 80 200\n");
        assert_eq!(e.location, "header line 2 (signal 0), field \"format\"");
        assert!(e.message.contains("format 80 is not supported"), "{e}");
        let e = error("rec 1 360\nr.dat\n");
        assert!(e.message.contains("missing"), "{e}");
        let e = error("rec 1 360\nr.dat 16x0\n");
        assert!(e.message.contains("samples per frame"), "{e}");
        let e = error("rec 1 360\nr.dat 16:-1\n");
        assert!(e.message.contains("skew"), "{e}");
        let e = error("rec 1 360\nr.dat 16+abc\n");
        assert!(e.message.contains("byte offset"), "{e}");
        let e = error("rec 1 360\nr.dat 16 abc/mV\n");
        assert_eq!(e.location, "header line 2 (signal 0), field \"ADC gain\"");
        let e = error("rec 1 360\nr.dat 16 200(12/mV\n");
        assert!(e.message.contains("closing"), "{e}");
        let e = error("rec 1 360\nr.dat 16 200(x)/mV\n");
        assert!(e.message.contains("baseline"), "{e}");
        let e = error("rec 1 360\nr.dat 16 inf\n");
        assert!(e.message.contains("finite"), "{e}");
        let e = error("rec 1 360\nr.dat 16 200 12 zero\n");
        assert!(e.location.ends_with("field \"ADC zero\""), "{e}");
        let e = error("rec 1 360\nr.dat 16 200 12 0 0 0 -4\n");
        assert!(e.location.ends_with("field \"block size\""), "{e}");
        let e = error("rec 1 360\n~ 16\n");
        assert!(e.message.contains("null signal"), "{e}");
        let e = error("rec 2 360\nr.dat 16\nr.dat 212\n");
        assert!(e.message.contains("format 212"), "{e}");
    }
}
