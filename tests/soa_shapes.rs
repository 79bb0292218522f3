//! Every accepted struct shape: generics, tuple structs, array and tuple fields, 1 and 64 lanes,
//! field visibility, forwarded attributes.

use lanepool::{LaneBlock, LaneError, SoA};

/// A generic row: the block's impls get `T: Copy + Default` bounds.
#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 4, align = 32)]
struct Pair<T> {
    key: T,
    count: u32,
}

/// Bounds and a where clause as written are kept.
#[derive(Clone, Copy, Debug, PartialEq, SoA)]
struct Bounded<K: Copy + Ord, const N: usize>
where
    K: Default,
{
    key: K,
    digest: [u8; N],
}

/// A tuple struct: accessors `_0()`, `_1()`, ...
#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 16, align = 128)]
struct Point(f32, f32, i16);

/// Arrays longer than 32 (no `Default` impl) and nested arrays and tuples as fields.
#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 2)]
struct Packet {
    payload: [u8; 64],
    matrix: [[u16; 3]; 40],
    span: (u32, (i8, bool)),
}

#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 1, align = 8)]
struct Single {
    id: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 64)]
struct Wide {
    flag: bool,
    id: u16,
}

/// A borrowed field: the block carries the lifetime.
#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 2)]
struct Named<'a> {
    name: &'a str,
}

/// Forwarded derives and attributes land on the block type.
#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(derive(Copy), attr(must_use))]
#[soa(lanes = 2)]
struct Forwarded {
    x: i32,
}

mod visibility {
    use lanepool::SoA;

    /// The block is `pub`; only `shared`'s accessors are.
    #[derive(Clone, Copy, lanepool::SoA)]
    pub struct Mixed {
        pub shared: u32,
        pub(crate) internal: u32,
        hidden: u32,
    }

    #[derive(Clone, Copy, SoA)]
    pub struct Tuple(pub u8, u8);

    pub fn mixed(shared: u32, internal: u32, hidden: u32) -> Mixed {
        Mixed {
            shared,
            internal,
            hidden,
        }
    }

    pub fn tuple(shared: u8, hidden: u8) -> Tuple {
        Tuple(shared, hidden)
    }

    pub fn hidden_lanes(block: &MixedLanes) -> &[u32] {
        block.hidden()
    }

    pub fn tuple_private_lanes(block: &TupleLanes) -> &[u8] {
        block._1()
    }
}

#[test]
fn generic_struct_gets_a_generic_block() {
    let mut block = PairLanes::<u64>::new();
    block.push(Pair { key: 7, count: 1 }).unwrap();
    block.push(Pair { key: 9, count: 2 }).unwrap();
    assert_eq!(block.key(), &[7, 9]);
    assert_eq!(block.count_lanes(), &[1, 2, 0, 0]);
    assert_eq!(core::mem::align_of::<PairLanes<u8>>(), 32);
    let mut chars: PairLanes<char> = PairLanes::default();
    chars.push(Pair { key: 'x', count: 0 }).unwrap();
    assert_eq!(chars.key_lanes(), &['x', '\0', '\0', '\0']);
}

#[test]
fn generic_block_in_a_pool() {
    let pool = PairLanes::<i32>::pool(2);
    let mut guard: PairGuard<'_, i32> = pool.acquire().unwrap();
    assert_eq!(guard.fill_from(&[Pair { key: -1, count: 3 }; 6]), 4);
    assert_eq!(
        guard.push(Pair { key: 0, count: 0 }),
        Err(LaneError::Full { lanes: 4 })
    );
}

#[test]
fn bounds_where_clause_and_const_generics_are_kept() {
    let mut block = BoundedLanes::<u16, 3>::new();
    block
        .push(Bounded {
            key: 4,
            digest: [1, 2, 3],
        })
        .unwrap();
    assert_eq!(block.digest(), &[[1, 2, 3]]);
    assert_eq!(
        block.get(0),
        Some(Bounded {
            key: 4,
            digest: [1, 2, 3]
        })
    );
}

#[test]
fn tuple_struct_accessors_are_named_by_index() {
    let mut block = PointLanes::new();
    block.push(Point(1.0, 2.0, -3)).unwrap();
    block.push(Point(4.0, 5.0, 6)).unwrap();
    assert_eq!(block._0(), &[1.0, 4.0]);
    assert_eq!(block._1_lanes().len(), 16);
    block._2_mut()[0] = 30;
    assert_eq!(block.get(0), Some(Point(1.0, 2.0, 30)));
    assert_eq!(core::mem::align_of::<PointLanes>(), 128);
}

#[test]
fn array_and_tuple_fields_round_trip() {
    let mut packet = Packet {
        payload: [0; 64],
        matrix: [[0; 3]; 40],
        span: (9, (-1, true)),
    };
    packet.payload[63] = 0xff;
    packet.matrix[39][2] = 7;
    let mut block = PacketLanes::new();
    block.push(packet).unwrap();
    assert_eq!(block.get(0), Some(packet));
    assert_eq!(
        block.payload_lanes()[1],
        [0; 64],
        "the inactive lane holds the default"
    );
    assert_eq!(block.span_lanes()[1], (0, (0, false)));
}

#[test]
fn single_lane_block_holds_one_row() {
    let mut block = SingleLanes::new();
    assert_eq!(block.active_mask(), 0);
    block.push(Single { id: 5 }).unwrap();
    assert!(block.is_full());
    assert_eq!(block.active_mask(), 1);
    assert_eq!(
        block.push(Single { id: 6 }),
        Err(LaneError::Full { lanes: 1 })
    );
    assert_eq!(block.id_lanes(), &[5]);
}

#[test]
fn sixty_four_lane_block_masks_every_bit() {
    let mut block = WideLanes::new();
    let rows: Vec<Wide> = (0..70)
        .map(|i| Wide {
            flag: i % 2 == 0,
            id: i,
        })
        .collect();
    assert_eq!(block.fill_from(&rows), 64);
    assert_eq!(block.active_mask(), u64::MAX);
    assert_eq!(block.id()[63], 63);
    assert_eq!(block.iter().filter(|row| row.flag).count(), 32);
    block.clear();
    block.push(rows[0]).unwrap();
    assert_eq!(block.active_mask(), 1);
}

#[test]
fn borrowed_fields_carry_the_lifetime() {
    let owned = String::from("alice");
    let mut block = NamedLanes::new();
    block.push(Named { name: &owned }).unwrap();
    assert_eq!(block.name(), &["alice"]);
    assert_eq!(block.name_lanes()[1], "");
}

#[test]
fn forwarded_derives_and_attributes_apply_to_the_block() {
    let mut a = ForwardedLanes::new();
    a.push(Forwarded { x: 1 }).unwrap();
    let b = a;
    assert!(a == b);
}

#[test]
fn debug_shows_length_and_active_rows_only() {
    let mut block = PointLanes::new();
    block.push(Point(9.0, 9.0, 9)).unwrap();
    block.clear();
    block.push(Point(1.0, 2.0, 3)).unwrap();
    assert_eq!(
        format!("{block:?}"),
        "PointLanes { len: 1, rows: [Point(1.0, 2.0, 3)] }"
    );
}

#[test]
fn accessors_keep_the_field_visibility() {
    let mut block = visibility::MixedLanes::new();
    block.push(visibility::mixed(1, 2, 3)).unwrap();
    assert_eq!(block.shared(), &[1]);
    assert_eq!(block.internal(), &[2]);
    assert_eq!(visibility::hidden_lanes(&block), &[3]);
    let mut tuple = visibility::TupleLanes::new();
    tuple.push(visibility::tuple(4, 5)).unwrap();
    assert_eq!(tuple._0(), &[4]);
    assert_eq!(visibility::tuple_private_lanes(&tuple), &[5]);
}

#[test]
fn lane_block_trait_works_generically_over_derived_blocks() {
    fn count<B: LaneBlock>(block: &B, keep: impl Fn(&B::Row) -> bool) -> usize {
        block.iter().filter(|row| keep(row)).count()
    }
    let mut block = WideLanes::new();
    block.fill_from(&[Wide { flag: true, id: 1 }, Wide { flag: false, id: 2 }]);
    assert_eq!(count(&block, |row| row.flag), 1);
    LaneBlock::set_len(&mut block, 1);
    assert_eq!(block.len(), 1);
}
