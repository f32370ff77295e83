//! Progress of work over many items, on stderr: a bar (indicatif) when stderr is a
//! terminal, plain numbered log lines otherwise (a log file, CI, a pipe). Safe to call
//! from several threads at once.

use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// Layout of the bar: elapsed time, bar, count, the last item finished.
const TEMPLATE: &str = "{elapsed_precise} [{bar:32}] {pos}/{len} {wide_msg}";

/// How often the bar redraws on its own, so the clock moves while a long item runs.
const TICK: Duration = Duration::from_millis(200);

/// Reports items as they finish.
pub struct Progress {
    bar: Option<ProgressBar>,
    total: usize,
    done: AtomicUsize,
}

impl Progress {
    /// Progress over `total` items: a bar when stderr is a terminal, log lines otherwise.
    pub fn new(total: usize) -> Progress {
        Progress::with_bar(total, std::io::stderr().is_terminal())
    }

    /// Progress over `total` items, with a bar or with log lines as asked.
    pub fn with_bar(total: usize, bar: bool) -> Progress {
        let bar = bar.then(|| {
            let style = ProgressStyle::with_template(TEMPLATE)
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            let bar = ProgressBar::new(total as u64).with_style(style);
            bar.enable_steady_tick(TICK);
            bar
        });
        Progress {
            bar,
            total,
            done: AtomicUsize::new(0),
        }
    }

    /// Prints `line` on stderr (above the bar when there is one).
    pub fn note(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Counts one item as finished: `[k/N] line` as a log line, or the bar advanced with
    /// `line` as its message.
    pub fn done(&self, line: &str) {
        let k = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.bar {
            Some(bar) => {
                bar.set_message(line.to_string());
                bar.inc(1);
            }
            None => eprintln!("[{k}/{}] {line}", self.total),
        }
    }

    /// Removes the bar; later output starts on a clean line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
