//! Force or accelerometer channels side by side. Every force channel runs the same 150 Hz
//! low-pass, so a group of force channels goes through one multi-channel filter whose
//! channels fill the SIMD lanes, as EMG channels do
//! ([`EmgGroup`](super::emg_group::EmgGroup)); each channel's low-passed signal is the
//! same bit for bit as filtering it alone. The channels' own work (tremor, force levels,
//! the trace) runs in parallel.
//!
//! ```text
//! per channel: column ─► tremor
//! force channels: columns ─► interleave ─► low-pass ─► per channel: levels, trace
//! ```

use crate::dsp::error::DspError;

use super::each::each;
use super::frames::{self, interleave};
use super::mechanical::MechanicalStream;
use super::plan::Plan;
use super::run_filter::RunFilter;
use super::trace::ForceTrace;

/// One channel of a group.
pub struct Member {
    /// Montage index.
    pub channel: usize,
    pub stream: MechanicalStream,
    /// The block's raw samples, then (force) its low-passed ones (reused).
    column: Vec<f64>,
    lowpassed: Vec<f64>,
}

/// Up to [`LANES`](super::emg_group::LANES) force channels and their shared low-pass, or
/// accelerometer channels (no low-pass).
pub struct MechanicalGroup {
    pub members: Vec<Member>,
    /// The force low-pass over every member (`None` for accelerometers, or where the
    /// rate leaves no room for it).
    lowpass: Option<RunFilter>,
    /// The members' columns, interleaved (reused).
    x: Vec<f64>,
}

impl MechanicalGroup {
    /// The channels `channels` of `plan`, each with its trace when it measures force (all
    /// of a group's channels do, or none).
    pub fn new(
        plan: &Plan,
        channels: &[usize],
        mut trace: impl FnMut(usize) -> Option<Box<dyn ForceTrace>>,
    ) -> Result<MechanicalGroup, DspError> {
        let members: Vec<Member> = channels
            .iter()
            .map(|&channel| {
                Ok(Member {
                    channel,
                    stream: MechanicalStream::new(plan, trace(channel))?,
                    column: Vec::new(),
                    lowpassed: Vec::new(),
                })
            })
            .collect::<Result<_, DspError>>()?;
        let force = members.iter().all(|m| m.stream.is_force());
        let lowpass = match (&plan.force_lowpass, force && !members.is_empty()) {
            (Some(sections), true) => Some(RunFilter::new(plan, sections, members.len())?),
            _ => None,
        };
        Ok(MechanicalGroup {
            members,
            lowpass,
            x: Vec::new(),
        })
    }

    /// Feeds each channel its column of the interleaved `frames` (`width` channels), or,
    /// with `None`, ends the signal. The channels' own work runs on the pool when `wide`.
    pub fn run(&mut self, frames: Option<&[f32]>, width: usize, wide: bool) {
        let last = frames.is_none();
        each(&mut self.members, wide, |_, m| {
            m.column.clear();
            if let Some(frames) = frames {
                m.column.extend(frames::column(frames, m.channel, width));
                m.stream.tremor.push(&m.column);
            }
        });
        let Some(lowpass) = &mut self.lowpass else {
            // No low-pass: a force channel's levels and trace take the samples as they are.
            each(&mut self.members, wide, |_, m| {
                m.stream.push_force(&m.column)
            });
            return;
        };
        let lanes = self.members.len();
        interleave(
            &mut self.x,
            self.members.iter().map(|m| m.column.as_slice()),
        );
        // Causal: settled on the first samples, so the resting force (limb weight, sensor
        // offset) is the baseline from the first sample on.
        lowpass.settle_on_first_frame(&self.x);
        let out = lowpass.feed_final(&self.x, last);
        each(&mut self.members, wide, |lane, m| {
            m.lowpassed.clear();
            m.lowpassed.extend(frames::column(out, lane, lanes));
            m.stream.push_force(&m.lowpassed);
        });
        if last {
            lowpass.release();
            self.x = Vec::new();
            for m in &mut self.members {
                m.column = Vec::new();
                m.lowpassed = Vec::new();
            }
        }
    }
}
