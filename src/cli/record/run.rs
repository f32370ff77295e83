//! The recording itself: threads, the consumer loop, stops and the final report.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use super::session::Session;
use super::signals::stop_requests;
use super::source::{self, Source};
use super::status::{percentile, Rate, Status};
use super::view::snapshot;
use super::{Outcome, RecordSettings};
use crate::engine::{Plan, StreamEngine};
use crate::ingest::acquire::{read_port, Assembler, ReaderEnd, ReaderParts, SharedStats};
use crate::ingest::ports::{latency_hint, latency_timer_ms, PortInfo};
use crate::live_view::{stdout_is_terminal, Key, Screen};
use crate::recording::Acquisition;
use crate::ring::{ring, Block, Receiver};
use crate::sim::Simulator;

/// Blocks the ring holds: at one block per port read (a few ms each), seconds of data.
const RING_BLOCKS: usize = 4096;
/// How often the live view is redrawn.
const LIVE_FRAME: Duration = Duration::from_millis(100);
/// Largest merged block handed to the session at once.
const MAX_MERGED_SAMPLES: usize = 1 << 20;
/// Longest gap the assembler fills, in seconds of samples.
const MAX_GAP_S: f64 = 60.0;
/// How often the status line is redrawn on a terminal, and written otherwise.
const STATUS_TTY: Duration = Duration::from_millis(500);
const STATUS_LOG: Duration = Duration::from_secs(5);

/// Why the recording ended.
#[derive(Debug, Clone, PartialEq)]
enum Stop {
    Duration,
    User,
    Reader(ReaderEnd),
    WriteFailed(String),
}

/// Records until a stop; returns exit code 0 for a requested stop, 1 otherwise.
///
/// The consumer runs on a worker of its own thread pool: when a push completes spectra
/// and the engine spreads channels over the pool, the consumer starts on them at once
/// instead of waiting for sleeping workers to wake, which keeps feature latency down.
pub fn record(settings: RecordSettings) -> anyhow::Result<Outcome> {
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("engine-{i}"))
        .build()
        .context("starting the engine's threads")?;
    pool.install(|| record_on_this_thread(settings))
}

fn record_on_this_thread(settings: RecordSettings) -> anyhow::Result<Outcome> {
    let requests = stop_requests().context("installing the Ctrl-C handler")?;
    let Source {
        mut port,
        port_name,
        mut decoder,
        montage,
        scale,
        offset,
        description,
        device,
        scenario,
    } = source::open(&settings)?;
    if device.is_none() {
        if let Some(hint) = latency_hint(&PortInfo {
            name: port_name.clone(),
            description: String::new(),
            latency_timer_ms: latency_timer_ms(&port_name),
        }) {
            eprintln!("hint: {hint}");
        }
    }
    let plan = Plan::new(&montage, true)?;
    let fs = plan.sample_rate_hz;
    let engine = StreamEngine::new(plan)?;
    let limit = settings
        .duration_s
        .map(|d| (d * fs).round().max(1.0) as u64);
    let clock = Instant::now();
    let mut session = Session::create(&settings.out, engine, &description, limit, clock)
        .with_context(|| format!("creating {}", settings.out.display()))?;
    eprintln!(
        "recording {} channels at {fs} Hz from {description} into {}{}",
        montage.channels.len(),
        settings.out.display(),
        match settings.duration_s {
            Some(d) => format!(" for {d} s"),
            None => " until Ctrl-C".to_string(),
        }
    );

    let (mut tx, mut rx) = ring(RING_BLOCKS);
    let stop = Arc::new(AtomicBool::new(false));
    let stats = Arc::new(SharedStats::default());
    let consumer = std::thread::current();
    let reader = {
        let stop = Arc::clone(&stop);
        let stats = Arc::clone(&stats);
        let mut assembler = Assembler::new(scale, offset, (MAX_GAP_S * fs).ceil() as u64);
        let cyton = settings.protocol == super::Protocol::Cyton;
        std::thread::Builder::new()
            .name("serial-reader".into())
            .spawn(move || {
                let wake = move || consumer.unpark();
                let end = read_port(
                    &mut port,
                    ReaderParts {
                        decoder: decoder.as_mut(),
                        assembler: &mut assembler,
                        ring: &mut tx,
                        stop: &stop,
                        stats: &stats,
                        clock,
                        wake: &wake,
                    },
                );
                if cyton {
                    crate::ingest::serial::cyton_stop(&mut port);
                }
                end
            })
            .context("starting the reader thread")?
    };

    let mut screen = if settings.live {
        if stdout_is_terminal() {
            match Screen::enter() {
                Ok(screen) => Some(screen),
                Err(e) => {
                    eprintln!("--live: cannot draw on this terminal ({e}); showing the status line instead");
                    None
                }
            }
        } else {
            eprintln!("--live: standard output is not a terminal, so there is no live view; showing the status line instead");
            None
        }
    } else {
        None
    };
    let mut last_draw = Instant::now() - LIVE_FRAME;
    let mut markers = 0usize;
    let mut alarm_log = Vec::new();
    let tty = std::io::stderr().is_terminal();
    let status_every = if tty { STATUS_TTY } else { STATUS_LOG };
    let mut last_status = Instant::now();
    let mut rate = Rate::default();
    rate.update(0.0, 0, 0.0);
    let mut stop_reason: Option<Stop> = None;
    let mut status_shown = false;
    let status = |session: &Session, rate: &mut Rate, fill: f64| {
        let elapsed_s = clock.elapsed().as_secs_f64();
        let s = stats.get();
        Status {
            elapsed_s,
            frames_per_s: rate.update(elapsed_s, s.frames_received, 0.5),
            stats: s,
            ring_fill: fill,
            rows: session.rows(),
            sample_rate_hz: fs,
        }
    };
    loop {
        let mut worked = false;
        while let Some(block) = take_waiting(&mut rx) {
            worked = true;
            if stop_reason.is_some() && !matches!(stop_reason, Some(Stop::User | Stop::Duration)) {
                continue;
            }
            match session.handle(block) {
                Ok(notices) => {
                    for n in notices {
                        if screen.is_some() {
                            // The banner shows it now; the log is printed at the end.
                            alarm_log.push(n);
                            continue;
                        }
                        if status_shown && tty {
                            eprint!("\r\x1b[2K");
                        }
                        eprintln!("{n}");
                    }
                }
                Err(e) => {
                    stop_reason = Some(Stop::WriteFailed(format!("{e:#}")));
                    stop.store(true, Ordering::Relaxed);
                }
            }
            if session.done() && stop_reason.is_none() {
                stop_reason = Some(Stop::Duration);
                stop.store(true, Ordering::Relaxed);
            }
        }
        if rx.finished() {
            break;
        }
        if requests.load(Ordering::Relaxed) && stop_reason.is_none() {
            stop_reason = Some(Stop::User);
            stop.store(true, Ordering::Relaxed);
        }
        if let Err(e) = session.flush_if_due() {
            if stop_reason.is_none() {
                stop_reason = Some(Stop::WriteFailed(format!("{e:#}")));
                stop.store(true, Ordering::Relaxed);
            }
        }
        if let Some(live) = screen.as_mut() {
            loop {
                match live.poll_key() {
                    Ok(Some(Key::Quit)) => {
                        if stop_reason.is_none() {
                            stop_reason = Some(Stop::User);
                            stop.store(true, Ordering::Relaxed);
                        }
                    }
                    Ok(Some(Key::Marker)) => {
                        session.mark();
                        markers += 1;
                    }
                    Ok(None) => break,
                    Err(_) => break,
                }
            }
            if last_draw.elapsed() >= LIVE_FRAME {
                let now = status(&session, &mut rate, rx.fill());
                let picture = snapshot(&session, &now, &description, markers);
                if let Err(e) = live.draw(&picture) {
                    screen = None;
                    eprintln!("the live view failed ({e}); going on with the status line");
                }
                last_draw = Instant::now();
            }
        } else if last_status.elapsed() >= status_every {
            let line = status(&session, &mut rate, rx.fill());
            if tty {
                eprint!("\r\x1b[2K{line}");
                let _ = std::io::stderr().flush();
            } else {
                eprintln!("{line}");
            }
            status_shown = true;
            last_status = Instant::now();
        }
        if !worked {
            std::thread::park_timeout(Duration::from_millis(20));
        }
    }
    drop(screen);
    if status_shown && tty {
        eprintln!();
    }
    for n in &alarm_log {
        eprintln!("{n}");
    }
    if markers > 0 {
        eprintln!("{markers} markers added");
    }
    let end = reader
        .join()
        .unwrap_or_else(|_| ReaderEnd::Unplugged("the reader thread failed".into()));
    if let Some(device) = device {
        let _ = device.stop();
    }
    let stop_reason = match stop_reason {
        Some(Stop::WriteFailed(m)) => Stop::WriteFailed(m),
        Some(r @ (Stop::User | Stop::Duration)) if end == ReaderEnd::Stopped => r,
        _ => Stop::Reader(end),
    };
    let s = stats.get();
    // Counters of the rows kept: frames decoded after `--duration` was reached are not.
    let rows = session.rows();
    let received = rows - session.filled();
    let discarded = s.frames_received.saturating_sub(received);
    let acquisition = Acquisition {
        protocol: settings.protocol.as_str().to_string(),
        port: port_name,
        frames_received: received,
        frames_missing: session.filled(),
        frames_corrupt: s.frames_corrupt,
        bytes_skipped: s.bytes_skipped,
        ring_overruns: rx.overruns(),
        gaps: Vec::new(),
        timing: Vec::new(),
    };
    let latencies = session.latencies_ms().to_vec();
    let out = settings.out.display().to_string();
    if rows == 0 && !matches!(stop_reason, Stop::User | Stop::Duration) {
        drop(session);
        let _ = std::fs::remove_file(&settings.out);
        anyhow::bail!(
            "{}; nothing was recorded, so {out} was not kept",
            describe(&stop_reason)
        );
    }
    // Rows follow the device's sequence numbers from 0, which are the simulator's samples.
    let truth = scenario
        .and_then(|s| Simulator::new(&s).ok())
        .map(|sim| sim.truth(rows));
    let results = session.finish(&acquisition, truth.as_ref())?;
    eprintln!(
        "recorded {:.2} s ({rows} frames) into {out}: received {}, lost {} in {} gaps, \
         corrupt {}, bytes skipped {}, ring overruns {}",
        rows as f64 / fs,
        received,
        acquisition.frames_missing,
        results
            .events
            .iter()
            .filter(|e| e.kind == crate::results::EventKind::Gap)
            .count(),
        s.frames_corrupt,
        s.bytes_skipped,
        acquisition.ring_overruns,
    );
    if discarded > 0 {
        eprintln!("{discarded} frames read after the end of the recording were not kept");
    }
    if !latencies.is_empty() {
        eprintln!(
            "feature rows: {}, out {:.2} ms (p50), {:.2} ms (p99), {:.2} ms (max) after \
             their last sample was read",
            latencies.len(),
            percentile(&latencies, 50.0),
            percentile(&latencies, 99.0),
            percentile(&latencies, 100.0),
        );
    }
    match stop_reason {
        Stop::Duration | Stop::User => Ok(Outcome::Success),
        other => anyhow::bail!(
            "{}; the file holds everything received before",
            describe(&other)
        ),
    }
}

/// Every block waiting in the ring, as one block (fewer, larger pushes cost less than one
/// per port read). Its host time is the earliest one, so latencies are not understated.
fn take_waiting(rx: &mut Receiver) -> Option<Block> {
    let mut block = rx.try_recv()?;
    while block.frames.len() < MAX_MERGED_SAMPLES {
        let Some(next) = rx.try_recv() else { break };
        block.frames.extend_from_slice(&next.frames);
        block.gaps.extend_from_slice(&next.gaps);
    }
    Some(block)
}

fn describe(stop: &Stop) -> String {
    match stop {
        Stop::Duration => "the duration was reached".into(),
        Stop::User => "stopped".into(),
        Stop::Reader(ReaderEnd::Unplugged(cause)) => {
            format!("the device was unplugged or its port closed ({cause}); recording stopped")
        }
        Stop::Reader(ReaderEnd::Refused(why)) => format!("recording stopped: {why}"),
        Stop::Reader(ReaderEnd::ConsumerGone) => "recording stopped: the writer stopped".into(),
        Stop::Reader(ReaderEnd::Stopped) => "recording stopped".into(),
        Stop::WriteFailed(why) => format!("recording stopped: writing failed: {why}"),
    }
}
