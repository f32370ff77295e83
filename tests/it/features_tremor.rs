//! The tremor tracker against a direct per-window Welch, across block sizes, and on a
//! known tremor.

use std::f64::consts::PI;

use myobalance::dsp::welch::Welch;
use myobalance::features::tremor::{measure, TremorRow, TremorSettings, TremorTracker};

use crate::fixtures::Noise;

fn settings(fs: f64) -> TremorSettings {
    TremorSettings::new(fs, [4.0, 12.0], [4.0, 14.0], 2.0, 4.0, 0.5).unwrap()
}

fn force_with_tremor(fs: f64, seconds: f64, seed: u64) -> Vec<f64> {
    let mut noise = Noise::new(seed);
    (0..(fs * seconds) as usize)
        .map(|i| {
            let t = i as f64 / fs;
            let grow = (t / seconds).powi(2);
            150.0 + 20.0 * t / seconds + grow * (2.0 * PI * 9.2 * t).sin() + 0.05 * noise.gauss()
        })
        .collect()
}

fn run(x: &[f64], s: &TremorSettings, blocks: &[usize]) -> (Vec<(f64, TremorRow)>, TremorTracker) {
    let mut t = TremorTracker::new(s.clone()).unwrap();
    let mut rows = Vec::new();
    let mut start = 0;
    let mut b = 0;
    while start < x.len() {
        let end = (start + blocks[b % blocks.len()]).min(x.len());
        t.push(&x[start..end], &mut rows);
        start = end;
        b += 1;
    }
    (rows, t)
}

fn same(a: &TremorRow, b: &TremorRow) -> bool {
    let eq = |x: f64, y: f64| x == y || (x.is_nan() && y.is_nan());
    eq(a.band_power, b.band_power)
        && eq(a.relative_power, b.relative_power)
        && eq(a.peak_hz, b.peak_hz)
        && eq(a.alarm_band_power, b.alarm_band_power)
        && eq(a.peak_concentration, b.peak_concentration)
}

#[test]
fn rows_equal_a_direct_welch_of_each_window() {
    for fs in [1000.0, 2048.0] {
        let s = settings(fs);
        let x = force_with_tremor(fs, 13.3, 1);
        let (rows, tracker) = run(&x, &s, &[x.len()]);
        assert_eq!(rows.len(), s.windows.count(x.len()));
        let mut welch = Welch::from_seconds(2.0, fs).unwrap();
        let mut psd = vec![0.0; welch.bins()];
        for (k, (time, row)) in rows.iter().enumerate() {
            welch.psd(&x[s.windows.range(k)], &mut psd);
            let direct = measure(&psd, welch.resolution_hz(), &s);
            assert_eq!(*time, s.windows.centre_s(k));
            assert!(
                same(row, &direct),
                "window {k} at {fs} Hz: {row:?} vs {direct:?}"
            );
        }
        welch.psd(&x, &mut psd);
        let whole = measure(&psd, welch.resolution_hz(), &s);
        assert!(
            same(&tracker.summary().unwrap(), &whole),
            "summary at {fs} Hz"
        );
    }
}

#[test]
fn any_block_size_gives_the_same_rows() {
    let fs = 2000.0;
    let s = settings(fs);
    let x = force_with_tremor(fs, 11.0, 2);
    let (whole, t0) = run(&x, &s, &[x.len()]);
    for blocks in [
        &[1usize][..],
        &[7, 300, 1],
        &[2000],
        &[4096, 3],
        &[9001, 5],
        &[15_000],
    ] {
        let (rows, t) = run(&x, &s, blocks);
        assert_eq!(rows.len(), whole.len());
        for ((ta, a), (tb, b)) in rows.iter().zip(&whole) {
            assert_eq!(ta, tb);
            assert!(same(a, b), "blocks {blocks:?}");
        }
        assert!(same(&t.summary().unwrap(), &t0.summary().unwrap()));
    }
}

#[test]
fn finds_a_growing_tremor() {
    let fs = 1000.0;
    let s = settings(fs);
    let x = force_with_tremor(fs, 30.0, 3);
    let (rows, tracker) = run(&x, &s, &[250]);
    let (_, last) = rows.last().unwrap();
    assert!((last.peak_hz - 9.2).abs() < 0.3, "peak {}", last.peak_hz);
    assert!(
        last.relative_power > 0.9,
        "relative {}",
        last.relative_power
    );
    assert!(last.band_power > 20.0 * rows[0].1.band_power);
    assert!((tracker.summary().unwrap().peak_hz - 9.2).abs() < 0.3);
}

#[test]
fn too_short_for_a_segment() {
    let s = settings(1000.0);
    let (rows, tracker) = run(&[1.0; 1500], &s, &[100]);
    assert!(rows.is_empty() && tracker.summary().is_none());
    assert!(TremorSettings::new(1000.0, [4.0, 12.0], [4.0, 14.0], 2.0, 1.0, 0.5).is_err());
}
