//! `myobalance record (--port PATH --montage M.toml | --simulate) [--protocol
//! frame|cyton|text|bitalino] [--baud N] --out FILE.h5 [--duration SECONDS] [--live]
//! [--web [ADDR]]`: a live recording.
//!
//! This module turns the flags into a source (a serial device, or the simulated device) and
//! the terminal's sink (the status line, or the full-screen live view), runs the recorder
//! (`crate::recorder`) and turns its report into lines on stderr and an exit code.
//!
//! `--simulate` runs the simulator's device (`crate::sim::Simulator` behind a
//! pseudo-terminal) with `--rate`, `--seed`, and the scenario flags of `simulate`
//! (`--scenario elbow|knee`, `--side-ratio`, `--strength-ratio`), so a lab can rehearse a
//! session of either exercise live.
//!
//! `--web [ADDR]` also serves the live view to browsers (`crate::publish::web`) and prints
//! its link; its marker button marks as SIGUSR1 and the live view's `m` key do.
//!
//! Stops: `--duration` reached, Ctrl-C / SIGTERM / SIGHUP, `q` in the live view (exit 0);
//! the device unplugged or the port failing (exit 1, file complete for what arrived).

pub(crate) mod live;
pub(crate) mod signals;
mod terminal;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Args, ValueEnum};

use super::simulate::{apply_scenario, ScenarioArg};
use super::{Outcome, UsageError};
use crate::ingest::ports::{latency_hint, latency_timer_ms, PortInfo};
use crate::ingest::protocol::Protocol;
use crate::live_view::stdout_is_terminal;
use crate::montage::Montage;
use crate::publish::web::{WebSink, WebView};
use crate::recorder::lsl_outlet::LslOutlet;
use crate::recorder::lsl_source::LslSource;
use crate::recorder::source::{SerialSource, SimulatedSource};
use crate::recorder::{self, Control, Report, Sinks, Source};
use crate::sim::SimSettings;

/// The serial protocols, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProtocolArg {
    /// myobalance frames: sync, sequence number, i32 counts, CRC-16.
    Frame,
    /// OpenBCI Cyton packets (8 channels, 250 Hz).
    Cyton,
    /// ASCII lines of numbers, one sample instant per line.
    Text,
    /// BITalino (r)evolution (1–6 analog inputs at 1, 10, 100 or 1000 Hz).
    Bitalino,
}

impl From<ProtocolArg> for Protocol {
    fn from(p: ProtocolArg) -> Protocol {
        match p {
            ProtocolArg::Frame => Protocol::Frame,
            ProtocolArg::Cyton => Protocol::Cyton,
            ProtocolArg::Text => Protocol::Text,
            ProtocolArg::Bitalino => Protocol::Bitalino,
        }
    }
}

/// Options of `myobalance record`.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Serial port of the device, e.g. /dev/ttyUSB0 (needs --montage).
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with_all = ["simulate", "lsl"],
        requires = "montage"
    )]
    pub port: Option<String>,
    /// Record a Lab Streaming Layer stream: an LSL query such as "type='EMG'" or
    /// "name='OpenBCI_EMG'" (the montage is guessed from the stream's channel labels and
    /// units unless --montage is given).
    #[arg(long, value_name = "QUERY", conflicts_with = "simulate")]
    pub lsl: Option<String>,
    /// Publish live features and alarms on Lab Streaming Layer: stream NAME (type
    /// EMGFeatures) and NAME-events (type Markers); NAME defaults to myobalance.
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "myobalance")]
    pub lsl_out: Option<String>,
    /// Seconds to wait for the --lsl stream to answer.
    #[arg(long, value_name = "S", default_value_t = 5.0, requires = "lsl")]
    pub lsl_timeout: f64,
    /// Montage TOML describing the device's channels (with --port; with --lsl, matched to
    /// the stream's channels by label).
    #[arg(long, value_name = "M.toml", conflicts_with = "simulate")]
    pub montage: Option<PathBuf>,
    /// Record from the built-in simulated device (frame protocol over a pseudo-terminal).
    #[arg(long)]
    pub simulate: bool,
    /// The device's protocol.
    #[arg(long, value_enum, default_value_t = ProtocolArg::Frame)]
    pub protocol: ProtocolArg,
    /// Baud rate (default: 921600 for frame, 115200 for cyton and text).
    #[arg(long, value_name = "N")]
    pub baud: Option<u32>,
    /// Output file (.h5); an existing file is never overwritten.
    #[arg(long, value_name = "FILE.h5")]
    pub out: PathBuf,
    /// Stop after this many seconds of samples (default: until Ctrl-C).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub duration: Option<f64>,
    /// The subject (patient code), stored as the file's `subject`.
    #[arg(long, value_name = "S")]
    pub subject: Option<String>,
    /// The session's label ("week 3"), stored as the file's `session`.
    #[arg(long, value_name = "L")]
    pub session: Option<String>,
    /// Full-screen live view (needs a terminal).
    #[arg(long)]
    pub live: bool,
    /// Live view in a browser: serve it on ADDR (default 127.0.0.1:8750; port 0 picks a
    /// free one) and print its link. An address other than loopback needs the token the
    /// link carries.
    #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = crate::publish::web::DEFAULT_ADDR)]
    pub web: Option<String>,
    /// Sample rate of the simulated device in Hz (with --simulate).
    #[arg(
        long,
        value_name = "HZ",
        default_value_t = 2000.0,
        requires = "simulate"
    )]
    pub rate: f64,
    /// Seed of the simulated device (with --simulate).
    #[arg(long, default_value_t = 1, requires = "simulate")]
    pub seed: u64,
    /// The simulated exercise (with --simulate): elbow flexion sets, or knee extension and
    /// flexion holds with a signed torque per knee.
    #[arg(long, value_enum, default_value_t = ScenarioArg::Elbow, requires = "simulate")]
    pub scenario: ScenarioArg,
    /// Left over right activation, force and torque of the simulated device (with
    /// --simulate; default 0.8).
    #[arg(
        long,
        value_name = "R",
        allow_negative_numbers = true,
        requires = "simulate"
    )]
    pub side_ratio: Option<f64>,
    /// Hamstrings over quadriceps strength of the simulated device, in (0, 2] (with
    /// --simulate --scenario knee; default 0.6).
    #[arg(
        long,
        value_name = "R",
        allow_negative_numbers = true,
        requires = "simulate"
    )]
    pub strength_ratio: Option<f64>,
}

/// Where the frames come from.
#[derive(Debug, Clone)]
pub enum SourceChoice {
    /// The simulated device runs these settings (its `seconds` is the recording's
    /// duration, or an hour).
    Simulate {
        settings: Box<SimSettings>,
    },
    Port {
        path: String,
        montage: Box<Montage>,
    },
    Lsl {
        query: String,
        timeout_s: f64,
        montage: Option<Box<Montage>>,
    },
}

/// `record`'s flags, checked.
#[derive(Debug, Clone)]
pub struct RecordSettings {
    pub source: SourceChoice,
    pub protocol: Protocol,
    pub baud: u32,
    pub out: PathBuf,
    pub duration_s: Option<f64>,
    pub live: bool,
    /// `--lsl-out`: the name of the features stream.
    pub lsl_out: Option<String>,
    /// `--web`: where the browser view listens.
    pub web: Option<SocketAddr>,
    pub subject: Option<String>,
    pub session: Option<String>,
}

impl RecordArgs {
    /// Validates the flags and loads the montage (exit code 2 for every problem here).
    pub fn settings(self) -> anyhow::Result<RecordSettings> {
        let usage = |m: String| -> anyhow::Error { UsageError(m).into() };
        match self
            .out
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("h5" | "hdf5") => {}
            _ => {
                return Err(usage(format!(
                    "--out {}: a recording is an HDF5 file; the name must end in .h5",
                    self.out.display()
                )))
            }
        }
        if self.out.exists() {
            return Err(usage(format!(
                "--out {}: the file exists; a recording never replaces one (choose another \
                 name or remove it)",
                self.out.display()
            )));
        }
        if let Some(parent) = self.out.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !parent.is_dir() {
                return Err(usage(format!(
                    "--out {}: the directory {} does not exist",
                    self.out.display(),
                    parent.display()
                )));
            }
        }
        if let Some(d) = self.duration {
            if !(d.is_finite() && d > 0.0) {
                return Err(usage(format!(
                    "--duration {d}: give a positive number of seconds"
                )));
            }
        }
        let web = self.web.as_deref().map(web_addr).transpose()?;
        let protocol = Protocol::from(self.protocol);
        let source = match (self.simulate, self.port, self.lsl) {
            (false, None, Some(query)) => {
                if !(self.lsl_timeout.is_finite() && self.lsl_timeout > 0.0) {
                    return Err(usage(format!(
                        "--lsl-timeout {}: give a positive number of seconds",
                        self.lsl_timeout
                    )));
                }
                let montage = match &self.montage {
                    Some(file) => Some(Box::new(Montage::load(file)?)),
                    None => None,
                };
                SourceChoice::Lsl {
                    query,
                    timeout_s: self.lsl_timeout,
                    montage,
                }
            }
            (true, _, _) => {
                if protocol != Protocol::Frame {
                    return Err(usage(
                        "--simulate: the simulated device speaks the frame protocol only".into(),
                    ));
                }
                if !(self.rate.is_finite() && self.rate >= 500.0 && self.rate <= 100_000.0) {
                    return Err(usage(format!(
                        "--rate {}: the simulated device runs at 500 to 100000 Hz",
                        self.rate
                    )));
                }
                let seconds = self.duration.unwrap_or(3600.0);
                let mut settings = SimSettings::new(seconds, self.rate, self.seed);
                apply_scenario(
                    &mut settings,
                    self.scenario,
                    self.side_ratio,
                    self.strength_ratio,
                )?;
                SourceChoice::Simulate {
                    settings: Box::new(settings),
                }
            }
            (false, Some(path), _) => {
                let file = self
                    .montage
                    .ok_or_else(|| usage("--port needs --montage M.toml".into()))?;
                let montage = port_montage(&file, protocol)?;
                SourceChoice::Port {
                    path,
                    montage: Box::new(montage),
                }
            }
            (false, None, None) => {
                return Err(usage(
                    "give --port PATH --montage M.toml, --lsl QUERY, or --simulate".into(),
                ))
            }
        };
        Ok(RecordSettings {
            source,
            protocol,
            baud: self
                .baud
                .unwrap_or(Protocol::from(self.protocol).default_baud()),
            out: self.out,
            duration_s: self.duration,
            live: self.live,
            lsl_out: self.lsl_out,
            web,
            subject: self.subject,
            session: self.session,
        })
    }
}

/// The address of `--web` (and `view --web`), checked: a usage error names it.
pub fn web_addr(text: &str) -> anyhow::Result<SocketAddr> {
    text.parse().map_err(|_| {
        UsageError(format!(
            "--web {text}: give an address and port such as 127.0.0.1:8750 (or 0.0.0.0:8750 \
             for other machines, with a token)"
        ))
        .into()
    })
}

/// Starts the browser view on `addr` and prints its link (before a full-screen live view
/// takes the terminal); its sink is to be added to the recording's.
pub fn open_web(
    addr: SocketAddr,
    control: Option<Arc<Control>>,
) -> anyhow::Result<(WebView, WebSink)> {
    let (view, sink) = WebView::start_for(addr, control)?;
    eprintln!("live view in the browser: {}", view.url());
    if !addr.ip().is_loopback() {
        eprintln!(
            "  (listening beyond this machine: only the link above, with its token, is let in)"
        );
    }
    Ok((view, sink))
}

/// The end of the browser view: its counters, when there is something to say.
pub fn stop_web(view: WebView) {
    let (dropped, refused) = view.counts();
    if dropped > 0 {
        eprintln!("browsers that read slowly missed {dropped} updates of the web view");
    }
    if refused > 0 {
        eprintln!("the web view turned away {refused} viewers beyond its 16");
    }
    view.stop();
}

/// Loads the montage of a device on a port and checks it against what the protocol fixes.
fn port_montage(file: &std::path::Path, protocol: Protocol) -> anyhow::Result<Montage> {
    let mut montage = Montage::load(file)?;
    let shown = file.display();
    if montage.sample_rate_hz.is_none() {
        montage.sample_rate_hz = protocol.fixed_rate_hz();
    }
    let Some(rate) = montage.sample_rate_hz else {
        return Err(UsageError(format!(
            "{shown}: sample_rate_hz is required for a device on a port (the {} protocol \
             does not carry it)",
            protocol.as_str()
        ))
        .into());
    };
    protocol
        .fits(montage.channels.len(), rate)
        .map_err(|why| UsageError(format!("{shown}: {why}")))?;
    Ok(montage)
}

/// Opens the source the settings ask for.
fn open_source(settings: &RecordSettings) -> anyhow::Result<Box<dyn Source>> {
    Ok(match &settings.source {
        SourceChoice::Simulate { settings } => {
            Box::new(SimulatedSource::start(SimSettings::clone(settings))?)
        }
        SourceChoice::Port { path, montage } => {
            if let Some(hint) = latency_hint(&PortInfo {
                name: path.clone(),
                description: String::new(),
                latency_timer_ms: latency_timer_ms(path),
            }) {
                eprintln!("hint: {hint}");
            }
            Box::new(SerialSource::open(
                path,
                settings.baud,
                settings.protocol,
                Montage::clone(montage),
                path.clone(),
            )?)
        }
        SourceChoice::Lsl {
            query,
            timeout_s,
            montage,
        } => Box::new(LslSource::open(
            query,
            std::time::Duration::from_secs_f64(*timeout_s),
            montage.as_deref(),
        )?),
    })
}

/// The terminal's sink: the full-screen live view when asked for and possible, else the
/// status line.
fn terminal_sinks(settings: &RecordSettings, control: &Arc<Control>) -> anyhow::Result<Sinks> {
    let mut sinks = Sinks::default();
    if settings.live {
        if !stdout_is_terminal() {
            eprintln!("--live: standard output is not a terminal, so there is no live view; showing the status line instead");
        } else {
            match live::LiveView::enter(Arc::clone(control)) {
                Ok(view) => {
                    sinks.queued("live-view", Box::new(view))?;
                    return Ok(sinks);
                }
                Err(e) => eprintln!(
                    "--live: cannot draw on this terminal ({e}); showing the status line instead"
                ),
            }
        }
    }
    sinks.queued("status-line", Box::new(terminal::StatusLine::new()))?;
    Ok(sinks)
}

/// Runs a recording.
pub fn run(args: RecordArgs) -> anyhow::Result<Outcome> {
    let settings = args.settings()?;
    let control = Arc::new(Control::default());
    signals::stop_on_signals(&control).context("installing the Ctrl-C handler")?;
    let source = open_source(&settings)?;
    let info = source.info();
    eprintln!(
        "recording {} channels at {} Hz from {} into {}{}",
        info.montage.channels.len(),
        info.montage.sample_rate_hz.unwrap_or(f64::NAN),
        info.description,
        settings.out.display(),
        match settings.duration_s {
            Some(d) => format!(" for {d} s"),
            None => " until Ctrl-C".to_string(),
        }
    );
    let web = match settings.web {
        Some(addr) => Some(open_web(addr, Some(Arc::clone(&control)))?),
        None => None,
    };
    let mut sinks = terminal_sinks(&settings, &control)?;
    if let Some(name) = &settings.lsl_out {
        let outlet = LslOutlet::open(name, &info.montage)?;
        eprintln!(
            "publishing LSL streams \"{name}\" (EMGFeatures) and \"{name}-events\" (Markers)"
        );
        sinks.queued("LSL outlet", Box::new(outlet))?;
    }
    let web = match web {
        Some((view, sink)) => {
            sinks.queued("web view", Box::new(sink))?;
            Some(view)
        }
        None => None,
    };
    let report = recorder::record(
        source,
        sinks,
        &recorder::Settings {
            out: settings.out.clone(),
            duration_s: settings.duration_s,
            subject: settings.subject.clone(),
            session: settings.session.clone(),
        },
        control,
    )?;
    if let Some(view) = web {
        stop_web(view);
    }
    print_report(&report, &settings.out.display().to_string());
    match &report.stop {
        stop if stop.requested() => Ok(Outcome::Success),
        other => anyhow::bail!("{other}; the file holds everything received before"),
    }
}

/// The end of a recording, on stderr.
fn print_report(r: &Report, out: &str) {
    if r.markers > 0 {
        eprintln!("{} markers added", r.markers);
    }
    eprintln!(
        "recorded {:.2} s ({} frames) into {out}: received {}, lost {} in {} gaps, \
         corrupt {}, bytes skipped {}, ring overruns {}",
        r.rows as f64 / r.sample_rate_hz,
        r.rows,
        r.received,
        r.missing,
        r.gaps,
        r.corrupt,
        r.bytes_skipped,
        r.ring_overruns,
    );
    if let Some(hz) = r.measured_rate_hz {
        eprintln!(
            "the device sent {hz:.1} frames/s (nominal {} Hz)",
            r.sample_rate_hz
        );
    }
    if r.discarded > 0 {
        eprintln!(
            "{} frames read after the end of the recording were not kept",
            r.discarded
        );
    }
    for (sink, dropped) in &r.dropped {
        if *dropped > 0 {
            eprintln!("the {sink} skipped {dropped} updates to keep up");
        }
    }
    if r.latencies.count() > 0 {
        eprintln!(
            "feature rows: {}, out {:.2} ms (p50), {:.2} ms (p99), {:.2} ms (max) after \
             their last sample was read",
            r.latencies.count(),
            r.latencies.percentile(50.0),
            r.latencies.percentile(99.0),
            r.latencies.percentile(100.0),
        );
    }
}
