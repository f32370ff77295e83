//! Teager–Kaiser energy operator against its definition.

use myobalance::dsp::tkeo::tkeo;

#[test]
fn tkeo_of_a_sine_is_constant() {
    // For x = A sin(ωn), ψ = A² sin²(ω) exactly.
    let (a, w) = (3.0, 0.2);
    let x: Vec<f64> = (0..200).map(|n| a * (w * n as f64).sin()).collect();
    let mut out = vec![0.0; x.len()];
    tkeo(&x, &mut out);
    let expected = a * a * w.sin() * w.sin();
    assert!(out.iter().all(|v| (v - expected).abs() < 1e-12));
}

#[test]
fn tkeo_handles_short_signals() {
    let mut out = vec![1.0; 2];
    tkeo(&[1.0, 2.0], &mut out);
    assert_eq!(out, vec![0.0, 0.0]);
    let mut empty: Vec<f64> = Vec::new();
    tkeo(&[], &mut empty);
}
