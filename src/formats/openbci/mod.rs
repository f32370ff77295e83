//! OpenBCI GUI text files (`OpenBCI-RAW-*.txt`, GUI v3–v6): `%` header lines, an optional
//! column line, then one comma-separated row per sample. This module owns reading them into
//! an [`Imported`]; it does not scale counts (the GUI already wrote µV and g) and it knows
//! nothing of montages.
//!
//! What the reader relies on:
//! - `%Number of channels = N`, `%Sample Rate = 250 Hz` (or `250.0 Hz`), and from GUI v5 on
//!   `%Board = OpenBCI_GUI$BoardCytonSerial` (or …`Daisy`, …`Ganglion…`).
//! - GUI v5/v6 write a column line (`Sample Index, EXG Channel 0, …, Accel Channel 0, …,
//!   Timestamp, Marker Channel, Timestamp (Formatted)`): columns are found by name.
//! - GUI v3/v4 write no column line; their writer (`OutputFile_rawtxt` in the GUI's
//!   `DataLogging.pde`) prints the sample index, N EXG values (`%.2f`, µV), three
//!   accelerometer values (`%.3f`, g) and then text such as `HH:MM:SS.mmm` and, from v4,
//!   the unix time in ms. Columns 1..=N are EXG, the next three accelerometer when the first
//!   rows hold numbers there; a later column holding unix time (≥ 10⁹) is the timestamp.
//! - The sample index wraps. Cyton counts packets modulo 256; Cyton+Daisy joins two packets
//!   per row, so its index steps by 2 (BrainFlow's `cyton_daisy.cpp` keeps the odd packet's
//!   number); the step is learnt from the file's first rows. A jump of `d` (modulo 256, a
//!   repeat counting as a full turn, as in `ingest::cyton`) is a gap of `⌈d/step⌉ − 1` rows.
//!   Ganglion files of GUI v5/v6 (BrainFlow) carry BLE packet numbers, two rows per packet,
//!   cycling through 1–100 or 101–200 (firmware 2) or 0–99 / 100–199 (firmware 3): they are
//!   read modulo 100 per packet. Older Ganglion files (GUI v3/v4, no `%Board` line) number
//!   samples differently and are not checked for gaps (a warning says so).
//! - The `Timestamp` column is unix time (ms in the files of GUI v4 and the v6 sample, s in
//!   BrainFlow-written v5 files; values below 10¹¹ are taken as seconds), in UTC.
//! - `Marker Channel` values other than 0 become annotations (a run of equal values is one).

mod counter;
mod layout;
mod lines;
mod utc;

use crate::formats::{Annotation, FormatError, Imported, SequenceCounts, Signal};
use counter::{counter_for, learn_step, Counter, Tracker};
use layout::{
    positional_roles, read_header_line, roles_from_column_line, sample_rows, starts_as_name,
    Header, Role,
};
use lines::{parse_number, shorten, split_fields, Lines};
use utc::iso_utc_ms;

/// The format name in errors.
const FORMAT: &str = "OpenBCI GUI text";
/// The format name in [`Imported::format`].
const IMPORTED_FORMAT: &str = "OpenBCI GUI";
/// The first characters of every GUI text file.
const MAGIC: &[u8] = b"%OpenBCI Raw";
/// Channel count assumed when a v3 header does not give one (the Cyton's).
const DEFAULT_CHANNELS: usize = 8;
/// Unix times at or above this are milliseconds (10¹¹ ms is 1973; 10¹¹ s is year 5138).
const UNIX_MS_THRESHOLD: f64 = 1e11;
/// Latest accepted start, in ms since 1970 (9999-12-31T23:59:59.999Z).
const UNIX_MS_MAX: f64 = 253_402_300_799_999.0;

/// Whether `head` (the first bytes of a file) is an OpenBCI GUI text file: its first line
/// starts with `%OpenBCI Raw`.
///
/// ```
/// use myobalance::formats::openbci::is_openbci;
/// assert!(is_openbci(b"%OpenBCI Raw EXG Data\n%Number of channels = 8\n"));
/// assert!(!is_openbci(b"0       patient"));
/// ```
pub fn is_openbci(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    head.starts_with(MAGIC)
}

/// Reads an OpenBCI GUI text file. `file` names it in errors.
///
/// EXG channels come out in µV (unit `uV`), accelerometer axes in g (unit `g`); the sample
/// index gives [`Imported::gaps`] and [`Imported::sequence`], the first row's `Timestamp`
/// the start (UTC, with milliseconds), `Marker Channel` the annotations.
pub fn parse(bytes: &[u8], file: &str) -> Result<Imported, FormatError> {
    let err = |location: String, problem: String| {
        FormatError::new(file, FORMAT).at(location).problem(problem)
    };
    if !is_openbci(bytes) {
        return Err(FormatError::new(file, FORMAT)
            .at("line 1")
            .problem("the file does not start with \"%OpenBCI Raw\""));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut lines = Lines::new(bytes);

    // `%` header lines.
    let mut header = Header::default();
    let mut first_body: Option<(usize, &str)> = None;
    for (number, line) in lines.by_ref() {
        let line = line.map_err(|e| err(format!("line {number}"), e))?;
        let Some(rest) = line.strip_prefix('%') else {
            if !line.trim().is_empty() {
                first_body = Some((number, line));
                break;
            }
            continue;
        };
        read_header_line(rest, &mut header).map_err(|problem| {
            err(
                format!("header line {number} (\"{}\")", shorten(line)),
                problem,
            )
        })?;
    }
    let rate_hz = header.rate_hz.ok_or_else(|| {
        err(
            "header".into(),
            "no \"%Sample Rate = … Hz\" line: the sample rate is unknown".into(),
        )
    })?;
    let mut warnings = Vec::new();

    // Column line, or the v3/v4 layout learnt from the first rows.
    let Some((first_number, first_line)) = first_body else {
        return Err(err("data".into(), "no data rows after the header".into()));
    };
    let (roles, labels, column_line, data_start) = if starts_as_name(first_line) {
        let (roles, labels) = roles_from_column_line(first_line)
            .map_err(|problem| err(format!("column line {first_number}"), problem))?;
        let exg = roles.iter().filter(|r| matches!(r, Role::Exg(_))).count();
        if let Some(n) = header.channels.filter(|&n| n != exg) {
            warnings.push(format!(
                "the header says {n} channels but the column line names {exg} EXG channels; \
                 the column line is used"
            ));
        }
        (roles, labels, true, None)
    } else {
        let channels = header.channels.unwrap_or_else(|| {
            warnings.push(format!(
                "the header gives no channel count; {DEFAULT_CHANNELS} EXG channels (a Cyton) \
                 are assumed"
            ));
            DEFAULT_CHANNELS
        });
        let rows = sample_rows(first_line, first_number, lines.clone());
        let (roles, labels) = positional_roles(channels, &rows)
            .map_err(|(line, problem)| err(format!("line {line}"), problem))?;
        (roles, labels, false, Some((first_number, first_line)))
    };
    let n_exg = roles.iter().filter(|r| matches!(r, Role::Exg(_))).count();
    let n_accel = roles.iter().filter(|r| matches!(r, Role::Accel(_))).count();
    if n_exg == 0 {
        return Err(err(
            format!("column line {first_number}"),
            "no \"EXG Channel\" columns".into(),
        ));
    }

    let counter = counter_for(&header, n_exg, rate_hz, column_line, &roles, &mut warnings);
    let step = match (counter, roles.iter().position(|r| *r == Role::Index)) {
        (Counter::Modulo { modulus }, Some(at)) => {
            let first = data_start.map(|(_, l)| l);
            learn_step(
                first
                    .into_iter()
                    .chain(lines.clone().map_while(|(_, l)| l.ok())),
                at,
                modulus,
            )
        }
        _ => 1,
    };

    // Rows.
    // Every row holds all columns, each at least a character and a separator: this
    // bounds the rows by the file's size whatever the header claims.
    let capacity = bytes.len() / (2 * roles.len().max(1)) + 1;
    let mut exg: Vec<Vec<f32>> = (0..n_exg).map(|_| Vec::with_capacity(capacity)).collect();
    let mut accel: Vec<Vec<f32>> = (0..n_accel).map(|_| Vec::with_capacity(capacity)).collect();
    let mut reader = RowReader {
        roles: &roles,
        labels: &labels,
        column_line,
        rate_hz,
        tracker: Tracker::new(counter, step, rate_hz),
        rows: 0,
        start_ms: None,
        annotations: Vec::new(),
        marker_run: None,
    };
    let body = data_start.into_iter().map(|(n, l)| (n, Ok(l))).chain(lines);
    for (number, line) in body {
        let line = line.map_err(|e| err(format!("line {number}"), e))?;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('%') {
            continue;
        }
        reader
            .row(trimmed, &mut exg, &mut accel)
            .map_err(|(location, problem)| err(format!("line {number}{location}"), problem))?;
    }
    if reader.rows == 0 {
        return Err(err("data".into(), "no data rows after the header".into()));
    }

    let mut signals = Vec::with_capacity(n_exg + n_accel);
    let mut exg_iter = exg.into_iter();
    let mut accel_iter = accel.into_iter();
    for (role, label) in roles.iter().zip(&labels) {
        let (samples, unit) = match role {
            Role::Exg(_) => (exg_iter.next(), "uV"),
            Role::Accel(_) => (accel_iter.next(), "g"),
            _ => continue,
        };
        signals.push(Signal {
            label: label.clone(),
            unit: unit.to_string(),
            rate_hz,
            samples: samples.unwrap_or_default(),
            detail: String::new(),
            emg_transfer: None,
        });
    }
    let sequence = match counter {
        Counter::Unchecked => None,
        _ => Some(SequenceCounts {
            frames_received: reader.rows,
            frames_missing: reader.tracker.missing,
        }),
    };
    Ok(Imported {
        format: IMPORTED_FORMAT.to_string(),
        signals,
        recorded_utc: reader.start_ms.map(iso_utc_ms),
        subject: None,
        annotations: reader.annotations,
        gaps: reader.tracker.gaps,
        sequence,
        warnings,
    })
}

/// Per-row state: samples, counter, start time, markers.
struct RowReader<'a> {
    roles: &'a [Role],
    labels: &'a [String],
    column_line: bool,
    rate_hz: f64,
    tracker: Tracker,
    rows: u64,
    start_ms: Option<f64>,
    annotations: Vec<Annotation>,
    /// The marker value of the run in progress (a run of equal values is one annotation).
    marker_run: Option<f64>,
}

impl RowReader<'_> {
    /// Reads one data row; errors carry a location suffix (", column k (\"name\")").
    fn row(
        &mut self,
        line: &str,
        exg: &mut [Vec<f32>],
        accel: &mut [Vec<f32>],
    ) -> Result<(), (String, String)> {
        let mut count = 0;
        let mut index = None;
        let mut timestamp = None;
        let mut marker = None;
        for (i, field) in split_fields(line).enumerate() {
            count = i + 1;
            let Some(&role) = self.roles.get(i) else {
                continue;
            };
            if role == Role::Ignored {
                continue;
            }
            if role == Role::Timestamp && self.start_ms.is_some() {
                continue;
            }
            let value = parse_number(field).ok_or_else(|| {
                (
                    self.column(i),
                    format!("\"{}\" is not a finite number", shorten(field)),
                )
            })?;
            match role {
                Role::Exg(k) => push(exg, k, value),
                Role::Accel(k) => push(accel, k, value),
                Role::Index => {
                    if value < 0.0 || value.fract() != 0.0 || value > u32::MAX as f64 {
                        return Err((
                            self.column(i),
                            format!("the sample index {field} is not a whole number ≥ 0"),
                        ));
                    }
                    index = Some(value as u64);
                }
                Role::Timestamp => timestamp = Some(value),
                Role::Marker => marker = Some((value, field)),
                Role::Ignored => {}
            }
        }
        let expected = self.roles.len();
        if count != expected {
            return Err((
                String::new(),
                format!(
                    "{count} fields, but {} {expected}",
                    if self.column_line {
                        "the column line names"
                    } else {
                        "the first data row has"
                    }
                ),
            ));
        }
        if let Some(index) = index {
            self.tracker.observe(self.rows, index);
        }
        // Recording time: stored rows plus those the counter says are missing.
        let time_s = self.rows.saturating_add(self.tracker.missing) as f64 / self.rate_hz;
        if let Some(t) = timestamp.filter(|t| *t > 0.0) {
            let ms = if t >= UNIX_MS_THRESHOLD {
                t
            } else {
                t * 1000.0
            };
            let start = ms - time_s * 1000.0;
            if start > 0.0 && start <= UNIX_MS_MAX {
                self.start_ms = Some(start);
            }
        }
        match marker {
            Some((value, text)) if value != 0.0 => {
                if self.marker_run != Some(value) {
                    self.annotations.push(Annotation {
                        time_s,
                        duration_s: f64::NAN,
                        text: text.to_string(),
                    });
                }
                self.marker_run = Some(value);
            }
            _ => self.marker_run = None,
        }
        self.rows += 1;
        Ok(())
    }

    /// ", column k (\"name\")" for errors (1-based k).
    fn column(&self, i: usize) -> String {
        match self.labels.get(i) {
            Some(name) => format!(", column {} (\"{name}\")", i + 1),
            None => format!(", column {}", i + 1),
        }
    }
}

fn push(signals: &mut [Vec<f32>], k: usize, value: f64) {
    if let Some(s) = signals.get_mut(k) {
        s.push(value as f32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V6_HEAD: &str = "%OpenBCI Raw EXG Data\n%Number of channels = 8\n%Sample Rate = 250 Hz\n\
        %Board = OpenBCI_GUI$BoardCytonSerial\nSample Index, EXG Channel 0, EXG Channel 1, \
        EXG Channel 2, EXG Channel 3, EXG Channel 4, EXG Channel 5, EXG Channel 6, EXG Channel 7, \
        Accel Channel 0, Accel Channel 1, Accel Channel 2, Not Used, Digital Channel 0 (D11), \
        Digital Channel 1 (D12), Digital Channel 2 (D13), Digital Channel 3 (D17), Not Used, \
        Digital Channel 4 (D18), Analog Channel 0, Analog Channel 1, Analog Channel 2, \
        Timestamp, Marker Channel, Timestamp (Formatted)\n";

    fn v6_row(index: u32, marker: u32, ms: u64) -> String {
        format!(
            "{index}, 1.5, -2.25, 3, 4, 5, 6, 7, {index}.5, 0.040, 0.420, 0.238,0,0,0,0,0,0,0,0,0,0, \
             {ms},{marker}, 12:00:53.329\n"
        )
    }

    fn v6_file(indices: &[u32]) -> String {
        let mut s = V6_HEAD.to_string();
        for (i, &k) in indices.iter().enumerate() {
            s += &v6_row(k, 0, 1_557_936_053_329 + 4 * i as u64);
        }
        s
    }

    #[test]
    fn v6_layout_values_and_start() {
        let text = v6_file(&[0, 1, 2]);
        let imp = parse(text.as_bytes(), "t.txt").unwrap();
        assert_eq!(imp.format, "OpenBCI GUI");
        assert_eq!(imp.signals.len(), 11);
        assert_eq!(imp.signals[0].label, "EXG Channel 0");
        assert_eq!(imp.signals[0].unit, "uV");
        assert_eq!(imp.signals[8].label, "Accel Channel 0");
        assert_eq!(imp.signals[8].unit, "g");
        assert_eq!(imp.signals[1].samples, vec![-2.25; 3]);
        assert_eq!(imp.signals[7].samples, vec![0.5, 1.5, 2.5]);
        assert_eq!(imp.signals[10].samples, vec![0.238; 3]);
        assert_eq!(
            imp.recorded_utc.as_deref(),
            Some("2019-05-15T16:00:53.329Z")
        );
        assert_eq!(
            imp.sequence,
            Some(SequenceCounts {
                frames_received: 3,
                frames_missing: 0
            })
        );
        assert!(imp.gaps.is_empty());
        assert!(imp.annotations.is_empty());
    }

    #[test]
    fn cyton_counter_wraps_modulo_256_and_reports_gaps() {
        // 254, 255, 0 is continuous; 0 → 3 misses 2 rows; 3 → 3 is a full turn (255).
        let mut indices: Vec<u32> = (0..40).map(|i| (i + 200) % 256).collect();
        indices.extend([254, 255, 0, 3, 3]);
        // Keep the learnt step at 1 despite the jump back to 254.
        let imp = parse(v6_file(&indices).as_bytes(), "t.txt").unwrap();
        let gaps: Vec<(f64, f64)> = imp.gaps.iter().map(|g| (g.at_s, g.missing_s)).collect();
        // 239 → 254 misses 14 rows (after 40 rows), 0 → 3 misses 2, 3 → 3 misses 255.
        assert_eq!(
            gaps,
            vec![
                (40.0 / 250.0, 14.0 / 250.0),
                (43.0 / 250.0, 2.0 / 250.0),
                (44.0 / 250.0, 255.0 / 250.0)
            ]
        );
        assert_eq!(imp.sequence.unwrap().frames_missing, 14 + 2 + 255);
        assert_eq!(imp.sequence.unwrap().frames_received, 45);
    }

    #[test]
    fn daisy_counter_steps_by_two() {
        let mut indices: Vec<u32> = (0..300).map(|i| (2 * i + 1) % 256).collect();
        // Drop two rows: the index jumps by 6.
        indices.extend([(599 + 6) % 256, (599 + 8) % 256]);
        let imp = parse(v6_file(&indices).as_bytes(), "t.txt").unwrap();
        let gaps: Vec<(f64, f64)> = imp.gaps.iter().map(|g| (g.at_s, g.missing_s)).collect();
        assert_eq!(gaps, vec![(300.0 / 250.0, 2.0 / 250.0)]);
    }

    #[test]
    fn markers_become_annotations() {
        let mut s = V6_HEAD.to_string();
        for (i, marker) in [0, 0, 3, 3, 0, 7, 0].iter().enumerate() {
            s += &v6_row(i as u32, *marker, 1_557_936_053_329);
        }
        let imp = parse(s.as_bytes(), "t.txt").unwrap();
        let notes: Vec<(f64, &str)> = imp
            .annotations
            .iter()
            .map(|a| (a.time_s, a.text.as_str()))
            .collect();
        assert_eq!(notes, vec![(2.0 / 250.0, "3"), (5.0 / 250.0, "7")]);
        assert!(imp.annotations[0].duration_s.is_nan());
    }

    #[test]
    fn v4_positional_layout() {
        let text = "%OpenBCI Raw EEG Data\n%Number of channels = 4\n%Sample Rate = 250.0 Hz\n\
            %First Column = SampleIndex\n%Last Column = Timestamp \n\
            %Other Columns = EEG data in microvolts followed by Accel Data (in G) interleaved with Aux Data\n\
            0, 1.00, 2.00, 3.00, 4.00, 0.040, 0.420, 0.238, 12:00:53.329, 1557936053329\n\
            1, 1.50, 2.50, 3.50, 4.50, 0.000, 0.000, 0.000, 12:00:53.336, 1557936053336\n";
        let imp = parse(text.as_bytes(), "t.txt").unwrap();
        let labels: Vec<&str> = imp.signals.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "EXG Channel 0",
                "EXG Channel 1",
                "EXG Channel 2",
                "EXG Channel 3",
                "Accel Channel 0",
                "Accel Channel 1",
                "Accel Channel 2"
            ]
        );
        assert_eq!(imp.signals[3].samples, vec![4.0, 4.5]);
        assert_eq!(imp.signals[4].samples, vec![0.04, 0.0]);
        assert_eq!(
            imp.recorded_utc.as_deref(),
            Some("2019-05-15T16:00:53.329Z")
        );
    }

    #[test]
    fn v5_seconds_timestamps_and_float_index() {
        let text = "%OpenBCI Raw EEG Data\n%Number of channels = 1\n%Sample Rate = 250 Hz\n\
            %Board = OpenBCI_GUI$BoardCytonSerial\n\
            Sample Index, EXG Channel 0, Timestamp, Timestamp (Formatted)\n\
            0.0, 12.5, 1.6188531634480002E9, 2021-04-19 11:32:43.448\n\
            1.0, 13.5, 1.618853163452E9, 2021-04-19 11:32:43.452\n";
        let imp = parse(text.as_bytes(), "t.txt").unwrap();
        assert_eq!(
            imp.recorded_utc.as_deref(),
            Some("2021-04-19T17:26:03.448Z")
        );
        assert_eq!(imp.signals[0].samples, vec![12.5, 13.5]);
    }

    #[test]
    fn ganglion_packets_two_rows_each() {
        let mut text = "%OpenBCI Raw EXG Data\n%Number of channels = 4\n%Sample Rate = 200 Hz\n\
            %Board = OpenBCI_GUI$BoardGanglionNative\n\
            Sample Index, EXG Channel 0, EXG Channel 1, EXG Channel 2, EXG Channel 3, Timestamp\n"
            .to_string();
        // Packets 99, 100, 1 (firmware 2 wraps 100 → 1), then 4 (packets 2 and 3 lost).
        for id in [99, 99, 100, 100, 1, 1, 4, 4] {
            text += &format!("{id}, 1, 2, 3, 4, 1557936053329\n");
        }
        let imp = parse(text.as_bytes(), "t.txt").unwrap();
        let gaps: Vec<(f64, f64)> = imp.gaps.iter().map(|g| (g.at_s, g.missing_s)).collect();
        assert_eq!(gaps, vec![(6.0 / 200.0, 4.0 / 200.0)]);
    }

    #[test]
    fn detection() {
        assert!(is_openbci(b"\xEF\xBB\xBF%OpenBCI Raw EEG Data"));
        assert!(!is_openbci(b"%OpenBCI"));
        assert!(!is_openbci(b""));
    }

    fn error(text: &str) -> FormatError {
        match parse(text.as_bytes(), "bad.txt") {
            Err(e) => e,
            Ok(i) => panic!("expected an error, got {i:?}"),
        }
    }

    #[test]
    fn bad_inputs_are_named_errors() {
        let head = "%OpenBCI Raw EXG Data\n%Number of channels = 2\n%Sample Rate = 250 Hz\n\
            Sample Index, EXG Channel 0, EXG Channel 1\n";
        // Non-number in a signal column.
        let e = error(&format!("{head}0, 1.0, 2.0\n1, 1.0, abc\n"));
        assert_eq!(e.location, "line 6, column 3 (\"EXG Channel 1\")");
        assert!(e.message.contains("\"abc\" is not a finite number"), "{e}");
        // NaN is not accepted either, nor a number beyond what an f32 holds.
        let e = error(&format!("{head}0, NaN, 2.0\n"));
        assert_eq!(e.location, "line 5, column 2 (\"EXG Channel 0\")");
        let e = error(&format!("{head}0, 1.0, 2.0\n1, 1e39, 2.0\n"));
        assert_eq!(e.location, "line 6, column 2 (\"EXG Channel 0\")");
        // Wrong field count.
        let e = error(&format!("{head}0, 1.0, 2.0\n1, 1.0\n"));
        assert_eq!(e.location, "line 6");
        assert!(
            e.message.contains("2 fields, but the column line names 3"),
            "{e}"
        );
        // Truncated mid-row (the last line cut short) is the same error.
        let e = error(&format!("{head}0, 1.0, 2.0\n1, 1."));
        assert_eq!(e.location, "line 6");
        // Bad sample index.
        let e = error(&format!("{head}-1, 1.0, 2.0\n"));
        assert!(e.message.contains("sample index"), "{e}");
        // Invalid UTF-8.
        let mut bytes = format!("{head}0, 1.0, 2.0\n").into_bytes();
        bytes.extend_from_slice(b"1, \xFF\xFE, 2.0\n");
        let e = parse(&bytes, "bad.txt").unwrap_err();
        assert_eq!(e.location, "line 6");
        assert!(e.message.contains("UTF-8"), "{e}");
        // Missing rate, bad rate, bad channel count, no rows, not OpenBCI.
        let e = error("%OpenBCI Raw EXG Data\n%Number of channels = 2\n0, 1, 2\n");
        assert!(e.message.contains("Sample Rate"), "{e}");
        let e = error("%OpenBCI Raw EXG Data\n%Sample Rate = fast Hz\n");
        assert!(e.location.starts_with("header line 2"), "{e}");
        let e = error("%OpenBCI Raw EXG Data\n%Sample Rate = 0 Hz\n");
        assert!(e.message.contains("outside"), "{e}");
        let e = error("%OpenBCI Raw EXG Data\n%Number of channels = 99999999999\n");
        assert!(e.message.contains("channel count"), "{e}");
        let e = error("%OpenBCI Raw EXG Data\n%Sample Rate = 250 Hz\n");
        assert!(e.message.contains("no data rows"), "{e}");
        let e = error(head);
        assert!(e.message.contains("no data rows"), "{e}");
        let e = error("0       EDF");
        assert_eq!(e.location, "line 1");
        // A v3 row shorter than the header's channels.
        let e = error(
            "%OpenBCI Raw EEG Data\n%Number of channels = 8\n%Sample Rate = 250 Hz\n0, 1, 2\n",
        );
        assert_eq!(e.location, "line 4");
        // A column line without EXG columns.
        let e = error("%OpenBCI Raw EXG Data\n%Sample Rate = 250 Hz\nSample Index, Foo\n0, 1\n");
        assert!(e.message.contains("EXG"), "{e}");
        // A duplicated column.
        let e = error("%OpenBCI Raw EXG Data\n%Sample Rate = 250 Hz\nSample Index, Sample Index\n");
        assert!(e.message.contains("twice"), "{e}");
    }

    #[test]
    fn mutated_files_never_panic() {
        let indices: Vec<u32> = (0..30).map(|i| (i * 7) % 256).collect();
        let mut s = v6_file(&indices);
        s += &v6_row(3, 5, 1_557_936_053_329);
        let base = s.into_bytes();
        let alphabet = b"0123456789,.-%\n\r eE+NaHz=\xFF";
        let mut rng = crate::formats::text::Rng(0x0BC1);
        for _ in 0..3000 {
            let mut bytes = base.clone();
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(bytes.len());
                match rng.below(4) {
                    0 => bytes[at] = alphabet[rng.below(alphabet.len())],
                    1 => {
                        bytes.insert(at, alphabet[rng.below(alphabet.len())]);
                    }
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
