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

use std::cmp::Ordering;

use crate::dictionary::TermId;
use crate::ingest::{XSD_DECIMAL, XSD_DOUBLE, XSD_INTEGER};

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

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

/// A finite value as `±0.d₁d₂d₃… × 10^exp`: its significant digits (ASCII, the first one not
/// `0`) are `head` followed by `tail`; zero has no digits. Trailing zeros may be present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finite<'a> {
    negative: bool,
    exp: i64,
    head: &'a [u8],
    tail: &'a [u8],
}

impl Finite<'_> {
    const ZERO: Finite<'static> = Finite {
        negative: false,
        exp: 0,
        head: b"",
        tail: b"",
    };

    fn is_zero(&self) -> bool {
        self.head.is_empty() && self.tail.is_empty()
    }

    fn digits(&self) -> impl Iterator<Item = u8> + '_ {
        self.head.iter().chain(self.tail).copied()
    }

    /// `|self|` against `|other|`.
    fn cmp_magnitude(&self, other: &Finite<'_>) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        self.exp.cmp(&other.exp).then_with(|| {
            let (mut a, mut b) = (self.digits(), other.digits());
            loop {
                match (a.next(), b.next()) {
                    (None, None) => return Ordering::Equal,
                    (x, y) => {
                        let order = x.unwrap_or(b'0').cmp(&y.unwrap_or(b'0'));
                        if order != Ordering::Equal {
                            return order;
                        }
                    }
                }
            }
        })
    }

    fn cmp_value(&self, other: &Finite<'_>) -> Ordering {
        let sign = |f: &Finite<'_>| match (f.is_zero(), f.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        };
        match sign(self).cmp(&sign(other)) {
            Ordering::Equal if sign(self) < 0 => other.cmp_magnitude(self),
            Ordering::Equal => self.cmp_magnitude(other),
            order => order,
        }
    }
}

/// The value of a numeric literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    /// Not a number: compares with nothing, itself included.
    NaN,
    /// Below every finite value.
    NegativeInfinity,
    /// A finite value.
    Finite(Finite<'a>),
    /// Above every finite value.
    PositiveInfinity,
}

impl Value<'_> {
    /// Exact comparison; `None` when either side is NaN.
    pub fn compare(&self, other: &Value<'_>) -> Option<Ordering> {
        let rank = |v: &Value<'_>| match v {
            Value::NaN => None,
            Value::NegativeInfinity => Some(0),
            Value::Finite(_) => Some(1),
            Value::PositiveInfinity => Some(2),
        };
        let (a, b) = (rank(self)?, rank(other)?);
        match (self, other) {
            (Value::Finite(x), Value::Finite(y)) => Some(x.cmp_value(y)),
            _ => Some(a.cmp(&b)),
        }
    }
}

/// Room for the exact decimal expansion of any `f64` (at most 767 significant digits).
pub struct DigitBuffer {
    digits: [u8; 800],
}

impl Default for DigitBuffer {
    fn default() -> Self {
        Self { digits: [0; 800] }
    }
}

impl std::fmt::Debug for DigitBuffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DigitBuffer")
    }
}

/// Splits an optional leading sign off.
fn sign(text: &[u8]) -> (bool, &[u8]) {
    match text.first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    }
}

/// `[+-]?digits` (`point = false`) or `[+-]?(digits(.digits?)?|.digits)` (`point = true`).
fn parse_decimal(text: &[u8], point: bool) -> Option<Finite<'_>> {
    let (negative, body) = sign(text);
    let (int, frac) = match body.iter().position(|&b| b == b'.') {
        Some(at) if point => (&body[..at], &body[at + 1..]),
        Some(_) => return None,
        None => (body, &body[body.len()..]),
    };
    let all_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let int = &int[int.iter().position(|&b| b != b'0').unwrap_or(int.len())..];
    let frac_end = frac.iter().rposition(|&b| b != b'0').map_or(0, |at| at + 1);
    let frac = &frac[..frac_end];
    let finite = if !int.is_empty() {
        Finite {
            negative,
            exp: int.len() as i64,
            head: int,
            tail: frac,
        }
    } else {
        let zeros = frac.iter().position(|&b| b != b'0').unwrap_or(frac.len());
        let head = &frac[zeros..];
        if head.is_empty() {
            return Some(Finite::ZERO);
        }
        Finite {
            negative,
            exp: -(zeros as i64),
            head,
            tail: b"",
        }
    };
    Some(finite)
}

/// Whether `text` is in the lexical space of `xsd:double` / `xsd:float` (finite forms).
fn is_float_lexical(text: &[u8]) -> bool {
    let (mantissa, exponent) = match text.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let (_, digits) = sign(e);
        !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
    });
    exponent_ok && parse_decimal(mantissa, true).is_some()
}

/// Multiplies the little-endian base-10⁹ number `limbs[..*len]` by `factor` (< 2³²).
fn mul_small(limbs: &mut [u32], len: &mut usize, factor: u64) {
    let mut carry = 0u64;
    for limb in &mut limbs[..*len] {
        let product = u64::from(*limb) * factor + carry;
        *limb = (product % 1_000_000_000) as u32;
        carry = product / 1_000_000_000;
    }
    while carry > 0 {
        limbs[*len] = (carry % 1_000_000_000) as u32;
        carry /= 1_000_000_000;
        *len += 1;
    }
}

/// The exact decimal value of a finite, non-zero `x`.
fn expand_f64(x: f64, buffer: &mut DigitBuffer) -> Finite<'_> {
    let bits = x.to_bits();
    let negative = bits >> 63 == 1;
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    let (mut mantissa, mut exp2) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    if mantissa == 0 {
        return Finite::ZERO;
    }
    while mantissa & 1 == 0 {
        mantissa >>= 1;
        exp2 += 1;
    }
    // x = mantissa × 2^exp2 = mantissa × 5^(-exp2) × 10^exp2 when exp2 < 0.
    // A mantissa below 2^53 < 10^18 fits in two base-10^9 limbs.
    let mut limbs = [0u32; 96];
    limbs[0] = (mantissa % 1_000_000_000) as u32;
    limbs[1] = (mantissa / 1_000_000_000) as u32;
    let mut len = 2;
    while len > 1 && limbs[len - 1] == 0 {
        len -= 1;
    }
    let mut shift10 = 0i64;
    if exp2 >= 0 {
        let mut left = exp2;
        while left > 0 {
            let step = left.min(29);
            mul_small(&mut limbs, &mut len, 1 << step);
            left -= step;
        }
    } else {
        let mut left = -exp2;
        while left > 0 {
            let step = left.min(13);
            mul_small(&mut limbs, &mut len, 5u64.pow(step as u32));
            left -= step;
        }
        shift10 = exp2;
    }
    // Print the limbs, most significant first (the top one unpadded).
    let digits = &mut buffer.digits;
    let mut n = 0;
    let top = limbs[len - 1];
    let top_text = top.to_string();
    for b in top_text.bytes() {
        digits[n] = b;
        n += 1;
    }
    for limb in limbs[..len - 1].iter().rev() {
        let mut chunk = [b'0'; 9];
        let mut value = *limb;
        for slot in chunk.iter_mut().rev() {
            *slot = b'0' + (value % 10) as u8;
            value /= 10;
        }
        digits[n..n + 9].copy_from_slice(&chunk);
        n += 9;
    }
    Finite {
        negative,
        exp: n as i64 + shift10,
        head: &buffer.digits[..n],
        tail: b"",
    }
}

/// The value of `text` read as `kind`, or `None` when the text is not in the datatype's
/// lexical space (or an integer is outside a derived type's bounds). A double or float's
/// exact expansion is written into `buffer`.
pub fn parse_value<'a>(
    text: &'a str,
    kind: NumericKind,
    buffer: &'a mut DigitBuffer,
) -> Option<Value<'a>> {
    let bytes = text.as_bytes();
    match kind {
        NumericKind::Integer { min, max } => {
            let value = parse_decimal(bytes, false)?;
            let within = |bound: Option<&str>, ok: fn(Ordering) -> bool| {
                bound.is_none_or(|bound| {
                    parse_decimal(bound.as_bytes(), false)
                        .is_some_and(|bound| ok(value.cmp_value(&bound)))
                })
            };
            (within(min, Ordering::is_ge) && within(max, Ordering::is_le))
                .then_some(Value::Finite(value))
        }
        NumericKind::Decimal => parse_decimal(bytes, true).map(Value::Finite),
        NumericKind::Double | NumericKind::Float => {
            let special = match text {
                "INF" | "+INF" => Some(Value::PositiveInfinity),
                "-INF" => Some(Value::NegativeInfinity),
                "NaN" => Some(Value::NaN),
                _ => None,
            };
            if special.is_some() {
                return special;
            }
            if !is_float_lexical(bytes) {
                return None;
            }
            let x: f64 = if kind == NumericKind::Float {
                f64::from(text.parse::<f32>().ok()?)
            } else {
                text.parse::<f64>().ok()?
            };
            Some(if x.is_infinite() {
                if x > 0.0 {
                    Value::PositiveInfinity
                } else {
                    Value::NegativeInfinity
                }
            } else if x == 0.0 {
                Value::Finite(Finite::ZERO)
            } else {
                Value::Finite(expand_f64(x, buffer))
            })
        }
    }
}

/// The value of an integer (an inline id's value, for the scalar model).
pub fn integer_value(value: i64, buffer: &mut DigitBuffer) -> Value<'_> {
    let mut n = 0;
    for b in value.unsigned_abs().to_string().bytes() {
        buffer.digits[n] = b;
        n += 1;
    }
    // The text of an integer is canonical here, so parsing it cannot fail.
    let digits = &buffer.digits[..n];
    match parse_decimal(digits, false) {
        Some(mut finite) => {
            finite.negative = value < 0 && !finite.is_zero();
            Value::Finite(finite)
        }
        None => Value::NaN,
    }
}

/// A comparison of a `compare_o_*` operation: does the literal's value stand in this relation
/// to the hook's `value`?
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Comparison {
    /// `=`
    Eq,
    /// `>`
    Gt,
    /// `<`
    Lt,
    /// `>=`
    Ge,
    /// `<=`
    Le,
}

impl Comparison {
    /// Whether `order` (the literal's value against the constant) satisfies the comparison.
    pub fn holds(self, order: Option<Ordering>) -> bool {
        match order {
            None => false,
            Some(order) => match self {
                Comparison::Eq => order.is_eq(),
                Comparison::Gt => order.is_gt(),
                Comparison::Lt => order.is_lt(),
                Comparison::Ge => order.is_ge(),
                Comparison::Le => order.is_le(),
            },
        }
    }
}

/// A hook's `value` constant, parsed once: its exact value, and the range of inline-integer
/// ids that satisfy the hook's comparison (so the hot path decides those with two integer
/// operations and no lookup).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumericConstant {
    special: Option<Value<'static>>,
    negative: bool,
    exp: i64,
    digits: Vec<u8>,
    comparison: Comparison,
    /// The first matching inline-integer id (raw).
    pub inline_low: u64,
    /// `last - first` matching inline-integer id.
    pub inline_width: u64,
    /// `u64::MAX` when some inline integer matches, 0 when none does (the range is then
    /// meaningless, and this mask clears it).
    pub inline_enabled: u64,
}

impl NumericConstant {
    /// Parses `text` as `kind` for `comparison`; `None` when it is not a valid literal.
    pub fn new(text: &str, kind: NumericKind, comparison: Comparison) -> Option<NumericConstant> {
        let mut buffer = DigitBuffer::default();
        let value = parse_value(text, kind, &mut buffer)?;
        let (special, negative, exp, digits) = match value {
            Value::Finite(f) => (None, f.negative, f.exp, f.digits().collect()),
            special => (Some(special_static(special)), false, 0, Vec::new()),
        };
        let mut constant = NumericConstant {
            special,
            negative,
            exp,
            digits,
            comparison,
            inline_low: 0,
            inline_width: 0,
            inline_enabled: 0,
        };
        if let Some((low, high)) = constant.inline_range() {
            constant.inline_low = low;
            constant.inline_width = high - low;
            constant.inline_enabled = u64::MAX;
        }
        Some(constant)
    }

    /// The comparison this constant is for.
    pub fn comparison(&self) -> Comparison {
        self.comparison
    }

    /// The constant's exact value.
    pub fn value(&self) -> Value<'_> {
        match self.special {
            Some(special) => special,
            None => Value::Finite(Finite {
                negative: self.negative,
                exp: self.exp,
                head: &self.digits,
                tail: b"",
            }),
        }
    }

    /// Whether a literal of value `literal` matches.
    pub fn matches(&self, literal: &Value<'_>) -> bool {
        self.comparison.holds(literal.compare(&self.value()))
    }

    /// Whether the inline id `raw` is in the hot path's matching range.
    #[inline]
    pub fn inline_matches(&self, raw: u64) -> bool {
        raw.wrapping_sub(self.inline_low) <= self.inline_width && self.inline_enabled != 0
    }

    /// The matching inline integers as raw ids `(first, last)`, or `None` if there are none.
    fn inline_range(&self) -> Option<(u64, u64)> {
        let (min, max) = (
            i128::from(TermId::INLINE_INTEGER_MIN),
            i128::from(TermId::INLINE_INTEGER_MAX),
        );
        let (floor, ceil) = match self.value() {
            Value::NaN => return None,
            Value::NegativeInfinity => (min - 1, min - 1),
            Value::PositiveInfinity => (max + 1, max + 1),
            Value::Finite(f) => floor_ceil(&f, min - 1, max + 1),
        };
        let integral = floor == ceil;
        let (low, high) = match self.comparison {
            Comparison::Eq if integral => (floor, floor),
            Comparison::Eq => return None,
            Comparison::Gt => (floor + 1, max),
            Comparison::Ge => (ceil, max),
            Comparison::Lt => (min, ceil - 1),
            Comparison::Le => (min, floor),
        };
        // A Gt/Ge below the range or Lt/Le above it is clamped here; an infinity's floor and
        // ceil are equal but it is not an integer, so Eq never reaches here with one.
        let (low, high) = (low.max(min), high.min(max));
        if low > high || (self.comparison == Comparison::Eq && !(min..=max).contains(&low)) {
            return None;
        }
        let raw = |v: i128| TermId::from_inline_integer(v as i64).map(TermId::to_u64);
        Some((raw(low)?, raw(high)?))
    }
}

fn special_static(value: Value<'_>) -> Value<'static> {
    match value {
        Value::NaN => Value::NaN,
        Value::NegativeInfinity => Value::NegativeInfinity,
        Value::PositiveInfinity => Value::PositiveInfinity,
        Value::Finite(_) => Value::Finite(Finite::ZERO),
    }
}

/// `(floor, ceil)` of a finite value, clamped to `[below, above]`.
fn floor_ceil(f: &Finite<'_>, below: i128, above: i128) -> (i128, i128) {
    if f.is_zero() {
        return (0, 0);
    }
    if f.exp > 20 {
        return if f.negative {
            (below, below)
        } else {
            (above, above)
        };
    }
    let whole = f.exp.max(0) as usize;
    let mut integer: i128 = 0;
    let mut fraction = false;
    for (at, digit) in f.digits().enumerate() {
        if at < whole {
            integer = integer * 10 + i128::from(digit - b'0');
        } else if digit != b'0' {
            fraction = true;
        }
    }
    let written = f.digits().count();
    for _ in written..whole {
        integer *= 10;
    }
    let (floor, ceil) = if f.negative {
        (-integer - i128::from(fraction), -integer)
    } else {
        (integer, integer + i128::from(fraction))
    };
    (floor.clamp(below, above), ceil.clamp(below, above))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: (&str, NumericKind), b: (&str, NumericKind)) -> Option<Ordering> {
        let (mut x, mut y) = (DigitBuffer::default(), DigitBuffer::default());
        let a = parse_value(a.0, a.1, &mut x).unwrap();
        let b = parse_value(b.0, b.1, &mut y).unwrap();
        a.compare(&b)
    }

    const INT: NumericKind = NumericKind::Integer {
        min: None,
        max: None,
    };

    #[test]
    fn integers_and_decimals_compare_by_the_value_they_write() {
        assert_eq!(cmp(("007", INT), ("7", INT)), Some(Ordering::Equal));
        assert_eq!(cmp(("+5", INT), ("5", INT)), Some(Ordering::Equal));
        assert_eq!(cmp(("-0", INT), ("0", INT)), Some(Ordering::Equal));
        assert_eq!(
            cmp(("100000000000000000000000", INT), ("100", INT)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            cmp(("-100000000000000000000000", INT), ("-100", INT)),
            Some(Ordering::Less)
        );
        assert_eq!(
            cmp(("12.0", NumericKind::Decimal), ("10", INT)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            cmp(("12.000", NumericKind::Decimal), ("12", INT)),
            Some(Ordering::Equal)
        );
        assert_eq!(
            cmp(
                ("-.5", NumericKind::Decimal),
                ("-0.50", NumericKind::Decimal)
            ),
            Some(Ordering::Equal)
        );
        assert_eq!(
            cmp(
                ("0.001", NumericKind::Decimal),
                ("0.01", NumericKind::Decimal)
            ),
            Some(Ordering::Less)
        );
    }

    #[test]
    fn doubles_compare_by_their_ieee_value() {
        let d = NumericKind::Double;
        assert_eq!(cmp(("1.5E1", d), ("15", INT)), Some(Ordering::Equal));
        assert_eq!(cmp(("1e0", d), ("1", INT)), Some(Ordering::Equal));
        assert_eq!(
            cmp(("0.1", d), ("0.1", NumericKind::Decimal)),
            Some(Ordering::Greater),
            "the double nearest 0.1 is slightly above it"
        );
        assert_eq!(
            cmp(("0.1", NumericKind::Float), ("0.1", d)),
            Some(Ordering::Greater)
        );
        assert_eq!(cmp(("INF", d), ("1e308", d)), Some(Ordering::Greater));
        assert_eq!(cmp(("-INF", d), ("-1e308", d)), Some(Ordering::Less));
        assert_eq!(cmp(("NaN", d), ("NaN", d)), None);
        assert_eq!(cmp(("1e400", d), ("INF", d)), Some(Ordering::Equal));
        assert_eq!(cmp(("5e-324", d), ("0", INT)), Some(Ordering::Greater));
        assert_eq!(
            cmp(("9007199254740993", d), ("9007199254740992", INT)),
            Some(Ordering::Equal),
            "2^53 + 1 rounds to 2^53 as a double"
        );
        assert_eq!(cmp(("-0.0", d), ("0", INT)), Some(Ordering::Equal));
    }

    #[test]
    fn text_outside_the_lexical_space_has_no_value() {
        let mut buffer = DigitBuffer::default();
        for (text, kind) in [
            ("abc", INT),
            ("1.5", INT),
            ("", INT),
            ("+", INT),
            ("1e5", NumericKind::Decimal),
            (".", NumericKind::Decimal),
            ("inf", NumericKind::Double),
            ("1e", NumericKind::Double),
            ("300", numeric_kind(&format!("{XSD}byte")).unwrap()),
            (
                "-1",
                numeric_kind(&format!("{XSD}nonNegativeInteger")).unwrap(),
            ),
        ] {
            assert_eq!(parse_value(text, kind, &mut buffer), None, "{text}");
        }
        let byte = numeric_kind(&format!("{XSD}byte")).unwrap();
        assert!(parse_value("-128", byte, &mut buffer).is_some());
    }

    #[test]
    fn inline_ranges_follow_the_comparison() {
        let inline = |v: i64| TermId::from_inline_integer(v).unwrap().to_u64();
        let c =
            |text: &str, kind, comparison| NumericConstant::new(text, kind, comparison).unwrap();
        let gt = c("10", INT, Comparison::Gt);
        assert!(!gt.inline_matches(inline(10)) && gt.inline_matches(inline(11)));
        assert!(gt.inline_matches(inline(TermId::INLINE_INTEGER_MAX)));
        let ge = c("12.5", NumericKind::Decimal, Comparison::Ge);
        assert!(!ge.inline_matches(inline(12)) && ge.inline_matches(inline(13)));
        let le = c("-12.5", NumericKind::Decimal, Comparison::Le);
        assert!(le.inline_matches(inline(-13)) && !le.inline_matches(inline(-12)));
        let eq = c("7.0", NumericKind::Decimal, Comparison::Eq);
        assert!(eq.inline_matches(inline(7)) && !eq.inline_matches(inline(8)));
        let eq_fraction = c("7.5", NumericKind::Decimal, Comparison::Eq);
        assert!(
            !eq_fraction.inline_matches(inline(7)) && !eq_fraction.inline_matches(u64::MAX - 1)
        );
        let huge = c("1e30", NumericKind::Double, Comparison::Lt);
        assert!(huge.inline_matches(inline(TermId::INLINE_INTEGER_MAX)));
        let none = c("1e30", NumericKind::Double, Comparison::Gt);
        assert!(!none.inline_matches(inline(TermId::INLINE_INTEGER_MAX)));
        assert!(!eq_fraction.inline_matches(u64::MAX) && !eq_fraction.inline_matches(0));
        let nan = c("NaN", NumericKind::Double, Comparison::Le);
        assert!(!nan.inline_matches(inline(0)));
        // Never an id of another tag.
        let all = c("-INF", NumericKind::Double, Comparison::Gt);
        assert!(all.inline_matches(inline(0)));
        assert!(!all.inline_matches(TermId::from_boolean(true).to_u64()));
    }
}
