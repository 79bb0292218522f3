//! The contract both pools keep whatever their threading, as tests: each pool's test file
//! instantiates them with a function that builds a pool of [`Numbered`](super::Numbered)
//! values of a given capacity, so `Pool` and `SyncPool` are held to the same words.

/// Expands to the shared tests; `$numbered_pool` builds a pool of the given capacity.
#[allow(unused_macros)] // Not every test file instantiates it.
macro_rules! single_thread_contract {
    ($numbered_pool:path) => {
        #[test]
        fn returned_slot_is_handed_out_next() {
            let pool = $numbered_pool(4);
            let a = pool.acquire().unwrap();
            let b = pool.acquire().unwrap();
            let (a_id, b_id) = (a.id, b.id);
            drop(a);
            drop(b);
            // b went back last, so it comes out first; then a.
            assert_eq!(pool.acquire().unwrap().id, b_id);
            let first = pool.acquire().unwrap();
            let second = pool.acquire().unwrap();
            assert_eq!((first.id, second.id), (b_id, a_id));
        }

        #[test]
        fn fresh_pool_hands_out_slots_in_construction_order() {
            let pool = $numbered_pool(3);
            let guards: Vec<_> = (0..3).map(|_| pool.acquire().unwrap()).collect();
            assert_eq!(guards.iter().map(|g| g.id).collect::<Vec<_>>(), [0, 1, 2]);
        }

        #[test]
        fn value_is_reset_when_its_guard_drops() {
            let pool = $numbered_pool(1);
            let mut guard = pool.acquire().unwrap();
            guard.dirty = true;
            drop(guard);
            assert!(!pool.acquire().unwrap().dirty);
        }

        #[test]
        fn every_capacity_hands_out_exactly_its_slots_then_refuses() {
            // A large pool; smaller under Miri, which interprets every instruction.
            const LARGE: usize = if cfg!(miri) { 1_000 } else { 100_000 };
            for capacity in [1, 2, 63, 64, 65, LARGE] {
                let pool = $numbered_pool(capacity);
                let guards: Vec<_> = (0..capacity).map(|_| pool.acquire().unwrap()).collect();
                let mut ids: Vec<_> = guards.iter().map(|g| g.id).collect();
                ids.sort_unstable();
                ids.dedup();
                assert_eq!(
                    ids.len(),
                    capacity,
                    "capacity {capacity}: every slot is distinct"
                );
                assert_eq!(
                    pool.acquire().unwrap_err(),
                    pool_core::PoolError::Exhausted { capacity }
                );
                assert_eq!(pool.usage().in_use, capacity);
                drop(guards);
                assert_eq!(pool.usage().in_use, 0);
                assert_eq!(pool.available(), capacity);
            }
        }

        #[test]
        fn capacity_zero_is_an_empty_pool_that_always_refuses() {
            let pool = $numbered_pool(0);
            assert_eq!(pool.capacity(), 0);
            for _ in 0..3 {
                assert_eq!(
                    pool.acquire().unwrap_err(),
                    pool_core::PoolError::Exhausted { capacity: 0 }
                );
            }
            assert_eq!(pool.usage().times_exhausted, 3);
        }

        #[test]
        fn exhausted_pool_recovers_when_a_guard_drops() {
            let pool = $numbered_pool(2);
            let a = pool.acquire().unwrap();
            let _b = pool.acquire().unwrap();
            let a_id = a.id;
            assert!(matches!(
                pool.acquire(),
                Err(pool_core::PoolError::Exhausted { capacity: 2 })
            ));
            drop(a);
            assert_eq!(pool.acquire().unwrap().id, a_id);
        }

        #[test]
        fn usage_tracks_in_use_high_water_acquires_and_refusals() {
            let pool = $numbered_pool(3);
            {
                let _a = pool.acquire().unwrap();
                let _b = pool.acquire().unwrap();
                let usage = pool.usage();
                assert_eq!((usage.in_use, usage.capacity, usage.available()), (2, 3, 1));
            }
            let _c = pool.acquire().unwrap();
            let _d = pool.acquire().unwrap();
            let _e = pool.acquire().unwrap();
            let _ = pool.acquire();
            let usage = pool.usage();
            assert_eq!(usage.in_use, 3);
            assert_eq!(usage.high_water_mark, 3);
            assert_eq!(usage.total_acquires, 5);
            assert_eq!(usage.times_exhausted, 1);
        }

        #[test]
        fn high_water_mark_keeps_the_peak_after_guards_return() {
            let pool = $numbered_pool(8);
            let guards: Vec<_> = (0..5).map(|_| pool.acquire().unwrap()).collect();
            drop(guards);
            let _one = pool.acquire().unwrap();
            assert_eq!(pool.usage().high_water_mark, 5);
            assert_eq!(pool.usage().in_use, 1);
        }

        #[test]
        fn acquire_for_refuses_runs_longer_than_the_lane_count() {
            // `Numbered` has 8 lanes.
            let pool = $numbered_pool(1);
            assert!(pool.acquire_for(0).is_ok());
            assert!(pool.acquire_for(8).is_ok());
            assert_eq!(
                pool.acquire_for(9).unwrap_err(),
                pool_core::PoolError::InvalidSize {
                    requested: 9,
                    max: 8
                }
            );
            // A refused size neither takes a slot nor counts as exhaustion.
            let usage = pool.usage();
            assert_eq!(
                (usage.in_use, usage.total_acquires, usage.times_exhausted),
                (0, 2, 0)
            );
        }

        #[test]
        fn acquire_for_reports_exhaustion_after_the_size_check() {
            let pool = $numbered_pool(1);
            let _held = pool.acquire_for(8).unwrap();
            assert_eq!(
                pool.acquire_for(8).unwrap_err(),
                pool_core::PoolError::Exhausted { capacity: 1 }
            );
            assert!(matches!(
                pool.acquire_for(9),
                Err(pool_core::PoolError::InvalidSize { .. })
            ));
        }

        #[test]
        fn forgotten_guard_keeps_its_slot_counted_as_in_use() {
            let pool = $numbered_pool(2);
            std::mem::forget(pool.acquire().unwrap());
            assert_eq!(pool.usage().in_use, 1);
            let a = pool.acquire().unwrap();
            assert_eq!(
                pool.acquire().unwrap_err(),
                pool_core::PoolError::Exhausted { capacity: 2 }
            );
            drop(a);
            assert_eq!(pool.usage().in_use, 1);
        }
    };
}
pub(crate) use single_thread_contract;
