//! The global allocator of the shipped (no-`std`) wasm: small blocks in power-of-two size
//! classes, each a free list; large ones as runs of whole pages, first fit and coalesced.
//!
//! Why our own: the client allocates few distinct sizes (strings of subjects, map tables,
//! a few buffers sized once), never frees in bulk and never shrinks wasm memory (it cannot),
//! so this does all it needs with a fraction of the code of a general allocator (talc cost
//! 3.1 KB of the wasm; this is under 1 KB). Small blocks (up to 32 KiB) are rounded up to a
//! power of two and never coalesce: a free one serves its own class, or is split for a
//! smaller one. Large blocks (map tables, buffers) are rounded up to pages only, so a table
//! of 10,000 subscriptions does not take twice its size, and the runs a grown table leaves
//! behind are merged and reused, for small classes as well.
//!
//! The logic is generic over how memory grows, so the host tests run it on a plain buffer.
#![allow(unsafe_code)]

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::{copy_nonoverlapping, null_mut};

/// The smallest block, 16 bytes (2^4): room for the free-list link at any alignment we give.
const MIN_SHIFT: u32 = 4;
/// Small classes: 16 B up to 32 KiB.
const CLASSES: usize = 12;
/// The largest alignment a block has (every block size is a multiple of it).
const MAX_ALIGN: usize = 16;
/// The unit of `memory.grow`, and of large blocks.
pub const PAGE: usize = 64 * 1024;

/// Adds pages to the memory the heap carves blocks from.
pub trait Grow {
    /// Grows by `pages` and returns the page number where the new pages start, or
    /// `usize::MAX` when memory cannot grow (what `memory.grow` does).
    fn grow(&self, pages: usize) -> usize;
}

/// The heap; see the module doc.
#[derive(Debug)]
pub struct Heap<G> {
    state: UnsafeCell<State>,
    grow: G,
}

#[derive(Debug)]
struct State {
    /// Per small class, the address of the first free block (0: none); each free block holds
    /// the address of the next in its first word.
    free: [usize; CLASSES],
    /// The first free run of pages (0: none), runs in address order; a run holds the next
    /// run's address and its own page count in its first two words.
    runs: usize,
}

// SAFETY: the shipped wasm is single-threaded (no atomics or threads target feature), so
// the heap is never used from two threads; the host tests use each heap from one thread.
unsafe impl<G: Sync> Sync for Heap<G> {}

/// How a layout is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    /// A block of `16 << class` bytes.
    Small(usize),
    /// A run of this many pages.
    Pages(usize),
}

/// How `layout` is served, or `None` for an alignment above 16 bytes (which nothing in this
/// crate asks for: the allocation then fails cleanly).
fn block_of(layout: Layout) -> Option<Block> {
    if layout.align() > MAX_ALIGN {
        return None;
    }
    let size = layout.size();
    if size > 16 << (CLASSES - 1) {
        return Some(Block::Pages(size.div_ceil(PAGE)));
    }
    // ceil(log2(size)), at least MIN_SHIFT.
    let bits = usize::BITS - size.max(1).wrapping_sub(1).leading_zeros();
    Some(Block::Small((bits.max(MIN_SHIFT) - MIN_SHIFT) as usize))
}

/// Word `i` of the free block or run at `at`.
///
/// # Safety
/// `at` is a free block or run of ours, large enough for word `i`.
unsafe fn word(at: usize, i: usize) -> usize {
    // SAFETY: the caller's promise.
    unsafe { *(at as *const usize).add(i) }
}

/// Sets word `i` of the free block or run at `at`.
///
/// # Safety
/// As for [`word`].
unsafe fn set_word(at: usize, i: usize, value: usize) {
    // SAFETY: the caller's promise.
    unsafe { *(at as *mut usize).add(i) = value }
}

impl<G: Grow> Heap<G> {
    /// An empty heap; pages are added on the first allocation.
    pub const fn new(grow: G) -> Self {
        Heap {
            state: UnsafeCell::new(State {
                free: [0; CLASSES],
                runs: 0,
            }),
            grow,
        }
    }

    /// The heap's lists. Single-threaded, and no reference to them outlives a call.
    #[allow(clippy::mut_from_ref)]
    fn state(&self) -> &mut State {
        // SAFETY: see above; the `GlobalAlloc` methods take it once each and do not nest.
        unsafe { &mut *self.state.get() }
    }

    /// Gives the memory `start..end` (16-aligned, ours, unused) to the small classes, each
    /// piece the largest that fits and is aligned to its size: the rest of a block split
    /// for a smaller class becomes one block of each class in between, buddy-style, and
    /// stays aligned for the next split.
    ///
    /// # Safety
    /// As stated.
    unsafe fn give_small(state: &mut State, mut start: usize, end: usize) {
        while end - start >= 16 {
            let log = (usize::BITS - 1 - (end - start).leading_zeros()).min(start.trailing_zeros());
            let class = ((log - MIN_SHIFT) as usize).min(CLASSES - 1);
            // SAFETY: the piece lies in `start..end`; its first word becomes the link.
            unsafe { set_word(start, 0, state.free[class]) };
            state.free[class] = start;
            start += 16 << class;
        }
    }

    /// A small block: from its class's list, or split from a larger free block, or carved
    /// from a fresh page; what is left of a split block or page goes to the smaller classes.
    fn alloc_small(&self, state: &mut State, class: usize) -> *mut u8 {
        let (block, end) = match (class..CLASSES).find(|&c| state.free[c] != 0) {
            Some(from) => {
                let block = state.free[from];
                // SAFETY: a free block: its first word links the next.
                state.free[from] = unsafe { word(block, 0) };
                (block, block + (16 << from))
            }
            None => {
                let page = self.alloc_pages(state, 1);
                if page.is_null() {
                    return page;
                }
                (page as usize, page as usize + PAGE)
            }
        };
        // SAFETY: the rest of a block or page we just took.
        unsafe { Self::give_small(state, block + (16 << class), end) };
        block as *mut u8
    }

    /// Sets the link that points at the run after `prev` (0: the list head).
    fn link(state: &mut State, prev: usize, to: usize) {
        if prev == 0 {
            state.runs = to;
        } else {
            // SAFETY: `prev` is a free run: its first word is the link.
            unsafe { set_word(prev, 0, to) };
        }
    }

    /// A run of `pages`: the end of the first free run large enough (so the run's own record
    /// stays where it is), else new memory.
    fn alloc_pages(&self, state: &mut State, pages: usize) -> *mut u8 {
        let (mut prev, mut run) = (0, state.runs);
        while run != 0 {
            // SAFETY: `run` is a free run: its words are the link and its page count.
            let (next, have) = unsafe { (word(run, 0), word(run, 1)) };
            if have >= pages {
                let left = have - pages;
                if left == 0 {
                    Self::link(state, prev, next);
                } else {
                    // SAFETY: as above.
                    unsafe { set_word(run, 1, left) };
                }
                return (run + left * PAGE) as *mut u8;
            }
            (prev, run) = (run, next);
        }
        match self.grow.grow(pages).checked_mul(PAGE) {
            Some(start) => start as *mut u8,
            None => null_mut(),
        }
    }

    /// Returns a run of `pages` at `at` to the list, merged with the free runs beside it.
    ///
    /// # Safety
    /// The run came from [`Heap::alloc_pages`] with this many pages and is no longer used.
    unsafe fn free_pages(&self, state: &mut State, at: usize, mut pages: usize) {
        let (mut prev, mut next) = (0, state.runs);
        while next != 0 && next < at {
            // SAFETY: free runs, as in `alloc_pages`.
            (prev, next) = (next, unsafe { word(next, 0) });
        }
        // SAFETY (all below): `prev` and `next` are free runs, `at` is the freed one.
        unsafe {
            if next != 0 && at + pages * PAGE == next {
                pages += word(next, 1);
                next = word(next, 0);
            }
            if prev != 0 && prev + word(prev, 1) * PAGE == at {
                set_word(prev, 1, word(prev, 1) + pages);
                set_word(prev, 0, next);
            } else {
                set_word(at, 0, next);
                set_word(at, 1, pages);
                Self::link(state, prev, at);
            }
        }
    }
}

// SAFETY: blocks are 16-aligned (pages are, and every size is a multiple of 16) and at least
// the layout's size; a block is handed out again only after `dealloc` returned it, and the
// list records live inside free memory only.
unsafe impl<G: Grow> GlobalAlloc for Heap<G> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let state = self.state();
        match block_of(layout) {
            Some(Block::Small(class)) => self.alloc_small(state, class),
            Some(Block::Pages(pages)) => self.alloc_pages(state, pages),
            None => null_mut(),
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let state = self.state();
        // SAFETY: `ptr` came from `alloc` with this layout, so it is a block of that shape.
        unsafe {
            match block_of(layout) {
                Some(Block::Small(class)) => {
                    Self::give_small(state, ptr as usize, ptr as usize + (16 << class));
                }
                Some(Block::Pages(pages)) => self.free_pages(state, ptr as usize, pages),
                None => {}
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size` with this alignment is a valid layout.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if block_of(new_layout) == block_of(layout) {
            return ptr; // the block already fits: Vec growth within a class copies nothing
        }
        // SAFETY: the GlobalAlloc contract, passed on.
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

/// Wasm linear memory, as the shipped build's heap grows it.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[derive(Debug)]
pub struct WasmMemory;

#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
impl Grow for WasmMemory {
    fn grow(&self, pages: usize) -> usize {
        core::arch::wasm32::memory_grow(0, pages)
    }
}

#[cfg(test)]
mod tests {
    // Test code only (this module is compiled under cfg(test)): an unwrap or expect here is
    // an assertion; none runs in the shipped wasm or can be reached from network or user input.
    // On wasm32 the same tests run under wasm-bindgen-test (node): 32-bit addresses, as shipped.
    use super::*;
    use std::cell::{Cell, RefCell};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Memory for a test heap: a buffer whose pages are handed out in order, up to a limit.
    struct Pages {
        _buffer: Vec<u8>,
        /// The page number of the next page to hand out, and of the end of the buffer.
        next: Cell<usize>,
        last: usize,
        /// Every growth: (pages asked, page number returned).
        log: RefCell<Vec<(usize, usize)>>,
    }

    impl Pages {
        fn new(pages: usize) -> Self {
            let buffer = vec![0u8; (pages + 1) * PAGE];
            let first = (buffer.as_ptr() as usize).div_ceil(PAGE);
            Pages {
                _buffer: buffer,
                next: Cell::new(first),
                last: first + pages,
                log: RefCell::new(Vec::new()),
            }
        }
    }

    impl Grow for &Pages {
        fn grow(&self, pages: usize) -> usize {
            let first = self.next.get();
            if first + pages > self.last {
                return usize::MAX;
            }
            self.next.set(first + pages);
            self.log.borrow_mut().push((pages, first));
            first
        }
    }

    fn layout(size: usize) -> Layout {
        Layout::from_size_align(size, 8).unwrap()
    }

    fn grown(pages: &Pages) -> Vec<usize> {
        pages.log.borrow().iter().map(|g| g.0).collect()
    }

    #[test]
    fn small_sizes_round_to_powers_of_two_and_large_ones_to_pages() {
        assert_eq!(block_of(layout(0)), Some(Block::Small(0)));
        assert_eq!(block_of(layout(1)), Some(Block::Small(0)));
        assert_eq!(block_of(layout(16)), Some(Block::Small(0)));
        assert_eq!(block_of(layout(17)), Some(Block::Small(1)));
        assert_eq!(block_of(layout(33)), Some(Block::Small(2)));
        assert_eq!(block_of(layout(32 << 10)), Some(Block::Small(11)));
        assert_eq!(block_of(layout((32 << 10) + 1)), Some(Block::Pages(1)));
        assert_eq!(block_of(layout(PAGE + 1)), Some(Block::Pages(2)));
        assert_eq!(block_of(layout(10 * PAGE)), Some(Block::Pages(10)));
        let aligned = |size, align| Layout::from_size_align(size, align).unwrap();
        assert_eq!(block_of(aligned(8, 16)), Some(Block::Small(0)));
        assert_eq!(block_of(aligned(64, 32)), None);
    }

    #[test]
    fn small_blocks_share_a_page_and_a_freed_one_serves_its_class_again() {
        let pages = Pages::new(4);
        let heap = Heap::new(&pages);
        unsafe {
            let blocks: Vec<_> = (1..200).map(|n| (heap.alloc(layout(n)), n)).collect();
            assert_eq!(grown(&pages), [1], "199 small blocks fit in one page");
            for (i, &(p, n)) in blocks.iter().enumerate() {
                assert_eq!(p as usize % 16, 0);
                p.write_bytes(i as u8, n);
            }
            for (i, &(p, n)) in blocks.iter().enumerate() {
                assert!((0..n).all(|k| *p.add(k) == i as u8), "blocks overlap");
            }
            let (p, n) = blocks[30]; // 31 bytes: the 32-byte class
            heap.dealloc(p, layout(n));
            assert_eq!(heap.alloc(layout(17)), p);
        }
    }

    #[test]
    fn a_larger_free_block_is_split_for_smaller_ones() {
        let pages = Pages::new(4);
        let heap = Heap::new(&pages);
        unsafe {
            let a = heap.alloc(layout(32 << 10)) as usize; // half a page; the other half is free
            let b = heap.alloc(layout(32 << 10)) as usize;
            assert_eq!(b, a + (32 << 10));
            heap.dealloc(a as *mut u8, layout(32 << 10));
            // The only free block is a's: split into 16 + 16 + 32 + 64 + ... bytes.
            assert_eq!(heap.alloc(layout(16)) as usize, a);
            assert_eq!(heap.alloc(layout(16)) as usize, a + 16);
            assert_eq!(heap.alloc(layout(32)) as usize, a + 32);
            assert_eq!(heap.alloc(layout(64)) as usize, a + 64);
            assert_eq!(heap.alloc(layout(16 << 10)) as usize, a + (16 << 10));
            assert_eq!(grown(&pages), [1]);
        }
    }

    #[test]
    fn large_blocks_are_page_runs_that_merge_when_freed_and_serve_small_ones() {
        let pages = Pages::new(16);
        let heap = Heap::new(&pages);
        unsafe {
            let a = heap.alloc(layout(3 * PAGE - 5));
            let b = heap.alloc(layout(2 * PAGE));
            let c = heap.alloc(layout(PAGE));
            assert_eq!(grown(&pages), [3, 2, 1], "whole pages, not powers of two");
            assert_eq!(b as usize, a as usize + 3 * PAGE);
            heap.dealloc(a, layout(3 * PAGE - 5));
            heap.dealloc(c, layout(PAGE));
            heap.dealloc(b, layout(2 * PAGE)); // joins both neighbours: one run of 6
            assert_eq!(
                heap.alloc(layout(6 * PAGE)),
                a,
                "the merged run, no new memory"
            );
            heap.dealloc(a, layout(6 * PAGE));
            let small = heap.alloc(layout(16)) as usize;
            assert_eq!(small, a as usize + 5 * PAGE, "a page from the run's end");
            assert_eq!(heap.alloc(layout(5 * PAGE)), a, "the rest of the run");
            assert_eq!(grown(&pages), [3, 2, 1]);
        }
    }

    #[test]
    fn an_allocation_fails_cleanly_when_memory_cannot_grow() {
        let pages = Pages::new(4);
        let heap = Heap::new(&pages);
        unsafe {
            assert!(!heap.alloc(layout(3 * PAGE)).is_null());
            assert!(
                heap.alloc(layout(2 * PAGE)).is_null(),
                "5 pages exceed the limit"
            );
            assert!(
                !heap.alloc(layout(100)).is_null(),
                "the last page still serves"
            );
            assert!(heap.alloc(layout(40 << 10)).is_null());
            assert!(heap
                .alloc(Layout::from_size_align(64, 32).unwrap())
                .is_null());
        }
    }

    #[test]
    fn realloc_keeps_a_block_that_still_fits_and_moves_the_bytes_otherwise() {
        let pages = Pages::new(16);
        let heap = Heap::new(&pages);
        unsafe {
            let a = heap.alloc(layout(40));
            for i in 0..40 {
                *a.add(i) = i as u8;
            }
            assert_eq!(heap.realloc(a, layout(40), 64), a);
            let b = heap.realloc(a, layout(64), 200);
            assert_ne!(b, a);
            assert!((0..40).all(|i| *b.add(i) == i as u8));
            assert_eq!(
                heap.alloc(layout(50)),
                a,
                "the old block went back to its list"
            );
            let big = heap.realloc(b, layout(200), PAGE + 1);
            assert!((0..40).all(|i| *big.add(i) == i as u8));
            assert_eq!(
                heap.realloc(big, layout(PAGE + 1), 2 * PAGE),
                big,
                "still two pages"
            );
            let c = heap.realloc(big, layout(2 * PAGE), 20);
            assert!((0..20).all(|i| *c.add(i) == i as u8));
        }
    }

    #[test]
    fn live_blocks_never_overlap_under_random_use() {
        let pages = Pages::new(256);
        let heap = Heap::new(&pages);
        let mut live: Vec<(*mut u8, usize, u8)> = Vec::new();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        unsafe {
            for step in 0..10_000u32 {
                let r = next();
                if live.len() > 200 || (r % 3 == 0 && !live.is_empty()) {
                    let (p, size, tag) = live.swap_remove((r >> 8) as usize % live.len());
                    assert!((0..size).all(|i| *p.add(i) == tag), "block overwritten");
                    heap.dealloc(p, layout(size));
                } else {
                    let size = 1 + (r >> 16) as usize % (1 << ((r >> 40) % 19));
                    let p = heap.alloc(layout(size));
                    assert!(!p.is_null());
                    let tag = step as u8;
                    p.write_bytes(tag, size);
                    live.push((p, size, tag));
                }
            }
            for (p, size, tag) in live {
                assert!((0..size).all(|i| *p.add(i) == tag), "block overwritten");
            }
        }
    }
}
