//! Property-style test: random sequences of operations on a derived block, checked after every
//! step against a `Vec<Row>` reference model with the same capacity.

use lanepool::{LaneError, SoA};

#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 8)]
struct Row {
    s: u64,
    p: u32,
    tag: [u8; 3],
}

#[path = "common/rng.rs"]
mod rng;

use rng::Rng;

/// A random row with few distinct values, so equal rows and repeated keys are common.
fn random_row(rng: &mut Rng) -> Row {
    Row {
        s: rng.below(4),
        p: rng.below(3) as u32,
        tag: [rng.below(2) as u8; 3],
    }
}

fn assert_matches_model(block: &RowLanes, model: &[Row]) {
    assert_eq!(block.len(), model.len());
    assert_eq!(block.is_empty(), model.is_empty());
    assert_eq!(block.is_full(), model.len() == 8);
    assert_eq!(block.iter().collect::<Vec<_>>(), model);
    assert_eq!(block.iter().len(), model.len());
    assert_eq!(block.s(), model.iter().map(|row| row.s).collect::<Vec<_>>());
    assert_eq!(block.p(), model.iter().map(|row| row.p).collect::<Vec<_>>());
    assert_eq!(
        block.tag(),
        model.iter().map(|row| row.tag).collect::<Vec<_>>()
    );
    assert_eq!(block.active_mask(), (1u64 << model.len()) - 1);
    for (index, row) in model.iter().enumerate() {
        assert_eq!(block.get(index), Some(*row));
        assert_eq!(block.s_lanes()[index], row.s);
    }
    assert_eq!(block.get(model.len()), None);
}

#[test]
fn random_operation_sequences_match_a_vec_model() {
    let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
    for _case in 0..500 {
        let mut block = RowLanes::new();
        let mut model: Vec<Row> = Vec::new();
        for _step in 0..40 {
            match rng.below(6) {
                0 | 1 => {
                    let row = random_row(&mut rng);
                    let result = block.push(row);
                    if model.len() < 8 {
                        assert_eq!(result, Ok(()));
                        model.push(row);
                    } else {
                        assert_eq!(result, Err(LaneError::Full { lanes: 8 }));
                    }
                }
                2 => {
                    let index = rng.below(10) as usize;
                    let row = random_row(&mut rng);
                    let result = block.set(index, row);
                    if index < model.len() {
                        assert_eq!(result, Ok(()));
                        model[index] = row;
                    } else {
                        assert_eq!(
                            result,
                            Err(LaneError::OutOfBounds {
                                index,
                                len: model.len()
                            })
                        );
                    }
                }
                3 => {
                    let rows: Vec<Row> = (0..rng.below(12)).map(|_| random_row(&mut rng)).collect();
                    let taken = block.fill_from(&rows);
                    let expected = rows.len().min(8 - model.len());
                    assert_eq!(taken, expected);
                    model.extend_from_slice(&rows[..expected]);
                }
                4 => {
                    // Writes through the field accessors edit the model's column.
                    if let Some(index) =
                        (!model.is_empty()).then(|| rng.below(model.len() as u64) as usize)
                    {
                        let value = rng.next();
                        block.s_mut()[index] = value;
                        model[index].s = value;
                    }
                    // A write to an inactive lane changes nothing observable.
                    let lane = model.len();
                    if lane < 8 {
                        block.p_lanes_mut()[lane] = 77;
                    }
                }
                _ => {
                    if rng.below(4) == 0 {
                        block.clear();
                        model.clear();
                    }
                }
            }
            assert_matches_model(&block, &model);
        }
    }
}
