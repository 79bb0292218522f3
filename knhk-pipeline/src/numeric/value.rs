//! Exact numeric values and their comparison.

use std::cmp::Ordering;

/// A finite value as `±0.d₁d₂d₃… × 10^exp`: its significant digits (ASCII, the first one not
/// `0`) are `head` followed by `tail`; zero has no digits. Trailing zeros may be present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finite<'a> {
    pub(super) negative: bool,
    pub(super) exp: i64,
    pub(super) head: &'a [u8],
    pub(super) tail: &'a [u8],
}

impl Finite<'_> {
    pub(super) const ZERO: Finite<'static> = Finite {
        negative: false,
        exp: 0,
        head: b"",
        tail: b"",
    };

    pub(super) fn is_zero(&self) -> bool {
        self.head.is_empty() && self.tail.is_empty()
    }

    pub(super) fn digits(&self) -> impl Iterator<Item = u8> + '_ {
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

    pub(super) fn cmp_value(&self, other: &Finite<'_>) -> Ordering {
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
