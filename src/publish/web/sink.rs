//! The web view as a recorder sink: it keeps the [`Picture`] from every update and, at
//! most every [`SEND_EVERY`] (and at once when an alarm starts or ends), hands the
//! viewers a delta. It runs queued on its own thread (`Sinks::queued`), so neither the
//! server nor a browser ever holds the recorder up; the [`Hub`] it shares with the server
//! is locked only to update the picture and to hand out messages, never across I/O.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::state::Picture;
use super::viewers::Viewers;
use crate::recorder::{Sink, Update};

/// How often viewers get a delta: 20 a second, twice the least the page needs.
pub const SEND_EVERY: Duration = Duration::from_millis(50);

/// What the sink and the server share.
#[derive(Default)]
pub struct Hub {
    pub picture: Picture,
    pub viewers: Viewers,
}

/// The hub behind its lock.
pub type SharedHub = Arc<Mutex<Hub>>;

/// Locks the hub; a thread that panicked holding it left plain data, still usable.
pub fn lock(hub: &SharedHub) -> MutexGuard<'_, Hub> {
    hub.lock().unwrap_or_else(|p| p.into_inner())
}

/// The sink that feeds the web view.
pub struct WebSink {
    hub: SharedHub,
    last_sent: Option<Instant>,
}

impl WebSink {
    /// A sink feeding `hub`'s viewers.
    pub fn new(hub: SharedHub) -> WebSink {
        WebSink {
            hub,
            last_sent: None,
        }
    }

    /// Sends a delta to every viewer now.
    pub fn send_now(&mut self) {
        let mut hub = lock(&self.hub);
        if !hub.picture.started() {
            return;
        }
        let Hub { picture, viewers } = &mut *hub;
        let delta: Arc<str> = Arc::from(picture.delta());
        viewers.broadcast(&delta, || picture.full());
        self.last_sent = Some(Instant::now());
    }
}

impl Sink for WebSink {
    fn wants_raw(&self) -> bool {
        true
    }

    fn update(&mut self, update: &Update) {
        lock(&self.hub).picture.update(update);
        let due = self.last_sent.is_none_or(|t| t.elapsed() >= SEND_EVERY);
        if due || matches!(update, Update::Alarm(_)) {
            self.send_now();
        }
    }

    /// Sends the last picture and the end, then closes every stream.
    fn finish(&mut self) {
        self.send_now();
        let mut hub = lock(&self.hub);
        let Hub { picture, viewers } = &mut *hub;
        let text = picture.end();
        let end: Arc<str> = Arc::from(text.as_str());
        viewers.broadcast(&end, || text.clone());
        viewers.close();
    }
}
