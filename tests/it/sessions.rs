//! `myobalance summarize` and `myobalance progress` on a simulated patient: six sessions
//! whose left side goes from 70 % to 95 % of the right (`SimSettings::side_ratio`), each
//! analysed by the library engine and written with its subject, session label and date.
//!
//! The table is checked against an independent reader: pandas parses the CSV and h5py
//! reads every value from the files (Python from `MYOBALANCE_PYTHON`, which `scripts/test`
//! sets from `scripts/pyenv`; R's `read.csv` too when `Rscript` exists). Without them those
//! checks say SKIPPED on stderr and the rest of the test still runs.

use std::path::{Path, PathBuf};
use std::process::Output;

use myobalance::engine::{analyze, Filtering};
use myobalance::recording::Recording;
use myobalance::sim::{simulate, SimSettings};
use myobalance::store::{read_file, read_summary, write_file, WriteOptions};

use crate::fixtures::command;
use crate::store::scratch_dir;

const BIN: &str = env!("CARGO_BIN_EXE_myobalance");

/// Left/right ratio of each session: the LSI crosses 90 % between the 4th and the 5th,
/// far enough from 90 on both sides for the simulator's noise (about ±1 point).
const SIDE_RATIOS: [f64; 6] = [0.70, 0.75, 0.80, 0.85, 0.93, 0.95];

/// A week apart: the session dates.
const DATES: [&str; 6] = [
    "2026-03-02",
    "2026-03-09",
    "2026-03-16",
    "2026-03-23",
    "2026-03-30",
    "2026-04-06",
];

/// Seconds per session: two sets of holds, enough for every summary group.
const SESSION_S: f64 = 30.0;

pub fn myobalance(args: &[&str]) -> Output {
    command(BIN).args(args).output().expect("the binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn text(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A simulated session, analysed and written to `dir/file` with its metadata.
#[allow(clippy::too_many_arguments)]
pub fn session(
    dir: &Path,
    file: &str,
    subject: &str,
    label: &str,
    date: Option<&str>,
    side_ratio: f64,
    seed: u64,
    edit: impl FnOnce(&mut Recording),
) -> PathBuf {
    let settings = SimSettings {
        seconds: SESSION_S,
        side_ratio,
        seed,
        ..SimSettings::default()
    };
    let mut rec = simulate(&settings).unwrap();
    rec.metadata.subject = Some(subject.into());
    rec.metadata.session = Some(label.into());
    rec.metadata.recorded_utc = date.map(str::to_string);
    edit(&mut rec);
    let results = analyze(&rec, Filtering::ZeroPhase).unwrap();
    let path = dir.join(file);
    write_file(&path, &rec, Some(&results), &WriteOptions::default()).unwrap();
    path
}

/// The six weekly sessions of `subject`, dated a week apart from 2026-03-02.
pub fn six_sessions(dir: &Path, subject: &str) -> Vec<PathBuf> {
    SIDE_RATIOS
        .iter()
        .enumerate()
        .map(|(i, &ratio)| {
            let date = format!("{}T09:30:00Z", DATES[i]);
            session(
                dir,
                &format!("s{}.h5", i + 1),
                subject,
                &format!("week {}", i + 1),
                Some(&date),
                ratio,
                i as u64 + 1,
                |_| {},
            )
        })
        .collect()
}

/// The Python of `MYOBALANCE_PYTHON` with pandas and h5py, or `None` after saying why not.
fn python_or_skip(test: &str) -> Option<PathBuf> {
    let Some(python) = std::env::var_os("MYOBALANCE_PYTHON").map(PathBuf::from) else {
        eprintln!("SKIPPED {test} (pandas/h5py part): MYOBALANCE_PYTHON is not set (scripts/test sets it)");
        return None;
    };
    let ok = command(&python)
        .args(["-c", "import pandas, h5py"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!(
            "SKIPPED {test} (pandas/h5py part): {} cannot import pandas and h5py",
            python.display()
        );
        return None;
    }
    Some(python)
}

/// Reads the table with pandas and every value of every file with h5py; prints `rows N`.
const PANDAS_CHECK: &str = r#"
import sys, math
import h5py, numpy as np, pandas as pd
table, subject, files = sys.argv[1], sys.argv[2], sys.argv[3:]
df = pd.read_csv(table)
assert list(df.columns) == ["file","subject","session","recorded_utc","group","name","measure","value","unit"], list(df.columns)
assert df["value"].dtype == np.float64, df["value"].dtype
assert (df["subject"] == subject).all(), df["subject"].unique()
expected = 0
per_file = []
for path in files:
    n = 0
    with h5py.File(path, "r") as f:
        assert f.attrs["subject"] == subject or f.attrs["subject"] == subject.encode()
        rows = df[df["file"] == path]
        for group, g in f["summary"].items():
            names = [x.decode() if isinstance(x, bytes) else x for x in g["names"][()]]
            for measure, ds in g.items():
                if measure == "names" or ds.dtype.kind not in "fiu":
                    continue
                values = ds[()]
                for i, name in enumerate(names):
                    n += 1
                    hit = rows[(rows["group"] == group) & (rows["name"] == name) & (rows["measure"] == measure)]
                    assert len(hit) == 1, (path, group, name, measure, len(hit))
                    got, want = float(hit["value"].iloc[0]), float(values[i])
                    assert got == want or (math.isnan(got) and math.isnan(want)), (path, group, name, measure, got, want)
        text = rows[rows["group"] == "symmetry"]["measure"].unique().tolist()
        assert "weaker" not in text and "measure" not in text, text
    per_file.append(n)
    expected += n
assert len(set(per_file)) == 1, per_file
assert len(df) == expected, (len(df), expected)
print("rows", len(df), "per file", per_file[0])
"#;

#[test]
fn summarize_writes_one_row_per_value_that_pandas_and_h5py_agree_on() {
    let dir = scratch_dir("summarize");
    let subject = "Doe, \"JD\"";
    let files = six_sessions(&dir, subject);
    // Week 3 without biceps_l's MVC: its %MVC is NaN, and its biceps LSI is on RMS.
    let again = session(
        &dir,
        "s3.h5",
        subject,
        "week 3",
        Some("2026-03-16T09:30:00Z"),
        SIDE_RATIOS[2],
        3,
        |r| {
            r.montage.channels.iter_mut().for_each(|c| {
                if c.name == "biceps_l" {
                    c.mvc = None
                }
            })
        },
    );
    assert_eq!(again, files[2]);
    let table = dir.join("table.csv");
    let mut args = vec!["summarize"];
    args.extend(files.iter().map(|f| text(f)));
    let stdout = myobalance(&args);
    assert!(stdout.status.success(), "{}", stderr(&stdout));
    args.extend(["--out", text(&table)]);
    let o = myobalance(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("from 6 files"), "{}", stderr(&o));
    let csv = std::fs::read_to_string(&table).unwrap();
    assert_eq!(
        csv.as_bytes(),
        &stdout.stdout[..],
        "--out and stdout hold the same table"
    );
    assert!(csv.starts_with("file,subject,session,recorded_utc,group,name,measure,value,unit\n"));
    // Rows in the order the files were given; each file's rows together.
    let firsts: Vec<usize> = files
        .iter()
        .map(|f| csv.find(&format!("\n{},", text(f))).unwrap())
        .collect();
    assert!(firsts.windows(2).all(|w| w[0] < w[1]));
    let lines = csv.lines().count() - 1;
    assert_eq!(
        lines % 6,
        0,
        "six files with the same montage give 6 × N rows"
    );
    assert!(csv
        .contains(",\"Doe, \"\"JD\"\"\",week 1,2026-03-02T09:30:00Z,symmetry,biceps,lsi_percent,"));
    assert!(csv.contains(",symmetry,biceps,lsi_percent,") && csv.contains(",% (pct_mvc)\n"));
    assert!(csv.contains(",force,force_l,rfd_100,") && csv.contains(",N/s\n"));
    assert!(csv.contains(",week 3,2026-03-16T09:30:00Z,activation,biceps_l,pct_mvc_mean,NaN,%\n"));
    assert!(
        csv.contains(",week 3,2026-03-16T09:30:00Z,symmetry,biceps,lsi_percent,")
            && csv.contains(",% (rms)\n")
    );
    let body = &csv[csv.find('\n').unwrap()..];
    assert!(
        !body.contains(",weaker,") && !body.contains(",measure,"),
        "text columns have no rows"
    );

    if let Some(python) =
        python_or_skip("summarize_writes_one_row_per_value_that_pandas_and_h5py_agree_on")
    {
        let o = command(python)
            .args(["-c", PANDAS_CHECK, text(&table), subject])
            .args(files.iter().map(|f| text(f)))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let said = String::from_utf8_lossy(&o.stdout);
        assert_eq!(said.trim(), format!("rows {lines} per file {}", lines / 6));
    }
    r_check(&table, lines);
}

/// R's `read.csv` reads `value` as numbers (NaN included) and every row.
fn r_check(table: &Path, lines: usize) {
    if command("Rscript").arg("--version").output().is_err() {
        eprintln!("SKIPPED the R part of the summarize test: Rscript is not installed");
        return;
    }
    let script = format!(
        "d <- read.csv('{}', stringsAsFactors = FALSE); stopifnot(is.numeric(d$value)); \
         stopifnot(nrow(d) == {lines}); cat('ok', sum(is.nan(d$value)), '\\n')",
        text(table)
    );
    let o = command("Rscript").args(["-e", &script]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn summarize_lists_files_without_a_summary_and_writes_the_others() {
    let dir = scratch_dir("summarize-failed");
    let good = session(&dir, "good.h5", "P01", "week 1", None, 0.8, 1, |_| {});
    let raw = dir.join("raw.h5");
    let o = myobalance(&["simulate", "--seconds", "5", "--out", text(&raw)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let junk = dir.join("junk.h5");
    std::fs::write(&junk, "not a file of ours").unwrap();
    let table = dir.join("t.csv");
    let o = myobalance(&[
        "summarize",
        text(&raw),
        text(&good),
        text(&junk),
        "--out",
        text(&table),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("failed inputs:"), "{err}");
    assert!(
        err.contains(&format!("{} has no summary values", text(&raw))),
        "{err}"
    );
    assert!(err.contains(text(&junk)), "{err}");
    let csv = std::fs::read_to_string(&table).unwrap();
    assert!(csv.lines().count() > 20);
    assert!(csv.lines().skip(1).all(|l| l.starts_with(text(&good))));
    let o = myobalance(&["summarize", text(&good), "--out", text(&good)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn the_summary_reader_reads_what_the_whole_file_reader_reads() {
    let dir = scratch_dir("summary-reader");
    let path = session(
        &dir,
        "a.h5",
        "P01",
        "week 1",
        Some("2026-03-02T09:30:00Z"),
        0.8,
        1,
        |_| {},
    );
    let whole = read_file(&path).unwrap();
    let part = read_summary(&path).unwrap();
    let m = &whole.recording.metadata;
    assert_eq!(part.subject, m.subject);
    assert_eq!(part.session, m.session);
    assert_eq!(part.recorded_utc, m.recorded_utc);
    assert_eq!(part.montage, whole.recording.montage);
    assert_eq!(part.summary, whole.results.unwrap().summary);
    assert!(part.has_features && !part.summary.is_empty());

    let raw = dir.join("raw.h5");
    let o = myobalance(&["simulate", "--seconds", "2", "--out", text(&raw)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let part = read_summary(&raw).unwrap();
    assert!(!part.has_features && part.summary.is_empty());
    let junk = dir.join("junk.h5");
    std::fs::write(&junk, "junk").unwrap();
    assert!(read_summary(&junk)
        .unwrap_err()
        .to_string()
        .contains("junk.h5"));
}
