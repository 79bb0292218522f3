use std::cmp::Ordering;

use super::kind::XSD;
use super::*;
use crate::dictionary::TermId;

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
    let c = |text: &str, kind, comparison| NumericConstant::new(text, kind, comparison).unwrap();
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
    assert!(!eq_fraction.inline_matches(inline(7)) && !eq_fraction.inline_matches(u64::MAX - 1));
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
