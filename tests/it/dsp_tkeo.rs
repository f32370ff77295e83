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

#[test]
fn streaming_tkeo_is_the_centred_operator_one_sample_late_in_any_block_size() {
    use myobalance::dsp::tkeo::TkeoStream;
    let x: Vec<f64> = (0..101)
        .map(|n| (0.3 * n as f64).sin() * (1.0 + 0.01 * n as f64))
        .collect();
    let mut whole = vec![0.0; x.len()];
    tkeo(&x, &mut whole);
    for block in [1, 2, 7, 101] {
        let mut t = TkeoStream::default();
        let mut out = vec![0.0; x.len()];
        for (a, b) in x.chunks(block).zip(out.chunks_mut(block)) {
            t.process(a, b);
        }
        // ψ[n − 1] arrives with x[n]; the definition's interior samples 1..n−1.
        for n in 2..x.len() {
            assert!(
                (out[n] - whole[n - 1]).abs() < 1e-12,
                "block {block}, n {n}"
            );
        }
        // Before the first sample x[−1] = x[−2] = 0.
        assert_eq!(out[0], 0.0);
        assert_eq!(out[1], x[0] * x[0]);
    }
}
