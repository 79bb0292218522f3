//! A literal's text read as the value its datatype gives it.

use std::cmp::Ordering;

use super::expand::{expand_f64, DigitBuffer};
use super::kind::NumericKind;
use super::value::{Finite, Value};

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
