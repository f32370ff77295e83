//! The physiological simulator: EMG and force with known ground truth (DESIGN.md,
//! "Simulator"). It owns the scenario model and its truth; it does no I/O and computes no
//! features.
//!
//! The default scenario is elbow-flexion sets: `biceps_l`, `triceps_l`, `biceps_r`,
//! `triceps_r` (EMG, µV), `force_l`, `force_r` (N) at 2 kHz. EMG is band-limited noise
//! whose spectrum compresses through each set (MDF falls) and recovers in the rest,
//! modulated by a smooth activation profile per repetition, with baseline noise and mains
//! hum; each antagonist works at a fixed fraction of its agonist (co-contraction); the left
//! side is weaker by a fixed ratio; force follows the agonist's activation through a
//! low-pass muscle model and carries a tremor at 8–10 Hz that grows late in each set.
//!
//! The knee scenario ([`Scenario::Knee`]) keeps that model and timeline with `vl_l`,
//! `bf_l`, `vl_r`, `bf_r` (quadriceps and hamstrings EMG) and `torque_l`, `torque_r`
//! (signed knee torque, N·m, extension positive); the repetitions of a set alternate
//! between extension holds (quadriceps works, hamstrings co-contract, torque
//! +`torque_peak_nm`) and flexion holds (the other way round, torque −`strength_ratio`
//! times that), so the hamstrings:quadriceps strength ratio is known.
//!
//! [`Simulator`] streams frames (for a live device at real-time pace, or any block size),
//! [`simulate`] makes a whole [`Recording`] with its [`Truth`]. Settings, timeline and truth
//! entries are documented on [`SimSettings`] and in the `/truth` descriptions.
//!
//! ```
//! use myobalance::sim::{simulate, Scenario, SimSettings};
//! let rec = simulate(&SimSettings::new(30.0, 2000.0, 7))?;
//! assert_eq!(rec.samples.dim(), (60_000, 6));
//! let truth = rec.truth.as_ref().unwrap();
//! assert_eq!(truth.get("tremor_hz").unwrap().values[4], 8.5); // force_l
//!
//! let knee = SimSettings { scenario: Scenario::Knee, ..SimSettings::new(30.0, 2000.0, 7) };
//! let rec = simulate(&knee)?;
//! assert_eq!(rec.montage.channels[4].name, "torque_l");
//! let ratio = rec.truth.as_ref().unwrap().get("strength_ratio").unwrap();
//! assert_eq!((ratio.labels[1].as_str(), ratio.values[1]), ("knee_r", 0.6));
//! # Ok::<(), myobalance::sim::SimError>(())
//! ```

use ndarray::Array2;

use crate::recording::{Recording, Truth};

mod channels;
mod counts;
mod error;
mod generator;
pub(crate) mod noise;
mod scenario;
mod schedule;
mod settings;
mod shaping;
mod spectrum;
mod truth;

pub use counts::{from_counts, to_counts};
pub use error::SimError;
pub use generator::Simulator;
pub use scenario::{Scenario, EMG_UV_PER_COUNT, FORCE_N_PER_COUNT, TORQUE_NM_PER_COUNT};
pub use settings::{SimSettings, MIN_SAMPLE_RATE_HZ};

/// A whole simulated recording of `settings.seconds`: samples in physical units, the
/// scenario's montage (rate set), source `"simulator (seed N)"`, and its ground truth.
pub fn simulate(settings: &SimSettings) -> Result<Recording, SimError> {
    let mut sim = Simulator::new(settings)?;
    let n = settings.n_samples();
    let n_ch = sim.channels();
    let mut samples = vec![0.0f32; n * n_ch];
    sim.fill(&mut samples);
    let samples = Array2::from_shape_vec((n, n_ch), samples)
        .expect("n·channels values always make n frames of channels");
    let truth: Truth = sim.truth(n as u64);
    Ok(Recording {
        montage: sim.montage().clone(),
        samples,
        source: format!("simulator (seed {})", settings.seed),
        acquisition: None,
        truth: Some(truth),
        metadata: Default::default(),
    })
}
