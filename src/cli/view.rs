//! `myobalance view FILE.h5 [--web [ADDR]] [--speed X]`: a stored file's raw samples and
//! feature rows played back through the live views (`crate::publish::replay`) at X times
//! real time — in the browser with `--web` (the page `record --web` serves, without its
//! marker button), else full screen in the terminal (`q` stops). Ctrl-C stops either.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;

use super::record::{live::LiveView, open_web, signals, stop_web, web_addr};
use super::{Outcome, UsageError};
use crate::live_view::stdout_is_terminal;
use crate::publish::replay::Replay;
use crate::publish::web::DEFAULT_ADDR;
use crate::recorder::{Control, Sinks};
use crate::store::read_file;

/// How often the playback hands on what is due: 50 times a second.
const TICK: Duration = Duration::from_millis(20);

/// Options of `myobalance view`.
#[derive(Debug, Args)]
pub struct ViewArgs {
    /// A myobalance file with features (recorded, or written by `process`).
    #[arg(value_name = "FILE.h5")]
    pub file: PathBuf,
    /// Show it in a browser: serve the live view on ADDR (default 127.0.0.1:8750; port 0
    /// picks a free one) and print its link.
    #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = DEFAULT_ADDR)]
    pub web: Option<String>,
    /// Times real time (0.1 to 1000).
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    pub speed: f64,
}

/// Plays a file back.
pub fn run(args: ViewArgs) -> anyhow::Result<Outcome> {
    if !(args.speed.is_finite() && (0.1..=1000.0).contains(&args.speed)) {
        return Err(UsageError(format!("--speed {}: give 0.1 to 1000", args.speed)).into());
    }
    let addr = args.web.as_deref().map(web_addr).transpose()?;
    if addr.is_none() && !stdout_is_terminal() {
        return Err(UsageError(
            "view: standard output is not a terminal; give --web to watch in a browser".into(),
        )
        .into());
    }
    let shown = args.file.display().to_string();
    let stored = read_file(&args.file).with_context(|| format!("reading {shown}"))?;
    let mut replay = Replay::new(&shown, stored.recording, stored.results)?;
    let control = Arc::new(Control::default());
    signals::stop_on_signals(&control).context("installing the Ctrl-C handler")?;
    let mut sinks = Sinks::default();
    let web = match addr {
        Some(addr) => {
            let (view, sink) = open_web(addr, None)?;
            sinks.queued("web view", Box::new(sink))?;
            Some(view)
        }
        None => {
            let view = LiveView::enter(Arc::clone(&control))
                .context("drawing the live view on this terminal")?;
            sinks.queued("live view", Box::new(view))?;
            None
        }
    };
    eprintln!(
        "replaying {shown} ({:.1} s) at {}× real time; Ctrl-C stops",
        replay.duration_s(),
        args.speed
    );
    let start = Instant::now();
    loop {
        let time_s = start.elapsed().as_secs_f64() * args.speed;
        replay.advance_to(time_s, &mut |u| sinks.send(u))?;
        if replay.done() || control.stop_requested() {
            break;
        }
        std::thread::sleep(TICK);
    }
    sinks.finish();
    if let Some(view) = web {
        stop_web(view);
    }
    eprintln!("replayed {shown}");
    Ok(Outcome::Success)
}
