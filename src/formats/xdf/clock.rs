//! Clock offsets: LabRecorder measures, every few seconds, what to add to a stream's
//! timestamps to put them on the recording computer's clock, and stores
//! `(collection time on the stream's clock, offset)`. The offsets of a stream are fitted
//! by a least-squares line, `offset(t) = a + b·t`, and each timestamp t becomes
//! `t + a + b·t` (one offset: a constant shift; none: unchanged), as pyxdf does for a
//! stream without clock resets.

/// Puts `timestamps` on the recording computer's clock with the line through `offsets`
/// (`[collection time, offset]` pairs; non-finite ones are ignored).
pub fn synchronize(timestamps: &mut [f64], offsets: &[[f64; 2]]) {
    let points: Vec<[f64; 2]> = offsets
        .iter()
        .copied()
        .filter(|p| p.iter().all(|v| v.is_finite()))
        .collect();
    let Some((a, b)) = line(&points) else { return };
    for t in timestamps {
        *t += a + b * *t;
    }
}

/// Intercept and slope of the least-squares line through `points`; a constant through
/// one point or points at one time; `None` without points.
fn line(points: &[[f64; 2]]) -> Option<(f64, f64)> {
    let n = points.len() as f64;
    if points.is_empty() {
        return None;
    }
    let mx = points.iter().map(|p| p[0]).sum::<f64>() / n;
    let my = points.iter().map(|p| p[1]).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p[0] - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p[0] - mx) * (p[1] - my)).sum();
    if sxx <= 0.0 {
        return Some((my, 0.0));
    }
    let b = sxy / sxx;
    Some((my - b * mx, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_on_a_line_are_followed_exactly() {
        let offsets: Vec<[f64; 2]> = (0..5)
            .map(|k| {
                let t = 100.0 + 5.0 * k as f64;
                [t, 0.25 + 1e-4 * t]
            })
            .collect();
        let mut t = vec![100.0, 110.0, 130.0];
        synchronize(&mut t, &offsets);
        for (got, t0) in t.iter().zip([100.0, 110.0, 130.0]) {
            assert!((got - (t0 + 0.25 + 1e-4 * t0)).abs() < 1e-9);
        }
        let mut one = vec![1.0];
        synchronize(&mut one, &[[0.0, 0.5]]);
        assert_eq!(one, vec![1.5]);
    }
}
