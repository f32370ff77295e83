//! Criterion benches of the DSP kernels, one group per kernel, parametrised by channel count
//! (and, for the causal band-pass, by the block size a live stream delivers). They time the
//! same prepared kernels as `myobalance bench` (`myobalance::bench::kernels`), on the same
//! synthetic signal, 2 kHz and 8 s long; throughput is in input samples over all channels.
//!
//! Cases are kept short (1 s of measurement, 10 samples) so that `cargo bench` stays within a
//! few minutes on a two-core machine; `cargo bench -- welch` runs one group.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use myobalance::bench::kernels::causal_in_blocks;
use myobalance::bench::{prepare, Design, Kernel, Signal};

const SAMPLE_RATE_HZ: f64 = 2000.0;
/// Long enough for a whole 4 s tremor window and then some.
const SECONDS: f64 = 8.0;
const CHANNELS: [usize; 4] = [1, 8, 16, 32];
const BLOCK_FRAMES: [usize; 3] = [32, 256, 4096];

fn signal(channels: usize) -> Signal {
    Signal::generate(
        channels,
        (SECONDS * SAMPLE_RATE_HZ).round() as usize,
        SAMPLE_RATE_HZ,
    )
}

fn design() -> Design {
    Design::new(SAMPLE_RATE_HZ).expect("the default design exists at 2 kHz")
}

fn causal_blocks(c: &mut Criterion) {
    let design = design();
    let mut group = c.benchmark_group("bandpass_causal");
    for channels in CHANNELS {
        let signal = signal(channels);
        group.throughput(Throughput::Elements(signal.interleaved().len() as u64));
        for block in BLOCK_FRAMES {
            let mut run = causal_in_blocks(&design, &signal, block).expect("valid design");
            group.bench_function(
                BenchmarkId::new(format!("{channels}ch"), format!("block{block}")),
                |b| b.iter(|| run.run()),
            );
        }
    }
    group.finish();
}

fn whole_signal(c: &mut Criterion) {
    let design = design();
    let signals: Vec<Signal> = CHANNELS.iter().map(|&ch| signal(ch)).collect();
    for kernel in Kernel::ALL {
        if kernel == Kernel::BandpassCausal {
            continue; // timed per block size above
        }
        let mut group = c.benchmark_group(kernel.name());
        for signal in &signals {
            let mut run = prepare(kernel, &design, signal).expect("valid design");
            group.throughput(Throughput::Elements(signal.interleaved().len() as u64));
            group.bench_function(
                BenchmarkId::from_parameter(format!("{}ch", signal.channels())),
                |b| b.iter(|| run.run()),
            );
        }
        group.finish();
    }
}

/// Live spectra at 10 kHz, one channel, fed in 10-sample pushes (a recorder's millisecond):
/// the running densities against the transform of each segment they replace, as time per
/// input sample. Tremor: 2 s segments on a 0.5 s grid, 65 bins; fatigue: 0.5 s epochs,
/// 227 bins up to 450 Hz, through the recursion alone and with each epoch's head
/// transformed at once (the last 25 ms through the recursion, as a live recorder runs).
fn running_spectra(c: &mut Criterion) {
    use myobalance::dsp::running_dft::{RunningDft, SegmentTable};
    use myobalance::dsp::welch::{Detrend, Welch};
    const FS: f64 = 10_000.0;
    let x: Vec<f64> = (0..100_000)
        .map(|i| (i as f64 * 0.37).sin() + 0.01 * (i % 97) as f64)
        .collect();
    let mut group = c.benchmark_group("running_spectra");
    group.throughput(Throughput::Elements(x.len() as u64));
    for (name, n, grid, bins, detrend, tail) in [
        ("tremor", 20_000, 5_000, 65, Detrend::Linear, 5_000),
        ("fatigue", 5_000, 5_000, 227, Detrend::Constant, 5_000),
        ("fatigue_head", 5_000, 5_000, 227, Detrend::Constant, 250),
    ] {
        let table = SegmentTable::with_tail(n, grid, bins, detrend, FS, tail).expect("valid table");
        group.bench_function(BenchmarkId::new("running", name), |b| {
            b.iter(|| {
                let mut running = RunningDft::new(table.clone());
                let mut seen = 0.0;
                for push in x.chunks(10) {
                    running.push(push, |_, d| seen += d[1]);
                }
                seen
            })
        });
        let mut welch = Welch::new(n, 0, detrend, FS).expect("valid segment");
        let mut out = vec![0.0; bins];
        group.bench_function(BenchmarkId::new("transform", name), |b| {
            b.iter(|| {
                // The same segments the running spectra complete over x.
                let mut seen = 0.0;
                for start in (0..=x.len() - n).step_by(grid) {
                    welch.segment_density_prefix(&x[start..start + n], &mut out);
                    seen += out[1];
                }
                seen
            })
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
}

criterion_group! {
    name = benches;
    config = config();
    targets = causal_blocks, whole_signal, running_spectra
}
criterion_main!(benches);
