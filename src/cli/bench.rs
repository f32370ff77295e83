//! `myobalance bench`: throughput of the DSP kernels on synthetic data.

use clap::Args;

use super::Outcome;

/// Options of `myobalance bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Number of channels.
    #[arg(long, default_value_t = 16)]
    pub channels: usize,
    /// Sample rate in Hz.
    #[arg(long, default_value_t = 2000.0)]
    pub rate: f64,
    /// Length of the synthetic recording in seconds.
    #[arg(long, default_value_t = 60.0)]
    pub seconds: f64,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the benchmark.
pub fn run(_args: BenchArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("bench is being written")
}
