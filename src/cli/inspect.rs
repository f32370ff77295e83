//! `myobalance inspect FILE.h5`: what a file holds, in words a lab user reads at a glance:
//! channels, rate and duration, the groups present, data quality (gaps and counters), the
//! summary values and the simulator's truth when present.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;

use super::Outcome;
use crate::montage::Side;
use crate::results::{EventKind, SummaryValues};
use crate::store::{read_file, StoredFile};

/// Options of `myobalance inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// A myobalance HDF5 file.
    pub file: PathBuf,
}

/// Prints the description of the file.
pub fn run(args: InspectArgs) -> anyhow::Result<Outcome> {
    let stored =
        read_file(&args.file).with_context(|| format!("cannot inspect {}", args.file.display()))?;
    print!("{}", describe(&args.file.display().to_string(), &stored));
    Ok(Outcome::Success)
}

fn side(s: Side) -> &'static str {
    match s {
        Side::Left => "left",
        Side::Right => "right",
        Side::None => "-",
    }
}

/// Formats a number for a table: 4 significant digits, NaN as "-".
fn num(v: f64) -> String {
    if v.is_nan() {
        "-".to_string()
    } else if v == 0.0 {
        "0".to_string()
    } else if v.abs() >= 1e5 || v.abs() < 1e-3 {
        format!("{v:.3e}")
    } else {
        let digits = (4 - (v.abs().max(1e-300).log10().floor() as i32 + 1)).clamp(0, 6) as usize;
        format!("{v:.digits$}")
    }
}

/// The text `inspect` prints.
pub fn describe(name: &str, f: &StoredFile) -> String {
    let rec = &f.recording;
    let m = &rec.montage;
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "{name}");
    let _ = writeln!(
        w,
        "  written by {} on {}",
        f.software.as_deref().unwrap_or("unknown software"),
        f.created_utc.as_deref().unwrap_or("an unknown date")
    );
    let _ = writeln!(w, "  source    {}", rec.source);
    if f.opened_swmr {
        let _ = writeln!(
            w,
            "  note      the file was not closed: a recording in progress or interrupted"
        );
    }
    let _ = writeln!(
        w,
        "  samples   {} × {} channels at {} Hz = {:.3} s   (mains {} Hz)",
        rec.samples.nrows(),
        rec.samples.ncols(),
        rec.sample_rate_hz(),
        rec.duration_s(),
        m.mains_hz
    );
    let _ = writeln!(w, "\n  channel            kind   unit   side   mvc");
    for c in &m.channels {
        let mvc = c.mvc.map(num).unwrap_or_else(|| "-".into());
        let _ = writeln!(
            w,
            "  {:<18} {:<6} {:<6} {:<6} {mvc}",
            c.name,
            c.kind.as_str(),
            c.unit,
            side(c.side)
        );
    }
    for p in &m.pairs {
        let _ = writeln!(
            w,
            "  pair      {}: {} / {}",
            p.name, p.agonist, p.antagonist
        );
    }
    for b in &m.bilateral {
        let _ = writeln!(w, "  bilateral {}: {} / {}", b.name, b.left, b.right);
    }

    let mut groups = vec!["/raw/samples".to_string()];
    if let Some(a) = &rec.acquisition {
        groups.push("/raw/gaps".into());
        groups.push("/raw/timing".into());
        let missing: i64 = a.gaps.iter().map(|g| g[1]).sum();
        let _ = writeln!(w, "\n  acquisition  protocol {} on {}", a.protocol, a.port);
        let _ = writeln!(
            w,
            "    frames received {}, missing {} in {} gaps ({missing} rows interpolated), corrupt {}, bytes skipped {}, ring overruns {}",
            a.frames_received, a.frames_missing, a.gaps.len(), a.frames_corrupt, a.bytes_skipped, a.ring_overruns
        );
        let _ = writeln!(w, "    timing rows {}", a.timing.len());
    }
    if let Some(results) = &f.results {
        for g in &results.features {
            groups.push(format!("/features/{} ({} rows)", g.name, g.time_s.len()));
        }
        groups.push(format!("/events ({})", results.events.len()));
        for g in &results.summary {
            groups.push(format!("/summary/{}", g.name));
        }
    }
    if let Some(t) = &rec.truth {
        groups.push(format!("/truth ({} entries)", t.entries.len()));
    }
    let _ = writeln!(w, "\n  groups    {}", groups.join(", "));

    if let Some(results) = &f.results {
        let counts: Vec<String> = EventKind::ALL
            .iter()
            .filter_map(|k| {
                let n = results.events.iter().filter(|e| e.kind == *k).count();
                (n > 0).then(|| format!("{} {n}", k.as_str()))
            })
            .collect();
        if !counts.is_empty() {
            let _ = writeln!(w, "  events    {}", counts.join(", "));
        }
        for g in &results.summary {
            let _ = writeln!(w, "\n  summary/{}", g.name);
            let header: Vec<&str> = g.columns.iter().map(|(n, _)| n.as_str()).collect();
            let _ = writeln!(
                w,
                "    {:<18} {}",
                "",
                header
                    .iter()
                    .map(|h| format!("{h:>20}"))
                    .collect::<String>()
            );
            for (i, name) in g.names.iter().enumerate() {
                let cells: String = g
                    .columns
                    .iter()
                    .map(|(_, v)| {
                        let cell = match v {
                            SummaryValues::Numbers(x) => {
                                x.get(i).map(|v| num(*v)).unwrap_or_default()
                            }
                            SummaryValues::Texts(t) => t.get(i).cloned().unwrap_or_default(),
                        };
                        format!("{cell:>20}")
                    })
                    .collect();
                let _ = writeln!(w, "    {name:<18} {cells}");
            }
        }
    }
    if let Some(t) = &rec.truth {
        let _ = writeln!(w, "\n  truth (what the features should find)");
        for e in &t.entries {
            let values: Vec<String> = if e.labels.len() == e.values.len() && !e.labels.is_empty() {
                e.labels
                    .iter()
                    .zip(&e.values)
                    .map(|(l, v)| format!("{l} {}", num(*v)))
                    .collect()
            } else {
                e.values.iter().map(|v| num(*v)).collect()
            };
            let _ = writeln!(w, "    {:<26} {} {}", e.name, values.join(", "), e.unit);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_read_well() {
        assert_eq!(super::num(f64::NAN), "-");
        assert_eq!(super::num(9.4712), "9.471");
        assert_eq!(super::num(-0.52), "-0.5200");
        assert_eq!(super::num(1234.7), "1235");
        assert_eq!(super::num(2.5e-7), "2.500e-7");
        assert_eq!(super::num(0.0), "0");
    }
}
