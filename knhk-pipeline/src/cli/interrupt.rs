//! Ctrl-C (SIGINT) and `kill` (SIGTERM) while a command writes its outputs: the temporary
//! files of outputs not yet in place are removed, and the process exits 130 or 143 (128 + the
//! signal), as a shell reports a process killed by it. Files already in place, and the paths
//! an output would replace, are never touched: an interrupted command is a failed one.
//!
//! Every temporary output file is registered here while it exists ([`Pending`]); a thread of
//! its own ([`exit_cleanly_on_interrupt`]) waits for the signals. Registering, renaming into
//! place and cleaning up all hold one lock, so a signal never removes a file half-way
//! through its rename, nor misses one just created.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Temporary output files that exist now.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic while the lock was held leaves the list as it was: still right to use.
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A temporary file that an interruption removes; dropping it forgets the file (whose owner
/// removes or renames it).
#[derive(Debug)]
pub(crate) struct Pending {
    path: PathBuf,
}

impl Pending {
    /// Creates a temporary file with `create` and registers it (`path_of` says where it is),
    /// both under the lock, so an interruption sees it as soon as it exists.
    pub(crate) fn create<T>(
        create: impl FnOnce() -> io::Result<T>,
        path_of: impl FnOnce(&T) -> &Path,
    ) -> io::Result<(T, Pending)> {
        let mut list = pending();
        let file = create()?;
        let path = path_of(&file).to_owned();
        list.push(path.clone());
        Ok((file, Pending { path }))
    }

    /// Runs `rename`, which moves the file into place, where no interruption can come
    /// between, then forgets the file.
    pub(crate) fn commit<T>(self, rename: impl FnOnce() -> T) -> T {
        let mut list = pending();
        let result = rename();
        forget(&mut list, &self.path);
        result
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        forget(&mut pending(), &self.path);
    }
}

fn forget(list: &mut Vec<PathBuf>, path: &Path) {
    if let Some(at) = list.iter().rposition(|p| p == path) {
        list.swap_remove(at);
    }
}

/// Starts the thread that, on SIGINT or SIGTERM, removes every temporary output file and exits
/// with 128 + the signal. Called once, by `main`; elsewhere than on Unix it does nothing.
///
/// # Errors
///
/// The signal handlers could not be installed or the thread not started.
pub fn exit_cleanly_on_interrupt() -> io::Result<()> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
        std::thread::Builder::new()
            .name("knhk-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Held until the process ends: no rename can start after this.
                    let list = pending();
                    for path in list.iter() {
                        let _ = std::fs::remove_file(path);
                    }
                    std::process::exit(128 + signal);
                }
            })?;
    }
    Ok(())
}
