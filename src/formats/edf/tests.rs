//! Bad input for the EDF/BDF reader, on files built byte by byte here: every fault is a
//! named error or a warning, never a panic, and a lying header never allocates what the
//! file cannot hold. (Files written by pyedflib and edfio are read in
//! tests/it/formats_edf.rs.)

use super::*;

/// One signal of a test file.
#[derive(Clone)]
struct Sig {
    label: &'static str,
    unit: &'static str,
    pmin: &'static str,
    pmax: &'static str,
    dmin: &'static str,
    dmax: &'static str,
    spr: &'static str,
}

fn sig(label: &'static str, spr: &'static str) -> Sig {
    Sig {
        label,
        unit: "uV",
        pmin: "-3200",
        pmax: "3200",
        dmin: "-32768",
        dmax: "32767",
        spr,
    }
}

/// Reads one header field of a test signal.
type FieldOf = fn(&Sig) -> &str;

/// A header: file fields then the signal fields, every field space-padded.
struct Build {
    version: Vec<u8>,
    patient: &'static str,
    recording: &'static str,
    date: &'static str,
    time: &'static str,
    header_bytes: Option<&'static str>,
    reserved: &'static str,
    records: &'static str,
    duration: &'static str,
    ns: Option<&'static str>,
    signals: Vec<Sig>,
}

fn edf(signals: Vec<Sig>) -> Build {
    Build {
        version: EDF_MAGIC.to_vec(),
        patient: "P07 M 01-JAN-1990 Test",
        recording: "Startdate 05-MAR-2024 lab tech amp",
        date: "05.03.24",
        time: "14.03.11",
        header_bytes: None,
        reserved: "",
        records: "2",
        duration: "0.5",
        ns: None,
        signals,
    }
}

fn pad(out: &mut Vec<u8>, text: &str, width: usize) {
    let mut field = text.as_bytes().to_vec();
    field.resize(width, b' ');
    out.extend_from_slice(&field[..width]);
}

impl Build {
    fn header(&self) -> Vec<u8> {
        let ns = self.signals.len();
        let mut h = Vec::new();
        h.extend_from_slice(&self.version);
        pad(&mut h, self.patient, 80);
        pad(&mut h, self.recording, 80);
        pad(&mut h, self.date, 8);
        pad(&mut h, self.time, 8);
        let hb = (256 * (ns + 1)).to_string();
        pad(&mut h, self.header_bytes.unwrap_or(&hb), 8);
        pad(&mut h, self.reserved, 44);
        pad(&mut h, self.records, 8);
        pad(&mut h, self.duration, 8);
        let n = ns.to_string();
        pad(&mut h, self.ns.unwrap_or(&n), 4);
        let fields: [(FieldOf, usize); 10] = [
            (|s| s.label, 16),
            (|_| "AgAgCl electrode", 80),
            (|s| s.unit, 8),
            (|s| s.pmin, 8),
            (|s| s.pmax, 8),
            (|s| s.dmin, 8),
            (|s| s.dmax, 8),
            (|_| "HP:10Hz", 80),
            (|s| s.spr, 8),
            (|_| "", 32),
        ];
        for (get, width) in fields {
            for s in &self.signals {
                pad(&mut h, get(s), width);
            }
        }
        h
    }

    fn with_data(&self, data: &[u8]) -> Vec<u8> {
        let mut out = self.header();
        out.extend_from_slice(data);
        out
    }
}

/// Little-endian 16-bit samples.
fn words(values: &[i16]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// A record's annotation bytes padded with NULs to `len`.
fn tal(text: &[u8], len: usize) -> Vec<u8> {
    let mut out = text.to_vec();
    out.resize(len, 0);
    out
}

fn error(bytes: &[u8]) -> FormatError {
    match parse(bytes, "t.edf") {
        Ok(i) => panic!("expected an error, read {i:?}"),
        Err(e) => e,
    }
}

#[test]
fn plain_edf_samples_follow_the_calibration_formula() {
    let b = edf(vec![sig("EMG L Biceps", "2"), {
        let mut s = sig("Force", "1");
        s.unit = "N";
        s.pmin = "500";
        s.pmax = "-500";
        s.dmin = "-2048";
        s.dmax = "2047";
        s
    }]);
    let data = [words(&[-32768, 32767, 7]), words(&[0, -1, 100])].concat();
    let imp = parse(&b.with_data(&data), "t.edf").unwrap();
    assert_eq!(imp.format, "EDF");
    assert_eq!(imp.signals.len(), 2);
    let emg = &imp.signals[0];
    assert_eq!(
        (emg.label.as_str(), emg.unit.as_str(), emg.rate_hz),
        ("EMG L Biceps", "uV", 4.0)
    );
    assert_eq!(emg.detail, "AgAgCl electrode; HP:10Hz");
    let phys = |d: f64, dmin: f64, dmax: f64, pmin: f64, pmax: f64| {
        ((d - dmin) * (pmax - pmin) / (dmax - dmin) + pmin) as f32
    };
    let expect_emg: Vec<f32> = [-32768.0, 32767.0, 0.0, -1.0]
        .iter()
        .map(|&d| phys(d, -32768.0, 32767.0, -3200.0, 3200.0))
        .collect();
    assert_eq!(emg.samples, expect_emg);
    let force = &imp.signals[1];
    assert_eq!(force.rate_hz, 2.0);
    let expect_force: Vec<f32> = [7.0, 100.0]
        .iter()
        .map(|&d| phys(d, -2048.0, 2047.0, 500.0, -500.0))
        .collect();
    for (a, b) in force.samples.iter().zip(&expect_force) {
        assert!((a - b).abs() <= 1e-4, "{a} vs {b}");
    }
    assert_eq!(imp.recorded_utc.as_deref(), Some("2024-03-05T14:03:11"));
    // Plain EDF: the patient field as written.
    assert_eq!(imp.subject.as_deref(), Some("P07 M 01-JAN-1990 Test"));
    assert!(imp.warnings.is_empty(), "{:?}", imp.warnings);
}

#[test]
fn bdf_reads_24_bit_samples() {
    let mut b = edf(vec![{
        let mut s = sig("R_Triceps", "2");
        s.dmin = "-8388608";
        s.dmax = "8388607";
        s.pmin = "-8388608";
        s.pmax = "8388607";
        s
    }]);
    b.version = BDF_MAGIC.to_vec();
    b.records = "1";
    let data = [0x00, 0x00, 0x80, 0xFE, 0xFF, 0xFF];
    let imp = parse(&b.with_data(&data), "t.bdf").unwrap();
    assert_eq!(imp.format, "BDF");
    assert_eq!(imp.signals[0].samples, vec![-8_388_608.0, -2.0]);
}

#[test]
fn edf_plus_annotations_timekeeping_and_gaps() {
    let mut b = edf(vec![sig("EMG", "2"), sig("EDF Annotations", "20")]);
    b.reserved = "EDF+D";
    b.records = "3";
    let records = [
        (
            words(&[1, 2]),
            tal(
                b"+0.25\x14\x14MVC start\x14\x00+0.5\x151.5\x14hold\x14\x00",
                40,
            ),
        ),
        (words(&[3, 4]), tal(b"+0.75\x14\x14\x00", 40)),
        // Starts 2 s after the previous record ends.
        (
            words(&[5, 6]),
            tal(b"+3.25\x14\x14\x00+3.5\x14ende \xc3\xa4\x14\x00", 40),
        ),
    ];
    let data: Vec<u8> = records
        .iter()
        .flat_map(|(s, a)| [s.clone(), a.clone()].concat())
        .collect();
    let imp = parse(&b.with_data(&data), "t.edf").unwrap();
    assert_eq!(imp.format, "EDF+D");
    assert_eq!(imp.signals.len(), 1);
    assert_eq!(imp.signals[0].samples.len(), 6);
    assert_eq!(imp.subject.as_deref(), Some("P07"));
    assert_eq!(
        imp.recorded_utc.as_deref(),
        Some("2024-03-05T14:03:11.250000")
    );
    let texts: Vec<(f64, &str)> = imp
        .annotations
        .iter()
        .map(|a| (a.time_s, a.text.as_str()))
        .collect();
    assert_eq!(
        texts,
        vec![(0.0, "MVC start"), (0.25, "hold"), (3.25, "ende ä")]
    );
    assert!(imp.annotations[0].duration_s.is_nan());
    assert_eq!(imp.annotations[1].duration_s, 1.5);
    assert_eq!(imp.gaps.len(), 1);
    assert_eq!(imp.gaps[0].at_s, 1.0);
    assert!((imp.gaps[0].missing_s - 2.0).abs() < 1e-12);
    assert!(imp.warnings.is_empty(), "{:?}", imp.warnings);
}

#[test]
fn annotation_only_file_may_have_zero_duration_records() {
    let mut b = edf(vec![sig("EDF Annotations", "8")]);
    b.reserved = "EDF+C";
    b.duration = "0";
    b.records = "1";
    let imp = parse(
        &b.with_data(&tal(b"+0\x14\x14\x00+2\x14x\x14\x00", 16)),
        "t.edf",
    )
    .unwrap();
    assert!(imp.signals.is_empty());
    assert_eq!(imp.annotations.len(), 1);

    let mut b = edf(vec![sig("EMG", "1")]);
    b.duration = "0";
    let e = error(&b.with_data(&words(&[1, 2])));
    assert!(e.location.contains("duration of a data record"), "{e}");
}

#[test]
fn truncated_file_keeps_complete_records_and_warns() {
    let mut b = edf(vec![sig("EMG", "2")]);
    b.records = "3";
    let imp = parse(&b.with_data(&words(&[1, 2, 3, 4, 5])), "t.edf").unwrap();
    assert_eq!(imp.signals[0].samples.len(), 4);
    assert_eq!(imp.warnings.len(), 1);
    let w = &imp.warnings[0];
    assert!(
        w.contains("3 data records expected") && w.contains("2 complete records found"),
        "{w}"
    );
    assert!(
        !w.contains("t.edf"),
        "warnings leave the file name to the caller: {w}"
    );
}

#[test]
fn minus_one_records_counts_from_the_size() {
    let mut b = edf(vec![sig("EMG", "2")]);
    b.records = "-1";
    let imp = parse(&b.with_data(&words(&[1, 2, 3, 4, 5, 6])), "t.edf").unwrap();
    assert_eq!(imp.signals[0].samples.len(), 6);
    assert!(imp.warnings.is_empty());
    b.records = "-2";
    let e = error(&b.with_data(&[]));
    assert!(e.location.contains("number of data records"), "{e}");
}

#[test]
fn extra_bytes_after_the_records_are_ignored_with_a_warning() {
    let mut b = edf(vec![sig("EMG", "1")]);
    b.records = "1";
    let imp = parse(&b.with_data(&words(&[1, 2, 3])), "t.edf").unwrap();
    assert_eq!(imp.signals[0].samples.len(), 1);
    assert!(
        imp.warnings[0].contains("4 bytes after"),
        "{:?}",
        imp.warnings
    );
}

#[test]
fn not_an_edf_file() {
    let e = error(b"PK\x03\x04 something else entirely");
    assert!(e.location.contains("\"version\", bytes 0–7"), "{e}");
    let e = error(b"0       short");
    assert!(
        e.message.contains("shorter than the 256-byte header"),
        "{e}"
    );
    assert!(error(b"").message.contains("0 bytes long"));
    assert!(error(b"\xFFBIO").message.contains("4 bytes long"));
}

#[test]
fn signal_count_must_be_positive_and_match_the_header_size() {
    let mut b = edf(vec![sig("EMG", "1")]);
    b.ns = Some("0");
    let e = error(&b.with_data(&[]));
    assert!(
        e.location.contains("\"number of signals\", bytes 252–255"),
        "{e}"
    );
    let mut b = edf(vec![sig("EMG", "1")]);
    b.ns = Some("2");
    let e = error(&b.with_data(&[0; 64]));
    assert!(
        e.location.contains("number of bytes in header record"),
        "{e}"
    );
    assert!(e.message.contains("768"), "{e}");
    let mut b = edf(vec![sig("EMG", "1")]);
    b.header_bytes = Some("12x");
    let e = error(&b.with_data(&[]));
    assert!(e.message.contains("\"12x\" is not a whole number"), "{e}");
}

#[test]
fn a_header_claiming_many_signals_in_a_short_file_is_refused_without_allocating() {
    let mut b = edf(vec![sig("EMG", "1")]);
    b.ns = Some("9999");
    b.header_bytes = Some("2560000");
    let e = error(&b.with_data(&[]));
    assert!(
        e.message.contains("ends inside its 2560000-byte header"),
        "{e}"
    );
}

#[test]
fn numeric_fields_name_field_signal_and_bytes() {
    let mut s = sig("EMG R", "1");
    s.pmin = "-3,5";
    let b = edf(vec![sig("EMG L", "1"), s]);
    let e = error(&b.with_data(&[]));
    // Two signals: physical minimum starts at 256 + 2·104 = 464; signal 2 at 472.
    assert_eq!(
        e.location,
        "header field \"physical minimum\" of signal 2 (\"EMG R\"), bytes 472–479"
    );
    assert!(e.message.contains("\"-3,5\" is not a number"), "{e}");

    let mut s = sig("EMG R", "1");
    s.dmax = "";
    let e = error(&edf(vec![s]).with_data(&[]));
    assert!(
        e.location.contains("\"digital maximum\" of signal 1"),
        "{e}"
    );
    assert!(e.message.contains("empty"), "{e}");

    let mut b = edf(vec![sig("EMG", "1")]);
    b.duration = "1s";
    assert!(error(&b.with_data(&[]))
        .location
        .contains("duration of a data record"));
    b.duration = "NaN";
    assert!(error(&b.with_data(&[]))
        .location
        .contains("duration of a data record"));
    b.duration = "-1";
    assert!(error(&b.with_data(&[])).message.contains("cannot last"));
}

#[test]
fn degenerate_ranges_are_refused() {
    let mut s = sig("EMG", "1");
    s.dmin = "100";
    s.dmax = "100";
    let e = error(&edf(vec![s]).with_data(&[]));
    assert!(
        e.location
            .contains("\"digital minimum\" of signal 1 (\"EMG\")"),
        "{e}"
    );
    assert!(e.message.contains("equals digital maximum (100)"), "{e}");
    let mut s = sig("EMG", "1");
    s.pmax = "-3200";
    let e = error(&edf(vec![s]).with_data(&[]));
    assert!(
        e.message
            .contains("physical minimum equals physical maximum"),
        "{e}"
    );
}

#[test]
fn samples_per_record_zero_or_absurd_are_refused() {
    let e = error(&edf(vec![sig("EMG", "0")]).with_data(&[]));
    assert!(
        e.location.contains("number of samples in each data record"),
        "{e}"
    );
    let mut b = edf(vec![sig("EMG", "99999999")]);
    b.duration = "0.001";
    let e = error(&b.with_data(&[]));
    assert!(e.message.contains("above the 1000000 Hz"), "{e}");
    let e = error(&edf(vec![sig("EMG", "-5")]).with_data(&[]));
    assert!(e.message.contains("-5 samples"), "{e}");
}

#[test]
fn non_ascii_header_bytes_are_refused_with_their_field() {
    let b = edf(vec![sig("EMG", "1")]);
    let mut bytes = b.with_data(&words(&[0, 0]));
    bytes[8 + 3] = 0xC3; // inside the patient field
    let e = error(&bytes);
    assert_eq!(
        e.location,
        "header field \"local patient identification\", bytes 8–87"
    );
    assert!(e.message.contains("byte 11 is 0xC3"), "{e}");

    let mut bytes = b.with_data(&words(&[0, 0]));
    bytes[256 + 16 + 2] = 0; // NUL in the transducer type of signal 1
    let e = error(&bytes);
    assert_eq!(
        e.location,
        "header field \"transducer type\" of signal 1 (\"EMG\"), bytes 272–351"
    );
}

#[test]
fn plain_edf_without_patient_has_no_subject_and_bad_dates_only_warn() {
    let mut b = edf(vec![sig("EMG", "1")]);
    b.patient = "";
    b.date = "5.3.2024";
    let imp = parse(&b.with_data(&words(&[0, 0])), "t.edf").unwrap();
    assert_eq!(imp.subject, None);
    assert_eq!(imp.recorded_utc, None);
    assert!(
        imp.warnings.iter().any(|w| w.contains("start date")),
        "{:?}",
        imp.warnings
    );
}

#[test]
fn malformed_annotations_warn_and_keep_the_samples() {
    let mut b = edf(vec![sig("EMG", "1"), sig("EDF Annotations", "8")]);
    b.reserved = "EDF+C";
    let data = [
        words(&[1]),
        tal(b"+0\x14\x14\x00garbage\x14\x00", 16),
        words(&[2]),
        tal(b"+0.5\x14\x14\x00+0.6\x14ok\x14\x00", 16),
    ]
    .concat();
    let imp = parse(&b.with_data(&data), "t.edf").unwrap();
    assert_eq!(imp.signals[0].samples.len(), 2);
    assert_eq!(imp.annotations.len(), 1);
    assert_eq!(imp.annotations[0].text, "ok");
    assert!(
        imp.warnings[0].contains("data record 1 of signal 2"),
        "{:?}",
        imp.warnings
    );
}

#[test]
fn one_thread_and_many_give_identical_results() {
    let mut sigs = Vec::new();
    for label in [
        "EMG L Biceps",
        "EMG R Biceps",
        "EMG L Triceps",
        "EMG R Triceps",
        "Force",
    ] {
        sigs.push(sig(label, "50"));
    }
    let mut b = edf(sigs);
    b.records = "20";
    let mut state = 12345u32;
    let data: Vec<u8> = (0..20 * 5 * 50 * 2)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    let bytes = b.with_data(&data);
    let many = parse(&bytes, "t.edf").unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let one = pool.install(|| parse(&bytes, "t.edf")).unwrap();
    assert_eq!(one, many);
}

/// Mutated and truncated copies of a valid EDF+ file with annotations: any outcome but a
/// panic is fine.
#[test]
fn mutated_files_never_panic() {
    let mut b = edf(vec![
        sig("EMG", "4"),
        sig("Force", "2"),
        sig("EDF Annotations", "12"),
    ]);
    b.reserved = "EDF+D";
    b.records = "3";
    let mut data = Vec::new();
    for r in 0..3 {
        data.extend(words(&[1, -2, 3, -4, 5, 6]));
        let stamp = format!("+{}\x14\x14\x00+0.1\x150.2\x14a\x14\x00", r);
        data.extend(tal(stamp.as_bytes(), 24));
    }
    let valid = b.with_data(&data);
    assert!(parse(&valid, "t.edf").is_ok());
    let mut bdf = valid.clone();
    bdf[..8].copy_from_slice(BDF_MAGIC);
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let interesting = b" -+.0123456789\x00\x14\x15\xffEeX";
    for round in 0..4000 {
        let mut bytes = if round % 2 == 0 {
            valid.clone()
        } else {
            bdf.clone()
        };
        for _ in 0..1 + next() % 4 {
            let at = (next() as usize) % bytes.len();
            bytes[at] = match next() % 3 {
                0 => next() as u8,
                _ => interesting[(next() as usize) % interesting.len()],
            };
        }
        if next() % 4 == 0 {
            let keep = (next() as usize) % (bytes.len() + 1);
            bytes.truncate(keep);
        }
        let _ = parse(&bytes, "fuzz.edf");
    }
}

#[test]
fn a_range_that_overflows_what_is_stored_is_refused() {
    let mut s = sig("EMG", "1");
    s.pmin = "-9e+38";
    s.pmax = "9e+38";
    s.dmin = "0";
    s.dmax = "1";
    let e = error(&edf(vec![s]).with_data(&[]));
    assert!(
        e.location.contains("\"physical maximum\" of signal 1"),
        "{e}"
    );
    assert!(e.message.contains("±3.4·10³⁸"), "{e}");
}
