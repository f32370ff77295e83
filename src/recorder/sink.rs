//! Where updates go: a [`Sink`] is told each [`Update`] as it happens. Sinks that must see
//! everything and are fast run on the recorder's thread; any other sink is wrapped in a
//! [`Queued`] sink, which runs it on a thread of its own behind a bounded queue: when the
//! sink is slow or stuck the queue fills, further updates are dropped and counted, and the
//! recording goes on unharmed.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::update::Update;

/// Updates a queued sink may have waiting before new ones are dropped: several seconds of
/// rows and status at the rates the recorder sends them.
pub const QUEUE_UPDATES: usize = 1024;

/// How long the end of a recording waits for a queued sink to take its last updates.
const FINISH_WAIT: Duration = Duration::from_secs(2);

/// A consumer of a recording's updates.
pub trait Sink: Send {
    /// Takes one update. Runs on the recorder's thread unless the sink is queued: there it
    /// must not block.
    fn update(&mut self, update: &Update);
    /// Whether the sink wants [`Update::Raw`]: copying every block for it costs an
    /// allocation per block, which recordings without such a sink do not pay.
    fn wants_raw(&self) -> bool {
        false
    }
    /// The recording ended; no update follows.
    fn finish(&mut self) {}
}

/// A sink on its own thread behind a bounded queue.
pub struct Queued {
    name: String,
    sender: Option<SyncSender<Update>>,
    dropped: Arc<AtomicU64>,
    wants_raw: bool,
    done: Receiver<()>,
    thread: Option<JoinHandle<()>>,
}

impl Queued {
    /// Runs `sink` on a thread named `name`, fed through a queue of `capacity` updates.
    pub fn spawn(name: &str, mut sink: Box<dyn Sink>, capacity: usize) -> std::io::Result<Queued> {
        let wants_raw = sink.wants_raw();
        let (sender, receiver) = sync_channel::<Update>(capacity.max(1));
        let (done_tx, done) = sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                for update in receiver {
                    sink.update(&update);
                }
                sink.finish();
                let _ = done_tx.send(());
            })?;
        Ok(Queued {
            name: name.to_string(),
            sender: Some(sender),
            dropped: Arc::new(AtomicU64::new(0)),
            wants_raw,
            done,
            thread: Some(thread),
        })
    }

    /// The sink's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Updates dropped because the queue was full or the sink gone.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

impl Sink for Queued {
    fn wants_raw(&self) -> bool {
        self.wants_raw
    }

    fn update(&mut self, update: &Update) {
        let Some(sender) = &self.sender else { return };
        match sender.try_send(update.clone()) {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Closes the queue and waits a little for the sink to finish; a sink that does not is
    /// left behind (its thread ends with the program).
    fn finish(&mut self) {
        self.sender = None;
        match self.done.recv_timeout(FINISH_WAIT) {
            Ok(()) | Err(RecvTimeoutError::Disconnected) => {
                if let Some(t) = self.thread.take() {
                    let _ = t.join();
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
    }
}

/// Every sink of a recording.
#[derive(Default)]
pub struct Sinks {
    inline: Vec<Box<dyn Sink>>,
    queued: Vec<Queued>,
}

impl Sinks {
    /// A sink run on the recorder's thread: it must be fast and never block.
    pub fn inline(&mut self, sink: Box<dyn Sink>) {
        self.inline.push(sink);
    }

    /// A sink run on its own thread behind a bounded queue.
    pub fn queued(&mut self, name: &str, sink: Box<dyn Sink>) -> std::io::Result<()> {
        self.queued.push(Queued::spawn(name, sink, QUEUE_UPDATES)?);
        Ok(())
    }

    /// Whether any sink wants raw samples.
    pub fn wants_raw(&self) -> bool {
        self.inline.iter().any(|s| s.wants_raw()) || self.queued.iter().any(|s| s.wants_raw())
    }

    /// Tells every sink; raw samples go only to the sinks that want them.
    pub fn send(&mut self, update: &Update) {
        if matches!(update, Update::Raw(_)) {
            for s in self.inline.iter_mut().filter(|s| s.wants_raw()) {
                s.update(update);
            }
            for s in self.queued.iter_mut().filter(|s| s.wants_raw()) {
                s.update(update);
            }
            return;
        }
        for s in &mut self.inline {
            s.update(update);
        }
        for s in &mut self.queued {
            s.update(update);
        }
    }

    /// Ends every sink; returns the updates each queued sink dropped, by name.
    pub fn finish(&mut self) -> Vec<(String, u64)> {
        for s in &mut self.inline {
            s.finish();
        }
        self.queued
            .iter_mut()
            .map(|s| {
                s.finish();
                (s.name().to_string(), s.dropped())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    struct Collect(Arc<Mutex<Vec<String>>>);
    impl Sink for Collect {
        fn update(&mut self, update: &Update) {
            if let Update::Notice(n) = update {
                self.0.lock().unwrap().push(n.clone());
            }
        }
    }

    struct Stuck;
    impl Sink for Stuck {
        fn update(&mut self, _: &Update) {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }

    #[test]
    fn a_stuck_sink_drops_and_never_blocks() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let mut sinks = Sinks::default();
        sinks.inline(Box::new(Collect(Arc::clone(&seen))));
        sinks.queued("stuck", Box::new(Stuck)).unwrap();
        let start = std::time::Instant::now();
        for k in 0..QUEUE_UPDATES + 100 {
            sinks.send(&Update::Notice(k.to_string()));
        }
        let dropped = sinks.finish();
        assert!(start.elapsed() < Duration::from_secs(10));
        assert_eq!(seen.lock().unwrap().len(), QUEUE_UPDATES + 100);
        // The stuck sink took one update and holds it; the queue took QUEUE_UPDATES more.
        assert!(dropped[0].1 >= 99, "{dropped:?}");
    }

    #[test]
    fn a_queued_sink_sees_every_update_in_order() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let mut sinks = Sinks::default();
        sinks
            .queued("collect", Box::new(Collect(Arc::clone(&seen))))
            .unwrap();
        for k in 0..100 {
            sinks.send(&Update::Notice(k.to_string()));
        }
        assert_eq!(sinks.finish(), vec![("collect".to_string(), 0)]);
        let want: Vec<String> = (0..100).map(|k| k.to_string()).collect();
        assert_eq!(*seen.lock().unwrap(), want);
    }
}
