//! Pure numeric kernels: Butterworth design, causal and zero-phase filtering, RMS, linear
//! envelope, Welch PSD and the quantities read off it, TKEO, and the window rule.
//!
//! Nothing here knows about channels' names, files or threads. Every kernel takes its
//! sample rate explicitly, validates its settings once at construction ([`DspError`] names
//! the bad value), and then processes caller-owned slices without allocating or failing.

pub mod butterworth;
pub mod envelope;
pub mod error;
pub mod fft_plan;
pub mod filtfilt;
pub mod filtfilt_stream;
pub mod held;
pub(crate) mod isa;
mod lanes;
pub mod notch;
pub mod real_fft;
pub mod rms;
pub mod running_dft;
pub mod sos;
mod sos_lanes;
pub mod sosfilt;
pub mod spectral;
pub mod tkeo;
pub mod welch;
pub mod windows;
mod zpk;

pub use error::DspError;
