//! The statement grammar: a subject, then `;`-separated verbs each with `,`-separated
//! objects, with `[ ... ]` nodes nested inside.

use super::cursor::{blank_label, end_of_statement, is_space, keyword, Cursor};
use super::literal::number;
use super::{FastPath, Node, Object, Parsed, Piece, Step, Stop, MAX_NESTING, RDF_TYPE};
use crate::ingest::term::XSD_BOOLEAN;

impl FastPath {
    pub(super) fn parse_statement(&mut self, c: &mut Cursor<'_>) -> Step<usize> {
        c.skip_ws()?;
        let subject = match c.at(c.pos)? {
            b'<' => Node::Iri(self.iri_ref(c)?),
            b'_' => Node::Blank(blank_label(c)?),
            b'[' => {
                // In subject position nothing is emitted at the `]`: no reordering.
                let (node, _) = self.anonymous_node(c, 0)?;
                c.skip_ws()?;
                // `[ ... ] .` alone is left to oxttl.
                if c.at(c.pos)? == b'.' {
                    return Err(Stop::Decline);
                }
                node
            }
            _ => Node::Iri(self.prefixed_name(c)?),
        };
        self.predicate_object_list(c, subject, 0)?;
        if c.at(c.pos)? != b'.' {
            return Err(Stop::Decline);
        }
        end_of_statement(c)
    }

    /// `verb objectList (';' (verb objectList)?)*` about `subject`, up to (not including)
    /// what ends it, after any white space. `true` when it ends with a simple literal: oxttl
    /// emits that literal's triple only when it reads the next token, so if that is the `]`
    /// of an object `[ ... ]`, both triples come out of one token, in reverse order (its
    /// parser pops them off a stack).
    pub(super) fn predicate_object_list(
        &mut self,
        c: &mut Cursor<'_>,
        subject: Node,
        depth: u32,
    ) -> Step<bool> {
        loop {
            c.skip_ws()?;
            let predicate = if c.at(c.pos)? == b'a' && is_space(c.at(c.pos + 1)?) {
                c.pos += 1;
                Piece::Static(RDF_TYPE)
            } else if c.at(c.pos)? == b'<' {
                self.iri_ref(c)?
            } else {
                self.prefixed_name(c)?
            };
            let ends_with_simple_literal = loop {
                c.skip_ws()?;
                let (object, emitted_with_last) = self.object(c, depth)?;
                self.triples.push(Parsed {
                    subject,
                    predicate,
                    object,
                });
                if emitted_with_last {
                    let n = self.triples.len();
                    self.triples.swap(n - 2, n - 1);
                }
                c.skip_ws()?;
                if c.at(c.pos)? != b',' {
                    break matches!(object, Object::Simple(_));
                }
                c.pos += 1;
            };
            if c.at(c.pos)? != b';' {
                return Ok(ends_with_simple_literal);
            }
            while c.at(c.pos)? == b';' {
                c.pos += 1;
                c.skip_ws()?;
            }
            if matches!(c.at(c.pos)?, b'.' | b']') {
                return Ok(false);
            }
        }
    }

    /// `[]` or `[ predicateObjectList ]` at `[`: a new anonymous node, whose triples come
    /// first (as oxttl emits them), and whether the list ends with a simple literal (see
    /// [`Self::predicate_object_list`]).
    pub(super) fn anonymous_node(&mut self, c: &mut Cursor<'_>, depth: u32) -> Step<(Node, bool)> {
        if depth >= MAX_NESTING {
            return Err(Stop::Decline);
        }
        c.pos += 1;
        let node = Node::Anon(self.anonymous);
        self.anonymous += 1;
        c.skip_ws()?;
        let mut ends_with_simple_literal = false;
        if c.at(c.pos)? != b']' {
            ends_with_simple_literal = self.predicate_object_list(c, node, depth + 1)?;
            if c.at(c.pos)? != b']' {
                return Err(Stop::Decline);
            }
        }
        c.pos += 1;
        Ok((node, ends_with_simple_literal))
    }

    /// An object, and whether oxttl emits its triple together with the one before, in
    /// reverse order (an object `[ ... ]` whose list ends with a simple literal).
    pub(super) fn object(&mut self, c: &mut Cursor<'_>, depth: u32) -> Step<(Object, bool)> {
        if c.at(c.pos)? == b'[' {
            let (node, ends_with_simple_literal) = self.anonymous_node(c, depth)?;
            return Ok((Object::Node(node), ends_with_simple_literal));
        }
        Ok((
            match c.at(c.pos)? {
                b'<' => Object::Node(Node::Iri(self.iri_ref(c)?)),
                b'_' => Object::Node(Node::Blank(blank_label(c)?)),
                b'"' | b'\'' => self.literal(c)?,
                b'0'..=b'9' | b'+' | b'-' => number(c)?,
                b't' | b'f' => match keyword(c)? {
                    Some("true") => {
                        Object::Typed(Piece::Static("true"), Piece::Static(XSD_BOOLEAN))
                    }
                    Some("false") => {
                        Object::Typed(Piece::Static("false"), Piece::Static(XSD_BOOLEAN))
                    }
                    Some(_) => return Err(Stop::Decline),
                    None => Object::Node(Node::Iri(self.prefixed_name(c)?)),
                },
                _ => Object::Node(Node::Iri(self.prefixed_name(c)?)),
            },
            false,
        ))
    }
}
