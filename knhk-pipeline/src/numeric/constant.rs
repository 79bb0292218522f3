//! A hook's `value` constant, parsed once, and the comparisons it is used with.

use std::cmp::Ordering;

use super::expand::DigitBuffer;
use super::kind::NumericKind;
use super::lexical::parse_value;
use super::value::{Finite, Value};
use crate::dictionary::TermId;

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
