//! myobalance: a pipeline for surface EMG and force data, for labs that treat muscle
//! imbalance (agonist/antagonist co-contraction, left/right asymmetry, tremor, fatigue).
//!
//! ```text
//! serial port ──► decoder ──► SPSC ring ──► engine ──► HDF5 writer
//! stored file (HDF5|CSV) ──► reader ──► engine (same code, zero-phase or causal) ──► HDF5
//! ```
//!
//! [`dsp`] holds the pure numeric kernels every later stage is built from. For example, the
//! EMG band-pass of the design, run causally over two interleaved channels:
//!
//! ```
//! use myobalance::dsp::butterworth::{butter, Band};
//! use myobalance::dsp::sosfilt::SosFilter;
//!
//! let fs = 2000.0;
//! let sos = butter(2, Band::BandPass { low_hz: 20.0, high_hz: 450.0 }, fs)?;
//! let mut filter = SosFilter::new(&sos, 2)?;
//! let block = vec![0.5; 2 * 100]; // 100 frames of two channels
//! let mut out = vec![0.0; block.len()];
//! filter.process(&block, &mut out); // state carries into the next block
//! # Ok::<(), myobalance::dsp::DspError>(())
//! ```

pub mod bench;
pub mod calendar;
pub mod cli;
pub mod cluster;
pub mod dsp;
pub mod engine;
pub mod features;
pub mod formats;
pub mod huge_pages;
pub mod import;
pub mod ingest;
pub mod live_view;
pub mod montage;
pub mod publish;
pub mod recorder;
pub mod recording;
pub mod report;
pub mod results;
pub mod ring;
pub mod sessions;
pub mod sim;
pub mod store;
pub mod units;
