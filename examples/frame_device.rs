//! A stand-alone simulated `frame` device for benchmarking `myobalance record` as a separate
//! process: it opens a pseudo-terminal pair, prints the port to open on its first line of
//! standard output, writes a montage for its channels, and streams frames at real-time pace.
//!
//! ```text
//! cargo run --release --example frame_device -- --channels 32 --rate 10000 \
//!     --seconds 70 --montage-out /tmp/device.montage.toml
//! ```
//!
//! Channels are the simulator's six (four EMG, two force) repeated with suffixes `_1`,
//! `_2`, …, each group from its own seed; pairs and bilateral pairs repeat with them.

use std::io::Write;
use std::time::Duration;

use myobalance::ingest::device::SimulatedDevice;
use myobalance::montage::Montage;
use myobalance::sim::{SimSettings, Simulator};

struct Options {
    channels: usize,
    rate_hz: f64,
    seconds: f64,
    montage_out: Option<String>,
}

fn parse() -> Result<Options, String> {
    let mut o = Options {
        channels: 32,
        rate_hz: 10_000.0,
        seconds: 70.0,
        montage_out: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = |e: &dyn std::fmt::Display| format!("{flag} {value}: {e}");
        match flag.as_str() {
            "--channels" => o.channels = value.parse().map_err(|e| bad(&e))?,
            "--rate" => o.rate_hz = value.parse().map_err(|e| bad(&e))?,
            "--seconds" => o.seconds = value.parse().map_err(|e| bad(&e))?,
            "--montage-out" => o.montage_out = Some(value),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    if !(1..=64).contains(&o.channels) {
        return Err("--channels: 1 to 64 (the frame protocol's limit)".into());
    }
    Ok(o)
}

/// The simulator's montage repeated `groups` times, cut to `channels` channels.
fn montage(base: &Montage, groups: usize, channels: usize) -> Montage {
    let mut m = base.clone();
    m.channels.clear();
    m.pairs.clear();
    m.bilateral.clear();
    for g in 1..=groups {
        let rename = |name: &str| format!("{name}_{g}");
        for c in &base.channels {
            let mut c = c.clone();
            c.name = rename(&c.name);
            m.channels.push(c);
        }
        for p in &base.pairs {
            let mut p = p.clone();
            p.name = rename(&p.name);
            p.agonist = rename(&p.agonist);
            p.antagonist = rename(&p.antagonist);
            m.pairs.push(p);
        }
        for b in &base.bilateral {
            let mut b = b.clone();
            b.name = rename(&b.name);
            b.left = rename(&b.left);
            b.right = rename(&b.right);
            m.bilateral.push(b);
        }
    }
    m.channels.truncate(channels);
    let present = |name: &String| m.channels.iter().any(|c| &c.name == name);
    let pairs = m
        .pairs
        .iter()
        .filter(|p| present(&p.agonist) && present(&p.antagonist))
        .cloned()
        .collect();
    let bilateral = m
        .bilateral
        .iter()
        .filter(|b| present(&b.left) && present(&b.right))
        .cloned()
        .collect();
    m.pairs = pairs;
    m.bilateral = bilateral;
    m
}

fn main() -> Result<(), String> {
    let o = parse()?;
    let mut sims = Vec::new();
    let groups = o.channels.div_ceil(6);
    for g in 0..groups {
        let settings = SimSettings::new(o.seconds, o.rate_hz, 1 + g as u64);
        sims.push(Simulator::new(&settings).map_err(|e| e.to_string())?);
    }
    let m = montage(sims[0].montage(), groups, o.channels);
    if let Some(path) = &o.montage_out {
        std::fs::write(path, m.to_toml_string()).map_err(|e| format!("{path}: {e}"))?;
    }
    let channels = o.channels;
    let mut group = vec![0i32; 6];
    let device = SimulatedDevice::start(o.rate_hz, channels, move |counts| {
        for frame in counts.chunks_exact_mut(channels) {
            for (g, sim) in sims.iter_mut().enumerate() {
                sim.fill_counts(&mut group);
                let start = g * 6;
                let end = (start + 6).min(channels);
                frame[start..end].copy_from_slice(&group[..end - start]);
            }
        }
    })
    .map_err(|e| e.to_string())?;
    println!("{}", device.port_name());
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    std::thread::sleep(Duration::from_secs_f64(o.seconds));
    let sent = device.stop().map_err(|e| e.to_string())?;
    eprintln!(
        "frame_device: {sent} frames of {channels} channels at {} Hz",
        o.rate_hz
    );
    Ok(())
}
