//! Sinks beyond the file (DESIGN.md, module table): the web view server ([`web`]), and the
//! playback of a stored file through the live views ([`replay`]). A publisher shows or
//! sends what the recorder computed; it never computes a feature itself.

pub mod replay;
pub mod web;
