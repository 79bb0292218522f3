//! The [`TripleReader`]: opens a source, picks the format's read loop and hands out triples.

use std::cell::Cell;
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use super::error::IngestError;
use super::ntriples::{MarkRepeats, OnTriple, ParsedTriple};
use super::options::{Format, IngestOptions};
use super::report::IngestReport;
use super::source::{self, file_uri, open_file, Compression};
use super::term::{Term, Triple};
use super::turtle::FastPathMode;
use super::{ntriples, turtle};

/// Reads triples from one source in one format; see the [module docs](crate::ingest).
pub struct TripleReader<R> {
    reader: R,
    format: Format,
    options: IngestOptions,
    file: Arc<str>,
    /// Whether the input starts where its file starts, so a byte-order mark may lead it.
    at_file_start: bool,
}

impl<R> fmt::Debug for TripleReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TripleReader")
            .field("format", &self.format)
            .field("options", &self.options)
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl TripleReader<Box<dyn Read>> {
    /// Opens `path`, choosing the format from its extension (`.nt`, `.ntriples`, `.ttl`,
    /// `.turtle`, each optionally `.gz` or `.zst`); see [`TripleReader::open_as`].
    ///
    /// # Errors
    ///
    /// [`IngestError::UnknownFormat`], or as for [`TripleReader::open_as`].
    pub fn open(path: impl AsRef<Path>, options: IngestOptions) -> Result<Self, IngestError> {
        let path = path.as_ref();
        if path.is_dir() {
            return Err(IngestError::IsDirectory {
                path: path.to_owned(),
            });
        }
        let format = Format::from_path(path).ok_or_else(|| IngestError::UnknownFormat {
            path: path.to_owned(),
        })?;
        Self::open_as(path, format, options)
    }

    /// Opens `path` as `format`, whatever its extension, decompressing it as its last
    /// extension says ([`Compression`]). Unless `options` sets a base IRI, Turtle's base is
    /// the file's own `file://` URI.
    ///
    /// # Errors
    ///
    /// [`IngestError::IsDirectory`], [`IngestError::Open`].
    pub fn open_as(
        path: impl AsRef<Path>,
        format: Format,
        mut options: IngestOptions,
    ) -> Result<Self, IngestError> {
        let path = path.as_ref();
        let file = open_file(path)?;
        if options.base_iri.is_none() {
            options.base_iri = Some(file_uri(path)?);
        }
        let reader = Compression::from_path(path)
            .decoder(file)
            .map_err(|error| IngestError::Open {
                path: path.to_owned(),
                error,
            })?;
        Ok(TripleReader::new(reader, format, options).with_source_name(path.display().to_string()))
    }
}

impl<R: Read> TripleReader<R> {
    /// A reader over `reader` (named `<input>` in errors until [`Self::with_source_name`]).
    pub fn new(reader: R, format: Format, options: IngestOptions) -> Self {
        Self {
            reader,
            format,
            options,
            file: Arc::from("<input>"),
            at_file_start: true,
        }
    }

    /// Marks the input as starting inside its file (a shard's byte range past byte 0): a
    /// U+FEFF at its start is then text, read as the whole file's reader reads it there, not
    /// a byte-order mark to drop.
    pub fn starting_inside_file(mut self) -> Self {
        self.at_file_start = false;
        self
    }

    /// Names the source in error messages (a file name, usually).
    pub fn with_source_name(mut self, name: impl Into<Arc<str>>) -> Self {
        self.file = name.into();
        self
    }

    /// The format being read.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether [`Self::try_for_each_prepared_triple`] will parse on worker threads:
    /// N-Triples with [`IngestOptions::threads`] above 1. (N-Triples is read in chunks, with
    /// a look-ahead, by [`Self::try_for_each_prepared_triple_looking_ahead`] whatever the
    /// thread count.)
    pub fn reads_in_parallel(&self) -> bool {
        self.format == Format::NTriples && self.options.threads > 1
    }

    /// Calls `f` for each triple until the input ends or an error occurs.
    pub fn for_each_triple<F>(self, mut f: F) -> Result<IngestReport, IngestError>
    where
        F: FnMut(Triple<'_>),
    {
        self.try_for_each_triple(
            |triple| {
                f(triple);
                Ok::<(), IngestError>(())
            },
            |_| {},
        )
    }

    /// Calls `f` for each triple; an `Err` from `f` stops the read and is returned as is.
    /// With [`IngestOptions::skip_invalid`], `on_skipped` sees every skipped error (the report
    /// counts them and keeps the first); without it the first error is returned.
    pub fn try_for_each_triple<E, F, S>(self, f: F, on_skipped: S) -> Result<IngestReport, E>
    where
        E: From<IngestError>,
        F: FnMut(Triple<'_>) -> Result<(), E>,
        S: FnMut(&IngestError),
    {
        match self.format {
            Format::NTriples => {
                let reader = source::SkipBom::new(self.reader, self.at_file_start);
                ntriples::Scanner::new(reader, self.file, &self.options).run(f, on_skipped)
            }
            Format::Turtle => turtle::read_with_stats(
                self.reader,
                self.file,
                &self.options,
                FastPathMode::On,
                f,
                on_skipped,
            )
            .map(|(report, _)| report),
        }
    }
}

impl<R: Read> TripleReader<R> {
    /// [`Self::try_for_each_triple`], with a `prepare` step run on each term before `f`
    /// sees it, its results passed along: `f` gets the subject's, predicate's and object's.
    /// N-Triples is read in chunks of [`IngestOptions::chunk_bytes`]: with
    /// [`IngestOptions::threads`] above 1, `prepare` runs on worker threads (the pipeline
    /// hashes terms for its dictionary there), while `f` and `on_skipped` run on the calling
    /// thread, in input order, with the same triples, errors, line numbers and counts as a
    /// single-threaded read. Otherwise everything runs on the calling thread.
    pub fn try_for_each_prepared_triple<H, P, E, F, S>(
        self,
        prepare: P,
        f: F,
        on_skipped: S,
    ) -> Result<IngestReport, E>
    where
        H: Copy + Send + 'static,
        P: Fn(Term<'_>) -> H + Sync,
        E: From<IngestError>,
        F: FnMut(Triple<'_>, [H; 3]) -> Result<(), E>,
        S: FnMut(&IngestError),
    {
        self.try_for_each_prepared_triple_looking_ahead(
            prepare,
            &Cell::new(&[]),
            |_, _| {},
            f,
            on_skipped,
        )
    }

    /// [`Self::try_for_each_prepared_triple`], also showing the calling thread what was
    /// prepared for triples still to come, so it can start work on them early (the pipeline
    /// prefetches their dictionary entries): before `f` gets a triple, `look_ahead(d, p)` is
    /// called for each `d` in `distances`, with `p` prepared for the triple `d` places later,
    /// when that triple is already parsed (for N-Triples: within the same chunk, whatever
    /// the thread count). `distances` is read as each chunk starts, so `f` can turn the
    /// look-ahead off while the caller has no use for it (an empty slice costs nothing a
    /// triple) and on again. Turtle reads prepare one triple at a time and call no
    /// `look_ahead`.
    pub fn try_for_each_prepared_triple_looking_ahead<'d, H, P, L, E, F, S>(
        self,
        prepare: P,
        distances: &'d Cell<&'d [usize]>,
        look_ahead: L,
        f: F,
        on_skipped: S,
    ) -> Result<IngestReport, E>
    where
        H: Copy + Send + 'static,
        P: Fn(Term<'_>) -> H + Sync,
        L: FnMut(usize, &[H; 3]),
        E: From<IngestError>,
        F: FnMut(Triple<'_>, [H; 3]) -> Result<(), E>,
        S: FnMut(&IngestError),
    {
        let f = ntriples::Resolved(f);
        self.read_prepared(prepare, None, distances, look_ahead, f, on_skipped)
    }

    /// [`Self::try_for_each_prepared_triple_looking_ahead`], with repeats marked, and each
    /// triple handed to `f` as parsed ([`ParsedTriple`]: `f` reads the terms it needs). When
    /// N-Triples is parsed on worker threads, the workers find each chunk's repeated terms by
    /// their [`MarkRepeats::repeat_key`], and [`ParsedTriple::repeats`] tells `f` for each
    /// term whether it is the first appearance of a distinct term of its chunk (numbered in
    /// order) or a repeat of an earlier one, so `f` can work each distinct term out once a
    /// chunk and copy the result for its repeats. Otherwise (one thread, or Turtle) every term
    /// is [`Repeat::UNMARKED`](crate::ingest::Repeat::UNMARKED).
    pub fn try_for_each_marked_triple_looking_ahead<'d, H, P, L, E, F, S>(
        self,
        prepare: P,
        distances: &'d Cell<&'d [usize]>,
        look_ahead: L,
        f: F,
        on_skipped: S,
    ) -> Result<IngestReport, E>
    where
        H: MarkRepeats + Copy + Send + 'static,
        P: Fn(Term<'_>) -> H + Sync,
        L: FnMut(usize, &[H; 3]),
        E: From<IngestError>,
        F: FnMut(ParsedTriple<'_>, [H; 3]) -> Result<(), E>,
        S: FnMut(&IngestError),
    {
        // With one thread the marks would cost the calling thread more than they save it.
        let mark = self
            .reads_in_parallel()
            .then_some(ntriples::RepeatTable::mark::<H> as ntriples::MarkChunk<H>);
        let f = ntriples::AsParsed(f);
        self.read_prepared(prepare, mark, distances, look_ahead, f, on_skipped)
    }

    /// The prepared read, with repeats marked by `mark` if set.
    fn read_prepared<'d, H, P, L, E, F, S>(
        self,
        prepare: P,
        mark: Option<ntriples::MarkChunk<H>>,
        distances: &'d Cell<&'d [usize]>,
        look_ahead: L,
        mut f: F,
        on_skipped: S,
    ) -> Result<IngestReport, E>
    where
        H: Copy + Send + 'static,
        P: Fn(Term<'_>) -> H + Sync,
        L: FnMut(usize, &[H; 3]),
        E: From<IngestError>,
        F: OnTriple<H, E>,
        S: FnMut(&IngestError),
    {
        if self.format == Format::NTriples {
            let reader = source::SkipBom::new(self.reader, self.at_file_start);
            let ahead = ntriples::LookAhead {
                distances,
                call: look_ahead,
            };
            let out =
                ntriples::Delivery::new(self.file, self.options.skip_invalid, ahead, f, on_skipped);
            return ntriples::run_chunked(reader, &self.options, &prepare, mark, out);
        }
        self.try_for_each_triple(
            |triple| {
                let prepared = [
                    prepare(triple.subject),
                    prepare(triple.predicate),
                    prepare(triple.object),
                ];
                f.triple(ParsedTriple::from(triple), prepared)
            },
            on_skipped,
        )
    }
}
