//! Exact values of numeric literals, for the `compare_o_*` operations.
//!
//! Numeric means `xsd:integer` and the XSD types derived from it, `xsd:decimal`, `xsd:double`
//! and `xsd:float`. Integers and decimals have the exact value their text writes
//! (`"007"` is 7, `"+5"` is 5, `"12.0"` is 12, any number of digits). A double or float has
//! the value of the IEEE-754 number its text rounds to (`"1.5E1"` is 15, `"0.1"^^xsd:double`
//! is 0.1000000000000000055511151231257827...), as XSD defines their value spaces; `INF` and
//! `-INF` lie beyond every finite value and `NaN` compares with nothing. Two values are
//! compared exactly, as decimal numbers, on every platform: no conversion to a float loses
//! digits. A literal whose text is not in its datatype's lexical space (`"abc"^^xsd:integer`,
//! `"300"^^xsd:byte`) has no value and never matches.
//!
//! Nothing here allocates except [`NumericConstant`] (a hook's constant, parsed once); the
//! warm path compares a literal's text in place, and a double's exact expansion lives in a
//! stack buffer ([`DigitBuffer`]).
//!
//! `kind` says how a datatype's text is read, `value` holds and compares exact values,
//! `lexical` reads a literal's text into one, `expand` writes out a double's exact digits, and
//! `constant` is a hook's parsed `value` with the inline-integer range the hot path tests.

mod constant;
mod expand;
mod kind;
mod lexical;
#[cfg(test)]
mod tests;
mod value;

pub use constant::{Comparison, NumericConstant};
pub use expand::DigitBuffer;
pub use kind::{numeric_kind, NumericKind};
pub use lexical::{integer_value, parse_value};
pub use value::{Finite, Value};
