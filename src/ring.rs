//! The single-producer, single-consumer transport between the serial reader thread and
//! the engine and file writer: a lock-free ring (`rtrb`) of sample blocks.
//!
//! Raw samples are never dropped in favour of features. When the ring is full, the reader
//! waits for a free slot (the operating system's serial buffer holds the incoming bytes
//! meanwhile) and each such wait is counted as an overrun, so a consumer that cannot keep
//! up is reported, never silent.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::recording::Gap;

/// Decoded frames from the device, as the reader hands them on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block {
    /// Row of the first frame (sequence number − first sequence number).
    pub first_row: u64,
    /// Interleaved frames in physical units, gaps already filled.
    pub frames: Vec<f32>,
    /// Rows that were lost and filled.
    pub gaps: Vec<Gap>,
    /// Host monotonic clock (seconds from the start) when the block was read.
    pub host_s: f64,
    /// The source's own clock for the block's last row, when it has one (an LSL
    /// stream's time plus the time correction): what `/raw/timing` stores then.
    pub source_s: Option<f64>,
}

/// Counters shared by both ends.
#[derive(Debug, Default)]
struct Shared {
    overruns: AtomicU64,
    blocks: AtomicU64,
}

/// The reader's end.
pub struct Sender {
    producer: rtrb::Producer<Block>,
    /// Blocks the engine is done with, to be filled again.
    returned: rtrb::Consumer<Block>,
    shared: Arc<Shared>,
}

/// The engine's end.
pub struct Receiver {
    consumer: rtrb::Consumer<Block>,
    recycled: rtrb::Producer<Block>,
    shared: Arc<Shared>,
}

/// A ring of `capacity` blocks, with a second ring that carries used blocks back to the
/// reader, so a recording in its steady state allocates no block.
pub fn ring(capacity: usize) -> (Sender, Receiver) {
    let (producer, consumer) = rtrb::RingBuffer::new(capacity.max(1));
    let (recycled, returned) = rtrb::RingBuffer::new(capacity.max(1));
    let shared = Arc::new(Shared::default());
    (
        Sender {
            producer,
            returned,
            shared: Arc::clone(&shared),
        },
        Receiver {
            consumer,
            recycled,
            shared,
        },
    )
}

/// Why a block could not be handed on.
#[derive(Debug, Clone, PartialEq)]
pub enum SendError {
    /// The receiver is gone; the block comes back.
    Closed(Block),
    /// The ring stayed full for the whole timeout; the block comes back (the caller
    /// decides: wait more, or stop the recording with a clear message).
    Full(Block),
}

impl Sender {
    /// An empty block to fill: one the engine gave back, else a new one.
    pub fn spare(&mut self) -> Block {
        self.returned.pop().unwrap_or_default()
    }

    /// Hands a block on, waiting for a free slot for at most `timeout`. A wait counts as
    /// one overrun.
    pub fn send(&mut self, block: Block, timeout: Duration) -> Result<(), SendError> {
        let mut block = match self.producer.push(block) {
            Ok(()) => {
                self.shared.blocks.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
            Err(rtrb::PushError::Full(b)) => b,
        };
        self.shared.overruns.fetch_add(1, Ordering::Relaxed);
        let start = Instant::now();
        loop {
            if self.producer.is_abandoned() {
                return Err(SendError::Closed(block));
            }
            if start.elapsed() >= timeout {
                return Err(SendError::Full(block));
            }
            std::thread::sleep(Duration::from_micros(200));
            match self.producer.push(block) {
                Ok(()) => {
                    self.shared.blocks.fetch_add(1, Ordering::Relaxed);
                    return Ok(());
                }
                Err(rtrb::PushError::Full(b)) => block = b,
            }
        }
    }

    /// Fraction of the ring in use, 0 to 1.
    pub fn fill(&self) -> f64 {
        let capacity = self.producer.buffer().capacity();
        1.0 - self.producer.slots() as f64 / capacity as f64
    }

    /// Times the ring was full when a block arrived.
    pub fn overruns(&self) -> u64 {
        self.shared.overruns.load(Ordering::Relaxed)
    }
}

impl Receiver {
    /// Gives a block the engine is done with back to the reader (dropped when the way
    /// back is full).
    pub fn recycle(&mut self, mut block: Block) {
        block.frames.clear();
        block.gaps.clear();
        let _ = self.recycled.push(block);
    }

    /// The next block, if one is waiting.
    pub fn try_recv(&mut self) -> Option<Block> {
        self.consumer.pop().ok()
    }

    /// Whether the sender is gone and every block has been taken.
    pub fn finished(&self) -> bool {
        self.consumer.is_abandoned() && self.consumer.slots() == 0
    }

    /// Fraction of the ring in use, 0 to 1.
    pub fn fill(&self) -> f64 {
        let capacity = self.consumer.buffer().capacity();
        self.consumer.slots() as f64 / capacity as f64
    }

    /// Times the ring was full when a block arrived.
    pub fn overruns(&self) -> u64 {
        self.shared.overruns.load(Ordering::Relaxed)
    }

    /// Blocks handed on so far.
    pub fn blocks_sent(&self) -> u64 {
        self.shared.blocks.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(first_row: u64, rows: usize) -> Block {
        Block {
            first_row,
            frames: (0..rows).map(|r| (first_row + r as u64) as f32).collect(),
            gaps: Vec::new(),
            host_s: 0.0,
            source_s: None,
        }
    }

    /// A seeded xorshift for block sizes and delays.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn every_sample_arrives_in_order_and_full_rings_are_counted() {
        for (capacity, slow_consumer) in [(64, false), (2, true)] {
            let (mut tx, mut rx) = ring(capacity);
            let reader = std::thread::spawn(move || {
                let mut state = 0x9E37_79B9_7F4A_7C15u64;
                let mut row = 0u64;
                for _ in 0..2000 {
                    let rows = (next(&mut state) % 50 + 1) as usize;
                    tx.send(block(row, rows), Duration::from_secs(10)).unwrap();
                    row += rows as u64;
                }
                (row, tx.overruns())
            });
            let mut state = 42u64;
            let mut expected = 0u64;
            loop {
                match rx.try_recv() {
                    Some(b) => {
                        assert_eq!(b.first_row, expected);
                        for (i, v) in b.frames.iter().enumerate() {
                            assert_eq!(*v, (expected + i as u64) as f32);
                        }
                        expected += b.frames.len() as u64;
                        if slow_consumer && next(&mut state) % 4 == 0 {
                            std::thread::sleep(Duration::from_micros(300));
                        }
                    }
                    None if rx.finished() => break,
                    None => std::thread::yield_now(),
                }
            }
            let (sent, overruns) = reader.join().unwrap();
            assert_eq!(expected, sent, "nothing lost");
            assert_eq!(rx.blocks_sent(), 2000);
            assert_eq!(rx.overruns(), overruns);
            if slow_consumer {
                assert!(
                    overruns > 0,
                    "a 2-slot ring behind a slow consumer must fill"
                );
            }
        }
    }

    #[test]
    fn a_stuck_consumer_times_out_and_a_gone_one_closes() {
        let (mut tx, rx) = ring(1);
        tx.send(block(0, 1), Duration::ZERO).unwrap();
        assert!((tx.fill() - 1.0).abs() < 1e-12);
        match tx.send(block(1, 1), Duration::from_millis(5)) {
            Err(SendError::Full(b)) => assert_eq!(b.first_row, 1),
            other => panic!("{other:?}"),
        }
        drop(rx);
        assert!(matches!(
            tx.send(block(1, 1), Duration::from_millis(5)),
            Err(SendError::Closed(_))
        ));
    }
}
