//! Writes a simulated patient's processed sessions, for trying `myobalance progress` and
//! `myobalance summarize` on a known trend: the left side goes from `--from` to `--to` of
//! the right (the simulator's `side_ratio`) over `--sessions` weekly sessions, each
//! analysed and written as `DIR/week<k>.h5` with its subject, session label ("week k")
//! and date (Mondays from 2026-03-02, 09:30 UTC; `--undated` leaves the dates out).
//!
//! ```text
//! cargo run --release --example patient_sessions -- DIR [--subject P01] [--sessions 6] \
//!     [--from 0.70] [--to 0.95] [--seconds 30] [--undated]
//! ```

use std::path::PathBuf;

use myobalance::engine::{analyze, Filtering};
use myobalance::sessions::order::seconds_of;
use myobalance::sim::{simulate, SimSettings};
use myobalance::store::{write_file, WriteOptions};

struct Options {
    dir: PathBuf,
    subject: String,
    sessions: usize,
    from: f64,
    to: f64,
    seconds: f64,
    undated: bool,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        dir: PathBuf::new(),
        subject: "P01".into(),
        sessions: 6,
        from: 0.70,
        to: 0.95,
        seconds: 30.0,
        undated: false,
    };
    let mut args = std::env::args().skip(1);
    let number = |v: Option<String>, flag: &str| -> Result<f64, String> {
        v.and_then(|v| v.parse().ok())
            .ok_or(format!("{flag} takes a number"))
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            "--subject" => o.subject = args.next().ok_or("--subject takes a name")?,
            "--sessions" => o.sessions = number(args.next(), "--sessions")?.max(1.0) as usize,
            "--from" => o.from = number(args.next(), "--from")?,
            "--to" => o.to = number(args.next(), "--to")?,
            "--seconds" => o.seconds = number(args.next(), "--seconds")?,
            "--undated" => o.undated = true,
            _ if a.starts_with("--") => return Err(format!("unknown flag {a}")),
            _ => o.dir = PathBuf::from(a),
        }
    }
    if o.dir.as_os_str().is_empty() {
        return Err("give the folder to write the sessions into".into());
    }
    Ok(o)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let o = options()?;
    std::fs::create_dir_all(&o.dir)?;
    let monday = seconds_of("2026-03-02").ok_or("a date")? / 86_400.0;
    for k in 0..o.sessions {
        let step = if o.sessions > 1 {
            k as f64 / (o.sessions - 1) as f64
        } else {
            1.0
        };
        let settings = SimSettings {
            seconds: o.seconds,
            side_ratio: o.from + (o.to - o.from) * step,
            seed: k as u64 + 1,
            ..SimSettings::default()
        };
        let mut rec = simulate(&settings)?;
        rec.metadata.subject = Some(o.subject.clone());
        rec.metadata.session = Some(format!("week {}", k + 1));
        if !o.undated {
            rec.metadata.recorded_utc =
                Some(format!("{}T09:30:00Z", civil(monday as i64 + 7 * k as i64)));
        }
        let results = analyze(&rec, Filtering::ZeroPhase)?;
        let path = o.dir.join(format!("week{}.h5", k + 1));
        write_file(&path, &rec, Some(&results), &WriteOptions::default())?;
        println!("{}", path.display());
    }
    Ok(())
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01.
fn civil(days: i64) -> String {
    let (year, month, day) = myobalance::calendar::civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}
