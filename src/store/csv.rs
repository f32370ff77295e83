//! The CSV reader (DESIGN.md, "CSV input"): a header line naming the columns, an optional
//! first column `time_s` whose constant step must agree with the montage's rate, and one
//! column per montage channel in any order, in physical units. Extra columns are ignored
//! with a warning; every malformed line is an error naming the file, the line and the
//! column. It only reads: what the samples mean is the montage's business, what is done
//! with them the engine's.
//!
//! Rows are parsed as they stream in (no copy of the whole text is kept), straight into
//! one pre-sized buffer in montage column order.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::str::FromStr;

use ndarray::Array2;
use thiserror::Error;

use crate::montage::{Montage, MontageError, RATE_TOLERANCE};
use crate::recording::Recording;

/// Name of the optional first column holding each row's time in seconds.
pub const TIME_COLUMN: &str = "time_s";

/// How far one `time_s` step may stray from the mean step, as a fraction of it. Times
/// written with few decimals jitter by up to one rounding unit (a few per cent of a step
/// at 6 decimals and 10 kHz); a lost or repeated row changes the step by 100 %.
const TIME_STEP_TOLERANCE: f64 = 0.25;

/// At most this many header names are quoted back in an error.
const NAMES_SHOWN: usize = 16;

/// A CSV file read into a recording, with what the user should know about it.
#[derive(Debug, Clone)]
pub struct CsvRead {
    /// Samples in montage order; the montage's `sample_rate_hz` is set.
    pub recording: Recording,
    /// Things ignored along the way (extra columns, scale/offset), one sentence each,
    /// naming the file.
    pub warnings: Vec<String>,
}

/// Why a CSV file could not be read; each names the file and, where there is one, the
/// line and column.
#[derive(Debug, Error)]
pub enum CsvError {
    #[error("CSV {path}: cannot read the file: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("CSV {path}: the file is empty; its first line must name the columns")]
    Empty { path: String },
    #[error("CSV {path}: no data rows after the header line")]
    NoRows { path: String },
    #[error("CSV {path}, line {line}: not UTF-8 text")]
    NotUtf8 { path: String, line: usize },
    #[error("CSV {path}, line 1: {problem}")]
    Header { path: String, problem: String },
    #[error("CSV {path}: {}", missing_message(channels, columns))]
    MissingChannels {
        path: String,
        /// Montage channels without a column.
        channels: Vec<String>,
        /// The header's column names.
        columns: Vec<String>,
    },
    #[error("CSV {path}, line {line}: {found} fields, but the header names {expected} columns")]
    FieldCount {
        path: String,
        line: usize,
        found: usize,
        expected: usize,
    },
    #[error("CSV {path}, line {line}, column {column} ({name}): {problem}")]
    BadValue {
        path: String,
        line: usize,
        /// 1-based.
        column: usize,
        name: String,
        problem: String,
    },
    #[error("CSV {path}, line {line}: an empty line before more data")]
    BlankLine { path: String, line: usize },
    #[error(
        "CSV {path}, line {line}: time_s steps by {} s here but by {} s on average; rows \
         must be evenly spaced (a lost, repeated or out-of-order row?)",
        short(*step),
        short(*expected)
    )]
    IrregularTime {
        path: String,
        line: usize,
        step: f64,
        expected: f64,
    },
    #[error(
        "CSV {path}: time_s gives {} Hz but the montage's sample_rate_hz is {montage_hz} Hz \
         (more than 0.1 % apart)",
        short(*csv_hz)
    )]
    RateMismatch {
        path: String,
        csv_hz: f64,
        montage_hz: f64,
    },
    #[error("CSV {path}: no sample rate: {reason}")]
    NoRate { path: String, reason: String },
    /// The montage does not fit the data (its windows at the file's rate).
    #[error("{error}")]
    Montage { path: String, error: MontageError },
}

/// `x` to 7 significant digits, without the noise of float arithmetic
/// (0.0020000000000000005 → 0.002).
fn short(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(6 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

fn missing_message(channels: &[String], columns: &[String]) -> String {
    let quoted: Vec<String> = channels.iter().map(|c| format!("\"{c}\"")).collect();
    let (which, verb) = if channels.len() == 1 {
        ("montage channel", "has")
    } else {
        ("montage channels", "have")
    };
    let mut shown = columns
        .iter()
        .take(NAMES_SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if columns.len() > NAMES_SHOWN {
        shown.push_str(", …");
    }
    let mut text = format!(
        "{which} {} {verb} no column (the header, line 1, names: {shown})",
        quoted.join(", ")
    );
    if columns.len() == 1 && columns[0].contains([';', '\t']) {
        text.push_str("; columns must be separated by commas");
    }
    text
}

/// Where each CSV column goes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Target {
    Time,
    Channel(usize),
    Ignore,
}

/// Reads the CSV file at `path` with `montage` (DESIGN.md, "CSV input").
///
/// The rate is the montage's `sample_rate_hz`, checked against `time_s` when the file has
/// one; without a montage rate it is derived from `time_s`; with neither it is an error.
/// The montage is validated again at that rate (its windows in samples).
pub fn read_csv(path: &Path, montage: &Montage) -> Result<CsvRead, CsvError> {
    let shown = path.display().to_string();
    let read_error = |error| CsvError::Read {
        path: shown.clone(),
        error,
    };
    let file = File::open(path).map_err(read_error)?;
    let file_len = file.metadata().map_err(read_error)?.len();
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line = Vec::with_capacity(4096);

    if reader.read_until(b'\n', &mut line).map_err(read_error)? == 0 {
        return Err(CsvError::Empty { path: shown });
    }
    let header_len = line.len();
    let header = text_of(&line, &shown, 1)?;
    let header = header.strip_prefix('\u{feff}').unwrap_or(header);
    if header.trim().is_empty() {
        return Err(CsvError::Empty { path: shown });
    }
    let columns: Vec<String> = header.split(',').map(|f| unquote(f).to_string()).collect();
    let mut warnings = Vec::new();
    let targets = targets(&columns, montage, &shown, &mut warnings)?;
    let n_channels = montage.channels.len();
    let has_time = targets.first() == Some(&Target::Time);

    let mut data: Vec<f32> = Vec::new();
    let mut times: Vec<f64> = Vec::new();
    let mut row = vec![0.0_f32; n_channels];
    let mut line_no = 1;
    let mut blank_at = None;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(read_error)? == 0 {
            break;
        }
        line_no += 1;
        let text = text_of(&line, &shown, line_no)?;
        if text.trim().is_empty() {
            blank_at.get_or_insert(line_no);
            continue;
        }
        if let Some(blank) = blank_at {
            return Err(CsvError::BlankLine {
                path: shown,
                line: blank,
            });
        }
        if data.capacity() == 0 {
            // Size the buffers from the first row: rows ≈ bytes left / bytes per row.
            // Each value takes at least two bytes, which bounds a bad guess.
            let rows = (file_len as usize).saturating_sub(header_len) / line.len().max(1);
            let rows = rows + rows / 16 + 16;
            let cap = (file_len as usize / 2).max(n_channels);
            data.reserve(rows.saturating_mul(n_channels).min(cap));
            if has_time {
                times.reserve(rows.min(cap));
            }
        }
        let time =
            parse_row(text, &targets, &columns, &mut row).map_err(|e| e.at(&shown, line_no))?;
        data.extend_from_slice(&row);
        if has_time {
            times.push(time);
        }
    }
    let rows = data.len() / n_channels.max(1);
    if rows == 0 {
        return Err(CsvError::NoRows { path: shown });
    }

    let fs = sample_rate(&times, has_time, montage.sample_rate_hz, &shown)?;
    let montage = montage
        .clone()
        .with_sample_rate(fs, &format!("used with {shown}"))
        .map_err(|error| CsvError::Montage {
            path: shown.clone(),
            error,
        })?;
    let scaled = montage.scaled_channels();
    if !scaled.is_empty() {
        warnings.push(format!(
            "CSV {shown}: the montage's scale and offset of {} are not applied; CSV values are read as physical units",
            scaled.join(", ")
        ));
    }
    // `data` holds whole rows of `n_channels` values, so the shape always fits.
    let samples =
        Array2::from_shape_vec((rows, n_channels), data).expect("the buffer holds whole rows");
    Ok(CsvRead {
        recording: Recording {
            montage,
            samples,
            source: shown,
            acquisition: None,
            truth: None,
            metadata: Default::default(),
        },
        warnings,
    })
}

/// The column names of the CSV file at `path` (its first line), for guessing a montage.
pub fn read_header(path: &Path) -> Result<Vec<String>, CsvError> {
    let shown = path.display().to_string();
    let read_error = |error| CsvError::Read {
        path: shown.clone(),
        error,
    };
    let file = File::open(path).map_err(read_error)?;
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    if reader.read_until(b'\n', &mut line).map_err(read_error)? == 0 {
        return Err(CsvError::Empty { path: shown });
    }
    let header = text_of(&line, &shown, 1)?;
    let header = header.strip_prefix('\u{feff}').unwrap_or(header);
    if header.trim().is_empty() {
        return Err(CsvError::Empty { path: shown });
    }
    Ok(header.split(',').map(|f| unquote(f).to_string()).collect())
}

/// The line as text without its line ending.
fn text_of<'a>(line: &'a [u8], path: &str, line_no: usize) -> Result<&'a str, CsvError> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    std::str::from_utf8(line).map_err(|_| CsvError::NotUtf8 {
        path: path.to_string(),
        line: line_no,
    })
}

/// A field without surrounding blanks and double quotes.
fn unquote(field: &str) -> &str {
    let field = field.trim_matches([' ', '\t']);
    field
        .strip_prefix('"')
        .and_then(|f| f.strip_suffix('"'))
        .unwrap_or(field)
}

/// Matches header columns to montage channels.
fn targets(
    columns: &[String],
    montage: &Montage,
    path: &str,
    warnings: &mut Vec<String>,
) -> Result<Vec<Target>, CsvError> {
    let mut seen: Vec<Option<usize>> = vec![None; montage.channels.len()];
    let mut targets = Vec::with_capacity(columns.len());
    for (j, name) in columns.iter().enumerate() {
        // A channel's source label names its column when it has one (a guessed montage
        // gives `EMG L` the name `EMG_L`), else its name.
        let by_label = montage
            .channels
            .iter()
            .position(|c| c.label.as_deref() == Some(name.as_str()));
        let target = match by_label.or_else(|| montage.channel_index(name)) {
            Some(i) => {
                if let Some(first) = seen[i] {
                    return Err(CsvError::Header {
                        path: path.to_string(),
                        problem: format!(
                            "column {} \"{name}\" repeats column {}; each channel needs exactly one column",
                            j + 1,
                            first + 1
                        ),
                    });
                }
                seen[i] = Some(j);
                Target::Channel(i)
            }
            None if name == TIME_COLUMN && j == 0 => Target::Time,
            None => {
                let why = if name == TIME_COLUMN {
                    "time_s is only read as the first column"
                } else {
                    "not a montage channel"
                };
                warnings.push(format!(
                    "CSV {path}: column {} \"{name}\" ignored: {why}",
                    j + 1
                ));
                Target::Ignore
            }
        };
        targets.push(target);
    }
    let missing: Vec<String> = montage
        .channels
        .iter()
        .zip(&seen)
        .filter(|(_, s)| s.is_none())
        .map(|(c, _)| c.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(CsvError::MissingChannels {
            path: path.to_string(),
            channels: missing,
            columns: columns.to_vec(),
        });
    }
    Ok(targets)
}

/// A row problem before the file and line are attached.
enum RowError {
    FieldCount {
        found: usize,
        expected: usize,
    },
    BadValue {
        column: usize,
        name: String,
        problem: String,
    },
}

impl RowError {
    fn at(self, path: &str, line: usize) -> CsvError {
        let path = path.to_string();
        match self {
            RowError::FieldCount { found, expected } => CsvError::FieldCount {
                path,
                line,
                found,
                expected,
            },
            RowError::BadValue {
                column,
                name,
                problem,
            } => CsvError::BadValue {
                path,
                line,
                column,
                name,
                problem,
            },
        }
    }
}

/// Parses one data line into `row` (montage order); returns its time (0 without a time
/// column).
fn parse_row(
    text: &str,
    targets: &[Target],
    columns: &[String],
    row: &mut [f32],
) -> Result<f64, RowError> {
    let count_error = || RowError::FieldCount {
        found: text.split(',').count(),
        expected: targets.len(),
    };
    let mut fields = text.split(',');
    let mut time = 0.0;
    for (j, target) in targets.iter().enumerate() {
        let field = fields.next().ok_or_else(count_error)?;
        let bad = |problem: String| RowError::BadValue {
            column: j + 1,
            name: columns[j].clone(),
            problem,
        };
        match *target {
            Target::Ignore => {}
            Target::Time => time = number::<f64>(field).map_err(bad)?,
            Target::Channel(i) => row[i] = number::<f32>(field).map_err(bad)?,
        }
    }
    if fields.next().is_some() {
        return Err(count_error());
    }
    Ok(time)
}

/// A finite number, or why the field is not one.
fn number<T: FromStr + Into<f64> + Copy>(field: &str) -> Result<T, String> {
    let text = unquote(field);
    if text.is_empty() {
        return Err("empty field; every value must be a number".to_string());
    }
    match text.parse::<T>() {
        Ok(v) if v.into().is_finite() => Ok(v),
        Ok(_) => Err(format!("\"{text}\" is not a finite number")),
        Err(_) => Err(format!("\"{text}\" is not a number")),
    }
}

/// The rate: the montage's, checked against `time_s`; or `time_s`'s alone.
fn sample_rate(
    times: &[f64],
    has_time: bool,
    montage_hz: Option<f64>,
    path: &str,
) -> Result<f64, CsvError> {
    let no_rate = |reason: &str| CsvError::NoRate {
        path: path.to_string(),
        reason: reason.to_string(),
    };
    if !has_time {
        return montage_hz.ok_or_else(|| {
            no_rate("the montage has no sample_rate_hz and the file has no time_s first column")
        });
    }
    if times.len() < 2 {
        return montage_hz.ok_or_else(|| {
            no_rate("the montage has no sample_rate_hz and one row of time_s gives no step")
        });
    }
    let csv_hz = time_rate(times, path)?;
    match montage_hz {
        Some(montage_hz) if (csv_hz - montage_hz).abs() > RATE_TOLERANCE * montage_hz => {
            Err(CsvError::RateMismatch {
                path: path.to_string(),
                csv_hz,
                montage_hz,
            })
        }
        Some(montage_hz) => Ok(montage_hz),
        None => Ok(tidy_rate(csv_hz)),
    }
}

/// The rate of evenly spaced times; the first uneven step is an error naming its line.
fn time_rate(times: &[f64], path: &str) -> Result<f64, CsvError> {
    let n = times.len();
    let step = (times[n - 1] - times[0]) / (n - 1) as f64;
    for (i, pair) in times.windows(2).enumerate() {
        let here = pair[1] - pair[0];
        // Also catches a zero or negative mean step: no step is within tolerance of it.
        if !(step > 0.0 && (here - step).abs() <= TIME_STEP_TOLERANCE * step) {
            return Err(CsvError::IrregularTime {
                path: path.to_string(),
                line: i + 3, // header is line 1, row 0 is line 2
                step: here,
                expected: step,
            });
        }
    }
    Ok(1.0 / step)
}

/// A rate derived from written times is off by rounding; snap it to a whole number of
/// hertz when it is within a millionth of one.
fn tidy_rate(hz: f64) -> f64 {
    let whole = hz.round();
    if whole > 0.0 && (hz - whole).abs() <= 1e-6 * whole {
        whole
    } else {
        hz
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_with_blanks_and_quotes() {
        assert_eq!(number::<f32>(" 1.5 "), Ok(1.5));
        assert_eq!(number::<f32>("\"-2e3\""), Ok(-2000.0));
        assert_eq!(number::<f64>("\t0.0005"), Ok(0.0005));
        assert!(number::<f32>("").unwrap_err().contains("empty field"));
        assert!(number::<f32>("1,5").unwrap_err().contains("not a number"));
        assert!(number::<f32>("NaN")
            .unwrap_err()
            .contains("not a finite number"));
    }

    #[test]
    fn rates_from_times() {
        let times: Vec<f64> = (0..1000).map(|i| i as f64 / 2000.0).collect();
        assert_eq!(tidy_rate(time_rate(&times, "x").expect("even")), 2000.0);
        // Times rounded to 6 decimals at 3 kHz still count as even.
        let times: Vec<f64> = (0..3000)
            .map(|i| (i as f64 / 3000.0 * 1e6).round() / 1e6)
            .collect();
        let hz = time_rate(&times, "x").expect("even within rounding");
        assert!((hz - 3000.0).abs() < 0.01, "{hz}");
    }

    #[test]
    fn a_lost_row_is_an_uneven_step_on_its_line() {
        let mut times: Vec<f64> = (0..100).map(|i| i as f64 * 0.001).collect();
        times.remove(40);
        match time_rate(&times, "x") {
            Err(CsvError::IrregularTime { line, .. }) => assert_eq!(line, 42),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn constant_times_have_no_rate() {
        assert!(time_rate(&[1.0, 1.0, 1.0], "x").is_err());
    }

    #[test]
    fn short_drops_float_noise() {
        assert_eq!(short(0.0020000000000000005), 0.002);
        assert_eq!(short(1002.0000000001), 1002.0);
        assert_eq!(short(-0.00123456789), -0.001234568);
        assert_eq!(short(0.0), 0.0);
    }

    #[test]
    fn tidy_rate_snaps_only_near_whole_numbers() {
        assert_eq!(tidy_rate(1999.9999999), 2000.0);
        assert_eq!(tidy_rate(1000.5), 1000.5);
    }
}
