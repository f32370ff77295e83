//! Sinks beyond the file (DESIGN.md, module table): the web view server. A publisher
//! shows or sends what the recorder computed; it never computes a feature itself.

pub mod web;
