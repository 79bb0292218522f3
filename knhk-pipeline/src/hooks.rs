//! The hook registry: hooks bound to predicates, loaded from TOML, with their terms encoded
//! once (the cold path) so the hot path compares ids only.
//!
//! ```toml
//! [[hook]]
//! name = "alice-knows-someone"    # letters, digits, '-', '_', '.', ':'
//! kind = "ask_sp"                 # one of the 19 ops of `crate::ops::OPS`
//! predicate = "<http://xmlns.com/foaf/0.1/knows>"
//! subject = "<http://example.org/alice>"
//!
//! [[hook]]
//! name = "knows-implies-person"
//! kind = "construct8"
//! predicate = "<http://xmlns.com/foaf/0.1/knows>"
//! construct_predicate = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
//! construct_object = "<http://xmlns.com/foaf/0.1/Person>"
//! ```
//!
//! Each op's constants are listed in [`crate::ops`]; a hook that misses one, gives one its op
//! does not use, or gives an invalid term is rejected when the file is loaded, with an error
//! naming the hook and the key. Terms are written in N-Triples syntax (TOML literal strings
//! make literals easy: `object = '"34"^^<http://www.w3.org/2001/XMLSchema#integer>'`); `k` is
//! a TOML integer (`count_sp_ge` also accepts it as `min`), `value` a numeric literal and
//! `datatype` an IRI. Blank nodes are refused: a hook's blank node could never match a data
//! document's.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::dictionary::{Dictionary, DictionaryError, DocumentScope};
use crate::ingest::{parse_term, IngestError, SyntaxErrorKind, Term, TermPosition};
use crate::numeric::{numeric_kind, Comparison, NumericConstant};
use crate::ops::{Args, DatatypeCheck, Filter, Kernel, Key, OpKind, OPS};

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

/// A hook as written in a hook file, before its terms are encoded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookSpec {
    /// Unique name.
    pub name: String,
    /// The op's name, e.g. `ask_sp` (see [`crate::ops`]).
    pub kind: String,
    /// The predicate, in N-Triples syntax.
    pub predicate: String,
    /// `subject`: a term.
    #[serde(default)]
    pub subject: Option<String>,
    /// `object`: a term.
    #[serde(default)]
    pub object: Option<String>,
    /// `k`: the threshold of the `count_*` ops.
    #[serde(default)]
    pub k: Option<u64>,
    /// `min`: `count_sp_ge`'s threshold under its first name (give `k` or `min`).
    #[serde(default)]
    pub min: Option<u32>,
    /// `value`: a numeric literal (`compare_o_*`).
    #[serde(default)]
    pub value: Option<String>,
    /// `datatype`: an IRI (`validate_datatype_*`).
    #[serde(default)]
    pub datatype: Option<String>,
    /// Predicate of constructed triples (`construct8` only).
    #[serde(default)]
    pub construct_predicate: Option<String>,
    /// Object of constructed triples (`construct8` only).
    #[serde(default)]
    pub construct_object: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HookFile {
    #[serde(default)]
    hook: Vec<HookSpec>,
}

/// Why a hook could not be registered.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    /// The hook file could not be read.
    #[error("{path}: cannot read hook file: {error}")]
    Read {
        /// The file.
        path: String,
        /// The underlying error.
        #[source]
        error: std::io::Error,
    },
    /// The hook file is not valid TOML of the expected shape.
    #[error("{source_name}: invalid hook file: {message}")]
    Toml {
        /// The file.
        source_name: String,
        /// toml's description, with line and column.
        message: String,
    },
    /// Unknown `kind`.
    #[error("hook `{hook}`: unknown kind `{kind}`; use one of {}", KindNames)]
    UnknownKind {
        /// The hook's name.
        hook: String,
        /// The kind given.
        kind: String,
    },
    /// A field this kind needs is missing.
    #[error("hook `{hook}`: kind {kind} needs `{field}`")]
    MissingField {
        /// The hook's name.
        hook: String,
        /// Its kind.
        kind: &'static str,
        /// The missing field.
        field: &'static str,
    },
    /// A constant is not valid for its key (a `value` that is not a numeric literal, a
    /// `datatype` that is not an IRI, `k` and `min` both given).
    #[error("hook `{hook}`: `{field}` {problem}")]
    InvalidConstant {
        /// The hook's name.
        hook: String,
        /// The key.
        field: &'static str,
        /// What is wrong and what to write instead.
        problem: &'static str,
    },
    /// A field this kind does not use is set.
    #[error("hook `{hook}`: kind {kind} does not use `{field}`; remove it")]
    UnusedField {
        /// The hook's name.
        hook: String,
        /// Its kind.
        kind: &'static str,
        /// The field.
        field: &'static str,
    },
    /// A term is not valid N-Triples for its position. (The message gives the scanner's
    /// reason; [`HookFileSpans::locate`] turns the error's column into one in the hook file.)
    #[error("hook `{hook}`: `{field}` is not a valid term: {}", .error.reason())]
    Term {
        /// The hook's name.
        hook: String,
        /// The field.
        field: &'static str,
        /// What the N-Triples scanner said.
        #[source]
        error: IngestError,
    },
    /// A blank node in a hook could never match data.
    #[error("hook `{hook}`: `{field}` is a blank node, which can never match a data document's; use an IRI or literal")]
    BlankNode {
        /// The hook's name.
        hook: String,
        /// The field.
        field: &'static str,
    },
    /// The name is empty or has characters outside `[A-Za-z0-9_.:-]`.
    #[error("hook name `{hook}` is invalid: use letters, digits, '-', '_', '.' or ':'")]
    InvalidName {
        /// The name.
        hook: String,
    },
    /// Two hooks share a name.
    #[error("hook name `{hook}` is used twice; hook names must be unique")]
    DuplicateName {
        /// The name.
        hook: String,
    },
    /// The dictionary could not take a hook's term.
    #[error(transparent)]
    Dictionary(#[from] DictionaryError),
}

/// Every op name, for the unknown-kind message.
struct KindNames;

impl fmt::Display for KindNames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, spec) in OPS.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(spec.name)?;
        }
        Ok(())
    }
}

/// Hooks by predicate: the reflex stage looks up a run's predicate id and evaluates each hook.
#[derive(Default)]
pub struct HookRegistry {
    hooks: Vec<Hook>,
    by_predicate: HashMap<u64, Vec<u32>>,
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
    /// [`HookError::InvalidName`] or [`HookError::DuplicateName`].
    pub fn register(&mut self, hook: Hook) -> Result<u32, HookError> {
        let valid = !hook.name.is_empty()
            && hook
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
        if !valid {
            return Err(HookError::InvalidName { hook: hook.name });
        }
        if self.hooks.iter().any(|h| h.name == hook.name) {
            return Err(HookError::DuplicateName { hook: hook.name });
        }
        let index = u32::try_from(self.hooks.len()).expect("fewer than 2^32 hooks");
        self.by_predicate
            .entry(hook.predicate)
            .or_default()
            .push(index);
        self.hooks.push(hook);
        Ok(index)
    }
}

/// Where each hook's fields sit in a hook file, so that an error about a hook can point at
/// the line and column the user wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HookFileSpans {
    /// The file's name, as errors show it.
    pub source_name: String,
    /// Per hook, in file order: each field's name, the 1-based line and column where its value
    /// starts, and whether the value is written verbatim (no escapes), so that a column inside
    /// it maps one to one.
    pub hooks: Vec<Vec<FieldSpan>>,
}

/// Where one field's value is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSpan {
    /// The key.
    pub field: String,
    /// 1-based line of the value.
    pub line: u64,
    /// 1-based column (in code points) of the value's first character (a quote, for a string).
    pub column: u64,
    /// The string's characters appear in the file as they are (a literal string, or a basic
    /// string without escapes), one column each.
    pub verbatim: bool,
}

/// A place in a hook file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HookFileLocation {
    /// The file's name.
    pub source_name: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in code points.
    pub column: u64,
}

impl fmt::Display for HookFileLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.source_name, self.line, self.column)
    }
}

impl HookFileSpans {
    fn read(text: &str, source_name: &str) -> Self {
        #[derive(Deserialize)]
        struct SpannedFile {
            #[serde(default)]
            hook: Vec<std::collections::BTreeMap<String, toml::Spanned<toml::Value>>>,
        }
        let line_column = |offset: usize| {
            let before = &text[..offset.min(text.len())];
            let line = before.matches('\n').count() as u64 + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            (line, before[line_start..].chars().count() as u64 + 1)
        };
        let hooks = toml::from_str::<SpannedFile>(text)
            .map(|file| file.hook)
            .unwrap_or_default()
            .into_iter()
            .map(|fields| {
                fields
                    .into_iter()
                    .map(|(field, value)| {
                        let span = value.span();
                        let (line, column) = line_column(span.start);
                        let raw = text.get(span.clone()).unwrap_or_default();
                        let verbatim = matches!(value.get_ref(), toml::Value::String(s)
                            if raw.len() == s.len() + 2 && &raw[1..raw.len() - 1] == s);
                        FieldSpan {
                            field,
                            line,
                            column,
                            verbatim,
                        }
                    })
                    .collect()
            })
            .collect();
        Self {
            source_name: source_name.to_owned(),
            hooks,
        }
    }

    /// Where in the file `error`, raised by registering hook number `index` (0-based, in file
    /// order), points: the bad character of a term, else the start of the field's value, else
    /// the hook's first field.
    pub fn locate(&self, index: usize, error: &HookError) -> Option<HookFileLocation> {
        let fields = self.hooks.get(index)?;
        let field = match error {
            HookError::Term { field, .. }
            | HookError::BlankNode { field, .. }
            | HookError::UnusedField { field, .. } => *field,
            HookError::UnknownKind { .. } => "kind",
            HookError::InvalidName { .. } | HookError::DuplicateName { .. } => "name",
            _ => "",
        };
        let span = fields
            .iter()
            .find(|span| span.field == field)
            .or_else(|| fields.iter().min_by_key(|span| (span.line, span.column)))?;
        let mut column = span.column;
        if let (HookError::Term { error, .. }, true) = (error, span.verbatim) {
            if let Some((_, term_column)) = error.location() {
                // The value's column is its opening quote's: the term's first character is
                // one further, its column `n` is `n` further.
                column += term_column;
            }
        }
        Some(HookFileLocation {
            source_name: self.source_name.clone(),
            line: span.line,
            column,
        })
    }
}

/// Parses a hook file's text and records where each field is written (see
/// [`HookFileSpans::locate`]).
///
/// # Errors
///
/// As for [`parse_hook_file`].
pub fn parse_hook_file_with_spans(
    text: &str,
    source_name: &str,
) -> Result<(Vec<HookSpec>, HookFileSpans), HookError> {
    let specs = parse_hook_file(text, source_name)?;
    Ok((specs, HookFileSpans::read(text, source_name)))
}

/// Reads a hook file and records where each field is written.
///
/// # Errors
///
/// As for [`read_hook_file`].
pub fn read_hook_file_with_spans(path: &Path) -> Result<(Vec<HookSpec>, HookFileSpans), HookError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| HookError::Read {
        path: name.clone(),
        error,
    })?;
    parse_hook_file_with_spans(&text, &name)
}

/// Parses a hook file's text.
///
/// # Errors
///
/// [`HookError::Toml`] with toml's message (which gives line and column).
pub fn parse_hook_file(text: &str, source_name: &str) -> Result<Vec<HookSpec>, HookError> {
    toml::from_str::<HookFile>(text)
        .map(|file| file.hook)
        .map_err(|error| HookError::Toml {
            source_name: source_name.to_owned(),
            message: error.to_string(),
        })
}

/// Reads and parses a hook file.
///
/// # Errors
///
/// [`HookError::Read`] or [`HookError::Toml`].
pub fn read_hook_file(path: &Path) -> Result<Vec<HookSpec>, HookError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| HookError::Read {
        path: name.clone(),
        error,
    })?;
    parse_hook_file(&text, &name)
}

/// Encodes `spec`'s terms in `dictionary` (scope `scope`) and checks its fields for its kind.
///
/// # Errors
///
/// A [`HookError`] naming the hook and the field.
pub fn encode_hook(
    spec: &HookSpec,
    dictionary: &mut Dictionary,
    scope: DocumentScope,
) -> Result<Hook, HookError> {
    let mut encoder = TermEncoder {
        spec,
        dictionary,
        scope,
    };
    let predicate = encoder.term("predicate", Some(&spec.predicate), TermPosition::Predicate)?;
    let Some(kind) = OpKind::from_name(&spec.kind) else {
        return Err(HookError::UnknownKind {
            hook: spec.name.clone(),
            kind: spec.kind.clone(),
        });
    };
    let op = kind.spec();
    let name = op.name;
    let given = |key: Key| match key {
        Key::Subject => spec.subject.is_some(),
        Key::Object => spec.object.is_some(),
        Key::K => spec.k.is_some() || spec.min.is_some(),
        Key::Value => spec.value.is_some(),
        Key::Datatype => spec.datatype.is_some(),
        Key::ConstructPredicate => spec.construct_predicate.is_some(),
        Key::ConstructObject => spec.construct_object.is_some(),
    };
    if spec.min.is_some() && kind != OpKind::CountSpGe {
        return Err(HookError::UnusedField {
            hook: spec.name.clone(),
            kind: name,
            field: "min",
        });
    }
    if spec.min.is_some() && spec.k.is_some() {
        return Err(HookError::InvalidConstant {
            hook: spec.name.clone(),
            field: "min",
            problem: "and `k` are the same threshold; give one of them",
        });
    }
    for key in Key::ALL {
        if given(key) && !op.accepts(key) {
            return Err(HookError::UnusedField {
                hook: spec.name.clone(),
                kind: name,
                field: key.name(),
            });
        }
        if !given(key) && op.required.contains(&key) {
            return Err(HookError::MissingField {
                hook: spec.name.clone(),
                kind: name,
                field: key.name(),
            });
        }
    }
    let subject = encoder.term("subject", spec.subject.as_deref(), TermPosition::Subject)?;
    let object = encoder.term("object", spec.object.as_deref(), TermPosition::Object)?;
    let construct_predicate = encoder.term(
        "construct_predicate",
        spec.construct_predicate.as_deref(),
        TermPosition::Predicate,
    )?;
    let construct_object = encoder.term(
        "construct_object",
        spec.construct_object.as_deref(),
        TermPosition::Object,
    )?;
    let value = match (&spec.value, op.kernel) {
        (Some(text), Kernel::Compare(comparison)) => Some(encoder.numeric(text, comparison)?),
        _ => None,
    };
    let datatype = match &spec.datatype {
        Some(text) => Some(DatatypeCheck::new(&encoder.iri("datatype", text)?)),
        None => None,
    };
    let args = Args {
        subject: Filter::from_option(subject),
        object: Filter::from_option(object),
        k: spec.k.or(spec.min.map(u64::from)).unwrap_or(0),
        value,
        datatype,
        construct: construct_predicate.zip(construct_object),
    };
    Ok(Hook {
        name: spec.name.clone(),
        // `term` answers `Some` for a given field; the predicate is always given.
        predicate: predicate.unwrap_or_default(),
        kind,
        args,
    })
}

struct TermEncoder<'a> {
    spec: &'a HookSpec,
    dictionary: &'a mut Dictionary,
    scope: DocumentScope,
}

impl TermEncoder<'_> {
    /// A `value` constant: an N-Triples numeric literal, parsed exactly.
    fn numeric(
        &mut self,
        text: &str,
        comparison: Comparison,
    ) -> Result<NumericConstant, HookError> {
        let hook = &self.spec.name;
        let invalid = |problem| HookError::InvalidConstant {
            hook: hook.clone(),
            field: "value",
            problem,
        };
        let (literal, datatype) =
            scan_term(
                hook,
                "value",
                text,
                TermPosition::Object,
                |term| match term {
                    Term::Literal(literal) => {
                        Ok((literal.value().to_owned(), literal.datatype().to_owned()))
                    }
                    _ => Err(invalid(
                        "is not a literal: write a numeric literal such as \
                 '\"10\"^^<http://www.w3.org/2001/XMLSchema#integer>'",
                    )),
                },
            )?;
        let Some(kind) = numeric_kind(&datatype) else {
            return Err(invalid(
                "is not a numeric literal: write e.g. '\"10\"^^<http://www.w3.org/2001/XMLSchema#integer>' \
                 (integer, decimal, double, float or a type derived from integer)",
            ));
        };
        NumericConstant::new(&literal, kind, comparison)
            .ok_or_else(|| invalid("is not a valid literal of its numeric datatype"))
    }

    /// A `datatype` constant: an IRI in N-Triples syntax.
    fn iri(&mut self, field: &'static str, text: &str) -> Result<String, HookError> {
        let hook = &self.spec.name;
        scan_term(
            hook,
            field,
            text,
            TermPosition::Predicate,
            |term| match term {
                Term::Iri(iri) => Ok(iri.to_owned()),
                _ => Err(HookError::InvalidConstant {
                    hook: hook.clone(),
                    field,
                    problem: "is not an IRI: write the datatype as <http://...>",
                }),
            },
        )
    }

    /// Encodes one term, so hook terms obey exactly the grammar and escapes of the data.
    fn term(
        &mut self,
        field: &'static str,
        text: Option<&str>,
        position: TermPosition,
    ) -> Result<Option<u64>, HookError> {
        let Some(text) = text else { return Ok(None) };
        let hook = &self.spec.name;
        let (dictionary, scope) = (&mut *self.dictionary, self.scope);
        let id = scan_term(hook, field, text, position, |term| match term {
            Term::BlankNode(_) => Err(HookError::BlankNode {
                hook: hook.clone(),
                field,
            }),
            term => dictionary.encode(scope, term).map_err(HookError::from),
        })?;
        Ok(Some(id.to_u64()))
    }
}

/// Parses `text` as a term in `position` and hands it to `read`: hook terms obey exactly the
/// grammar and escapes of the data, through the N-Triples term parser.
fn scan_term<T>(
    hook: &str,
    field: &'static str,
    text: &str,
    position: TermPosition,
    mut read: impl FnMut(Term<'_>) -> Result<T, HookError>,
) -> Result<T, HookError> {
    let mut scratch = String::new();
    match parse_term(text, position, &mut scratch) {
        Ok(Some(term)) => read(term),
        // No term: the text was empty or a comment.
        Ok(None) => Err(HookError::MissingField {
            hook: hook.to_owned(),
            kind: "term",
            field,
        }),
        Err((column, kind)) => Err(HookError::Term {
            hook: hook.to_owned(),
            field,
            // The field alone names the source: the hook is named once, by `HookError::Term`.
            error: IngestError::Syntax {
                file: Arc::from(field),
                line: 1,
                column,
                kind: SyntaxErrorKind::NTriples(kind),
            },
        }),
    }
}
