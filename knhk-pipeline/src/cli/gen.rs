//! `knhk gen`: the synthetic dataset ([`crate::generate`]) to a file or standard output.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use crate::generate::{generate, GenerateOptions};

use super::error::CliError;
use super::output::{AtomicFile, OutputError};

/// Options of `knhk gen`.
#[derive(Clone, Debug)]
pub struct GenOptions {
    /// The dataset.
    pub generate: GenerateOptions,
    /// Write here (atomically) instead of `stdout`.
    pub output: Option<PathBuf>,
}

/// `knhk gen`: writes the synthetic dataset to the output file or `stdout`.
///
/// # Errors
///
/// [`CliError::Output`] for the file, [`CliError::Write`] for `stdout` (a closed pipe is
/// [`CliError::is_broken_pipe`]).
pub fn gen(options: &GenOptions, stdout: &mut dyn Write) -> Result<(), CliError> {
    match &options.output {
        Some(path) => {
            let mut file = AtomicFile::create(path)?;
            generate(&options.generate, &mut file).map_err(|error| OutputError::Commit {
                path: path.clone(),
                error,
            })?;
            file.commit()?;
        }
        None => {
            let mut out = BufWriter::with_capacity(64 << 10, stdout);
            generate(&options.generate, &mut out)
                .and_then(|_| out.flush())
                .map_err(|error| CliError::Write {
                    what: "the dataset",
                    error,
                })?;
        }
    }
    Ok(())
}
