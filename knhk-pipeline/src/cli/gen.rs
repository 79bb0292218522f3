//! `knhk gen`: the synthetic dataset ([`crate::generate`]) to a file or standard output.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use crate::generate::{generate, GenerateOptions, MAX_TRIPLES};

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
/// [`CliError::TooManyTriples`] before anything is created, [`CliError::Output`] for the file, [`CliError::Write`] for `stdout` (a closed pipe is
/// [`CliError::is_broken_pipe`]).
pub fn gen(options: &GenOptions, stdout: &mut dyn Write) -> Result<(), CliError> {
    if options.generate.triples > MAX_TRIPLES {
        return Err(CliError::TooManyTriples {
            triples: options.generate.triples,
            max: MAX_TRIPLES,
        });
    }
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
