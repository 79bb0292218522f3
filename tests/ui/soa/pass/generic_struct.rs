// Generic structs are accepted; the block's impls add the `Copy`/`Default` bounds they need.
use lanepool::SoA;

#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 2)]
struct Keyed<K, V: Copy, const N: usize> {
    key: K,
    values: [V; N],
}

fn main() {
    let pool = KeyedLanes::<u8, i16, 3>::sync_pool(1);
    let mut block: KeyedSyncGuard<'_, u8, i16, 3> = pool.acquire().unwrap();
    block.push(Keyed { key: 1, values: [1, 2, 3] }).unwrap();
    assert_eq!(block.values(), &[[1, 2, 3]]);
}
