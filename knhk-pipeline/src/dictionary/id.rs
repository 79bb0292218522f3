//! Ids: a [`TermId`] is a 4-bit [`IdTag`] above a 60-bit payload (a dictionary index or an
//! inline value); see the [layout table](crate::dictionary#id-layout).

/// Number of payload bits below the 4-bit tag.
pub const PAYLOAD_BITS: u32 = 60;
pub(super) const PAYLOAD_MASK: u64 = (1 << PAYLOAD_BITS) - 1;
/// Offset added to inline integers (offset binary).
pub(super) const INLINE_OFFSET: i64 = 1 << (PAYLOAD_BITS - 1);

/// The 4-bit tag of a [`TermId`]; see the [layout table](crate::dictionary#id-layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum IdTag {
    /// An IRI.
    Iri = 0x1,
    /// A blank node, scoped to its document.
    BlankNode = 0x2,
    /// A simple (`xsd:string`) literal.
    SimpleLiteral = 0x3,
    /// A language-tagged literal.
    LangLiteral = 0x4,
    /// A literal of a datatype without its own tag.
    TypedLiteral = 0x5,
    /// An `xsd:integer` literal kept in the dictionary (not canonical or not in inline range).
    IntegerStored = 0x6,
    /// A canonical `xsd:integer` literal whose value is in the id.
    IntegerInline = 0x7,
    /// A canonical `xsd:boolean` literal whose value is in the id.
    BooleanInline = 0x8,
    /// A non-canonical `xsd:boolean` literal kept in the dictionary.
    BooleanStored = 0x9,
    /// An `xsd:decimal` literal.
    Decimal = 0xA,
    /// An `xsd:double` literal.
    Double = 0xB,
}

impl IdTag {
    /// The tag for 4 bits, if it is one that ids are issued with.
    pub const fn from_bits(bits: u8) -> Option<IdTag> {
        Some(match bits {
            0x1 => IdTag::Iri,
            0x2 => IdTag::BlankNode,
            0x3 => IdTag::SimpleLiteral,
            0x4 => IdTag::LangLiteral,
            0x5 => IdTag::TypedLiteral,
            0x6 => IdTag::IntegerStored,
            0x7 => IdTag::IntegerInline,
            0x8 => IdTag::BooleanInline,
            0x9 => IdTag::BooleanStored,
            0xA => IdTag::Decimal,
            0xB => IdTag::Double,
            _ => return None,
        })
    }

    /// Whether the payload is the value itself rather than a dictionary index.
    pub const fn is_inline(self) -> bool {
        matches!(self, IdTag::IntegerInline | IdTag::BooleanInline)
    }

    /// The coarse kind of term.
    pub const fn kind(self) -> TermKind {
        match self {
            IdTag::Iri => TermKind::Iri,
            IdTag::BlankNode => TermKind::BlankNode,
            _ => TermKind::Literal,
        }
    }
}

/// The kind of an RDF term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TermKind {
    /// An IRI.
    Iri,
    /// A blank node.
    BlankNode,
    /// A literal.
    Literal,
}

/// A dictionary-encoded term. See the [layout table](crate::dictionary#id-layout).
///
/// The derived order is the raw `u64` order: it groups ids by tag and, among inline integers,
/// is numeric order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TermId(pub(super) u64);

impl TermId {
    /// Smallest integer stored inline: `-2^59`.
    pub const INLINE_INTEGER_MIN: i64 = -INLINE_OFFSET;
    /// Largest integer stored inline: `2^59 - 1`.
    pub const INLINE_INTEGER_MAX: i64 = INLINE_OFFSET - 1;

    pub(super) const fn new(tag: IdTag, payload: u64) -> TermId {
        TermId((tag as u64) << PAYLOAD_BITS | (payload & PAYLOAD_MASK))
    }

    /// The raw `u64` (what lanes hold).
    pub const fn to_u64(self) -> u64 {
        self.0
    }

    /// Back from a raw `u64`; `None` when the tag is reserved. An id of a known tag whose
    /// index the dictionary never issued is caught by [`Dictionary::decode`](crate::dictionary::Dictionary::decode).
    pub const fn from_u64(raw: u64) -> Option<TermId> {
        match IdTag::from_bits((raw >> PAYLOAD_BITS) as u8) {
            Some(_) => Some(TermId(raw)),
            None => None,
        }
    }

    /// The inline id of an integer value, if it is in the inline range.
    pub const fn from_inline_integer(value: i64) -> Option<TermId> {
        if value < Self::INLINE_INTEGER_MIN || value > Self::INLINE_INTEGER_MAX {
            return None;
        }
        Some(TermId::new(
            IdTag::IntegerInline,
            (value + INLINE_OFFSET) as u64,
        ))
    }

    /// The inline id of a canonical `xsd:boolean`.
    pub const fn from_boolean(value: bool) -> TermId {
        TermId::new(IdTag::BooleanInline, value as u64)
    }

    /// The tag.
    pub const fn tag(self) -> IdTag {
        match IdTag::from_bits((self.0 >> PAYLOAD_BITS) as u8) {
            Some(tag) => tag,
            // Unreachable: every constructor checks the tag. Iri keeps this total.
            None => IdTag::Iri,
        }
    }

    /// The low 60 bits: a dictionary index or an inline value.
    pub const fn payload(self) -> u64 {
        self.0 & PAYLOAD_MASK
    }

    /// IRI, blank node or literal.
    pub const fn kind(self) -> TermKind {
        self.tag().kind()
    }

    /// Whether the term is an IRI.
    pub const fn is_iri(self) -> bool {
        matches!(self.tag(), IdTag::Iri)
    }

    /// Whether the term is a blank node.
    pub const fn is_blank_node(self) -> bool {
        matches!(self.tag(), IdTag::BlankNode)
    }

    /// Whether the term is a literal.
    pub const fn is_literal(self) -> bool {
        matches!(self.tag().kind(), TermKind::Literal)
    }

    /// Whether the term is an `xsd:integer` literal (inline or stored).
    pub const fn is_integer(self) -> bool {
        matches!(self.tag(), IdTag::IntegerInline | IdTag::IntegerStored)
    }

    /// Whether the term is an `xsd:boolean` literal (inline or stored).
    pub const fn is_boolean(self) -> bool {
        matches!(self.tag(), IdTag::BooleanInline | IdTag::BooleanStored)
    }

    /// The value of an inline `xsd:integer`.
    pub const fn inline_integer(self) -> Option<i64> {
        match self.tag() {
            IdTag::IntegerInline => Some(self.payload() as i64 - INLINE_OFFSET),
            _ => None,
        }
    }

    /// The value of an inline `xsd:boolean`.
    pub const fn inline_boolean(self) -> Option<bool> {
        match self.tag() {
            IdTag::BooleanInline => Some(self.payload() != 0),
            _ => None,
        }
    }
}

/// The scope of blank-node labels: one per document. Get one from
/// [`Dictionary::begin_document`](crate::dictionary::Dictionary::begin_document).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DocumentScope(pub(super) u64);

impl DocumentScope {
    /// The scope's number (distinct per document of one dictionary).
    pub const fn number(self) -> u64 {
        self.0
    }
}
