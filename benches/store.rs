//! Write speed of `/raw/samples`: MB/s of f32 data through the format v1 writer at the
//! chosen deflate level (with shuffle), against no compression and a higher level.
//!
//! Signal: EMG-like noise at 16-bit resolution plus a slow force-like ramp, 24 channels ×
//! 2 kHz × 30 s (5.8 MB of f32), as a device delivers it: quantised, not white f32 noise.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use myobalance::montage::{Channel, Kind, Montage, Side};
use myobalance::recording::Recording;
use myobalance::store::{write_file, WriteOptions};
use ndarray::Array2;

fn recording(channels: usize, rows: usize) -> Recording {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let samples = Array2::from_shape_fn((rows, channels), |(r, c)| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let noise = ((state >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 200.0;
        let counts = (noise / 0.0447).round() * 0.0447; // a 24-bit ADC's µV step
        if c % 4 == 3 {
            (r as f32 * 0.01).sin() * 300.0 + counts * 0.01
        } else {
            counts
        }
    });
    let montage = Montage {
        sample_rate_hz: Some(2000.0),
        mains_hz: 50,
        channels: (0..channels)
            .map(|i| Channel {
                name: format!("ch{i}"),
                label: None,
                kind: Kind::Emg,
                unit: "uV".into(),
                side: Side::None,
                scale: 1.0,
                offset: 0.0,
                mvc: None,
            })
            .collect(),
        pairs: vec![],
        bilateral: vec![],
        analysis: Default::default(),
    };
    Recording {
        montage,
        samples,
        source: "bench".into(),
        acquisition: None,
        truth: None,
        metadata: Default::default(),
    }
}

fn write_raw(c: &mut Criterion) {
    let rec = recording(24, 2000 * 30);
    let dir = std::env::temp_dir().join(format!("myobalance-bench-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let path = dir.join("bench.h5");
    let mut group = c.benchmark_group("write_raw");
    group.throughput(Throughput::Bytes((rec.samples.len() * 4) as u64));
    group.sample_size(10);
    for level in [0u8, 1, 4] {
        let options = WriteOptions {
            deflate_level: level,
            ..Default::default()
        };
        group.bench_function(format!("deflate{level}"), |b| {
            b.iter(|| write_file(&path, &rec, None, &options).expect("write"))
        });
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        eprintln!(
            "deflate{level}: file {:.1} MB for {:.1} MB of f32 (ratio {:.2})",
            size as f64 / 1e6,
            rec.samples.len() as f64 * 4.0 / 1e6,
            rec.samples.len() as f64 * 4.0 / size.max(1) as f64
        );
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, write_raw);
criterion_main!(benches);
