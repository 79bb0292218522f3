//! The queue of waiting acquires: an intrusive FIFO list whose nodes live in the waiters
//! themselves (on a blocked thread's stack, inside a pinned future), so waiting allocates
//! nothing, behind one small lock that only waiting and hand-offs take.
//!
//! A node is linked while its waiter waits. A release that finds waiters unlinks the first
//! node, writes the slot it hands over into it and wakes its waiter; the waiter finds the slot
//! in its node. Every field of a node is read and written only with the queue's lock held, and a
//! waiter unlinks its node (under the lock) before the node's memory goes away, so a linked
//! node is always alive: these two rules are what every `unsafe` block here relies on.

use core::cell::UnsafeCell;
use core::marker::PhantomPinned;
use core::ptr::NonNull;
use core::task::Waker;

use crate::primitives::{Mutex, MutexGuard, Thread};

/// The waiting acquires of one pool, oldest first.
pub(super) struct Waiters {
    queue: Mutex<Queue>,
}

/// The list itself; reached only through the lock of [`Waiters`].
pub(super) struct Queue {
    first: Option<NonNull<Waiter>>,
    last: Option<NonNull<Waiter>>,
}

// SAFETY: the queue holds pointers to nodes whose fields are touched only with the lock held
// (the module's rule), and a node's contents (`Waker`, `Thread`, numbers) may move between
// threads: moving the queue into the lock of a shared pool is sound.
unsafe impl Send for Queue {}

/// How a waiter wants to be woken: a blocked thread is unparked, a future's task woken.
pub(super) enum Wakeup {
    Thread(Thread),
    Task(Waker),
}

impl Wakeup {
    pub(super) fn wake(self) {
        match self {
            Wakeup::Thread(thread) => thread.unpark(),
            Wakeup::Task(waker) => waker.wake(),
        }
    }
}

/// One waiter's node. Pinned while linked: the queue points at it.
pub(super) struct Waiter {
    links: UnsafeCell<Links>,
    _pinned: PhantomPinned,
}

// SAFETY: a node's fields are read and written only with its queue's lock held (the module's
// rule), and what it holds (`Waker`, `Thread`, a slot index) is `Send + Sync`: sharing or
// moving a node between threads is sound.
unsafe impl Send for Waiter {}
// SAFETY: as for `Send`.
unsafe impl Sync for Waiter {}

struct Links {
    previous: Option<NonNull<Waiter>>,
    next: Option<NonNull<Waiter>>,
    linked: bool,
    /// The slot a release handed over; set when the node is unlinked for it.
    handed: Option<u32>,
    wakeup: Option<Wakeup>,
}

impl Waiter {
    pub(super) const fn new() -> Self {
        Waiter {
            links: UnsafeCell::new(Links {
                previous: None,
                next: None,
                linked: false,
                handed: None,
                wakeup: None,
            }),
            _pinned: PhantomPinned,
        }
    }
}

impl Waiters {
    pub(super) fn new() -> Self {
        Waiters {
            queue: Mutex::new(Queue {
                first: None,
                last: None,
            }),
        }
    }

    /// Locks the queue. Nothing panics with the lock held, but a poisoned lock (a waker's
    /// `wake` or `clone` that panicked) still guards a consistent list.
    pub(super) fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The links of `node`.
///
/// # Safety
///
/// `node` is alive (a linked node always is), the caller holds the lock of its queue, and
/// holds no other reference to these links while it uses this one.
unsafe fn links_of<'n>(node: NonNull<Waiter>) -> &'n mut Links {
    // SAFETY: the caller's contract: alive, and the lock makes this access exclusive.
    unsafe { &mut *(*node.as_ptr()).links.get() }
}

impl Queue {
    pub(super) fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    /// Appends `node` to the queue, to be woken by `wakeup`.
    ///
    /// # Safety
    ///
    /// `node` is not linked, and stays where it is and alive until it is unlinked again (by
    /// [`remove`](Self::remove) or a hand-over), which its owner makes sure of before it drops.
    pub(super) unsafe fn push_back(&mut self, node: &Waiter, wakeup: Wakeup) {
        let pointer = NonNull::from(node);
        // SAFETY: `node` is alive (a reference), and we hold the lock.
        let links = unsafe { links_of(pointer) };
        debug_assert!(!links.linked);
        *links = Links {
            previous: self.last,
            next: None,
            linked: true,
            handed: None,
            wakeup: Some(wakeup),
        };
        match self.last {
            // SAFETY: `last` is linked, so alive; we hold the lock.
            Some(last) => unsafe { links_of(last) }.next = Some(pointer),
            None => self.first = Some(pointer),
        }
        self.last = Some(pointer);
    }

    /// Unlinks the first waiter, hands it slot `index`, and answers how to wake it; gives
    /// `index` back if nobody waits.
    pub(super) fn hand_to_first(&mut self, index: u32) -> Result<Option<Wakeup>, u32> {
        let Some(first) = self.first else {
            return Err(index);
        };
        // SAFETY: `first` is linked, so alive; we hold the lock.
        let links = unsafe { links_of(first) };
        self.first = links.next.take();
        match self.first {
            // SAFETY: as above, for the new first node.
            Some(next) => unsafe { links_of(next) }.previous = None,
            None => self.last = None,
        }
        links.linked = false;
        links.handed = Some(index);
        Ok(links.wakeup.take())
    }

    /// Takes `node` out of the queue: `Ok` if it was still waiting, `Err` with the slot a
    /// release handed it if it was not (`Err(None)` if it never joined or took its slot).
    ///
    /// # Safety
    ///
    /// `node` belongs to this queue's pool (it was pushed here, or never pushed anywhere).
    pub(super) unsafe fn remove(&mut self, node: &Waiter) -> Result<(), Option<u32>> {
        let pointer = NonNull::from(node);
        // SAFETY: `node` is alive (a reference), and we hold the lock of its queue.
        let links = unsafe { links_of(pointer) };
        if !links.linked {
            return Err(links.handed.take());
        }
        let (previous, next) = (links.previous.take(), links.next.take());
        links.linked = false;
        links.wakeup = None;
        match previous {
            // SAFETY: a linked node's neighbours are linked, so alive; we hold the lock.
            Some(previous) => unsafe { links_of(previous) }.next = next,
            None => self.first = next,
        }
        match next {
            // SAFETY: as above.
            Some(next) => unsafe { links_of(next) }.previous = previous,
            None => self.last = previous,
        }
        Ok(())
    }

    /// Whether `node` still waits; if it does, replaces its task's waker when the task is
    /// polled with another one. Otherwise takes the slot handed to it.
    ///
    /// # Safety
    ///
    /// As for [`remove`](Self::remove).
    pub(super) unsafe fn poll_handed(&mut self, node: &Waiter, waker: &Waker) -> Option<u32> {
        // SAFETY: `node` is alive (a reference), and we hold the lock of its queue.
        let links = unsafe { links_of(NonNull::from(node)) };
        if !links.linked {
            return links.handed.take();
        }
        match &mut links.wakeup {
            Some(Wakeup::Task(current)) if current.will_wake(waker) => {}
            wakeup => *wakeup = Some(Wakeup::Task(waker.clone())),
        }
        None
    }

    /// The slot handed to `node`, if a release unlinked it for one.
    ///
    /// # Safety
    ///
    /// As for [`remove`](Self::remove).
    pub(super) unsafe fn take_handed(&mut self, node: &Waiter) -> Option<u32> {
        // SAFETY: `node` is alive (a reference), and we hold the lock of its queue.
        unsafe { links_of(NonNull::from(node)) }.handed.take()
    }
}
