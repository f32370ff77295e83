//! `myobalance inspect FILE [--rate HZ]`: what a file holds, in words a lab user reads at a
//! glance, without writing anything. For a myobalance file: channels, rate and duration,
//! the groups present, data quality (gaps and counters), the summary values and the
//! simulator's truth when present. For any other format `process` reads: the format, each
//! channel with its label, kind, unit, side and rate in the file, the duration, gaps,
//! annotations, start time and subject, and the montage guessed for it.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;

use super::input::{load, Input};
use super::Outcome;
use crate::import::open::{detect, Detected};
use crate::montage::{Direction, Montage, Side, StrengthSource};
use crate::recording::{Gap, Recording};
use crate::results::{EventKind, SummaryValues};
use crate::store::{read_file, StoredFile};

/// Annotations listed one by one; past this many only the count is given.
const ANNOTATIONS_LISTED: usize = 20;

/// Options of `myobalance inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// A recording in any format `process` reads (myobalance HDF5, CSV, EDF/BDF, C3D,
    /// OpenBCI, OpenSignals, WFDB).
    pub file: PathBuf,
    /// The rate to describe the recording at (as `process --rate`).
    #[arg(long, value_name = "HZ")]
    pub rate: Option<f64>,
    /// Of an XDF file with several streams, the one to analyse (default: the first of type
    /// EMG); the other streams join it.
    #[arg(long, value_name = "NAME")]
    pub stream: Option<String>,
}

/// Prints the description of the file.
pub fn run(args: InspectArgs) -> anyhow::Result<Outcome> {
    let shown = args.file.display().to_string();
    let context = || format!("cannot inspect {shown}");
    let detected = detect(&args.file).with_context(context)?;
    let own_hdf5 = detected == Detected::Hdf5
        && !crate::store::opensignals::is_opensignals(&args.file).with_context(context)?;
    if own_hdf5 {
        let stored = read_file(&args.file).with_context(context)?;
        print!("{}", describe(&shown, &stored));
    } else {
        let input =
            load(&args.file, None, args.rate, args.stream.as_deref()).with_context(context)?;
        print!("{}", describe_input(&shown, &input));
    }
    Ok(Outcome::Success)
}

/// The text `inspect` prints for a file in another format.
pub fn describe_input(name: &str, input: &Input) -> String {
    let rec = &input.recording;
    let m = &rec.montage;
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "{name}");
    let format = rec.metadata.source_format.as_deref().unwrap_or("CSV");
    let _ = writeln!(w, "  format    {format}");
    metadata_lines(w, rec);
    samples_line(w, rec);
    let rates = rec.metadata.source_rates_hz.as_deref();
    let _ = writeln!(
        w,
        "\n  channel            label                    kind   unit   side   rate in file"
    );
    for (i, c) in m.channels.iter().enumerate() {
        let rate = rates
            .and_then(|r| r.get(i))
            .map_or_else(|| format!("{}", rec.sample_rate_hz()), |r| format!("{r}"));
        let _ = writeln!(
            w,
            "  {:<18} {:<24} {:<6} {:<6} {:<6} {rate} Hz",
            c.name,
            c.label.as_deref().unwrap_or(&c.name),
            c.kind.as_str(),
            c.unit,
            side(c.side)
        );
    }
    pair_lines(w, m);
    if let Some(a) = &rec.acquisition {
        let rows = Gap::total_rows(&a.gaps);
        let _ = writeln!(
            w,
            "\n  gaps      {} ({rows} rows filled by interpolation); sample instants received {}, missing {}",
            a.gaps.len(),
            a.frames_received,
            a.frames_missing
        );
    }
    let notes = &rec.metadata.annotations;
    if !notes.is_empty() {
        let _ = writeln!(w, "\n  annotations ({})", notes.len());
        for e in notes.iter().take(ANNOTATIONS_LISTED) {
            let duration = if e.value.is_finite() {
                format!("  ({} s)", num(e.value))
            } else {
                String::new()
            };
            let _ = writeln!(w, "    {:>10.3} s  {}{duration}", e.time_s, e.text);
        }
        if notes.len() > ANNOTATIONS_LISTED {
            let _ = writeln!(w, "    … and {} more", notes.len() - ANNOTATIONS_LISTED);
        }
    }
    if let Some(g) = &input.guess {
        let _ = writeln!(w, "\n  montage guessed from the labels and units:");
        for c in &g.channels {
            let mut why = format!("kind {}", c.kind_from);
            if let Some(s) = &c.side_from {
                why.push_str(&format!("; side from {s}"));
            }
            if let Some(muscle) = c.muscle {
                why.push_str(&format!("; {}", muscle.name));
            }
            if let Some(note) = &c.note {
                why.push_str(&format!("; {note}"));
            }
            let _ = writeln!(w, "    {:<18} {why}", c.channel.name);
        }
        let _ = writeln!(w, "    mains     {} Hz: {}", g.mains_hz, g.mains_from);
        let _ = writeln!(
            w,
            "  `myobalance montage {name} --out M.toml` writes it to check and edit."
        );
    }
    for warning in &input.warnings {
        let _ = writeln!(w, "  warning: {warning}");
    }
    out
}

/// Rows × channels at the rate, the duration and the mains frequency.
fn samples_line(w: &mut String, rec: &Recording) {
    let _ = writeln!(
        w,
        "  samples   {} × {} channels at {} Hz = {:.3} s   (mains {} Hz)",
        rec.samples.nrows(),
        rec.samples.ncols(),
        rec.sample_rate_hz(),
        rec.duration_s(),
        rec.montage.mains_hz
    );
}

/// Start time, subject and source format lines, for those that are known.
fn metadata_lines(w: &mut String, rec: &Recording) {
    let meta = &rec.metadata;
    if let Some(t) = &meta.recorded_utc {
        let zone = if t.ends_with('Z') {
            ""
        } else {
            " (local time)"
        };
        let _ = writeln!(w, "  recorded  {t}{zone}");
    }
    if let Some(s) = &meta.subject {
        let _ = writeln!(w, "  subject   {s}");
    }
    if let Some(s) = &meta.session {
        let _ = writeln!(w, "  session   {s}");
    }
}

/// The pair and bilateral lines of a montage.
fn pair_lines(w: &mut String, m: &Montage) {
    for p in &m.pairs {
        let strength = match p.strength_source() {
            Some(StrengthSource::Torque { torque, direction }) => {
                let sign = match direction {
                    Direction::Positive => "positive",
                    Direction::Negative => "negative",
                };
                format!(", torque {torque} ({sign} while the agonist works)")
            }
            Some(StrengthSource::OneWay {
                agonist,
                antagonist,
            }) => format!(", force {agonist} / {antagonist}"),
            None => String::new(),
        };
        let reference = p
            .strength_ratio_reference
            .map_or(String::new(), |r| format!(", strength ratio reference {r}"));
        let _ = writeln!(
            w,
            "  pair      {}: {} / {}{strength}{reference}",
            p.name, p.agonist, p.antagonist
        );
    }
    for b in &m.bilateral {
        let _ = writeln!(w, "  bilateral {}: {} / {}", b.name, b.left, b.right);
    }
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
    if let Some(format) = &rec.metadata.source_format {
        let _ = writeln!(w, "  format    imported from {format}");
    }
    metadata_lines(w, rec);
    if f.opened_swmr {
        let _ = writeln!(
            w,
            "  note      the file was not closed: a recording in progress or interrupted"
        );
    }
    samples_line(w, rec);
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
    pair_lines(w, m);

    let mut groups = vec!["/raw/samples".to_string()];
    if let Some(a) = &rec.acquisition {
        groups.push("/raw/gaps".into());
        groups.push("/raw/timing".into());
        let missing = Gap::total_rows(&a.gaps);
        if a.port.is_empty() {
            // Imported from a file: its gaps, and its sequence counter's counts.
            let _ = writeln!(w, "\n  imported  gaps from {}", a.protocol);
            let _ = writeln!(
                w,
                "    sample instants received {}, missing {} in {} gaps ({missing} rows interpolated)",
                a.frames_received, a.frames_missing, a.gaps.len()
            );
        } else {
            let _ = writeln!(w, "\n  acquisition  protocol {} on {}", a.protocol, a.port);
            let _ = writeln!(
                w,
                "    frames received {}, missing {} in {} gaps ({missing} rows interpolated), corrupt {}, bytes skipped {}, ring overruns {}",
                a.frames_received, a.frames_missing, a.gaps.len(), a.frames_corrupt, a.bytes_skipped, a.ring_overruns
            );
            let _ = writeln!(w, "    timing rows {}", a.timing.len());
        }
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
            // Each column as wide as its name needs, at least 20.
            let widths: Vec<usize> = header.iter().map(|h| (h.len() + 1).max(20)).collect();
            let _ = writeln!(
                w,
                "    {:<18} {}",
                "",
                header
                    .iter()
                    .zip(&widths)
                    .map(|(h, width)| format!("{h:>width$}"))
                    .collect::<String>()
            );
            for (i, name) in g.names.iter().enumerate() {
                let cells: String = g
                    .columns
                    .iter()
                    .zip(&widths)
                    .map(|((_, v), width)| {
                        let cell = match v {
                            SummaryValues::Numbers(x) => {
                                x.get(i).map(|v| num(*v)).unwrap_or_default()
                            }
                            SummaryValues::Texts(t) => t.get(i).cloned().unwrap_or_default(),
                        };
                        format!("{cell:>width$}")
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
