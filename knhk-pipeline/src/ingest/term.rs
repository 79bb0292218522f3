//! The borrowed RDF term view shared by the parsers, the dictionary and the emit stage.

use std::fmt;

/// `xsd:string`, the datatype of a simple literal.
pub const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
/// `rdf:langString`, the datatype of every language-tagged literal.
pub const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
/// `xsd:integer`.
pub const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
/// `xsd:boolean`.
pub const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
/// `xsd:decimal`.
pub const XSD_DECIMAL: &str = "http://www.w3.org/2001/XMLSchema#decimal";
/// `xsd:double`.
pub const XSD_DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";

/// The ASCII punctuation `IRIREF` forbids, raw or as `\u` escapes: with the space and the
/// control characters (`is_forbidden_in_iri`), the one definition of the set that the
/// N-Triples scanner rejects and [`Term::write_ntriples`] escapes.
pub(crate) const IRI_FORBIDDEN_PUNCTUATION: &[u8] = b"<>\"{}|^`\\";

/// Whether `IRIREF` forbids byte `b`: space, a control character (and NUL), or
/// [`IRI_FORBIDDEN_PUNCTUATION`]. Bytes from 0x80 (UTF-8 sequences) are allowed.
#[inline(always)]
pub(crate) const fn is_forbidden_iri_byte(b: u8) -> bool {
    let mut forbidden = b <= b' ';
    let mut i = 0;
    while i < IRI_FORBIDDEN_PUNCTUATION.len() {
        forbidden |= b == IRI_FORBIDDEN_PUNCTUATION[i];
        i += 1;
    }
    forbidden
}

/// Whether `IRIREF` forbids character `c` (see [`is_forbidden_iri_byte`]).
pub(crate) const fn is_forbidden_in_iri(c: char) -> bool {
    c.is_ascii() && is_forbidden_iri_byte(c as u8)
}

/// One RDF term, borrowing its text from the parser's buffers or the dictionary.
///
/// Equality is RDF 1.1 term equality on the exact text: IRIs and blank-node labels compare
/// by their characters, literals by lexical form, datatype and language tag (see [`Literal`]).
/// Blank-node labels are only meaningful inside one document; the dictionary scopes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Term<'a> {
    /// An absolute IRI, without the angle brackets and with escapes decoded.
    Iri(&'a str),
    /// A blank node label, without the `_:` prefix.
    BlankNode(&'a str),
    /// A literal.
    Literal(Literal<'a>),
}

/// A literal: a lexical form plus either a language tag or a datatype IRI.
///
/// The fields are private so that every value is canonical: `"a"` and `"a"^^xsd:string` build
/// the same `Literal` (RDF 1.1 makes them the same term), and a language-tagged literal never
/// carries an explicit datatype (it is always `rdf:langString`). The derived equality is then
/// term equality.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Literal<'a> {
    value: &'a str,
    annotation: Annotation<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Annotation<'a> {
    /// `xsd:string`.
    Simple,
    Language(&'a str),
    /// Any datatype but `xsd:string` (folded into `Simple`).
    Datatype(&'a str),
}

impl<'a> Literal<'a> {
    /// A simple literal, whose datatype is `xsd:string`.
    pub const fn simple(value: &'a str) -> Self {
        Self {
            value,
            annotation: Annotation::Simple,
        }
    }

    /// A language-tagged literal (datatype `rdf:langString`). The tag is kept as given; the
    /// dictionary lowercases it.
    pub const fn lang_tagged(value: &'a str, language: &'a str) -> Self {
        Self {
            value,
            annotation: Annotation::Language(language),
        }
    }

    /// A literal with a datatype IRI; `xsd:string` gives the same value as [`Literal::simple`].
    pub fn typed(value: &'a str, datatype: &'a str) -> Self {
        Self {
            value,
            annotation: if datatype == XSD_STRING {
                Annotation::Simple
            } else {
                Annotation::Datatype(datatype)
            },
        }
    }

    /// The lexical form, with escapes decoded.
    pub const fn value(&self) -> &'a str {
        self.value
    }

    /// The language tag, for a language-tagged literal.
    pub const fn language(&self) -> Option<&'a str> {
        match self.annotation {
            Annotation::Language(language) => Some(language),
            _ => None,
        }
    }

    /// The datatype IRI: `xsd:string` for simple literals, `rdf:langString` for
    /// language-tagged ones.
    pub const fn datatype(&self) -> &'a str {
        match self.annotation {
            Annotation::Simple => XSD_STRING,
            Annotation::Language(_) => RDF_LANG_STRING,
            Annotation::Datatype(datatype) => datatype,
        }
    }

    /// The datatype IRI unless it is implied by the syntax (`xsd:string` or `rdf:langString`
    /// with a tag): what N-Triples writes after `^^`.
    pub const fn explicit_datatype(&self) -> Option<&'a str> {
        match self.annotation {
            Annotation::Datatype(datatype) => Some(datatype),
            _ => None,
        }
    }
}

/// A triple of borrowed terms; the subject is an IRI or blank node and the predicate an IRI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Triple<'a> {
    /// The subject.
    pub subject: Term<'a>,
    /// The predicate.
    pub predicate: Term<'a>,
    /// The object.
    pub object: Term<'a>,
}

impl Term<'_> {
    /// Writes the term in N-Triples syntax (canonical N-Triples escaping: `ECHAR` for
    /// `\b \t \n \f \r \" \\` in literals, `\uXXXX` for other control characters and for
    /// characters that `IRIREF` forbids), so the output always parses back to the same term.
    pub fn write_ntriples<W: fmt::Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        match *self {
            Term::Iri(iri) => write_iri(iri, w),
            Term::BlankNode(label) => {
                w.write_str("_:")?;
                w.write_str(label)
            }
            Term::Literal(literal) => {
                w.write_char('"')?;
                write_escaped_string(literal.value, w)?;
                w.write_char('"')?;
                match literal.annotation {
                    Annotation::Simple => Ok(()),
                    Annotation::Language(language) => {
                        w.write_char('@')?;
                        w.write_str(language)
                    }
                    Annotation::Datatype(datatype) => {
                        w.write_str("^^")?;
                        write_iri(datatype, w)
                    }
                }
            }
        }
    }
}

/// N-Triples syntax, as written by [`Term::write_ntriples`].
impl fmt::Display for Term<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_ntriples(f)
    }
}

/// One N-Triples statement, `s p o .` without the line break.
impl fmt::Display for Triple<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {} .", self.subject, self.predicate, self.object)
    }
}

fn write_iri<W: fmt::Write + ?Sized>(iri: &str, w: &mut W) -> fmt::Result {
    w.write_char('<')?;
    let mut clean_from = 0;
    for (i, c) in iri.char_indices() {
        // A decoded IRI never holds these (the parsers reject them), but a hand-built `Term`
        // might: escape so the output still parses rather than silently changing meaning.
        if is_forbidden_in_iri(c) {
            w.write_str(&iri[clean_from..i])?;
            write!(w, "\\u{:04X}", u32::from(c))?;
            clean_from = i + c.len_utf8();
        }
    }
    w.write_str(&iri[clean_from..])?;
    w.write_char('>')
}

fn write_escaped_string<W: fmt::Write + ?Sized>(value: &str, w: &mut W) -> fmt::Result {
    let mut clean_from = 0;
    for (i, b) in value.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            0..=0x1F | 0x7F => "",
            _ => continue,
        };
        w.write_str(&value[clean_from..i])?;
        if escape.is_empty() {
            write!(w, "\\u{:04X}", b)?;
        } else {
            w.write_str(escape)?;
        }
        clean_from = i + 1;
    }
    w.write_str(&value[clean_from..])
}
