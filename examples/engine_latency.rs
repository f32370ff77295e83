//! In-process timing of the causal engine as a live recorder drives it: a montage's
//! channels fed in blocks of about a millisecond, each push timed, and the pushes that
//! complete feature rows reported apart from the rest (p50, p99, max), and the engine's
//! share of real time. Separate from `scripts/bench-record`, which measures the
//! whole recorder through a pty: this isolates the engine's share.
//!
//! ```text
//! cargo run --release --example engine_latency -- MONTAGE.toml [SECONDS [BLOCK_FRAMES]]
//! ```
//!
//! The samples are the simulator's, repeated over the montage's channels.

use std::time::Instant;

use myobalance::engine::{Filtering, KeptRows, Plan, StreamEngine};
use myobalance::montage::Montage;
use myobalance::sim::{SimSettings, Simulator};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .ok_or("usage: engine_latency MONTAGE.toml [SECONDS [BLOCK_FRAMES]]")?;
    let seconds: f64 = args
        .get(1)
        .map_or(Ok(30.0), |s| s.parse())
        .map_err(|e| format!("SECONDS: {e}"))?;
    let block: usize = args
        .get(2)
        .map_or(Ok(10), |s| s.parse())
        .map_err(|e| format!("BLOCK_FRAMES: {e}"))?;
    let montage = Montage::load(std::path::Path::new(path)).map_err(|e| e.to_string())?;
    let fs = montage
        .sample_rate_hz
        .ok_or("the montage has no sample_rate_hz")?;
    let n = montage.channels.len();
    let plan = Plan::new(&montage, Filtering::Causal).map_err(|e| e.to_string())?;
    let mut engine = StreamEngine::new(plan)
        .map_err(|e| e.to_string())?
        .keeping(KeptRows::NotHandedOut);
    let mut sim = Simulator::new(&SimSettings::new(seconds, fs, 1)).map_err(|e| e.to_string())?;
    let width = sim.montage().channels.len();
    let total = (seconds * fs) as usize;
    let mut counts = vec![0i32; width];
    let mut frames = vec![0f32; block * n];
    let mut quiet = Vec::new();
    let mut busy = Vec::new();
    let mut done = 0;
    let scale: Vec<f64> = sim.montage().channels.iter().map(|c| c.scale).collect();
    let offset: Vec<f64> = sim.montage().channels.iter().map(|c| c.offset).collect();
    while done + block <= total {
        for f in 0..block {
            sim.fill_counts(&mut counts);
            for c in 0..n {
                frames[f * n + c] =
                    (f64::from(counts[c % width]) * scale[c % width] + offset[c % width]) as f32;
            }
        }
        let t = Instant::now();
        engine.push(&frames);
        let rows: usize = engine.new_rows().iter().map(|g| g.time_s.len()).sum();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if rows > 0 {
            busy.push(ms);
        } else {
            quiet.push(ms);
        }
        done += block;
    }
    for v in [&mut quiet, &mut busy] {
        v.sort_by(f64::total_cmp);
    }
    let all = quiet.iter().chain(&busy).sum::<f64>();
    println!("{n} ch × {fs} Hz, {seconds} s in blocks of {block} frames: engine time {:.1} % of real time", 100.0 * all / 1e3 / seconds);
    for (name, v) in [("pushes completing rows", &busy), ("other pushes", &quiet)] {
        println!(
            "  {name:<24} {:>6}: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            v.len(),
            percentile(v, 50.0),
            percentile(v, 99.0),
            v.last().copied().unwrap_or(f64::NAN)
        );
    }
    Ok(())
}
