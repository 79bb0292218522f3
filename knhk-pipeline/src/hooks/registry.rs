//! Registered hooks, found by predicate.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::error::HookError;
use crate::ops::{Args, OpKind};

/// A registered hook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hook {
    /// Its name, unique in the registry; safe to write into JSON unescaped.
    pub name: String,
    /// The predicate id whose runs it evaluates.
    pub predicate: u64,
    /// Its op: the row of [`crate::ops::OPS`] that says what it computes.
    pub kind: OpKind,
    /// Its constants, encoded.
    pub args: Args,
}

impl Hook {
    /// Whether the hook fires on the whole-run result `result`.
    pub fn fires(&self, result: u64) -> bool {
        self.kind.spec().fires.fires(result, self.args.k)
    }
}

/// The longest hook name, in bytes: a receipt's leaf hash writes a name's length in one
/// byte, so a longer name could be edited past this many bytes unseen.
pub const MAX_HOOK_NAME_BYTES: usize = 255;

/// Hooks by predicate: the reflex stage looks up a run's predicate id and evaluates each hook.
#[derive(Default)]
pub struct HookRegistry {
    hooks: Vec<Hook>,
    by_predicate: HashMap<u64, Vec<u32>>,
    /// Every name registered, so a duplicate is found in constant time.
    names: HashSet<String>,
}

impl fmt::Debug for HookRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HookRegistry")
            .field("hooks", &self.hooks)
            .finish_non_exhaustive()
    }
}

impl HookRegistry {
    /// Every hook, in registration order (a receipt's `hook` field indexes this).
    pub fn hooks(&self) -> &[Hook] {
        &self.hooks
    }

    /// The hook with index `index`.
    pub fn get(&self, index: u32) -> Option<&Hook> {
        self.hooks.get(index as usize)
    }

    /// Indices of the hooks bound to `predicate` (empty if none).
    #[inline]
    pub fn for_predicate(&self, predicate: u64) -> &[u32] {
        self.by_predicate.get(&predicate).map_or(&[], Vec::as_slice)
    }

    /// Number of hooks.
    pub fn len(&self) -> usize {
        self.hooks.len()
    }

    /// Whether no hook is registered.
    pub fn is_empty(&self) -> bool {
        self.hooks.is_empty()
    }

    /// Registers an already-encoded hook.
    ///
    /// # Errors
    ///
    /// [`HookError::InvalidName`], [`HookError::NameTooLong`] or [`HookError::DuplicateName`].
    pub fn register(&mut self, hook: Hook) -> Result<u32, HookError> {
        let valid = !hook.name.is_empty()
            && hook
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
        if !valid {
            return Err(HookError::InvalidName { hook: hook.name });
        }
        if hook.name.len() > MAX_HOOK_NAME_BYTES {
            let bytes = hook.name.len();
            return Err(HookError::NameTooLong {
                hook: hook.name,
                bytes,
            });
        }
        if self.names.contains(&hook.name) {
            return Err(HookError::DuplicateName { hook: hook.name });
        }
        self.names.insert(hook.name.clone());
        let index = u32::try_from(self.hooks.len()).expect("fewer than 2^32 hooks");
        self.by_predicate
            .entry(hook.predicate)
            .or_default()
            .push(index);
        self.hooks.push(hook);
        Ok(index)
    }
}
