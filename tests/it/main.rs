//! Integration tests: one binary, a module per topic.

mod fixtures;

mod dsp_design;
mod dsp_envelope;
mod dsp_filter;
mod dsp_rms;
mod dsp_spectral;
mod dsp_tkeo;
mod store;
mod store_crash;
mod montage;
mod sim;
mod csv;
mod features_force;
mod features_tremor;
