//! The 8-lane keyed BLAKE3 is `blake3::keyed_hash`, bit for bit: any batch size (fewer than
//! eight lanes, or many groups of eight), mixed lengths up to a chunk and a key per input.

use knhk_pipeline::provenance::batch_hash::{keyed_hash_many, KeyedInput, LANES, MAX_INPUT};
use proptest::prelude::*;

fn check(batch: &[([u8; 32], Vec<u8>)]) {
    let inputs: Vec<KeyedInput> = batch
        .iter()
        .map(|(key, input)| KeyedInput { key, input })
        .collect();
    // One spare output: it must stay untouched.
    let mut out = vec![[0xA5; 32]; batch.len() + 1];
    keyed_hash_many(&inputs, &mut out);
    for (index, ((key, input), hash)) in batch.iter().zip(&out).enumerate() {
        assert_eq!(
            *hash,
            *blake3::keyed_hash(key, input).as_bytes(),
            "input {index} of {}, {} bytes",
            batch.len(),
            input.len()
        );
    }
    assert_eq!(out[batch.len()], [0xA5; 32], "a spare output was written");
}

/// Lengths that cross every block boundary of a chunk more often than uniform lengths do.
fn length() -> impl Strategy<Value = usize> {
    prop_oneof![
        0..=MAX_INPUT,
        (0..=16usize).prop_flat_map(|blocks| {
            let edge = blocks * 64;
            edge.saturating_sub(1)..=(edge + 1).min(MAX_INPUT)
        }),
    ]
}

fn keyed_input() -> impl Strategy<Value = ([u8; 32], Vec<u8>)> {
    (
        any::<[u8; 32]>(),
        length().prop_flat_map(|len| proptest::collection::vec(any::<u8>(), len)),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mixed_lengths_and_keys_in_one_batch(
        batch in proptest::collection::vec(keyed_input(), 0..=3 * LANES),
    ) {
        check(&batch);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn one_key_shared_by_every_input(
        key in any::<[u8; 32]>(),
        lengths in proptest::collection::vec(length(), 0..=2 * LANES),
    ) {
        let data: Vec<Vec<u8>> = lengths.iter().map(|&len| vec![len as u8; len]).collect();
        let inputs: Vec<KeyedInput> =
            data.iter().map(|input| KeyedInput { key: &key, input }).collect();
        let mut out = vec![[0; 32]; inputs.len()];
        keyed_hash_many(&inputs, &mut out);
        for (input, hash) in data.iter().zip(&out) {
            prop_assert_eq!(*hash, *blake3::keyed_hash(&key, input).as_bytes());
        }
    }
}

#[test]
fn every_length_of_a_chunk_in_every_lane_with_its_own_key() {
    let data: Vec<u8> = (0..MAX_INPUT).map(|i| (i * 131 % 251) as u8).collect();
    for len in 0..=MAX_INPUT {
        // Eight lanes of lengths `len`, `len - 1`, ... (wrapping into the chunk), eight keys.
        let batch: Vec<([u8; 32], Vec<u8>)> = (0..LANES)
            .map(|lane| {
                let lane_len = (len + MAX_INPUT + 1 - lane * 61) % (MAX_INPUT + 1);
                ([lane as u8 ^ len as u8; 32], data[..lane_len].to_vec())
            })
            .collect();
        check(&batch);
    }
}

#[test]
fn fewer_than_eight_inputs() {
    for count in 0..LANES {
        let batch: Vec<([u8; 32], Vec<u8>)> = (0..count)
            .map(|i| ([i as u8; 32], vec![i as u8; 50 * i]))
            .collect();
        check(&batch);
    }
}

#[test]
#[should_panic(expected = "one chunk")]
fn an_input_longer_than_a_chunk_is_refused() {
    let long = vec![0; MAX_INPUT + 1];
    let mut out = [[0; 32]; 1];
    keyed_hash_many(
        &[KeyedInput {
            key: &[0; 32],
            input: &long,
        }],
        &mut out,
    );
}
