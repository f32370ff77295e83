//! The terminal live view of `myobalance record --live`: a full-screen picture of the
//! latest feature rows — activation bars, co-contraction gauges, tremor band power with an
//! alarm banner, left/right balance — and of the serial link (elapsed time, frames/s, lost
//! and corrupt frames, ring fill, markers).
//!
//! It draws only. The recorder computes every number, packs them in a [`Snapshot`] about
//! ten times a second and hands it to [`Screen::draw`]; [`draw`] is the pure part, which
//! renders into any ratatui frame, so tests use ratatui's `TestBackend`. [`Screen`] owns the
//! real terminal (raw mode, alternate screen) and reads the keys `q` (stop) and `m` (marker).
//!
//! Bars fill with `█` and leave `░` for the rest: a bar w cells wide at a share r has
//! `round(r·w)` filled cells. Unknown numbers (NaN) show as "–".
//!
//! ```
//! use myobalance::live_view::{draw, Snapshot, Tremor};
//! use ratatui::{backend::TestBackend, Terminal};
//!
//! let snap = Snapshot {
//!     tremor: vec![Tremor {
//!         name: "biceps_r".into(),
//!         band_power: 40.0,
//!         relative_power: 0.6,
//!         peak_hz: 9.2,
//!         alarm: true,
//!     }],
//!     ..Snapshot::default()
//! };
//! let mut terminal = Terminal::new(TestBackend::new(80, 24))?;
//! terminal.draw(|frame| draw(frame, &snap))?;
//! let text: String = terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect();
//! assert!(text.contains("pause the set: tremor in biceps_r (9.2 Hz)"));
//! # Ok::<(), std::io::Error>(())
//! ```

mod bar;
mod draw;
mod format;
mod header;
mod latest;
mod screen;
mod sections;
mod snapshot;

pub use draw::draw;
pub use format::clock;
pub use latest::{snapshot, Latest};
pub use screen::{stdout_is_terminal, Key, Screen};
pub use snapshot::{Activation, Balance, CoContraction, Snapshot, Tremor};
