//! Bad input and encodings, on small C3D files built here byte by byte (the C3D user guide's
//! layout), whose raw words and expected physical values are known by construction; and a
//! seeded mutation loop that must never panic.

use super::*;

/// One parameter value of the builder.
enum V {
    I16(Vec<i16>),
    F32(Vec<f32>),
    Str(Vec<&'static str>),
    /// Type byte, dimensions and data as given (to lie).
    Raw(i8, Vec<u8>, Vec<u8>),
}

/// A C3D file under construction, written in any of the three encodings.
struct Build {
    processor: u8,
    groups: Vec<(&'static str, Vec<(&'static str, V)>)>,
    point_used: u16,
    float: bool,
    frames: u16,
    /// Raw analog words, frame-major: frames × per_frame × channels.
    analog: Vec<f32>,
    used: usize,
    per_frame: usize,
}

impl Build {
    fn u16(&self, v: u16) -> [u8; 2] {
        if self.processor == 86 {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    }

    fn f32(&self, v: f32) -> [u8; 4] {
        match self.processor {
            86 => v.to_be_bytes(),
            85 => {
                if v == 0.0 {
                    return [0; 4];
                }
                // VAX F: the IEEE pattern with the exponent raised by 2, 16-bit words swapped.
                let b = v.to_bits() + (2 << 23);
                [(b >> 16) as u8, (b >> 24) as u8, b as u8, (b >> 8) as u8]
            }
            _ => v.to_le_bytes(),
        }
    }

    fn value(&self, v: &V) -> (i8, Vec<u8>, Vec<u8>) {
        match v {
            V::I16(x) => (
                2,
                if x.len() == 1 {
                    vec![]
                } else {
                    vec![x.len() as u8]
                },
                x.iter().flat_map(|&w| self.u16(w as u16)).collect(),
            ),
            V::F32(x) => (
                4,
                if x.len() == 1 {
                    vec![]
                } else {
                    vec![x.len() as u8]
                },
                x.iter().flat_map(|&f| self.f32(f)).collect(),
            ),
            V::Str(x) => {
                let w = x.iter().map(|s| s.len()).max().unwrap_or(0);
                let data = x
                    .iter()
                    .flat_map(|s| format!("{s:w$}").into_bytes())
                    .collect();
                (-1, vec![w as u8, x.len() as u8], data)
            }
            V::Raw(t, d, data) => (*t, d.clone(), data.clone()),
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut params = vec![0u8, 0, 0, self.processor];
        for (gi, (group, list)) in self.groups.iter().enumerate() {
            let id = gi as i8 + 1;
            params.push(group.len() as u8);
            params.push((-id) as u8);
            params.extend_from_slice(group.as_bytes());
            params.extend_from_slice(&self.u16(3));
            params.push(0);
            for (name, v) in list {
                let (t, dims, data) = self.value(v);
                params.push(name.len() as u8);
                params.push(id as u8);
                params.extend_from_slice(name.as_bytes());
                let next = 2 + 2 + dims.len() + data.len() + 1;
                params.extend_from_slice(&self.u16(next as u16));
                params.push(t as u8);
                params.push(dims.len() as u8);
                params.extend_from_slice(&dims);
                params.extend_from_slice(&data);
                params.push(0);
            }
        }
        let blocks = params.len().div_ceil(512);
        params[2] = blocks as u8;
        params.resize(blocks * 512, 0);

        let mut out = vec![0u8; 512];
        out[0] = 2;
        out[1] = 0x50;
        out[2..4].copy_from_slice(&self.u16(self.point_used));
        out[4..6].copy_from_slice(&self.u16((self.used * self.per_frame) as u16));
        out[6..8].copy_from_slice(&self.u16(1));
        out[8..10].copy_from_slice(&self.u16(self.frames));
        out[12..16].copy_from_slice(&self.f32(if self.float { -0.1 } else { 0.1 }));
        out[16..18].copy_from_slice(&self.u16(2 + blocks as u16));
        out[18..20].copy_from_slice(&self.u16(self.per_frame as u16));
        out[20..24].copy_from_slice(&self.f32(100.0));
        out.extend(params);
        let per_frame_words = self.used * self.per_frame;
        for f in 0..self.frames as usize {
            for p in 0..self.point_used as usize * 4 {
                let v = (f * 10 + p) as f32;
                if self.float {
                    out.extend(self.f32(v));
                } else {
                    out.extend(self.u16(v as u16));
                }
            }
            for &w in &self.analog[f * per_frame_words..(f + 1) * per_frame_words] {
                if self.float {
                    out.extend(self.f32(w));
                } else {
                    out.extend(self.u16(w as i32 as u16));
                }
            }
        }
        out
    }

    fn set(&mut self, group: &str, name: &str, v: V) {
        let list = &mut self.groups.iter_mut().find(|g| g.0 == group).unwrap().1;
        match list.iter_mut().find(|p| p.0 == name) {
            Some(p) => p.1 = v,
            None => list.push((Box::leak(name.to_string().into_boxed_str()), v)),
        }
    }

    fn remove(&mut self, group: &str, name: &str) {
        let list = &mut self.groups.iter_mut().find(|g| g.0 == group).unwrap().1;
        list.retain(|p| p.0 != name);
    }
}

const FRAMES: u16 = 10;
const SCALES: [f32; 2] = [0.5, 2.0];
const OFFSETS: [i16; 2] = [10, -3];
const GEN_SCALE: f32 = 0.25;

/// Raw word of channel `c` at analog sample `k`.
fn raw(k: usize, c: usize) -> f32 {
    ((k * 37 + c * 1000) % 2001) as f32 - 1000.0
}

/// A valid file: 1 point, 2 analog channels at 2 samples per frame (200 Hz at 100 Hz),
/// events (first frame 1) and a subject.
fn sample(processor: u8, float: bool) -> Build {
    let (used, per_frame) = (2usize, 2usize);
    let mut analog = Vec::new();
    for k in 0..FRAMES as usize * per_frame {
        for c in 0..used {
            analog.push(raw(k, c));
        }
    }
    Build {
        processor,
        groups: vec![
            (
                "POINT",
                vec![
                    ("USED", V::I16(vec![1])),
                    ("RATE", V::F32(vec![100.0])),
                    ("SCALE", V::F32(vec![if float { -0.1 } else { 0.1 }])),
                    ("FRAMES", V::I16(vec![FRAMES as i16])),
                ],
            ),
            (
                "ANALOG",
                vec![
                    ("USED", V::I16(vec![used as i16])),
                    ("RATE", V::F32(vec![200.0])),
                    ("LABELS", V::Str(vec!["EMG L BB", "Force"])),
                    ("UNITS", V::Str(vec!["uV", "N"])),
                    ("DESCRIPTIONS", V::Str(vec!["biceps", ""])),
                    ("SCALE", V::F32(SCALES.to_vec())),
                    ("OFFSET", V::I16(OFFSETS.to_vec())),
                    ("GEN_SCALE", V::F32(vec![GEN_SCALE])),
                ],
            ),
            (
                "EVENT",
                vec![
                    ("USED", V::I16(vec![2])),
                    ("CONTEXTS", V::Str(vec!["Left", "Right"])),
                    ("LABELS", V::Str(vec!["Foot Off", "Foot Strike"])),
                    ("TIMES", V::Raw(4, vec![2, 2], vec![])),
                ],
            ),
            ("SUBJECTS", vec![("NAMES", V::Str(vec!["S01"]))]),
        ],
        point_used: 1,
        float,
        frames: FRAMES,
        analog,
        used,
        per_frame,
    }
    .with_times(&[0.0, 0.07, 0.0, 0.03])
}

impl Build {
    fn with_times(mut self, t: &[f32]) -> Build {
        let data = t.iter().flat_map(|&x| self.f32(x)).collect();
        self.set(
            "EVENT",
            "TIMES",
            V::Raw(4, vec![2, (t.len() / 2) as u8], data),
        );
        self
    }
}

fn expected(k: usize, c: usize) -> f32 {
    ((f64::from(raw(k, c)) - f64::from(OFFSETS[c])) * (f64::from(SCALES[c]) * f64::from(GEN_SCALE)))
        as f32
}

fn parse_ok(bytes: &[u8]) -> Imported {
    match parse(bytes, "t.c3d") {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    }
}

fn parse_err(bytes: &[u8]) -> FormatError {
    parse(bytes, "t.c3d").expect_err("should fail")
}

#[test]
fn three_encodings_give_the_known_values() {
    for processor in [84, 85, 86] {
        for float in [false, true] {
            let imported = parse_ok(&sample(processor, float).bytes());
            assert_eq!(imported.format, "C3D");
            assert_eq!(imported.signals.len(), 2);
            let s = &imported.signals;
            assert_eq!(
                (s[0].label.as_str(), s[0].unit.as_str()),
                ("EMG L BB", "uV")
            );
            assert_eq!((s[1].label.as_str(), s[1].unit.as_str()), ("Force", "N"));
            assert_eq!((s[0].detail.as_str(), s[1].detail.as_str()), ("biceps", ""));
            for (c, signal) in s.iter().enumerate() {
                assert_eq!(signal.rate_hz, 200.0);
                assert_eq!(signal.emg_transfer, None);
                assert_eq!(signal.samples.len(), FRAMES as usize * 2);
                for (k, &v) in signal.samples.iter().enumerate() {
                    assert_eq!(v, expected(k, c), "processor {processor} float {float}");
                }
            }
            assert_eq!(imported.subject.as_deref(), Some("S01"));
            let texts: Vec<_> = imported
                .annotations
                .iter()
                .map(|a| a.text.as_str())
                .collect();
            assert_eq!(texts, ["Right Foot Strike", "Left Foot Off"]);
            assert!((imported.annotations[0].time_s - 0.03).abs() < 1e-6);
            assert!(imported.annotations[0].duration_s.is_nan());
            assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
            assert!(is_c3d(&sample(processor, float).bytes()));
        }
    }
}

#[test]
fn unknown_processor_byte() {
    let mut b = sample(84, false).bytes();
    b[515] = 87;
    let e = parse_err(&b);
    assert_eq!(
        e.location,
        "parameter section header, byte 515 (processor type)"
    );
    assert!(e.message.contains("is 87"), "{e}");
    assert!(!is_c3d(&b));
}

#[test]
fn parameter_pointer_past_the_end() {
    let mut b = sample(84, false).bytes();
    b[0] = 200;
    let e = parse_err(&b);
    assert_eq!(e.location, "header byte 0 (parameter section pointer)");
    assert!(e.message.contains("past the end of the file"), "{e}");
    b[0] = 1;
    assert!(parse_err(&b).message.contains("block 2 or later"));
}

#[test]
fn truncated_data_keeps_complete_frames() {
    let full = sample(84, false).bytes();
    // Frame: 4 point words + 2 × 2 analog words = 16 bytes; cut inside the 8th frame.
    let frame = 16;
    let data_start = full.len() - FRAMES as usize * frame;
    let cut = &full[..data_start + 7 * frame + 5];
    let imported = parse_ok(cut);
    assert_eq!(imported.signals[0].samples.len(), 14);
    assert_eq!(imported.signals[1].samples[13], expected(13, 1));
    assert_eq!(imported.warnings.len(), 1);
    let w = &imported.warnings[0];
    assert!(
        w.contains("7 of the 10 frames that POINT:FRAMES gives"),
        "{w}"
    );
    assert!(w.contains("3 frames are missing"), "{w}");
    assert!(!w.contains("t.c3d"));
}

#[test]
fn lying_dimensions_name_the_parameter() {
    let mut s = sample(84, false);
    // 4 × 200 characters in a record holding 8.
    s.set(
        "ANALOG",
        "LABELS",
        V::Raw(-1, vec![4, 200], b"EMG1EMG2".to_vec()),
    );
    let e = parse_err(&s.bytes());
    assert!(
        e.location
            .starts_with("parameter ANALOG:LABELS (record at byte "),
        "{e}"
    );
    assert!(e.message.contains("800 bytes"), "{e}");
}

#[test]
fn analog_rate_must_be_a_multiple() {
    let mut s = sample(84, false);
    s.set("ANALOG", "RATE", V::F32(vec![250.0]));
    let e = parse_err(&s.bytes());
    assert!(e.location.starts_with("parameter ANALOG:RATE"), "{e}");
    assert!(e.message.contains("not a whole multiple"), "{e}");
}

#[test]
fn short_scale_and_offset_are_errors() {
    let mut s = sample(84, false);
    s.set("ANALOG", "SCALE", V::F32(vec![1.0]));
    let e = parse_err(&s.bytes());
    assert!(e.location.starts_with("parameter ANALOG:SCALE"), "{e}");
    assert!(e.message.contains("1 values for the 2 channels"), "{e}");
    let mut s = sample(84, false);
    s.set("ANALOG", "OFFSET", V::I16(vec![1]));
    assert!(parse_err(&s.bytes())
        .location
        .starts_with("parameter ANALOG:OFFSET"));
    let mut s = sample(84, false);
    s.set("ANALOG", "GEN_SCALE", V::F32(vec![f32::INFINITY]));
    assert!(parse_err(&s.bytes())
        .location
        .starts_with("parameter ANALOG:GEN_SCALE"));
}

#[test]
fn missing_optional_parameters_take_defaults() {
    let mut s = sample(84, false);
    for name in ["UNITS", "DESCRIPTIONS", "SCALE", "OFFSET", "GEN_SCALE"] {
        s.remove("ANALOG", name);
    }
    let imported = parse_ok(&s.bytes());
    for (c, signal) in imported.signals.iter().enumerate() {
        assert_eq!(signal.unit, "");
        assert_eq!(signal.detail, "");
        for (k, &v) in signal.samples.iter().enumerate() {
            assert_eq!(v, raw(k, c));
        }
    }
}

#[test]
fn more_channels_than_labels() {
    let mut s = sample(84, false);
    s.set("ANALOG", "LABELS", V::Str(vec!["EMG L BB"]));
    let imported = parse_ok(&s.bytes());
    assert_eq!(imported.signals[1].label, "Analog 2");
    assert!(
        imported.warnings[0].contains("names 1 of the 2"),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn labels_continue_in_labels2() {
    let mut s = sample(84, false);
    s.set("ANALOG", "LABELS", V::Str(vec!["EMG L BB"]));
    s.set("ANALOG", "LABELS2", V::Str(vec!["Force 2"]));
    let imported = parse_ok(&s.bytes());
    assert_eq!(imported.signals[1].label, "Force 2");
    assert!(imported.warnings.is_empty());
}

#[test]
fn unsigned_format_reads_words_above_32767() {
    let mut s = sample(84, false);
    s.set("ANALOG", "FORMAT", V::Str(vec!["UNSIGNED"]));
    // Offset 40000 needs the unsigned reading of the OFFSET word too.
    s.set("ANALOG", "OFFSET", V::I16(vec![40000u16 as i16, 0]));
    s.analog.iter_mut().for_each(|w| *w += 41000.0);
    let imported = parse_ok(&s.bytes());
    let gain = f64::from(SCALES[0]) * f64::from(GEN_SCALE);
    for (k, &v) in imported.signals[0].samples.iter().enumerate() {
        assert_eq!(v, ((f64::from(raw(k, 0)) + 1000.0) * gain) as f32);
    }
    s.set("ANALOG", "FORMAT", V::Str(vec!["OFFSET_BINARY"]));
    assert!(parse_err(&s.bytes())
        .location
        .starts_with("parameter ANALOG:FORMAT"));
}

#[test]
fn events_from_a_later_first_frame() {
    let mut s = sample(84, false);
    s.groups.push((
        "TRIAL",
        vec![
            ("ACTUAL_START_FIELD", V::I16(vec![21, 0])),
            ("ACTUAL_END_FIELD", V::I16(vec![30, 0])),
        ],
    ));
    let s = s.with_times(&[0.0, 0.5, 1.0, 0.25]);
    let imported = parse_ok(&s.bytes());
    // (21 − 1) / 100 Hz = 0.2 s before the first stored frame.
    let times: Vec<f64> = imported.annotations.iter().map(|a| a.time_s).collect();
    assert!(
        (times[0] - 0.3).abs() < 1e-6 && (times[1] - 60.05).abs() < 1e-4,
        "{times:?}"
    );
}

#[test]
fn event_times_shorter_than_used() {
    let s = sample(84, false).with_times(&[0.0, 0.5]);
    let e = parse_err(&s.bytes());
    assert!(e.location.starts_with("parameter EVENT:TIMES"), "{e}");
    assert!(e.message.contains("need 4"), "{e}");
}

#[test]
fn frame_count_rule() {
    // POINT:FRAMES 65535 with TRIAL fields: the TRIAL range counts, the header does not.
    let mut s = sample(84, false);
    s.set("POINT", "FRAMES", V::I16(vec![-1]));
    s.groups.push((
        "TRIAL",
        vec![
            ("ACTUAL_START_FIELD", V::I16(vec![1, 0])),
            ("ACTUAL_END_FIELD", V::I16(vec![8, 0])),
        ],
    ));
    let imported = parse_ok(&s.bytes());
    assert_eq!(imported.signals[0].samples.len(), 16);
    // LONG_FRAMES wins over TRIAL when both exist (they should agree).
    s.set("POINT", "LONG_FRAMES", V::F32(vec![9.0]));
    assert_eq!(parse_ok(&s.bytes()).signals[0].samples.len(), 18);
    // Without POINT:FRAMES and TRIAL the header's words 4–5 count (1…10).
    let mut s = sample(84, false);
    s.remove("POINT", "FRAMES");
    assert_eq!(parse_ok(&s.bytes()).signals[0].samples.len(), 20);
    // An end before the start is an error naming the parameter.
    let mut s = sample(84, false);
    s.remove("POINT", "FRAMES");
    s.groups.push((
        "TRIAL",
        vec![
            ("ACTUAL_START_FIELD", V::I16(vec![5, 0])),
            ("ACTUAL_END_FIELD", V::I16(vec![4, 0])),
        ],
    ));
    assert!(parse_err(&s.bytes())
        .location
        .starts_with("parameter TRIAL:ACTUAL_END_FIELD"));
}

#[test]
fn data_pointer_past_the_end() {
    let mut b = sample(84, false).bytes();
    b[16..18].copy_from_slice(&900u16.to_le_bytes());
    let e = parse_err(&b);
    assert!(e.location.starts_with("header word 9"), "{e}");
}

#[test]
fn non_numeric_and_non_ascii() {
    let mut s = sample(84, false);
    s.set("ANALOG", "USED", V::Str(vec!["2"]));
    let e = parse_err(&s.bytes());
    assert!(e.location.starts_with("parameter ANALOG:USED"), "{e}");
    assert!(e.message.contains("text where numbers"), "{e}");
    let mut b = sample(84, false).bytes();
    // The first group's name ("POINT") starts at byte 512 + 4 + 2.
    b[518] = 0xC9;
    let e = parse_err(&b);
    assert_eq!(e.location, "parameter record at byte 516");
    assert!(e.message.contains("ASCII"), "{e}");
}

#[test]
fn no_analog_channels() {
    let mut s = sample(84, false);
    s.set("ANALOG", "USED", V::I16(vec![0]));
    s.used = 0;
    s.analog.clear();
    let imported = parse_ok(&s.bytes());
    assert!(imported.signals.is_empty());
    assert!(imported.warnings[0].contains("no analog channels"));
}

#[test]
fn is_c3d_by_content() {
    assert!(!is_c3d(b""));
    assert!(!is_c3d(b"0       "));
    assert!(!is_c3d(&[1, 0x50]));
    // Too short to see the processor byte: the first two bytes decide.
    assert!(is_c3d(&[2, 0x50, 0, 0]));
}

/// Thousands of mutated and truncated copies: any result, never a panic.
#[test]
fn mutations_never_panic() {
    let seeds: Vec<Vec<u8>> = vec![
        sample(84, false).bytes(),
        sample(85, true).bytes(),
        sample(86, false).bytes(),
        include_bytes!("../../../fixtures/import/c3d/events.c3d").to_vec(),
    ];
    let mut rng = crate::formats::text::Rng(0x9E37_79B9_7F4A_7C15);
    let mut parsed = 0;
    for round in 0..4000 {
        let mut b = seeds[round % seeds.len()].clone();
        match rng.below(4) {
            0 => b.truncate(rng.below(b.len() + 1)),
            1 => {
                for _ in 0..1 + rng.below(8) {
                    let i = rng.below(b.len());
                    b[i] = rng.next() as u8;
                }
            }
            2 => {
                // Aim at the header and the parameter records, where the pointers are.
                for _ in 0..1 + rng.below(4) {
                    let i = rng.below(b.len().min(1536));
                    b[i] = [0, 1, 2, 0x7F, 0x80, 0xFF][rng.below(6)];
                }
            }
            _ => {
                let i = rng.below(b.len());
                let n = rng.below(64);
                b.splice(i..i, std::iter::repeat_n(rng.next() as u8, n));
            }
        }
        if parse(&b, "m.c3d").is_ok() {
            parsed += 1;
        }
        let _ = is_c3d(&b);
    }
    // Most small mutations leave a readable file: the loop really exercised the reader.
    assert!(parsed > 500, "{parsed}");
}

#[test]
fn float_data_that_is_not_a_number_is_interpolated_and_said() {
    let mut b = sample(84, true);
    // Channel 0's third sample (frame 1, first analog sample of that frame) is NaN.
    b.analog[2 * b.used] = f32::NAN;
    let imported = parse_ok(&b.bytes());
    let s = &imported.signals[0].samples;
    assert!(s.iter().all(|v| v.is_finite()));
    let mid = (expected(1, 0) + expected(3, 0)) / 2.0;
    assert!(
        (s[2] - mid).abs() <= 1e-3 * mid.abs().max(1.0),
        "{} vs {mid}",
        s[2]
    );
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.contains("EMG L BB") && w.contains("1 value was")),
        "{:?}",
        imported.warnings
    );
}
