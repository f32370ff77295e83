//! `myobalance report`: the page against the file it was made from, files it refuses, and
//! odd files (no EMG, NaN values, empty groups, long recordings) that still give a page.

use std::path::{Path, PathBuf};
use std::process::Output;

use myobalance::montage::{Bilateral, Channel, Kind, Montage, Side};
use myobalance::recording::{Acquisition, Gap, Recording};
use myobalance::report::decimate::MAX_POINTS;
use myobalance::report::html::number;
use myobalance::report::{render, ReportError};
use myobalance::results::{
    AttrValue, Event, EventKind, FeatureGroup, FeatureTable, Results, SummaryGroup, SummaryValues,
};
use myobalance::store::{read_file, write_file, StoredFile, WriteOptions};
use ndarray::Array2;

use crate::store::scratch_dir;

/// A 60 s session: long enough for the simulator's late tremor to raise alarms.
const SESSION_S: &str = "60";

fn myobalance(args: &[&str]) -> Output {
    crate::fixtures::command(env!("CARGO_BIN_EXE_myobalance"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `simulate` then `process` into `dir`; returns (raw file, processed file).
fn processed_session(dir: &Path) -> (PathBuf, PathBuf) {
    let raw = dir.join("session.h5");
    let processed = dir.join("session_features.h5");
    let o = myobalance(&["simulate", "--seconds", SESSION_S, "--out", text(&raw)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = myobalance(&["process", text(&raw), "--out", text(&processed)]);
    assert!(o.status.success(), "{}", stderr(&o));
    (raw, processed)
}

/// Each `<svg …>…</svg>` element of a page.
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..]
            .find("</svg>")
            .map(|e| start + e + "</svg>".len())
            .expect("every <svg> is closed");
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// HTML elements that have no closing tag.
const VOID: [&str; 6] = ["meta", "br", "hr", "img", "input", "link"];

/// Descriptions of the x axes the report draws.
const X_AXES: [&str; 5] = [
    "time (s)",
    "frequency (Hz)",
    "LSI (%)",
    "SI (%)",
    "strength ratio (antagonist / agonist)",
];

/// Beginnings of the y axis descriptions of line charts (each ends with its unit).
const Y_AXES: [&str; 8] = [
    "activation (",
    "RMS (",
    "co-contraction FW (",
    "Rudolph index (",
    "band power (",
    "PSD (",
    "median frequency (",
    "force (",
];

/// Checks that every tag of `xml` is closed in order and no text holds a raw `<` or an
/// unescaped `&`; returns the texts between tags.
fn well_formed(xml: &str) -> Vec<String> {
    let mut open: Vec<String> = Vec::new();
    let mut texts = Vec::new();
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        let between = rest[..lt].trim();
        if !between.is_empty() {
            for (i, _) in between.match_indices('&') {
                let entity = &between[i..];
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                        .iter()
                        .any(|e| entity.starts_with(e)),
                    "raw & in {between:?}"
                );
            }
            texts.push(between.to_string());
        }
        let gt = rest[lt..].find('>').expect("tag ends") + lt;
        let tag = &rest[lt + 1..gt];
        assert!(!tag.contains('<'), "< inside a tag: {tag}");
        let name = tag.split_whitespace().next().unwrap_or("");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                open.pop().as_deref(),
                Some(name.trim()),
                "closing </{name}>"
            );
        } else if !tag.ends_with('/') && !VOID.contains(&name) {
            open.push(name.to_string());
        }
        rest = &rest[gt + 1..];
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    texts
}

/// The rows of the table with `class`, each a list of cell texts.
fn table_rows(html: &str, class: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!("<table class=\"{class}\">"))
        .unwrap_or_else(|| panic!("no table {class}"));
    let end = start + html[start..].find("</table>").unwrap();
    let body = &html[start..end];
    let body = &body[body.find("<tbody>").unwrap()..];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let from = cell.find('>').unwrap() + 1;
                    let to = cell.find("</td>").unwrap();
                    cell[from..to].to_string()
                })
                .collect()
        })
        .collect()
}

fn names(g: &FeatureGroup, table: &str) -> Vec<String> {
    g.table(table)
        .map(|t| t.columns.clone())
        .unwrap_or_default()
}

/// What any page must be: self-contained, no scripts, every chart well formed with axis
/// descriptions.
fn assert_self_contained(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    for banned in [
        "<script", "http://", "https://", "src=", "<link", "<img", "@import",
    ] {
        assert!(!html.contains(banned), "the page holds {banned}");
    }
    well_formed(html.trim_start_matches("<!DOCTYPE html>"));
    for svg in svgs(html) {
        let texts = well_formed(svg);
        assert!(
            texts.iter().any(|t| X_AXES.iter().any(|a| t.contains(a))),
            "an x axis description in {texts:?}"
        );
        // Bar charts: one bar per named row, the value axis below.
        let bars = texts
            .iter()
            .any(|t| t.contains("SI (%)") || t.starts_with("strength ratio ("));
        assert!(
            bars || texts
                .iter()
                .any(|t| Y_AXES.iter().any(|y| t.starts_with(y)) && t.ends_with(')')),
            "a y axis description with its unit in {texts:?}"
        );
        for line in svg.split("points=\"").skip(1) {
            let points = line[..line.find('"').unwrap()].split_whitespace().count();
            assert!(points <= MAX_POINTS, "{points} points in one line");
        }
    }
}

#[test]
fn the_page_shows_what_the_file_holds() {
    let dir = scratch_dir("report-page");
    let (_, processed) = processed_session(&dir);
    let o = myobalance(&["report", text(&processed)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page_path = processed.with_extension("html");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains(text(&page_path)), "says where: {stdout}");
    let html = std::fs::read_to_string(&page_path).unwrap();
    assert_self_contained(&html);

    let stored = read_file(&processed).unwrap();
    let results = stored.results.as_ref().unwrap();
    let m = &stored.recording.montage;
    let every_name = m
        .channels
        .iter()
        .map(|c| &c.name)
        .chain(m.pairs.iter().map(|p| &p.name))
        .chain(m.bilateral.iter().map(|b| &b.name));
    for name in every_name {
        assert!(html.contains(name.as_str()), "{name} is on the page");
    }
    assert!(html.contains(&stored.recording.source));

    // One row per event, in time order: EMG onsets and offsets of the driving detector
    // (Hodges–Bui by default) only; the other two detectors' are counted in a note.
    let shown: Vec<_> = results
        .events
        .iter()
        .filter(|e| {
            !matches!(e.kind, EventKind::Onset | EventKind::Offset)
                || e.text.is_empty()
                || e.text == "hodges_bui"
        })
        .collect();
    assert!(
        shown.len() < results.events.len(),
        "the file keeps every detector"
    );
    assert!(html.contains("for comparison"));
    let events = table_rows(&html, "event-list");
    assert_eq!(events.len(), shown.len());
    assert!(results
        .events
        .iter()
        .any(|e| e.kind == EventKind::TremorAlarmStart));
    let times: Vec<f64> = events.iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    for kind in EventKind::ALL {
        let want = shown.iter().filter(|e| e.kind == kind).count();
        let got = events.iter().filter(|r| r[1] == kind.as_str()).count();
        assert_eq!(got, want, "{} rows", kind.as_str());
    }

    // The symmetry table holds the summary's values.
    let symmetry = results.summary("symmetry").unwrap();
    let rows = table_rows(&html, "symmetry");
    assert_eq!(rows.len(), symmetry.names.len());
    let lsi = symmetry.numbers("lsi_percent").unwrap();
    let si = symmetry.numbers("si_percent").unwrap();
    let weaker = symmetry
        .columns
        .iter()
        .find_map(|(n, v)| match v {
            SummaryValues::Texts(t) if n == "weaker" => Some(t.clone()),
            _ => None,
        })
        .unwrap();
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[0], symmetry.names[i]);
        assert_eq!(row[4], number(lsi[i]), "LSI of {}", row[0]);
        assert_eq!(row[5], number(si[i]), "SI of {}", row[0]);
        assert_eq!(row[6], weaker[i]);
    }

    // The fatigue table holds the summary's slopes, and each chart draws its fitted line.
    let fatigue = results.summary("fatigue").unwrap();
    let slope = fatigue.numbers("mdf_slope_hz_per_s").unwrap();
    for (row, s) in table_rows(&html, "fatigue").iter().zip(slope) {
        assert_eq!(row[2], number(*s));
        assert!(html.contains(&format!("fitted line: {} Hz/s", number(*s))));
    }

    // One chart per EMG channel (activation, fatigue), per tremor channel, per mechanical
    // channel's spectrum; two for co-contraction, two bar charts, one force chart.
    let activation = results.group("activation").unwrap();
    let fatigue_group = results.group("fatigue").unwrap();
    let tremor = results.group("tremor").unwrap();
    let mechanical = names(tremor, "band_power")
        .iter()
        .filter(|n| {
            m.channels
                .iter()
                .any(|c| &c.name == *n && matches!(c.kind, Kind::Force | Kind::Accel))
        })
        .count();
    let expected = names(activation, "rms").len()
        + 2
        + names(tremor, "band_power").len()
        + mechanical
        + names(fatigue_group, "mdf_hz").len()
        + 2
        + 1;
    assert_eq!(svgs(&html).len(), expected);
    assert!(mechanical > 0);
    assert!(html.contains("Spectrum of force_l, whole recording"));
    assert!(
        html.contains(">\ntremor alarm\n</text>"),
        "a chart shades alarms"
    );
    assert!(html.contains("activation (% MVC)"));
    assert!(html.contains("co-contraction FW (%)"));
    assert!(html.contains("PSD (N²/Hz)"));
}

#[test]
fn a_file_without_features_is_refused_with_the_command_that_fixes_it() {
    let dir = scratch_dir("report-no-features");
    let raw = dir.join("raw.h5");
    let o = myobalance(&["simulate", "--seconds", "3", "--out", text(&raw)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.join("raw.html");
    let o = myobalance(&["report", text(&raw), "--out", text(&out)]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{} has no features", raw.display())),
        "{err}"
    );
    assert!(
        err.contains(&format!("myobalance process {} --out", raw.display())),
        "{err}"
    );
    assert!(!out.exists(), "no page");
}

#[test]
fn a_file_that_is_not_a_recording_is_named() {
    let dir = scratch_dir("report-bad-input");
    let garbage = dir.join("notes.h5");
    std::fs::write(&garbage, "these are not samples\n").unwrap();
    let o = myobalance(&["report", text(&garbage)]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(text(&garbage)), "{err}");
    assert!(err.contains("not an HDF5 file"), "{err}");
    assert!(!garbage.with_extension("html").exists());

    let missing = dir.join("missing.h5");
    let o = myobalance(&["report", text(&missing)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(text(&missing)), "{}", stderr(&o));
}

#[test]
fn the_page_never_replaces_its_input() {
    let dir = scratch_dir("report-same-path");
    let input = dir.join("x.html");
    std::fs::write(&input, "keep me").unwrap();
    let o = myobalance(&["report", text(&input)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "keep me");
}

fn channel(name: &str, kind: Kind, unit: &str, side: Side) -> Channel {
    Channel {
        name: name.into(),
        label: None,
        kind,
        unit: unit.into(),
        side,
        scale: 1.0,
        offset: 0.0,
        mvc: None,
    }
}

#[test]
fn a_force_only_recording_gets_a_page_without_emg_sections() {
    let fs = 500.0;
    let montage = Montage {
        sample_rate_hz: Some(fs),
        mains_hz: 60,
        channels: vec![
            channel("grip_l", Kind::Force, "N", Side::Left),
            channel("grip_r", Kind::Force, "N", Side::Right),
        ],
        pairs: vec![],
        bilateral: vec![Bilateral {
            name: "grip".into(),
            left: "grip_l".into(),
            right: "grip_r".into(),
        }],
        analysis: Default::default(),
    };
    // Two holds per side with a 6 Hz tremor on the left.
    let samples = Array2::from_shape_fn((20 * 500, 2), |(i, c)| {
        let t = i as f64 / fs;
        let hold = if (3.0..8.0).contains(&t) || (11.0..16.0).contains(&t) {
            [80.0, 100.0][c]
        } else {
            0.0
        };
        let tremor = if c == 0 {
            2.0 * (2.0 * std::f64::consts::PI * 6.0 * t).sin()
        } else {
            0.0
        };
        (hold + tremor + 0.1 * ((i * 7 + c) % 13) as f64) as f32
    });
    let recording = Recording {
        montage,
        samples,
        source: "grip dynamometer <lab 2> & \"friends\"".into(),
        acquisition: None,
        truth: None,
        metadata: Default::default(),
    };
    let results =
        myobalance::engine::analyze(&recording, myobalance::engine::Filtering::ZeroPhase).unwrap();
    let dir = scratch_dir("report-force-only");
    let path = dir.join("grip.h5");
    write_file(&path, &recording, Some(&results), &WriteOptions::default()).unwrap();
    let stored = read_file(&path).unwrap();
    let html = render("grip.h5", &stored).unwrap();
    assert_self_contained(&html);
    assert!(html.contains("No activation features: the montage has no EMG channel."));
    assert!(html.contains("No co-contraction features"));
    assert!(html.contains("No fatigue features"));
    assert!(html.contains("grip dynamometer &lt;lab 2&gt; &amp; &quot;friends&quot;"));
    assert!(html.contains("Spectrum of grip_l, whole recording"));
    assert!(html.contains("force (N)"));
    let symmetry = stored
        .results
        .as_ref()
        .unwrap()
        .summary("symmetry")
        .unwrap();
    let rows = table_rows(&html, "symmetry");
    assert_eq!(
        rows[0][4],
        number(symmetry.numbers("lsi_percent").unwrap()[0])
    );
}

/// A file as odd as a reader can hand over: NaN and infinite values, a group with zero
/// rows, events with NaN times and unknown channels, lost frames, a montage whose pairs
/// have no features.
fn odd_file() -> StoredFile {
    let montage = Montage {
        sample_rate_hz: Some(1000.0),
        mains_hz: 50,
        channels: vec![
            channel("a", Kind::Emg, "uV", Side::Left),
            channel("b", Kind::Emg, "uV", Side::Right),
            channel("acc", Kind::Accel, "g", Side::None),
        ],
        pairs: vec![],
        bilateral: vec![],
        analysis: Default::default(),
    };
    let nan_table = |name: &str, rows: usize, cols: &[&str]| FeatureTable {
        name: name.into(),
        columns: cols.iter().map(|c| c.to_string()).collect(),
        values: Array2::from_shape_fn((rows, cols.len()), |(r, _)| {
            [f64::NAN, f64::INFINITY, 1.0][r % 3]
        }),
    };
    StoredFile {
        recording: Recording {
            montage,
            samples: Array2::from_elem((1500, 3), f32::NAN),
            source: "odd".into(),
            acquisition: Some(Acquisition {
                protocol: "frame".into(),
                port: "/dev/ttyUSB0".into(),
                frames_received: 1490,
                frames_missing: 10,
                frames_corrupt: 2,
                bytes_skipped: 40,
                ring_overruns: 1,
                measured_rate_hz: None,
                gaps: vec![Gap {
                    first_row: 100,
                    rows: 10,
                }],
                timing: vec![],
            }),
            truth: None,
            metadata: Default::default(),
        },
        results: Some(Results {
            features: vec![
                FeatureGroup {
                    name: "activation".into(),
                    time_s: vec![0.1, f64::NAN, 0.3],
                    tables: vec![nan_table("rms", 3, &["a", "b"])],
                    params: vec![("window_s".into(), AttrValue::Text("?".into()))],
                },
                FeatureGroup {
                    name: "tremor".into(),
                    time_s: vec![],
                    tables: vec![nan_table("band_power", 0, &["a", "b", "acc"])],
                    params: vec![("segment_s".into(), AttrValue::Float(2.0))],
                },
                FeatureGroup {
                    name: "fatigue".into(),
                    time_s: vec![0.25],
                    tables: vec![nan_table("mdf_hz", 1, &["a", "b"])],
                    params: vec![],
                },
                FeatureGroup {
                    name: "cocontraction".into(),
                    time_s: vec![],
                    tables: vec![],
                    params: vec![],
                },
            ],
            events: vec![
                Event {
                    time_s: f64::NAN,
                    kind: EventKind::TremorAlarmEnd,
                    channel: "nowhere".into(),
                    value: f64::NAN,
                    text: String::new(),
                },
                Event {
                    time_s: 0.2,
                    kind: EventKind::TremorAlarmStart,
                    channel: "acc".into(),
                    value: 7.0,
                    text: String::new(),
                },
                Event {
                    time_s: 0.1,
                    kind: EventKind::Gap,
                    channel: String::new(),
                    value: 10.0,
                    text: String::new(),
                },
            ],
            summary: vec![
                SummaryGroup {
                    name: "symmetry".into(),
                    names: vec!["x".into()],
                    columns: vec![("lsi_percent".into(), SummaryValues::Numbers(vec![]))],
                },
                SummaryGroup {
                    name: "fatigue".into(),
                    names: vec!["a".into()],
                    columns: vec![(
                        "mdf_slope_hz_per_s".into(),
                        SummaryValues::Numbers(vec![f64::NAN]),
                    )],
                },
            ],
        }),
        software: None,
        created_utc: None,
        opened_swmr: true,
    }
}

#[test]
fn odd_files_give_a_page_that_says_what_is_missing() {
    let html = render("odd.h5", &odd_file()).unwrap();
    assert_self_contained(&html);
    assert!(html.contains("Some data was lost or damaged"));
    assert!(html.contains("The file was not closed"));
    assert!(html.contains("No values to draw."));
    assert_eq!(table_rows(&html, "event-list").len(), 3);
    // A NaN time sorts last and reads as missing.
    assert_eq!(table_rows(&html, "event-list")[2][0], "–");
    assert_eq!(table_rows(&html, "symmetry")[0][4], "–");
}

#[test]
fn files_without_features_are_refused_by_the_library_too() {
    let mut f = odd_file();
    f.results.as_mut().unwrap().features.clear();
    let err = render("odd.h5", &f).unwrap_err();
    assert!(matches!(err, ReportError::NoFeatures { .. }));
    f.results = None;
    assert!(render("odd.h5", &f)
        .unwrap_err()
        .to_string()
        .starts_with("odd.h5 has no features"));
}

#[test]
fn long_recordings_are_thinned_to_a_small_page() {
    // One hour of force at 1 kHz: 3.6 million samples in one line.
    let fs = 1000.0;
    let n = 3_600_000;
    let samples = Array2::from_shape_fn((n, 1), |(i, _)| ((i % 5000) as f32) * 0.01);
    let montage = Montage {
        sample_rate_hz: Some(fs),
        mains_hz: 50,
        channels: vec![channel("force", Kind::Force, "N", Side::None)],
        pairs: vec![],
        bilateral: vec![],
        analysis: Default::default(),
    };
    let rows = 7199;
    let f = StoredFile {
        recording: Recording {
            montage,
            samples,
            source: "long".into(),
            acquisition: None,
            truth: None,
            metadata: Default::default(),
        },
        results: Some(Results {
            features: vec![FeatureGroup {
                name: "tremor".into(),
                time_s: (0..rows).map(|k| 2.0 + 0.5 * k as f64).collect(),
                tables: vec![FeatureTable {
                    name: "band_power".into(),
                    columns: vec!["force".into()],
                    values: Array2::from_shape_fn((rows, 1), |(r, _)| (r % 17) as f64),
                }],
                params: vec![("segment_s".into(), AttrValue::Float(2.0))],
            }],
            events: vec![],
            summary: vec![],
        }),
        software: None,
        created_utc: None,
        opened_swmr: false,
    };
    let html = render("long.h5", &f).unwrap();
    assert_self_contained(&html);
    // Force trace, tremor band power and spectrum.
    assert_eq!(svgs(&html).len(), 3);
    assert!(html.len() < 400_000, "{} bytes", html.len());
    // The thinned force trace keeps the signal's extremes (0 to 49.99 N): the axis
    // reaches past 40 N.
    assert!(html.contains(">\nforce (N)\n</text>"));
    assert!(html.contains(">\n40\n</text>"));
}

/// A knee session with a weak left side and weak hamstrings: the report opens with At a
/// glance, whose lines carry the stored numbers and references and are printed by the
/// command too; the strength table holds the stored ratios; Chromium shows it all.
#[test]
fn a_knee_report_opens_with_its_findings_at_a_glance() {
    let dir = scratch_dir("report-knee");
    let raw = dir.join("knee.h5");
    let out = dir.join("knee_processed.h5");
    let page = dir.join("knee.html");
    for args in [
        vec![
            "simulate",
            "--scenario",
            "knee",
            "--seconds",
            "55",
            "--side-ratio",
            "0.7",
            "--strength-ratio",
            "0.45",
            "--out",
            text(&raw),
        ],
        vec!["process", text(&raw), "--out", text(&out)],
    ] {
        let o = myobalance(&args);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = myobalance(&["report", text(&out), "--out", text(&page)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let printed = String::from_utf8_lossy(&o.stdout).into_owned();
    let html = std::fs::read_to_string(&page).unwrap();
    assert_self_contained(&html);
    let r = read_file(&out).unwrap().results.unwrap();
    let strength = r.summary("strength").unwrap();
    let ratio = strength.numbers("ratio").unwrap()[1];
    let symmetry = r.summary("symmetry").unwrap();
    let k = symmetry.names.iter().position(|n| n == "torque").unwrap();
    let lsi = symmetry.numbers("lsi_percent").unwrap()[k];
    let lines = [
        format!("knee_r: strength ratio bf_r:vl_r {ratio:.2}, reference ≥ 0.6"),
        format!(
            "torque: left {:.0} % weaker than right (strength): LSI {lsi:.0} %, reference ≥ 90 %",
            100.0 - lsi
        ),
    ];
    let glance = html.find("id=\"glance\"").expect("an At a glance section");
    assert!(
        glance < html.find("id=\"session\"").unwrap(),
        "At a glance comes first"
    );
    for line in &lines {
        assert!(
            html.contains(&format!("<li class=\"flag\">{line}</li>")),
            "{line}"
        );
        assert!(
            printed.contains(&format!("! {line}")),
            "{line} not printed: {printed}"
        );
    }
    let rows = table_rows(&html, "strength");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][0], "knee_r");
    assert_eq!(rows[1][5], format!("{ratio:.2}"));
    assert_eq!(rows[1][7], "yes");
    crate::progress::check_in_browser(
        "a_knee_report_opens_with_its_findings_at_a_glance",
        &page,
        &[&lines[0], &lines[1], "Agonist/antagonist strength"],
        8,
    );
}
