//! CSV input (DESIGN.md, "CSV input"): good files in their usual variations, and each
//! kind of bad file, whose error must name the file and the line (and column) at fault.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use myobalance::montage::Montage;
use myobalance::store::csv::{read_csv, CsvError, CsvRead};

/// A file under the temp dir, removed when dropped.
struct TempCsv(PathBuf);

impl TempCsv {
    fn new(bytes: impl AsRef<[u8]>) -> TempCsv {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "myobalance-csv-test-{}-{n}.csv",
            std::process::id()
        ));
        std::fs::write(&path, bytes).expect("write temp CSV");
        TempCsv(path)
    }
}

impl Drop for TempCsv {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

const MONTAGE: &str = r#"
sample_rate_hz = 1000.0
mains_hz = 50

[[channels]]
name = "biceps_l"
kind = "emg"

[[channels]]
name = "triceps_l"
kind = "emg"

[[channels]]
name = "force_l"
kind = "force"
unit = "N"
"#;

fn montage() -> Montage {
    Montage::from_toml_str(MONTAGE, "test.toml").expect("valid montage")
}

fn montage_without_rate() -> Montage {
    let text = MONTAGE.replace("sample_rate_hz = 1000.0\n", "");
    Montage::from_toml_str(&text, "test.toml").expect("valid montage")
}

fn read(text: &str) -> Result<CsvRead, CsvError> {
    read_with(text, &montage())
}

fn read_with(text: &str, montage: &Montage) -> Result<CsvRead, CsvError> {
    let file = TempCsv::new(text);
    read_csv(&file.0, montage)
}

/// The error for `text`, which must be rejected, as displayed.
fn rejected(text: &str) -> String {
    match read(text) {
        Ok(r) => panic!("accepted a bad CSV: {:?}", r.recording.samples),
        Err(e) => e.to_string(),
    }
}

fn assert_csv_message(message: &str, line: Option<usize>, problem: &str) {
    assert!(message.starts_with("CSV "), "no file in: {message}");
    assert!(
        message.contains("myobalance-csv-test-"),
        "no file name in: {message}"
    );
    if let Some(line) = line {
        assert!(
            message.contains(&format!(", line {line}")),
            "no line {line} in: {message}"
        );
    }
    assert!(message.contains(problem), "no {problem:?} in: {message}");
}

const GOOD: &str = "time_s,biceps_l,triceps_l,force_l
0.000,1.5,-2.0,100.0
0.001,1.25,-2.5,101.0
0.002,1.0,-3.0,102.5
0.003,0.75,-3.5,104.0
";

fn column(read: &CsvRead, channel: usize) -> Vec<f32> {
    read.recording.samples.column(channel).to_vec()
}

#[test]
fn reads_a_good_file_with_time() {
    let r = read(GOOD).expect("good file");
    let rec = &r.recording;
    assert_eq!(rec.samples.dim(), (4, 3));
    assert_eq!(column(&r, 0), [1.5, 1.25, 1.0, 0.75]);
    assert_eq!(column(&r, 1), [-2.0, -2.5, -3.0, -3.5]);
    assert_eq!(column(&r, 2), [100.0, 101.0, 102.5, 104.0]);
    assert_eq!(rec.sample_rate_hz(), 1000.0);
    assert!(
        rec.source.contains("myobalance-csv-test-"),
        "{}",
        rec.source
    );
    assert!(rec.acquisition.is_none() && rec.truth.is_none());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(rec.montage.channels, montage().channels);
}

#[test]
fn reads_a_good_file_without_time() {
    let r = read("biceps_l,triceps_l,force_l\n1,2,3\n4,5,6\n").expect("good file");
    assert_eq!(r.recording.samples.dim(), (2, 3));
    assert_eq!(r.recording.samples.row(1).to_vec(), [4.0, 5.0, 6.0]);
    assert_eq!(r.recording.sample_rate_hz(), 1000.0);
}

#[test]
fn derives_the_rate_from_time_when_the_montage_has_none() {
    let text = "time_s,biceps_l,triceps_l,force_l\n0.0000,1,2,3\n0.0005,1,2,3\n0.0010,1,2,3\n";
    let r = read_with(text, &montage_without_rate()).expect("rate from time_s");
    assert_eq!(r.recording.sample_rate_hz(), 2000.0);
    assert_eq!(r.recording.montage.sample_rate_hz, Some(2000.0));
}

#[test]
fn no_rate_anywhere_is_an_error() {
    let e = read_with(
        "biceps_l,triceps_l,force_l\n1,2,3\n",
        &montage_without_rate(),
    )
    .expect_err("no rate");
    assert!(matches!(e, CsvError::NoRate { .. }), "{e:?}");
    assert_csv_message(&e.to_string(), None, "no sample rate");
}

#[test]
fn one_row_of_time_gives_no_rate() {
    let e = read_with(
        "time_s,biceps_l,triceps_l,force_l\n0,1,2,3\n",
        &montage_without_rate(),
    )
    .expect_err("no step");
    assert_csv_message(&e.to_string(), None, "one row of time_s gives no step");
}

#[test]
fn columns_in_any_order() {
    let text = "time_s,force_l,biceps_l,triceps_l\n0,30,10,20\n0.001,31,11,21\n";
    let r = read(text).expect("any order");
    assert_eq!(r.recording.samples.row(0).to_vec(), [10.0, 20.0, 30.0]);
    assert_eq!(r.recording.samples.row(1).to_vec(), [11.0, 21.0, 31.0]);
}

#[test]
fn extra_columns_are_ignored_with_a_warning() {
    let text = "time_s,biceps_l,marker,triceps_l,force_l\n0,1,x,2,3\n0.001,4,,5,6\n";
    let r = read(text).expect("extra column");
    assert_eq!(r.recording.samples.row(1).to_vec(), [4.0, 5.0, 6.0]);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    let w = &r.warnings[0];
    assert!(
        w.starts_with("CSV ") && w.contains("myobalance-csv-test-"),
        "{w}"
    );
    assert!(
        w.contains("column 3 \"marker\" ignored: not a montage channel"),
        "{w}"
    );
}

#[test]
fn time_not_first_is_ignored_with_a_warning() {
    let r = read("biceps_l,time_s,triceps_l,force_l\n1,0,2,3\n").expect("read");
    assert!(
        r.warnings[0].contains("time_s is only read as the first column"),
        "{:?}",
        r.warnings
    );
}

#[test]
fn missing_channel() {
    let e = read("time_s,biceps_l,force_l\n0,1,3\n").expect_err("triceps_l missing");
    assert!(matches!(e, CsvError::MissingChannels { .. }), "{e:?}");
    let message = e.to_string();
    assert_csv_message(
        &message,
        None,
        "montage channel \"triceps_l\" has no column",
    );
    assert!(
        message.contains("names: time_s, biceps_l, force_l"),
        "{message}"
    );
}

#[test]
fn semicolons_get_a_hint() {
    let message = rejected("time_s;biceps_l;triceps_l;force_l\n0;1;2;3\n");
    assert_csv_message(&message, None, "columns must be separated by commas");
}

#[test]
fn repeated_channel_column() {
    let message = rejected("biceps_l,triceps_l,force_l,biceps_l\n1,2,3,4\n");
    assert_csv_message(&message, Some(1), "column 4 \"biceps_l\" repeats column 1");
}

#[test]
fn bad_number_names_line_and_column() {
    let text = GOOD.replace("1.0,-3.0", "1.0,-3.O");
    let e = read(&text).expect_err("bad number");
    assert!(
        matches!(
            e,
            CsvError::BadValue {
                line: 4,
                column: 3,
                ..
            }
        ),
        "{e:?}"
    );
    assert_csv_message(
        &e.to_string(),
        Some(4),
        "column 3 (triceps_l): \"-3.O\" is not a number",
    );
}

#[test]
fn empty_field_names_line_and_column() {
    let message = rejected(&GOOD.replace("1.25,-2.5,101.0", "1.25,,101.0"));
    assert_csv_message(&message, Some(3), "column 3 (triceps_l): empty field");
}

#[test]
fn nan_value_is_rejected() {
    let message = rejected(&GOOD.replace("102.5", "nan"));
    assert_csv_message(
        &message,
        Some(4),
        "column 4 (force_l): \"nan\" is not a finite number",
    );
}

#[test]
fn bad_time_value() {
    let message = rejected(&GOOD.replace("0.002,", "0.00two,"));
    assert_csv_message(
        &message,
        Some(4),
        "column 1 (time_s): \"0.00two\" is not a number",
    );
}

#[test]
fn too_few_fields() {
    let e = read(&GOOD.replace("0.001,1.25,-2.5,101.0", "0.001,1.25,-2.5")).expect_err("3 fields");
    assert!(
        matches!(
            e,
            CsvError::FieldCount {
                line: 3,
                found: 3,
                expected: 4,
                ..
            }
        ),
        "{e:?}"
    );
    assert_csv_message(
        &e.to_string(),
        Some(3),
        "3 fields, but the header names 4 columns",
    );
}

#[test]
fn too_many_fields() {
    let message = rejected(&GOOD.replace("0.003,0.75,-3.5,104.0", "0.003,0.75,-3.5,104.0,7"));
    assert_csv_message(
        &message,
        Some(5),
        "5 fields, but the header names 4 columns",
    );
}

#[test]
fn rate_mismatch_beyond_a_tenth_of_a_percent() {
    // 0.2 % fast: 1002 Hz against the montage's 1000 Hz.
    let rows: String = (0..200)
        .map(|i| format!("{:.9},1,2,3\n", i as f64 / 1002.0))
        .collect();
    let text = format!("time_s,biceps_l,triceps_l,force_l\n{rows}");
    let e = read(&text).expect_err("0.2 % off");
    assert!(matches!(e, CsvError::RateMismatch { .. }), "{e:?}");
    assert_csv_message(
        &e.to_string(),
        None,
        "but the montage's sample_rate_hz is 1000 Hz",
    );
    // 0.05 % is within tolerance, and the montage's rate is kept.
    let rows: String = (0..200)
        .map(|i| format!("{:.9},1,2,3\n", i as f64 / 1000.5))
        .collect();
    let r = read(&format!("time_s,biceps_l,triceps_l,force_l\n{rows}")).expect("within 0.1 %");
    assert_eq!(r.recording.sample_rate_hz(), 1000.0);
}

#[test]
fn irregular_time_step_names_its_line() {
    // Row 0.002 is missing: the step from 0.001 to 0.003 (line 4) is twice the others.
    let text = "time_s,biceps_l,triceps_l,force_l\n0.000,1,2,3\n0.001,1,2,3\n0.003,1,2,3\n0.004,1,2,3\n0.005,1,2,3\n0.006,1,2,3\n";
    let e = read(text).expect_err("a lost row");
    assert!(
        matches!(e, CsvError::IrregularTime { line: 4, .. }),
        "{e:?}"
    );
    assert_csv_message(
        &e.to_string(),
        Some(4),
        "time_s steps by 0.002 s here but by 0.0012 s on average; rows must be evenly spaced",
    );
}

#[test]
fn time_going_backwards() {
    let message =
        rejected("time_s,biceps_l,triceps_l,force_l\n0.002,1,2,3\n0.001,1,2,3\n0.000,1,2,3\n");
    assert_csv_message(&message, Some(3), "rows must be evenly spaced");
}

#[test]
fn empty_file() {
    let e = read("").expect_err("empty");
    assert!(matches!(e, CsvError::Empty { .. }), "{e:?}");
    assert_csv_message(&e.to_string(), None, "the file is empty");
}

#[test]
fn blank_first_line() {
    let message = rejected("\n\n");
    assert_csv_message(&message, None, "the file is empty");
}

#[test]
fn header_only() {
    let e = read("time_s,biceps_l,triceps_l,force_l\n").expect_err("no rows");
    assert!(matches!(e, CsvError::NoRows { .. }), "{e:?}");
    assert_csv_message(&e.to_string(), None, "no data rows after the header line");
}

#[test]
fn crlf_bom_spaces_and_quotes_are_tolerated() {
    let text = "\u{feff}\"time_s\", biceps_l ,triceps_l,\tforce_l\r\n0.000, 1.5 ,-2.0,100\r\n0.001,1.25, -2.5,\"101\"\r\n\r\n";
    let r = read(text).expect("CRLF and friends");
    assert_eq!(r.recording.samples.dim(), (2, 3));
    assert_eq!(r.recording.samples.row(1).to_vec(), [1.25, -2.5, 101.0]);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn no_trailing_newline() {
    let r = read(GOOD.trim_end()).expect("last line without newline");
    assert_eq!(r.recording.samples.nrows(), 4);
}

#[test]
fn blank_line_inside_the_data() {
    let message = rejected(&GOOD.replace("0.002,", "\n0.002,"));
    assert_csv_message(&message, Some(4), "an empty line before more data");
}

#[test]
fn not_utf8() {
    let mut bytes = GOOD.as_bytes().to_vec();
    bytes.extend_from_slice(b"0.004,\xff\xfe,1,2\n");
    let e = read_csv(&TempCsv::new(&bytes).0, &montage()).expect_err("binary junk");
    assert_csv_message(&e.to_string(), Some(6), "not UTF-8 text");
}

#[test]
fn missing_file() {
    let path = std::env::temp_dir().join("myobalance-csv-test-no-such-file.csv");
    let e = read_csv(&path, &montage()).expect_err("no file");
    assert_csv_message(&e.to_string(), None, "cannot read the file");
}

#[test]
fn scale_and_offset_are_not_applied_but_warned_about() {
    let text = MONTAGE.replace("unit = \"N\"", "unit = \"N\"\nscale = 0.01\noffset = 2.0");
    let m = Montage::from_toml_str(&text, "test.toml").expect("valid");
    let r = read_with(GOOD, &m).expect("read");
    assert_eq!(column(&r, 2), [100.0, 101.0, 102.5, 104.0]);
    assert_eq!(r.warnings.len(), 1);
    assert!(
        r.warnings[0].contains("scale and offset of force_l are not applied"),
        "{:?}",
        r.warnings
    );
}

#[test]
fn montage_windows_are_checked_at_the_file_rate() {
    // At 100 Hz from time_s, a 0.01 s RMS window is a single sample.
    let text = MONTAGE.replace("sample_rate_hz = 1000.0\n", "")
        + "\n[analysis]\nrms_window_s = 0.01\nbandpass_hz = [5, 40]\n";
    let m = Montage::from_toml_str(&text, "test.toml").expect("valid without a rate");
    let csv = "time_s,biceps_l,triceps_l,force_l\n0.00,1,2,3\n0.01,1,2,3\n0.02,1,2,3\n";
    let e = read_with(csv, &m).expect_err("window too short");
    assert!(matches!(e, CsvError::Montage { .. }), "{e:?}");
    let message = e.to_string();
    assert!(message.starts_with("montage used with "), "{message}");
    assert!(message.contains("myobalance-csv-test-"), "{message}");
    assert!(
        message.contains("analysis.rms_window_s: 0.01 s rounds to 1 sample at 100 Hz"),
        "{message}"
    );
}

#[test]
fn many_rows_round_trip_exactly() {
    let rows = 5000;
    let value = |i: usize, c: usize| ((i * 7919 + c * 104_729) % 10_007) as f32 * 0.013 - 60.0;
    let mut text = String::from("time_s,triceps_l,biceps_l,force_l\n");
    for i in 0..rows {
        text.push_str(&format!(
            "{},{},{},{}\n",
            i as f64 / 1000.0,
            value(i, 1),
            value(i, 0),
            value(i, 2)
        ));
    }
    let r = read(&text).expect("good file");
    assert_eq!(r.recording.samples.dim(), (rows, 3));
    for i in (0..rows).step_by(97) {
        for c in 0..3 {
            assert_eq!(
                r.recording.samples[[i, c]],
                value(i, c),
                "row {i} channel {c}"
            );
        }
    }
    assert_eq!(r.recording.duration_s(), 5.0);
}
