//! The viewers of the web view: at most [`MAX_VIEWERS`] update streams at once, each fed
//! through a bounded queue of [`QUEUE_MESSAGES`] messages. Messages are handed to a queue
//! without waiting; when a viewer's queue is full (a slow or stalled browser) the message
//! is dropped and counted, and the viewer's next message that fits is a full one, so it
//! catches up at once. Nothing a viewer does can slow the recording down.

use std::sync::Arc;

use tokio::sync::mpsc::{channel, error::TrySendError, Receiver, Sender};

/// Update streams served at once; one more is refused (503).
pub const MAX_VIEWERS: usize = 16;
/// Messages waiting for one viewer: about a second of updates.
pub const QUEUE_MESSAGES: usize = 16;

/// One update stream.
struct Viewer {
    id: u64,
    queue: Sender<Arc<str>>,
    /// Messages dropped since the last full one went through.
    behind: bool,
    dropped: u64,
}

/// The update streams open now and the counts of those gone.
#[derive(Default)]
pub struct Viewers {
    open: Vec<Viewer>,
    next_id: u64,
    /// Messages dropped, every viewer together (those gone included).
    dropped: u64,
    /// Viewers turned away because [`MAX_VIEWERS`] were open.
    refused: u64,
    closed: bool,
}

/// What a broadcast did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sent {
    pub delivered: usize,
    pub dropped: usize,
}

impl Viewers {
    /// Opens a stream whose first message is `first`; `None` when [`MAX_VIEWERS`] are open
    /// or the server is closing.
    pub fn join(&mut self, first: Arc<str>) -> Option<(u64, Receiver<Arc<str>>)> {
        if self.open.len() >= MAX_VIEWERS || self.closed {
            self.refused += 1;
            return None;
        }
        let (queue, rx) = channel(QUEUE_MESSAGES);
        // A new queue has room for its first message.
        let _ = queue.try_send(first);
        let id = self.next_id;
        self.next_id += 1;
        self.open.push(Viewer {
            id,
            queue,
            behind: false,
            dropped: 0,
        });
        Some((id, rx))
    }

    /// A stream ended (the browser went away).
    pub fn leave(&mut self, id: u64) {
        self.open.retain(|v| v.id != id);
    }

    /// Hands `message` to every viewer, or the message `full` makes to those that lost
    /// messages before (made once, only when needed).
    pub fn broadcast(&mut self, message: &Arc<str>, full: impl FnOnce() -> String) -> Sent {
        let mut full = Some(full);
        let mut full_text: Option<Arc<str>> = None;
        let mut sent = Sent::default();
        for v in &mut self.open {
            let text = if v.behind {
                Arc::clone(full_text.get_or_insert_with(|| {
                    Arc::from(full.take().map_or_else(String::new, |f| f()))
                }))
            } else {
                Arc::clone(message)
            };
            match v.queue.try_send(text) {
                Ok(()) => {
                    v.behind = false;
                    sent.delivered += 1;
                }
                Err(TrySendError::Full(_)) => {
                    v.behind = true;
                    v.dropped += 1;
                    sent.dropped += 1;
                }
                // The browser went; its stream's end removes it.
                Err(TrySendError::Closed(_)) => {}
            }
        }
        self.dropped += sent.dropped as u64;
        sent
    }

    /// Ends every stream (after a last message) and refuses new ones.
    pub fn close(&mut self) {
        self.closed = true;
        self.open.clear();
    }

    /// Streams open now.
    pub fn count(&self) -> usize {
        self.open.len()
    }

    /// Messages dropped so far, every viewer together.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Messages dropped per open viewer, in the order they joined.
    pub fn dropped_each(&self) -> Vec<u64> {
        self.open.iter().map(|v| v.dropped).collect()
    }

    /// Viewers refused so far.
    pub fn refused(&self) -> u64 {
        self.refused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seventeenth_is_refused_and_a_stalled_viewer_drops_and_catches_up() {
        let mut viewers = Viewers::default();
        let mut streams: Vec<_> = (0..MAX_VIEWERS)
            .map(|_| viewers.join(Arc::from("first")).unwrap())
            .collect();
        assert!(viewers.join(Arc::from("first")).is_none());
        assert_eq!(viewers.refused(), 1);
        for k in 0..QUEUE_MESSAGES + 5 {
            // Every viewer but the first reads at once.
            for (_, rx) in streams.iter_mut().skip(1) {
                while rx.try_recv().is_ok() {}
            }
            viewers.broadcast(&Arc::from(format!("delta {k}")), || "full".into());
        }
        let each = viewers.dropped_each();
        assert_eq!(each[0], 6, "{each:?}"); // its queue held the first and 15 deltas
        assert!(each[1..].iter().all(|&d| d == 0));
        let (_, stalled) = &mut streams[0];
        while stalled.try_recv().is_ok() {}
        viewers.broadcast(&Arc::from("delta"), || "full".into());
        assert_eq!(&*stalled.try_recv().unwrap(), "full");
        viewers.leave(streams[3].0);
        assert_eq!(viewers.count(), MAX_VIEWERS - 1);
        assert!(viewers.join(Arc::from("first")).is_some());
    }
}
