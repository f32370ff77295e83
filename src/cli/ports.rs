//! `myobalance ports`: the serial ports a recording can use.

use clap::Args;

use super::Outcome;
use crate::ingest::ports::{latency_hint, list};

/// Options of `myobalance ports` (none).
#[derive(Debug, Args)]
pub struct PortsArgs {}

/// Prints the ports, one per line, with hints.
pub fn run(_args: PortsArgs) -> anyhow::Result<Outcome> {
    let ports = list().map_err(|e| anyhow::anyhow!("cannot list serial ports: {e}"))?;
    if ports.is_empty() {
        println!("no serial ports found (is the device plugged in, and may this user open it?)");
        return Ok(Outcome::Success);
    }
    for p in &ports {
        match p.latency_timer_ms {
            Some(ms) => println!("{}  {}  (latency timer {ms} ms)", p.name, p.description),
            None => println!("{}  {}", p.name, p.description),
        }
    }
    for hint in ports.iter().filter_map(latency_hint) {
        eprintln!("hint: {hint}");
    }
    Ok(Outcome::Success)
}
