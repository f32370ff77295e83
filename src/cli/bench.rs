//! `myobalance bench`: throughput of the DSP kernels on synthetic data, as a table or as
//! one JSON object (DESIGN.md, "Command line").

use std::io::{IsTerminal, Write};

use anyhow::Context;
use clap::Args;

use super::{Outcome, UsageError};
use crate::bench::{BenchReport, BenchSettings, Kernel, Setting};

/// Options of `myobalance bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Number of channels.
    #[arg(long, default_value_t = 16)]
    pub channels: usize,
    /// Sample rate in Hz.
    #[arg(long, default_value_t = 2000.0, allow_negative_numbers = true)]
    pub rate: f64,
    /// Length of the synthetic recording in seconds (at least one 4 s tremor window).
    #[arg(long, default_value_t = 60.0, allow_negative_numbers = true)]
    pub seconds: f64,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

impl BenchArgs {
    /// The validated settings, or a usage error naming the flag and its value.
    pub fn settings(&self) -> Result<BenchSettings, UsageError> {
        BenchSettings::new(self.channels, self.rate, self.seconds).map_err(|err| {
            let (flag, value) = match err.setting() {
                Setting::Channels => ("--channels", self.channels.to_string()),
                Setting::Rate => ("--rate", format!("{:?}", self.rate)),
                Setting::Seconds => ("--seconds", format!("{:?}", self.seconds)),
            };
            UsageError(format!("bad {flag} {value}: {err}"))
        })
    }
}

/// Runs the benchmark and prints its report on stdout.
pub fn run(args: BenchArgs) -> anyhow::Result<Outcome> {
    let settings = args.settings()?;
    let show_progress = std::io::stderr().is_terminal();
    let report = crate::bench::run(&settings, &mut |kernel: Kernel, index, count| {
        if show_progress {
            eprint!(
                "\r\x1b[2Kbench: {} ({}/{})",
                kernel.name(),
                index + 1,
                count
            );
            // Progress is cosmetic: a failed flush of stderr is not worth stopping for.
            let _ = std::io::stderr().flush();
        }
    });
    if show_progress {
        eprint!("\r\x1b[2K");
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &report).context("writing the JSON report")?;
        writeln!(out).context("writing the JSON report")?;
    } else {
        write!(out, "{}", table(&report)).context("writing the report")?;
    }
    out.flush().context("writing the report")?;
    Ok(Outcome::Success)
}

/// The report as a plain-text table.
pub fn table(report: &BenchReport) -> String {
    let m = &report.machine;
    let mut s = format!(
        "{} channels × {} samples ({} s at {} Hz), band-pass {}–{} Hz, 1 thread\n\
         machine: {} ({} cores, {}; {})\n\n",
        report.channels,
        report.samples_per_channel,
        report.seconds,
        report.sample_rate_hz,
        report.bandpass_hz[0],
        report.bandpass_hz[1],
        m.cpu_model,
        m.cores,
        m.arch,
        m.simd.join(" "),
    );
    s.push_str(&format!(
        "{:<22} {:>14} {:>12} {:>8} {:>10}\n",
        "kernel", "samples/s", "median ms", "runs", "× realtime"
    ));
    for (name, k) in report.kernels.iter() {
        let realtime = k.samples_per_s / (report.channels as f64 * report.sample_rate_hz);
        s.push_str(&format!(
            "{:<22} {:>14.3e} {:>12.3} {:>8} {:>10.0}\n",
            name,
            k.samples_per_s,
            k.seconds * 1e3,
            k.repeats,
            realtime
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(channels: usize, rate: f64, seconds: f64) -> BenchArgs {
        BenchArgs {
            channels,
            rate,
            seconds,
            json: false,
        }
    }

    #[test]
    fn bad_values_name_their_flag() {
        let message = |a: BenchArgs| a.settings().unwrap_err().0;
        assert!(message(args(0, 2000.0, 60.0)).contains("--channels 0"));
        assert!(message(args(16, f64::NAN, 60.0)).contains("--rate NaN"));
        assert!(message(args(16, -5.0, 60.0)).contains("--rate -5.0"));
        assert!(message(args(16, 30.0, 60.0)).contains("--rate 30.0"));
        assert!(message(args(16, 2000.0, 0.0)).contains("--seconds 0.0"));
        assert!(message(args(16, 2000.0, 1e300)).contains("--seconds 1e300"));
        assert!(message(args(16, 2000.0, 3.9)).contains("--seconds 3.9"));
        assert!(args(16, 2000.0, 4.0).settings().is_ok());
    }
}
