//! A stand-alone simulated BITalino (r)evolution for talking to from another process (the
//! official Python API in `scripts/bitalino_peer.py`, or `myobalance record`): it opens a
//! pseudo-terminal pair, prints the port to open on its first line of standard output, and
//! answers the board's commands there until killed, or for `--seconds`.
//!
//! ```text
//! cargo run --release --example bitalino_device -- [--seconds S] [--log FILE] \
//!     [--seed N] [--lose-every N] [--version TEXT]
//! ```
//!
//! The analog inputs are `bitalino_device::test_inputs(seed, …)`: a sine and noise on each
//! of A1–A6, the same for the same seed and frame index. `--log` writes every byte the
//! device sends to FILE; `--lose-every N` drops every N-th frame as a Bluetooth link would.

use std::io::Write;
use std::time::Duration;

use myobalance::ingest::bitalino_device::{test_inputs, BitalinoDeviceOptions, SimulatedBitalino};

struct Options {
    seconds: Option<f64>,
    seed: u64,
    device: BitalinoDeviceOptions,
}

fn parse() -> Result<Options, String> {
    let mut o = Options {
        seconds: None,
        seed: 1,
        device: BitalinoDeviceOptions::default(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = |e: &dyn std::fmt::Display| format!("{flag} {value}: {e}");
        match flag.as_str() {
            "--seconds" => o.seconds = Some(value.parse().map_err(|e| bad(&e))?),
            "--seed" => o.seed = value.parse().map_err(|e| bad(&e))?,
            "--log" => o.device.log = Some(value.into()),
            "--lose-every" => o.device.lose_every = Some(value.parse().map_err(|e| bad(&e))?),
            "--version" => o.device.version = value,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(o)
}

fn main() -> Result<(), String> {
    let o = parse()?;
    let seed = o.seed;
    let device = SimulatedBitalino::start(o.device, move |k, rate_hz, inputs| {
        test_inputs(seed, k, rate_hz, inputs)
    })
    .map_err(|e| e.to_string())?;
    println!("{}", device.port_name());
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    match o.seconds {
        Some(s) => std::thread::sleep(Duration::from_secs_f64(s)),
        None => loop {
            std::thread::sleep(Duration::from_secs(3600));
        },
    }
    let report = device.stop().map_err(|e| e.to_string())?;
    eprintln!(
        "bitalino_device: {} acquisitions, {} frames made, {} lost on purpose, {} bytes sent",
        report.starts, report.frames, report.frames_lost, report.bytes_sent
    );
    Ok(())
}
