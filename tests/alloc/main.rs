//! The live hot path allocates nothing per block in steady state: a counting allocator
//! (this test binary's own, so no other test's allocations count) watches the causal
//! engine as a live recorder drives it: force signals kept on disk, 1 ms blocks, new rows
//! taken after each push. Blocks that complete a feature row or find an onset may
//! allocate for what they hand out; every other block must not allocate at all.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use myobalance::engine::trace::ForceTrace;
use myobalance::engine::{Filtering, KeptRows, Plan, StreamEngine, Threads};
use myobalance::ingest::acquire::Assembler;
use myobalance::ingest::frame::{encode_frame_into, FrameDecoder};
use myobalance::ingest::{Decoded, Decoder};
use myobalance::ring::ring;
use myobalance::sim::{simulate, SimSettings};
use myobalance::store::spill::{DiskTrace, Problems, TestCoding};

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// One test at a time: the count is the whole process's.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

#[test]
fn engine_pushes_that_complete_no_row_allocate_nothing() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let fs = 2000.0;
    let rec = simulate(&SimSettings::new(90.0, fs, 3)).unwrap();
    let plan = Plan::new(&rec.montage, Filtering::Causal).unwrap();
    // One thread: the pool's own bookkeeping is not the engine's.
    let problems = Problems::default();
    let dir = std::env::temp_dir();
    let mut on_disk = |_, kept| -> Box<dyn ForceTrace> {
        Box::new(DiskTrace::new(
            &dir,
            "force",
            kept,
            TestCoding::Plain,
            problems.clone(),
        ))
    };
    let mut engine = StreamEngine::with_traces(plan, &mut on_disk)
        .unwrap()
        .keeping(KeptRows::NotHandedOut)
        .on(Threads::One);
    let width = rec.samples.ncols();
    let data = rec.samples.as_slice().unwrap();
    let block = 2 * width; // 1 ms
    let warm_up = (40.0 * fs) as usize * width;
    let (mut quiet_blocks, mut row_blocks) = (0u64, 0u64);
    let mut allocating: Vec<(usize, u64)> = Vec::new();
    for (k, frames) in data.chunks(block).enumerate() {
        let (before, had, found) = (allocations(), engine.emitted(), engine.transitions());
        engine.push(frames);
        let rows = engine.new_rows();
        let spent = allocations() - before;
        drop(rows);
        if k * block < warm_up {
            continue;
        }
        if engine.emitted() != had || engine.transitions() != found {
            row_blocks += 1;
        } else {
            quiet_blocks += 1;
            if spent > 0 && allocating.len() < 20 {
                allocating.push((k, spent));
            }
        }
    }
    assert!(
        quiet_blocks > 40_000 && row_blocks > 1000,
        "{quiet_blocks} {row_blocks}"
    );
    assert!(
        allocating.is_empty(),
        "blocks completing no row allocated (block, allocations): {allocating:?}"
    );
}

#[test]
fn port_bytes_to_blocks_allocate_nothing_once_blocks_are_recycled() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let channels = 32;
    // 2 s of frames at 10 kHz, one lost now and then, read 20 frames at a time.
    let mut bytes = Vec::new();
    let counts: Vec<i32> = (0..channels).collect();
    for seq in 0..20_000u32 {
        if seq % 997 != 500 {
            encode_frame_into(seq, &counts, &mut bytes);
        }
    }
    let read = bytes.len() / 1000;
    let mut decoder = FrameDecoder::new();
    let mut decoded = Decoded::default();
    let mut assembler = Assembler::new(
        vec![0.5; channels as usize],
        vec![0.0; channels as usize],
        100,
    );
    let (mut tx, mut rx) = ring(64);
    let mut spent_after_warm_up = 0;
    for (k, chunk) in bytes.chunks(read).enumerate() {
        let before = allocations();
        decoder.feed(chunk, &mut decoded);
        let block = assembler.assemble(&decoded, 0.0, tx.spare()).unwrap();
        decoded.clear();
        tx.send(block, Duration::from_millis(10)).unwrap();
        let block = rx.try_recv().unwrap();
        assert!(!block.frames.is_empty() || k > 990);
        rx.recycle(block);
        if k >= 100 {
            spent_after_warm_up += allocations() - before;
        }
    }
    assert_eq!(
        spent_after_warm_up, 0,
        "allocations after the first 100 reads"
    );
}
