//! Fairness counted, not timed: for each acquire that waits, the grants that went to others
//! while it waited, and how many of those went to acquires that started waiting after it (it
//! was passed over). Used by `tests/async_runtime.rs` and by the workspace's
//! `benches/fair_wait.rs`, so the bound a test asserts and the figure the bench prints are
//! counted the same way.

/// Who waits, and for how many grants to others.
#[derive(Default)]
pub struct Waits {
    /// `(ticket, grants to others so far, of them to later arrivals)` per waiting acquire.
    waiting: Vec<(u64, u64, u64)>,
    next_ticket: u64,
    /// Each finished acquire's grants to others while it waited, in the order they finished.
    pub all_waits: Vec<u64>,
    /// The most grants to later arrivals one acquire saw while it waited.
    pub worst_passed_over: u64,
}

impl Waits {
    /// An acquire starts waiting; its ticket says when.
    pub fn arrive(&mut self) -> u64 {
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        self.waiting.push((ticket, 0, 0));
        ticket
    }

    /// The acquire with `ticket` got its block: every other waiter saw one more grant.
    pub fn granted(&mut self, ticket: u64) {
        let position = self.waiting.iter().position(|w| w.0 == ticket).unwrap();
        let (_, waited, passed_over) = self.waiting.swap_remove(position);
        self.all_waits.push(waited);
        self.worst_passed_over = self.worst_passed_over.max(passed_over);
        for (other, waited, passed_over) in &mut self.waiting {
            *waited += 1;
            if *other < ticket {
                *passed_over += 1;
            }
        }
    }

    /// The most grants to others one acquire saw while it waited.
    pub fn worst_wait(&self) -> u64 {
        self.all_waits.iter().copied().max().unwrap_or(0)
    }
}
