//! The RDF input of `knhk run` and `knhk verify --input`, opened one way for both: a file
//! (its format from its extension unless `--format` says, decompressed as its last extension
//! says, Turtle's base its own `file://` URI unless `--base` says), standard input (`-`), or
//! the bundled sample. The hook file is read here too. A file is opened exactly once (a
//! named pipe has one writer to lose), and what was opened is kept as an [`InputIdentity`]
//! for [`check_paths`](super::output::check_paths).

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};

use crate::hooks::{
    parse_hook_file_with_spans, read_hook_text, HookError, HookFileSpans, HookSpec,
};
use crate::ingest::{
    file_uri, open_file, Compression, Format, IngestError, IngestOptions, ReadAhead, TripleReader,
};

use super::output::InputIdentity;

/// Which RDF input a command reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// The bundled sample dataset (N-Triples).
    Bundled,
    /// Standard input (`-`).
    Stdin,
    /// A file.
    File(PathBuf),
}

/// Why an input could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Opening or starting to read the input failed.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The file name names no known format and `--format` was not given.
    #[error("{}: unknown RDF format: use a .nt, .ntriples, .ttl or .turtle extension (optionally .gz or .zst) or --format", path.display())]
    UnknownFormat {
        /// The path.
        path: PathBuf,
    },
}

/// An input opened for reading.
pub(crate) struct OpenedInput {
    /// Its triples.
    pub(crate) reader: TripleReader<Box<dyn Read>>,
    /// What was opened, to compare with outputs (`None` for the bundled sample).
    pub(crate) identity: Option<InputIdentity>,
    /// A progress bar over the file's bytes (hidden unless stderr is a terminal and the
    /// file is large); finish it when the read ends.
    pub(crate) progress: ProgressBar,
}

impl Input {
    /// `-` is standard input, anything else a file.
    pub fn from_arg(arg: Option<PathBuf>) -> Input {
        match arg {
            None => Input::Bundled,
            Some(path) if path.as_os_str() == "-" => Input::Stdin,
            Some(path) => Input::File(path),
        }
    }

    /// How errors and the summary name it.
    pub fn describe(&self) -> String {
        match self {
            Input::Bundled => "data/sample.nt (bundled)".to_owned(),
            Input::Stdin => "<stdin>".to_owned(),
            Input::File(path) => path.display().to_string(),
        }
    }

    /// Opens the input once and sets up its reading: `format` (else the file's extension;
    /// standard input and the sample are N-Triples), the file's own base unless `ingest`
    /// has one, its decompression, and with [`IngestOptions::threads`] above 1 a
    /// [`ReadAhead`] thread that reads (and decompresses) it.
    pub(crate) fn open(
        &self,
        format: Option<Format>,
        mut ingest: IngestOptions,
    ) -> Result<OpenedInput, InputError> {
        let read_ahead = ingest.threads > 1;
        let mut progress = ProgressBar::hidden();
        let mut identity = None;
        let reader: Box<dyn Read> = match self {
            Input::Bundled => Box::new(crate::SAMPLE_DATA.as_bytes()),
            Input::Stdin => {
                identity = Some(InputIdentity::stdin());
                if read_ahead {
                    Box::new(self.read_ahead(io::stdin())?)
                } else {
                    Box::new(io::stdin().lock())
                }
            }
            Input::File(path) => {
                let file = open_file(path)?;
                identity = Some(InputIdentity::of_file("input", path, &file));
                if ingest.base_iri.is_none() {
                    ingest.base_iri = Some(file_uri(path)?);
                }
                progress = progress_bar(file.metadata().map(|m| m.len()).unwrap_or(0));
                let file = progress.wrap_read(file);
                let compression = Compression::from_path(path);
                let cannot_open = |error| IngestError::Open {
                    path: path.clone(),
                    error,
                };
                if read_ahead {
                    let decoder = compression.send_decoder(file).map_err(cannot_open)?;
                    Box::new(self.read_ahead(decoder)?)
                } else {
                    compression.decoder(file).map_err(cannot_open)?
                }
            }
        };
        let format = match (self, format) {
            (_, Some(format)) => format,
            (Input::File(path), None) => Format::from_path(path)
                .ok_or_else(|| InputError::UnknownFormat { path: path.clone() })?,
            (_, None) => Format::NTriples,
        };
        Ok(OpenedInput {
            reader: TripleReader::new(reader, format, ingest).with_source_name(self.describe()),
            identity,
            progress,
        })
    }

    /// Starts a [`ReadAhead`] on `reader`; a thread that cannot be spawned is a read error.
    fn read_ahead<R: Read + Send + 'static>(&self, reader: R) -> Result<ReadAhead, IngestError> {
        ReadAhead::new(reader).map_err(|error| IngestError::Io {
            file: self.describe().into(),
            error,
        })
    }
}

/// A byte progress bar on stderr for inputs over 8 MiB, only when stderr is a terminal.
fn progress_bar(bytes: u64) -> ProgressBar {
    if !io::stderr().is_terminal() || bytes < 8 << 20 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(bytes);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})")
    {
        bar.set_style(style);
    }
    bar
}

/// The hook file (`None`: the bundled sample hooks), opened once and read up to `max_bytes`,
/// with where each field is written and, for a file, what was opened.
pub(crate) fn read_hooks(
    path: Option<&Path>,
    max_bytes: u64,
) -> Result<(Vec<HookSpec>, HookFileSpans, Option<InputIdentity>), HookError> {
    let Some(path) = path else {
        let (specs, spans) =
            parse_hook_file_with_spans(crate::SAMPLE_HOOKS, "data/hooks.toml (bundled)")?;
        return Ok((specs, spans, None));
    };
    let name = path.display().to_string();
    let file = File::open(path).map_err(|error| HookError::Read {
        path: name.clone(),
        error,
    })?;
    let identity = InputIdentity::of_file("--hooks", path, &file);
    let text = read_hook_text(file, &name, max_bytes)?;
    let (specs, spans) = parse_hook_file_with_spans(&text, &name)?;
    Ok((specs, spans, Some(identity)))
}
