//! The full-screen live view as a sink: it keeps the latest row of every feature table and
//! each tremor alarm's state from the updates, draws them with the status ten times a
//! second, and turns keys into requests to the recorder (`q` stops, `m` marks). Alarms and
//! notices that arrive meanwhile are printed when the view closes.

use std::sync::Arc;

use crate::live_view::{snapshot, Key, Latest, Screen};
use crate::recorder::{Control, Sink, Started, Status, Update};

/// The live-view sink.
pub struct LiveView {
    screen: Option<Screen>,
    control: Arc<Control>,
    started: Option<Arc<Started>>,
    latest: Latest,
    /// What to print when the view closes.
    log: Vec<String>,
}

impl LiveView {
    /// Takes over the terminal.
    pub fn enter(control: Arc<Control>) -> std::io::Result<LiveView> {
        Ok(LiveView {
            screen: Some(Screen::enter()?),
            control,
            started: None,
            latest: Latest::default(),
            log: Vec::new(),
        })
    }

    fn keys(&mut self) {
        let Some(screen) = self.screen.as_mut() else {
            return;
        };
        while let Ok(Some(key)) = screen.poll_key() {
            match key {
                Key::Quit => self.control.request_stop(),
                Key::Marker => self.control.request_marker(),
            }
        }
    }

    fn draw(&mut self, status: &Status) {
        let (Some(screen), Some(started)) = (self.screen.as_mut(), &self.started) else {
            return;
        };
        let picture = snapshot(started, &self.latest, status);
        if let Err(e) = screen.draw(&picture) {
            self.screen = None;
            self.log
                .push(format!("the live view failed ({e}); it was closed"));
        }
    }
}

impl Sink for LiveView {
    fn update(&mut self, update: &Update) {
        match update {
            Update::Started(s) => {
                self.latest.alarms = s
                    .tremor_channels
                    .iter()
                    .map(|&i| (i, (false, f64::NAN)))
                    .collect();
                self.started = Some(Arc::clone(s));
            }
            Update::Rows(group) => self.latest.take(group),
            Update::Alarm(notice) => {
                self.latest.alarms.insert(
                    notice.index,
                    (notice.peak_hz.is_some(), notice.peak_hz.unwrap_or(f64::NAN)),
                );
                // The banner shows it now; the log is printed at the end.
                self.log.push(notice.to_string());
            }
            Update::Notice(text) => self.log.push(format!("warning: {text}")),
            Update::Event(_) | Update::Raw(_) => {}
            Update::Status(status) => {
                self.keys();
                self.draw(status);
            }
        }
    }

    fn finish(&mut self) {
        self.screen = None;
        for line in &self.log {
            eprintln!("{line}");
        }
    }
}
