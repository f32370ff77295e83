//! `myobalance progress`: the page of a simulated patient whose weaker left side catches
//! up over six sessions, sessions without dates, mixed montages, the subject filter,
//! several subjects, and files that cannot be read.

use std::path::Path;

use myobalance::montage::Kind;
use myobalance::recording::Recording;
use myobalance::results::{SummaryGroup, SummaryValues};
use myobalance::sessions::page::render;
use myobalance::sessions::{by_subject, rows, Session};
use myobalance::store::read_file;

use crate::sessions::{myobalance, session, six_sessions, stderr, text};
use crate::store::scratch_dir;

fn page(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// The text of the sessions table's second column, in page order.
fn session_order(html: &str) -> Vec<String> {
    let start = html
        .find("<table class=\"sessions\">")
        .expect("a sessions table");
    let end = start + html[start..].find("</table>").unwrap();
    html[start..end]
        .split("<tr>")
        .skip(2)
        .map(|row| {
            let cell = row.split("<td>").nth(1).unwrap();
            cell[..cell.find("</td>").unwrap()].to_string()
        })
        .collect()
}

/// A page that stands alone: no script, nothing fetched, every chart inline.
fn self_contained(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "no script");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing fetched"
    );
    assert!(html.matches("<svg").count() == html.matches("</svg>").count());
}

#[test]
fn the_page_follows_the_lsi_to_its_reference() {
    let dir = scratch_dir("progress-trend");
    let mut files = six_sessions(&dir, "P01");
    files.reverse(); // the order given does not matter: the dates do
    let out = dir.join("p01.html");
    let mut args = vec!["progress"];
    args.extend(files.iter().map(|f| text(f)));
    args.extend(["--out", text(&out)]);
    let o = myobalance(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = page(&out);
    self_contained(&html);
    assert!(html.contains("<title>Progress: P01</title>"));
    assert_eq!(
        session_order(&html),
        (1..=6).map(|i| format!("week {i}")).collect::<Vec<_>>()
    );
    assert!(html.contains("2026-03-02 → 2026-04-06"));
    assert!(html.contains("by recorded date"));
    // The biceps LSI as the files store it: the page's verdict and crossing must match.
    let lsi: Vec<f64> = (1..=6)
        .map(|i| {
            let s = read_file(&dir.join(format!("s{i}.h5"))).unwrap();
            let r = s.results.unwrap();
            r.summary("symmetry")
                .unwrap()
                .numbers("lsi_percent")
                .unwrap()[0]
        })
        .collect();
    assert!(lsi[3] < 90.0 && lsi[4] >= 90.0, "{lsi:?}");
    assert!(
        html.contains("biceps reached 90 % in week 5"),
        "the crossing is marked"
    );
    let verdict = format!("catching up: {:.0} % → {:.0} %", lsi[0], lsi[5]);
    assert!(html.contains(&verdict), "{verdict}");
    assert!(html.contains("reached the 90 % reference in week 5"));
    for caption in [
        "Limb symmetry index (LSI) per bilateral pair",
        "MVC left and right: force",
        "Falconer–Winter co-contraction per agonist/antagonist pair",
        "Tremor alarm time per channel",
        "Tremor peak frequency per channel",
        "Median frequency slope per EMG channel",
    ] {
        let at = html
            .find(&format!("<figcaption>{caption}"))
            .unwrap_or_else(|| panic!("{caption}"));
        assert!(
            html[at..].find("<svg").unwrap() < html[at..].find("</figure>").unwrap(),
            "{caption} has a chart"
        );
    }
    assert!(
        html.contains("No strength ratios"),
        "the simulated montage has no strength pairs"
    );
    assert!(html.contains("left (force_l)") && html.contains("right (force_r)"));
    assert!(html.contains("<table class=\"changes\">"));
}

#[test]
fn sessions_without_dates_go_by_their_labels() {
    let dir = scratch_dir("progress-undated");
    let files: Vec<_> = [("week 10", 0.9), ("week 2", 0.75), ("week 1", 0.7)]
        .iter()
        .enumerate()
        .map(|(i, (label, ratio))| {
            session(
                &dir,
                &format!("f{i}.h5"),
                "P01",
                label,
                None,
                *ratio,
                i as u64 + 1,
                |_| {},
            )
        })
        .collect();
    let out = dir.join("p.html");
    let o = myobalance(&[
        "progress",
        text(&files[0]),
        text(&files[1]),
        text(&files[2]),
        "--out",
        text(&out),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = page(&out);
    assert_eq!(session_order(&html), ["week 1", "week 2", "week 10"]);
    assert!(html.contains("Sessions without a recorded date are ordered by their label"));
    assert!(html.contains("no recorded date for"));
}

/// The recording without the triceps channels (and the pairs that use them).
fn without_triceps(rec: &mut Recording) {
    let keep: Vec<usize> = (0..rec.montage.channels.len())
        .filter(|&i| !rec.montage.channels[i].name.starts_with("triceps"))
        .collect();
    rec.samples = rec.samples.select(ndarray::Axis(1), &keep);
    let m = &mut rec.montage;
    m.channels.retain(|c| !c.name.starts_with("triceps"));
    m.pairs.retain(|p| !p.antagonist.starts_with("triceps"));
    m.bilateral.retain(|b| !b.left.starts_with("triceps"));
    assert!(m.channels.iter().any(|c| c.kind == Kind::Emg));
}

#[test]
fn sessions_of_other_montages_are_compared_by_name() {
    let dir = scratch_dir("progress-montages");
    let a = session(
        &dir,
        "a.h5",
        "P01",
        "week 1",
        Some("2026-03-02T09:00:00Z"),
        0.7,
        1,
        |_| {},
    );
    let b = session(
        &dir,
        "b.h5",
        "P01",
        "week 2",
        Some("2026-03-09T09:00:00Z"),
        0.8,
        2,
        without_triceps,
    );
    let c = session(
        &dir,
        "c.h5",
        "P01",
        "week 3",
        Some("2026-03-16T09:00:00Z"),
        0.9,
        3,
        |_| {},
    );
    let out = dir.join("p.html");
    let o = myobalance(&[
        "progress",
        text(&a),
        text(&b),
        text(&c),
        "--out",
        text(&out),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = page(&out);
    assert!(
        html.contains(
            "The sessions&#39; montages differ (only in some sessions: triceps_l, triceps_r)"
        ),
        "montage note"
    );
    assert!(
        html.contains(&format!("triceps: no value in week 2 ({}).", text(&b))),
        "missing note"
    );
    assert!(html.contains(&format!("elbow_l: no value in week 2 ({}).", text(&b))));
}

#[test]
fn the_subject_filter_and_several_subjects() {
    let dir = scratch_dir("progress-subjects");
    let p1: Vec<_> = (1..=2)
        .map(|i| {
            session(
                &dir,
                &format!("p1_{i}.h5"),
                "P01",
                &format!("week {i}"),
                None,
                0.8,
                i,
                |_| {},
            )
        })
        .collect();
    let p2 = session(&dir, "p2.h5", "P 02", "week 1", None, 0.9, 9, |_| {});
    let all = [text(&p1[0]), text(&p2), text(&p1[1])];

    let out = dir.join("only.html");
    let mut args = vec!["progress"];
    args.extend(all);
    args.extend(["--subject", "P01", "--out", text(&out)]);
    let o = myobalance(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("skipped {}: subject P 02, not P01", text(&p2))));
    let html = page(&out);
    assert_eq!(session_order(&html), ["week 1", "week 2"]);
    assert!(html.contains(&format!("Skipped {}: subject P 02, not P01.", text(&p2))));

    let out = dir.join("progress.html");
    let mut args = vec!["progress"];
    args.extend(all);
    args.extend(["--out", text(&out)]);
    let o = myobalance(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !out.exists(),
        "several subjects: one page each, named after them"
    );
    assert!(page(&dir.join("progress-P01.html")).contains("<title>Progress: P01</title>"));
    assert!(page(&dir.join("progress-P_02.html")).contains("<title>Progress: P 02</title>"));

    let mut args = vec!["progress"];
    args.extend(all);
    args.extend(["--subject", "P03", "--out", text(&out)]);
    let o = myobalance(&args);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no file belongs to subject \"P03\"; the files hold P01, P 02"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn files_that_cannot_be_read_are_listed_and_the_page_still_made() {
    let dir = scratch_dir("progress-failed");
    let good = session(&dir, "good.h5", "P01", "week 1", None, 0.8, 1, |_| {});
    let junk = dir.join("junk.h5");
    std::fs::write(&junk, "no").unwrap();
    let out = dir.join("p.html");
    let o = myobalance(&["progress", text(&good), text(&junk), "--out", text(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("failed inputs:"));
    let html = page(&out);
    assert!(html.contains(&format!("Not read: {}", text(&junk))));
    let o = myobalance(&["progress", text(&junk), "--out", text(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("none of the 1 files could be read"),
        "{}",
        stderr(&o)
    );
}

/// Sessions as files of Part 2 store them: `symmetry` with `reference` and `flagged`, and
/// `strength` per pair.
fn part2_session(label: &str, lsi: f64, ratio: f64) -> Session {
    let mut s = Session::example();
    s.session = Some(label.into());
    s.file = format!("{label}.h5");
    s.recorded_utc = None;
    let numbers = |v: f64| SummaryValues::Numbers(vec![v]);
    s.summary = vec![
        SummaryGroup {
            name: "symmetry".into(),
            names: vec!["quadriceps".into()],
            columns: vec![
                ("lsi_percent".into(), numbers(lsi)),
                ("reference".into(), numbers(85.0)),
                (
                    "flagged".into(),
                    numbers(if lsi < 85.0 { 1.0 } else { 0.0 }),
                ),
                (
                    "measure".into(),
                    SummaryValues::Texts(vec!["mvc_500ms".into()]),
                ),
            ],
        },
        SummaryGroup {
            name: "strength".into(),
            names: vec!["knee_r".into()],
            columns: vec![
                ("agonist_mvc_500ms".into(), numbers(200.0)),
                ("antagonist_mvc_500ms".into(), numbers(200.0 * ratio)),
                ("ratio".into(), numbers(ratio)),
                ("reference".into(), numbers(0.6)),
                ("flagged".into(), numbers(f64::NAN)),
            ],
        },
    ];
    s
}

#[test]
fn strength_ratios_and_stored_references_are_drawn_when_files_have_them() {
    let sessions = vec![
        part2_session("week 3", 88.0, 0.65),
        part2_session("week 1", 80.0, 0.50),
        part2_session("week 2", 86.0, 0.55),
    ];
    let table: Vec<(String, String)> = rows(&sessions[0])
        .iter()
        .map(|r| (format!("{}/{}", r.group, r.measure), r.unit.clone()))
        .collect();
    for (measure, unit) in [
        ("symmetry/lsi_percent", "% (mvc_500ms)"),
        ("symmetry/reference", "%"),
        ("symmetry/flagged", ""),
        ("strength/ratio", ""),
        ("strength/reference", ""),
    ] {
        assert!(
            table.contains(&(measure.to_string(), unit.to_string())),
            "{measure}: {table:?}"
        );
    }
    let patients = by_subject(sessions, &[]);
    assert_eq!(patients.len(), 1);
    let html = render(&patients[0]);
    assert!(html.contains("reference 85 %") && html.contains("quadriceps reached 85 % in week 2"));
    assert!(html.contains("Strength ratio (antagonist : agonist) per pair"));
    assert!(html.contains("reference 0.6") && html.contains("knee_r reached 0.6 in week 3"));
    assert!(html.contains("catching up: 0.50 → 0.65"));
    assert!(html.contains("catching up: 80 % → 88 %"));
}

/// Opens `page` in headless Chromium (scripts/page_check.py): laid out, nothing fetched,
/// `texts` shown. Says so and returns when the browser or MYOBALANCE_PYTHON is missing.
pub fn check_in_browser(test: &str, page: &Path, texts: &[&str], min_charts: usize) {
    let shot = page.with_extension("png");
    let mut args = vec![page.as_os_str().to_owned()];
    for t in texts {
        args.extend(["--text".into(), t.into()]);
    }
    args.extend([
        "--min-charts".into(),
        min_charts.to_string().into(),
        "--screenshot".into(),
        shot.clone().into_os_string(),
    ]);
    if crate::fixtures::browser_check(test, "page_check.py", &args) {
        assert!(
            std::fs::metadata(&shot).unwrap().len() > 10_000,
            "an empty screenshot"
        );
    }
}

/// A knee patient through the command line as a clinic runs it: six weekly visits
/// (simulated with dates) whose left side goes from 70 % to 96 % of the right and whose
/// hamstrings:quadriceps ratio from 0.45 to 0.63, processed, then `progress`: the LSI and
/// the strength ratio reach their references in week 5, the MVC left and right are the
/// extension holds, and the page looks right in Chromium.
#[test]
fn a_knee_patient_catches_up_on_both_references() {
    let dir = scratch_dir("progress-knee");
    let plan = [
        (0.70, 0.45),
        (0.75, 0.48),
        (0.80, 0.52),
        (0.86, 0.55),
        (0.92, 0.61),
        (0.96, 0.63),
    ];
    let mut outputs = Vec::new();
    for (k, (side, strength)) in plan.iter().enumerate() {
        let raw = dir.join(format!("visit{}.h5", k + 1));
        let out = dir.join(format!("week{}.h5", k + 1));
        let day = ["03-02", "03-09", "03-16", "03-23", "03-30", "04-06"][k];
        let start = format!("2026-{day}T09:30:00Z");
        let session = format!("week {}", k + 1);
        let (side, strength, seed) = (side.to_string(), strength.to_string(), (k + 1).to_string());
        let o = myobalance(&[
            "simulate",
            "--scenario",
            "knee",
            "--seconds",
            "55",
            "--seed",
            &seed,
            "--side-ratio",
            &side,
            "--strength-ratio",
            &strength,
            "--subject",
            "K9",
            "--session",
            &session,
            "--start",
            &start,
            "--out",
            text(&raw),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = myobalance(&["process", text(&raw), "--out", text(&out)]);
        assert!(o.status.success(), "{}", stderr(&o));
        outputs.push(out);
    }
    let html_path = dir.join("k9.html");
    let mut args = vec!["progress", "--subject", "K9", "--out", text(&html_path)];
    args.extend(outputs.iter().map(|p| text(p)));
    let o = myobalance(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = page(&html_path);
    self_contained(&html);
    // The stored values decide the crossings the page must mark.
    let stored = |k: usize, group: &str, column: &str, name: &str| -> f64 {
        let r = read_file(&outputs[k]).unwrap().results.unwrap();
        let g = r.summary(group).unwrap();
        g.numbers(column).unwrap()[g.names.iter().position(|n| n == name).unwrap()]
    };
    let ratios: Vec<f64> = (0..6)
        .map(|k| stored(k, "strength", "ratio", "knee_r"))
        .collect();
    assert!(ratios[3] < 0.6 && ratios[4] >= 0.6, "{ratios:?}");
    let lsi: Vec<f64> = (0..6)
        .map(|k| stored(k, "symmetry", "lsi_percent", "torque"))
        .collect();
    assert!(lsi[3] < 90.0 && lsi[4] >= 90.0, "{lsi:?}");
    assert!(
        html.contains("knee_r reached 0.6 in week 5"),
        "no strength crossing"
    );
    assert!(
        html.contains("torque reached 90 % in week 5"),
        "no LSI crossing"
    );
    let catching_up = format!("catching up: {:.0} % → {:.0} %", lsi[0], lsi[5]);
    assert!(html.contains(&catching_up), "no {catching_up:?}");
    // MVC left and right of the torques: the extension holds, 70 % → 96 % of 150 N.m.
    let left_first = stored(0, "strength", "agonist_mvc_500ms", "knee_l");
    assert!((left_first - 105.0).abs() < 105.0 * 0.05, "{left_first}");
    let cell = format!(
        "<td class=\"num\">{}</td>",
        myobalance::report::html::number(left_first)
    );
    assert!(html.contains(&cell), "no first-session MVC {cell}");
    check_in_browser(
        "a_knee_patient_catches_up_on_both_references",
        &html_path,
        &[
            "torque reached 90 % in week 5",
            "knee_r reached 0.6 in week 5",
            &catching_up,
        ],
        6,
    );
}
