//! Everything the engine needs, derived once from a montage and validated: filters as
//! second-order sections, windows in samples, tremor, alarm, onset and force settings,
//! and which channels feed which feature.

use crate::dsp::butterworth::{butter, Band};
use crate::dsp::error::DspError;
use crate::dsp::notch::notch;
use crate::dsp::running_dft::SegmentTable;
use crate::dsp::sos::Section;
use crate::dsp::sosfilt::lanes_for_this_cpu;
use crate::dsp::spectral::band_bins;
use crate::dsp::welch::Detrend;
use crate::dsp::windows::WindowSpec;
use crate::features::alarm::AlarmRule;
use crate::features::bonato::BonatoSettings;
use crate::features::force::ForceSettings;
use crate::features::onset_baseline::REST_WINDOW_S;
use crate::features::tremor::TremorSettings;
use crate::montage::{Kind, Montage, NotchMode, OnsetMethod};
use std::sync::Arc;

/// EMG band-pass order per edge (DESIGN.md: Butterworth order 2 per edge).
pub const BANDPASS_ORDER: usize = 2;
/// The band-pass upper edge is capped at this fraction of the sample rate.
pub const MAX_UPPER_EDGE: f64 = 0.45;
/// Notch quality factor (METHODS.md A.3).
pub const NOTCH_Q: f64 = 30.0;
/// `notch = "auto"`: the line-to-floor ratio above which a channel is notched (10 dB).
pub const AUTO_NOTCH_RATIO: f64 = 10.0;
/// `notch = "auto"`: seconds at the start of each EMG channel the decision is made on, in
/// both modes, so live and `--causal` decide alike.
pub const AUTO_NOTCH_S: f64 = 2.0;
/// Onsets (METHODS.md G): the low-pass and averaging window of the Hodges–Bui and TKEO
/// test signals, their thresholds in baseline SDs, and the start-up time left out.
pub const ONSET_LOWPASS_HZ: f64 = 50.0;
pub const ONSET_WINDOW_S: f64 = 0.025;
pub const ONSET_K: f64 = 3.0;
/// METHODS.md G.2 asks for j calibrated on labelled data: 3 (README, "Onsets": j = 8
/// finds 10 of NeuroKit2's 19 activations on `biosppy_emg_1`, j = 3 finds 23, 15 of 16).
pub const ONSET_TKEO_K: f64 = 3.0;
pub const ONSET_SKIP_S: f64 = 0.1;
/// Zero-phase runs: frames each filter hands on at a time, at least: at 2 kHz 8 s, so the
/// memory of a filter is a few hundred kB.
pub const STRETCH_FRAMES: usize = 16 * 1024;
/// Zero-lag force low-pass before force metrics (METHODS.md F).
pub const FORCE_LOWPASS_HZ: f64 = 150.0;

/// The running spectra of fatigue epochs of `n` samples: the bins up to one past the
/// band's last, so MDF and MNF read the same bins as from the whole periodogram; `None`
/// when those reach a quarter of the rate (see [`SegmentTable::new`]). An epoch's head is
/// transformed at once and only its last `tail` samples go through the recursion (the
/// band's bins are too many for it to pay over the whole epoch; see
/// [`SegmentTable::with_tail`]).
fn fatigue_table(n: usize, band_hz: [f64; 2], fs: f64, tail: usize) -> Option<Arc<SegmentTable>> {
    let bins = n / 2 + 1;
    let df = fs / n as f64;
    let end = band_bins(bins, df, band_hz[0], band_hz[1]).end;
    SegmentTable::with_tail(n, n, end + 1, Detrend::Constant, fs, tail.clamp(1, n))
}

/// Settings of the onset detectors in samples.
#[derive(Debug, Clone, PartialEq)]
pub struct OnsetPlan {
    /// Low-pass of the rectified EMG and of |ψ|; `None` when 50 Hz is above 0.45·fs.
    pub lowpass: Option<Vec<Section>>,
    pub mean_window: usize,
    /// Hodges–Bui threshold, baseline SDs.
    pub k: f64,
    /// TKEO threshold, baseline SDs of the TKEO test signal.
    pub tkeo_k: f64,
    pub bonato: BonatoSettings,
    /// The detector that drives events, the report and the summary.
    pub method: OnsetMethod,
    /// Samples the test must stay above its threshold for an onset.
    pub min_active: usize,
    /// Samples it must stay below for an offset (shorter pauses are merged).
    pub min_gap: usize,
    /// Baseline window (`features::onset_baseline`).
    pub rest_window: usize,
    /// Causal runs: samples after `skip` the baseline comes from.
    pub live_baseline: usize,
    /// Filter start-up left out of baselines and detection.
    pub skip: usize,
}

/// A named pair of channel indices (co-contraction or symmetry).
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelPair {
    pub name: String,
    pub first: usize,
    pub second: usize,
}

/// How the filters run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filtering {
    /// Forward only, as a live recording must: each output depends on the past alone.
    Causal,
    /// Forward and backward (filtfilt): no phase lag; for stored recordings.
    ZeroPhase,
}

/// Where the channels of an analysis run (the results are the same either way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threads {
    /// Spread over the rayon pool.
    Pool,
    /// All on the calling thread.
    One,
}

/// The validated analysis of one montage.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub montage: Montage,
    pub sample_rate_hz: f64,
    /// Causal filters (live, `--causal`) or zero-phase (offline default).
    pub filtering: Filtering,
    pub band_hz: [f64; 2],
    /// Empty when the montage has no EMG channel (nothing to band-pass).
    pub bandpass: Vec<Section>,
    /// `None` when mains lies above the EMG band (0.45·fs), where it needs no notch.
    pub notch: Option<Section>,
    pub envelope_lowpass_hz: f64,
    pub envelope: Vec<Section>,
    pub rms: WindowSpec,
    pub cci: WindowSpec,
    pub fatigue: WindowSpec,
    pub tremor: TremorSettings,
    /// Causal runs: the fatigue epochs' spectra over the band, built up as samples arrive
    /// (see [`crate::dsp::running_dft`]); `None` in zero-phase runs, or where the band
    /// reaches the top bin.
    pub fatigue_running: Option<Arc<SegmentTable>>,
    pub alarm: AlarmRule,
    pub onset: OnsetPlan,
    pub force: ForceSettings,
    pub force_lowpass: Option<Vec<Section>>,
    /// Zero-phase runs: frames each filter hands on at a time, at least (see
    /// [`ZeroPhaseStream::economical`](crate::dsp::filtfilt_stream::ZeroPhaseStream::economical)).
    /// A stretch longer than the recording filters it whole.
    pub stretch_frames: usize,
    /// EMG channels, and force channels, filtered side by side in one group (see
    /// [`EmgGroup`](super::emg_group::EmgGroup)): as many as the CPU runs at full speed
    /// ([`lanes_for_this_cpu`]); 1 filters each alone. The results are the same bit for
    /// bit.
    pub lanes: usize,
    /// Channel indices by role, in montage order.
    pub emg: Vec<usize>,
    pub force_channels: Vec<usize>,
    /// Channels of kind force, accel or EMG, in montage order: the tremor columns.
    pub tremor_channels: Vec<usize>,
    /// Agonist, antagonist.
    pub pairs: Vec<ChannelPair>,
    /// Left, right.
    pub bilateral: Vec<ChannelPair>,
}

fn samples(seconds: f64, fs: f64) -> usize {
    ((seconds * fs).round() as usize).max(1)
}

fn lowpass_below_limit(cutoff_hz: f64, fs: f64) -> Result<Option<Vec<Section>>, DspError> {
    if cutoff_hz < MAX_UPPER_EDGE * fs {
        butter(2, Band::LowPass { cutoff_hz }, fs).map(Some)
    } else {
        Ok(None)
    }
}

impl Plan {
    /// The plan for `montage` (which must carry its sample rate), causal or zero-phase.
    pub fn new(montage: &Montage, filtering: Filtering) -> Result<Plan, DspError> {
        let fs = montage
            .sample_rate_hz
            .ok_or(DspError::BadSampleRate(f64::NAN))?;
        let a = &montage.analysis;
        let band_hz = [a.bandpass_hz[0], a.bandpass_hz[1].min(MAX_UPPER_EDGE * fs)];
        let has_emg = montage.channels.iter().any(|c| c.kind == Kind::Emg);
        let bandpass = if has_emg {
            butter(
                BANDPASS_ORDER,
                Band::BandPass {
                    low_hz: band_hz[0],
                    high_hz: band_hz[1],
                },
                fs,
            )?
        } else {
            Vec::new()
        };
        let mains_hz = f64::from(montage.mains_hz);
        let notch = if has_emg && mains_hz < MAX_UPPER_EDGE * fs {
            Some(notch(mains_hz, NOTCH_Q, fs)?)
        } else {
            None
        };
        let envelope = butter(
            2,
            Band::LowPass {
                cutoff_hz: a.envelope_lowpass_hz,
            },
            fs,
        )?;
        let tremor = TremorSettings::new(
            fs,
            a.tremor_band_hz,
            a.alarm_band_hz,
            a.tremor_segment_s,
            a.tremor_window_s,
            a.tremor_hop_s,
        )?;
        // Causal runs are (or stand for) live ones: their spectra are spread over the
        // samples, so no sample carries a transform per channel.
        let tremor = match filtering {
            Filtering::Causal => tremor.spread(),
            Filtering::ZeroPhase => tremor,
        };
        let fatigue = WindowSpec::from_seconds(a.fatigue_epoch_s, a.fatigue_epoch_s, fs, 2)?;
        let rms = WindowSpec::from_seconds(a.rms_window_s, a.rms_hop_s, fs, 2)?;
        // The head's transform comes half an activation hop before the epoch ends: between
        // two activation rows when their windows end on the epochs' grid (the defaults).
        let fatigue_running = match filtering {
            Filtering::Causal => fatigue_table(fatigue.window, band_hz, fs, rms.hop / 2),
            Filtering::ZeroPhase => None,
        };
        let baseline_samples = (a.alarm_baseline_s * fs).round() as usize;
        let alarm = AlarmRule {
            baseline_updates: tremor.windows.count(baseline_samples).max(1),
            power_ratio: a.alarm_power_ratio,
            min_relative_power: a.alarm_min_relative_power,
            min_peak_concentration: a.alarm_min_peak_concentration,
            consecutive: a.alarm_consecutive,
            band_hz: a.alarm_band_hz,
        };
        let index = |name: &str| montage.channel_index(name).unwrap_or(usize::MAX);
        let of_kind = |kinds: &[Kind]| -> Vec<usize> {
            (0..montage.channels.len())
                .filter(|&i| kinds.contains(&montage.channels[i].kind))
                .collect()
        };
        Ok(Plan {
            sample_rate_hz: fs,
            filtering,
            band_hz,
            bandpass,
            notch,
            envelope_lowpass_hz: a.envelope_lowpass_hz,
            envelope,
            rms,
            cci: WindowSpec::from_seconds(a.cci_window_s, a.cci_hop_s, fs, 2)?,
            fatigue,
            fatigue_running,
            tremor,
            alarm,
            onset: OnsetPlan {
                lowpass: lowpass_below_limit(ONSET_LOWPASS_HZ, fs)?,
                mean_window: samples(ONSET_WINDOW_S, fs),
                k: ONSET_K,
                tkeo_k: ONSET_TKEO_K,
                bonato: BonatoSettings::default(),
                method: a.onset_method,
                min_active: samples(a.onset_min_active_s, fs),
                min_gap: samples(a.onset_min_gap_s, fs),
                rest_window: samples(REST_WINDOW_S, fs).max(2),
                live_baseline: samples(a.onset_baseline_s, fs).max(2),
                skip: samples(ONSET_SKIP_S, fs),
            },
            force: ForceSettings::new(fs),
            force_lowpass: lowpass_below_limit(FORCE_LOWPASS_HZ, fs)?,
            stretch_frames: STRETCH_FRAMES,
            lanes: lanes_for_this_cpu(),
            emg: of_kind(&[Kind::Emg]),
            force_channels: of_kind(&[Kind::Force]),
            tremor_channels: of_kind(&[Kind::Force, Kind::Accel, Kind::Emg]),
            pairs: montage
                .pairs
                .iter()
                .map(|p| ChannelPair {
                    name: p.name.clone(),
                    first: index(&p.agonist),
                    second: index(&p.antagonist),
                })
                .collect(),
            bilateral: montage
                .bilateral
                .iter()
                .map(|b| ChannelPair {
                    name: b.name.clone(),
                    first: index(&b.left),
                    second: index(&b.right),
                })
                .collect(),
            montage: montage.clone(),
        })
    }

    /// Whether an EMG channel is notched, given its first seconds (read only for `auto`).
    pub fn notch_wanted(&self, first_seconds: &[f64]) -> bool {
        if self.notch.is_none() {
            return false;
        }
        match self.montage.analysis.notch {
            NotchMode::Off => false,
            NotchMode::On => true,
            NotchMode::Auto => line_ratio(
                first_seconds,
                self.sample_rate_hz,
                f64::from(self.montage.mains_hz),
            )
            .is_some_and(|r| r > AUTO_NOTCH_RATIO),
        }
    }

    /// Names of the channels at `indices`.
    pub fn names(&self, indices: &[usize]) -> Vec<String> {
        indices
            .iter()
            .map(|&i| self.montage.channels[i].name.clone())
            .collect()
    }

    /// The MVC reference of channel `c`, if set.
    pub fn mvc(&self, c: usize) -> Option<f64> {
        self.montage.channels[c].mvc
    }
}

/// METHODS.md A.3: mean PSD within ±1 Hz of the mains frequency and its harmonics up to
/// three, over the median PSD of 30–45 and 55–95 Hz (60 Hz mains: 30–55 and 65–95 Hz).
/// `None` when the signal is too short for a 0.5 Hz resolution.
pub fn line_ratio(x: &[f64], fs: f64, mains_hz: f64) -> Option<f64> {
    use crate::dsp::welch::{Detrend, Welch};
    let segment = (2.0 * fs).round() as usize;
    if x.len() < segment {
        return None;
    }
    let mut welch = Welch::new(segment, segment / 2, Detrend::Constant, fs).ok()?;
    let mut psd = vec![0.0; welch.bins()];
    welch.psd(x, &mut psd);
    let df = welch.resolution_hz();
    let mean_in = |lo: f64, hi: f64| {
        let r = crate::dsp::spectral::band_bins(psd.len(), df, lo, hi);
        let n = r.len().max(1) as f64;
        psd[r].iter().sum::<f64>() / n
    };
    let nyquist = fs / 2.0;
    let line: Vec<f64> = (1..=3)
        .map(|h| h as f64 * mains_hz)
        .filter(|f| f + 1.0 < nyquist)
        .map(|f| mean_in(f - 1.0, f + 1.0))
        .collect();
    let gap = if mains_hz < 55.0 {
        (45.0, 55.0)
    } else {
        (55.0, 65.0)
    };
    let mut floor: Vec<f64> = (0..psd.len())
        .filter(|&k| {
            let f = k as f64 * df;
            (30.0..=95.0).contains(&f) && !(f > gap.0 && f < gap.1)
        })
        .map(|k| psd[k])
        .collect();
    floor.sort_by(f64::total_cmp);
    let median = *floor.get(floor.len() / 2)?;
    let peak = line.iter().copied().fold(0.0, f64::max);
    (median > 0.0).then(|| peak / median)
}
