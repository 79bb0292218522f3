//! Pools of derived blocks build each block where it lives: a 600 KB block pools fine in a
//! debug build on a 2 MiB thread, where building it on the stack and moving it would overflow.
//! (On a stack overflow the whole test binary aborts, which is why this is a binary of its own.)

use lanepool::SoA;

/// One lane: a packet with a 9 KB payload.
#[derive(Clone, Copy, SoA)]
#[soa(lanes = 64, align = 4096, reset = "zero")]
pub struct Jumbo {
    /// Sequence number.
    pub seq: u64,
    /// The payload, 9 KB.
    pub payload: [u8; 9216],
}

const STACK: usize = 2 << 20;

fn on_small_stack<R: Send + 'static>(work: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(work)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn a_600_kb_block_is_bigger_than_a_quarter_of_the_stack() {
    let size = core::mem::size_of::<JumboLanes>();
    assert!(size >= 580 * 1024, "{size}");
    assert!(
        size * 4 > STACK,
        "building it and moving it twice would not fit"
    );
}

#[test]
fn pools_of_huge_blocks_build_them_in_place() {
    on_small_stack(|| {
        let pool = JumboLanes::pool(4);
        let mut block = pool.acquire().unwrap();
        assert!(block.is_empty());
        assert!(block
            .payload_lanes()
            .iter()
            .all(|payload| payload.iter().all(|&b| b == 0)));
        block.lanes_mut().payload[0][9215] = 7;
        block.lanes_mut().seq[0] = 1;
        block.set_len_for_test(1);
        drop(block); // `reset = "zero"`: lane by lane, not a new block on the stack
        let again = pool.acquire().unwrap();
        assert_eq!(again.payload_lanes()[0][9215], 0);
        assert_eq!(pool.usage().capacity, 4);
    });
}

#[test]
fn sync_pools_of_huge_blocks_build_them_in_place() {
    on_small_stack(|| {
        let pool = JumboLanes::sync_pool(4);
        let guards: Vec<_> = (0..4).map(|_| pool.acquire().unwrap()).collect();
        assert!(guards.iter().all(|block| block.is_empty()));
        assert_eq!(pool.available(), 0);
    });
}

/// `set_len` is `LaneBlock`'s; a helper keeps the test free of the trait import.
trait SetLen {
    fn set_len_for_test(&mut self, len: usize);
}

impl SetLen for JumboLanes {
    fn set_len_for_test(&mut self, len: usize) {
        lanepool::LaneBlock::set_len(self, len);
    }
}
