//! The streaming generator: successive interleaved frames of the scenario, in physical
//! units or as device counts.
//!
//! Sample n of every channel depends only on n (through the schedule, the counter-based
//! noise and phases computed from n) and on filter state carried from sample n − 1, so any
//! sequence of block sizes gives the same samples, bit for bit, as one block.
//!
//! Per channel and sample n (t = n/fs, a = activation, c = compression, g = tremor growth,
//! z₀, z₁ independent standard normals):
//!
//! ```text
//! EMG   = A_e·a·(1 ± m·g·sin 2πf_side t)·shape_c(z₀) + σ_b·z₁ + H·sin(2π(f_mains t + φ))
//! force = F·LP(k_e·a) + T·g·a·sin 2πf_side t + σ_f·z₀
//! ```
//!
//! with e whose repetition it is (the agonist's, or in the knee scenario the antagonist's
//! on odd repetitions), A_e the burst RMS of the channel on it (side ratio applied, and the
//! co-contraction ratio for the muscle that does not work), shape_c the unit-variance
//! compressible shaping filter, ± positive for the agonist and negative for the antagonist
//! (they alternate), LP the critically damped 2nd-order muscle low-pass, F the plateau
//! force (elbow) or extension torque (knee) of the side, and k_e = 1 on the agonist's
//! repetitions and −`strength_ratio` on the antagonist's (flexion torque is negative).

use std::f64::consts::PI;

use crate::montage::Montage;
use crate::recording::Truth;

use super::channels::{self, Role, Spec};
use super::counts::to_counts;
use super::error::SimError;
use super::noise::{normal_pair, stream_key, uniform};
use super::schedule::{Effort, Moment, Schedule};
use super::settings::SimSettings;
use super::shaping::{Band, Shaper};
use super::truth::TruthModel;

/// Stream numbers above this one give the fixed mains phases (below: per-channel noise).
const PHASE_STREAMS: u64 = 1 << 32;

/// The physiological simulator as a stream of frames.
///
/// ```
/// use myobalance::sim::{SimSettings, Simulator};
/// let mut sim = Simulator::new(&SimSettings::default())?;
/// let mut whole = vec![0.0f32; 6 * 300];
/// sim.fill(&mut whole);
/// // The same 300 frames in blocks of 7 and the rest.
/// sim.reset();
/// let mut blocks = vec![0.0f32; 6 * 300];
/// let (head, tail) = blocks.split_at_mut(6 * 7);
/// sim.fill(head);
/// sim.fill(tail);
/// assert_eq!(whole, blocks);
/// assert_eq!(sim.position(), 300);
/// # Ok::<(), myobalance::sim::SimError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Simulator {
    settings: SimSettings,
    montage: Montage,
    schedule: Schedule,
    sources: Vec<Source>,
    truth: TruthModel,
    position: u64,
    /// One frame, for [`Simulator::fill_counts`].
    frame: Vec<f32>,
}

#[derive(Debug, Clone)]
struct Source {
    role: Role,
    /// Burst RMS (EMG, µV) on the agonist's and on the antagonist's repetitions, or the
    /// force (N) or torque (N·m) plateau of the agonist's direction, twice.
    plateau: [f64; 2],
    /// Tremor frequency over the sample rate (cycles per sample).
    tremor_step: f64,
    key: u64,
    model: Model,
}

#[derive(Debug, Clone)]
enum Model {
    Emg {
        shaper: Shaper,
        /// Mains phase at sample 0, in cycles.
        mains_phase: f64,
    },
    Force {
        /// Pole coefficient of each of the two equal one-pole stages.
        alpha: f64,
        stages: [f64; 2],
    },
}

/// `sin(2π·frac(n·step + phase))`: the phase is reduced to one cycle from the absolute
/// sample index, so it stays exact however long the stream runs.
fn oscillation(n: u64, step: f64, phase: f64) -> f64 {
    (2.0 * PI * (n as f64 * step + phase).fract()).sin()
}

impl Simulator {
    /// Validates `settings` and builds the generator at sample 0.
    pub fn new(settings: &SimSettings) -> Result<Simulator, SimError> {
        settings.validate()?;
        let montage = channels::montage(settings)?;
        let schedule = Schedule::new(settings);
        let fs = settings.sample_rate_hz;
        let c_min = schedule.compression_end;
        let specs = settings.scenario.layout().specs;
        let sources = specs
            .iter()
            .enumerate()
            .map(|(i, spec)| source(settings, spec, i as u64, fs, c_min))
            .collect();
        let truth = TruthModel::new(settings)?;
        Ok(Simulator {
            settings: settings.clone(),
            montage,
            schedule,
            sources,
            truth,
            position: 0,
            frame: vec![0.0; specs.len()],
        })
    }

    /// The scenario's montage (rate set, device scaling, MVC per EMG channel).
    pub fn montage(&self) -> &Montage {
        &self.montage
    }

    /// The settings this simulator runs.
    pub fn settings(&self) -> &SimSettings {
        &self.settings
    }

    /// Channels per frame.
    pub fn channels(&self) -> usize {
        self.sources.len()
    }

    /// Sample rate in Hz.
    pub fn sample_rate_hz(&self) -> f64 {
        self.settings.sample_rate_hz
    }

    /// Frames generated since construction or the last [`Simulator::reset`].
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Back to sample 0 with every filter at rest, as a new simulator.
    pub fn reset(&mut self) {
        self.position = 0;
        for s in &mut self.sources {
            match &mut s.model {
                Model::Emg { shaper, .. } => shaper.reset(),
                Model::Force { stages, .. } => *stages = [0.0; 2],
            }
        }
    }

    /// The ground truth of the first `n_samples` frames (the sets and repetitions that
    /// start within them, and the scenario's constants).
    pub fn truth(&self, n_samples: u64) -> Truth {
        self.truth
            .truth(n_samples as f64 / self.settings.sample_rate_hz)
    }

    /// Writes the next `frames.len() / channels()` frames, interleaved, in physical units.
    /// Never allocates.
    ///
    /// # Panics
    /// If `frames.len()` is not a whole number of frames.
    pub fn fill(&mut self, frames: &mut [f32]) {
        let n_ch = self.channels();
        assert_eq!(frames.len() % n_ch, 0, "not a whole number of frames");
        for frame in frames.chunks_exact_mut(n_ch) {
            self.next_frame(frame);
        }
    }

    /// Writes the next `counts.len() / channels()` frames as device counts (each channel's
    /// `scale` and `offset`, see [`to_counts`]). Never allocates.
    ///
    /// # Panics
    /// If `counts.len()` is not a whole number of frames.
    pub fn fill_counts(&mut self, counts: &mut [i32]) {
        let n_ch = self.channels();
        assert_eq!(counts.len() % n_ch, 0, "not a whole number of frames");
        let mut frame = std::mem::take(&mut self.frame);
        for out in counts.chunks_exact_mut(n_ch) {
            self.next_frame(&mut frame);
            for ((o, &v), ch) in out.iter_mut().zip(&frame).zip(&self.montage.channels) {
                *o = to_counts(v, ch);
            }
        }
        self.frame = frame;
    }

    fn next_frame(&mut self, frame: &mut [f32]) {
        let n = self.position;
        let s = &self.settings;
        let moment = self.schedule.at(n as f64 / s.sample_rate_hz);
        let mains_step = f64::from(s.mains_hz) / s.sample_rate_hz;
        for (out, source) in frame.iter_mut().zip(&mut self.sources) {
            *out = source.sample(n, &moment, s, mains_step) as f32;
        }
        self.position += 1;
    }
}

fn source(s: &SimSettings, spec: &Spec, stream: u64, fs: f64, c_min: f64) -> Source {
    let model = if spec.is_emg() {
        let [low_hz, high_hz] = spec.emg_band_hz(s);
        Model::Emg {
            shaper: Shaper::new(
                Band {
                    low_hz,
                    high_hz,
                    fs,
                },
                c_min,
            ),
            mains_phase: uniform(stream_key(s.seed, PHASE_STREAMS + stream)),
        }
    } else {
        Model::Force {
            alpha: 1.0 - (-2.0 * PI * s.force_lowpass_hz / fs).exp(),
            stages: [0.0; 2],
        }
    };
    let plateau = if spec.is_emg() {
        [
            spec.burst_uv(s, Effort::Agonist),
            spec.burst_uv(s, Effort::Antagonist),
        ]
    } else {
        [spec.plateau(s); 2]
    };
    Source {
        role: spec.role,
        plateau,
        tremor_step: spec.tremor_hz(s) / fs,
        key: stream_key(s.seed, stream),
        model,
    }
}

impl Source {
    fn sample(&mut self, n: u64, m: &Moment, s: &SimSettings, mains_step: f64) -> f64 {
        let (z0, z1) = normal_pair(self.key, n);
        let e = m.effort.index();
        match &mut self.model {
            Model::Emg {
                shaper,
                mains_phase,
            } => {
                // The filter runs at rest too, so its state is continuous into each burst.
                let shaped = shaper.step(m.compression, z0);
                let sign = if self.role == Role::Antagonist {
                    -1.0
                } else {
                    1.0
                };
                let tremor = if m.tremor > 0.0 {
                    sign * s.emg_tremor_depth * m.tremor * oscillation(n, self.tremor_step, 0.0)
                } else {
                    0.0
                };
                self.plateau[e] * m.activation * (1.0 + tremor) * shaped
                    + s.baseline_noise_rms_uv * z1
                    + s.mains_amplitude_uv * oscillation(n, mains_step, *mains_phase)
            }
            Model::Force { alpha, stages } => {
                // Signed and scaled before the low-pass, so the sign changes smoothly from
                // one repetition to the next; 1·a on the agonist's is exactly a.
                let drive = Spec::force_gain(s, m.effort) * m.activation;
                stages[0] += *alpha * (drive - stages[0]);
                stages[1] += *alpha * (stages[0] - stages[1]);
                let tremor = if m.tremor > 0.0 && m.activation > 0.0 {
                    s.tremor_amplitude_n
                        * m.tremor
                        * m.activation
                        * oscillation(n, self.tremor_step, 0.0)
                } else {
                    0.0
                };
                self.plateau[e] * stages[1] + tremor + s.force_noise_rms_n * z0
            }
        }
    }
}
