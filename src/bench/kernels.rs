//! The kernels a benchmark times, each prepared once (filters designed, buffers allocated)
//! and then run as often as the timer asks. `myobalance bench` and the criterion benches in
//! `benches/dsp.rs` both call [`prepare`], so they time the same code.
//!
//! A run can also return an output checksum, so that a peer computing the same quantities
//! can compare against it. Timed runs skip it where it would cost a pass over a whole
//! output array; they hand the output to [`std::hint::black_box`] instead, so the work is
//! still done.
//!
//! | kernel | work | checksum |
//! |---|---|---|
//! | `bandpass_causal` | EMG band-pass, causal, all channels interleaved, from rest | Σ\|y\| |
//! | `bandpass_zero_phase` | the same band-pass forward–backward (`sosfiltfilt`) | Σ\|y\| |
//! | `rms` | RMS per 0.25 s window every 0.05 s, per channel | Σ rms |
//! | `envelope` | zero-phase linear envelope (6 Hz) of all channels | Σ e |
//! | `welch` | per channel and 4 s tremor window (0.5 s hop): Welch PSD (2 s Hann segments, half overlap, linear detrend), band power 4–12 Hz, power 1–30 Hz, relative power, peak | Σ band power |
//! | `mdf` | per channel and 0.5 s epoch: Hann periodogram (constant detrend), median and mean frequency inside the band-pass band | Σ (mdf + mnf) |
//! | `pipeline` | zero-phase band-pass → envelope of y, then per channel RMS of y, tremor Welch of \|y\|, MDF/MNF of y | sum of the above |

use crate::dsp::envelope::ZeroPhaseEnvelope;
use crate::dsp::filtfilt::ZeroPhase;
use crate::dsp::rms::windowed_rms;
use crate::dsp::sosfilt::SosFilter;
use crate::dsp::spectral::{band_power, mean_frequency, median_frequency, peak_frequency};
use crate::dsp::welch::{Detrend, Welch};
use crate::dsp::windows::WindowSpec;
use crate::dsp::DspError;

use super::design::{
    Design, ENVELOPE_LOWPASS_HZ, RELATIVE_BAND_HZ, TREMOR_BAND_HZ, TREMOR_SEGMENT_S,
};
use super::signal::Signal;

/// One timed kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    BandpassCausal,
    BandpassZeroPhase,
    Rms,
    Envelope,
    Welch,
    Mdf,
    Pipeline,
}

impl Kernel {
    /// Every kernel, in report order.
    pub const ALL: [Kernel; 7] = [
        Kernel::BandpassCausal,
        Kernel::BandpassZeroPhase,
        Kernel::Rms,
        Kernel::Envelope,
        Kernel::Welch,
        Kernel::Mdf,
        Kernel::Pipeline,
    ];

    /// The kernel's name in reports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Kernel::BandpassCausal => "bandpass_causal",
            Kernel::BandpassZeroPhase => "bandpass_zero_phase",
            Kernel::Rms => "rms",
            Kernel::Envelope => "envelope",
            Kernel::Welch => "welch",
            Kernel::Mdf => "mdf",
            Kernel::Pipeline => "pipeline",
        }
    }
}

/// A prepared kernel: its buffers are allocated and its filters designed, so a run only
/// computes.
pub struct Prepared<'a> {
    work: Box<dyn FnMut(bool) -> f64 + 'a>,
}

impl<'a> Prepared<'a> {
    fn new(work: impl FnMut(bool) -> f64 + 'a) -> Prepared<'a> {
        Prepared {
            work: Box::new(work),
        }
    }

    /// Does the kernel's whole work once.
    pub fn run(&mut self) {
        (self.work)(false);
    }

    /// Does the kernel's whole work once and returns its output checksum.
    pub fn run_with_checksum(&mut self) -> f64 {
        (self.work)(true)
    }
}

impl std::fmt::Debug for Prepared<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Prepared")
    }
}

/// The checksum of a whole output array when asked for, else 0 after making sure the
/// optimiser keeps the array.
fn whole(checksum: bool, out: &[f64], sum: impl Fn(&[f64]) -> f64) -> f64 {
    if checksum {
        sum(out)
    } else {
        std::hint::black_box(out);
        0.0
    }
}

/// Prepares `kernel` on `signal`, which must have been generated at `design`'s rate.
pub fn prepare<'a>(
    kernel: Kernel,
    design: &Design,
    signal: &'a Signal,
) -> Result<Prepared<'a>, DspError> {
    let n_ch = signal.channels();
    let fs = design.sample_rate_hz;
    Ok(match kernel {
        Kernel::BandpassCausal => causal_in_blocks(design, signal, signal.samples_per_channel())?,
        Kernel::BandpassZeroPhase => {
            let mut zp = ZeroPhase::new(&design.bandpass, n_ch)?;
            let mut y = vec![0.0; signal.interleaved().len()];
            Prepared::new(move |checksum| {
                zp.apply(signal.interleaved(), &mut y);
                whole(checksum, &y, sum_abs)
            })
        }
        Kernel::Rms => {
            let spec = design.rms;
            let mut out = Vec::new();
            Prepared::new(move |_| {
                (0..n_ch)
                    .map(|c| {
                        windowed_rms(signal.channel(c), &spec, &mut out);
                        out.iter().sum::<f64>()
                    })
                    .sum()
            })
        }
        Kernel::Envelope => {
            let mut env = ZeroPhaseEnvelope::new(ENVELOPE_LOWPASS_HZ, fs, n_ch)?;
            let mut e = vec![0.0; signal.interleaved().len()];
            Prepared::new(move |checksum| {
                env.apply(signal.interleaved(), &mut e);
                whole(checksum, &e, |e| e.iter().sum())
            })
        }
        Kernel::Welch => {
            let mut tremor = Tremor::new(design)?;
            Prepared::new(move |_| (0..n_ch).map(|c| tremor.run(signal.channel(c))).sum())
        }
        Kernel::Mdf => {
            let mut fatigue = Fatigue::new(design)?;
            Prepared::new(move |_| (0..n_ch).map(|c| fatigue.run(signal.channel(c))).sum())
        }
        Kernel::Pipeline => pipeline(design, signal)?,
    })
}

/// The causal band-pass fed `block_frames` frames per call, as a live stream would be,
/// starting from rest on every run.
///
/// # Panics
/// If `block_frames` is 0.
pub fn causal_in_blocks<'a>(
    design: &Design,
    signal: &'a Signal,
    block_frames: usize,
) -> Result<Prepared<'a>, DspError> {
    assert!(block_frames > 0, "blocks need at least one frame");
    let n_ch = signal.channels();
    let mut filter = SosFilter::new(&design.bandpass, n_ch)?;
    let mut y = vec![0.0; signal.interleaved().len()];
    Ok(Prepared::new(move |checksum| {
        filter.reset();
        for (x, y) in signal
            .interleaved()
            .chunks(block_frames * n_ch)
            .zip(y.chunks_mut(block_frames * n_ch))
        {
            filter.process(x, y);
        }
        whole(checksum, &y, sum_abs)
    }))
}

fn sum_abs(x: &[f64]) -> f64 {
    x.iter().map(|v| v.abs()).sum()
}

/// DESIGN.md's tremor feature over every window of one channel.
struct Tremor {
    welch: Welch,
    spec: WindowSpec,
    psd: Vec<f64>,
}

impl Tremor {
    fn new(design: &Design) -> Result<Tremor, DspError> {
        let welch = Welch::from_seconds(TREMOR_SEGMENT_S, design.sample_rate_hz)?;
        Ok(Tremor {
            psd: vec![0.0; welch.bins()],
            welch,
            spec: design.tremor,
        })
    }

    /// Σ band power over the windows of `x`.
    fn run(&mut self, x: &[f64]) -> f64 {
        let df = self.welch.resolution_hz();
        let (lo, hi) = TREMOR_BAND_HZ;
        let mut total = 0.0;
        for k in 0..self.spec.count(x.len()) {
            self.welch.psd(&x[self.spec.range(k)], &mut self.psd);
            let power = band_power(&self.psd, df, lo, hi);
            let reference = band_power(&self.psd, df, RELATIVE_BAND_HZ.0, RELATIVE_BAND_HZ.1);
            let relative = power / reference;
            let peak = peak_frequency(&self.psd, df, lo, hi);
            std::hint::black_box((relative, peak));
            total += power;
        }
        total
    }
}

/// DESIGN.md's fatigue measures over every epoch of one channel.
struct Fatigue {
    periodogram: Welch,
    spec: WindowSpec,
    band_hz: (f64, f64),
    psd: Vec<f64>,
}

impl Fatigue {
    fn new(design: &Design) -> Result<Fatigue, DspError> {
        let periodogram = Welch::periodogram(
            design.epoch.window,
            Detrend::Constant,
            design.sample_rate_hz,
        )?;
        Ok(Fatigue {
            psd: vec![0.0; periodogram.bins()],
            periodogram,
            spec: design.epoch,
            band_hz: design.band_hz,
        })
    }

    /// Σ (mdf + mnf) over the epochs of `x`.
    fn run(&mut self, x: &[f64]) -> f64 {
        let df = self.periodogram.resolution_hz();
        let (lo, hi) = self.band_hz;
        let mut total = 0.0;
        for k in 0..self.spec.count(x.len()) {
            self.periodogram
                .segment_density(&x[self.spec.range(k)], &mut self.psd);
            total +=
                median_frequency(&self.psd, df, lo, hi) + mean_frequency(&self.psd, df, lo, hi);
        }
        total
    }
}

/// The whole-recording engine path: band-pass and envelope over all channels at once, then
/// the per-channel features on the band-passed signal.
fn pipeline<'a>(design: &Design, signal: &'a Signal) -> Result<Prepared<'a>, DspError> {
    let n_ch = signal.channels();
    let n = signal.samples_per_channel();
    let mut bandpass = ZeroPhase::new(&design.bandpass, n_ch)?;
    let mut envelope = ZeroPhaseEnvelope::new(ENVELOPE_LOWPASS_HZ, design.sample_rate_hz, n_ch)?;
    let mut tremor = Tremor::new(design)?;
    let mut fatigue = Fatigue::new(design)?;
    let rms_spec = design.rms;
    let mut y = vec![0.0; n_ch * n];
    let mut e = vec![0.0; n_ch * n];
    let mut channel = vec![0.0; n];
    let mut rectified = vec![0.0; n];
    let mut rms = Vec::new();
    Ok(Prepared::new(move |checksum| {
        bandpass.apply(signal.interleaved(), &mut y);
        envelope.apply(&y, &mut e);
        let mut total = whole(checksum, &e, |e| e.iter().sum());
        for c in 0..n_ch {
            for (i, (v, r)) in channel.iter_mut().zip(rectified.iter_mut()).enumerate() {
                *v = y[i * n_ch + c];
                *r = v.abs();
            }
            windowed_rms(&channel, &rms_spec, &mut rms);
            total += rms.iter().sum::<f64>();
            total += tremor.run(&rectified);
            total += fatigue.run(&channel);
        }
        total
    }))
}
