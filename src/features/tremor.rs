//! Tremor band power per channel and tremor window (DESIGN.md "tremor"; METHODS.md C):
//! Welch PSD of the window (2 s Hann segments, half overlapping, linear detrend), band
//! power, power relative to 1–30 Hz, the dominant in-band frequency, and the statistics
//! the alarm rule reads (band power, relative power and peak concentration in the alarm
//! band).
//!
//! Tremor windows overlap 8-fold, and their Welch segments start on a common grid (the
//! greatest common divisor of the hop and the segment step). Each segment's spectrum is
//! therefore computed once, shared by every window that contains it and by the
//! whole-recording Welch of the summary. [`TremorTracker`] takes samples in blocks of any
//! size and gives the same rows as one block: the batch and live paths run the same code.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::dsp::error::DspError;
use crate::dsp::held::Held;
use crate::dsp::running_dft::{RunningDft, SegmentTable};
use crate::dsp::spectral::{band_power, peak_frequency};
use crate::dsp::welch::{Detrend, Welch};
use crate::dsp::windows::{gcd, WindowSpec};

/// Reference band of the relative power, Hz (METHODS.md C.3).
pub const TOTAL_BAND_HZ: [f64; 2] = [1.0, 30.0];
/// Half-width of the peak-concentration band around the alarm peak, Hz.
pub const PEAK_HALF_WIDTH_HZ: f64 = 1.0;

/// Tremor settings in samples, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct TremorSettings {
    pub sample_rate_hz: f64,
    pub band_hz: [f64; 2],
    pub alarm_band_hz: [f64; 2],
    pub segment: usize,
    pub windows: WindowSpec,
    /// With a table, segment spectra are built up as samples arrive
    /// ([`TremorSettings::spread`]); without, each is transformed when a window needs it.
    pub running: Option<Arc<SegmentTable>>,
}

impl TremorSettings {
    /// Settings from seconds; the window must hold at least one segment.
    pub fn new(
        sample_rate_hz: f64,
        band_hz: [f64; 2],
        alarm_band_hz: [f64; 2],
        segment_s: f64,
        window_s: f64,
        hop_s: f64,
    ) -> Result<TremorSettings, DspError> {
        let seg = WindowSpec::from_seconds(segment_s, segment_s, sample_rate_hz, 2)?;
        let windows = WindowSpec::from_seconds(window_s, hop_s, sample_rate_hz, seg.window)?;
        Ok(TremorSettings {
            sample_rate_hz,
            band_hz,
            alarm_band_hz,
            segment: seg.window,
            windows,
            running: None,
        })
    }

    /// The same settings with each segment's spectrum built up sample by sample (see
    /// [`crate::dsp::running_dft`]): the work of a segment is spread over its samples, so
    /// the sample that completes a window costs microseconds, not a transform per channel.
    /// Two multiply–adds per sample and kept bin (about 70 at the default settings);
    /// unchanged settings when the segment grid does not divide the segment (an odd
    /// segment length). The values agree with the transform's to rounding.
    pub fn spread(mut self) -> TremorSettings {
        let step = self.segment - self.segment / 2;
        let grid = gcd(self.windows.hop, step);
        let probe = Welch::new(
            self.segment,
            self.segment / 2,
            Detrend::Linear,
            self.sample_rate_hz,
        );
        if let Ok(welch) = probe {
            let bins = kept_bins(&self, welch.resolution_hz(), welch.bins());
            self.running = SegmentTable::new(
                self.segment,
                grid,
                bins,
                Detrend::Linear,
                self.sample_rate_hz,
            );
        }
        self
    }
}

/// What one PSD says about tremor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TremorRow {
    /// Σ P·df over the tremor band.
    pub band_power: f64,
    /// band_power / Σ P·df over 1–30 Hz.
    pub relative_power: f64,
    /// Dominant frequency inside the tremor band, parabola-refined; NaN if the band is empty.
    pub peak_hz: f64,
    pub alarm_band_power: f64,
    pub alarm_relative_power: f64,
    pub alarm_peak_hz: f64,
    /// BP(alarm peak ± 1 Hz) / BP(alarm band).
    pub peak_concentration: f64,
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::NAN
    }
}

/// Reads the tremor quantities off a one-sided PSD with bin spacing `df`.
pub fn measure(psd: &[f64], df: f64, settings: &TremorSettings) -> TremorRow {
    let [lo, hi] = settings.band_hz;
    let [alo, ahi] = settings.alarm_band_hz;
    let total = band_power(psd, df, TOTAL_BAND_HZ[0], TOTAL_BAND_HZ[1]);
    let bp = band_power(psd, df, lo, hi);
    let abp = band_power(psd, df, alo, ahi);
    let apeak = peak_frequency(psd, df, alo, ahi).unwrap_or(f64::NAN);
    let around = if apeak.is_finite() {
        band_power(
            psd,
            df,
            apeak - PEAK_HALF_WIDTH_HZ,
            apeak + PEAK_HALF_WIDTH_HZ,
        )
    } else {
        f64::NAN
    };
    TremorRow {
        band_power: bp,
        relative_power: ratio(bp, total),
        peak_hz: peak_frequency(psd, df, lo, hi).unwrap_or(f64::NAN),
        alarm_band_power: abp,
        alarm_relative_power: ratio(abp, total),
        alarm_peak_hz: apeak,
        peak_concentration: ratio(around, abp),
    }
}

/// Bins of a spectrum with spacing `df` (of `bins` in all) that the tremor measures can
/// read: every band ([`TOTAL_BAND_HZ`], the tremor band, the alarm band widened by
/// [`PEAK_HALF_WIDTH_HZ`] around its peak) and one bin beyond, the neighbour the peak's
/// parabola may use. Keeping only these (a few dozen of the thousands a 10 kHz recording
/// has) makes each window's sums and searches short, with the same results.
pub fn kept_bins(settings: &TremorSettings, df: f64, bins: usize) -> usize {
    let top_hz = TOTAL_BAND_HZ[1]
        .max(settings.band_hz[1])
        .max(settings.alarm_band_hz[1] + PEAK_HALF_WIDTH_HZ);
    if !(df > 0.0 && top_hz.is_finite()) {
        return bins;
    }
    // One bin more than needed, against rounding in `top_hz / df`.
    ((top_hz / df).floor() as usize + 3).min(bins)
}

/// Streaming tremor analysis of one channel.
pub struct TremorTracker {
    settings: TremorSettings,
    welch: Welch,
    /// The samples segments spanning pushes need.
    held: Held,
    seen: usize,
    /// Segment spectra by start index, computed once.
    cache: BTreeMap<usize, Vec<f64>>,
    /// Bins kept of each spectrum: those up to the highest frequency a measure reads.
    kept_bins: usize,
    /// Spectra no longer cached, kept for reuse.
    spare: Vec<Vec<f64>>,
    next_window: usize,
    next_summary_segment: usize,
    summary_sum: Vec<f64>,
    summary_count: usize,
    psd: Vec<f64>,
    /// Segment spectra built up as samples arrive, when the settings spread them.
    running: Option<RunningDft>,
}

impl TremorTracker {
    /// A tracker at sample 0.
    pub fn new(settings: TremorSettings) -> Result<TremorTracker, DspError> {
        let welch = Welch::new(
            settings.segment,
            settings.segment / 2,
            Detrend::Linear,
            settings.sample_rate_hz,
        )?;
        let bins = kept_bins(&settings, welch.resolution_hz(), welch.bins());
        let settings_running = settings
            .running
            .clone()
            .filter(|t| t.bins() == bins && t.segment_len() == settings.segment);
        Ok(TremorTracker {
            settings,
            welch,
            held: Held::default(),
            seen: 0,
            cache: BTreeMap::new(),
            spare: Vec::new(),
            kept_bins: bins,
            next_window: 0,
            next_summary_segment: 0,
            summary_sum: vec![0.0; bins],
            summary_count: 0,
            psd: vec![0.0; bins],
            running: settings_running.map(RunningDft::new),
        })
    }

    /// Settings in use.
    pub fn settings(&self) -> &TremorSettings {
        &self.settings
    }

    /// Grid of segment starts shared by windows and the summary.
    pub fn grid(&self) -> usize {
        gcd(self.settings.windows.hop, self.welch.step())
    }

    /// The spectrum of the segment from `start`, computed once. `input` is the push's
    /// samples, from absolute index `seen` on (see [`Held::read`]).
    fn density(&mut self, start: usize, input: &[f64], seen: usize) -> &Vec<f64> {
        if !self.cache.contains_key(&start) {
            let samples = self.held.read(input, seen, start, self.settings.segment);
            // Spectra are reused rather than freed: a live recording computes one per
            // channel every hop, and fresh allocations of this size cost page faults.
            let mut out = self
                .spare
                .pop()
                .unwrap_or_else(|| vec![0.0; self.kept_bins]);
            self.welch.segment_density_prefix(samples, &mut out);
            self.cache.insert(start, out);
        }
        &self.cache[&start]
    }

    /// Feeds the next samples; appends `(time_s, row)` for every tremor window they
    /// complete. A long input is taken a few windows at a time, so the cache of segment
    /// spectra stays small whatever the block size; the samples held between pushes are
    /// at most those the next window needs, and what small pushes add until half of them
    /// are stale.
    pub fn push(&mut self, x: &[f64], rows: &mut Vec<(f64, TremorRow)>) {
        let piece = (4 * self.settings.windows.window).max(4096);
        for part in x.chunks(piece) {
            self.push_piece(part, rows);
        }
    }

    fn push_piece(&mut self, x: &[f64], rows: &mut Vec<(f64, TremorRow)>) {
        let (rows_before, summaries_before) = (rows.len(), self.summary_count);
        if let Some(running) = &mut self.running {
            let (cache, spare) = (&mut self.cache, &mut self.spare);
            running.push(x, |start, d| {
                let mut kept = spare.pop().unwrap_or_else(|| vec![0.0; d.len()]);
                kept.copy_from_slice(d);
                cache.insert(start, kept);
            });
        }
        let seen = self.seen;
        self.seen += x.len();
        let seg = self.settings.segment;
        let step = self.welch.step();
        // Whole-recording Welch for the summary, segment by segment.
        while self.next_summary_segment + seg <= self.seen {
            let start = self.next_summary_segment;
            self.density(start, x, seen);
            for (s, v) in self.summary_sum.iter_mut().zip(&self.cache[&start]) {
                *s += v;
            }
            self.summary_count += 1;
            self.next_summary_segment += step;
        }
        let spec = self.settings.windows;
        let per_window = self.welch.segments(spec.window);
        let df = self.welch.resolution_hz();
        while self.next_window * spec.hop + spec.window <= self.seen {
            let k = self.next_window;
            let mut psd = std::mem::take(&mut self.psd);
            psd.fill(0.0);
            for j in 0..per_window {
                let d = self.density(k * spec.hop + j * step, x, seen);
                for (p, v) in psd.iter_mut().zip(d) {
                    *p += v;
                }
            }
            for p in psd.iter_mut() {
                *p /= per_window as f64;
            }
            rows.push((spec.centre_s(k), measure(&psd, df, &self.settings)));
            self.psd = psd;
            self.next_window += 1;
        }
        // Forget what no window or summary segment will read again.
        let keep_from = (self.next_window * spec.hop).min(self.next_summary_segment);
        while let Some(entry) = self.cache.first_entry() {
            if *entry.key() >= keep_from {
                break;
            }
            self.spare.push(entry.remove());
        }
        if self.running.is_none() {
            // Stale samples are dropped preferably in a push that computed no spectrum:
            // a live recorder then moves memory in a quiet millisecond rather than in the
            // one whose rows are awaited. Long pushes, which always complete windows, drop
            // once the stale part reaches four windows.
            let quiet = rows.len() == rows_before && self.summary_count == summaries_before;
            let overdue = |stale| stale >= 4 * spec.window.max(seg);
            self.held
                .keep(x, seen, keep_from, |stale| quiet || overdue(stale));
        }
    }

    /// Tremor measures of the Welch PSD over everything pushed so far (scipy's `welch` of
    /// the whole channel); `None` before one whole segment.
    pub fn summary(&self) -> Option<TremorRow> {
        (self.summary_count > 0).then(|| {
            let psd: Vec<f64> = self
                .summary_sum
                .iter()
                .map(|s| s / self.summary_count as f64)
                .collect();
            measure(&psd, self.welch.resolution_hz(), &self.settings)
        })
    }

    /// The whole-recording PSD up to the highest frequency the measures read (see
    /// [`kept_bins`]), and its bin spacing.
    pub fn summary_psd(&self) -> Option<(Vec<f64>, f64)> {
        (self.summary_count > 0).then(|| {
            let psd = self
                .summary_sum
                .iter()
                .map(|s| s / self.summary_count as f64)
                .collect();
            (psd, self.welch.resolution_hz())
        })
    }
}
