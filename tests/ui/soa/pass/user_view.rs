// The example from the derive's documentation, as a user writes it.
use lanepool::SoA;

#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 8, align = 64)]
pub struct Triple {
    pub s: u64,
    pub p: u64,
    pub o: u64,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pool = TripleLanes::pool(16);
    let mut block: TripleGuard<'_> = pool.acquire()?;
    block.push(Triple { s: 1, p: 2, o: 3 })?;
    assert_eq!(block.s(), &[1]);
    let all: &[u64; 8] = block.s_lanes();
    assert_eq!(all[0], 1);
    Ok(())
}
