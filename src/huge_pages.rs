//! The system allocator, with large blocks on transparent huge pages.
//!
//! A run of `process` keeps a few dozen blocks of a megabyte or more (the zero-phase
//! filters' rings, the blocks of samples read). On 4 KiB pages each costs a page fault
//! per 4 KiB on first touch and many TLB entries while it is streamed through; in a
//! virtual machine both are dear. The binary uses this allocator for every subcommand; a
//! live recorder's blocks stay smaller (none reached 1 MiB in a 32-channel 10 kHz
//! recording, `strace -e madvise`). Where the kernel hands out huge pages only on
//! request (`transparent_hugepage/enabled` = `madvise`, the common default), a block of
//! [`LARGE`] bytes or more is therefore aligned to 2 MiB, rounded up to whole 2 MiB and
//! marked `MADV_HUGEPAGE`; smaller blocks, and every block off Linux, are the system
//! allocator's as they are. The advice changes only how the memory is backed.

use std::alloc::{GlobalAlloc, Layout, System};

/// Bytes of a huge page (x86-64, and the usual size elsewhere).
const HUGE: usize = 2 << 20;

/// Blocks from this size on go on huge pages: half a huge page, so that rounding up at
/// most doubles a block's footprint.
pub const LARGE: usize = HUGE / 2;

/// The system allocator with large blocks on huge pages (see the module).
pub struct HugePages;

/// The layout a block of `layout` is allocated with: `None` for a small block (the
/// system's own), else aligned to a huge page and a whole number of them.
fn huge(layout: Layout) -> Option<Layout> {
    if !cfg!(target_os = "linux") || layout.size() < LARGE {
        return None;
    }
    let size = layout.size().checked_next_multiple_of(HUGE)?;
    Layout::from_size_align(size, HUGE.max(layout.align())).ok()
}

// SAFETY: every block is the system allocator's; a large one is allocated, and freed,
// with the layout `huge` derives from the caller's, the same for both since it depends on
// the layout alone. `realloc` keeps the contract of `GlobalAlloc::realloc`: the first
// `min(old, new)` bytes are carried over and the old block is freed only on success.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match huge(layout) {
            None => System.alloc(layout),
            Some(big) => {
                let block = System.alloc(big);
                advise(block, big.size());
                block
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match huge(layout) {
            None => System.alloc_zeroed(layout),
            Some(_) => {
                // Advised before it is zeroed, so that the zeroing faults in huge pages.
                let block = self.alloc(layout);
                if !block.is_null() {
                    std::ptr::write_bytes(block, 0, layout.size());
                }
                block
            }
        }
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        System.dealloc(block, huge(layout).unwrap_or(layout));
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align_unchecked(new_size, layout.align());
        match (huge(layout), huge(new)) {
            (None, None) => System.realloc(block, layout, new_size),
            // Within the rounded room: the block stays.
            (Some(old), Some(grown)) if old == grown => block,
            _ => {
                let moved = self.alloc(new);
                if !moved.is_null() {
                    std::ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                    self.dealloc(block, layout);
                }
                moved
            }
        }
    }
}

/// Asks for huge pages under `len` bytes from `block` (nothing when the allocation
/// failed); a kernel without them refuses, and the block stays as it is.
#[cfg(target_os = "linux")]
fn advise(block: *mut u8, len: usize) {
    if !block.is_null() {
        // SAFETY: the range is the block just allocated, whole and aligned to a page;
        // the advice does not touch its contents.
        unsafe {
            libc::madvise(block.cast(), len, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_: *mut u8, _: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_large_blocks_are_rounded_to_huge_pages() {
        let small = Layout::from_size_align(LARGE - 8, 8).unwrap();
        assert_eq!(huge(small), None);
        if cfg!(target_os = "linux") {
            let large = Layout::from_size_align(LARGE, 8).unwrap();
            assert_eq!(huge(large), Layout::from_size_align(HUGE, HUGE).ok());
            let over = Layout::from_size_align(HUGE + 1, 64).unwrap();
            assert_eq!(huge(over), Layout::from_size_align(2 * HUGE, HUGE).ok());
        }
    }

    #[test]
    fn blocks_keep_their_contents_across_sizes() {
        // Small to large to larger to small again: each step keeps what fits.
        let a = HugePages;
        unsafe {
            let layout = Layout::from_size_align(1000, 8).unwrap();
            let mut block = a.alloc(layout);
            assert!(!block.is_null());
            for i in 0..1000 {
                *block.add(i) = (i % 251) as u8;
            }
            let mut size = 1000;
            for new_size in [LARGE + 3, HUGE + 5, HUGE + 100, 3 * HUGE, 500] {
                let old = Layout::from_size_align(size, 8).unwrap();
                block = a.realloc(block, old, new_size);
                assert!(!block.is_null());
                for i in 0..size.min(new_size).min(1000) {
                    assert_eq!(*block.add(i), (i % 251) as u8, "size {new_size}, byte {i}");
                }
                // The whole block is writable.
                *block.add(new_size - 1) = 7;
                size = new_size;
            }
            a.dealloc(block, Layout::from_size_align(size, 8).unwrap());
            let zeroed = Layout::from_size_align(HUGE, 16).unwrap();
            let block = a.alloc_zeroed(zeroed);
            assert!((0..HUGE).step_by(4093).all(|i| *block.add(i) == 0));
            a.dealloc(block, zeroed);
        }
    }
}
