//! Ordinary least-squares line through points, for the fatigue slope (METHODS.md D).

/// `y = intercept + slope·x`, with the coefficient of determination.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub slope: f64,
    pub intercept: f64,
    /// R² = 1 − SS_res/SS_tot; NaN when all y are equal.
    pub r2: f64,
}

impl Line {
    /// The line's value at `x`.
    pub fn at(&self, x: f64) -> f64 {
        self.intercept + self.slope * x
    }
}

/// The least-squares line through `(x[i], y[i])`; `None` with fewer than two points or
/// when all x are equal.
///
/// ```
/// let line = myobalance::features::line_fit::fit_line(&[0.0, 1.0, 2.0], &[1.0, 3.0, 5.0]).unwrap();
/// assert!((line.slope - 2.0).abs() < 1e-12 && (line.intercept - 1.0).abs() < 1e-12);
/// assert!((line.r2 - 1.0).abs() < 1e-12);
/// ```
pub fn fit_line(x: &[f64], y: &[f64]) -> Option<Line> {
    let n = x.len().min(y.len());
    if n < 2 {
        return None;
    }
    let mx = x[..n].iter().sum::<f64>() / n as f64;
    let my = y[..n].iter().sum::<f64>() / n as f64;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for (xi, yi) in x.iter().zip(y) {
        let (dx, dy) = (xi - mx, yi - my);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let ss_res: f64 = x
        .iter()
        .zip(y)
        .map(|(xi, yi)| (yi - intercept - slope * xi).powi(2))
        .sum();
    let r2 = if syy > 0.0 {
        1.0 - ss_res / syy
    } else {
        f64::NAN
    };
    Some(Line {
        slope,
        intercept,
        r2,
    })
}
