//! Output files that never destroy anything.
//!
//! Two promises, kept before and after a run:
//! - **Nothing is clobbered by mistake.** [`check_paths`] refuses an output that is one of the
//!   inputs (standard input included), or two outputs that are the same file. Paths are compared by what they point to
//!   (canonical path, and device and inode for files that exist), not by how they are spelled,
//!   so `x.nt`, `./x.nt`, a symbolic link and a hard link to it are one file. Special files
//!   (`/dev/null`, pipes) are exempt: they hold nothing to lose.
//! - **A failed run leaves earlier files as they were.** An [`AtomicFile`] writes to a
//!   temporary file in the same directory as its path and renames it into place only in
//!   [`AtomicFile::commit`]; dropped without a commit (an error, a panic), it deletes the
//!   temporary file and the path keeps its old contents. Interrupted (Ctrl-C, `kill`), the
//!   process removes it too (see `interrupt.rs`).

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use same_file::Handle;

use super::interrupt::Pending;
use tempfile::NamedTempFile;

/// Why an output could not be prepared or committed.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// An output path names one of the inputs.
    #[error("{output} {} is the same file as {input} {}: refusing to overwrite an input; choose another path", output_path.display(), input_path.display())]
    IsInput {
        /// The output's role, e.g. `--receipts`.
        output: &'static str,
        /// The output path as given.
        output_path: PathBuf,
        /// The input's role, e.g. `input` or `--hooks`.
        input: &'static str,
        /// The input path as given.
        input_path: PathBuf,
    },
    /// Two outputs name the same file.
    #[error("{first} {} and {second} {} are the same file: one would overwrite the other; give them different paths", first_path.display(), second_path.display())]
    SameFile {
        /// The first output's role.
        first: &'static str,
        /// Its path as given.
        first_path: PathBuf,
        /// The second output's role.
        second: &'static str,
        /// Its path as given.
        second_path: PathBuf,
    },
    /// An output path names a directory.
    #[error("{output} {}: is a directory", path.display())]
    IsDirectory {
        /// The output's role.
        output: &'static str,
        /// The path.
        path: PathBuf,
    },
    /// The temporary file beside the output could not be created.
    #[error("{}: cannot create: {error}", path.display())]
    Create {
        /// The output path.
        path: PathBuf,
        /// The underlying error.
        #[source]
        error: io::Error,
    },
    /// Writing, flushing or renaming the finished output failed.
    #[error("{}: cannot write: {error}", path.display())]
    Commit {
        /// The output path.
        path: PathBuf,
        /// The underlying error.
        #[source]
        error: io::Error,
    },
}

/// What a path points to, for comparing paths by identity rather than spelling.
struct FileIdentity {
    /// The canonical path (of the parent, joined with the name, when the file does not exist).
    canonical: Option<PathBuf>,
    /// Device and inode (or the platform's equivalent) of an existing file.
    handle: Option<Handle>,
}

impl FileIdentity {
    /// The identity of an output path. Only a regular file is opened (read-only) for its
    /// device and inode: opening a named pipe would wait for a writer, and special files are
    /// never compared.
    fn of_output(path: &Path) -> Self {
        let handle = fs::metadata(path)
            .is_ok_and(|m| m.is_file())
            .then(|| Handle::from_path(path).ok())
            .flatten();
        Self {
            canonical: canonical(path),
            handle,
        }
    }

    fn is_same_as(&self, other: &FileIdentity) -> bool {
        let same_path = matches!((&self.canonical, &other.canonical), (Some(a), Some(b)) if a == b);
        let same_file = matches!((&self.handle, &other.handle), (Some(a), Some(b)) if a == b);
        same_path || same_file
    }
}

/// The canonical path, or for a missing file its canonical parent joined with its name.
fn canonical(path: &Path) -> Option<PathBuf> {
    fs::canonicalize(path).ok().or_else(|| {
        let name = path.file_name()?;
        let parent = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        Some(fs::canonicalize(parent).ok()?.join(name))
    })
}

/// An input already opened, as [`check_paths`] compares it with the outputs: its role, its
/// name, and the device and inode of what was opened (taken from the open file, so the path
/// is not opened a second time: a named pipe has one writer to lose).
pub struct InputIdentity {
    role: &'static str,
    name: PathBuf,
    identity: FileIdentity,
}

impl InputIdentity {
    /// The identity of `file`, opened from `path` for the role `role` (`input`, `--hooks`).
    pub fn of_file(role: &'static str, path: &Path, file: &fs::File) -> Self {
        Self {
            role,
            name: path.to_owned(),
            identity: FileIdentity {
                canonical: fs::canonicalize(path).ok(),
                handle: file
                    .try_clone()
                    .ok()
                    .and_then(|f| Handle::from_file(f).ok()),
            },
        }
    }

    /// Standard input (file descriptor 0), read as the input `<stdin>`: whatever file the
    /// shell opened there (`< in.nt`) is an input too.
    pub fn stdin() -> Self {
        Self {
            role: "input",
            name: PathBuf::from("<stdin>"),
            identity: FileIdentity {
                canonical: None,
                handle: Handle::stdin().ok(),
            },
        }
    }
}

/// Checks, before anything is opened for writing, that no output is an input or a directory
/// and that no two outputs are the same file. Each output is `(role, path)`; the roles name
/// the paths in the error (`--receipts`, `--actions`...).
///
/// # Errors
///
/// The first conflict found, as an [`OutputError`].
pub fn check_paths(
    inputs: &[InputIdentity],
    outputs: &[(&'static str, &Path)],
) -> Result<(), OutputError> {
    let output_ids: Vec<_> = outputs
        .iter()
        .map(|&(_, path)| FileIdentity::of_output(path))
        .collect();
    for (i, &(output, output_path)) in outputs.iter().enumerate() {
        // `/dev/null`, a pipe, a terminal: written in place, nothing there to destroy.
        if fs::metadata(output_path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            continue;
        }
        if output_path.is_dir() {
            return Err(OutputError::IsDirectory {
                output,
                path: output_path.to_owned(),
            });
        }
        for input in inputs {
            if output_ids[i].is_same_as(&input.identity) {
                return Err(OutputError::IsInput {
                    output,
                    output_path: output_path.to_owned(),
                    input: input.role,
                    input_path: input.name.clone(),
                });
            }
        }
        for (j, &(first, first_path)) in outputs[..i].iter().enumerate() {
            if output_ids[i].is_same_as(&output_ids[j]) {
                return Err(OutputError::SameFile {
                    first,
                    first_path: first_path.to_owned(),
                    second: output,
                    second_path: output_path.to_owned(),
                });
            }
        }
    }
    Ok(())
}

/// A buffered output file that appears at its path only when committed; see the
/// [module docs](self).
///
/// A path that names something other than a regular file (`/dev/null`, `/dev/stdout`, a named
/// pipe) cannot be replaced by a rename and has no old contents to keep: it is written
/// directly. A symbolic link is followed: the file it points to is replaced, not the link.
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    writer: BufWriter<Target>,
    /// The temporary file, registered for removal if the process is interrupted.
    pending: Option<Pending>,
}

#[derive(Debug)]
enum Target {
    Temporary(NamedTempFile),
    Direct(fs::File),
}

impl Write for Target {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Target::Temporary(file) => file.write(buf),
            Target::Direct(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Target::Temporary(file) => file.flush(),
            Target::Direct(file) => file.flush(),
        }
    }
}

/// The OS's error without tempfile's note of the temporary path, which the user never named.
fn plain(error: io::Error) -> io::Error {
    match error.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => error,
    }
}

impl AtomicFile {
    /// Creates the temporary file in the directory of `path` (of the file it links to, for a
    /// symbolic link), so the final rename stays on one file system. `path` itself is not
    /// touched (except a special file, which is opened for writing).
    ///
    /// # Errors
    ///
    /// [`OutputError::Create`].
    pub fn create(path: &Path) -> Result<Self, OutputError> {
        let create_error = |error| OutputError::Create {
            path: path.to_owned(),
            error: plain(error),
        };
        if let Ok(metadata) = fs::metadata(path) {
            if !metadata.is_file() && !metadata.is_dir() {
                let file = fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(create_error)?;
                return Ok(Self {
                    path: path.to_owned(),
                    writer: BufWriter::with_capacity(64 << 10, Target::Direct(file)),
                    pending: None,
                });
            }
        }
        let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        let target = match is_link {
            // A dangling link is replaced like a missing file.
            true => fs::canonicalize(path).unwrap_or_else(|_| path.to_owned()),
            false => path.to_owned(),
        };
        let dir = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // The default for a new file (0666 less the umask), not tempfile's private 0600: the
        // renamed output should look like any file the user creates.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let (temp, pending) = Pending::create(|| builder.tempfile_in(dir), NamedTempFile::path)
            .map_err(create_error)?;
        Ok(Self {
            path: target,
            writer: BufWriter::with_capacity(64 << 10, Target::Temporary(temp)),
            pending: Some(pending),
        })
    }

    /// The path written (a symbolic link's target).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the temporary file over the path, keeping the permissions
    /// of a file it replaces.
    ///
    /// # Errors
    ///
    /// [`OutputError::Commit`]; the temporary file is then removed and the path untouched.
    pub fn commit(self) -> Result<(), OutputError> {
        let AtomicFile {
            path,
            writer,
            pending,
        } = self;
        let commit_error = |error| OutputError::Commit {
            path: path.clone(),
            error: plain(error),
        };
        let target = writer
            .into_inner()
            .map_err(|e| commit_error(e.into_error()))?;
        match target {
            Target::Direct(mut file) => file.flush().map_err(commit_error),
            Target::Temporary(temp) => {
                if let Ok(existing) = fs::metadata(&path) {
                    temp.as_file()
                        .set_permissions(existing.permissions())
                        .map_err(commit_error)?;
                }
                temp.as_file().sync_all().map_err(commit_error)?;
                let persist = || temp.persist(&path);
                match pending {
                    Some(pending) => pending.commit(persist),
                    None => persist(),
                }
                .map_err(|e| commit_error(e.error))?;
                Ok(())
            }
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}
