//! The status line: while recording, the running numbers on stderr (redrawn in place on a
//! terminal every 0.5 s, a line every 5 s otherwise), tremor alarms and notices as they
//! happen.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::recorder::{Sink, Update};

/// How often the status line is redrawn on a terminal, and written otherwise.
const STATUS_TTY: Duration = Duration::from_millis(500);
const STATUS_LOG: Duration = Duration::from_secs(5);

/// The status-line sink.
pub struct StatusLine {
    tty: bool,
    every: Duration,
    last: Option<Instant>,
    /// A status line is on the screen (to be cleared before another line is written).
    shown: bool,
}

impl StatusLine {
    pub fn new() -> StatusLine {
        let tty = std::io::stderr().is_terminal();
        StatusLine {
            tty,
            every: if tty { STATUS_TTY } else { STATUS_LOG },
            // The first line comes after one interval, with a rate measured over it.
            last: Some(Instant::now()),
            shown: false,
        }
    }

    /// A line of its own, below (or instead of) the status line.
    fn say(&mut self, text: &str) {
        if self.shown && self.tty {
            eprint!("\r\x1b[2K");
            self.shown = false;
        }
        eprintln!("{text}");
    }
}

impl Sink for StatusLine {
    fn update(&mut self, update: &Update) {
        match update {
            Update::Alarm(notice) => self.say(&notice.to_string()),
            Update::Notice(text) => self.say(&format!("warning: {text}")),
            Update::Status(status) => {
                if self.last.is_some_and(|t| t.elapsed() < self.every) {
                    return;
                }
                self.last = Some(Instant::now());
                if self.tty {
                    eprint!("\r\x1b[2K{status}");
                    let _ = std::io::stderr().flush();
                    self.shown = true;
                } else {
                    eprintln!("{status}");
                }
            }
            Update::Started(_) | Update::Rows(_) | Update::Event(_) | Update::Raw(_) => {}
        }
    }

    fn finish(&mut self) {
        if self.shown && self.tty {
            eprintln!();
        }
    }
}
