//! Zero-phase processing of one EMG channel whose samples come in blocks, in memory
//! bounded by the blocks however long the recording: every filter runs forward and
//! backward by overlapping stretches ([`ZeroPhaseStream`]), the windowed features take y
//! as it becomes final, and the onset test signals wait in traces for the baseline of the
//! whole recording ([`OnsetOffline`]). The result equals filtering the whole channel at
//! once to within 1e-12 of the signal's scale (a single block is the whole signal
//! exactly).

use crate::dsp::error::DspError;
use crate::dsp::filtfilt_stream::ZeroPhaseStream;
use crate::dsp::sos::Section;
use crate::dsp::tkeo::TkeoBlocks;
use crate::montage::OnsetMethod;

use super::emg::{envelope_scale, EmgOutput, EmgWindows, NotchHold, TremorPart};
use super::moving_mean::CentredMean;
use super::onset_detectors::Onsets;
use super::onset_offline::OnsetOffline;
use super::plan::Plan;
use super::trace::{ForceTrace, Precision, TraceMaker};

/// One channel through `sections`, in stretches of at least the plan's length.
pub(super) fn stream(plan: &Plan, sections: &[Section]) -> Result<ZeroPhaseStream, DspError> {
    ZeroPhaseStream::economical(sections, 1, plan.stretch_frames)
}

/// `x` through `stream`, when there is one, into `buf` (the frames now final; every one
/// left when `last`); else `x` itself.
fn through<'a>(
    stream: &mut Option<ZeroPhaseStream>,
    x: &'a [f64],
    last: bool,
    buf: &'a mut Vec<f64>,
) -> &'a [f64] {
    let Some(stream) = stream else { return x };
    buf.clear();
    stream.feed(x, last, buf);
    buf
}

/// The chain from |y| (or |ψ|) to an onset test signal: 50 Hz low-pass, 25 ms mean.
struct TestSignal {
    lowpass: Option<ZeroPhaseStream>,
    mean: CentredMean,
    method: OnsetMethod,
    lowpassed: Vec<f64>,
    out: Vec<f64>,
}

impl TestSignal {
    fn new(plan: &Plan, method: OnsetMethod) -> Result<TestSignal, DspError> {
        Ok(TestSignal {
            lowpass: plan
                .onset
                .lowpass
                .as_deref()
                .map(|s| stream(plan, s))
                .transpose()?,
            mean: CentredMean::new(plan.onset.mean_window),
            method,
            lowpassed: Vec::new(),
            out: Vec::new(),
        })
    }

    /// Feeds the next samples (the last ones when `last`) into `onsets`.
    fn push(&mut self, plan: &Plan, x: &[f64], last: bool, onsets: &mut OnsetOffline) {
        self.out.clear();
        let lowpassed = through(&mut self.lowpass, x, last, &mut self.lowpassed);
        self.mean.push(lowpassed, &mut self.out);
        if last {
            self.mean.finish(&mut self.out);
        }
        onsets.push(&plan.onset, self.method, &self.out);
    }
}

/// One EMG channel, zero-phase, block by block.
pub struct EmgZeroPhase {
    channel: usize,
    /// Raw samples held back until the notch decision (see [`NotchHold`]).
    undecided: Option<NotchHold>,
    notch: Option<ZeroPhaseStream>,
    bandpass: ZeroPhaseStream,
    envelope: ZeroPhaseStream,
    tkeo: TkeoBlocks,
    tests: [TestSignal; 2],
    onsets: OnsetOffline,
    pub output: EmgOutput,
    /// Reused blocks: notched x, y, |y|, |ψ|.
    notched: Vec<f64>,
    y: Vec<f64>,
    rectified: Vec<f64>,
    psi: Vec<f64>,
}

impl EmgZeroPhase {
    /// Channel `channel` of `plan`, its onset test signals kept in traces `make_trace`
    /// gives.
    pub fn new(
        plan: &Plan,
        channel: usize,
        make_trace: &mut TraceMaker<'_>,
    ) -> Result<EmgZeroPhase, DspError> {
        let mut trace = || -> Box<dyn ForceTrace> { make_trace(channel, Precision::Single) };
        Ok(EmgZeroPhase {
            channel,
            undecided: Some(NotchHold::default()),
            notch: None,
            bandpass: stream(plan, &plan.bandpass)?,
            envelope: stream(plan, &plan.envelope)?,
            tkeo: TkeoBlocks::default(),
            tests: [
                TestSignal::new(plan, OnsetMethod::HodgesBui)?,
                TestSignal::new(plan, OnsetMethod::Tkeo)?,
            ],
            onsets: OnsetOffline::new(&plan.onset, &mut trace),
            output: EmgOutput {
                windows: EmgWindows::new(plan, channel)?,
                tremor: TremorPart::new(plan)?,
                onsets: Onsets::default(),
                notched: false,
            },
            notched: Vec::new(),
            y: Vec::new(),
            rectified: Vec::new(),
            psi: Vec::new(),
        })
    }

    /// Feeds raw samples; appends the envelope of the samples now final to `envelope`.
    pub fn push(&mut self, plan: &Plan, x: &[f64], envelope: &mut Vec<f64>) {
        self.take(plan, x, false, envelope);
    }

    /// Filters what is left as the end of the channel and finds its onsets.
    pub fn finish(&mut self, plan: &Plan, envelope: &mut Vec<f64>) {
        self.take(plan, &[], true, envelope);
        self.output.onsets = self.onsets.finish(&plan.onset);
        // The channel is over: give the room of its blocks back before the results of
        // the whole recording are assembled.
        for buffer in [
            &mut self.notched,
            &mut self.y,
            &mut self.rectified,
            &mut self.psi,
        ] {
            *buffer = Vec::new();
        }
        for test in &mut self.tests {
            test.lowpassed = Vec::new();
            test.out = Vec::new();
        }
    }

    /// Feeds raw samples (the last ones when `last`) through the notch decision.
    fn take(&mut self, plan: &Plan, x: &[f64], last: bool, envelope: &mut Vec<f64>) {
        let Some(hold) = &mut self.undecided else {
            self.filter(plan, x, last, envelope);
            return;
        };
        let Some((held, wanted)) = hold.hold(plan, x, last) else {
            return;
        };
        self.undecided = None;
        if wanted {
            // The notch's section was validated when the plan was made.
            self.notch = plan.notch.and_then(|section| stream(plan, &[section]).ok());
            self.output.notched = self.notch.is_some();
        }
        self.filter(plan, &held, last, envelope);
    }

    fn filter(&mut self, plan: &Plan, x: &[f64], last: bool, envelope: &mut Vec<f64>) {
        let notched = through(&mut self.notch, x, last, &mut self.notched);
        self.y.clear();
        self.bandpass.feed(notched, last, &mut self.y);
        self.features(plan, last, envelope);
    }

    /// Everything computed from the final samples of y now in `self.y`.
    fn features(&mut self, plan: &Plan, last: bool, envelope: &mut Vec<f64>) {
        let y = &self.y;
        self.output.windows.push(y);
        self.psi.clear();
        self.tkeo.push(y, &mut self.psi);
        if last {
            self.tkeo.finish(&mut self.psi);
        }
        for v in &mut self.psi {
            *v = v.abs();
        }
        self.rectified.clear();
        self.rectified.extend(y.iter().map(|v| v.abs()));
        let r = &self.rectified;
        self.output.tremor.push(r);
        self.onsets.push(&plan.onset, OnsetMethod::Bonato, r);

        let start = envelope.len();
        self.envelope.feed(r, last, envelope);
        let scale = envelope_scale(plan, self.channel);
        for v in &mut envelope[start..] {
            *v = v.max(0.0) * scale;
        }
        let [abs, psi] = &mut self.tests;
        abs.push(plan, r, last, &mut self.onsets);
        psi.push(plan, &self.psi, last, &mut self.onsets);
    }
}
