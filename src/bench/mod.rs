//! Throughput of the DSP kernels on a synthetic recording (`myobalance bench`).
//!
//! [`signal`] generates the recording by a formula numpy can reproduce bit for bit,
//! [`kernels`] prepares each kernel, and [`run`] times them: after one untimed warm-up run,
//! each kernel runs at least [`MIN_REPEATS`] times and until [`MIN_TOTAL_S`] seconds have
//! passed; the median run time is reported. Everything runs on the calling thread, so the
//! figures compare directly with single-threaded peers such as scipy.
//!
//! ```
//! use myobalance::bench::{run, BenchSettings};
//! let settings = BenchSettings::new(2, 500.0, 4.0)?;
//! let report = run(&settings, &mut |_, _, _| {});
//! assert_eq!(report.kernels.len(), 7);
//! assert!(report.kernels.iter().all(|(_, k)| k.samples_per_s > 0.0));
//! # Ok::<(), myobalance::bench::BenchError>(())
//! ```

use std::time::{Duration, Instant};

use serde::ser::{Serialize, SerializeMap, Serializer};

pub mod design;
pub mod kernels;
pub mod machine;
pub mod signal;

pub use design::{BenchError, BenchSettings, Design, Setting};
pub use kernels::{prepare, Kernel};
pub use machine::Machine;
pub use signal::Signal;

/// Timed runs per kernel, at least.
pub const MIN_REPEATS: usize = 3;
/// Timed runs per kernel continue until they add up to this many seconds…
pub const MIN_TOTAL_S: f64 = 0.5;
/// …or this many runs have been made.
pub const MAX_REPEATS: usize = 10_000;

/// Timing of one kernel.
#[derive(Debug, Clone, serde::Serialize)]
pub struct KernelResult {
    /// Input samples (all channels) per second of the median run.
    pub samples_per_s: f64,
    /// Median run time, s.
    pub seconds: f64,
    /// Fastest run time, s.
    pub min_seconds: f64,
    /// Timed runs made.
    pub repeats: usize,
    /// The kernel's output checksum (see [`kernels`]).
    pub output_checksum: f64,
    /// Seconds of recording processed per second of computing (`pipeline` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub realtime_factor: Option<f64>,
}

/// Kernel results in report order; serialises as a JSON object keyed by kernel name.
#[derive(Debug, Clone, Default)]
pub struct KernelTable(pub Vec<(&'static str, KernelResult)>);

impl KernelTable {
    /// Number of kernels.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when no kernel ran.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The kernels and their results, in report order.
    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, KernelResult)> {
        self.0.iter()
    }

    /// The result of the kernel called `name`.
    pub fn get(&self, name: &str) -> Option<&KernelResult> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, r)| r)
    }
}

impl Serialize for KernelTable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, result) in &self.0 {
            map.serialize_entry(name, result)?;
        }
        map.end()
    }
}

/// Everything `myobalance bench --json` prints.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchReport {
    pub kernels: KernelTable,
    pub channels: usize,
    pub sample_rate_hz: f64,
    /// Length of the synthetic recording, s.
    pub seconds: f64,
    pub samples_per_channel: usize,
    /// Sum of every input sample ([`Signal::checksum`]).
    pub input_checksum: f64,
    /// EMG band-pass edges used, Hz.
    pub bandpass_hz: [f64; 2],
    pub machine: Machine,
}

/// Generates the signal of `settings` and times every kernel on it, calling
/// `progress(kernel, index, count)` before each kernel starts.
pub fn run(
    settings: &BenchSettings,
    progress: &mut dyn FnMut(Kernel, usize, usize),
) -> BenchReport {
    let signal = Signal::generate(
        settings.channels,
        settings.samples_per_channel,
        settings.sample_rate_hz,
    );
    let total_samples = (settings.channels * settings.samples_per_channel) as f64;
    let mut kernels = Vec::new();
    for (index, &kernel) in Kernel::ALL.iter().enumerate() {
        progress(kernel, index, Kernel::ALL.len());
        let mut run = prepare(kernel, &settings.design, &signal)
            .expect("BenchSettings::new has built every filter at this rate");
        let (times, output_checksum) = time_runs(&mut run);
        let seconds = median(&times);
        let samples_per_s = total_samples / seconds;
        let realtime_factor = (kernel == Kernel::Pipeline)
            .then(|| samples_per_s / (settings.channels as f64 * settings.sample_rate_hz));
        kernels.push((
            kernel.name(),
            KernelResult {
                samples_per_s,
                seconds,
                min_seconds: times.iter().copied().fold(f64::INFINITY, f64::min),
                repeats: times.len(),
                output_checksum,
                realtime_factor,
            },
        ));
    }
    BenchReport {
        kernels: KernelTable(kernels),
        channels: settings.channels,
        sample_rate_hz: settings.sample_rate_hz,
        seconds: settings.seconds,
        samples_per_channel: settings.samples_per_channel,
        input_checksum: signal.checksum(),
        bandpass_hz: [settings.design.band_hz.0, settings.design.band_hz.1],
        machine: Machine::detect(),
    }
}

/// One untimed warm-up run that also sums the output, then timed runs until both minimums
/// are reached; returns the run times and the checksum.
fn time_runs(run: &mut kernels::Prepared<'_>) -> (Vec<f64>, f64) {
    let checksum = run.run_with_checksum();
    let mut times = Vec::new();
    let mut spent = Duration::ZERO;
    while times.len() < MIN_REPEATS
        || (spent.as_secs_f64() < MIN_TOTAL_S && times.len() < MAX_REPEATS)
    {
        let start = Instant::now();
        run.run();
        let elapsed = start.elapsed();
        spent += elapsed;
        // A run too short for the clock still took some time.
        times.push(elapsed.as_secs_f64().max(1e-9));
    }
    (times, checksum)
}

/// The median of a non-empty list (mean of the middle two for an even count).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        0.5 * (sorted[mid - 1] + sorted[mid])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn report_names_every_kernel_and_only_the_pipeline_has_a_realtime_factor() {
        let settings = BenchSettings::new(2, 500.0, 4.0).unwrap();
        let report = run(&settings, &mut |_, _, _| {});
        let names: Vec<_> = report.kernels.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "bandpass_causal",
                "bandpass_zero_phase",
                "rms",
                "envelope",
                "welch",
                "mdf",
                "pipeline"
            ]
        );
        for (name, k) in report.kernels.iter() {
            assert_eq!(k.realtime_factor.is_some(), *name == "pipeline");
            assert!(k.output_checksum.is_finite(), "{name}");
        }
        let json = serde_json::to_value(&report).unwrap();
        assert!(json["kernels"]["pipeline"]["realtime_factor"].is_f64());
        assert_eq!(json["samples_per_channel"], 2000);
    }
}
