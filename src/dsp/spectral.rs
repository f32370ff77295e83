//! Quantities read off a one-sided PSD whose bin k lies at `k · df` Hz: band power, peak
//! frequency, mean and median frequency (DESIGN.md, "tremor" and "fatigue").
//!
//! Bands are closed: a bin at exactly `lo_hz` or `hi_hz` belongs to the band.

/// Range of bins k with `lo_hz ≤ k·df ≤ hi_hz`, clipped to the spectrum.
pub fn band_bins(bins: usize, df: f64, lo_hz: f64, hi_hz: f64) -> std::ops::Range<usize> {
    let first = (0..bins).find(|&k| k as f64 * df >= lo_hz).unwrap_or(bins);
    let end = (first..bins)
        .find(|&k| k as f64 * df > hi_hz)
        .unwrap_or(bins);
    first..end
}

/// `Σ P·df` over the bins of the band.
///
/// ```
/// use myobalance::dsp::spectral::band_power;
/// assert_eq!(band_power(&[1.0, 2.0, 3.0, 4.0], 0.5, 0.5, 1.0), (2.0 + 3.0) * 0.5);
/// ```
pub fn band_power(psd: &[f64], df: f64, lo_hz: f64, hi_hz: f64) -> f64 {
    psd[band_bins(psd.len(), df, lo_hz, hi_hz)]
        .iter()
        .sum::<f64>()
        * df
}

/// Frequency of the largest bin inside the band, refined by the parabola through it and its
/// two neighbours: `f + df·½(P₋ − P₊)/(P₋ − 2P₀ + P₊)`. The neighbours may lie outside the
/// band. The refinement applies only where the bin is a local maximum (at least as large as
/// both neighbours), which keeps it within half a bin; at a band edge whose outside
/// neighbour is larger, at the ends of the spectrum, or where the parabola is flat, the bin
/// frequency itself is returned (the design's formula would otherwise leave the band, even
/// for negative frequencies). `None` when the band holds no bin.
///
/// ```
/// use myobalance::dsp::spectral::peak_frequency;
/// // A symmetric peak at bin 3 stays there; a lopsided one moves toward the larger side.
/// assert_eq!(peak_frequency(&[0.0, 1.0, 2.0, 4.0, 2.0, 1.0], 1.0, 0.0, 5.0), Some(3.0));
/// assert!(peak_frequency(&[0.0, 1.0, 2.0, 4.0, 3.0, 1.0], 1.0, 0.0, 5.0).unwrap() > 3.0);
/// ```
pub fn peak_frequency(psd: &[f64], df: f64, lo_hz: f64, hi_hz: f64) -> Option<f64> {
    let band = band_bins(psd.len(), df, lo_hz, hi_hz);
    let k = band
        .clone()
        .reduce(|best, k| if psd[k] > psd[best] { k } else { best })?;
    let f = k as f64 * df;
    if k == 0 || k + 1 >= psd.len() {
        return Some(f);
    }
    let (before, at, after) = (psd[k - 1], psd[k], psd[k + 1]);
    let curvature = before - 2.0 * at + after;
    if before > at || after > at || curvature == 0.0 || !curvature.is_finite() {
        return Some(f);
    }
    Some(f + df * 0.5 * (before - after) / curvature)
}

/// Mean power frequency `Σ f·P / Σ P` over the band; NaN when the band holds no power.
pub fn mean_frequency(psd: &[f64], df: f64, lo_hz: f64, hi_hz: f64) -> f64 {
    let band = band_bins(psd.len(), df, lo_hz, hi_hz);
    let (mut weighted, mut total) = (0.0, 0.0);
    for k in band {
        weighted += k as f64 * df * psd[k];
        total += psd[k];
    }
    if total > 0.0 {
        weighted / total
    } else {
        f64::NAN
    }
}

/// Median frequency over the band, by linear interpolation of the cumulative power
/// (DESIGN.md): with c_k the cumulative sum and k the first bin where c_k ≥ c_total/2,
/// `f_{k−1} + (c_total/2 − c_{k−1})/(c_k − c_{k−1})·(f_k − f_{k−1})`, or f_k itself when k
/// is the band's first bin. NaN when the band holds no power.
///
/// The cumulative power of bin k is placed at f_k, the bin's centre, so on a flat spectrum
/// the estimate reads up to half a bin low: the price of the design's exact formula, which
/// keeps results comparable with scripts that use it.
///
/// ```
/// use myobalance::dsp::spectral::median_frequency;
/// // Half the power (2 of 4) is reached exactly at bin 1.
/// assert_eq!(median_frequency(&[1.0, 1.0, 1.0, 1.0], 10.0, 0.0, 30.0), 10.0);
/// ```
pub fn median_frequency(psd: &[f64], df: f64, lo_hz: f64, hi_hz: f64) -> f64 {
    let band = band_bins(psd.len(), df, lo_hz, hi_hz);
    let total: f64 = psd[band.clone()].iter().sum();
    if total.is_nan() || total <= 0.0 {
        return f64::NAN;
    }
    let half = total / 2.0;
    let mut previous = 0.0;
    for k in band.clone() {
        let cumulative = previous + psd[k];
        if cumulative >= half {
            let f = k as f64 * df;
            if k == band.start {
                return f;
            }
            let before = (k - 1) as f64 * df;
            return before + (half - previous) / (cumulative - previous) * (f - before);
        }
        previous = cumulative;
    }
    (band.end - 1) as f64 * df
}
