//! The live view drawn into ratatui's `TestBackend`: every number the snapshot holds shows
//! up as documented, bars fill `round(r·w)` of their cells (`█` filled, `░` empty), the
//! alarm banner appears exactly when an alarm is on, and no size or NaN makes it panic.

use myobalance::live_view::{draw, Activation, Balance, CoContraction, Snapshot, Tremor};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use ratatui::Terminal;

/// A bar's filled cells may differ from `ratio·width` by the rounding to whole cells.
const ROUNDING_CELLS: f64 = 0.5 + 1e-9;

const FILLED: char = '█';
const EMPTY: char = '░';

fn activation(name: &str, rms: f64, pct_mvc: Option<f64>) -> Activation {
    Activation {
        name: name.into(),
        rms,
        unit: "uV".into(),
        pct_mvc,
    }
}

fn tremor(name: &str, relative_power: f64, peak_hz: f64, band_power: f64, alarm: bool) -> Tremor {
    Tremor {
        name: name.into(),
        band_power,
        relative_power,
        peak_hz,
        alarm,
    }
}

/// The default simulator's montage, mid-set: right side stronger, tremor in biceps_r and
/// force_r.
fn session() -> Snapshot {
    Snapshot {
        source: "simulated device (/dev/pts/3)".into(),
        elapsed_s: 75.4,
        frames_per_s: 1999.7,
        frames_received: 150_800,
        frames_missing: 37,
        frames_corrupt: 4,
        ring_fill: 0.25,
        markers: 2,
        target_pct_mvc: None,
        activation: vec![
            activation("biceps_l", 123.4, Some(25.0)),
            activation("triceps_l", 40.0, None),
            activation("biceps_r", 200.0, Some(50.0)),
            activation("triceps_r", 80.0, None),
        ],
        cocontraction: vec![
            CoContraction {
                name: "elbow_l".into(),
                fw_percent: 38.0,
            },
            CoContraction {
                name: "elbow_r".into(),
                fw_percent: f64::NAN,
            },
        ],
        tremor: vec![
            tremor("biceps_l", 0.10, 5.5, 12.3, false),
            tremor("triceps_l", 0.05, 4.2, 3.1, false),
            tremor("biceps_r", 0.62, 9.2, 345.6, true),
            tremor("triceps_r", 0.08, 6.0, 2.0, false),
            tremor("force_l", 0.30, 7.9, 0.5, false),
            tremor("force_r", 0.75, 8.7, 1.5, true),
        ],
        balance: vec![
            Balance {
                name: "biceps".into(),
                left: "biceps_l".into(),
                right: "biceps_r".into(),
                left_value: 25.0,
                right_value: 50.0,
                lsi_percent: 50.0,
                weaker: Some("left".into()),
            },
            Balance {
                name: "triceps".into(),
                left: "triceps_l".into(),
                right: "triceps_r".into(),
                left_value: 40.0,
                right_value: 30.0,
                lsi_percent: 75.0,
                weaker: Some("right".into()),
            },
        ],
    }
}

fn without_alarms(mut snap: Snapshot) -> Snapshot {
    for t in &mut snap.tremor {
        t.alarm = false;
    }
    snap
}

fn render_buffer(snap: &Snapshot, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| draw(frame, snap)).unwrap();
    terminal.backend().buffer().clone()
}

fn lines_of(buf: &Buffer) -> Vec<String> {
    let area = buf.area;
    (area.top()..area.bottom())
        .map(|y| {
            (area.left()..area.right())
                .map(|x| buf[(x, y)].symbol())
                .collect()
        })
        .collect()
}

fn render(snap: &Snapshot, width: u16, height: u16) -> Vec<String> {
    lines_of(&render_buffer(snap, width, height))
}

/// Index of the row starting with `name` in the section whose title starts with `title`.
fn row_index(lines: &[String], title: &str, name: &str) -> usize {
    let start = lines
        .iter()
        .position(|l| l.starts_with(title))
        .unwrap_or_else(|| panic!("no section {title} in\n{}", lines.join("\n")));
    let prefix = format!("{name} ");
    start
        + 1
        + lines[start + 1..]
            .iter()
            .position(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no row {name} under {title} in\n{}", lines.join("\n")))
}

fn row<'a>(lines: &'a [String], title: &str, name: &str) -> &'a str {
    &lines[row_index(lines, title, name)]
}

/// (filled, total) cells of a bar in `line`.
fn bar_cells(line: &str) -> (usize, usize) {
    let filled = line.chars().filter(|&c| c == FILLED).count();
    let empty = line.chars().filter(|&c| c == EMPTY).count();
    (filled, filled + empty)
}

fn assert_fill(line: &str, ratio: f64) {
    let (filled, total) = bar_cells(line);
    assert!(total >= 8, "no bar in {line:?}");
    let expected = ratio * total as f64;
    assert!(
        (filled as f64 - expected).abs() <= ROUNDING_CELLS,
        "{filled} of {total} cells filled, expected {expected} in {line:?}"
    );
}

#[test]
fn header_shows_link_counters_and_keys() {
    let lines = render(&session(), 120, 36);
    assert!(lines[0].contains("simulated device (/dev/pts/3)"));
    assert!(lines[0].contains("q stop · m marker"));
    for piece in [
        "01:15",
        "2000 frames/s",
        "lost 37",
        "corrupt 4",
        "ring 25 %",
        "markers 2",
    ] {
        assert!(
            lines[1].contains(piece),
            "{piece} missing in {:?}",
            lines[1]
        );
    }
}

#[test]
fn every_channel_and_pair_is_named_with_its_values() {
    let lines = render(&session(), 120, 36);
    let act = "Activation";
    assert!(row(&lines, act, "biceps_l").contains("123.4 uV · 25 %MVC"));
    assert!(row(&lines, act, "biceps_r").contains("200.0 uV · 50 %MVC"));
    assert!(row(&lines, act, "triceps_l").contains("40.0 uV"));
    assert!(row(&lines, act, "triceps_r").contains("80.0 uV"));
    assert!(row(&lines, "Co-contraction", "elbow_l").contains("38 %"));
    assert!(row(&lines, "Co-contraction", "elbow_r").contains("– %"));
    let biceps_r = row(&lines, "Tremor", "biceps_r");
    assert!(
        biceps_r.contains("ALARM · 62 % · 9.2 Hz · power 346"),
        "{biceps_r:?}"
    );
    let force_l = row(&lines, "Tremor", "force_l");
    assert!(
        force_l.contains("30 % · 7.9 Hz · power 0.500"),
        "{force_l:?}"
    );
    assert!(!force_l.contains("ALARM"));
    assert!(row(&lines, "Balance", "biceps").contains("LSI 50 % · weaker left"));
    assert!(row(&lines, "Balance", "triceps").contains("LSI 75 % · weaker right"));
}

#[test]
fn pct_mvc_shows_only_where_the_channel_has_an_mvc() {
    let lines = render(&session(), 120, 36);
    assert!(row(&lines, "Activation", "biceps_l").contains("%MVC"));
    assert!(!row(&lines, "Activation", "triceps_l").contains("%MVC"));
    assert!(!row(&lines, "Activation", "triceps_r").contains("%MVC"));
}

#[test]
fn banner_appears_exactly_when_an_alarm_is_on() {
    let expected = "pause the set: tremor in biceps_r (9.2 Hz), force_r (8.7 Hz)";
    for (w, h) in [(120, 36), (80, 24)] {
        let buf = render_buffer(&session(), w, h);
        let lines = lines_of(&buf);
        let banners: Vec<usize> = (0..lines.len())
            .filter(|&y| lines[y].contains("pause the set"))
            .collect();
        assert_eq!(banners.len(), 1, "{}", lines.join("\n"));
        let y = banners[0];
        assert!(lines[y].starts_with(expected), "{:?}", lines[y]);
        // The whole line is a red band.
        for x in 0..w {
            assert_eq!(buf[(x, y as u16)].bg, Color::Red);
        }
        let quiet = render(&without_alarms(session()), w, h);
        assert!(quiet.iter().all(|l| !l.contains("pause the set")));
        assert!(quiet.iter().all(|l| !l.contains("ALARM")));
    }
}

#[test]
fn banner_names_a_single_alarm_and_survives_tiny_screens() {
    let mut snap = without_alarms(session());
    snap.tremor[1].alarm = true; // triceps_l, 4.2 Hz
    let lines = render(&snap, 80, 24);
    assert!(lines
        .iter()
        .any(|l| l.starts_with("pause the set: tremor in triceps_l (4.2 Hz)  ")));
    // One line: the banner wins over the counters.
    let one = render(&snap, 60, 1);
    assert!(one[0].starts_with("pause the set: tremor in triceps_l"));
    // 40 columns: too narrow for the frequency, not for the name.
    let narrow = render(&snap, 40, 10);
    assert!(narrow
        .iter()
        .any(|l| l.starts_with("pause the set: tremor in triceps_l")));
}

#[test]
fn alarm_rows_are_highlighted() {
    let buf = render_buffer(&session(), 120, 36);
    let lines = lines_of(&buf);
    let alarm = row_index(&lines, "Tremor", "biceps_r") as u16;
    let calm = row_index(&lines, "Tremor", "biceps_l") as u16;
    assert_eq!(buf[(0, alarm)].bg, Color::Red);
    assert_ne!(buf[(0, calm)].bg, Color::Red);
}

#[test]
fn bars_fill_in_proportion_to_their_values() {
    for (w, h) in [(120, 36), (80, 24), (60, 30)] {
        let lines = render(&without_alarms(session()), w, h);
        let act = "Activation";
        // %MVC on 0–100 where known, else RMS relative to the largest RMS (200 uV).
        assert_fill(row(&lines, act, "biceps_l"), 0.25);
        assert_fill(row(&lines, act, "biceps_r"), 0.50);
        assert_fill(row(&lines, act, "triceps_l"), 40.0 / 200.0);
        assert_fill(row(&lines, act, "triceps_r"), 80.0 / 200.0);
        assert_fill(row(&lines, "Co-contraction", "elbow_l"), 0.38);
        assert_fill(row(&lines, "Co-contraction", "elbow_r"), 0.0);
        for (name, share) in [("biceps_l", 0.10), ("biceps_r", 0.62), ("force_r", 0.75)] {
            assert_fill(row(&lines, "Tremor", name), share);
        }
        // All bars line up: same first column, same width.
        let bars: Vec<(usize, usize)> = lines
            .iter()
            .filter_map(|l| {
                let first = l.chars().position(|c| c == FILLED || c == EMPTY)?;
                let (_, total) = bar_cells(l);
                Some((first, total))
            })
            .collect();
        assert!(bars.len() >= 14);
        for &(first, total) in &bars[1..] {
            assert_eq!(first, bars[0].0);
            // A balance bar spends one cell on its middle mark.
            assert!(total == bars[0].1 || total + 1 == bars[0].1);
        }
    }
}

#[test]
fn balance_bar_shows_each_side_relative_to_the_stronger() {
    let lines = render(&session(), 120, 36);
    for (name, left, right) in [("biceps", 0.5, 1.0), ("triceps", 1.0, 0.75)] {
        let line = row(&lines, "Balance", name);
        let (l, r) = line.split_once('│').expect("middle mark");
        let left_cells: String = l.chars().filter(|&c| c == FILLED || c == EMPTY).collect();
        // The left half fills towards the middle: its filled cells are at its right end.
        assert!(
            !left_cells.contains(&format!("{FILLED}{EMPTY}")),
            "{line:?}"
        );
        assert_fill(l, left);
        assert_fill(r, right);
    }
}

fn nan_snapshot() -> Snapshot {
    let nan = f64::NAN;
    Snapshot {
        source: "/dev/ttyUSB0".into(),
        elapsed_s: nan,
        frames_per_s: nan,
        ring_fill: nan,
        activation: vec![
            activation("biceps_l", nan, Some(nan)),
            activation("triceps_l", nan, None),
        ],
        cocontraction: vec![CoContraction {
            name: "elbow_l".into(),
            fw_percent: nan,
        }],
        tremor: vec![tremor("biceps_l", nan, nan, nan, false)],
        balance: vec![Balance {
            name: "biceps".into(),
            left: "biceps_l".into(),
            right: "biceps_r".into(),
            left_value: nan,
            right_value: nan,
            lsi_percent: nan,
            weaker: None,
        }],
        ..Snapshot::default()
    }
}

#[test]
fn unknown_values_show_a_dash_and_empty_bars() {
    let lines = render(&nan_snapshot(), 100, 30);
    for piece in ["–:–", "– frames/s", "ring – %", "lost 0", "corrupt 0"] {
        assert!(
            lines[1].contains(piece),
            "{piece} missing in {:?}",
            lines[1]
        );
    }
    assert!(row(&lines, "Activation", "biceps_l").contains("– uV · – %MVC"));
    assert!(row(&lines, "Activation", "triceps_l").contains("– uV"));
    assert!(row(&lines, "Co-contraction", "elbow_l").contains("– %"));
    assert!(row(&lines, "Tremor", "biceps_l").contains("– % · – Hz · power –"));
    let balance = row(&lines, "Balance", "biceps");
    assert!(balance.contains("LSI – %") && !balance.contains("weaker"));
    for line in &lines {
        assert_eq!(bar_cells(line).0, 0, "a bar filled for NaN: {line:?}");
    }
    assert!(lines
        .iter()
        .all(|l| !l.contains("NaN") && !l.contains("inf")));
}

#[test]
fn empty_snapshot_draws_header_only() {
    let lines = render(&Snapshot::default(), 80, 24);
    assert!(lines[1].contains("00:00 · 0 frames/s · lost 0"));
    assert!(lines.iter().any(|l| l.starts_with("no feature rows yet")));
    for title in ["Activation", "Co-contraction", "Tremor", "Balance"] {
        assert!(lines.iter().all(|l| !l.starts_with(title)));
    }
}

#[test]
fn sections_without_rows_are_left_out() {
    let snap = Snapshot {
        cocontraction: Vec::new(),
        balance: Vec::new(),
        ..session()
    };
    let lines = render(&snap, 100, 30);
    assert!(lines.iter().any(|l| l.starts_with("Activation")));
    assert!(lines.iter().any(|l| l.starts_with("Tremor")));
    assert!(lines.iter().all(|l| !l.starts_with("Co-contraction")));
    assert!(lines.iter().all(|l| !l.starts_with("Balance")));
}

#[test]
fn a_standard_terminal_shows_every_section_in_full() {
    for (w, h) in [(80, 24), (120, 36)] {
        let lines = render(&session(), w, h);
        for title in ["Activation", "Co-contraction", "Tremor", "Balance"] {
            assert!(
                lines.iter().any(|l| l.starts_with(title)),
                "{title} at {w}×{h}"
            );
        }
        assert!(lines.iter().all(|l| !l.contains("hidden")));
        row(&lines, "Tremor", "force_r");
        row(&lines, "Balance", "triceps");
    }
}

#[test]
fn a_short_terminal_cuts_sections_and_says_how_many_rows_are_hidden() {
    let snap = session();
    let sections = [
        ("Activation", snap.activation.len()),
        ("Co-contraction", snap.cocontraction.len()),
        ("Tremor", snap.tremor.len()),
        ("Balance", snap.balance.len()),
    ];
    for h in 4..=20 {
        let lines = render(&snap, 80, h);
        let mut accounted = 0;
        for (title, rows) in sections {
            let Some(at) = lines.iter().position(|l| l.starts_with(title)) else {
                continue; // dropped whole
            };
            let hidden = lines[at].split_once(" · +").map_or(0, |(_, rest)| {
                rest.split(' ').next().unwrap().parse().unwrap()
            });
            let drawn = lines[at + 1..]
                .iter()
                .take_while(|l| l.contains(FILLED) || l.contains(EMPTY))
                .count();
            assert_eq!(
                drawn + hidden,
                rows,
                "{title} at height {h}:\n{}",
                lines.join("\n")
            );
            accounted += 1;
        }
        // Below the header and the banner; every section needs two lines to show.
        let banner = lines
            .iter()
            .position(|l| l.starts_with("pause the set"))
            .unwrap();
        let body = usize::from(h) - banner - 1;
        assert_eq!(
            accounted,
            (body / 2).min(4),
            "height {h}:\n{}",
            lines.join("\n")
        );
    }
}

#[test]
fn numbers_are_never_cut_by_a_narrow_screen() {
    let snap = session();
    for w in 1..=120 {
        let lines = render(&snap, w, 36);
        for line in &lines {
            for (word, whole) in [
                ("lost", "lost 37"),
                ("corrupt", "corrupt 4"),
                ("ring", "ring 25 %"),
                ("frames/s", "2000 frames/s"),
            ] {
                assert!(
                    !line.contains(word) || line.contains(whole),
                    "{word} cut at width {w}: {line:?}"
                );
            }
        }
        for line in &lines {
            if line.contains("power") && !line.starts_with("Tremor") {
                assert!(
                    [
                        "power 12.3",
                        "power 3.10",
                        "power 346",
                        "power 2.00",
                        "power 0.500",
                        "power 1.50"
                    ]
                    .iter()
                    .any(|p| line.contains(p)),
                    "band power cut at width {w}: {line:?}"
                );
            }
        }
    }
}

#[test]
fn no_size_panics() {
    let snapshots = [
        session(),
        without_alarms(session()),
        nan_snapshot(),
        Snapshot::default(),
    ];
    for snap in &snapshots {
        for w in 1..=120 {
            for h in 1..=40 {
                render_buffer(snap, w, h);
            }
        }
    }
}
