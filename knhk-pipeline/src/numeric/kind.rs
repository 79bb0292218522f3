//! Which datatypes are numeric, and how each one's text is read.

use crate::ingest::{XSD_DECIMAL, XSD_DOUBLE, XSD_INTEGER};

pub(super) const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// How a numeric datatype's text is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumericKind {
    /// `xsd:integer` and its derived types: optional sign, digits.
    Integer {
        /// Smallest value of the type, if bounded below (decimal text).
        min: Option<&'static str>,
        /// Largest value of the type, if bounded above (decimal text).
        max: Option<&'static str>,
    },
    /// `xsd:decimal`: optional sign, digits with an optional fraction.
    Decimal,
    /// `xsd:double`: a decimal with an optional exponent, `INF`, `-INF` or `NaN`, rounded to
    /// 64-bit IEEE-754.
    Double,
    /// `xsd:float`: as double, rounded to 32-bit IEEE-754.
    Float,
}

/// The numeric kind of a datatype IRI, or `None` if it is not numeric.
pub fn numeric_kind(datatype: &str) -> Option<NumericKind> {
    let integer = |min, max| Some(NumericKind::Integer { min, max });
    match datatype {
        XSD_INTEGER => integer(None, None),
        XSD_DECIMAL => Some(NumericKind::Decimal),
        XSD_DOUBLE => Some(NumericKind::Double),
        _ => match datatype.strip_prefix(XSD)? {
            "float" => Some(NumericKind::Float),
            "nonPositiveInteger" => integer(None, Some("0")),
            "negativeInteger" => integer(None, Some("-1")),
            "long" => integer(Some("-9223372036854775808"), Some("9223372036854775807")),
            "int" => integer(Some("-2147483648"), Some("2147483647")),
            "short" => integer(Some("-32768"), Some("32767")),
            "byte" => integer(Some("-128"), Some("127")),
            "nonNegativeInteger" => integer(Some("0"), None),
            "unsignedLong" => integer(Some("0"), Some("18446744073709551615")),
            "unsignedInt" => integer(Some("0"), Some("4294967295")),
            "unsignedShort" => integer(Some("0"), Some("65535")),
            "unsignedByte" => integer(Some("0"), Some("255")),
            "positiveInteger" => integer(Some("1"), None),
            _ => None,
        },
    }
}
