//! What the `knhk` commands do. `main.rs` only parses arguments (clap) and prints errors;
//! each subcommand is one function taking its options, so a new subcommand is a new options
//! struct and function, and everything is testable as a library. This module exists for the
//! `knhk` binary (a separate crate target, which can reach only public items): it is public
//! but hidden from the docs, and not part of the library's API.
//!
//! Files, in the order a command runs:
//! - `run.rs`: `knhk run`: [`RunOptions`] in, the pipeline over the input, [`RunReport`] out.
//! - `gen.rs`: `knhk gen`: the synthetic dataset.
//! - `hooks.rs`: `knhk hooks`: each hook as the op and constants it runs as.
//! - `provenance.rs`: `knhk verify` and `knhk prove`.
//! - `input.rs`: the RDF input and the hook file, each opened once, the same way for every
//!   command.
//! - `interrupt.rs`: Ctrl-C and `kill` remove the temporary output files.
//! - `output.rs`: output files that refuse to overwrite an input and appear only on success.
//! - `error.rs`: [`CliError`], what any command can fail with.

// `CliError` carries the provenance errors by value (about 150 bytes) rather than boxed: the
// error path allocates nothing, and a command returns it once.
#![allow(clippy::result_large_err)]

mod error;
mod gen;
mod hooks;
mod input;
mod interrupt;
pub mod output;
pub mod provenance;
mod run;

pub use error::{CliError, BROKEN_PIPE_EXIT, MAX_POOL_BYTES};
pub use gen::{gen, GenOptions};
pub use hooks::{hooks, HooksOptions};
pub use input::{Input, InputError};
pub use interrupt::exit_cleanly_on_interrupt;
pub use run::{run, RunOptions, RunReport};
